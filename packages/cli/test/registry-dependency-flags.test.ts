/**
 * Every command that reads a spec directory (validate, live-check, stats, check, diff, migrate) takes the generator's
 * dependency flags (`--dependency <key>=<dir>`, `--offline`, `--registry-cache <dir>`, the fetch caps) with the
 * generator's meaning, messages and help: a registry
 * whose manifest names a dependency that cannot be fetched here (a git URL on a closed port of 127.0.0.1) is read
 * with `--dependency` pointing at a local copy, with the same result as `SEMTRACE_DEPENDENCIES`; `--offline` with an
 * empty cache says which dependency is missing and where it was looked for; a malformed flag is a usage error.
 * Relative paths are given throughout: they resolve against the command's working directory.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dependencyHelp } from "@semtrace/spec/flags";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { MIGRATE_HELP } from "@semtrace/codegen";
import { main } from "../src/cli.js";
import { runLiveCheckCommand } from "../src/validate/live-check.js";
import { git } from "./helpers/spec-repo.js";
import { tempDir } from "./helpers/tmp.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
/** Nothing listens on port 9 of 127.0.0.1: without an override, fetching this fails (and never leaves the machine). */
const UNREACHABLE = "https://127.0.0.1:9/acme/semconv.git@v1.0.0[model]";

let root: string;

function appRegistry(dir: string, extra: readonly string[] = []): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "manifest.yaml"),
    lines(
      "name: acme-app",
      "schema_url: https://example.com/acme-app/1.0.0",
      "owns: [acme]",
      "codegen:",
      "  package: '@acme/app'",
      "dependencies:",
      "  - name: acme-base",
      "    schema_url: https://example.com/acme-base/1.0.0",
      `    registry_path: ${UNREACHABLE}`,
    ),
  );
  writeFileSync(
    join(dir, "registry.yaml"),
    lines(
      "groups:",
      "  - id: registry.acme.app",
      "    type: attribute_group",
      "    brief: The app's own.",
      "    attributes:",
      "      - id: acme.app.feature",
      "        type: string",
      "        brief: The feature.",
      "        stability: development",
      // A rename, for `migrate`.
      "      - id: acme.app.feat",
      "        type: string",
      "        brief: The feature's old name.",
      "        stability: development",
      "        deprecated:",
      "          reason: renamed",
      "          renamed_to: acme.app.feature",
      ...extra,
      "      - ref: acme.tenant.id",
    ),
  );
}

beforeAll(() => {
  root = tempDir("dependency-flags");
  // The local copy of the dependency (what a CI job checks out next to the registry).
  const base = join(root, "acme-base");
  mkdirSync(base);
  writeFileSync(
    join(base, "manifest.yaml"),
    lines("name: acme-base", "schema_url: https://example.com/acme-base/1.0.0"),
  );
  writeFileSync(
    join(base, "registry.yaml"),
    lines(
      "groups:",
      "  - id: registry.acme.base",
      "    type: attribute_group",
      "    brief: Shared.",
      "    attributes:",
      "      - id: acme.tenant.id",
      "        type: string",
      "        brief: The tenant.",
      "        stability: development",
    ),
  );
  appRegistry(join(root, "app"));
  // `diff` compares the app at the last commit (read from git) with a copy that adds an attribute.
  appRegistry(join(root, "app-next"), [
    "      - id: acme.app.region",
    "        type: string",
    "        brief: The region.",
    "        stability: development",
  ]);
  // The same app with its dependency as a folder beside it, which is in the repository too.
  appRegistry(join(root, "app-local"));
  const localManifest = join(root, "app-local", "manifest.yaml");
  writeFileSync(localManifest, readFileSync(localManifest, "utf8").replace(UNREACHABLE, "../acme-base"));
  mkdirSync(join(root, "empty-cache"));
  writeFileSync(
    join(root, "uses.ts"),
    'import { ATTR_ACME_APP_FEAT } from "@acme/app";\nexport const key = ATTR_ACME_APP_FEAT;\n',
  );
  writeFileSync(
    join(root, "spans.json"),
    JSON.stringify([
      { name: "work", attributes: { "acme.app.feature": "search", "acme.tenant.id": 42, "acme.tenant.idd": "x" } },
    ]),
  );
  git(root, "init", "-q", "-b", "main");
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "registries");
});

