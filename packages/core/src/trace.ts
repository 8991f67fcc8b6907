/**
 * Function wrappers (`withSpan`, `traceLLM`, …), the callback style (`startActiveSpan`) and manual spans
 * (`startSpan`), on plain `@opentelemetry/api`: whichever tracer provider the application registered.
 */
import { SpanKind, context, trace, type Attributes as OTelAttributes, type Context, type Link, type Span, type TimeInput, type Tracer } from "@opentelemetry/api";
import { TOOL_NAME, buildInputAttributes, buildOutputAttributes, buildSpanKindAttributes, type Attributes } from "@semtrace/openinference";
import { resolveConfig, type TraceConfig } from "./config.js";
import { contextAttributesOf, wasStamped } from "./context.js";
import type { PriceTable } from "./cost.js";
import { normalizeKind, type NormalizeKind, type SpanKindInput, type SpanKindName } from "./kinds.js";
import { DEFAULT_PRICES } from "./prices.js";
import { SpanHandle, type SpanFor } from "./span.js";
import { streamKind, traceStream, type StreamOptions } from "./stream.js";

export const TRACER_NAME = "@semtrace/core";

type AnyFn = (this: any, ...args: any[]) => any;

/** The element type of a stream a function may return (for `aggregate`). */
export type ChunkOf<R> =
  Awaited<R> extends AsyncIterable<infer C>
    ? C
    : Awaited<R> extends ReadableStream<infer C>
      ? C
      : Awaited<R> extends Iterator<infer C>
        ? C
        : never;

/** Options every way of starting a span shares. */
export interface SpanOptions {
  /** A tracer to use instead of the global provider's (looked up at every call, so a later registration applies). */
  readonly tracer?: Tracer;
  /** The OpenTelemetry span kind. Default INTERNAL. */
  readonly openTelemetrySpanKind?: SpanKind;
  /** Registry attributes set when the span starts (after context attributes, so they win). */
  readonly attributes?: Attributes;
  readonly links?: readonly Link[];
  readonly startTime?: TimeInput;
  /** Start a root span, ignoring the active span. */
  readonly root?: boolean;
  /** Redaction and size budget for this span, over the global configuration. */
  readonly config?: TraceConfig;
  /** Price table for LLM usage, or `false` to never price. Default: the package's {@link DEFAULT_PRICES} (or `configure`'s). */
  readonly prices?: PriceTable | false;
}

/** Options of the function wrappers, typed from the wrapped function. */
export interface TraceOptions<F extends AnyFn> extends SpanOptions, StreamOptions<ChunkOf<ReturnType<F>>> {
  /** Span name. Default: the function's name, else the kind in lower case. */
  readonly name?: string;
  /** Turns the arguments into attributes instead of the default `input.value` (one argument as is, several as a JSON array). */
  readonly processInput?: (...args: Parameters<F>) => Attributes;
  /** Turns the (awaited) result into attributes instead of the default `output.value`. Not called for streams (see `aggregate`). */
  readonly processOutput?: (output: Awaited<ReturnType<F>>) => Attributes;
  /** Record the input at all. Default true. */
  readonly captureInput?: boolean;
  /** Record the output at all. Default true. */
  readonly captureOutput?: boolean;
}

let defaultPrices: PriceTable | false = DEFAULT_PRICES;

/** Sets the price table used when a span gives none (`false`: never price). */
export function setDefaultPrices(prices: PriceTable | false): void {
  defaultPrices = prices;
}

function tracerOf(options: SpanOptions | undefined): Tracer {
  return options?.tracer ?? trace.getTracer(TRACER_NAME);
}

/** Starts an OTel span and wraps it in a handle; stamps kind and context attributes. Throws only if the API does. */
function open(kindName: SpanKindName, name: string, options: SpanOptions | undefined, parent: Context): SpanHandle {
  // The span kind is an initial attribute, so samplers and processors' onStart see it.
  const otelOptions: { kind: SpanKind; attributes: OTelAttributes; links?: Link[]; startTime?: TimeInput; root?: boolean } = {
    kind: options?.openTelemetrySpanKind ?? SpanKind.INTERNAL,
    attributes: KIND_ATTRIBUTES[kindName],
  };
  if (options?.links) otelOptions.links = options.links as Link[];
  if (options?.startTime !== undefined) otelOptions.startTime = options.startTime;
  if (options?.root) otelOptions.root = true;
  const span = tracerOf(options).startSpan(name, otelOptions, parent);
  const handle = new SpanHandle(span, kindName, resolveConfig(options?.config), options?.prices ?? defaultPrices);
  const ctxAttrs = contextAttributesOf(parent);
  if (ctxAttrs !== undefined && !wasStamped(span)) handle.putAll(ctxAttrs);
  // A tool span is named after its tool (the wrapped function's name by default): record it as `tool.name`.
  // The caller's own `tool.name` (attributes, processInput, span.record) is written later and wins.
  if (kindName === "TOOL") handle.put(TOOL_NAME, name);
  if (options?.attributes) handle.setAttributes(options.attributes);
  return handle;
}

