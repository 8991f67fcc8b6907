/**
 * Runs code with an in-memory OpenTelemetry exporter and returns the spans it finished. Needs the optional
 * peers `@opentelemetry/api` and `@opentelemetry/sdk-trace-base` (2.x); when
 * `@opentelemetry/context-async-hooks` is installed, context propagates across `await` as in an app.
 */
import type { Tracer, TracerProvider } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

export interface CollectedSpans<T> {
  /** The value `fn` returned (awaited). */
  readonly result: T;
  /** Every span that ended while `fn` ran, in the order they ended. */
  readonly spans: ReadableSpan[];
}

export interface CollectOptions {
  /** The tracer name passed to `fn` (default `"@semtrace/testing"`). */
  readonly tracerName?: string;
}

/**
 * Installs a fresh tracer provider as the global one for the duration of `fn` (code that calls
 * `trace.getTracer()` is captured), runs `fn`, flushes, and restores an empty global.
 * Calls must not overlap: the global provider is process-wide.
 */
export async function collectSpans<T>(
  fn: (tracer: Tracer, provider: TracerProvider) => T | Promise<T>,
  options: CollectOptions = {},
): Promise<CollectedSpans<T>> {
  const api = await import("@opentelemetry/api");
  const sdk = await import("@opentelemetry/sdk-trace-base");
  const exporter = new sdk.InMemorySpanExporter();
  const provider = new sdk.BasicTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(exporter)] });
  let contextManager: { enable(): unknown; disable(): unknown } | undefined;
  try {
    const hooks = await import("@opentelemetry/context-async-hooks");
    contextManager = new hooks.AsyncLocalStorageContextManager();
  } catch {
    contextManager = undefined;
  }
  api.trace.disable();
  api.trace.setGlobalTracerProvider(provider);
  if (contextManager) {
    api.context.disable();
    api.context.setGlobalContextManager(
      contextManager.enable() as Parameters<typeof api.context.setGlobalContextManager>[0],
    );
  }
  try {
    const result = await fn(provider.getTracer(options.tracerName ?? "@semtrace/testing"), provider);
    await provider.forceFlush();
    return { result, spans: [...exporter.getFinishedSpans()] };
  } finally {
    api.trace.disable();
    if (contextManager) {
      api.context.disable();
    }
    await provider.shutdown();
  }
}