const savedDependencies = process.env["SEMTRACE_DEPENDENCIES"];
afterEach(() => {
  if (savedDependencies === undefined) delete process.env["SEMTRACE_DEPENDENCIES"];
  else process.env["SEMTRACE_DEPENDENCIES"] = savedDependencies;
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(argv: readonly string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main([...argv], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: root });
  return { code, stdout, stderr };
}

/** `semtrace live-check` in-process on free ports; once it listens, the spans of spans.json are posted to it. */
async function liveCheck(argv: readonly string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  let posting: Promise<unknown> | undefined;
  const attributes = [
    { key: "acme.app.feature", value: { stringValue: "search" } },
    { key: "acme.tenant.id", value: { intValue: "42" } },
    { key: "acme.tenant.idd", value: { stringValue: "x" } },
  ];
  const body = JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "00f067aa0ba902b7", name: "work", attributes },
            ],
          },
        ],
      },
    ],
  });
  const code = await runLiveCheckCommand(
    ["--port", "0", "--grpc-port", "0", "--exit-after", "1", "--timeout", "20", ...argv],
    {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      cwd: root,
      color: false,
      onListening: (live) => {
        posting = fetch(live.url, { method: "POST", headers: { "content-type": "application/json" }, body });
      },
    },
  );
  await posting;
  return { code, stdout, stderr };
}

/** The findings of a json report, as `rule key`. */
function findings(run: Run): string[] {
  return (JSON.parse(run.stdout) as { findings: { rule: string; key: string }[] }).findings
    .map((f) => `${f.rule} ${f.key}`)
    .sort();
}

interface Command {
  readonly name: string;
  /** The command reading the app registry, with `flags` among its arguments. */
  run(flags: readonly string[]): Promise<Run>;
  /** What the command found, when it read the registry with its dependency. */
  outcome(run: Run): unknown;
  readonly expected: unknown;
  /** Its exit code then. */
  readonly code: number;
  /** Its exit code when a dependency cannot be read. */
  readonly failed: number;
  /** The column its help's descriptions start at. */
  readonly column: number;
  /** What it prints for a usage error (default: the message and where to find the usage). */
  readonly usage?: (message: string) => string;
}