const KIND_ATTRIBUTES: Readonly<Record<SpanKindName, OTelAttributes>> = Object.freeze({
  LLM: buildSpanKindAttributes("LLM"),
  EMBEDDING: buildSpanKindAttributes("EMBEDDING"),
  CHAIN: buildSpanKindAttributes("CHAIN"),
  RETRIEVER: buildSpanKindAttributes("RETRIEVER"),
  RERANKER: buildSpanKindAttributes("RERANKER"),
  TOOL: buildSpanKindAttributes("TOOL"),
  AGENT: buildSpanKindAttributes("AGENT"),
  GUARDRAIL: buildSpanKindAttributes("GUARDRAIL"),
  EVALUATOR: buildSpanKindAttributes("EVALUATOR"),
  PROMPT: buildSpanKindAttributes("PROMPT"),
  UNKNOWN: buildSpanKindAttributes("UNKNOWN"),
}) as Readonly<Record<SpanKindName, OTelAttributes>>;

function activeContext(): Context {
  return context.active();
}

function activate(parent: Context, handle: SpanHandle): Context {
  return trace.setSpan(parent, handle.span);
}

function inputOf(args: readonly unknown[]): unknown {
  return args.length === 0 ? undefined : args.length === 1 ? args[0] : args;
}

function safeAttributes(fn: () => Attributes): Attributes | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/**
 * Ends `handle` when `result` is done: at once for plain values; on settlement for promises; with the stream
 * for generators, async iterables and readable streams (also inside a promise). Returns what the caller gets.
 */
function settleResult<R>(handle: SpanHandle, result: R, options: TraceOptions<AnyFn> | undefined, ctx: Context, capture: boolean): R {
  if (result !== null && typeof result === "object" && typeof (result as { then?: unknown }).then === "function") {
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => finishValue(handle, value, options, ctx, capture),
        (error: unknown) => {
          handle.recordError(error);
          handle.end();
          throw error;
        },
      ) as R;
    }
    // A custom thenable (an SDK's API promise with extra methods): keep it, observe it.
    try {
      (result as unknown as PromiseLike<unknown>).then(
        (value) => {
          // The caller gets the thenable's own value, so a ReadableStream cannot be swapped for a traced one:
          // end the span now rather than leave it to the timeout. Iterables are instrumented in place as usual.
          if (streamKind(value) === "readable-stream") {
            handle.ok();
            handle.end();
          } else finishValue(handle, value, options, ctx, capture);
        },
        (error) => {
          handle.recordError(error);
          handle.end();
        },
      );
    } catch (error) {
      handle.recordError(error);
      handle.end();
    }
    return result;
  }
  return finishValue(handle, result, options, ctx, capture);
}

function finishValue<T>(handle: SpanHandle, value: T, options: TraceOptions<AnyFn> | undefined, ctx: Context, capture: boolean): T {
  const kind = streamKind(value);
  if (kind !== undefined) {
    const traced = traceStream(value, kind, handle, options ?? {}, ctx);
    if (traced !== undefined) return traced;
    return value;
  }
  try {
    if (capture && handle.recording && options?.captureOutput !== false && value !== undefined) {
      if (options?.processOutput) {
        const attrs = safeAttributes(() => options.processOutput!(value));
        if (attrs) handle.setAttributes(attrs);
      } else handle.putAll(buildOutputAttributes({ value }));
    }
    handle.ok();
  } catch {
    // ignore
  }
  handle.end();
  return value;
}

/**
 * Wraps `fn` in a span of the given kind. The wrapper has `fn`'s exact type: `this`, parameters and return
 * type are kept, sync functions stay sync, and promises and streams end the span when they finish.
 */
export function withSpan<F extends AnyFn>(kind: SpanKindInput, fn: F, options?: TraceOptions<F>): F {
  const kindName = normalizeKind(kind);
  const name = options?.name ?? (fn.name || kindName.toLowerCase());
  const wrapped = function (this: ThisParameterType<F>, ...args: Parameters<F>): ReturnType<F> {
    let handle: SpanHandle;
    let ctx: Context;
    try {
      const parent = activeContext();
      handle = open(kindName, name, options, parent);
      ctx = activate(parent, handle);
      if (handle.recording && options?.captureInput !== false) {
        const processInput = options?.processInput;
        if (processInput) {
          let attrs: Attributes | undefined;
          try {
            attrs = processInput.apply(undefined, args);
          } catch {
            attrs = undefined;
          }
          if (attrs) handle.setAttributes(attrs);
        } else if (args.length > 0) handle.putAll(buildInputAttributes({ value: inputOf(args) }));
      }
    } catch {
      return fn.apply(this, args);
    }
    let result: ReturnType<F>;
    try {
      result = context.with(ctx, fn, this, ...args);
    } catch (error) {
      handle.recordError(error);
      handle.end();
      throw error;
    }
    try {
      return settleResult(handle, result, options as TraceOptions<AnyFn> | undefined, ctx, true);
    } catch {
      return result;
    }
  };
  try {
    Object.defineProperty(wrapped, "name", { value: fn.name, configurable: true });
    Object.defineProperty(wrapped, "length", { value: fn.length, configurable: true });
  } catch {
    // ignore
  }
  return wrapped as F;
}

