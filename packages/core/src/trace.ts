// biome-ignore-all lint/suspicious/noExplicitAny: `(this: any, ...args: any[]) => any` is the constraint that admits every function (unknown parameters would reject specific ones).
// biome-ignore-all lint/complexity/noBannedTypes: `{}` is the default of the attribute, input and output type parameters: no extra keys.
/**
 * Function wrappers (`withSpan`, `traceLLM`, …), the callback style (`startActiveSpan`) and manual spans
 * (`startSpan`), on plain `@opentelemetry/api`: whichever tracer provider the application registered.
 */
import {
  SpanKind,
  context,
  trace,
  type AttributeValue,
  type Attributes as OTelAttributes,
  type Context,
  type Link,
  type Span,
  type TimeInput,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";
import { TOOL_NAME, buildInputAttributes, type Attributes } from "@semtrace/openinference";
import { toGenAI } from "@semtrace/translate";
import { reportUnknownBuilderInputs } from "./builder-inputs.js";
import { resolveConfig, type Conventions, type TraceConfig } from "./config.js";
import { contextAttributesOf } from "./context.js";
import { defaultPrices, type PriceTable } from "./cost.js";
import type { SpanAttributes } from "./custom-keys.js";
import { KIND_ATTRIBUTES, normalizeKind, type NormalizeKind, type SpanKindInput, type SpanKindName } from "./kinds.js";
import { beginStart, endStart, stampedAtStart } from "./open-spans.js";
import { SpanHandle, type SpanFor } from "./span.js";
import { settleResult, type ResultOptions } from "./settle.js";
import type { StreamOptions } from "./stream.js";
import { swallowed } from "./swallowed.js";

// Builders report input fields they do not know through the runtime's hook: to diag, once each.
reportUnknownBuilderInputs();

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
  /** A tracer to use instead of the global provider's (which is found anew when the global provider changes). */
  readonly tracer?: Tracer;
  /** The OpenTelemetry span kind. Default INTERNAL. */
  readonly openTelemetrySpanKind?: SpanKind;
  /**
   * Attributes set when the span starts (after context attributes, so they win): registry keys with their value
   * types, and keys of your own (`"mycompany.tenant"`, `"channel"`) with any OpenTelemetry value. Keys inside a
   * namespace the registry owns must be registry keys (see {@link SpanAttributes}).
   */
  readonly attributes?: Readonly<Record<string, AttributeValue | undefined>>;
  readonly links?: readonly Link[];
  readonly startTime?: TimeInput;
  /** Start a root span, ignoring the active span. */
  readonly root?: boolean;
  /** Redaction and size budget for this span, over the global configuration. */
  readonly config?: TraceConfig;
  /** Price table for LLM usage, or `false` to never price. Default: the package's `DEFAULT_PRICES` (or `setDefaultPrices`'s). */
  readonly prices?: PriceTable | false;
}

/** `attributes` checked key by key: registry keys with their value types, custom keys with any value. */
export type AttributesOption<A> = { readonly attributes?: A & SpanAttributes<A> };

/**
 * Options of the function wrappers, typed from the wrapped function (and the span kind, for `processOutput`'s
 * handle). `I` and `O` are what `processInput` and `processOutput` return, inferred and checked key by key like
 * `attributes` ({@link SpanAttributes}): registry keys with their value types, keys of your own with any value.
 */
export interface TraceOptions<
  F extends AnyFn,
  K extends SpanKindName = SpanKindName,
  I extends object = Attributes,
  O extends object = Attributes,
> extends SpanOptions,
    StreamOptions<ChunkOf<ReturnType<F>>> {
  /** Span name. Default: the function's name, else the kind in lower case. */
  readonly name?: string;
  /** Turns the arguments into attributes instead of the default `input.value` (one argument as is, several as a JSON array). */
  readonly processInput?: (...args: Parameters<F>) => (I & SpanAttributes<I>) | void;
  /**
   * Turns the (awaited) result into attributes instead of the default `output.value`; it also gets the span's
   * handle, typed by kind (`span.setUsage(…)` on an LLM span). Not called for streams (see `aggregate`).
   */
  readonly processOutput?: (output: Awaited<ReturnType<F>>, span: SpanFor<K>) => (O & SpanAttributes<O>) | void;
  /** Record the input at all. Default true (false for `traceOperation`). */
  readonly captureInput?: boolean;
  /** Record the output at all. Default true (false for `traceOperation`). */
  readonly captureOutput?: boolean;
}

