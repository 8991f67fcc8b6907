/** Real OpenTelemetry SDK for tests: AsyncLocalStorage context manager, in-memory exporter. */
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanProcessor as SdkSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { validateSpan } from "@semtrace/openinference";
import { expect } from "vitest";

export interface Tracing {
  readonly exporter: InMemorySpanExporter;
  readonly provider: BasicTracerProvider;
  spans(): ReadableSpan[];
  span(name: string): ReadableSpan;
  reset(): void;
}

/** Registers a global provider (once per test file) with `processors` before the exporting one. */
export function setupTracing(processors: SdkSpanProcessor[] = []): Tracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [...processors, new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return {
    exporter,
    provider,
    spans: () => exporter.getFinishedSpans(),
    span(name) {
      const found = exporter.getFinishedSpans().filter((s) => s.name === name);
      if (found.length !== 1)
        throw new Error(
          `expected one span "${name}", found ${found.length}: ${exporter
            .getFinishedSpans()
            .map((s) => s.name)
            .join(", ")}`,
        );
      return found[0]!;
    },
    reset: () => exporter.reset(),
  };
}

/** A provider that is not registered globally, for the `tracer` option. */
export function localProvider(processors: SdkSpanProcessor[] = []): {
  exporter: InMemorySpanExporter;
  provider: BasicTracerProvider;
} {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [...processors, new SimpleSpanProcessor(exporter)] });
  return { exporter, provider };
}

/** Every span passes the registry's validators without errors. */
export function expectValid(spans: readonly ReadableSpan[]): void {
  for (const span of spans) {
    const errors = validateSpan(span).filter((f) => f.severity === "error");
    expect(errors, `span "${span.name}"`).toEqual([]);
  }
}

export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
