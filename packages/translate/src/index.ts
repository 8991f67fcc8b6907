/**
 * @semtrace/translate: OpenInference ↔ OpenTelemetry GenAI span attributes.
 *
 * `toGenAI` / `toOpenInference` are generated from spec/mappings/openinference-genai.yaml into ./generated/;
 * the exporter wrapper is hand-written.
 */
export * from "./generated/index.js";
export {
  TranslatingSpanExporter,
  conventionOf,
  translateSpan,
  type Emit,
  type SpanExporterLike,
  type TranslatableSpan,
  type TranslatingSpanExporterOptions,
} from "./exporter.js";
