/**
 * Real spans from the OpenTelemetry project's OpenAI instrumentation (@opentelemetry/instrumentation-openai with the
 * real `openai` SDK against a mock server on 127.0.0.1, captured by the OTel SDK's in-memory exporter), validated
 * against the generated GenAI validators.
 *
 * The instrumentation (0.21.x) still writes the deprecated `gen_ai.system` on its chat-completions and embeddings
 * spans instead of `gen_ai.provider.name` (its Responses-API spans use the new key), so every captured span gets
 * exactly two findings: a deprecation warning for `gen_ai.system` and a missing required `gen_ai.provider.name`.
 * Nothing else: the types, enum values and every other key are right.
 */
import { captureGenAISpans, type GenAICaptureResult } from "@semtrace/real-spans";
import { beforeAll, describe, expect, it } from "vitest";
import { validateSpan, type Finding } from "../src/index.js";

let capture: GenAICaptureResult;

beforeAll(async () => {
  capture = await captureGenAISpans();
}, 60_000);

const summary = (findings: readonly Finding[]) => findings.map((f) => `${f.severity} ${f.rule} ${f.key}`);

describe("spans of @opentelemetry/instrumentation-openai", () => {
  it("cover chat, chat with tools, streaming chat and embeddings", () => {
    const scenarios = [...capture.byScenario.keys()];
    for (const s of ["chat", "chat_tools", "chat_stream", "embeddings", "chat_image"]) expect(scenarios).toContain(s);
    expect(capture.spans.length).toBeGreaterThanOrEqual(6);
  });

  /** A stream without `stream_options.include_usage` reports no usage, so its span lacks the (recommended) token counts. */
  const noUsage = new Set(["chat_stream_tools"]);
  const usageInfos = ["info attribute.recommended gen_ai.usage.input_tokens", "info attribute.recommended gen_ai.usage.output_tokens"];

  it("every span has exactly the deprecated gen_ai.system and the missing gen_ai.provider.name it replaces", () => {
    for (const [scenario, spans] of capture.byScenario) {
      for (const span of spans) {
        expect({ scenario, findings: summary(validateSpan(span)) }).toEqual({
          scenario,
          findings: ["warning key.deprecated gen_ai.system", "error attribute.required gen_ai.provider.name", ...(noUsage.has(scenario) ? usageInfos : [])],
        });
      }
    }
  });

  it("once the provider is recorded under its current key, every span validates with no errors or warnings", () => {
    for (const [scenario, spans] of capture.byScenario) {
      for (const span of spans) {
        const { "gen_ai.system": system, ...rest } = span.attributes;
        expect({ scenario, findings: summary(validateSpan({ name: span.name, attributes: { ...rest, "gen_ai.provider.name": system } })) }).toEqual({
          scenario,
          findings: noUsage.has(scenario) ? usageInfos : [],
        });
      }
    }
  });

  it("is really validated: a typo'd key in a captured span is caught", () => {
    const span = capture.byScenario.get("chat")![0]!;
    const broken = { ...span.attributes, "gen_ai.request.modle": "gpt-4o-mini" };
    expect(validateSpan({ name: span.name, attributes: broken }).map((f) => f.rule)).toContain("key.unknown");
  });
});
