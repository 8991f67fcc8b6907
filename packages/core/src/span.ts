/**
 * Span handles typed by kind: a thin layer over an OpenTelemetry `Span` whose setters accept only the
 * registry's keys and value types, write through the generated builders, apply redaction and the size budget,
 * and never throw.
 */
import {
  SpanStatusCode,
  context,
  trace,
  type AttributeValue,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type SpanStatus,
  type TimeInput,
} from "@opentelemetry/api";
import {
  buildInputAttributes,
  buildLLMAttributes,
  buildOutputAttributes,
  type AttributeKey,
  type AttributeTypes,
  type Attributes,
  type OpenInferenceLLMProviderValues,
  type OpenInferenceLLMSystemValues,
  type OpenInferenceMimeTypeValues,
} from "@semtrace/openinference";
import type { ResolvedConfig } from "./config.js";
import { toGenAI } from "@semtrace/translate";
import { costAttributes, findPrice, type Cost, type PriceTable, type Usage } from "./cost.js";
import { checkCustomKey, type CustomKey } from "./custom-keys.js";
import type { Exact } from "./exact.js";
import { state } from "./global-state.js";
import {
  KIND_BUILDERS,
  normalizeKind,
  type KindInputs,
  type NormalizeKind,
  type SpanKindInput,
  type SpanKindName,
} from "./kinds.js";
import type { InterruptReason, OpenSpans, Trackable } from "./open-spans.js";
import { isProtectedKey, redactValue } from "./redact.js";
import { reportOnceFor, swallowed } from "./swallowed.js";

/** Events semtrace adds to a span it ends before the traced work finished (see {@link SemtraceContextSpanProcessor}). */
export const SPAN_EVENTS = {
  /** The tracer provider shut down while the span was open (a stream nobody read, work still running). */
  ENDED_AT_SHUTDOWN: "semtrace.span.ended_at_shutdown",
  /** The tracer provider was flushed while the span was open, and the processor was asked to end open spans then. */
  ENDED_AT_FLUSH: "semtrace.span.ended_at_flush",
} as const;

/** The handle every span kind has. */
export interface SemtraceSpan<K extends SpanKindName = SpanKindName> {
  /** The semtrace span kind: an OpenInference kind, or `"OPERATION"`. */
  readonly kind: K;
  /** The underlying OpenTelemetry span (for APIs semtrace does not wrap). */
  readonly span: Span;
  spanContext(): SpanContext;
  isRecording(): boolean;
  /** Sets one registry attribute; the key and the value's type are checked against the registry. */
  set<Key extends AttributeKey>(key: Key, value: AttributeTypes[Key]): this;
  /** Sets several registry attributes (the output of any generated builder). */
  setAttributes(attributes: Attributes): this;
  /**
   * A key of your own, with any OpenTelemetry value (`"mycompany.request_id"`, or `"channel"`). Registry keys are
   * rejected at compile time (use {@link set}, which checks their value types), and so are keys inside a
   * namespace the registry owns (`llm.modle_name`): at run time those are not written, and a did-you-mean is
   * reported through `diag`.
   */
  setCustom<Key extends string>(key: CustomKey<Key>, value: AttributeValue): this;
  /**
   * Records this kind's attributes through its generated builder (`buildLLMAttributes` for LLM spans, …). Fields
   * the builder does not know are compile errors, for variables too (the spec's open structures, such as the
   * token-count details, stay open).
   */
  record<I extends KindInputs[K]>(input: I & Exact<KindInputs[K], I>): this;
  /** `input.value` and `input.mime_type`: a string is text/plain, anything else JSON (safely serialised). */
  setInput(value: unknown, mimeType?: OpenInferenceMimeTypeValues | (string & {})): this;
  /** `output.value` and `output.mime_type`, like {@link setInput}. */
  setOutput(value: unknown, mimeType?: OpenInferenceMimeTypeValues | (string & {})): this;
  addEvent(name: string, attributes?: Readonly<Record<string, AttributeValue>>, time?: TimeInput): this;
  addLink(link: Link): this;
  /** Records an exception event and sets the status to ERROR. */
  recordError(error: unknown): this;
  setStatus(status: SpanStatus): this;
  updateName(name: string): this;
  /** Runs `fn` with this span as the active span (children started inside nest under it). */
  run<R>(fn: () => R): R;
  /** Ends the span (idempotent). Before ending, prices usage if no cost was given. */
  end(endTime?: TimeInput): void;
}

