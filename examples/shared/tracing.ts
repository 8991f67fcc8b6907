/**
 * The tracing setup every example shares: the real OpenTelemetry SDK with an in-memory exporter, so each program
 * can print the spans it produced. An app would export with OTLP instead; nothing else changes.
 */
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";

export function setupTracing(first: SpanProcessor[] = []): {
  exporter: InMemorySpanExporter;
  provider: BasicTracerProvider;
  spans: () => ReadableSpan[];
} {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [...first, new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return { exporter, provider, spans: () => exporter.getFinishedSpans() };
}

/** One line per attribute, sorted, for printing. */
export function attributeLines(span: ReadableSpan, keys?: readonly string[]): string[] {
  return Object.entries(span.attributes)
    .filter(([k]) => keys === undefined || keys.includes(k))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`);
}
