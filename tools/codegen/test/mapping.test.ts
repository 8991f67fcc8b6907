/**
 * Mapping files (spec/mappings): the shipped mapping builds without diagnostics, and every kind of mistake in a
 * mapping is a diagnostic with its id at the file:line:col of the mistake (table-driven over edits of the real file).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildMappingFromText } from "../src/mapping/build.js";
import { formatDiagnostic } from "@semtrace/spec";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, "../../..");
const FILE = "spec/mappings/openinference-genai.yaml";
const text = readFileSync(path.join(repo, FILE), "utf8");

/** The 1-based line and column of the first occurrence of `needle` in `source`. */
function position(source: string, needle: string): { line: number; col: number } {
  const at = source.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in the mapping`);
  const before = source.slice(0, at).split("\n");
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

describe("the shipped mapping", () => {
  it("builds with no diagnostics into translate.ts and index.ts", async () => {
    const built = await buildMappingFromText(FILE, text, { cwd: repo });
    expect(built.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect([...built.files.keys()].sort()).toEqual(["index.ts", "translate.ts"]);
    // The registry's renamed deprecations are added to the ones the file names.
    expect(built.plan!.deprecated.map((d) => d.key)).toEqual(
      expect.arrayContaining([
        "gen_ai.system",
        "gen_ai.usage.prompt_tokens",
        "gen_ai.usage.completion_tokens",
        "gen_ai.usage.cache_creation.input_tokens",
      ]),
    );
    expect(built.plan!.deprecated.find((d) => d.key === "gen_ai.system")!.values).toEqual(
      expect.arrayContaining([
        ["az.ai.openai", "azure.ai.openai"],
        ["xai", "x_ai"],
      ]),
    );
  });
});

const CASES: readonly { name: string; from: string; to: string; id: string; message: RegExp }[] = [
  {
    name: "an OpenInference key that does not exist",
    from: "openinference: [session.id]",
    to: "openinference: [session.idd]",
    id: "mapping.unknown-key",
    message: /`session\.idd` is not a key of the `openinference` registry \(did you mean `session\.id`\?\)/,
  },
  {
    name: "a GenAI key that does not exist",
    from: "genai: [gen_ai.conversation.id]",
    to: "genai: [gen_ai.conversation.ids]",
    id: "mapping.unknown-key",
    message: /did you mean `gen_ai\.conversation\.id`/,
  },
  {
    name: "types that disagree",
    from: "{ openinference: [session.id], genai: [gen_ai.conversation.id] }",
    to: "{ openinference: [session.id], genai: [gen_ai.usage.input_tokens] }",
    id: "mapping.type",
    message: /`session\.id` is string but `gen_ai\.usage\.input_tokens` is int/,
  },
  {
    name: "a span kind outside the enum",
    from: "  - openinference: EMBEDDING",
    to: "  - openinference: EMBEDING",
    id: "mapping.enum-value",
    message: /"EMBEDING" is not a value of `openinference\.span\.kind`.*did you mean `EMBEDDING`/,
  },
  {
    name: "an operation outside the enum",
    from: "genai: [execute_tool]",
    to: "genai: [execute_tools]",
    id: "mapping.enum-value",
    message: /"execute_tools" is not a value of `gen_ai\.operation\.name`/,
  },
  {
    name: "a provider value outside the enum",
    from: "{ genai: mistral_ai,",
    to: "{ genai: mistral,",
    id: "mapping.enum-value",
    message: /"mistral" is not a value of `gen_ai\.provider\.name`/,
  },
  {
    name: "a deprecated key that is not",
    from: "  - key: gen_ai.system",
    to: "  - key: gen_ai.request.model",
    id: "mapping.deprecated",
    message: /`gen_ai\.request\.model` is not deprecated/,
  },
  {
    name: "a part type GenAI does not have",
    from: "{ openinference: reasoning, genai: reasoning }",
    to: "{ openinference: reasoning, genai: thinking }",
    id: "mapping.enum-value",
    message: /"thinking" is not a part type/,
  },
  {
    name: "a message field that is no field",
    from: "  role: message.role",
    to: "  role: llm.model_name",
    id: "mapping.type",
    message: /`llm\.model_name` is not a field of any structure/,
  },
  {
    name: "a field of a key that holds no JSON",
    from: '"llm.invocation_parameters#model"',
    to: '"llm.model_name#model"',
    id: "mapping.type",
    message: /`llm\.model_name` does not hold JSON/,
  },
  {
    name: "a misspelt rule property",
    from: "    kinds: [EMBEDDING]\n    only: genai",
    to: "    kind: [EMBEDDING]\n    only: genai",
    id: "yaml.shape",
    message: /unexpected `kind`/,
  },
  {
    name: "a registry that does not load",
    from: "  genai: ../genai",
    to: "  genai: ../no-such-registry",
    id: "mapping.registry",
    message: /the genai registry at spec\/no-such-registry does not load/,
  },
  {
    name: "an unmapped reason for a key no registry has",
    from: "    tag.tags: GenAI",
    to: "    tag.tagz: GenAI",
    id: "mapping.unknown-key",
    message: /`tag\.tagz` is neither a key of the `openinference` registry nor a prefix of one/,
  },
  {
    name: "a list field of another structure",
    from: "field: tool.json_schema",
    to: "field: document.id",
    id: "mapping.unknown-key",
    message: /`document\.id` is not a field of `openinference\.tool_definition`/,
  },
];

describe("mistakes in a mapping", () => {
  it.each(CASES)("$name → $id at its place", async ({ from, to, id, message }) => {
    expect(text.includes(from), `the mapping no longer holds ${JSON.stringify(from)}`).toBe(true);
    const edited = text.replace(from, to);
    const built = await buildMappingFromText(FILE, edited, { cwd: repo });
    const found = built.diagnostics.filter((d) => d.id === id);
    expect(found.map(formatDiagnostic), built.diagnostics.map(formatDiagnostic).join("\n")).toHaveLength(1);
    expect(found[0]!.message).toMatch(message);
    // The diagnostic points into the edited text, on the line of the edit.
    expect(found[0]!.location.file).toBe(FILE);
    expect(found[0]!.location.line).toBeGreaterThanOrEqual(position(edited, to).line);
    expect(found[0]!.location.line).toBeLessThanOrEqual(position(edited, to).line + to.split("\n").length - 1);
    expect(built.files.size).toBe(0);
  });

  it("a file that is no YAML mapping is one yaml.shape error", async () => {
    const built = await buildMappingFromText(FILE, "- a list\n", { cwd: repo });
    expect(built.diagnostics.map(formatDiagnostic)).toEqual([
      `${FILE}:1:1: error [yaml.shape] expected a mapping file (a YAML mapping), found a sequence`,
    ]);
  });

  it("a YAML syntax error is reported at its place and nothing is built", async () => {
    const built = await buildMappingFromText(FILE, "mapping: [unclosed\n", { cwd: repo });
    expect(built.diagnostics[0]!.id).toBe("yaml.syntax");
    expect(built.files.size).toBe(0);
  });
});

describe("semtrace generate --mapping", () => {
  const io = () => {
    const text = { out: "", err: "" };
    return {
      text,
      io: { stdout: (s: string) => void (text.out += s), stderr: (s: string) => void (text.err += s), cwd: repo },
    };
  };

  it("writes the translation into a fresh directory, then --check finds it up to date and a stale file stale", async () => {
    const { mkdtempSync, writeFileSync, readFileSync: read } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { runGenerateCommand } = await import("../src/index.js");
    const out = mkdtempSync(path.join(tmpdir(), "semtrace-mapping-"));
    const first = io();
    expect(await runGenerateCommand(["--mapping", FILE, "--out", out], first.io), first.text.err).toBe(0);
    expect(first.text.out).toMatch(/^openinference-genai: \d+ attribute rules, 6 span kinds → /);
    expect(read(path.join(out, "translate.ts"), "utf8")).toContain("export function toGenAI(");
    const check = io();
    expect(await runGenerateCommand(["--mapping", FILE, "--out", out, "--check"], check.io)).toBe(0);
    writeFileSync(path.join(out, "translate.ts"), "// edited\n");
    const stale = io();
    expect(await runGenerateCommand(["--mapping", FILE, "--out", out, "--check"], stale.io)).toBe(1);
    expect(stale.text.err).toMatch(/are stale:\n.*translate\.ts\nFix: semtrace generate --mapping /);
  });

  it("--spec and --mapping exclude each other; a missing mapping file is named", async () => {
    const { runGenerateCommand } = await import("../src/index.js");
    const both = io();
    expect(await runGenerateCommand(["--spec", "spec/genai", "--mapping", FILE, "--out", "x"], both.io)).toBe(2);
    expect(both.text.err).toMatch(/exclude each other/);
    const missing = io();
    expect(await runGenerateCommand(["--mapping", "spec/mappings/nope.yaml", "--out", "x"], missing.io)).toBe(1);
    expect(missing.text.err).toMatch(
      /spec\/mappings\/nope\.yaml:1:1: error \[spec\.unreadable\] cannot read the mapping/,
    );
  });
});