/** Model details of {@link LLMSpan.setModel}. */
export interface ModelDetails {
  readonly provider?: OpenInferenceLLMProviderValues | (string & {});
  readonly system?: OpenInferenceLLMSystemValues | (string & {});
}

/** An LLM span: model, usage and cost helpers on top of {@link SemtraceSpan}. */
export interface LLMSpan extends SemtraceSpan<"LLM"> {
  setModel(model: string, details?: ModelDetails): this;
  /** `llm.token_count.*`; `total` defaults to input + output. Also prices the call at the end (unless a cost is set). */
  setUsage(usage: Usage): this;
  /** `llm.cost.*`; a cost given here always wins over the price table. */
  setCost(cost: Cost): this;
}

/** An embedding span: model and usage helpers. */
export interface EmbeddingSpan extends SemtraceSpan<"EMBEDDING"> {
  setModel(model: string, details?: ModelDetails): this;
  setUsage(usage: Pick<Usage, "input" | "total">): this;
}

/** The handle type of a span kind. */
export type SpanFor<K extends SpanKindName> = K extends "LLM"
  ? LLMSpan
  : K extends "EMBEDDING"
    ? EmbeddingSpan
    : SemtraceSpan<K>;

const OK_STATUS: SpanStatus = Object.freeze({ code: SpanStatusCode.OK });

/**
 * The handle of each OTel span semtrace started (for {@link currentSpan}), kept on the span under a symbol of
 * the process-wide state, so that every copy of the package finds the handles of the others: a WeakMap (or a
 * second context value) per span costs more than the rest of the wrapper together.
 */
const HANDLE = state.handleKey;

/** @internal The suffix of a value the size budget cut. */
export const TRUNCATED = "…[truncated]";

/** @internal The one implementation behind every handle type. */
export class SpanHandle implements LLMSpan, Trackable {
  // biome-ignore lint/suspicious/noExplicitAny: one class implements every handle type, each with its own literal kind.
  readonly kind: any;
  readonly span: Span;
  /** @internal */ ended = false;
  /** @internal */ statusSet = false;
  private costSet = false;
  private usage: Usage | undefined;
  private model: string | undefined;
  private used = 0;
  private readonly cfg: ResolvedConfig;
  private readonly prices: PriceTable | false;
  /**
   * With `conventions` `genai` or `both`: every attribute semtrace writes (OpenInference keys, after redaction and
   * the budget), translated to GenAI when the span ends. With `genai` they are not written to the span directly.
   */
  private readonly written: Record<string, AttributeValue> | undefined;
  /** @internal Called once when the span ends (stream timers). */
  onEnd: (() => void) | undefined;
  /** @internal Ends the span's stream early (its output so far recorded) instead of just the span. */
  onInterrupt: ((event: string) => void) | undefined;
  /** @internal Open-span list links (see ./open-spans.ts). */
  openPrev: Trackable | undefined;
  openNext: Trackable | undefined;
  openList: OpenSpans | undefined;
  /** @internal False for non-recording spans (no provider, sampled out): attributes are not even computed. */
  readonly recording: boolean;

  constructor(
    span: Span,
    kind: SpanKindName,
    cfg: ResolvedConfig,
    prices: PriceTable | false,
    kindAttributes?: Readonly<Record<string, unknown>>,
  ) {
    this.span = span;
    this.kind = kind;
    this.cfg = cfg;
    this.prices = prices;
    this.written =
      cfg.conventions === "openinference"
        ? undefined
        : { ...(kindAttributes as Record<string, AttributeValue> | undefined) };
    let recording = false;
    try {
      recording = span.isRecording();
    } catch (error) {
      swallowed("span.isRecording() threw, so the span is treated as not recording", error);
      recording = false;
    }
    this.recording = recording;
    try {
      (span as unknown as Record<symbol, unknown>)[HANDLE] = this;
    } catch (error) {
      swallowed("the span object is frozen, so currentSpan() cannot find its handle", error);
    }
  }

