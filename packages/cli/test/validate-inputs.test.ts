/**
 * What `semtrace validate` reads from directories, and what it does when it cannot read something or finds nothing:
 * unreadable directories and files are reported (exit 2) while everything readable is validated; symbolic links are
 * followed (loops are not); skipped entries are listed; no spans at all is exit 2 unless `--allow-empty`.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runValidateCommand } from "../src/validate/command.js";
import { builtBin } from "./helpers/measured.js";
import { tempDir } from "./helpers/tmp.js";

async function validate(argv: string[], cwd = "/") {
  let stdout = "";
  let stderr = "";
  const code = await runValidateCommand(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd,
    progress: false,
    color: false,
  });
  return { code, stdout, stderr };
}

const line = (name: string) =>
  `${JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ name, attributes: [{ key: "openinference.span.kind", value: { stringValue: "CHAIN" } }] }] }] }] })}\n`;
const summary = (stdout: string) => stdout.trimEnd().split("\n").at(-1);

const NOBODY = 65534;

/**
 * The `node` that `nobody` can run: this one, or a copy of it when its folder is closed to others (CI installs
 * Node 22 and 24 under root's home, which `nobody` cannot enter).
 */
function nodeForNobody(): string {
  const probe = spawnSync(process.execPath, ["--version"], { uid: NOBODY, gid: NOBODY, encoding: "utf8" });
  if (probe.status === 0) return process.execPath;
  const copy = join(tempDir("node-for-nobody"), "node");
  copyFileSync(process.execPath, copy);
  chmodSync(dirname(copy), 0o755);
  chmodSync(copy, 0o755);
  return copy;
}

/**
 * Runs the built CLI as a user for whom mode 000 means unreadable: as root (which reads anything) the child runs
 * as `nobody`, and the folder is opened up for it.
 */
function runUnprivileged(args: string[], root: string) {
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chmodSync(root, 0o755);
  const node = asRoot ? nodeForNobody() : process.execPath;
  const result = spawnSync(node, [builtBin, "validate", ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "1" },
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("unreadable directories and files", () => {
  it("are reported with exit 2, and everything readable is validated (nested, top-level, files)", () => {
    const root = tempDir("unreadable");
    const traces = join(root, "traces");
    mkdirSync(join(traces, "locked"), { recursive: true });
    mkdirSync(join(root, "closed"));
    writeFileSync(join(traces, "a.jsonl"), line("a"));
    writeFileSync(join(traces, "locked", "hidden.jsonl"), line("hidden"));
    writeFileSync(join(traces, "z.jsonl"), line("z"));
    writeFileSync(join(traces, "secret.jsonl"), line("secret"));
    writeFileSync(join(root, "b.jsonl"), line("b"));
    for (const d of [root, traces]) chmodSync(d, 0o755);
    for (const f of ["a.jsonl", "z.jsonl"]) chmodSync(join(traces, f), 0o644);
    chmodSync(join(root, "b.jsonl"), 0o644);
    chmodSync(join(traces, "locked"), 0o000);
    chmodSync(join(root, "closed"), 0o000);
    chmodSync(join(traces, "secret.jsonl"), 0o000);
    try {
      const run = runUnprivileged([traces, join(root, "closed"), join(root, "b.jsonl")], root);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `semtrace validate: ${join(traces, "locked")}: cannot read directory: EACCES: permission denied`,
      );
      expect(run.stderr).toContain(
        `semtrace validate: ${join(root, "closed")}: cannot read directory: EACCES: permission denied`,
      );
      expect(run.stderr).toContain(
        `semtrace validate: ${join(traces, "secret.jsonl")}: cannot read: EACCES: permission denied`,
      );
      expect(summary(run.stdout)).toBe(
        "3 spans (judged: 3 openinference, 0 genai; 0 other), 0 errors, 0 warnings, 6 infos, 3 records rejected",
      );
    } finally {
      chmodSync(join(traces, "locked"), 0o755);
      chmodSync(join(root, "closed"), 0o755);
    }
  }, 60_000);
});

describe("directory walks", () => {
  it("follow symbolic links to files and folders, read a file once, do not follow loops, and list what they skip", async () => {
    const root = tempDir("walk");
    const outside = join(root, "outside");
    const dir = join(root, "traces");
    mkdirSync(join(dir, "sub"), { recursive: true });
    mkdirSync(join(outside, "more"), { recursive: true });
    writeFileSync(join(outside, "linked.json"), line("linked"));
    writeFileSync(join(outside, "more", "m.jsonl"), line("m"));
    writeFileSync(join(dir, "a.jsonl"), line("a"));
    writeFileSync(join(dir, "README.md"), "# traces\n");
    mkdirSync(join(dir, ".git"));
    symlinkSync(join(outside, "linked.json"), join(dir, "link.json"));
    symlinkSync(join(outside, "linked.json"), join(dir, "sub", "again.json"));
    symlinkSync(join(outside, "more"), join(dir, "more"));
    symlinkSync(dir, join(dir, "sub", "loop"));
    symlinkSync(join(root, "missing.jsonl"), join(dir, "broken.jsonl"));
    symlinkSync(join(root, "missing"), join(dir, "dangling"));
    const { code, stdout, stderr } = await validate([dir]);
    expect(summary(stdout)).toBe(
      "3 spans (judged: 3 openinference, 0 genai; 0 other), 0 errors, 0 warnings, 6 infos, 1 record rejected",
    );
    expect(code).toBe(2);
    expect(stderr.split("\n").filter(Boolean)).toEqual([
      `semtrace validate: ${join(dir, "broken.jsonl")}: broken symbolic link to ${join(root, "missing.jsonl")}: ENOENT: no such file or directory, stat '${join(dir, "broken.jsonl")}'`,
      `semtrace validate: note: ${join(dir, ".git")}: skipped: hidden (its name starts with '.')`,
      `semtrace validate: note: ${join(dir, "README.md")}: skipped: its name does not end in .json, .jsonl, .ndjson, .pb, .binpb, .bin, .otlp or .protobuf, optionally followed by .gz`,
      `semtrace validate: note: ${join(dir, "dangling")}: skipped: broken symbolic link to ${join(root, "missing")}: ENOENT: no such file or directory, stat '${join(dir, "dangling")}'`,
      `semtrace validate: note: ${join(dir, "sub", "again.json")}: skipped: the same file was already read under another name (a link)`,
      `semtrace validate: note: ${join(dir, "sub", "loop")}: skipped: a symbolic link to a directory that contains it (a loop)`,
    ]);
  });

  it("list at most --max-listed-per-kind skipped entries, and count the rest", async () => {
    const dir = tempDir("skipped");
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `notes-${i}.txt`), "x");
    writeFileSync(join(dir, "t.jsonl"), line("t"));
    const { code, stderr } = await validate(["--max-listed-per-kind", "2", dir]);
    expect(code).toBe(0);
    expect(stderr.split("\n").filter(Boolean)).toEqual([
      `semtrace validate: note: ${join(dir, "notes-0.txt")}: skipped: its name does not end in .json, .jsonl, .ndjson, .pb, .binpb, .bin, .otlp or .protobuf, optionally followed by .gz`,
      `semtrace validate: note: ${join(dir, "notes-1.txt")}: skipped: its name does not end in .json, .jsonl, .ndjson, .pb, .binpb, .bin, .otlp or .protobuf, optionally followed by .gz`,
      "semtrace validate: note: … and 3 more notes of this kind: skipped (--max-listed-per-kind)",
    ]);
  });
});

