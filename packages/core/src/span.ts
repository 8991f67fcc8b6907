/**
 * Span handles typed by kind: a thin layer over an OpenTelemetry `Span` whose setters accept only the
 * registry's keys and value types, write through the generated builders, apply redaction and the size budget,
 * and never throw.
 */
import { SpanStatusCode, context, trace, type AttributeValue, type Context, type Link, type Span, type SpanContext, type SpanStatus, type TimeInput } from "@opentelemetry/api";
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
import { computeCost, type Cost, type PriceTable, type Usage } from "./cost.js";
import { KIND_BUILDERS, type KindInputs, type SpanKindName } from "./kinds.js";
import { isProtectedKey, redactValue } from "./redact.js";

/** A key outside the registry, namespaced by its owner (`"mycompany.request_id"`). */
export type CustomKey = `${string}.${string}`;

/** The handle every span kind has. */
export interface SemtraceSpan<K extends SpanKindName = SpanKindName> {
  /** The OpenInference span kind. */
  readonly kind: K;
  /** The underlying OpenTelemetry span (for APIs semtrace does not wrap). */
  readonly span: Span;
  spanContext(): SpanContext;
  isRecording(): boolean;
  /** Sets one registry attribute; the key and the value's type are checked against the registry. */
  set<Key extends AttributeKey>(key: Key, value: AttributeTypes[Key]): this;
  /** Sets several registry attributes (the output of any generated builder). */
  setAttributes(attributes: Attributes): this;
  /** Escape hatch for keys outside the registry: namespaced keys with any OpenTelemetry value. */
  setCustom(key: CustomKey, value: AttributeValue): this;
  /** Records this kind's attributes through its generated builder (`buildLLMAttributes` for LLM spans, …). */
  record(input: KindInputs[K]): this;
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
export type SpanFor<K extends SpanKindName> = K extends "LLM" ? LLMSpan : K extends "EMBEDDING" ? EmbeddingSpan : SemtraceSpan<K>;

/**
 * The handle of each OTel span semtrace started (for {@link currentSpan}), kept on the span under a private
 * symbol: a WeakMap (or a second context value) per span costs more than the rest of the wrapper together.
 */
const HANDLE = Symbol("semtrace.handle");

const TRUNCATED = "…[truncated]";

/** @internal The one implementation behind every handle type. */
export class SpanHandle implements LLMSpan {
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
  /** @internal Called once when the span ends (stream timers). */
  onEnd: (() => void) | undefined;
  /** @internal False for non-recording spans (no provider, sampled out): attributes are not even computed. */
  readonly recording: boolean;

  constructor(span: Span, kind: SpanKindName, cfg: ResolvedConfig, prices: PriceTable | false) {
    this.span = span;
    this.kind = kind;
    this.cfg = cfg;
    this.prices = prices;
    let recording = false;
    try {
      recording = span.isRecording();
    } catch {
      recording = false;
    }
    this.recording = recording;
    try {
      (span as unknown as Record<symbol, unknown>)[HANDLE] = this;
    } catch {
      // A frozen span: currentSpan() will not find this handle.
    }
  }

  spanContext(): SpanContext {
    return this.span.spanContext();
  }

  isRecording(): boolean {
    try {
      return !this.ended && this.span.isRecording();
    } catch {
      return false;
    }
  }

  /** @internal Writes one attribute through redaction and the budget. */
  put(key: string, value: unknown): void {
    if (value === undefined || value === null || this.ended || !this.recording) return;
    try {
      let v = value as AttributeValue;
      const cfg = this.cfg;
      if (!cfg.passthrough) {
        const verdict = redactValue(key, v, cfg);
        if (verdict.action === "drop") return;
        if (verdict.action === "set") v = verdict.value;
        if (typeof v === "string" && cfg.maxSpanChars !== Number.POSITIVE_INFINITY && !isProtectedKey(key)) v = this.spend(v);
      } else if (typeof v === "string" && v.length > cfg.base64ImageMaxLength && key.endsWith("image.url")) {
        const verdict = redactValue(key, v, cfg);
        if (verdict.action === "set") v = verdict.value;
      }
      this.span.setAttribute(key, v);
    } catch {
      // Tracing never breaks the traced code.
    }
  }

  /** @internal Writes a record through redaction and the budget; with `track`, notes model, usage and cost. */
  putAll(attributes: Readonly<Record<string, unknown>>, track = false): void {
    if (this.ended || !this.recording) return;
    try {
      const cfg = this.cfg;
      let clean = cfg.passthrough;
      const limit = cfg.base64ImageMaxLength;
      for (const key in attributes) {
        const v = attributes[key];
        if (track && key.charCodeAt(0) === 108 /* l */) this.track(key, v);
        if (clean && (v == null || (typeof v === "string" && v.length > limit && key.endsWith("image.url")))) clean = false;
      }
      if (clean) {
        this.span.setAttributes(attributes as Record<string, AttributeValue>);
        return;
      }
      for (const key in attributes) this.put(key, attributes[key]);
    } catch {
      // ignore
    }
  }

  private spend(v: string): string {
    const left = this.cfg.maxSpanChars - this.used;
    if (v.length <= left) {
      this.used += v.length;
      return v;
    }
    const keep = Math.max(0, left);
    this.used = this.cfg.maxSpanChars;
    return v.slice(0, keep) + TRUNCATED;
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
    } catch {
      // ignore
    }
    this.put(key, value);
    return this;
  }

