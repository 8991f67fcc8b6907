/**
 * Request context (session, user, metadata, tags, prompt template, extra attributes) carried by the
 * OpenTelemetry context — AsyncLocalStorage under Node's async-hooks context manager — and stamped on every
 * span started inside, by semtrace's own wrappers and, through {@link SemtraceContextSpanProcessor}, on
 * spans of any other instrumentation.
 */
import { context, createContextKey, type AttributeValue, type Context } from "@opentelemetry/api";
import { buildContextAttributes, type Attributes } from "@semtrace/openinference";

export interface TraceContext {
  readonly sessionId?: string;
  readonly userId?: string;
  /** Merged key by key with outer metadata; serialised as one JSON object (`metadata`). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Added to outer tags (no duplicates), written as a string array (`tag.tags`). */
  readonly tags?: readonly string[];
  readonly promptTemplate?: {
    readonly template?: string;
    readonly variables?: Readonly<Record<string, unknown>>;
    readonly version?: string;
  };
  /** Any further registry attributes for every span inside (inner wins per key). */
  readonly attributes?: Attributes;
}

interface Stored {
  readonly value: TraceContext;
  /** The attributes to stamp, computed once per `withContext`. */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

const CONTEXT_KEY = createContextKey("semtrace.trace-context");

function merge(outer: TraceContext | undefined, inner: TraceContext): TraceContext {
  if (!outer) return inner;
  const out: { -readonly [K in keyof TraceContext]: TraceContext[K] } = { ...outer };
  if (inner.sessionId !== undefined) out.sessionId = inner.sessionId;
  if (inner.userId !== undefined) out.userId = inner.userId;
  if (inner.metadata !== undefined) out.metadata = { ...outer.metadata, ...inner.metadata };
  if (inner.tags !== undefined) out.tags = [...new Set([...(outer.tags ?? []), ...inner.tags])];
  if (inner.promptTemplate !== undefined) {
    const o = outer.promptTemplate;
    const i = inner.promptTemplate;
    out.promptTemplate = { ...o, ...i, ...(o?.variables || i.variables ? { variables: { ...o?.variables, ...i.variables } } : {}) };
  }
  if (inner.attributes !== undefined) out.attributes = { ...outer.attributes, ...inner.attributes };
  return out;
}

function toAttributes(value: TraceContext): Record<string, AttributeValue> {
  const attrs = buildContextAttributes({
    sessionId: value.sessionId ?? null,
    userId: value.userId ?? null,
    metadata: value.metadata ?? null,
    tags: value.tags ?? null,
    promptTemplate: value.promptTemplate ?? null,
  }) as Record<string, AttributeValue>;
  return value.attributes ? { ...attrs, ...(value.attributes as Record<string, AttributeValue>) } : attrs;
}

/** Returns `ctx` carrying `value` merged over the trace context it already has (for code that manages contexts itself). */
export function setTraceContext(ctx: Context, value: TraceContext): Context {
  try {
    const outer = (ctx.getValue(CONTEXT_KEY) as Stored | undefined)?.value;
    const merged = merge(outer, value ?? {});
    const stored: Stored = { value: merged, attributes: Object.freeze(toAttributes(merged)) };
    return ctx.setValue(CONTEXT_KEY, stored);
  } catch {
    return ctx;
  }
}

/** Returns `ctx` without a trace context. */
export function clearTraceContext(ctx: Context): Context {
  return ctx.deleteValue(CONTEXT_KEY);
}

/** The trace context of `ctx` (default: the active context). */
export function getTraceContext(ctx: Context = context.active()): TraceContext | undefined {
  return (ctx.getValue(CONTEXT_KEY) as Stored | undefined)?.value;
}

/** @internal The attributes to stamp for `ctx`. */
export function contextAttributesOf(ctx: Context): Readonly<Record<string, AttributeValue>> | undefined {
  return (ctx.getValue(CONTEXT_KEY) as Stored | undefined)?.attributes;
}

/**
 * Runs `fn` with `value` merged over the current trace context: inner values win per key, tags and metadata
 * merge. Concurrent calls stay isolated (each has its own context).
 */
export function withContext<R>(value: TraceContext, fn: () => R): R {
  let ctx: Context;
  try {
    ctx = setTraceContext(context.active(), value);
  } catch {
    return fn();
  }
  return context.with(ctx, fn);
}

/**
 * Marks spans the processor already stamped, so semtrace's own wrappers do not stamp them twice. A property under
 * a private symbol rather than a WeakSet: a weak collection entry per span is expensive for the garbage collector.
 */
const STAMPED = Symbol("semtrace.stamped");

/** @internal True when a context processor stamped `span` at its start. */
export function wasStamped(span: object): boolean {
  return (span as Record<symbol, unknown>)[STAMPED] === true;
}

/** The part of an SDK span processor this one needs (structurally compatible with `SpanProcessor`). */
interface StartableSpan {
  setAttributes(attributes: Record<string, AttributeValue>): unknown;
}

/**
 * Stamps the trace context of the parent context on every span that starts, whatever created it (semtrace,
 * an auto-instrumentation, plain OpenTelemetry). Register it with your tracer provider:
 * `new BasicTracerProvider({ spanProcessors: [new SemtraceContextSpanProcessor(), exportProcessor] })`.
 */
export class SemtraceContextSpanProcessor {
  onStart(span: StartableSpan, parentContext: Context): void {
    try {
      const attrs = contextAttributesOf(parentContext);
      if (attrs !== undefined) {
        span.setAttributes(attrs);
        (span as unknown as Record<symbol, unknown>)[STAMPED] = true;
      }
    } catch {
      // never throw
    }
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
