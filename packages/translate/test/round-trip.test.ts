/**
 * Acceptance over real spans (tools/real-spans fixtures): OpenInference → GenAI → OpenInference keeps the meaning
 * of every attribute not reported as unmapped, compared after the normalisation spec/README.md §9.3 documents;
 * every translated span validates with zero errors against its target registry (and GenAI's JSON attributes
 * against the upstream schemas); the real GenAI instrumentation's spans translate to valid OpenInference and back.
 */
import { loadFixture, loadGenAIFixture, GENAI_RELEASES } from "@semtrace/real-spans";
import { describe, expect, it } from "vitest";
import { toGenAI, toOpenInference, type UnmappedAttribute } from "../src/index.js";
import { expectValidGenAI, expectValidOpenInference } from "./helpers.js";

type Attrs = Record<string, unknown>;

/** Attributes holding JSON text, compared parsed. */
const JSON_KEY =
  /(^llm\.invocation_parameters$|\.tool\.json_schema$|\.tool_call\.function\.arguments$|^llm\.prompt_template\.variables$|^metadata$)/;
/** Keys the way back may add: documented in spec/README.md §9.3. */
const MAY_ADD = new Set(["llm.provider", "input.value", "input.mime_type", "output.value", "output.mime_type"]);

/** spec/README.md §9.3: drop what was reported, parse JSON, one text part = message.content. */
export function normalise(attributes: Attrs, unmapped: readonly UnmappedAttribute[] = []): Attrs {
  const out: Attrs = {};
  const dropped = new Set(unmapped.filter((u) => !u.key.includes("#")).map((u) => u.key));
  const droppedFields = unmapped.filter((u) => u.key.includes("#")).map((u) => u.key.split("#") as [string, string]);
  for (const [key, value] of Object.entries(attributes)) {
    if (dropped.has(key)) continue;
    const v = typeof value === "string" && JSON_KEY.test(key) ? JSON.parse(value) : value;
    for (const [k, field] of droppedFields) if (k === key && v && typeof v === "object") delete (v as Attrs)[field];
    out[key] = v;
  }
  // `X.message.contents.0` as the one text part of a message is `X.message.content`.
  for (const key of Object.keys(out)) {
    const m = /^(.*\.message)\.contents\.0\.message_content\.type$/.exec(key);
    if (!m || out[key] !== "text") continue;
    const others = Object.keys(out).some(
      (k) => k.startsWith(`${m[1]}.contents.`) && !k.startsWith(`${m[1]}.contents.0.`),
    );
    if (others || `${m[1]}.content` in out) continue;
    out[`${m[1]}.content`] = out[`${m[1]}.contents.0.message_content.text`];
    delete out[key];
    delete out[`${m[1]}.contents.0.message_content.text`];
  }
  return out;
}

const fixture = loadFixture();
const spans = Object.entries(fixture.scenarios).flatMap(([scenario, { spans }]) =>
  spans.map((span, i) => ({ name: `${scenario} #${i}`, span })),
);

describe("OpenInference fixtures → GenAI → OpenInference", () => {
  it("covers every scenario of the fixture", () => {
    expect(spans.length).toBeGreaterThanOrEqual(8);
  });

  it.each(spans)("$name", ({ span }) => {
    const original = span.attributes as Attrs;
    const genai = toGenAI(original);
    expectValidGenAI(genai.attributes);
    expect(genai.spanName).toMatch(/^(chat|embeddings) /);
    const back = toOpenInference(genai.attributes);
    expectValidOpenInference(back.attributes);
    // Nothing the GenAI side holds is lost on the way back but the response id (OpenInference has none).
    expect(back.unmapped.map((u) => u.key).filter((k) => k !== "gen_ai.response.id")).toEqual([]);

    const before = normalise(original, genai.unmapped);
    const after = normalise(back.attributes);
    for (const [key, value] of Object.entries(before)) expect(after[key], key).toEqual(value);
    const added = Object.keys(after).filter((k) => !(k in before) && !MAY_ADD.has(k));
    expect(added, "keys the round trip added").toEqual([]);
  });

  it("reports what GenAI cannot hold instead of dropping it", () => {
    const context = fixture.scenarios.chat_context!.spans[0]!.attributes as Attrs;
    const { unmapped } = toGenAI(context);
    expect(unmapped.map((u) => u.key).sort()).toEqual([
      "input.mime_type",
      "input.value",
      "llm.prompt_template.template",
      "metadata",
      "output.mime_type",
      "output.value",
      "tag.tags",
    ]);
    expect(unmapped.find((u) => u.key === "metadata")!.reason).toBe("GenAI has no free-form metadata attribute.");
  });
});

describe.each([...GENAI_RELEASES])("GenAI fixtures of @opentelemetry/instrumentation-openai %s", (release) => {
  const genai = loadGenAIFixture(release);
  const genaiSpans = Object.entries(genai.scenarios).flatMap(([scenario, { spans }]) =>
    spans.map((span, i) => ({ name: `${scenario} #${i}`, span })),
  );
  it.each(genaiSpans)("$name → OpenInference validates and comes back", ({ span }) => {
    const attributes = span.attributes as Attrs;
    const oi = toOpenInference(attributes);
    expectValidOpenInference(oi.attributes);
    // The deprecated gen_ai.system is read as the provider.
    expect(oi.attributes["llm.system"]).toBe("openai");
    expect(oi.unmapped.map((u) => u.key)).toEqual(
      attributes["gen_ai.response.id"] === undefined ? [] : ["gen_ai.response.id"],
    );
    const back = toGenAI(oi.attributes);
    expectValidGenAI(back.attributes);
    for (const key of [
      "gen_ai.operation.name",
      "gen_ai.request.model",
      "gen_ai.response.model",
      "gen_ai.usage.input_tokens",
      "gen_ai.usage.output_tokens",
      "gen_ai.response.finish_reasons",
      "gen_ai.request.temperature",
      "gen_ai.request.max_tokens",
    ]) {
      expect(back.attributes[key], key).toEqual(attributes[key]);
    }
    expect(back.attributes["gen_ai.provider.name"]).toBe(attributes["gen_ai.system"]);
  });
});
