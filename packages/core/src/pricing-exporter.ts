/**
 * Opt-in pricing of spans other instrumentations write. A span processor cannot add attributes to a span that
 * has ended, and the token counts only arrive at the end, so this wraps the exporter instead: every span that
 * carries a model and token counts — OpenInference keys (`llm.model_name`, `llm.token_count.*`) or OpenTelemetry
 * GenAI keys (`gen_ai.response.model`, `gen_ai.usage.*`) — and no cost gets the `llm.cost.*` attributes, priced
 * from the same table as semtrace's own spans. Spans are never changed in place: a priced span is a new object
 * that reads everything else from the original.
 */
import { costAttributes, defaultPrices, findPrice, type PriceTable, type Usage } from "./cost.js";
import { reportUnpriced } from "./span.js";
import { swallowed } from "./swallowed.js";

/** The part of an exported span this needs (an SDK `ReadableSpan` fits). */
export interface ExportedSpan {
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** The part of an SDK `SpanExporter` this needs (structurally compatible with it). */
export interface SpanExporterLike<S extends ExportedSpan> {
  export(spans: S[], resultCallback: (result: { code: number; error?: Error }) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

export interface PricingSpanExporterOptions {
  /** The price table (default: the default table, as `setDefaultPrices` set it). */
  readonly prices?: PriceTable;
}

/**
 * Wraps an exporter so that the spans it exports carry their cost:
 * `new BatchSpanProcessor(new PricingSpanExporter(new OTLPTraceExporter()))`. A span that already has a cost
 * (`llm.cost.*`, e.g. semtrace's own) keeps it; a model the table has no price for is reported once through
 * `diag` and exported unpriced.
 */
export class PricingSpanExporter<S extends ExportedSpan = ExportedSpan> implements SpanExporterLike<S> {
  private readonly exporter: SpanExporterLike<S>;
  private readonly prices: PriceTable | undefined;

  constructor(exporter: SpanExporterLike<S>, options?: PricingSpanExporterOptions) {
    this.exporter = exporter;
    let prices: unknown;
    try {
      prices = options?.prices;
    } catch (error) {
      swallowed("PricingSpanExporter options could not be read, so the default table applies", error);
    }
    if (prices !== undefined && (typeof prices !== "object" || prices === null)) {
      swallowed("PricingSpanExporter was given prices that are not a price table, so the default table applies");
      prices = undefined;
    }
    this.prices = prices as PriceTable | undefined;
  }

  export(spans: S[], resultCallback: (result: { code: number; error?: Error }) => void): void {
    let out = spans;
    try {
      const table = this.prices ?? defaultPrices();
      if (table !== false && Array.isArray(spans)) {
        for (let i = 0; i < spans.length; i++) {
          const priced = pricedSpan(spans[i]!, table);
          if (priced === undefined) continue;
          if (out === spans) out = spans.slice();
          out[i] = priced;
        }
      }
    } catch (error) {
      swallowed("PricingSpanExporter could not price a batch of spans, so it was exported as it was", error);
      out = spans;
    }
    this.exporter.export(out, resultCallback);
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return typeof this.exporter.forceFlush === "function" ? this.exporter.forceFlush() : Promise.resolve();
  }
}

/** The span with its cost attributes added, or `undefined` when it needs none (or cannot be priced). */
export function pricedSpan<S extends ExportedSpan>(span: S, table: PriceTable): S | undefined {
  try {
    const attributes = span.attributes;
    if (attributes === null || typeof attributes !== "object") return undefined;
    if (
      attributes["llm.cost.total"] !== undefined ||
      attributes["llm.cost.prompt"] !== undefined ||
      attributes["llm.cost.completion"] !== undefined
    )
      return undefined;
    const found = spanUsage(attributes);
    if (found === undefined) return undefined;
    const price = findPrice(found.model, table);
    if (price === undefined) {
      reportUnpriced(found.model, table);
      return undefined;
    }
    const cost = costAttributes(price, found.usage);
    if (cost === undefined) return undefined;
    return Object.create(span, {
      attributes: { value: Object.freeze({ ...attributes, ...cost }), enumerable: true },
    }) as S;
  } catch (error) {
    swallowed("PricingSpanExporter could not price a span (a hostile span?), so it was exported as it was", error);
    return undefined;
  }
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The model and token usage a span's attributes report, as `computeCost` takes them: from OpenInference keys
 * (`llm.model_name`, `llm.token_count.*`), else from OpenTelemetry GenAI keys (`gen_ai.response.model`,
 * `gen_ai.usage.*`, current names before deprecated ones); `undefined` when they name no model or no token count.
 */
export function spanUsage(a: Readonly<Record<string, unknown>>): { model: string; usage: Usage } | undefined {
  const oiInput = count(a["llm.token_count.prompt"]);
  const oiOutput = count(a["llm.token_count.completion"]);
  if (oiInput !== undefined || oiOutput !== undefined) {
    const model =
      text(a["llm.model_name"]) ??
      text(a["llm.response.model_name"]) ??
      text(a["llm.request.model_name"]) ??
      text(a["embedding.model_name"]);
    if (model === undefined) return undefined;
    return {
      model,
      usage: {
        input: oiInput,
        output: oiOutput,
        cacheRead: count(a["llm.token_count.prompt_details.cache_read"]),
        cacheWrite: count(a["llm.token_count.prompt_details.cache_write"]),
        audio: count(a["llm.token_count.prompt_details.audio"]),
        reasoning: count(a["llm.token_count.completion_details.reasoning"]),
        audioOutput: count(a["llm.token_count.completion_details.audio"]),
      },
    };
  }
  const input = count(a["gen_ai.usage.input_tokens"]) ?? count(a["gen_ai.usage.prompt_tokens"]);
  const output = count(a["gen_ai.usage.output_tokens"]) ?? count(a["gen_ai.usage.completion_tokens"]);
  if (input === undefined && output === undefined) return undefined;
  // The model that answered is the one billed; the requested one when the response did not say.
  const model = text(a["gen_ai.response.model"]) ?? text(a["gen_ai.request.model"]);
  if (model === undefined) return undefined;
  return {
    model,
    usage: {
      input,
      output,
      cacheRead: count(a["gen_ai.usage.cache_read.input_tokens"]),
      cacheWrite:
        count(a["gen_ai.usage.cache_write.input_tokens"]) ?? count(a["gen_ai.usage.cache_creation.input_tokens"]),
      audio: count(a["gen_ai.usage.audio.input_tokens"]),
      reasoning: count(a["gen_ai.usage.reasoning.output_tokens"]),
      audioOutput: count(a["gen_ai.usage.audio.output_tokens"]),
    },
  };
}
