/**
 * A SpanExporter wrapper that sends every span in the conventions its backend reads. A span processor cannot do
 * this (an ended span's attributes are read-only), so the translation happens at export: each span of either
 * convention is translated, and the wrapped exporter receives a copy with the attributes `emit` asks for.
 *
 * Only the shape of the OpenTelemetry SDK's `ReadableSpan` and `SpanExporter` is used, so this works with any SDK
 * version and needs no dependency on it.
 */
import { diag } from "@opentelemetry/api";
import { currentGenAI, toGenAI, toOpenInference, type Translation, type UnmappedAttribute } from "./generated/index.js";

/** Which conventions the exported spans carry: one of them, or both on every span. */
export type Emit = "openinference" | "genai" | "both";

/** The part of the SDK's `ReadableSpan` this wrapper reads and rewrites. */
export interface TranslatableSpan {
  readonly name: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** The SDK's `SpanExporter`, over spans of type `S`. */
export interface SpanExporterLike<S extends TranslatableSpan> {
  export(spans: S[], resultCallback: (result: { code: number; error?: Error }) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

export interface TranslatingSpanExporterOptions<S extends TranslatableSpan = TranslatableSpan> {
  /** `openinference` (Phoenix, Arize), `genai` (backends that read `gen_ai.*`) or `both` on one span. */
  readonly emit: Emit;
  /**
   * With `emit: "genai"`, rename translated spans as GenAI names them (`chat gpt-4o-mini`,
   * `execute_tool get_weather`). Default true; with `both` names are never changed.
   */
  readonly renameSpans?: boolean;
  /**
   * Called for each span with the attributes that had no counterpart (they stay on the span unchanged). Errors it
   * throws are reported through `diag`, never to the exporter.
   */
  readonly onUnmapped?: (span: S, unmapped: readonly UnmappedAttribute[]) => void;
}

const OPENINFERENCE_KIND = "openinference.span.kind";
const GENAI_PREFIX = "gen_ai.";

/** Which convention a span is written in, from what it declares: its OpenInference kind, else any `gen_ai.*` key. */
export function conventionOf(
  attributes: Readonly<Record<string, unknown>>,
): "openinference" | "genai" | "both" | undefined {
  const oi = typeof attributes[OPENINFERENCE_KIND] === "string";
  let genai = false;
  for (const key in attributes) {
    if (key.startsWith(GENAI_PREFIX)) {
      genai = true;
      break;
    }
  }
  return oi && genai ? "both" : oi ? "openinference" : genai ? "genai" : undefined;
}

/** A copy of `span` (every field read once from the original, `spanContext()` delegated) with a new name and attributes. */
function copySpan<S extends TranslatableSpan>(span: S, name: string, attributes: Record<string, unknown>): S {
  const copy: Record<string, unknown> = {};
  const source = span as unknown as Record<string, unknown>;
  // The ReadableSpan fields, whether own properties or getters of an SDK class, plus any other own property.
  const fields = new Set([
    "kind",
    "spanContext",
    "parentSpanContext",
    "parentSpanId",
    "startTime",
    "endTime",
    "status",
    "links",
    "events",
    "duration",
    "ended",
    "resource",
    "instrumentationScope",
    "instrumentationLibrary",
    "droppedAttributesCount",
    "droppedEventsCount",
    "droppedLinksCount",
    ...Object.keys(span),
  ]);
  for (const field of fields) {
    if (field === "name" || field === "attributes") continue;
    const value = source[field];
    if (value === undefined && !(field in source)) continue;
    copy[field] = typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(span) : value;
  }
  copy.name = name;
  copy.attributes = attributes;
  return copy as unknown as S;
}

/**
 * What `span` becomes for `emit`: unchanged when it already carries what is asked (or belongs to neither
 * convention; a GenAI span written with deprecated keys gets their current ones), else a copy with the translated
 * attributes. Attributes of the other convention that were carried
 * over are removed unless `emit` is `both`; those that had no counterpart stay, and are reported.
 */
export function translateSpan<S extends TranslatableSpan>(span: S, options: TranslatingSpanExporterOptions<S>): S {
  const from = conventionOf(span.attributes);
  if (from === undefined) return span;
  if (from === "both" || from === options.emit) {
    // A GenAI span written with deprecated keys gets their current ones, so backends keyed on those see it.
    if (from === "openinference") return span;
    const current = currentGenAI(span.attributes);
    for (const _ in current) return copySpan(span, span.name, { ...span.attributes, ...current });
    return span;
  }
  const to = from === "openinference" ? "genai" : "openinference";
  const translation: Translation = to === "genai" ? toGenAI(span.attributes) : toOpenInference(span.attributes);
  if (translation.unmapped.length > 0 && options.onUnmapped) {
    try {
      options.onUnmapped(span, translation.unmapped);
    } catch (error) {
      diag.warn(`@semtrace/translate: onUnmapped threw: ${String(error)}`);
    }
  }
  let attributes: Record<string, unknown>;
  if (options.emit === "both")
    attributes = {
      ...span.attributes,
      ...translation.attributes,
      ...(from === "genai" ? currentGenAI(span.attributes) : {}),
    };
  else {
    const carried = new Set(translation.translated);
    attributes = {};
    for (const key in span.attributes) if (!carried.has(key)) attributes[key] = span.attributes[key];
    Object.assign(attributes, translation.attributes);
  }
  const rename = options.emit === "genai" && options.renameSpans !== false && translation.spanName;
  return copySpan(span, rename ? translation.spanName! : span.name, attributes);
}

/**
 * Wraps an exporter so every span reaches it in the conventions `emit` names: spans of OpenInference
 * instrumentations, of OpenTelemetry's GenAI instrumentations and of `@semtrace/core` alike.
 *
 * ```ts
 * new BatchSpanProcessor(new TranslatingSpanExporter(new OTLPTraceExporter(), { emit: "both" }))
 * ```
 */
export class TranslatingSpanExporter<S extends TranslatableSpan = TranslatableSpan> implements SpanExporterLike<S> {
  private reported = false;

  constructor(
    private readonly exporter: SpanExporterLike<S>,
    private readonly options: TranslatingSpanExporterOptions<S>,
  ) {
    if (options.emit !== "openinference" && options.emit !== "genai" && options.emit !== "both") {
      throw new TypeError(
        `TranslatingSpanExporter: emit must be "openinference", "genai" or "both", not ${JSON.stringify(options.emit)}`,
      );
    }
  }

  export(spans: S[], resultCallback: (result: { code: number; error?: Error }) => void): void {
    let out: S[];
    try {
      out = spans.map((span) => this.translate(span));
    } catch (error) {
      // Not a span's fault (spans are translated one by one below): send them as they are.
      out = spans;
      this.report(error);
    }
    this.exporter.export(out, resultCallback);
  }

  private translate(span: S): S {
    try {
      return translateSpan(span, this.options);
    } catch (error) {
      this.report(error);
      return span;
    }
  }

  private report(error: unknown): void {
    if (this.reported) return;
    this.reported = true;
    diag.error(
      `@semtrace/translate: a span could not be translated and was exported as it was (reported once): ${String(error)}`,
    );
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush ? this.exporter.forceFlush() : Promise.resolve();
  }
}
