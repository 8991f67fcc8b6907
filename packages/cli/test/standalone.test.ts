/**
 * The built CLI installed alone (test/helpers/standalone.ts: its dependency closure and nothing else, so
 * @semtrace/codegen does not resolve, as after `npm install @semtrace/cli`):
 * - `semtrace validate` works with the built-in registries and with a spec directory, and loads no TypeScript
 *   compiler and no generator (every module the process loads is recorded by a loader hook);
 * - `semtrace generate` says exactly what to install and exits 2, writing nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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
      { name: "chat", attributes: { "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o", "llm.modle_name": "typo", "mycompany.tenant.id": "acme" } },
      { name: "chat gpt-4o", attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": "25" } },
    ]),
  );
});

/** Runs the installed bin from the install's folder; with `log`, records every module it loads there. */
function run(args: readonly string[], log?: string) {
  const result = spawnSync(process.execPath, [...(log ? ["--import", recordLoads] : []), install.bin, ...args], {
    cwd: install.root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", CI: "1", NODE_DISABLE_COMPILE_CACHE: "1", ...(log ? { SEMTRACE_LOAD_LOG: log } : {}) },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

it("installs the dependency closure and nothing that resolves the generator", () => {
  expect(install.dependencies).toEqual(["@datadog/sketches-js", "@semtrace/genai", "@semtrace/openinference", "@semtrace/runtime", "@semtrace/spec", "yaml"]);
  const require = createRequire(join(install.root, "node_modules/@semtrace/cli/package.json"));
  expect(() => require.resolve("@semtrace/codegen")).toThrow(/Cannot find module/);
  expect(() => require.resolve("typescript")).toThrow(/Cannot find module/);
});

describe("semtrace validate, installed alone", () => {
  it.each([
    // With one registry, the other registry's span lacks its kind.
    ["both built-in registries (the default)", [], ["key.unknown llm.modle_name", "value.type gen_ai.usage.input_tokens"]],
    ["genai (a span without gen_ai.operation.name is judged by the keys it owns; no span-kind finding unless --strict)", ["-r", "genai"], ["value.type gen_ai.usage.input_tokens"]],
    ["openinference + genai + a spec directory", ["-r", "openinference", "-r", "genai", "-r", mycompany], ["key.unknown llm.modle_name", "value.type gen_ai.usage.input_tokens"]],
  ])("%s: finds the errors, loading neither TypeScript nor the generator", (_name, flags, errors) => {
    const log = join(tempDir("alone-log"), "loads.txt");
    const { code, stdout, stderr } = run(["validate", "--reporter", "json", ...flags, spans], log);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { summary: { spans: number }; findings: { rule: string; key: string; severity: string }[] };
    expect(report.summary.spans).toBe(2);
    expect(report.findings.filter((f) => f.severity === "error").map((f) => `${f.rule} ${f.key}`).sort()).toEqual(errors);

    const loaded = readFileSync(log, "utf8").split("\n").filter(Boolean);
    // The hook saw the CLI's own modules, so an empty list of offenders means something.
    expect(loaded.some((url) => url.includes("/node_modules/@semtrace/cli/dist/"))).toBe(true);
    if (flags.includes(mycompany)) expect(loaded.some((url) => /\/(tools\/spec|@semtrace\/spec)\/dist\//.test(url))).toBe(true);
    expect(loaded.filter((url) => /\/(typescript|ts-morph|tools\/codegen|@semtrace\/codegen)\//.test(url))).toEqual([]);
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

  it("--help of the command needs the generator too, and says so", () => {
    const { code, stderr } = run(["generate", "--help"]);
    expect(stderr).toBe(codegenMissingMessage("generate"));
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
