/**
 * A spec directory given as `--registry` is loaded by the generator's loader, within the same caps as
 * `semtrace generate` (`--max-yaml-bytes`, `--max-yaml-nodes`, `--max-yaml-depth`): a hostile one is a usage
 * error (exit 2) naming the file and the place, never a crash or an exhausted machine.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { yamlLimitsHelp } from "@semtrace/spec/flags";
import { describe, expect, it } from "vitest";
import { runLiveCheckCommand, LIVE_CHECK_HELP } from "../src/validate/live-check.js";
import { runValidateCommand, VALIDATE_HELP } from "../src/validate/command.js";
import { tempDir } from "./helpers/tmp.js";

const built = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

function bomb(): string {
  const out = ['x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 9; i++)
    out.push(
      `x${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(",")}]`,
    );
  return `${out.join("\n")}\n`;
}

/** A valid registry whose one group carries annotations nested `depth` deep (4 levels above them). */
function deepRegistry(depth: number): string {
  return [
    "groups:",
    "  - id: registry.mycompany",
    "    type: attribute_group",
    "    brief: MyCompany attributes.",
    `    annotations: { notes: ${"[".repeat(depth)}${"]".repeat(depth)} }`,
    "    attributes:",
    "      - { id: mycompany.tenant.id, type: string, brief: Tenant. }",
    "",
  ].join("\n");
}

function specDir(registry: string): string {
  const dir = tempDir("spec-limits");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "manifest.yaml"), "name: mycompany\nowns: [mycompany]\ncodegen:\n  naming: otel\n");
  writeFileSync(join(dir, "registry.yaml"), registry);
  return dir;
}

function spans(): string {
  const file = join(tempDir("spec-limits-in"), "in.jsonl");
  const attributes = [{ key: "mycompany.tenant.id", value: { stringValue: "t-1" } }];
  writeFileSync(
    file,
    `${JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "00f067aa0ba902b7", name: "s", attributes }] }] }] })}\n`,
  );
  return file;
}

async function validate(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runValidateCommand(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: "/",
    progress: false,
    color: false,
  });
  return { code, stdout, stderr };
}

describe("semtrace validate --registry <spec dir> within the generator's caps", () => {
  it("the alias bomb is a usage error naming the file, the place and the cap", async () => {
    const spec = specDir(bomb());
    const { code, stdout, stderr } = await validate(["--registry", spec, spans()]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `semtrace validate: the registry at ${spec} has 1 error(s):\n  ${spec}/registry.yaml:6:14: error [yaml.too-many-nodes] more than 150000 YAML nodes in one file: alias \`*a4\` brings it to 207600 once expanded (--max-yaml-nodes)\n`,
    );
  });

  it("50,000-deep nesting is a usage error, not a stack overflow", async () => {
    const spec = specDir(`groups: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`);
    const { code, stderr } = await validate(["--registry", spec, spans()]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `${spec}/registry.yaml:1:264: error [yaml.too-deep] sequences and mappings nested more than 256 deep (--max-yaml-depth)`,
    );
  });

  it("the flags reach the loader: a registry deeper than the default cap validates with --max-yaml-depth raised", async () => {
    const spec = specDir(deepRegistry(300));
    const input = spans();
    const refused = await validate(["--registry", spec, input]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/registry\.yaml:5:\d+: error \[yaml\.too-deep\]/);
    const accepted = await validate(["--registry", spec, "--max-yaml-depth", "400", input]);
    expect(accepted.stderr).toBe("");
    expect(accepted.code).toBe(0);
    expect(
      (await validate(["--registry", spec, "--max-yaml-depth", "400", "--max-yaml-nodes", "5", input])).stderr,
    ).toMatch(/error \[yaml\.too-many-nodes\] more than 5 YAML nodes/);
    expect(
      (await validate(["--registry", spec, "--max-yaml-depth", "400", "--max-yaml-bytes", "50", input])).stderr,
    ).toMatch(/error \[yaml\.too-large\] file of \d+ bytes, over the 50 bytes/);
  }, 60_000);

  it.each([
    ["--max-yaml-nodes", "0", "--max-yaml-nodes expects a whole number from 1 to 2^53 - 1, found '0'"],
    ["--max-yaml-bytes", "lots", "--max-yaml-bytes expects a whole number from 1 to 2^53 - 1, found 'lots'"],
    ["--max-yaml-depth", "1000", "--max-yaml-depth expects a whole number from 1 to 512, found '1000'"],
  ])("%s %s is a usage error, also with built-in registries only", async (flag, value, message) => {
    const { code, stderr } = await validate([flag, value, "/dev/null"]);
    expect(code).toBe(2);
    expect(stderr).toBe(`semtrace validate: ${message}\nRun 'semtrace validate --help' for usage.\n`);
  });
});

describe("semtrace live-check --registry <spec dir> within the generator's caps", () => {
  it("the alias bomb stops it before it listens (exit 2)", async () => {
    const spec = specDir(bomb());
    let stderr = "";
    let listened = false;
    const code = await runLiveCheckCommand(["--port", "0", "--grpc-port", "0", "--registry", spec], {
      stdout: () => {},
      stderr: (s) => (stderr += s),
      cwd: "/",
      color: false,
      onListening: () => (listened = true),
    });
    expect(code).toBe(2);
    expect(listened).toBe(false);
    expect(stderr).toContain(`${spec}/registry.yaml:6:14: error [yaml.too-many-nodes]`);
  });

  it("a bad cap is a usage error", async () => {
    let stderr = "";
    const code = await runLiveCheckCommand(["--port", "0", "--max-yaml-depth", "x"], {
      stdout: () => {},
      stderr: (s) => (stderr += s),
      cwd: "/",
      color: false,
    });
    expect(code).toBe(2);
    expect(stderr).toBe(
      "semtrace live-check: --max-yaml-depth expects a whole number from 1 to 512, found 'x'\nRun 'semtrace live-check --help' for usage.\n",
    );
  });
});

describe("help", () => {
  it("validate and live-check document the caps with the generator's own help", () => {
    expect(VALIDATE_HELP).toContain(yamlLimitsHelp(30));
    expect(LIVE_CHECK_HELP).toContain(yamlLimitsHelp(30));
    expect(yamlLimitsHelp(30)).toMatch(/--max-yaml-depth <n> +Deepest nesting/);
  });
});

describe("the built bin: peak memory on the alias bomb", () => {
  it("exists: run `npm run build` first (turbo's test task does)", () => {
    expect(existsSync(built), `${built} is missing`).toBe(true);
  });

  it("`semtrace validate --registry <bomb>` exits 2 within 200 MiB (before the caps: out of memory)", () => {
    const spec = specDir(bomb());
    const report =
      "process.on('exit', () => process.stderr.write('\\npeak-rss ' + process.resourceUsage().maxRSS + '\\n'))";
    const result = spawnSync(
      process.execPath,
      [
        "--import",
        `data:text/javascript,${encodeURIComponent(report)}`,
        built,
        "validate",
        "--registry",
        spec,
        spans(),
      ],
      { encoding: "utf8" },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("error [yaml.too-many-nodes]");
    const peakMiB = Number(/\npeak-rss (\d+)\n/.exec(result.stderr)?.[1]) / 1024;
    expect(peakMiB, `peak RSS ${peakMiB.toFixed(0)} MiB`).toBeLessThan(200);
  }, 60_000);
});