  spanContext(): SpanContext {
    return this.span.spanContext();
  }

  isRecording(): boolean {
    try {
      return !this.ended && this.span.isRecording();
    } catch (error) {
      swallowed("span.isRecording() threw, so the span is treated as not recording", error);
      return false;
    }
  }

  /** @internal Writes one attribute through redaction and the budget. */
  put(key: string, value: unknown): void {
    if (value === undefined || value === null || this.ended || !this.recording) return;
    if (typeof key !== "string") {
      swallowed("an attribute key that is not a string was given, so the attribute was not set");
      return;
    }
    try {
      let v = value as AttributeValue;
      const cfg = this.cfg;
      if (!cfg.passthrough) {
        const verdict = redactValue(key, v, cfg);
        if (verdict.action === "drop") return;
        if (verdict.action === "set") v = verdict.value;
        if (typeof v === "string" && cfg.maxSpanChars !== Number.POSITIVE_INFINITY && !isProtectedKey(key))
          v = this.spend(v);
      } else if (typeof v === "string" && v.length > cfg.base64ImageMaxLength && key.endsWith("image.url")) {
        const verdict = redactValue(key, v, cfg);
        if (verdict.action === "set") v = verdict.value;
      }
      this.emit(key, v);
    } catch (error) {
      swallowed("writing an attribute threw (a broken span, or a hostile key or value), so it was not set", error);
    }
  }

  /** @internal Writes a record through redaction and the budget; with `track`, notes model, usage and cost. */
  putAll(attributes: Readonly<Record<string, unknown>>, track = false): void {
    if (this.ended || !this.recording) return;
    try {
      const cfg = this.cfg;
      if (!cfg.passthrough) {
        for (const key in attributes) {
          const v = attributes[key];
          if (track && key.charCodeAt(0) === 108 /* l */) this.track(key, v);
          this.put(key, v);
        }
        return;
      }
      // Nothing to redact or truncate: straight to the span, one pass (only a long data URI needs a look).
      const span = this.span;
      const limit = cfg.base64ImageMaxLength;
      for (const key in attributes) {
        const v = attributes[key];
        if (v == null) continue;
        if (track && key.charCodeAt(0) === 108 /* l */) this.track(key, v);
        if (typeof v === "string" && v.length > limit && key.endsWith("image.url")) this.put(key, v);
        else if (this.written === undefined) span.setAttribute(key, v as AttributeValue);
        else this.emit(key, v as AttributeValue);
      }
    } catch (error) {
      swallowed(
        "writing attributes threw (a broken span, or a hostile record), so the rest of the record was not set",
        error,
      );
    }
  }

  /** One attribute as the span's conventions want it: on the span, kept for translation, or both. */
  private emit(key: string, v: AttributeValue): void {
    const written = this.written;
    if (written === undefined) {
      this.span.setAttribute(key, v);
      return;
    }
    written[key] = v;
    if (this.cfg.conventions === "both") this.span.setAttribute(key, v);
  }

  /** With `genai` or `both`: the GenAI translation of what was written, set just before the span ends. */
  private writeTranslation(): void {
    const written = this.written;
    if (written === undefined || !this.recording) return;
    const translation = toGenAI(written);
    if (this.cfg.conventions === "genai") {
      // What has no GenAI counterpart stays as it was written: nothing semtrace recorded is lost.
      const carried = new Set(translation.translated);
      for (const key in written) if (!carried.has(key)) this.span.setAttribute(key, written[key]!);
      if (translation.spanName) this.span.updateName(translation.spanName);
    }
    this.span.setAttributes(translation.attributes);
  }

