/**
 * `semtrace migrate` on a fixture project (test/fixtures/migrate-project: TypeScript, ES module and CommonJS
 * JavaScript, and a file that does not parse) against the real upstream packages
 * (@opentelemetry/semantic-conventions 1.44.0, @arizeai/openinference-semantic-conventions 2.12.0) and ours.
 * The project compiles with tsc (strict, checkJs) before and after; the dry run's diff, applied with `git apply`,
 * is exactly what the real run writes; the CommonJS module reads the new keys when run.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, run } from "./helpers/spec-repo.js";
import { tempDir } from "./helpers/tmp.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/migrate-project", import.meta.url));
const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** A copy of the fixture project that resolves packages from the repository's node_modules. */
function project(): string {
  const root = path.join(tempDir("migrate"), "project");
  cpSync(FIXTURE, root, { recursive: true });
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  return root;
}

function tsc(root: string): { code: number | null; output: string } {
  const r = spawnSync(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: root, encoding: "utf8" });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Every file of the project's src/ → its text. */
function sources(root: string): Map<string, string> {
  const dir = path.join(root, "src");
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name), "utf8")]));
}

let root: string;
let before: Map<string, string>;
let dry: Awaited<ReturnType<typeof run>>;
let real: Awaited<ReturnType<typeof run>>;
let after: Map<string, string>;
let builders: { before: { ino: number; mode: number }; after: { ino: number; mode: number } };

beforeAll(async () => {
  root = project();
  const file = path.join(root, "src/builders.ts");
  chmodSync(file, 0o640);
  const stat = () => ({ ino: statSync(file).ino, mode: statSync(file).mode & 0o777 });
  before = sources(root);
  const untouched = stat();
  dry = await run(root, "migrate", "--dry-run", "src");
  expect(stat()).toEqual(untouched);
  real = await run(root, "migrate", "src");
  builders = { before: untouched, after: stat() };
  after = sources(root);
}, 300_000);

