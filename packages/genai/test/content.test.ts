/**
 * The content of GenAI's JSON attributes (`gen_ai.input.messages`, `gen_ai.output.messages`,
 * `gen_ai.system_instructions`, `gen_ai.tool.definitions`, `gen_ai.retrieval.documents`), checked by the generated
 * validators against the shapes of spec/genai/registry/content-shapes.yaml.
 *
 * 1. Documents that use every shape validate with no findings, as JSON text and as structured values (the arrays
 *    and maps the CLI decodes OTLP `arrayValue` / `kvlistValue` into, with `bytesValue` as bytes); the upstream
 *    schemas accept them too (ajv, when ../shared is there).
 * 2. The mutation table: removing each property a schema requires, or giving one a wrong type, yields exactly one
 *    finding, with the expected rule and JSON path, in both forms.
 * 3. What the schemas leave open passes; formats from before the schemas are one warning naming the format.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import { readSpec, type Registry } from "@semtrace/codegen";
import { describe, expect, it } from "vitest";
import { validateAttributes, type Finding } from "../src/index.js";
import {
  CONTENT_MUTATIONS,
  CONTENT_SPAN as SPAN,
  DOCS,
  FORMS,
  IN,
  INPUT,
  LEGACY_CONTENT,
  OPEN_CONTENT,
  OUT,
  OUTPUT,
  TEXT_CONTENT,
  contentRecord,
  setTo,
  without,
  type Form,
} from "./cases.js";

function check(key: string, doc: unknown, form: Form): string[] {
  return summary(validateAttributes(contentRecord(key, doc, form)));
}

const summary = (findings: readonly Finding[]) => findings.map((f) => `${f.severity} ${f.rule} ${f.key}`);

describe("documents using every shape", () => {
  it.each(FORMS)("validate with no findings (%s)", (form) => {
    for (const [key, doc] of Object.entries(DOCS))
      expect({ key, findings: check(key, doc, form) }).toEqual({ key, findings: [] });
  });

  it("blob content may be bytes in the structured form (OTLP bytesValue), not in JSON text", () => {
    const doc = [{ type: "blob", modality: "audio", content: new Uint8Array([1, 2, 3]) }];
    expect(summary(validateAttributes({ ...SPAN, "gen_ai.system_instructions": doc }))).toEqual([]);
    const asNumber = [{ type: "blob", modality: "audio", content: 7 }];
    expect(check("gen_ai.system_instructions", asNumber, "json")).toEqual([
      "error content.type gen_ai.system_instructions[0].content",
    ]);
  });

  const schemas = fileURLToPath(
    new URL("../../../../shared/conformance/otel-genai-json-schemas-1.41.0/", import.meta.url),
  );
  const files: Readonly<Record<string, string>> = {
    "gen_ai.input.messages": "gen-ai-input-messages.json",
    "gen_ai.output.messages": "gen-ai-output-messages.json",
    "gen_ai.system_instructions": "gen-ai-system-instructions.json",
    "gen_ai.tool.definitions": "gen-ai-tool-definitions.json",
    "gen_ai.retrieval.documents": "gen-ai-retrieval-documents.json",
  };
  it.skipIf(!existsSync(schemas))("are valid under the upstream JSON schemas too (ajv)", () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const [key, file] of Object.entries(files)) {
      const validate = ajv.compile(JSON.parse(readFileSync(schemas + file, "utf8")) as object);
      expect({ key, valid: validate(DOCS[key]), errors: validate.errors ?? null }).toEqual({
        key,
        valid: true,
        errors: null,
      });
    }
  });
  if (!existsSync(schemas))
    console.info(`[content] ${schemas} is absent: the upstream schemas do not check the documents`);
});

describe("the mutation table: each change yields exactly the finding listed", () => {
  for (const form of FORMS) {
    it.each(CONTENT_MUTATIONS.map((m) => [`${m.finding} (${form})`, m] as const))("%s", (_, m) => {
      expect(check(m.key, m.change(DOCS[m.key]!, m.at), form)).toEqual([m.finding]);
    });
  }

  it("covers every property a shape requires (legacy shapes aside; a union's discriminator through its union)", async () => {
    const { registry } = await readSpec(fileURLToPath(new URL("../../../spec/genai", import.meta.url)));
    const want = requiredProperties(registry!);
    const covered = new Set<string>();
    for (const m of CONTENT_MUTATIONS.filter((row) => row.finding.includes("content.required"))) {
      for (const f of validateAttributes(contentRecord(m.key, m.change(DOCS[m.key]!, m.at), "json"))) {
        const named = /: `([^`]+)` requires `([^`]+)`$/.exec(f.message);
        if (named) covered.add(`${named[1]}.${named[2]}`);
      }
    }
    expect([...want].filter((p) => !covered.has(p)).sort()).toEqual([]);
    expect(want.size).toBeGreaterThan(20);
  });

  it("the value itself: JSON text that does not parse, a list that is an object, a number", () => {
    expect(summary(validateAttributes({ ...SPAN, [IN]: '[{"role": "user", "parts": [' }))).toEqual([
      `error value.json ${IN}`,
    ]);
    expect(check(IN, { role: "user", parts: [] }, "json")).toEqual([`error content.type ${IN}`]);
    expect(check(IN, { role: "user", parts: [] }, "structured")).toEqual([`error content.type ${IN}`]);
    expect(summary(validateAttributes({ ...SPAN, [IN]: 3 }))).toEqual([`error value.type ${IN}`]);
  });

  it("messages name the path and what was expected", () => {
    const [finding] = validateAttributes({ ...SPAN, [IN]: JSON.stringify(without(INPUT, [2, "parts", 1, "name"])) });
    expect(finding).toMatchObject({
      key: `${IN}[2].parts[1].name`,
      rule: "content.required",
      severity: "error",
      expected: "name",
    });
    expect(finding!.message).toBe(
      `\`${IN}[2].parts[1].name\` is missing: \`gen_ai.tool_call_request_part\` requires \`name\``,
    );
    const [typed] = validateAttributes({
      ...SPAN,
      [OUT]: JSON.stringify(setTo(3)(OUTPUT, [0, "parts", 0, "content"])),
    });
    expect(typed!.message).toBe(`\`${OUT}[0].parts[0].content\` must be a string, found 3 (int)`);
  });
});

describe("what the schemas leave open passes", () => {
  for (const form of FORMS) {
    it.each(OPEN_CONTENT.map((e) => [`${e.name} (${form})`, e] as const))("%s", (_, e) =>
      expect(check(e.key, e.doc, form)).toEqual(e.want),
    );
  }
});

describe("formats from before the schemas are one warning naming the format", () => {
  for (const form of FORMS) {
    it.each(LEGACY_CONTENT.map((e) => [`${e.name} (${form})`, e] as const))("%s", (_, e) =>
      expect(check(e.key, e.doc, form)).toEqual(e.want),
    );
  }

  it.each(TEXT_CONTENT.map((e) => [e.name, e] as const))("text, not a document: %s", (_, e) => {
    expect(summary(validateAttributes({ ...SPAN, [e.key]: e.value }))).toEqual(e.want);
    // The plain-text form is recognised whatever the content limit (it is no JSON text to check for syntax only).
    if (e.want.every((f) => f.includes("content.legacy-format")))
      expect(summary(validateAttributes({ ...SPAN, [e.key]: e.value }, { maxContentChars: 0 }))).toEqual(e.want);
  });

  it("the plain-text warning names the form", () => {
    const [finding] = validateAttributes({ ...SPAN, "gen_ai.system_instructions": "Answer in one sentence." });
    expect(finding!.message).toBe(
      "`gen_ai.system_instructions` holds plain text, not JSON text: written in another format (one plain string, as @opentelemetry/instrumentation-openai records the Responses API's instructions) than the JSON the conventions ask for",
    );
  });

  it("the warning says which format", () => {
    const [finding] = validateAttributes({ ...SPAN, [IN]: JSON.stringify([{ role: "user", content: "Hi" }]) });
    expect(finding!.message).toContain(
      "is written in an older format (an OpenAI-style message (text in `content`, not `parts`), as GenAI events before 1.37 wrote it)",
    );
    expect(finding!.message).toContain("not as `gen_ai.chat_message`");
  });
});

describe("one value reports at most 100 content findings", () => {
  it("then one info says the rest are not listed", () => {
    const input = Array.from({ length: 150 }, () => ({ role: "user" }));
    const findings = summary(validateAttributes({ ...SPAN, [IN]: JSON.stringify(input) }));
    expect(findings).toHaveLength(101);
    expect(findings.slice(0, 100).every((f) => f.startsWith("error content.required"))).toBe(true);
    expect(findings[100]).toBe(`info content.truncated ${IN}[100].parts`);
    // The budget is per value: the next attribute reports its own.
    const both = validateAttributes({
      ...SPAN,
      [IN]: JSON.stringify(input),
      [OUT]: JSON.stringify([{ role: "assistant", parts: [] }]),
    });
    expect(summary(both).at(-1)).toBe(`error content.required ${OUT}[0].finish_reason`);
  });
});

describe("memory: JSON text past the content limit is not parsed", () => {
  const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
  /** Peak RSS (MiB) of a fresh process that validates a span whose input messages are `chars` characters of `[{},{},…]`. */
  function peakRss(chars: number, options = "{}"): { rss: number; rules: string[] } {
    const script = `
      const { validateAttributes } = await import(${JSON.stringify(pathToFileURL(dist).href)});
      const text = "[" + "{},".repeat(${Math.floor(chars / 3)}) + "{}]";
      const findings = validateAttributes({ "gen_ai.operation.name": "chat", "gen_ai.input.messages": text }, ${options});
      const rules = [...new Set(findings.filter((f) => f.key.startsWith("gen_ai.input.messages")).map((f) => f.rule))];
      console.log(JSON.stringify({ rss: process.resourceUsage().maxRSS / 1024, rules }));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { rss: number; rules: string[] };
  }

  it.skipIf(!existsSync(dist))(
    "48 Mi characters of dense JSON text: syntax only, peak RSS bounded; 2 Mi characters checked with the limit raised",
    () => {
      const big = peakRss(48 * 1024 * 1024);
      expect(big.rules).toEqual(["content.not-checked"]);
      // The text itself is 48 MiB (one byte per character); parsing it would build 16 million objects (gigabytes).
      expect(big.rss).toBeLessThan(300);
      const raised = peakRss(2 * 1024 * 1024, "{ maxContentChars: 4 * 1024 * 1024 }");
      expect(raised.rules).toEqual(["content.required", "content.truncated"]);
      console.info(
        `[content] peak RSS: ${Math.round(big.rss)} MiB for 48 Mi characters (not parsed); ${Math.round(raised.rss)} MiB for 2 Mi characters parsed and checked`,
      );
    },
    60_000,
  );
  if (!existsSync(dist)) console.info(`[content] ${dist} is missing (build first): the peak-RSS test is skipped`);
});

/**
 * `<shape>.<property>` for every required property of the shapes the content attributes reach, but the older formats'
 * (matched, never required) and the discriminator of a union's alternatives other than its fallback (an alternative is
 * picked by it, so a value without it is checked as the fallback, or reported by the union).
 */
function requiredProperties(registry: Registry): Set<string> {
  const shapes = new Map(registry.shapes.map((s) => [s.id, s]));
  const legacy = new Set(registry.shapes.flatMap((s) => (s.kind === "object" ? s.legacy : [])));
  const picked = new Map<string, string>();
  for (const s of registry.shapes)
    if (s.kind === "union") for (const alt of s.alternatives) picked.set(alt.shape, s.discriminator);
  const out = new Set<string>();
  for (const s of shapes.values()) {
    if (s.kind !== "object" || legacy.has(s.id)) continue;
    for (const p of s.properties) if (p.required && picked.get(s.id) !== p.name) out.add(`${s.id}.${p.name}`);
  }
  return out;
}