/** The global provider's tracer, looked up again only when the global provider changes (a lookup per call costs more than a span attribute). */
let globalTracer: { readonly provider: TracerProvider; readonly tracer: Tracer } | undefined;

function tracerOf(options: SpanOptions | undefined): Tracer {
  const own = options?.tracer;
  if (own !== undefined) return own;
  const provider = trace.getTracerProvider();
  if (globalTracer === undefined || globalTracer.provider !== provider)
    globalTracer = { provider, tracer: provider.getTracer(TRACER_NAME) };
  return globalTracer.tracer;
}

/**
 * Starts an OTel span and wraps it in a handle; stamps kind and context attributes. The options are read
 * before the span starts, so that when they cannot be read (or the tracer throws) no span is left open.
 * Throws only then.
 */
function open(kindName: SpanKindName, name: string, options: SpanOptions | undefined, parent: Context): SpanHandle {
  // The span kind is an initial attribute, so samplers and processors' onStart see it. One shape for every call
  // (absent options are undefined, which the SDK reads as not given).
  const links = options?.links;
  if (links !== undefined && !Array.isArray(links))
    swallowed("the links option is not an array, so the span has no links");
  const config = resolveConfig(options?.config);
  const otelOptions: {
    kind: SpanKind;
    attributes: OTelAttributes | undefined;
    links: Link[] | undefined;
    startTime: TimeInput | undefined;
    root: boolean | undefined;
  } = {
    kind: otelKindOf(options?.openTelemetrySpanKind),
    attributes: initialAttributes(kindName, config.conventions),
    links: Array.isArray(links) ? (links as Link[]) : undefined,
    startTime: options?.startTime,
    root: options?.root ? true : undefined,
  };
  const prices = options?.prices ?? defaultPrices();
  const attributes = options?.attributes;
  const tracer = tracerOf(options);
  let span: Span;
  let openList;
  beginStart(config.conventions === "genai");
  try {
    span = tracer.startSpan(name, otelOptions, parent);
  } finally {
    openList = endStart();
  }
  const handle = new SpanHandle(span, kindName, config, prices, KIND_ATTRIBUTES[kindName]);
  // A context processor saw it start: it keeps it in its list of open spans, to end it at shutdown.
  if (openList !== undefined) openList.add(handle);
  // Nothing below throws (the handle's setters swallow and report), so a started span always reaches its end.
  if (!stampedAtStart()) {
    const ctxAttrs = contextAttributesOf(parent);
    if (ctxAttrs !== undefined) handle.putAll(ctxAttrs);
  }
  // A tool span is named after its tool (the wrapped function's name by default): record it as `tool.name`.
  // The caller's own `tool.name` (attributes, processInput, span.record) is written later and wins.
  if (kindName === "TOOL") handle.put(TOOL_NAME, name);
  if (attributes) handle.setAttributes(attributes as Attributes);
  return handle;
}

function otelKindOf(kind: unknown): SpanKind {
  if (kind === undefined) return SpanKind.INTERNAL;
  if (typeof kind === "number" && SpanKind[kind] !== undefined) return kind as SpanKind;
  swallowed("openTelemetrySpanKind is not an OpenTelemetry SpanKind, so INTERNAL was used");
  return SpanKind.INTERNAL;
}

/** The GenAI attributes of each kind's initial ones (its operation), translated once. */
const GENAI_KIND_ATTRIBUTES = new Map<SpanKindName, OTelAttributes | undefined>();