  private spend(v: string): string {
    const left = this.cfg.maxSpanChars - this.used;
    if (v.length <= left) {
      this.used += v.length;
      return v;
    }
    this.used = this.cfg.maxSpanChars;
    // Already cut to fit (a stream's output): the budget covers its text, not its marker.
    if (v.endsWith(TRUNCATED) && v.length - TRUNCATED.length <= left) return v;
    const keep = Math.max(0, left);
    return v.slice(0, keep) + TRUNCATED;
  }

  /** @internal How many characters of a stream's string chunks are worth keeping for its output. */
  streamTextLimit(): number {
    return Math.min(this.cfg.maxSpanChars, this.cfg.maxStreamOutputChars);
  }

  /** Notes model, token counts and cost as they are written, for pricing at the end. */
  private track(key: string, value: unknown): void {
    // Dispatch on the fifth character (`llm.t…`, `llm.m…`, `llm.c…`) before comparing strings: this runs for every key.
    const c = key.charCodeAt(4);
    if (c !== 116 /* t */ && c !== 109 /* m */ && c !== 99 /* c */) return;
    if (!key.startsWith("llm.")) return;
    if (c === 116 && key.startsWith("llm.token_count.")) {
      if (typeof value !== "number") return;
      const u = (this.usage ??= {}) as { -readonly [K in keyof Usage]: Usage[K] };
      switch (key) {
        case "llm.token_count.prompt":
          u.input = value;
          break;
        case "llm.token_count.completion":
          u.output = value;
          break;
        case "llm.token_count.total":
          u.total = value;
          break;
        case "llm.token_count.prompt_details.cache_read":
          u.cacheRead = value;
          break;
        case "llm.token_count.prompt_details.cache_write":
          u.cacheWrite = value;
          break;
        case "llm.token_count.prompt_details.audio":
          u.audio = value;
          break;
        case "llm.token_count.completion_details.reasoning":
          u.reasoning = value;
          break;
        case "llm.token_count.completion_details.audio":
          u.audioOutput = value;
          break;
      }
    } else if (c === 109 && key === "llm.model_name") {
      if (typeof value === "string") this.model = value;
    } else if (c === 99 && key.startsWith("llm.cost.")) this.costSet = true;
  }

  set<Key extends AttributeKey>(key: Key, value: AttributeTypes[Key]): this {
    try {
      if (this.prices !== false && typeof key === "string" && key.charCodeAt(0) === 108) this.track(key, value);
    } catch (error) {
      swallowed("set() could not note model or usage for pricing, so the span may carry no cost", error);
    }
    this.put(key, value);
    return this;
  }

  setAttributes(attributes: Attributes): this {
    try {
      if (attributes == null || typeof attributes !== "object") return this;
      this.putAll(attributes, this.prices !== false);
    } catch (error) {
      swallowed(
        "setAttributes() was given a record it could not read (a hostile proxy?), so its attributes were not set",
        error,
      );
    }
    return this;
  }

  setCustom(key: string, value: AttributeValue): this {
    if (typeof key !== "string") {
      swallowed("setCustom() was given a key that is not a string, so the attribute was not set");
      return this;
    }
    if (this.ended || !this.recording) return this;
    switch (checkCustomKey(key, value)) {
      case "custom":
        this.put(key, value);
        break;
      case "registry":
        this.set(key as never, value as never);
        break;
    }
    return this;
  }

  record(input: unknown): this {
    try {
      const build = (KIND_BUILDERS as Readonly<Record<string, ((input: unknown) => Attributes) | undefined>>)[
        this.kind as string
      ];
      if (build) this.setAttributes(build(input));
    } catch (error) {
      swallowed(
        "record() could not build the kind's attributes from its input (a throwing getter?), so nothing was recorded",
        error,
      );
    }
    return this;
  }

  setInput(value: unknown, mimeType?: OpenInferenceMimeTypeValues | (string & {})): this {
    try {
      if (this.recording) this.putAll(buildInputAttributes(mimeType === undefined ? { value } : { value, mimeType }));
    } catch (error) {
      swallowed("setInput() could not build the input attributes, so no input was recorded", error);
    }
    return this;
  }

