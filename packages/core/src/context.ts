/**
 * Request context (session, user, metadata, tags, prompt template, extra attributes) carried by the
 * OpenTelemetry context — AsyncLocalStorage under Node's async-hooks context manager — and stamped on every
 * span started inside, by semtrace's own wrappers and, through {@link SemtraceContextSpanProcessor}, on
 * spans of any other instrumentation.
 */
import { context, type AttributeValue, type Context } from "@opentelemetry/api";
import { buildContextAttributes, type Attributes } from "@semtrace/openinference";
import { checkCopies } from "./copies.js";
import { state } from "./global-state.js";
import { OpenSpans, claim, markStamped, startingGenAIOnlySpan, startingSemtraceSpan } from "./open-spans.js";
import {
  openInferenceAttributes,
  openInferenceRaw,
  withOpenInferenceValues,
  type OpenInferenceRaw,
} from "./openinference-context.js";
import { swallowed } from "./swallowed.js";

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
  /** What this set also stored in OpenInference's context keys (so a later `setSession` & co. is told apart). */
  readonly mirrored: OpenInferenceRaw | undefined;
}

/** The context key of the trace context: the process-wide state's, so every copy of the package reads the others'. */
const CONTEXT_KEY = state.traceContextKey;

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The fields of a trace context that have the right shape; the rest are left out and reported. Checked before
 * anything is spread, so a huge string where an object or array belongs costs nothing.
 */
function checked(value: unknown): TraceContext {
  if (!isRecord(value)) {
    if (value !== undefined)
      swallowed("withContext()/setTraceContext() was given a trace context that is not an object, so it added nothing");
    return {};
  }
  const out: { -readonly [K in keyof TraceContext]: TraceContext[K] } = {};
  const { sessionId, userId, metadata, tags, promptTemplate, attributes } = value as Record<
    keyof TraceContext,
    unknown
  >;
  if (typeof sessionId === "string") out.sessionId = sessionId;
  if (typeof userId === "string") out.userId = userId;
  if (isRecord(metadata)) out.metadata = metadata;
  if (Array.isArray(tags)) out.tags = tags.filter((tag): tag is string => typeof tag === "string");
  if (isRecord(promptTemplate)) {
    const { template, variables, version } = promptTemplate as Record<string, unknown>;
    out.promptTemplate = {
      ...(typeof template === "string" ? { template } : {}),
      ...(isRecord(variables) ? { variables } : {}),
      ...(typeof version === "string" ? { version } : {}),
    };
  }
  if (isRecord(attributes)) out.attributes = attributes as Attributes;
  const wrong =
    (sessionId !== undefined && out.sessionId === undefined) ||
    (userId !== undefined && out.userId === undefined) ||
    (metadata !== undefined && out.metadata === undefined) ||
    (tags !== undefined && (out.tags === undefined || out.tags.length !== (tags as unknown[]).length)) ||
    (promptTemplate !== undefined && out.promptTemplate === undefined) ||
    (attributes !== undefined && out.attributes === undefined);
  if (wrong)
    swallowed(
      "a trace context field has the wrong type (sessionId and userId are strings, tags an array of strings, metadata, promptTemplate and attributes objects), so it was left out",
    );
  return out;
}

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
    out.promptTemplate = {
      ...o,
      ...i,
      ...(o?.variables || i.variables ? { variables: { ...o?.variables, ...i.variables } } : {}),
    };
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
    const outer = storedIn(ctx)?.value;
    // Context set with @arizeai/openinference-core since semtrace's last set is part of the outer context too.
    const merged = merge(outer, checked(value));
    const attributes = Object.freeze({ ...contextAttributesOf(ctx), ...toAttributes(merged) });
    const mirroredCtx = withOpenInferenceValues(ctx, attributes);
    const stored: Stored = { value: merged, attributes, mirrored: openInferenceRaw(mirroredCtx) };
    return mirroredCtx.setValue(CONTEXT_KEY, stored);
  } catch (error) {
    swallowed(
      "a trace context could not be set (a hostile context or value?), so the context was left as it was",
      error,
    );
    return ctx;
  }
}

/** Returns `ctx` without a trace context. */
export function clearTraceContext(ctx: Context): Context {
  try {
    return ctx.deleteValue(CONTEXT_KEY);
  } catch (error) {
    swallowed("clearTraceContext() was given something that is not a context, so it was returned as it was", error);
    return ctx;
  }
}

/** The trace context of `ctx` (default: the active context). */
export function getTraceContext(ctx: Context = context.active()): TraceContext | undefined {
  return storedIn(ctx)?.value;
}

const stampedCache = new WeakMap<Context, Readonly<Record<string, AttributeValue>> | null>();

/**
 * @internal The attributes to stamp for `ctx`: semtrace's trace context, with what `@arizeai/openinference-core`'s
 * setters put in the context since (an OpenInference value that differs from the one semtrace mirrored was set
 * later, inside, so it wins). Cached per context object (contexts are immutable).
 */