const COMMANDS: readonly Command[] = [
  {
    name: "validate",
    run: (flags) => cli(["validate", "--reporter", "json", "-r", "app", ...flags, "spans.json"]),
    outcome: findings,
    // The dependency's attribute is checked for its type; a key neither registry defines is unknown.
    expected: ["key.unknown acme.tenant.idd", "value.type acme.tenant.id"],
    code: 1,
    failed: 2,
    column: 30,
  },
  {
    name: "live-check",
    run: (flags) => liveCheck(["--reporter", "json", "-r", "app", ...flags]),
    outcome: findings,
    expected: ["key.unknown acme.tenant.idd", "value.type acme.tenant.id"],
    code: 1,
    failed: 2,
    column: 30,
  },
  {
    name: "stats",
    run: (flags) => cli(["stats", "--html", "page.html", "-r", "app", ...flags, "spans.json"]),
    outcome: () => {
      const page = readFileSync(join(root, "page.html"), "utf8");
      const data = /<script type="application\/json" id="semtrace-data">(.*?)<\/script>/s.exec(page)![1]!;
      const { findings } = JSON.parse(data) as { findings: { byRule: { rule: string; count: number }[] } };
      return findings.byRule.map((r) => `${r.rule} ${r.count}`).sort();
    },
    expected: ["key.unknown 1", "value.type 1"],
    code: 0,
    failed: 2,
    column: 30,
  },
  {
    name: "check",
    run: (flags) => cli(["check", "--spec", "app", "--reporter", "json", ...flags]),
    outcome: (run) => JSON.parse(run.stdout) as unknown,
    expected: { spec: "app", errors: 0, warnings: 0, diagnostics: [] },
    code: 0,
    failed: 1,
    column: 24,
  },
  {
    name: "diff",
    // The base read from git at a revision, the head from the working tree: both with the dependency.
    run: (flags) => cli(["diff", "--base", "HEAD:app", "--spec", "app-next", "--format", "json", ...flags]),
    outcome: (run) =>
      (
        JSON.parse(run.stdout) as {
          bump: string;
          changes: { bump: string; subject: string; kind: string; id: string }[];
        }
      ).changes.map((c) => `${c.bump} ${c.subject} ${c.kind} ${c.id}`),
    expected: ["minor attribute added acme.app.region"],
    code: 0,
    failed: 1,
    column: 24,
  },
  {
    name: "migrate",
    // Needs the generator (installed here, as a workspace); the registry's renames come from its own files.
    run: (flags) => cli(["migrate", "--dry-run", "--spec", "app", ...flags, "uses.ts"]),
    outcome: (run) => run.stdout.split("\n").filter((line) => /^[-+][^-+]/.test(line)),
    expected: [
      '-import { ATTR_ACME_APP_FEAT } from "@acme/app";',
      "-export const key = ATTR_ACME_APP_FEAT;",
      '+import { ATTR_ACME_APP_FEATURE } from "@acme/app";',
      "+export const key = ATTR_ACME_APP_FEATURE;",
    ],
    code: 0,
    failed: 2,
    column: 21,
    usage: (message) => `semtrace migrate: ${message}\n\n${MIGRATE_HELP}`,
  },
];

