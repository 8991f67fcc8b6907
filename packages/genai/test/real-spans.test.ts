/**
 * Real spans from the OpenTelemetry project's OpenAI instrumentation (@opentelemetry/instrumentation-openai with the
 * real `openai` SDK against a mock server on 127.0.0.1, captured by the OTel SDK's in-memory exporter), validated
 * against the generated GenAI validators, for every release the repo installs: captured live where this Node runs
 * the release (0.22 needs Node 22.15), else its committed fixture (recorded live, and checked against a live capture
 * on every Node that runs it, by tools/real-spans).
 *
 * Both releases (0.21, 0.22) still write the deprecated `gen_ai.system` on their chat-completions and embeddings
 * spans instead of `gen_ai.provider.name` (their Responses-API spans use the new key), so every captured span gets
 * exactly two findings: a deprecation warning for `gen_ai.system` and a missing required `gen_ai.provider.name`.
 * Nothing else: the types, enum values and every other key are right.
 */
import { captureGenAISpans, GENAI_RELEASES, genaiRelease, loadGenAIFixture, type GenAIRelease } from "@semtrace/real-spans";
import { beforeAll, describe, expect, it } from "vitest";
import { validateSpan, type Finding } from "../src/index.js";

interface Span {
  readonly name: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

const captures = new Map<GenAIRelease, { source: string; byScenario: Map<string, readonly Span[]> }>();

beforeAll(async () => {
  for (const release of GENAI_RELEASES) {
    if (genaiRelease(release).supportedHere) {
      const { byScenario } = await captureGenAISpans(undefined, { release });
      captures.set(release, { source: "live capture", byScenario });
    } else {
      const fixture = loadGenAIFixture(release);
      captures.set(release, { source: `fixture (Node ${process.version} does not run it)`, byScenario: new Map(Object.entries(fixture.scenarios).map(([name, s]) => [name, s.spans])) });
    }
  }
}, 60_000);

const summary = (findings: readonly Finding[]) => findings.map((f) => `${f.severity} ${f.rule} ${f.key}`);

describe.each(GENAI_RELEASES)("spans of @opentelemetry/instrumentation-openai %s", (release) => {
  const capture = () => captures.get(release)!;

  it("cover chat, chat with tools, streaming chat and embeddings", () => {
    console.info(`[real-spans] @opentelemetry/instrumentation-openai ${release}: ${capture().source}`);
    const scenarios = [...capture().byScenario.keys()];
    for (const s of ["chat", "chat_tools", "chat_stream", "embeddings", "chat_image"]) expect(scenarios).toContain(s);
    expect([...capture().byScenario.values()].flat().length).toBeGreaterThanOrEqual(6);
  });

  /** A stream without `stream_options.include_usage` reports no usage, so its span lacks the (recommended) token counts. */
  const noUsage = new Set(["chat_stream_tools"]);
  const usageInfos = ["info attribute.recommended gen_ai.usage.input_tokens", "info attribute.recommended gen_ai.usage.output_tokens"];

  it("every span has exactly the deprecated gen_ai.system and the missing gen_ai.provider.name it replaces", () => {
    for (const [scenario, spans] of capture().byScenario) {
      for (const span of spans) {
        expect({ scenario, findings: summary(validateSpan(span)) }).toEqual({
          scenario,
          findings: ["warning key.deprecated gen_ai.system", "error attribute.required gen_ai.provider.name", ...(noUsage.has(scenario) ? usageInfos : [])],
        });
      }
    }
  });

  it("once the provider is recorded under its current key, every span validates with no errors or warnings", () => {
    for (const [scenario, spans] of capture().byScenario) {
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
    const span = capture().byScenario.get("chat")![0]!;
    const broken = { ...span.attributes, "gen_ai.request.modle": "gpt-4o-mini" };
    expect(validateSpan({ name: span.name, attributes: broken }).map((f) => f.rule)).toContain("key.unknown");
  });
});