  setOutput(value: unknown, mimeType?: OpenInferenceMimeTypeValues | (string & {})): this {
    try {
      if (this.recording) this.putAll(buildOutputAttributes(mimeType === undefined ? { value } : { value, mimeType }));
    } catch (error) {
      swallowed("setOutput() could not build the output attributes, so no output was recorded", error);
    }
    return this;
  }

  setModel(model: string, details?: ModelDetails): this {
    try {
      if (typeof model !== "string") return this;
      this.model = model;
      if (this.kind === "EMBEDDING") this.put("embedding.model_name", model);
      else
        this.putAll(
          buildLLMAttributes({
            modelName: model,
            provider: details?.provider ?? null,
            system: details?.system ?? null,
          }),
        );
      if (this.kind === "EMBEDDING" && details)
        this.putAll(buildLLMAttributes({ provider: details.provider ?? null, system: details.system ?? null }));
    } catch (error) {
      swallowed(
        "setModel() could not record the model (a throwing getter in its details?), so no model was set",
        error,
      );
    }
    return this;
  }

  setUsage(usage: Usage): this {
    try {
      if (usage == null || typeof usage !== "object") return this;
      const { input, output, cacheRead, cacheWrite, reasoning, audio, audioOutput } = usage;
      const total =
        usage.total ??
        (typeof input === "number" && typeof output === "number"
          ? input + output
          : typeof input === "number" && this.kind === "EMBEDDING"
            ? input
            : undefined);
      this.setAttributes(
        buildLLMAttributes({
          tokenCount: {
            prompt: input ?? null,
            completion: output ?? null,
            total: total ?? null,
            promptDetails: { cacheRead: cacheRead ?? null, cacheWrite: cacheWrite ?? null, audio: audio ?? null },
            completionDetails: { reasoning: reasoning ?? null, audio: audioOutput ?? null },
          },
        }),
      );
    } catch (error) {
      swallowed("setUsage() could not read the usage (a throwing getter?), so no token counts were set", error);
    }
    return this;
  }

  setCost(cost: Cost): this {
    try {
      if (cost == null || typeof cost !== "object") return this;
      this.costSet = true;
      this.setAttributes(buildLLMAttributes({ cost }));
    } catch (error) {
      swallowed("setCost() could not read the cost (a throwing getter?), so no cost was set", error);
    }
    return this;
  }

  addEvent(name: string, attributes?: Readonly<Record<string, AttributeValue>>, time?: TimeInput): this {
    if (typeof name !== "string") {
      swallowed("addEvent() was given a name that is not a string, so no event was added");
      return this;
    }
    try {
      if (!this.ended) this.span.addEvent(name, attributes as Record<string, AttributeValue> | undefined, time);
    } catch (error) {
      swallowed("the span's addEvent() threw (a broken span?), so the event was not added", error);
    }
    return this;
  }

  addLink(link: Link): this {
    try {
      if (!isLink(link)) {
        swallowed("addLink() was given something that is not a link ({ context }), so no link was added");
        return this;
      }
      if (!this.ended) this.span.addLink(link);
    } catch (error) {
      swallowed("the span's addLink() threw (a broken span?), so the link was not added", error);
    }
    return this;
  }

  recordError(error: unknown): this {
    if (this.ended) return this;
    try {
      this.span.recordException(toException(error));
    } catch (error) {
      swallowed("the span's recordException() threw, so the error has no exception event", error);
    }
    try {
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      this.statusSet = true;
    } catch (error) {
      swallowed("the span's setStatus() threw while recording an error, so the span may lack the ERROR status", error);
    }
    return this;
  }

  setStatus(status: SpanStatus): this {
    try {
      if (this.ended) return this;
      if (!isStatus(status)) {
        swallowed(
          "setStatus() was given something that is not a status ({ code: 0 | 1 | 2, message? }), so the status was not changed",
        );
        return this;
      }
      this.span.setStatus(status);
      this.statusSet = true;
    } catch (error) {
      swallowed("the span's setStatus() threw (a broken span?), so the status was not changed", error);
    }
    return this;
  }

