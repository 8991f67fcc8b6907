/**
 * The import boundaries of biome.jsonc catch what they are meant to catch. Each case is one import in a file at a
 * path of the repository's layout, laid out in a temporary copy of that layout with the repository's own
 * biome.jsonc, and linted with the repository's Biome: a boundary that stops matching (a moved folder, a rule
 * dropped or overridden by a later block of the config) fails here rather than letting the import through.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./workspaces.js";

/** `null`: allowed; otherwise a fragment of the rule's message, which says why the import is refused. */
type Expected = string | null;

const RUNTIME = "imports only its own modules";
const GENERATED = "generated code imports only the runtime";
const SPEC_HEAVY = "@semtrace/spec needs only yaml";
const SPEC_ABOVE = "above @semtrace/spec in the pipeline";
const CLI = "must not load with the CLI";
const PRIVATE = "private tool of this repository";

const CASES: readonly [file: string, source: string, expected: Expected][] = [
  // The runtime is the bottom of the graph: no other @semtrace package, no dependency, no Node module.
  ["packages/runtime/src/a.ts", 'import { traceLLM } from "@semtrace/core";', RUNTIME],
  ["packages/runtime/src/b.ts", 'import type { Attributes } from "@semtrace/openinference";', RUNTIME],
  ["packages/runtime/src/c.ts", 'export { RULES } from "@semtrace/genai";', RUNTIME],
  ["packages/runtime/src/d.ts", 'import { readFileSync } from "node:fs";', RUNTIME],
  ["packages/runtime/src/e.ts", 'import { parse } from "yaml";', RUNTIME],
  ["packages/runtime/src/deep/f.ts", 'const spec = await import("@semtrace/spec");', RUNTIME],
  ["packages/runtime/src/g.ts", 'import { RULES } from "@semtrace/runtime/internal";', null],
  ["packages/runtime/src/h.ts", 'import { describeValue } from "./checks.js";', null],
  ["packages/runtime/src/deep/i.ts", 'import { RULES } from "../findings.js";', null],
  // Generated code, in every package and in the generator's golden files: the runtime and its own files only.
  ["packages/openinference/src/generated/a.ts", 'import { z } from "zod";', GENERATED],
  ["packages/genai/src/generated/b.ts", 'import { traceLLM } from "@semtrace/core";', GENERATED],
  ["packages/genai/src/generated/c.ts", 'import { GEN_AI_SYSTEM } from "@semtrace/genai";', GENERATED],
  ["packages/openinference/src/generated/d.ts", 'import { inspect } from "node:util";', GENERATED],
  ["tools/codegen/test/__golden__/acme/e.ts", 'import { emit } from "@semtrace/codegen";', GENERATED],
  ["packages/openinference/src/generated/f.ts", 'import { createValidator } from "@semtrace/runtime";', null],
  ["packages/genai/src/generated/g.ts", 'import { checkType } from "@semtrace/runtime/internal";', null],
  ["packages/genai/src/generated/h.ts", 'import type { AttributeKey } from "./types.js";', null],
  ["packages/core/src/generated/i.ts", 'import type { PriceTable } from "../cost.js";', null],
  ["tools/codegen/test/__golden__/acme/j.ts", 'import { checkType } from "@semtrace/runtime/internal";', null],
  // @semtrace/spec: yaml and the runtime, never TypeScript or anything above it.
  ["tools/spec/src/a.ts", 'import ts from "typescript";', SPEC_HEAVY],
  ["tools/spec/src/b.ts", 'import { Project } from "ts-morph";', SPEC_HEAVY],
  ["tools/spec/src/c.ts", 'import { generate } from "@semtrace/codegen";', SPEC_ABOVE],
  ["tools/spec/src/d.ts", 'import { runValidateCommand } from "@semtrace/cli";', SPEC_ABOVE],
  ["tools/spec/src/e.ts", 'import { parseDocument } from "yaml";', null],
  ["tools/spec/src/f.ts", 'import { RULES } from "@semtrace/runtime";', null],
  ["tools/spec/src/g.ts", 'import { loadSpec } from "@semtrace/spec/internal";', null],
  // The CLI installs light: the generator and TypeScript are never loaded with it (src/codegen.ts's on-demand
  // import carries the one suppression).
  ["packages/cli/src/a.ts", 'import { generate } from "@semtrace/codegen";', CLI],
  ["packages/cli/src/b.ts", 'const codegen = await import("@semtrace/codegen");', CLI],
  ["packages/cli/src/c.ts", 'import type { Pipeline } from "@semtrace/codegen";', CLI],
  ["packages/cli/src/d.ts", 'import ts from "typescript";', CLI],
  ["packages/cli/src/e.ts", 'import { run } from "@semtrace/bench";', PRIVATE],
  ["packages/cli/src/f.ts", 'import { loadSpec } from "@semtrace/spec";', null],
  ["packages/cli/test/g.ts", 'import { generate } from "@semtrace/codegen";', null],
  // Published code never depends on the repository's private tools.
  ["packages/core/src/a.ts", 'import { capture } from "@semtrace/real-spans";', PRIVATE],
  ["packages/testing/src/b.ts", 'import { workspaces } from "@semtrace/repo-checks";', PRIVATE],
  ["tools/codegen/src/c.ts", 'import { demo } from "@semtrace/demo";', PRIVATE],
  ["packages/core/src/d.ts", 'import { createValidator } from "@semtrace/runtime";', null],
  ["packages/core/test/e.ts", 'import { capture } from "@semtrace/real-spans";', null],
];

/** One diagnostic of Biome's `github` reporter: `::error title=<rule>,file=<path>,line=…::<message>`. */
interface Diagnostic {
  readonly rule: string;
  readonly file: string;
  readonly message: string;
}

let root: string;
let diagnostics: Diagnostic[];

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "semtrace-lint-boundaries-")));
  copyFileSync(join(repoRoot, "biome.jsonc"), join(root, "biome.jsonc"));
  copyFileSync(join(repoRoot, ".gitignore"), join(root, ".gitignore"));
  for (const [file, source] of CASES) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), `${source}\n`);
  }
  const biome = join(repoRoot, "node_modules/@biomejs/biome/bin/biome");
  const run = spawnSync(
    process.execPath,
    [biome, "lint", "--reporter=github", "--only=style/noRestrictedImports", "--max-diagnostics=none", "."],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  if (run.error) throw run.error;
  diagnostics = [...run.stdout.matchAll(/^::(?:error|warning) title=([^,]+),file=([^,]+),line=\d+[^:]*::(.*)$/gm)].map(
    (m) => ({
      rule: m[1]!,
      file: m[2]!.slice(root.length + 1),
      message: m[3]!,
    }),
  );
  // Biome exits 1 when it reports an error, 0 when it reports none; anything else (a config it cannot read) is a
  // failure of the setup, not a verdict.
  expect(run.status, `biome lint: ${run.stderr}`).toBe(diagnostics.length > 0 ? 1 : 0);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("biome.jsonc's import boundaries", () => {
  it.each(CASES)("%s: %s", (file, _source, expected) => {
    const found = diagnostics.filter((d) => d.file === file);
    if (expected === null) {
      expect(found).toEqual([]);
    } else {
      expect(found.map((d) => d.rule)).toEqual(["lint/style/noRestrictedImports"]);
      expect(found[0]!.message).toContain(expected);
    }
  });

  it("reports nothing for a file no case wrote", () => {
    expect(diagnostics.filter((d) => !CASES.some(([file]) => file === d.file))).toEqual([]);
  });
});
