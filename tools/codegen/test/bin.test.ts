/**
 * `semtrace-codegen`, the generator's own command (the committed bin, running the build's dist/bin.js): the
 * generated packages regenerate with it, without the `semtrace` CLI. Needs the build (turbo's test task builds first).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { GENERATE_HELP } from "../src/index.js";

const bin = fileURLToPath(new URL("../bin/semtrace-codegen.js", import.meta.url));
const golden = fileURLToPath(new URL("./fixtures/golden/acme", import.meta.url));
const manifest = JSON.parse(readFileSync(fileURLToPath(new URL("../package.json", import.meta.url)), "utf8")) as {
  version: string;
  bin: Record<string, string>;
};

const root = mkdtempSync(path.join(tmpdir(), "semtrace-codegen-bin-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

it("is the package's bin", () => {
  expect(manifest.bin).toEqual({ "semtrace-codegen": "./bin/semtrace-codegen.js" });
});

describe("semtrace-codegen generate", () => {
  it("writes the files, naming itself in their banners, and --check finds them up to date", () => {
    const written = run("generate", "--spec", golden, "--out", "out");
    expect(written.stderr).toBe("");
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/→ out \(\d+ written, 0 unchanged\)/);
    const index = readFileSync(path.join(root, "out/index.ts"), "utf8");
    expect(index).toContain(`// Regenerate with: semtrace-codegen generate --spec ${golden} --out out\n`);
    const checked = run("generate", "--spec", golden, "--out", "out", "--check");
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/out: \d+ generated files are up to date/);
  });

  it("usage errors name the command as run and exit 2", () => {
    const { code, stderr } = run("generate", "--out", "x");
    expect(code).toBe(2);
    expect(stderr).toBe(
      "semtrace-codegen generate: missing --spec <dir> (or --mapping <file>)\nRun 'semtrace-codegen generate --help' for usage.\n",
    );
    expect(existsSync(path.join(root, "x"))).toBe(false);
  });

  it("--help is generate's, with this command's name", () => {
    const { code, stdout } = run("generate", "--help");
    expect(code).toBe(0);
    expect(stdout).toBe(
      GENERATE_HELP.replace("Usage: semtrace generate", "Usage: semtrace-codegen generate").replace(
        "       semtrace generate --mapping",
        "       semtrace-codegen generate --mapping",
      ),
    );
  });
});

describe("semtrace-codegen", () => {
  it("--help lists the commands; --version prints the package's version", () => {
    expect(run("--help")).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("Usage: semtrace-codegen generate --spec <dir> --out <dir> [options]"),
    });
    expect(run("--version")).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: "" });
  });

  it.each([[[]], [["validate", "x.json"]], [["--nope"]]])("%j: a usage error (exit 2) with the help", (args) => {
    const { code, stdout, stderr } = run(...args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Usage: semtrace-codegen generate");
    if (args.length > 0)
      expect(stderr).toContain(`semtrace-codegen: unknown command '${args[0]}'. Valid commands: generate.`);
  });
});
