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
import {
  captureGenAISpans,
  GENAI_RELEASES,
  genaiRelease,
  genaiScenarios,
  loadGenAIFixture,
  responsesScenario,
  type GenAIRelease,
} from "@semtrace/real-spans";
import { beforeAll, describe, expect, it } from "vitest";
import { validateAttributes, validateSpan, type Finding } from "../src/index.js";

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
      captures.set(release, {
        source: `fixture (Node ${process.version} does not run it)`,
        byScenario: new Map(Object.entries(fixture.scenarios).map(([name, s]) => [name, s.spans])),
      });
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
  const usageInfos = [
    "info attribute.recommended gen_ai.usage.input_tokens",
    "info attribute.recommended gen_ai.usage.output_tokens",
  ];

  it("every span has exactly the deprecated gen_ai.system and the missing gen_ai.provider.name it replaces", () => {
    for (const [scenario, spans] of capture().byScenario) {
      for (const span of spans) {
        expect({ scenario, findings: summary(validateSpan(span)) }).toEqual({
          scenario,
          findings: [
            "warning key.deprecated gen_ai.system",
            "error attribute.required gen_ai.provider.name",
            ...(noUsage.has(scenario) ? usageInfos : []),
          ],
        });
      }
    }
  });

  it("once the provider is recorded under its current key, every span validates with no errors or warnings", () => {
    for (const [scenario, spans] of capture().byScenario) {
      for (const span of spans) {
        const { "gen_ai.system": system, ...rest } = span.attributes;
        expect({
          scenario,
          findings: summary(validateSpan({ name: span.name, attributes: { ...rest, "gen_ai.provider.name": system } })),
        }).toEqual({
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

/**
 * With message content capture on, live, for the newest release this Node runs (0.22 on Node ≥ 22.15, 0.21 on
 * Node 20), over the chat scenarios and the Responses API (`responsesScenario`: instructions, a user message, a
 * function tool the model calls, the call's output sent back). The instrumentation writes the content to log events:
 * for the Responses API, `gen_ai.client.inference.operation.details` events whose `gen_ai.input.messages` /
 * `gen_ai.output.messages` are structured values in the shapes of the GenAI JSON schemas, which the content checks
 * must accept with no finding at all (exported, they are OTLP arrayValue / kvlistValue: the JSON round trip drops
 * `undefined` as the export does). Chat-completions content goes to the older message events, not to attributes.
 */
describe("with message content capture on (live, the newest release this Node runs)", () => {
  const CONTENT = [
    "gen_ai.input.messages",
    "gen_ai.output.messages",
    "gen_ai.system_instructions",
    "gen_ai.tool.definitions",
  ];
  let capture: Awaited<ReturnType<typeof captureGenAISpans>>;
  beforeAll(async () => {
    capture = await captureGenAISpans([...genaiScenarios, responsesScenario], { captureMessageContent: true });
    console.info(
      `[real-spans] content capture on: @opentelemetry/instrumentation-openai ${capture.instrumentationVersion}`,
    );
  }, 60_000);

  it("the chat spans get exactly the findings they get without content capture", () => {
    for (const [scenario, spans] of capture.byScenario) {
      if (scenario === responsesScenario.name) continue;
      for (const span of spans) {
        const findings = summary(validateSpan(span)).filter((f) => !f.includes("attribute.recommended gen_ai.usage."));
        expect({ scenario, findings }).toEqual({
          scenario,
          findings: ["warning key.deprecated gen_ai.system", "error attribute.required gen_ai.provider.name"],
        });
      }
    }
  });

  it("the content of the inference events (structured messages, every turn of the Responses API scenario) has no finding", () => {
    const events = capture.logs.filter((l) => CONTENT.some((key) => l.attributes[key] !== undefined));
    // Two calls, each an input event and an output event.
    expect(
      events.map(
        (e) => `${e.scenario} ${e.eventName} ${CONTENT.filter((key) => e.attributes[key] !== undefined).join(",")}`,
      ),
    ).toEqual([
      "responses_tools gen_ai.client.inference.operation.details gen_ai.input.messages",
      "responses_tools gen_ai.client.inference.operation.details gen_ai.output.messages",
      "responses_tools gen_ai.client.inference.operation.details gen_ai.input.messages",
      "responses_tools gen_ai.client.inference.operation.details gen_ai.output.messages",
    ]);
    for (const event of events) {
      const exported = JSON.parse(JSON.stringify(event.attributes)) as Record<string, unknown>;
      const findings = validateAttributes(exported).filter((f) => CONTENT.some((key) => f.key.startsWith(key)));
      expect({ event: event.eventName, findings }).toEqual({ event: event.eventName, findings: [] });
    }
    // The last input holds the whole exchange: system instructions as a message, the tool call and its response.
    const last = JSON.parse(JSON.stringify(events[2]!.attributes["gen_ai.input.messages"])) as {
      role: string;
      parts: { type: string }[];
    }[];
    expect(last.map((m) => `${m.role}: ${m.parts.map((p) => p.type).join(" ")}`)).toEqual([
      "system: text",
      "user: text",
      "assistant: tool_call",
      "user: tool_call_response",
    ]);
  });

  it("the Responses-API spans record `gen_ai.system_instructions` as plain text, not the schema's JSON array of parts: one warning naming the form each, no error", () => {
    const spans = capture.byScenario.get(responsesScenario.name)!;
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.attributes["gen_ai.system_instructions"]).toBe("Answer in one sentence.");
      expect(summary(validateSpan(span))).toEqual(["warning content.legacy-format gen_ai.system_instructions"]);
      // Recorded as the schema asks (a JSON array of parts), the span is clean.
      const fixed = {
        ...span.attributes,
        "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "Answer in one sentence." }]),
      };
      expect(summary(validateSpan({ name: span.name, attributes: fixed }))).toEqual([]);
    }
  });
});
