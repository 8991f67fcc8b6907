/**
 * @semtrace/core: typed OpenInference tracing on plain `@opentelemetry/api`.
 *
 * - Function wrappers for every span kind (`traceLLM`, `traceTool`, …, `traceOperation` for business logic,
 *   `withSpan(kind, fn)`), the callback style (`startActiveSpan`), manual spans (`startSpan`) and method
 *   decorators under both proposals (`@traced("TOOL")`).
 * - Span handles typed by kind, reachable inside wrappers with `currentSpan("LLM")`: `span.set(key, value)` accepts
 *   only the registry's keys and value types, `span.setCustom` only keys of your own.
 * - Streams end their span when they finish; `withContext` stamps session, user, metadata and tags on every span.
 * - Cost from usage and a price table (also for other instrumentations' spans: `PricingSpanExporter`);
 *   spec-driven redaction (`OPENINFERENCE_HIDE_*`); a validating processor.
 *
 * Tracing never throws into the traced code.
 */
export {
  withSpan,
  traceLLM,
  traceAgent,
  traceTool,
  traceChain,
  traceRetriever,
  traceReranker,
  traceEmbedding,
  traceGuardrail,
  traceEvaluator,
  tracePrompt,
  traceOperation,
  startActiveSpan,
  startSpan,
  TRACER_NAME,
  type TraceOptions,
  type SpanOptions,
  type AttributesOption,
  type ChunkOf,
} from "./trace.js";
export {
  currentSpan,
  SPAN_EVENTS,
  type SemtraceSpan,
  type LLMSpan,
  type EmbeddingSpan,
  type SpanFor,
  type ModelDetails,
} from "./span.js";
export type { CustomKey, SpanAttributes, OwnedNamespace } from "./custom-keys.js";
export type { Exact } from "./exact.js";
export { traced, type TracedDecorator, type TracedOptions } from "./decorators.js";
export {
  withContext,
  setTraceContext,
  getTraceContext,
  clearTraceContext,
  SemtraceContextSpanProcessor,
  type SemtraceContextSpanProcessorOptions,
  type TraceContext,
} from "./context.js";
export { RESULT_ATTRIBUTES } from "./settle.js";
export {
  DEFAULT_STREAM_TIMEOUT_MS,
  STREAM_EVENTS,
  STREAM_ATTRIBUTES,
  type StreamOptions,
  type StreamSummary,
} from "./stream.js";
export {
  computeCost,
  findPrice,
  setDefaultPrices,
  type Cost,
  type ModelPrice,
  type PriceTable,
  type Usage,
} from "./cost.js";
export { DEFAULT_PRICES } from "./prices.js";
export {
  PricingSpanExporter,
  spanUsage,
  type PricingSpanExporterOptions,
  type SpanExporterLike,
  type ExportedSpan,
} from "./pricing-exporter.js";
export {
  configure,
  resetConfig,
  DEFAULT_BASE64_IMAGE_MAX_LENGTH,
  DEFAULT_MAX_STREAM_OUTPUT_CHARS,
  type TraceConfig,
  type Conventions,
} from "./config.js";
export { REDACTED, redactAttributes } from "./redact.js";
export {
  ValidatingSpanProcessor,
  SpanValidationError,
  type ValidatingSpanProcessorOptions,
  type ValidationMode,
  type SpanFindings,
} from "./validating-processor.js";
export type { SpanKindInput, SpanKindName, KindInputs } from "./kinds.js";