/** The initial attributes in the conventions the span is written in, so samplers and processors see its kind. */
function initialAttributes(kind: SpanKindName, conventions: Conventions): OTelAttributes | undefined {
  const openinference = KIND_ATTRIBUTES[kind] as OTelAttributes | undefined;
  if (conventions === "openinference" || openinference === undefined) return openinference;
  let genai = GENAI_KIND_ATTRIBUTES.get(kind);
  if (!GENAI_KIND_ATTRIBUTES.has(kind)) {
    const translated = toGenAI(openinference).attributes;
    genai = Object.keys(translated).length > 0 ? Object.freeze(translated as OTelAttributes) : undefined;
    GENAI_KIND_ATTRIBUTES.set(kind, genai);
  }
  return conventions === "genai" ? genai : { ...openinference, ...genai };
}

function activeContext(): Context {
  return context.active();
}

function activate(parent: Context, handle: SpanHandle): Context {
  return trace.setSpan(parent, handle.span);
}

function inputOf(args: readonly unknown[]): unknown {
  return args.length === 0 ? undefined : args.length === 1 ? args[0] : args;
}

/** Records the call's arguments (through `processInput` when given). Never throws. */
function recordInput(handle: SpanHandle, options: TraceOptions<AnyFn> | undefined, args: readonly unknown[]): void {
  let processInput: TraceOptions<AnyFn>["processInput"];
  try {
    const capture = options?.captureInput;
    if (capture === false || (handle.kind === "OPERATION" && capture !== true)) return;
    processInput = options?.processInput;
  } catch (error) {
    swallowed("the options' captureInput or processInput could not be read, so no input was recorded", error);
    return;
  }
  if (typeof processInput !== "function") {
    if (args.length > 0) handle.putAll(buildInputAttributes({ value: inputOf(args) }));
    return;
  }
  let attributes: unknown;
  try {
    attributes = processInput.apply(undefined, args as Parameters<AnyFn>);
  } catch (error) {
    swallowed("processInput threw, so no input was recorded", error);
    return;
  }
  if (attributes != null) handle.setAttributes(attributes as Attributes);
}

/** The span name of a wrapper: `options.name`, else the function's name, else the kind in lower case. */
function nameOf(kindName: SpanKindName, fn: AnyFn, options: { readonly name?: string } | undefined): string {
  try {
    const name = options?.name ?? fn.name;
    if (typeof name === "string" && name !== "") return name;
    if (name !== undefined && name !== "")
      swallowed("a span name that is not a string was given, so the kind's name was used");
  } catch (error) {
    swallowed("the span name could not be read from the options or the function, so the kind's name was used", error);
  }
  return kindName.toLowerCase();
}

/**
 * Wraps `fn` in a span of the given kind. The wrapper has `fn`'s exact type: `this`, parameters and return
 * type are kept, sync functions stay sync, and promises and streams end the span when they finish.
 */
export function withSpan<
  K extends SpanKindInput,
  F extends AnyFn,
  A extends object = {},
  I extends object = {},
  O extends object = {},
>(kind: K, fn: F, options?: TraceOptions<F, NormalizeKind<K>, I, O> & AttributesOption<A>): F {
  const kindName = normalizeKind(kind);
  // Operation spans record no input or output unless asked: they carry the application's own attributes.
  const outputByDefault = kindName !== "OPERATION";
  const name = nameOf(kindName, fn, options);
  const wrapped = function (this: ThisParameterType<F>, ...args: Parameters<F>): ReturnType<F> {
    let handle: SpanHandle;
    let ctx: Context;
    try {
      const parent = activeContext();
      handle = open(kindName, name, options, parent);
      ctx = activate(parent, handle);
    } catch (error) {
      swallowed(
        "a span could not be started (the tracer, or reading the options, threw), so the function ran untraced",
        error,
      );
      return fn.apply(this, args);
    }
    if (handle.recording) recordInput(handle, options as unknown as TraceOptions<AnyFn> | undefined, args);
    let result: ReturnType<F>;
    try {
      // Through Reflect.apply so that `this` stays exactly the caller's: context managers call a callback
      // given no `this` with null (AsyncLocalStorage.run), which a strict-mode function would see.
      result = context.with(ctx, Reflect.apply, undefined, fn, this, args) as ReturnType<F>;
    } catch (error) {
      handle.recordError(error);
      handle.end();
      throw error;
    }
    return settleResult(
      handle,
      result,
      options as ResultOptions | undefined,
      ctx,
      outputByDefault || captureOutputAsked(options),
    );
  };
  try {
    Object.defineProperty(wrapped, "name", { value: fn.name, configurable: true });
    Object.defineProperty(wrapped, "length", { value: fn.length, configurable: true });
  } catch (error) {
    swallowed(
      "the wrapped function's name or length could not be copied to the wrapper, so the wrapper keeps its own",
      error,
    );
  }
  return wrapped as F;
}

