/**
 * Drop-in at the type level: code written against the upstream `@arizeai/openinference-semantic-conventions`
 * that handles every member of an enum — an exhaustive `switch` ending in a `never` check, a
 * `Record<Enum, …>` listing every member — must compile against `@semtrace/openinference` unchanged. One
 * such file is generated from the upstream package's own declarations (every `enum` it exports, every
 * member) and type-checked against both packages with the real compiler; an extra or a missing member on
 * our side fails it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const UPSTREAM = "@arizeai/openinference-semantic-conventions";

/** The upstream package's ESM type declarations (its entry point, `.d.ts` beside the `.js`). */
const UPSTREAM_TYPES = createRequire(import.meta.url)
  .resolve(UPSTREAM)
  .replace(/\.js$/, ".d.ts");

/** Every `export declare enum` of the upstream package's types, with its members in order. */
function upstreamEnums(): { name: string; members: string[] }[] {
  const types = join(dirname(UPSTREAM_TYPES), "trace/SemanticConventions.d.ts");
  const source = ts.createSourceFile(types, readFileSync(types, "utf8"), ts.ScriptTarget.ES2022, true);
  const out: { name: string; members: string[] }[] = [];
  for (const statement of source.statements) {
    if (ts.isEnumDeclaration(statement))
      out.push({ name: statement.name.text, members: statement.members.map((m) => m.name.getText(source)) });
  }
  return out;
}

/** A module that handles every member of every enum: an exhaustive switch and a full Record each. */
function usage(from: string, enums: readonly { name: string; members: readonly string[] }[]): string {
  const lines = [`import { ${enums.map((e) => e.name).join(", ")} } from ${JSON.stringify(from)};`, ""];
  for (const { name, members } of enums) {
    lines.push(`export function describe${name}(value: ${name}): string {`, "  switch (value) {");
    for (const m of members) lines.push(`    case ${name}.${m}:`, `      return ${JSON.stringify(m)};`);
    lines.push(
      "    default: {",
      "      const unreachable: never = value;",
      "      return unreachable;",
      "    }",
      "  }",
      "}",
      "",
    );
    lines.push(
      `export const ${name.toLowerCase()}Rank: Record<${name}, number> = {`,
      ...members.map((m, i) => `  [${name}.${m}]: ${i},`),
      "};",
      "",
    );
  }
  return lines.join("\n");
}

const RUNTIME = join(here, "../../runtime/src");
const dir = mkdtempSync(join(tmpdir(), "semtrace-dropin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Type errors of `text` compiled strictly as an ES module; our packages resolve to their sources. */
function typeErrors(text: string): string[] {
  const file = join(dir, `usage-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }');
  writeFileSync(file, text);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
    // The upstream package from its installed declarations; ours from source (no build needed).
    baseUrl: here,
    paths: {
      [UPSTREAM]: [UPSTREAM_TYPES],
      "@semtrace/openinference": [join(here, "../src/index.ts")],
      "@semtrace/runtime": [join(RUNTIME, "index.ts")],
      "@semtrace/runtime/internal": [join(RUNTIME, "internal.ts")],
    },
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));
}

describe("exhaustive code over upstream's enums compiles against both packages", () => {
  const enums = upstreamEnums();

  it("reads the upstream enums", () => {
    // Guards against a parse that finds nothing, which would make the checks below vacuous.
    expect(enums.map((e) => e.name)).toEqual(
      expect.arrayContaining(["OpenInferenceSpanKind", "MimeType", "LLMSystem", "LLMProvider", "AnnotatorKind"]),
    );
    expect(enums.find((e) => e.name === "OpenInferenceSpanKind")?.members).toContain("LLM");
  });

  it.each([UPSTREAM, "@semtrace/openinference"])(
    "against %s",
    (from) => {
      expect(typeErrors(usage(from, enums))).toEqual([]);
    },
    60_000,
  );

  it("an extra member on our side would fail it: the registry's own enum keeps `UNKNOWN`", () => {
    const spanKind = enums.find((e) => e.name === "OpenInferenceSpanKind")!;
    const own = usage("@semtrace/openinference", [spanKind]).replaceAll(
      "OpenInferenceSpanKind",
      "OpenInferenceSpanKindValues",
    );
    expect(typeErrors(own).join("\n")).toMatch(/"UNKNOWN"/);
  }, 60_000);
});