describe("semtrace migrate on the fixture project", () => {
  it("the project compiles before (strict, with its JavaScript checked)", () => {
    const fresh = project();
    const result = tsc(fresh);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 300_000);

  it("and after", () => {
    const result = tsc(root);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 300_000);

  it("reports the file it cannot parse with its place, leaves it untouched, and exits 1", () => {
    expect(real.stderr).toContain(
      "src/broken.ts:3:55: error: cannot parse this file (Property assignment expected.); left untouched",
    );
    expect(after.get("broken.ts")).toBe(before.get("broken.ts"));
    expect(real.code).toBe(1);
    expect(real.stderr).toContain("semtrace migrate: 11 files read, changed 9, 4 messages above");
  });

  it("says what it left for the user: a field given twice, a star re-export only part of which moves", () => {
    expect(real.stderr).toMatch(
      /src\/builders\.ts:\d+:\d+: warning: `usage\.promptTokens` \(gen_ai\.usage\.prompt_tokens, renamed to gen_ai\.usage\.input_tokens\) is given next to `usage\.inputTokens`/,
    );
    expect(real.stderr).toContain(
      'src/star.ts:2:1: warning: `export * from "@opentelemetry/semantic-conventions/incubating";` re-exports names @semtrace/genai does not have',
    );
    expect(after.get("star.ts")).toBe(before.get("star.ts"));
    expect(real.stderr).toMatch(
      /src\/dynamic\.mjs:17:22: warning: import\("@opentelemetry\/semantic-conventions\/incubating"\) is used in a way migrate does not follow; left as it is \(only part of it moves to @semtrace\/genai\)/,
    );
  });

  it("the dry run writes nothing and prints a unified diff that git applies to exactly what the real run writes", () => {
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain("would change 9");
    const copy = project();
    expect(sources(copy)).toEqual(before);
    const patch = path.join(path.dirname(copy), "migrate.patch");
    writeFileSync(patch, dry.stdout);
    execFileSync("git", ["apply", patch], {
      cwd: copy,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
    });
    expect(sources(copy)).toEqual(after);
    expect(dry.stdout).toMatch(/^--- a\/src\/app\.mjs\n\+\+\+ b\/src\/app\.mjs\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
  });

  it("writes each file atomically (a new file renamed over the old one, its mode kept) and leaves no temporary file", () => {
    expect(builders.after.ino).not.toBe(builders.before.ino);
    expect(builders.after.mode).toBe(0o640);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  });

  it.each([
    [
      "constants.ts",
      "upstream gen_ai constants move to @semtrace/genai, the rest stays",
      [
        '} from "@opentelemetry/semantic-conventions/incubating";',
        'import { ATTR_GEN_AI_REQUEST_MODEL, ATTR_GEN_AI_USAGE_INPUT_TOKENS as PROMPT, ATTR_GEN_AI_REQUEST_SEED, GEN_AI_SYSTEM_VALUE_GCP_VERTEX_AI } from "@semtrace/genai";',
        "  ATTR_SERVER_ADDRESS\n",
      ],
    ],
    [
      "constants.ts",
      "import type stays type-only",
      ['import type { ATTR_GEN_AI_OPERATION_NAME } from "@semtrace/genai";'],
    ],
    [
      "constants.ts",
      "a shorthand property keeps its name, a local export its exported name",
      [
        "{ ATTR_GEN_AI_OPENAI_REQUEST_SEED: ATTR_GEN_AI_REQUEST_SEED }",
        "export { ATTR_GEN_AI_REQUEST_SEED as ATTR_GEN_AI_OPENAI_REQUEST_SEED };",
        "  return ATTR_GEN_AI_REQUEST_SEED;\n",
      ],
    ],
    [
      "constants.ts",
      "a parameter of the same name is left alone",
      [
        "export function shadow(ATTR_GEN_AI_OPENAI_REQUEST_SEED: number): number {\n  return ATTR_GEN_AI_OPENAI_REQUEST_SEED + 1;",
      ],
    ],
    ["constants.ts", "a renamed enum member", ["export const vertex: string = GEN_AI_SYSTEM_VALUE_GCP_VERTEX_AI;"]],
    [
      "namespace.ts",
      "a namespace only part of which moves gets a second one",
      [
        'import * as semconvGenAI from "@semtrace/genai";',
        "[semconvGenAI.ATTR_GEN_AI_REQUEST_MODEL]",
        "[semconv.ATTR_HTTP_REQUEST_METHOD]",
        "[semconvGenAI.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]",
      ],
    ],
    [
      "genai-namespace.ts",
      "a namespace used only for gen_ai constants is replaced (quotes kept)",
      ["import * as conventionsGenAI from '@semtrace/genai';", "conventionsGenAI.GEN_AI_OPERATION_NAME_VALUE_CHAT"],
    ],
    [
      "openinference.ts",
      "@arizeai/openinference-semantic-conventions is a drop-in: named, aliased, namespace and type imports",
      [
        'import { SemanticConventions, OpenInferenceSpanKind as Kind } from "@semtrace/openinference";',
        'import * as oi from "@semtrace/openinference";',
        'import type { MimeType } from "@semtrace/openinference";',
      ],
    ],
    [
      "reexports.ts",
      "re-exports keep their exported names",
      [
        'export { ATTR_GEN_AI_OPERATION_NAME, ATTR_GEN_AI_USAGE_INPUT_TOKENS as PROMPT_TOKENS, ATTR_GEN_AI_REQUEST_SEED as ATTR_GEN_AI_OPENAI_REQUEST_SEED } from "@semtrace/genai";',
        'export * from "@semtrace/openinference";',
      ],
    ],
    [
      "builders.ts",
      "builder fields renamed in place and moved to the new field's object",
      [
        'request: { model: "gpt-4o", seed: 7 },',
        "usage: { inputTokens: 12, outputTokens: 3 }",
        "{ usage: { inputTokens: promptTokens } }",
        "export const key = ATTR_GEN_AI_USAGE_INPUT_TOKENS;",
      ],
    ],
    ["app.mjs", "a builder call in JavaScript", ["buildInferenceAttributes({ usage: { outputTokens: 4 } })"]],
    [
      "dynamic.mjs",
      "awaited dynamic imports: destructuring split, a namespace-like binding, a drop-in",
      [
        'const { ATTR_SERVER_ADDRESS } = await import("@opentelemetry/semantic-conventions/incubating");',
        'const { ATTR_GEN_AI_REQUEST_MODEL } = await import("@semtrace/genai");',
        'const semconvGenAI = await import("@semtrace/genai");',
        'await import("@semtrace/openinference")',
        'export const later = import("@opentelemetry/semantic-conventions/incubating")',
      ],
    ],
    [
      "legacy.cjs",
      "CommonJS destructuring split, a namespace-like require, a drop-in",
      [
        'const { ATTR_SERVER_ADDRESS: server } = require("@opentelemetry/semantic-conventions/incubating");',
        'const { ATTR_GEN_AI_REQUEST_MODEL, ATTR_GEN_AI_USAGE_INPUT_TOKENS } = require("@semtrace/genai");',
        'const semconvGenAI = require("@semtrace/genai");',
        'require("@semtrace/openinference")',
      ],
    ],
  ])("%s: %s", (file, _what, snippets) => {
    const text = after.get(file)!;
    for (const snippet of snippets) expect(text).toContain(snippet);
  });

  it("no gen_ai constant is read from upstream any more, nor anything from @arizeai (but in the star re-export)", () => {
    const upstream =
      /(?:import|export)[^;]*?from\s*["']@opentelemetry\/semantic-conventions\/incubating["']|=\s*require\(["']@opentelemetry\/semantic-conventions\/incubating["']\)/g;
    for (const [file, text] of after) {
      if (file === "broken.ts" || file === "star.ts") continue;
      expect(text, file).not.toContain("@arizeai/openinference-semantic-conventions");
      for (const statement of text.match(upstream) ?? []) expect(statement, file).not.toMatch(/GEN_AI/);
      expect(text, file).not.toMatch(/\bsemconv\.(ATTR_GEN_AI|GEN_AI)_/);
    }
  });

  it("the migrated module of dynamic imports reads the renamed keys when run", () => {
    const out = execFileSync(
      process.execPath,
      ["--input-type=module", "-e", "console.log(JSON.stringify((await import('./src/dynamic.mjs')).keys))"],
      { cwd: root, encoding: "utf8" },
    );
    expect(JSON.parse(out)).toEqual({
      model: "gen_ai.request.model",
      server: "server.address",
      completion: "gen_ai.usage.output_tokens",
      method: "http.request.method",
      kind: "openinference.span.kind",
    });
  });

  it("the migrated CommonJS module reads the renamed keys when run", () => {
    const out = execFileSync(process.execPath, ["-e", "console.log(JSON.stringify(require('./src/legacy.cjs')))"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(JSON.parse(out)).toEqual({
      model: "gen_ai.request.model",
      server: "server.address",
      prompt: "gen_ai.usage.input_tokens",
      completion: "gen_ai.usage.output_tokens",
      method: "http.request.method",
      kind: "openinference.span.kind",
    });
  });

  it("a second run over the migrated files changes nothing", async () => {
    const again = await run(
      root,
      "migrate",
      "--dry-run",
      ...[...after.keys()].filter((f) => f !== "broken.ts").map((f) => `src/${f}`),
    );
    expect(again.stdout).toBe("");
    expect(again.stderr).toContain("would change 0");
  }, 300_000);

  it("usage errors exit 2: no path, a path that does not exist", async () => {
    expect((await run(root, "migrate")).code).toBe(2);
    const missing = await run(root, "migrate", "nope");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope: no such file or directory");
  });
});