describe("no spans found", () => {
  it("is exit 2, naming each input and why, unless --allow-empty", async () => {
    const dir = tempDir("empty");
    writeFileSync(join(dir, "empty.json"), "");
    writeFileSync(join(dir, "blank.jsonl"), "\n\n  \n");
    writeFileSync(join(dir, "none.json"), '{"resourceSpans": []}');
    writeFileSync(join(dir, "README.md"), "x");
    const { code, stdout, stderr } = await validate(["empty.json", "blank.jsonl", "none.json"], dir);
    expect(code).toBe(2);
    expect(summary(stdout)).toBe("0 spans, 0 errors, 0 warnings, 0 infos");
    expect(stderr).toBe(
      "semtrace validate: no spans found (the 3 inputs: empty.json (empty), blank.jsonl (only whitespace), none.json (no spans)), so nothing was validated; pass --allow-empty if that is expected\n",
    );
    expect((await validate(["--allow-empty", "empty.json", "blank.jsonl", "none.json"], dir)).code).toBe(0);
    const nothing = await validate([dir]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("no spans found (the 3 inputs: ");
    const noFiles = tempDir("no-files");
    writeFileSync(join(noFiles, "README.md"), "x");
    const none = await validate([noFiles]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      "semtrace validate: no spans found (no input files were found), so nothing was validated; pass --allow-empty if that is expected",
    );
    expect((await validate(["--allow-empty", noFiles])).code).toBe(0);
  });

  it("an input that was rejected is named as such; findings still decide between 0 and 1 when there are spans", async () => {
    const dir = tempDir("rejected-only");
    writeFileSync(join(dir, "bad.jsonl"), "nope\n");
    const { code, stderr } = await validate(["bad.jsonl"], dir);
    expect(code).toBe(2);
    expect(stderr).toContain("no spans found (the input: bad.jsonl (rejected))");
  });
});