  setAttributes(attributes: Attributes): this {
    try {
      if (attributes == null || typeof attributes !== "object") return this;
      this.putAll(attributes, this.prices !== false);
    } catch {
      // ignore
    }
    return this;
  }

  setCustom(key: CustomKey, value: AttributeValue): this {
    this.put(key, value);
    return this;
  }

  record(input: unknown): this {
    try {
      const build = KIND_BUILDERS[this.kind as SpanKindName] as ((i: unknown) => Attributes) | undefined;
      if (build) this.setAttributes(build(input));
    } catch {
      // ignore
    }
    return this;
  }

  setInput(value: unknown, mimeType?: OpenInferenceMimeTypeValues | (string & {})): this {
    if (this.recording) this.putAll(buildInputAttributes(mimeType === undefined ? { value } : { value, mimeType }));
    return this;
  }

  setOutput(value: unknown, mimeType?: OpenInferenceMimeTypeValues | (string & {})): this {
    if (this.recording) this.putAll(buildOutputAttributes(mimeType === undefined ? { value } : { value, mimeType }));
    return this;
  }

  setModel(model: string, details?: ModelDetails): this {
    try {
      if (typeof model !== "string") return this;
      this.model = model;
      if (this.kind === "EMBEDDING") this.put("embedding.model_name", model);
      else this.putAll(buildLLMAttributes({ modelName: model, provider: details?.provider ?? null, system: details?.system ?? null }));
      if (this.kind === "EMBEDDING" && details) this.putAll(buildLLMAttributes({ provider: details.provider ?? null, system: details.system ?? null }));
    } catch {
      // ignore
    }
    return this;
  }

  setUsage(usage: Usage): this {
    try {
      if (usage == null || typeof usage !== "object") return this;
      const { input, output, cacheRead, cacheWrite, reasoning, audio, audioOutput } = usage;
      const total = usage.total ?? (typeof input === "number" && typeof output === "number" ? input + output : typeof input === "number" && this.kind === "EMBEDDING" ? input : undefined);
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
    } catch {
      // ignore
    }
    return this;
  }

  setCost(cost: Cost): this {
    try {
      if (cost == null || typeof cost !== "object") return this;
      this.costSet = true;
      this.setAttributes(buildLLMAttributes({ cost }));
    } catch {
      // ignore
    }
    return this;
  }

  addEvent(name: string, attributes?: Readonly<Record<string, AttributeValue>>, time?: TimeInput): this {
    try {
      if (!this.ended) this.span.addEvent(name, attributes as Record<string, AttributeValue> | undefined, time);
    } catch {
      // ignore
    }
    return this;
  }

  addLink(link: Link): this {
    try {
      if (!this.ended) this.span.addLink(link);
    } catch {
      // ignore
    }
    return this;
  }

  recordError(error: unknown): this {
    if (this.ended) return this;
    try {
      this.span.recordException(toException(error));
    } catch {
      // ignore
    }
    try {
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      this.statusSet = true;
    } catch {
      // ignore
    }
    return this;
  }

  setStatus(status: SpanStatus): this {
    try {
      if (this.ended) return this;
      this.span.setStatus(status);
      this.statusSet = true;
    } catch {
      // ignore
    }
    return this;
  }

  updateName(name: string): this {
    try {
      if (!this.ended) this.span.updateName(name);
    } catch {
      // ignore
    }
    return this;
  }

  run<R>(fn: () => R): R {
    let ctx: Context;
    try {
      ctx = trace.setSpan(context.active(), this.span);
    } catch {
      return fn();
    }
    return context.with(ctx, fn);
  }

  /** @internal Sets OK unless a status was set. */
  ok(): void {
    if (!this.statusSet) this.setStatus({ code: SpanStatusCode.OK });
  }

  end(endTime?: TimeInput): void {
    if (this.ended) return;
    try {
      this.priceUsage();
    } catch {
      // ignore
    }
    this.ended = true;
    try {
      this.onEnd?.();
    } catch {
      // ignore
    }
    try {
      this.span.end(endTime);
    } catch {
      // A throwing processor or exporter.
    }
  }

  private priceUsage(): void {
    if (this.costSet || this.prices === false || this.usage === undefined || this.model === undefined) return;
    const cost = computeCost(this.model, this.usage, this.prices);
    if (cost) this.putAll(buildLLMAttributes({ cost }));
  }
}

function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return typeof error === "string" ? error : String(error);
  } catch {
    return "Unknown error";
  }
}

function toException(error: unknown): Error | string {
  try {
    if (error instanceof Error) return error;
    if (typeof error === "string") return error;
    return { name: "NonError", message: errorMessage(error) } as Error;
  } catch {
    return "Unknown error";
  }
}

/** The active semtrace span handle, if the active span was started by semtrace. */
export function currentSpan(): SemtraceSpan | undefined {
  try {
    const span = trace.getSpan(context.active());
    return span === undefined ? undefined : ((span as unknown as Record<symbol, SpanHandle | undefined>)[HANDLE] ?? undefined);
  } catch {
    return undefined;
  }
}
