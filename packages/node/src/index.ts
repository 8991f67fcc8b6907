/**
 * @semtrace/node: OpenTelemetry for Node.js apps traced with semtrace, in one call.
 *
 * - `register({ serviceName, exporter, file, validate })`: a registered `NodeTracerProvider` with the context and
 *   validating processors of `@semtrace/core` and an exporter (OTLP/HTTP, console, or an OTLP/JSON Lines file);
 *   `SEMTRACE_TRACES_FILE` points it at a file without code changes.
 * - `FileSpanExporter`: appends one OTLP `ExportTraceServiceRequest` per line, as the Collector's file exporter
 *   does; safe with several processes appending to one file.
 */
export {
  register,
  ENV,
  DEFAULT_TRACES_FILE,
  type RegisterOptions,
  type Registration,
  type ExporterName,
  type ValidateMode,
} from "./register.js";
export { FileSpanExporter, type FileSpanExporterOptions } from "./file-exporter.js";