describe.each(COMMANDS)("semtrace $name", (command) => {
  it("reads an unreachable dependency from --dependency <name>=<dir>, as from SEMTRACE_DEPENDENCIES", async () => {
    // Offline, with an empty cache: the override is all there is.
    const flagged = await command.run([
      "--dependency",
      "acme-base=acme-base",
      "--offline",
      "--registry-cache",
      "empty-cache",
    ]);
    // (live-check says where it listens on stderr.)
    expect(flagged.stderr).not.toMatch(/error|dependenc/);
    expect(flagged.code).toBe(command.code);
    expect(command.outcome(flagged)).toEqual(command.expected);

    process.env["SEMTRACE_DEPENDENCIES"] = `acme-base=${join(root, "acme-base")}`;
    const fromEnv = await command.run(["--offline", "--registry-cache", "empty-cache"]);
    expect(fromEnv.code).toBe(command.code);
    expect(command.outcome(fromEnv)).toEqual(command.outcome(flagged));
  });

  it.each([
    ["by its schema_url", "https://example.com/acme-base/1.0.0=acme-base"],
    ["by its name", "acme-base=acme-base"],
  ])("keys a dependency %s, winning over SEMTRACE_DEPENDENCIES's folder for its name", async (_how, flag) => {
    process.env["SEMTRACE_DEPENDENCIES"] = `acme-base=${join(root, "no-such-folder")}`;
    const run = await command.run(["--dependency", flag, "--offline", "--registry-cache", "empty-cache"]);
    expect(run.code).toBe(command.code);
    expect(command.outcome(run)).toEqual(command.expected);
  });

  it("--offline with an empty --registry-cache names the dependency, the cache and the flag that helps", async () => {
    const { code, stdout, stderr } = await command.run(["--offline", "--registry-cache", "empty-cache"]);
    expect(code).toBe(command.failed);
    const said = stdout + stderr;
    expect(said).toMatch(/app\/manifest\.yaml(:7:5: error \[|",\s+"line": 7,)/);
    expect(said).toContain("dependency.unresolved");
    expect(said).toContain(
      `dependency acme-base: ${UNREACHABLE} is not in the registry cache (${join(root, "empty-cache")}) and fetching is off (--offline); point it at a local folder with --dependency <name>=<dir> (or SEMTRACE_DEPENDENCIES)`,
    );
  });

  it.each([
    [["--dependency", "foo"], "--dependency expects <key>=<dir>, found 'foo'"],
    [["--dependency", "acme-base="], "--dependency expects <key>=<dir>, found 'acme-base='"],
    [["--fetch-timeout", "0"], "--fetch-timeout expects a whole number of at least 1, found '0'"],
    [["--max-download-bytes", "1e6"], "--max-download-bytes expects a whole number of at least 1, found '1e6'"],
  ])("%j is a usage error (exit 2)", async (flags, message) => {
    const { code, stdout, stderr } = await command.run(flags);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      command.usage?.(message) ??
        `semtrace ${command.name}: ${message}\nRun 'semtrace ${command.name} --help' for usage.\n`,
    );
  });

  it("--help lists the flags with the generator's help", async () => {
    const { code, stdout } = await cli([command.name, "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain(dependencyHelp(command.column));
    for (const flag of ["--dependency <key>=<dir>", "--offline", "--registry-cache <dir>", "--fetch-timeout <n>"])
      expect(stdout).toContain(`  ${flag}`);
    // Its lines fit a terminal of 80 columns.
    expect(
      dependencyHelp(command.column)
        .split("\n")
        .filter((line) => line.length > 80),
    ).toEqual([]);
  });
});

it("a fetch cap given as a flag reaches the fetch: an archive over --max-extracted-bytes is refused", async () => {
  // A local archive is unpacked into the cache (no network): over the extracted-bytes cap, it is refused by id.
  const dir = tempDir("dependency-flags-archive");
  cpSync(join(root, "acme-base"), join(dir, "src", "acme-base"), { recursive: true });
  execFileSync("tar", ["-czf", join(dir, "acme-base.tar.gz"), "-C", join(dir, "src"), "acme-base"]);
  appRegistry(join(dir, "app"));
  const manifest = join(dir, "app", "manifest.yaml");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace(UNREACHABLE, "../acme-base.tar.gz"));
  let stdout = "";
  const code = await main(
    ["check", "--spec", "app", "--registry-cache", "cache", "--max-extracted-bytes", "10", "--reporter", "json"],
    { stdout: (s) => (stdout += s), stderr: () => {}, cwd: dir },
  );
  expect(code).toBe(1);
  const report = JSON.parse(stdout) as { diagnostics: { id: string; message: string }[] };
  expect(report.diagnostics.map((d) => d.id)).toContain("dependency.too-large");
  // Within the default caps the same archive is read: the flag, not the archive, refused it.
  const again = await main(["check", "--spec", "app", "--registry-cache", "cache", "--reporter", "json"], {
    stdout: () => {},
    stderr: () => {},
    cwd: dir,
  });
  expect(again).toBe(0);
});

it("check --baseline and diff --base read a registry at a git revision with its local folder dependency", async () => {
  const check = await cli(["check", "--spec", "app-local", "--baseline", "HEAD", "--reporter", "json"]);
  expect(check.stderr).toBe("");
  expect(check.code).toBe(0);
  expect(JSON.parse(check.stdout)).toEqual({
    spec: "app-local",
    baseline: "HEAD:app-local",
    errors: 0,
    warnings: 0,
    diagnostics: [],
  });
  const diff = await cli(["diff", "--base", "HEAD:app-local", "--spec", "app-local", "--format", "json"]);
  expect(diff.stderr).toBe("");
  expect(diff.code).toBe(0);
  expect((JSON.parse(diff.stdout) as { changes: unknown[] }).changes).toEqual([]);
});
