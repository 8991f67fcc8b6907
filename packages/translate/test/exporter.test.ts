/**
 * TranslatingSpanExporter with the real OpenTelemetry SDK: spans of the real OpenInference OpenAI instrumentation
 * and of the real OpenTelemetry GenAI one (live, against the local mock server), and spans of a real tracer, reach
 * the wrapped exporter in the conventions `emit` names, validating against each with zero errors.
 */
import { diag, DiagLogLevel, SpanKind } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import { captureGenAISpans, captureOpenAISpans } from "@semtrace/real-spans";
import { afterEach, describe, expect, it } from "vitest";
import { TranslatingSpanExporter, conventionOf, type Emit, type UnmappedAttribute } from "../src/index.js";
import { expectValidGenAI, expectValidOpenInference } from "./helpers.js";

const openinference = await captureOpenAISpans();
const genai = await captureGenAISpans();

/** The spans as the wrapped exporter receives them. */
async function exportThrough(
  spans: ReadableSpan[],
  emit: Emit,
  unmapped: UnmappedAttribute[][] = [],
): Promise<ReadableSpan[]> {
  const sink = new InMemorySpanExporter();
  const exporter = new TranslatingSpanExporter(sink, { emit, onUnmapped: (_, u) => unmapped.push([...u]) });
  const code = await new Promise<number>((resolve) => exporter.export(spans, (r) => resolve(r.code)));
  expect(code).toBe(0);
  await exporter.forceFlush();
  return sink.getFinishedSpans();
}

const KEEP_FIELDS = [
  "kind",
  "startTime",
  "endTime",
  "status",
  "events",
  "links",
  "resource",
  "instrumentationScope",
  "duration",
  "ended",
  "droppedAttributesCount",
] as const;

describe.each(["openinference", "genai", "both"] as const)("emit: %s", (emit) => {
  it("OpenInference instrumentation spans", async () => {
    const unmapped: UnmappedAttribute[][] = [];
    const out = await exportThrough(openinference.spans, emit, unmapped);
    expect(out).toHaveLength(openinference.spans.length);
    out.forEach((span, i) => {
      const original = openinference.spans[i]!;
      if (emit !== "genai") expectValidOpenInference(span.attributes);
      if (emit !== "openinference") expectValidGenAI(span.attributes);
      expect(conventionOf(span.attributes)).toBe(emit);
      for (const field of KEEP_FIELDS) expect(span[field], field).toEqual(original[field]);
      expect(span.spanContext()).toEqual(original.spanContext());
      expect(span.name).toBe(
        emit === "genai"
          ? `${span.attributes["gen_ai.operation.name"]} ${span.attributes["gen_ai.request.model"]}`
          : original.name,
      );
      // Nothing is lost: what had no counterpart stays on the span as it was.
      if (emit === "genai")
        for (const u of unmapped[i] ?? [])
          if (!u.key.includes("#")) expect(span.attributes[u.key], u.key).toEqual(original.attributes[u.key]);
    });
    expect(unmapped.length).toBe(emit === "openinference" ? 0 : openinference.spans.length);
  });

  it("OpenTelemetry GenAI instrumentation spans", async () => {
    const out = await exportThrough(genai.spans, emit);
    out.forEach((span, i) => {
      const original = genai.spans[i]!;
      if (emit !== "genai") expectValidOpenInference(span.attributes);
      if (emit !== "openinference") expectValidGenAI(span.attributes);
      expect(span.name).toBe(original.name);
      expect(span.attributes["server.address"]).toBe(original.attributes["server.address"]);
      if (emit === "openinference")
        expect(
          Object.keys(span.attributes).filter((k) => k.startsWith("gen_ai.") && k !== "gen_ai.response.id"),
        ).toEqual([]);
    });
  });
});

describe("a real tracer's spans through the wrapper", () => {
  afterEach(() => diag.disable());

  it("are translated at export, with emit: both carrying both attribute sets on one span", async () => {
    const sink = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(new TranslatingSpanExporter(sink, { emit: "both" }))],
    });
    const tracer = provider.getTracer("test");
    const span = tracer.startSpan("tool call", { kind: SpanKind.INTERNAL });
    span.setAttributes({
      "openinference.span.kind": "TOOL",
      "tool.name": "lookup",
      "input.value": '{"q":1}',
      "output.value": '{"a":2}',
    });
    span.end();
    await provider.forceFlush();
    const [out] = sink.getFinishedSpans();
    expect(out!.attributes).toMatchObject({
      "openinference.span.kind": "TOOL",
      "tool.name": "lookup",
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "lookup",
      "gen_ai.tool.call.arguments": '{"q":1}',
    });
    expectValidGenAI(out!.attributes);
    expectValidOpenInference(out!.attributes);
    await provider.shutdown();
  });

  it("never throws into the exporter's caller: a throwing onUnmapped is reported through diag", async () => {
    const messages: string[] = [];
    diag.setLogger(
      {
        error: (m) => messages.push(m),
        warn: (m) => messages.push(m),
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      DiagLogLevel.WARN,
    );
    const sink = new InMemorySpanExporter();
    const exporter = new TranslatingSpanExporter(sink, {
      emit: "genai",
      onUnmapped: () => {
        throw new Error("user bug");
      },
    });
    await new Promise((resolve) => exporter.export([openinference.spans[0]!], resolve));
    expect(sink.getFinishedSpans()).toHaveLength(1);
    expect(messages.join("\n")).toMatch(/onUnmapped threw: Error: user bug/);
  });

  it("spans of neither convention pass as the very same objects", async () => {
    const plain = { name: "GET /", attributes: { "http.request.method": "GET" } } as unknown as ReadableSpan;
    const out = await exportThrough([plain], "genai");
    expect(out[0]).toBe(plain);
  });

  it("refuses an unknown emit", () => {
    expect(() => new TranslatingSpanExporter(new InMemorySpanExporter(), { emit: "zipkin" as Emit })).toThrow(
      /emit must be/,
    );
  });
});