type KindOptions<F extends AnyFn> = TraceOptions<F>;

/** An LLM call. */
export const traceLLM = <F extends AnyFn>(fn: F, options?: KindOptions<F>): F => withSpan("LLM", fn, options);
/** A reasoning loop that decides which models and tools to call. */
export const traceAgent = <F extends AnyFn>(fn: F, options?: KindOptions<F>): F => withSpan("AGENT", fn, options);
/** A tool the model called. */
export const traceTool = <F extends AnyFn>(fn: F, options?: KindOptions<F>): F => withSpan("TOOL", fn, options);
/** An application step linking other steps. */
export const traceChain = <F extends AnyFn>(fn: F, options?: KindOptions<F>): F => withSpan("CHAIN", fn, options);
/** A retrieval of documents. */
export const traceRetriever = <F extends AnyFn>(fn: F, options?: KindOptions<F>): F => withSpan("RETRIEVER", fn, options);
/** A reranking of documents. */
export const traceReranker = <F extends AnyFn>(fn: F, options?: KindOptions<F>): F => withSpan("RERANKER", fn, options);
/** An embedding computation. */
export const traceEmbedding = <F extends AnyFn>(fn: F, options?: KindOptions<F>): F => withSpan("EMBEDDING", fn, options);
/** A guardrail check. */
export const traceGuardrail = <F extends AnyFn>(fn: F, options?: KindOptions<F>): F => withSpan("GUARDRAIL", fn, options);
/** An evaluation. */
export const traceEvaluator = <F extends AnyFn>(fn: F, options?: KindOptions<F>): F => withSpan("EVALUATOR", fn, options);
/** The rendering of a prompt template. */
export const tracePrompt = <F extends AnyFn>(fn: F, options?: KindOptions<F>): F => withSpan("PROMPT", fn, options);

/**
 * Callback style: runs `fn` with a new active span of `kind` and a handle typed by that kind. The span ends
 * when `fn` returns, its promise settles or its stream finishes (calling `span.end()` yourself is fine too).
 * Errors are recorded and re-thrown; OK is set only if no status was set.
 */
export function startActiveSpan<K extends SpanKindInput, R>(kind: K, name: string, fn: (span: SpanFor<NormalizeKind<K>>) => R, options?: SpanOptions & StreamOptions<ChunkOf<R>>): R {
  let handle: SpanHandle;
  let ctx: Context;
  try {
    const parent = activeContext();
    handle = open(normalizeKind(kind), name, options, parent);
    ctx = activate(parent, handle);
  } catch {
    return fn(noopHandle() as unknown as SpanFor<NormalizeKind<K>>);
  }
  let result: R;
  try {
    result = context.with(ctx, fn, undefined, handle as unknown as SpanFor<NormalizeKind<K>>);
  } catch (error) {
    handle.recordError(error);
    handle.end();
    throw error;
  }
  try {
    return settleResult(handle, result, options as TraceOptions<AnyFn> | undefined, ctx, false);
  } catch {
    return result;
  }
}

/**
 * Manual span: started (as a child of the active span, or of `options.parent`) but not made active; use
 * `span.run(fn)` to start children under it, and call `span.end()` when done.
 */
export function startSpan<K extends SpanKindInput>(kind: K, name: string, options?: SpanOptions & { readonly parent?: Context | { readonly span: Span } }): SpanFor<NormalizeKind<K>> {
  try {
    const p = options?.parent;
    const parent = p === undefined ? activeContext() : "span" in (p as object) && !("getValue" in (p as object)) ? trace.setSpan(activeContext(), (p as { span: Span }).span) : (p as Context);
    return open(normalizeKind(kind), name, options, parent) as unknown as SpanFor<NormalizeKind<K>>;
  } catch {
    return noopHandle() as unknown as SpanFor<NormalizeKind<K>>;
  }
}

function noopHandle(): SpanHandle {
  return new SpanHandle(trace.wrapSpanContext({ traceId: "00000000000000000000000000000000", spanId: "0000000000000000", traceFlags: 0 }), "UNKNOWN", resolveConfig(), false);
}