  updateName(name: string): this {
    if (typeof name !== "string") {
      swallowed("updateName() was given a name that is not a string, so the name was kept");
      return this;
    }
    try {
      if (!this.ended) this.span.updateName(name);
    } catch (error) {
      swallowed("the span's updateName() threw (a broken span?), so the name was kept", error);
    }
    return this;
  }

  run<R>(fn: () => R): R {
    let ctx: Context;
    try {
      ctx = trace.setSpan(context.active(), this.span);
    } catch (error) {
      swallowed("run() could not make the span active, so the function ran under the current context", error);
      return fn();
    }
    return context.with(ctx, fn);
  }

  /** @internal Sets OK unless a status was set. */
  ok(): void {
    if (this.statusSet || this.ended) return;
    try {
      this.span.setStatus(OK_STATUS);
      this.statusSet = true;
    } catch (error) {
      swallowed("the span's setStatus() threw (a broken span?), so the status was not changed", error);
    }
  }

  /**
   * Ends the span before its work finished, with an event saying why: a stream records what it produced so far.
   * Called by the context processor at provider shutdown (or flush, when asked). Never throws.
   */
  interrupt(reason: InterruptReason): void {
    if (this.ended) return;
    const event = reason === "shutdown" ? SPAN_EVENTS.ENDED_AT_SHUTDOWN : SPAN_EVENTS.ENDED_AT_FLUSH;
    try {
      if (this.onInterrupt !== undefined) {
        this.onInterrupt(event);
        return;
      }
    } catch (error) {
      swallowed(
        "a stream ended early (at shutdown or flush) could not record its output so far, so its span ended without it",
        error,
      );
    }
    this.addEvent(event);
    this.end();
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    try {
      this.priceUsage();
    } catch (error) {
      swallowed(
        "pricing the usage at the end of a span threw (a hostile usage or price entry?), so the span has no cost",
        error,
      );
    }
    this.ended = true;
    if (this.openList !== undefined) this.openList.remove(this);
    try {
      this.onEnd?.();
    } catch (error) {
      swallowed("clearing a stream's inactivity timer threw; its span ended all the same", error);
    }
    try {
      this.writeTranslation();
    } catch (error) {
      swallowed("translating the span to GenAI at its end threw", error);
    }
    try {
      this.span.end(endTime);
    } catch (error) {
      swallowed("span.end() threw (in a span processor or exporter?), so the span may not have been exported", error);
    }
  }

  private priceUsage(): void {
    if (
      this.costSet ||
      this.prices === false ||
      this.usage === undefined ||
      this.model === undefined ||
      !this.recording
    )
      return;
    const price = findPrice(this.model, this.prices);
    if (price === undefined) {
      reportUnpriced(this.model, this.prices);
      return;
    }
    const cost = costAttributes(price, this.usage);
    if (cost === undefined) return;
    // Cost keys are never redacted or truncated: straight to the span (or the translation), known keys, no record walk.
    const span =
      this.written === undefined
        ? this.span
        : { setAttribute: (key: string, value: AttributeValue) => this.emit(key, value) };
    span.setAttribute("llm.cost.prompt", cost["llm.cost.prompt"]);
    span.setAttribute("llm.cost.completion", cost["llm.cost.completion"]);
    span.setAttribute("llm.cost.total", cost["llm.cost.total"]);
    span.setAttribute("llm.cost.prompt_details.input", cost["llm.cost.prompt_details.input"]);
    span.setAttribute("llm.cost.completion_details.output", cost["llm.cost.completion_details.output"]);
    if (cost["llm.cost.prompt_details.cache_read"] !== undefined)
      span.setAttribute("llm.cost.prompt_details.cache_read", cost["llm.cost.prompt_details.cache_read"]);
    if (cost["llm.cost.prompt_details.cache_write"] !== undefined)
      span.setAttribute("llm.cost.prompt_details.cache_write", cost["llm.cost.prompt_details.cache_write"]);
    if (cost["llm.cost.prompt_details.audio"] !== undefined)
      span.setAttribute("llm.cost.prompt_details.audio", cost["llm.cost.prompt_details.audio"]);
    if (cost["llm.cost.completion_details.reasoning"] !== undefined)
      span.setAttribute("llm.cost.completion_details.reasoning", cost["llm.cost.completion_details.reasoning"]);
    if (cost["llm.cost.completion_details.audio"] !== undefined)
      span.setAttribute("llm.cost.completion_details.audio", cost["llm.cost.completion_details.audio"]);
  }
}

