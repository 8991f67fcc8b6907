/**
 * The built CLI installed alone (test/helpers/standalone.ts: its dependency closure and nothing else, so
 * @semtrace/codegen does not resolve, as after `npm install @semtrace/cli`):
 * - `semtrace validate` works with the built-in registries and with a spec directory, and loads no TypeScript
 *   compiler and no generator (every module the process loads is recorded by a loader hook);
 * - `semtrace check` and `semtrace diff` work from @semtrace/spec alone, loading no TypeScript and no generator;
 * - `semtrace generate` and `semtrace migrate` say exactly what to install and exit 2, writing nothing; so does
 *   `semtrace validate` of a spec directory whose dependency is an archive not yet in the registry cache (the
 *   generator unpacks archives).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { codegenMissingMessage } from "../src/codegen.js";
import { installAlone } from "./helpers/standalone.js";
import { tempDir } from "./helpers/tmp.js";

const recordLoads = fileURLToPath(new URL("./helpers/record-loads.mjs", import.meta.url));
const mycompany = fileURLToPath(new URL("../../openinference/test/fixtures/mycompany", import.meta.url));

let install: ReturnType<typeof installAlone>;
let spans: string;

beforeAll(() => {
  install = installAlone();
  const dir = tempDir("alone-input");
  spans = join(dir, "spans.json");
  writeFileSync(
    spans,
    JSON.stringify([
      {
        name: "chat",
        attributes: {
          "openinference.span.kind": "LLM",
          "llm.model_name": "gpt-4o",
          "llm.modle_name": "typo",
          "mycompany.tenant.id": "acme",
        },
      },
      {
        name: "chat gpt-4o",
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.usage.input_tokens": "25",
        },
      },
    ]),
  );
});

/** Runs the installed bin from the install's folder; with `log`, records every module it loads there. */
function run(args: readonly string[], log?: string) {
  const result = spawnSync(process.execPath, [...(log ? ["--import", recordLoads] : []), install.bin, ...args], {
    cwd: install.root,
    encoding: "utf8",
    env: {
      ...process.env,
      NO_COLOR: "1",
      CI: "1",
      NODE_DISABLE_COMPILE_CACHE: "1",
      ...(log ? { SEMTRACE_LOAD_LOG: log } : {}),
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

it("installs the dependency closure and nothing that resolves the generator", () => {
  expect(install.dependencies).toEqual([
    "@datadog/sketches-js",
    "@semtrace/genai",
    "@semtrace/openinference",
    "@semtrace/runtime",
    "@semtrace/spec",
    "yaml",
  ]);
  const require = createRequire(join(install.root, "node_modules/@semtrace/cli/package.json"));
  expect(() => require.resolve("@semtrace/codegen")).toThrow(/Cannot find module/);
  expect(() => require.resolve("typescript")).toThrow(/Cannot find module/);
});

describe("semtrace validate, installed alone", () => {
  it.each([
    // With one registry, the other registry's span lacks its kind.
    [
      "both built-in registries (the default)",
      [],
      ["key.unknown llm.modle_name", "value.type gen_ai.usage.input_tokens"],
    ],
    [
      "genai (a span without gen_ai.operation.name is judged by the keys it owns; no span-kind finding unless --strict)",
      ["-r", "genai"],
      ["value.type gen_ai.usage.input_tokens"],
    ],
    [
      "openinference + genai + a spec directory",
      ["-r", "openinference", "-r", "genai", "-r", mycompany],
      ["key.unknown llm.modle_name", "value.type gen_ai.usage.input_tokens"],
    ],
  ])("%s: finds the errors, loading neither TypeScript nor the generator", (_name, flags, errors) => {
    const log = join(tempDir("alone-log"), "loads.txt");
    const { code, stdout, stderr } = run(["validate", "--reporter", "json", ...flags, spans], log);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      summary: { spans: number };
      findings: { rule: string; key: string; severity: string }[];
    };
    expect(report.summary.spans).toBe(2);
    expect(
      report.findings
        .filter((f) => f.severity === "error")
        .map((f) => `${f.rule} ${f.key}`)
        .sort(),
    ).toEqual(errors);

    const loaded = readFileSync(log, "utf8").split("\n").filter(Boolean);
    // The hook saw the CLI's own modules, so an empty list of offenders means something.
    expect(loaded.some((url) => url.includes("/node_modules/@semtrace/cli/dist/"))).toBe(true);
    if (flags.includes(mycompany))
      expect(loaded.some((url) => /\/(tools\/spec|@semtrace\/spec)\/dist\//.test(url))).toBe(true);
    // Built-in registries only: no spec directory to read, so neither the loader nor its YAML parser is loaded.
    else expect(loaded.filter(isLoader)).toEqual([]);
    expect(loaded.filter((url) => /\/(typescript|ts-morph|tools\/codegen|@semtrace\/codegen)\//.test(url))).toEqual([]);
  });
});

/** @semtrace/spec's loader (its main and internal entries, not the light `./flags`) or the YAML parser. */
function isLoader(url: string): boolean {
  return /\/node_modules\/yaml\/|\/(tools\/spec|@semtrace\/spec)\/dist\/(index|internal)\./.test(url);
}

describe("--help of every command that reads a spec directory, installed alone", () => {
  it.each(["validate", "live-check", "stats", "check", "diff"])(
    "%s --help lists the dependency flags, loading neither the spec loader nor its YAML parser",
    (command) => {
      const log = join(tempDir("alone-log"), "loads.txt");
      const { code, stdout } = run([command, "--help"], log);
      expect(code).toBe(0);
      for (const flag of ["--dependency <key>=<dir>", "--offline", "--registry-cache <dir>", "--fetch-timeout <n>"])
        expect(stdout).toContain(flag);
      const loaded = readFileSync(log, "utf8").split("\n").filter(Boolean);
      expect(loaded.some((url) => url.includes("/node_modules/@semtrace/cli/dist/"))).toBe(true);
      expect(loaded.some((url) => /\/(tools\/spec|@semtrace\/spec)\/dist\/flags\./.test(url))).toBe(true);
      expect(loaded.filter(isLoader)).toEqual([]);
    },
  );
});

/** Every module a run loaded that belongs to the TypeScript compiler or the generator (none may). */
function heavyLoads(log: string): string[] {
  const loaded = readFileSync(log, "utf8").split("\n").filter(Boolean);
  expect(loaded.some((url) => url.includes("/node_modules/@semtrace/cli/dist/"))).toBe(true);
  expect(loaded.some((url) => /\/(tools\/spec|@semtrace\/spec)\/dist\//.test(url))).toBe(true);
  return loaded.filter((url) => /\/(typescript|ts-morph|tools\/codegen|@semtrace\/codegen)\//.test(url));
}

describe("semtrace check and diff, installed alone", () => {
  it("check validates a registry, loading neither TypeScript nor the generator", () => {
    const log = join(tempDir("alone-log"), "loads.txt");
    const { code, stdout, stderr } = run(["check", "--spec", mycompany, "--reporter", "json"], log);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ errors: 0 });
    expect(heavyLoads(log)).toEqual([]);
  });

  it("diff classifies a change between two directories, loading neither TypeScript nor the generator", () => {
    const head = join(tempDir("alone-head"), "mycompany");
    cpSync(mycompany, head, { recursive: true });
    const registry = join(head, "registry.yaml");
    const text = readFileSync(registry, "utf8");
    const added =
      "      - id: mycompany.region\n        type: string\n        brief: Region that served the request.\n        stability: development\n";
    writeFileSync(
      registry,
      text.replace("      - id: mycompany.tenant.id\n", `${added}      - id: mycompany.tenant.id\n`),
    );
    const log = join(tempDir("alone-log"), "loads.txt");
    const { code, stdout, stderr } = run(["diff", "--base", mycompany, "--spec", head, "--format", "json"], log);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      bump: string;
      changes: { bump: string; subject: string; kind: string; id: string }[];
    };
    expect(report.bump).toBe("minor");
    expect(report.changes.map((c) => `${c.bump} ${c.subject} ${c.kind} ${c.id}`)).toContain(
      "minor attribute added mycompany.region",
    );
    expect(heavyLoads(log)).toEqual([]);
  });
});

describe("semtrace generate, installed without @semtrace/codegen", () => {
  it("says exactly what to install and exits 2, writing nothing", () => {
    const out = join(install.root, "generated");
    const { code, stdout, stderr } = run(["generate", "--spec", mycompany, "--out", out]);
    expect(stdout).toBe("");
    expect(stderr).toBe(codegenMissingMessage("generate"));
    expect(stderr).toContain('npm install --save-dev "@semtrace/codegen@^0.0.0"');
    expect(code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it("migrate says exactly what to install and exits 2, changing nothing", () => {
    const file = join(tempDir("alone-migrate"), "app.ts");
    const text =
      'import { ATTR_GEN_AI_USAGE_PROMPT_TOKENS } from "@semtrace/genai";\nexport const key = ATTR_GEN_AI_USAGE_PROMPT_TOKENS;\n';
    writeFileSync(file, text);
    const { code, stdout, stderr } = run(["migrate", file]);
    expect(stdout).toBe("");
    expect(stderr).toBe(codegenMissingMessage("migrate"));
    expect(stderr).toContain('npm install --save-dev "@semtrace/codegen@^0.0.0"');
    expect(code).toBe(2);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("--help of the command needs the generator too, and says so", () => {
    const { code, stderr } = run(["generate", "--help"]);
    expect(stderr).toBe(codegenMissingMessage("generate"));
    expect(code).toBe(2);
  });

  it("validate of a spec directory with an uncached archive dependency says what unpacks it, and exits 2", () => {
    const dir = tempDir("alone-archive-dep");
    writeFileSync(join(dir, "base.zip"), "not read: the unpacker is missing before the archive is opened");
    mkdirSync(join(dir, "app"));
    writeFileSync(
      join(dir, "app", "manifest.yaml"),
      "name: app\nschema_url: https://example.com/app/1.0.0\ndependencies:\n  - schema_url: https://example.com/base/1.0.0\n    registry_path: ../base.zip\n",
    );
    writeFileSync(
      join(dir, "app", "registry.yaml"),
      "groups:\n  - id: registry.app\n    type: attribute_group\n    brief: App.\n    attributes:\n      - id: app.feature\n        type: string\n        brief: Feature.\n",
    );
    const { code, stdout, stderr } = run(
      ["validate", "-r", join(dir, "app"), spans],
      join(tempDir("alone-log"), "loads.txt"),
    );
    expect(stdout).toBe("");
    expect(stderr).toContain("app/manifest.yaml:4:5: error [dependency.unresolved]");
    expect(stderr).toContain(
      'unpacking the archive ../base.zip needs the generator, @semtrace/codegen, which is not installed (npm install --save-dev "@semtrace/codegen@^0.0.0")',
    );
    expect(code).toBe(2);
  });

  it("validate's --help and the command list still work", () => {
    const help = run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("generate");
    expect(help.stdout).toContain("needs @semtrace/codegen");
    expect(run(["validate", "--help"]).code).toBe(0);
  });
});