/** An LLM call. */
export const traceLLM = <F extends AnyFn, A extends object = {}, I extends object = {}, O extends object = {}>(
  fn: F,
  options?: TraceOptions<F, "LLM", I, O> & AttributesOption<A>,
): F => withSpan<"LLM", F, A, I, O>("LLM", fn, options);
/** A reasoning loop that decides which models and tools to call. */
export const traceAgent = <F extends AnyFn, A extends object = {}, I extends object = {}, O extends object = {}>(
  fn: F,
  options?: TraceOptions<F, "AGENT", I, O> & AttributesOption<A>,
): F => withSpan<"AGENT", F, A, I, O>("AGENT", fn, options);
/** A tool the model called. */
export const traceTool = <F extends AnyFn, A extends object = {}, I extends object = {}, O extends object = {}>(
  fn: F,
  options?: TraceOptions<F, "TOOL", I, O> & AttributesOption<A>,
): F => withSpan<"TOOL", F, A, I, O>("TOOL", fn, options);
/** An application step linking other steps (a pipeline of AI steps; for plain business logic, see {@link traceOperation}). */
export const traceChain = <F extends AnyFn, A extends object = {}, I extends object = {}, O extends object = {}>(
  fn: F,
  options?: TraceOptions<F, "CHAIN", I, O> & AttributesOption<A>,
): F => withSpan<"CHAIN", F, A, I, O>("CHAIN", fn, options);
/** A retrieval of documents. */
export const traceRetriever = <F extends AnyFn, A extends object = {}, I extends object = {}, O extends object = {}>(
  fn: F,
  options?: TraceOptions<F, "RETRIEVER", I, O> & AttributesOption<A>,
): F => withSpan<"RETRIEVER", F, A, I, O>("RETRIEVER", fn, options);
/** A reranking of documents. */
export const traceReranker = <F extends AnyFn, A extends object = {}, I extends object = {}, O extends object = {}>(
  fn: F,
  options?: TraceOptions<F, "RERANKER", I, O> & AttributesOption<A>,
): F => withSpan<"RERANKER", F, A, I, O>("RERANKER", fn, options);
/** An embedding computation. */
export const traceEmbedding = <F extends AnyFn, A extends object = {}, I extends object = {}, O extends object = {}>(
  fn: F,
  options?: TraceOptions<F, "EMBEDDING", I, O> & AttributesOption<A>,
): F => withSpan<"EMBEDDING", F, A, I, O>("EMBEDDING", fn, options);
/** A guardrail check. */
export const traceGuardrail = <F extends AnyFn, A extends object = {}, I extends object = {}, O extends object = {}>(
  fn: F,
  options?: TraceOptions<F, "GUARDRAIL", I, O> & AttributesOption<A>,
): F => withSpan<"GUARDRAIL", F, A, I, O>("GUARDRAIL", fn, options);
/** An evaluation. */
export const traceEvaluator = <F extends AnyFn, A extends object = {}, I extends object = {}, O extends object = {}>(
  fn: F,
  options?: TraceOptions<F, "EVALUATOR", I, O> & AttributesOption<A>,
): F => withSpan<"EVALUATOR", F, A, I, O>("EVALUATOR", fn, options);
/** The rendering of a prompt template. */
export const tracePrompt = <F extends AnyFn, A extends object = {}, I extends object = {}, O extends object = {}>(
  fn: F,
  options?: TraceOptions<F, "PROMPT", I, O> & AttributesOption<A>,
): F => withSpan<"PROMPT", F, A, I, O>("PROMPT", fn, options);
/**
 * A step of the application's own business logic (loading an order, charging a card): a span with no
 * OpenInference kind, carrying only the attributes you give it (`attributes`, `span.setCustom`) and the trace
 * context (`withContext`), and nesting the AI spans started inside. Validators count it among the other,
 * non-AI spans. Input and output are not recorded unless `captureInput` / `captureOutput` is true.
 */