function isLink(link: unknown): link is Link {
  if (typeof link !== "object" || link === null) return false;
  const ctx = (link as { context?: unknown }).context;
  return typeof ctx === "object" && ctx !== null;
}

function isStatus(status: unknown): status is SpanStatus {
  if (typeof status !== "object" || status === null) return false;
  const { code, message } = status as { code?: unknown; message?: unknown };
  return (
    (code === SpanStatusCode.UNSET || code === SpanStatusCode.OK || code === SpanStatusCode.ERROR) &&
    (message === undefined || typeof message === "string")
  );
}

function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return typeof error === "string" ? error : String(error);
  } catch (error) {
    swallowed(
      'the message of a thrown value could not be read (a throwing toString, name or message?), so the span\'s status says "Unknown error"',
      error,
    );
    return "Unknown error";
  }
}

function toException(error: unknown): Error | string {
  try {
    if (error instanceof Error) return error;
    if (typeof error === "string") return error;
    return { name: "NonError", message: errorMessage(error) } as Error;
  } catch (error) {
    swallowed(
      'a thrown value could not be inspected (a hostile proxy?), so the exception event says "Unknown error"',
      error,
    );
    return "Unknown error";
  }
}

/** @internal Says once per model name that a table has no price for it (the span then has no cost). */
export function reportUnpriced(model: string, table: PriceTable): void {
  let version: unknown;
  try {
    version = table.version;
  } catch (error) {
    swallowed("a price table's version could not be read, so the report of an unpriced model names no version", error);
    version = undefined;
  }
  reportOnceFor(
    "a model has no price in the price table, so its spans carry no cost",
    model,
    `table ${typeof version === "string" ? `version ${version.length > 40 ? `${version.slice(0, 40)}…` : version}` : "without a version"}; pass a table with its price (option \`prices\`, or setDefaultPrices()) or set the cost with setCost()`,
  );
}

/**
 * The handle of the active span, if semtrace started it. With a kind, the handle typed by that kind, if the active
 * span is a semtrace span of that kind (checked at run time), so code inside a wrapper reaches the typed methods:
 *
 * ```ts
 * const chat = traceLLM(async (prompt: string) => {
 *   const response = await client.chat(prompt);
 *   currentSpan("LLM")?.setUsage({ input: response.usage.input_tokens, output: response.usage.output_tokens });
 *   return response.text;
 * });
 * ```
 */
export function currentSpan(): SemtraceSpan | undefined;
export function currentSpan<K extends SpanKindInput>(kind: K): SpanFor<NormalizeKind<K>> | undefined;
export function currentSpan(kind?: unknown): SemtraceSpan | undefined {
  let handle: SpanHandle | undefined;
  try {
    const span = trace.getSpan(context.active());
    handle =
      span === undefined
        ? undefined
        : ((span as unknown as Record<symbol, SpanHandle | undefined>)[HANDLE] ?? undefined);
  } catch (error) {
    swallowed(
      "currentSpan() could not read the active span (a context manager that throws?), so it returned undefined",
      error,
    );
    return undefined;
  }
  if (kind === undefined || handle === undefined) return handle;
  const wanted = normalizeKind(kind);
  if (wanted === "UNKNOWN" && !(typeof kind === "string" && kind.length === 7 && kind.toLowerCase() === "unknown")) {
    swallowed("currentSpan() was given something that is not a span kind, so it returned undefined");
    return undefined;
  }
  return handle.kind === wanted ? handle : undefined;
}
