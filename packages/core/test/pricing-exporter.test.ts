/**
 * Opt-in pricing of spans other instrumentations write: the real OpenInference and OpenTelemetry (GenAI) OpenAI
 * instrumentations run against the mock server on 127.0.0.1 (tools/real-spans), and their spans go through
 * `PricingSpanExporter` wrapping the real OTLP/HTTP exporter to a local receiver — the call the SDK's batch
 * processor makes — and, replayed, through the real SDK's provider and batch processor.
 */
import type { Attributes } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { genaiRegistry } from "@semtrace/genai";
import { openinferenceRegistry } from "@semtrace/openinference";
import { captureGenAISpans, captureOpenAISpans, loadFixture } from "@semtrace/real-spans";
import { validateWith } from "@semtrace/runtime";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PRICES, PricingSpanExporter, traceLLM } from "../src/index.js";
import { startOtlpReceiver, type OtlpReceiver } from "./support/otlp-receiver.js";

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.close());

/** Exports `spans` through the pricing wrapper around the real OTLP/HTTP exporter, as a span processor would. */
async function exportPriced(spans: ReadableSpan[]): Promise<void> {
  const exporter = new PricingSpanExporter(new OTLPTraceExporter({ url: receiver.url }));
  const result = await new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve));
  expect(result.error).toBeUndefined();
  expect(result.code).toBe(0);
  await exporter.shutdown();
}

const perToken = (id: string) => {
  const p = DEFAULT_PRICES.models[id]!;
  return { input: p.input / 1e6, output: p.output / 1e6, cacheRead: (p.cacheRead ?? p.input) / 1e6 };
};

describe("spans of the OpenInference OpenAI instrumentation (OpenInference keys)", () => {
  let captured: ReadableSpan[];
  beforeAll(async () => {
    captured = (await captureOpenAISpans()).spans;
  }, 60_000);

  it("get llm.cost.* from their model and token counts (cached input and reasoning output included); others pass unchanged", async () => {
    const before = captured.map((s) => ({ ...s.attributes }));
    await exportPriced(captured);
    expect(receiver.spans).toHaveLength(captured.length);
    let priced = 0;
    for (const span of receiver.spans) {
      const a = span.attributes;
      if (typeof a["llm.token_count.prompt"] !== "number") {
        // Streams and embeddings the instrumentation recorded no usage for: nothing to price, nothing added.
        expect(Object.keys(a).some((k) => k.startsWith("llm.cost."))).toBe(false);
        continue;
      }
      priced++;
      const rate = perToken(a["llm.model_name"] === "gpt-4o" ? "gpt-4o" : "gpt-4o-mini");
      const prompt = a["llm.token_count.prompt"] as number;
      const cached = a["llm.token_count.prompt_details.cache_read"] as number;
      const completion = a["llm.token_count.completion"] as number;
      const reasoning = a["llm.token_count.completion_details.reasoning"] as number;
      expect(a["llm.cost.prompt_details.input"]).toBeCloseTo((prompt - cached) * rate.input, 12);
      expect(a["llm.cost.prompt_details.cache_read"]).toBeCloseTo(cached * rate.cacheRead, 12);
      expect(a["llm.cost.completion_details.output"]).toBeCloseTo((completion - reasoning) * rate.output, 12);
      expect(a["llm.cost.completion_details.reasoning"]).toBeCloseTo(reasoning * rate.output, 12);
      expect(a["llm.cost.total"]).toBeCloseTo(
        (prompt - cached) * rate.input + cached * rate.cacheRead + completion * rate.output,
        12,
      );
      expect(validateWith([openinferenceRegistry], a).filter((f) => f.severity === "error")).toEqual([]);
    }
    expect(priced).toBe(5);
    // The spans themselves were not changed: the exporter got priced copies.
    expect(captured.map((s) => ({ ...s.attributes }))).toEqual(before);
  });
});

describe("spans of the OpenTelemetry OpenAI instrumentation (GenAI keys)", () => {
  let captured: ReadableSpan[];
  beforeAll(async () => {
    captured = (await captureGenAISpans()).spans;
  }, 60_000);

  it("are priced from gen_ai.response.model and gen_ai.usage.*, embeddings included", async () => {
    await exportPriced(captured);
    const withUsage = receiver.spans.filter((s) => typeof s.attributes["gen_ai.usage.input_tokens"] === "number");
    expect(withUsage.length).toBeGreaterThanOrEqual(5);
    for (const span of withUsage) {
      const a = span.attributes;
      const model = a["gen_ai.response.model"] as string;
      const id =
        model === "gpt-4o" ? "gpt-4o" : model === "text-embedding-3-small" ? "text-embedding-3-small" : "gpt-4o-mini";
      const rate = perToken(id);
      const input = a["gen_ai.usage.input_tokens"] as number;
      const output = (a["gen_ai.usage.output_tokens"] as number | undefined) ?? 0;
      expect(a["llm.cost.total"], span.name).toBeCloseTo(input * rate.input + output * rate.output, 12);
      // The cost adds no finding: its keys are outside gen_ai.* and defined by OpenInference (what the
      // instrumentation itself wrote is judged the same with and without them).
      const unpriced = Object.fromEntries(Object.entries(a).filter(([k]) => !k.startsWith("llm.cost.")));
      expect(validateWith([openinferenceRegistry, genaiRegistry], a), span.name).toEqual(
        validateWith([openinferenceRegistry, genaiRegistry], unpriced),
      );
    }
    expect(withUsage.some((s) => s.name.startsWith("embeddings"))).toBe(true);
  });
});

describe("through the real SDK", () => {
  it("replayed instrumentation spans, a BatchSpanProcessor and the OTLP exporter: priced on export, a given cost kept", async () => {
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(new PricingSpanExporter(new OTLPTraceExporter({ url: receiver.url })))],
    });
    const tracer = provider.getTracer("replay");
    const fixture = loadFixture();
    const chat = fixture.scenarios["chat"]!.spans[0]!;
    tracer.startSpan(chat.name, { attributes: chat.attributes as Attributes }).end();
    // semtrace's own spans are priced already (their cost wins); a cost set by hand is never replaced.
    traceLLM(() => "x", {
      tracer,
      name: "own",
      processOutput: (_out, span) =>
        void span.setModel("gpt-4o").setUsage({ input: 10, output: 10 }).setCost({ total: 1 }),
    })();
    tracer.startSpan("GET /health").end();
    await provider.shutdown();
    expect(receiver.span(chat.name).attributes["llm.cost.total"]).toBeCloseTo(
      15 * 0.15e-6 + 5 * 0.075e-6 + 13 * 0.6e-6,
      12,
    );
    expect(receiver.span("own").attributes["llm.cost.total"]).toBe(1);
    expect(Object.keys(receiver.span("GET /health").attributes)).toEqual([]);
  });

  it("a span it cannot read is exported as it was", async () => {
    const hostile = Object.defineProperty({ name: "hostile" }, "attributes", {
      get() {
        throw new Error("hostile attributes");
      },
    }) as unknown as ReadableSpan;
    const got: unknown[] = [];
    const exporter = new PricingSpanExporter<ReadableSpan>({
      export: (spans, done) => (got.push(...spans), done({ code: 0 })),
      shutdown: () => Promise.resolve(),
    });
    exporter.export([hostile], () => {});
    expect(got[0]).toBe(hostile);
  });
});