export const traceOperation = <F extends AnyFn, A extends object = {}, I extends object = {}, O extends object = {}>(
  fn: F,
  options?: TraceOptions<F, "OPERATION", I, O> & AttributesOption<A>,
): F => withSpan<"OPERATION", F, A, I, O>("OPERATION", fn, options);

/** True when the options ask for output (`captureOutput: true`); never throws. */
function captureOutputAsked(options: unknown): boolean {
  try {
    return (options as { captureOutput?: unknown } | undefined)?.captureOutput === true;
  } catch (error) {
    swallowed("the options' captureOutput could not be read, so no output was recorded", error);
    return false;
  }
}

/**
 * Callback style: runs `fn` with a new active span of `kind` and a handle typed by that kind. The span ends
 * when `fn` returns, its promise settles or its stream finishes (calling `span.end()` yourself is fine too).
 * Errors are recorded and re-thrown; OK is set only if no status was set.
 */
export function startActiveSpan<K extends SpanKindInput, R, A extends object = {}>(
  kind: K,
  name: string,
  fn: (span: SpanFor<NormalizeKind<K>>) => R,
  options?: SpanOptions & StreamOptions<ChunkOf<R>> & AttributesOption<A>,
): R {
  let handle: SpanHandle;
  let ctx: Context;
  try {
    const parent = activeContext();
    handle = open(normalizeKind(kind), spanName(name, kind), options, parent);
    ctx = activate(parent, handle);
  } catch (error) {
    swallowed(
      "a span could not be started (the tracer, or reading the options, threw), so the function ran untraced",
      error,
    );
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
  return settleResult(handle, result, options as ResultOptions | undefined, ctx, false);
}

/** A span name given as an argument: a string, else the kind's name in lower case. */
function spanName(name: unknown, kind: unknown): string {
  if (typeof name === "string") return name;
  swallowed("a span name that is not a string was given, so the kind's name was used");
  return normalizeKind(kind).toLowerCase();
}

/**
 * Manual span: started (as a child of the active span, or of `options.parent`) but not made active; use
 * `span.run(fn)` to start children under it, and call `span.end()` when done.
 */
export function startSpan<K extends SpanKindInput, A extends object = {}>(
  kind: K,
  name: string,
  options?: SpanOptions & AttributesOption<A> & { readonly parent?: Context | { readonly span: Span } },
): SpanFor<NormalizeKind<K>> {
  try {
    const parent = parentOf(options?.parent);
    return open(normalizeKind(kind), spanName(name, kind), options, parent) as unknown as SpanFor<NormalizeKind<K>>;
  } catch (error) {
    swallowed(
      "a span could not be started (the tracer, or reading the options, threw), so a non-recording handle was returned",
      error,
    );
    return noopHandle() as unknown as SpanFor<NormalizeKind<K>>;
  }
}

/** `startSpan`'s `parent` option: a context, or an object with a `span` (a handle); anything else means the active context. */
function parentOf(parent: unknown): Context {
  if (parent === undefined) return activeContext();
  if (typeof parent === "object" && parent !== null) {
    if (typeof (parent as Context).getValue === "function") return parent as Context;
    const span = (parent as { span?: unknown }).span;
    if (typeof span === "object" && span !== null) return trace.setSpan(activeContext(), span as Span);
  }
  swallowed("startSpan()'s parent is neither a context nor a span handle, so the active context was used");
  return activeContext();
}

function noopHandle(): SpanHandle {
  return new SpanHandle(
    trace.wrapSpanContext({ traceId: "00000000000000000000000000000000", spanId: "0000000000000000", traceFlags: 0 }),
    "UNKNOWN",
    resolveConfig(),
    false,
  );
}