export function contextAttributesOf(ctx: Context): Readonly<Record<string, AttributeValue>> | undefined {
  const cached = stampedCache.get(ctx);
  if (cached !== undefined) return cached ?? undefined;
  const stored = storedIn(ctx);
  let attributes: Readonly<Record<string, AttributeValue>> | undefined = stored?.attributes;
  try {
    const raw = openInferenceRaw(ctx);
    const newer = raw && openInferenceAttributes(raw, stored?.mirrored);
    if (newer) attributes = Object.freeze({ ...attributes, ...newer });
  } catch (error) {
    swallowed("OpenInference context values could not be read, so only semtrace's trace context is stamped", error);
  }
  try {
    stampedCache.set(ctx, attributes ?? null);
  } catch {
    // Not reported: a context that cannot key a WeakMap is only not cached; its attributes are still stamped.
  }
  return attributes;
}

function storedIn(ctx: Context): Stored | undefined {
  try {
    return ctx.getValue(CONTEXT_KEY) as Stored | undefined;
  } catch (error) {
    swallowed("a context that is not an OpenTelemetry context was given, so it carries no trace context", error);
    return undefined;
  }
}

/**
 * Runs `fn` with `value` merged over the current trace context: inner values win per key, tags and metadata
 * merge. Concurrent calls stay isolated (each has its own context).
 */
export function withContext<R>(value: TraceContext, fn: () => R): R {
  let ctx: Context;
  try {
    ctx = setTraceContext(context.active(), value);
  } catch (error) {
    swallowed("the active context could not be read, so the function ran without the trace context", error);
    return fn();
  }
  return context.with(ctx, fn);
}

/** The part of an SDK span processor this one needs (structurally compatible with `SpanProcessor`). */
interface StartableSpan {
  setAttributes(attributes: Record<string, AttributeValue>): unknown;
}

export interface SemtraceContextSpanProcessorOptions {
  /**
   * End the semtrace spans still open when the tracer provider shuts down — a stream nobody read, a call still
   * running — with the event `semtrace.span.ended_at_shutdown` (a stream's output so far recorded), so they are
   * exported rather than lost. Default true. Register this processor before the exporting one, so that the
   * spans it ends reach the exporter before that shuts down.
   */
  readonly endOpenSpansOnShutdown?: boolean;
  /**
   * Also end them on every `forceFlush()` (event `semtrace.span.ended_at_flush`): for a serverless function that
   * flushes at the end of each invocation and may be frozen afterwards. Default false: a server that flushes per
   * request would cut the streams of the requests still running.
   */
  readonly endOpenSpansOnFlush?: boolean;
}

/**
 * Stamps the trace context of the parent context on every span that starts, whatever created it (semtrace,
 * an auto-instrumentation, plain OpenTelemetry), and ends the semtrace spans still open when the provider shuts
 * down (see {@link SemtraceContextSpanProcessorOptions}). Register it with your tracer provider, first:
 * `new BasicTracerProvider({ spanProcessors: [new SemtraceContextSpanProcessor(), exporting] })`.
 */
export class SemtraceContextSpanProcessor {
  private readonly open = new OpenSpans();
  private readonly endOnShutdown: boolean;
  private readonly endOnFlush: boolean;

  constructor(options?: SemtraceContextSpanProcessorOptions) {
    checkCopies("SemtraceContextSpanProcessor");
    let onShutdown: unknown;
    let onFlush: unknown;
    try {
      onShutdown = options?.endOpenSpansOnShutdown;
      onFlush = options?.endOpenSpansOnFlush;
    } catch (error) {
      swallowed("SemtraceContextSpanProcessor options could not be read, so the defaults apply", error);
    }
    if (
      (onShutdown !== undefined && typeof onShutdown !== "boolean") ||
      (onFlush !== undefined && typeof onFlush !== "boolean")
    ) {
      swallowed(
        "SemtraceContextSpanProcessor: endOpenSpansOnShutdown and endOpenSpansOnFlush are booleans, so a value of another type was ignored",
      );
    }
    this.endOnShutdown = onShutdown !== false;
    this.endOnFlush = onFlush === true;
  }

  /** Semtrace spans started through this processor's provider and not ended yet. */
  get openSpans(): number {
    return this.open.size;
  }

  onStart(span: StartableSpan, parentContext: Context): void {
    // The span starting inside semtrace's own startSpan call is semtrace's: it joins this processor's list.
    const ours = startingSemtraceSpan();
    if (ours) claim(this.open);
    // A semtrace span written in GenAI only stamps its context itself, so it is translated with the rest.
    if (ours && startingGenAIOnlySpan()) return;
    try {
      const attrs = contextAttributesOf(parentContext);
      if (attrs !== undefined) {
        span.setAttributes(attrs);
        // semtrace's wrapper would stamp them too: tell it they are there.
        if (ours) markStamped();
      }
    } catch (error) {
      swallowed(
        "SemtraceContextSpanProcessor could not stamp a span (a hostile span or context?), so it lacks the trace context's attributes",
        error,
      );
    }
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    if (this.endOnFlush) this.endOpen("flush");
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    if (this.endOnShutdown) this.endOpen("shutdown");
    return Promise.resolve();
  }

  private endOpen(reason: "shutdown" | "flush"): void {
    try {
      this.open.interruptAll(reason);
    } catch (error) {
      swallowed(
        "SemtraceContextSpanProcessor could not end every open span, so some spans still open at shutdown may not be exported",
        error,
      );
    }
  }
}
