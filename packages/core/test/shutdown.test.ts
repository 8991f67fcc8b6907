/**
 * Spans are not lost at exit: when the tracer provider shuts down, the semtrace spans still open (a stream nobody
 * reads, a call still running) are ended with an event saying why and exported, through the real SDK's batch
 * processor and the real OTLP/HTTP exporter to a receiver on 127.0.0.1. Ending them on `forceFlush` too is an
 * option, off by default.
 */
import { SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  SPAN_EVENTS,
  STREAM_ATTRIBUTES,
  SemtraceContextSpanProcessor,
  startSpan,
  traceAgent,
  traceLLM,
  type SemtraceContextSpanProcessorOptions,
} from "../src/index.js";
import { startOtlpReceiver, type OtlpReceiver } from "./support/otlp-receiver.js";

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.close());

/** A provider as an application sets it up: the context processor first, then batching to OTLP/HTTP. */
function app(options?: SemtraceContextSpanProcessorOptions) {
  const semtrace = new SemtraceContextSpanProcessor(options);
  const provider = new BasicTracerProvider({
    spanProcessors: [semtrace, new BatchSpanProcessor(new OTLPTraceExporter({ url: receiver.url }))],
  });
  return { semtrace, provider, tracer: provider.getTracer("app") };
}

const forever = new Promise<never>(() => {});

describe("at provider shutdown", () => {
  it("open semtrace spans end with the event semtrace.span.ended_at_shutdown and are exported; a stream records what it produced", async () => {
    const { semtrace, provider, tracer } = app();
    // A stream nobody reads.
    traceLLM(
      async function* () {
        yield "never read";
      },
      { tracer, name: "unread-stream" },
    )();
    // A stream read halfway: its output so far is recorded.
    const partly = traceLLM(
      async function* () {
        yield "Hel";
        yield "lo";
        await forever;
      },
      { tracer, name: "half-read-stream" },
    )();
    await partly.next();
    await partly.next();
    // Work still running, and a manual span never ended.
    void traceAgent(() => forever, { tracer, name: "still-running" })();
    startSpan("CHAIN", "manual", { tracer });
    // Another instrumentation's span is not semtrace's to end.
    tracer.startSpan("foreign-open-span");
    // Ended spans leave the list.
    traceLLM(() => "done", { tracer, name: "finished" })();
    expect(semtrace.openSpans).toBe(4);

    await provider.shutdown();

    expect(semtrace.openSpans).toBe(0);
    expect(receiver.spans.map((s) => s.name).sort()).toEqual([
      "finished",
      "half-read-stream",
      "manual",
      "still-running",
      "unread-stream",
    ]);
    for (const name of ["unread-stream", "half-read-stream", "still-running", "manual"]) {
      const span = receiver.span(name);
      expect(
        span.events.map((e) => e.name),
        name,
      ).toContain(SPAN_EVENTS.ENDED_AT_SHUTDOWN);
      // Not known to have succeeded: no status.
      expect(span.status.code ?? SpanStatusCode.UNSET, name).toBe(SpanStatusCode.UNSET);
    }
    expect(receiver.span("half-read-stream").attributes).toMatchObject({
      "output.value": "Hello",
      [STREAM_ATTRIBUTES.CHUNKS]: 2,
    });
    expect(receiver.span("unread-stream").attributes).toMatchObject({ [STREAM_ATTRIBUTES.CHUNKS]: 0 });
    expect(receiver.span("finished").events.map((e) => e.name)).not.toContain(SPAN_EVENTS.ENDED_AT_SHUTDOWN);
    // Reading on after the shutdown neither throws nor ends the span twice.
    await expect(
      Promise.race([partly.next(), new Promise((resolve) => setTimeout(resolve, 20, "pending"))]),
    ).resolves.toBe("pending");
  });

  it("endOpenSpansOnShutdown: false leaves them open", async () => {
    const { semtrace, provider, tracer } = app({ endOpenSpansOnShutdown: false });
    void traceAgent(() => forever, { tracer, name: "still-running" })();
    await provider.shutdown();
    expect(semtrace.openSpans).toBe(1);
    expect(receiver.spans).toEqual([]);
  });
});

describe("at forceFlush", () => {
  it("by default, open spans stay open (a server flushes while other requests' streams run) and end normally later", async () => {
    const { semtrace, provider, tracer } = app();
    const stream = traceLLM(
      async function* () {
        yield "a";
        yield "b";
      },
      { tracer, name: "running-stream" },
    )();
    await provider.forceFlush();
    expect(receiver.spans).toEqual([]);
    expect(semtrace.openSpans).toBe(1);
    for await (const _ of stream);
    await provider.forceFlush();
    const span = receiver.span("running-stream");
    expect(span.attributes["output.value"]).toBe("ab");
    expect(span.status.code).toBe(SpanStatusCode.OK);
    expect(span.events.map((e) => e.name)).not.toContain(SPAN_EVENTS.ENDED_AT_FLUSH);
    await provider.shutdown();
  });

  it("endOpenSpansOnFlush: true ends them at every flush (the end of a serverless invocation), with semtrace.span.ended_at_flush", async () => {
    const { semtrace, provider, tracer } = app({ endOpenSpansOnFlush: true });
    traceLLM(
      async function* () {
        yield "a";
      },
      { tracer, name: "invocation-stream" },
    )();
    await provider.forceFlush();
    expect(semtrace.openSpans).toBe(0);
    expect(receiver.span("invocation-stream").events.map((e) => e.name)).toContain(SPAN_EVENTS.ENDED_AT_FLUSH);
    await provider.shutdown();
  });
});
