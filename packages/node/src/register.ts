/**
 * `register()`: the one call that sets up OpenTelemetry for a Node.js app traced with semtrace. It builds a
 * `NodeTracerProvider` (AsyncLocalStorage context, W3C propagation) with, in this order:
 * 1. `SemtraceContextSpanProcessor`: stamps the session, user, metadata and tags of `withContext` on every span;
 * 2. `ValidatingSpanProcessor` (unless `validate: false`): checks every span against the built-in registries;
 * 3. the exporting processor: OTLP/HTTP (batched), the console, or an OTLP/JSON Lines file (each span written when
 *    it ends), chosen by `exporter` or by the environment (see {@link ENV}).
 * and registers it globally. The environment wins over the code, so a test run is pointed at a file without code
 * changes: `SEMTRACE_TRACES_FILE=spans.jsonl npm test`, then `npx semtrace validate spans.jsonl`.
 */
import { diag } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import type { OTLPExporterNodeConfigBase } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import {
  SemtraceContextSpanProcessor,
  ValidatingSpanProcessor,
  type ValidatingSpanProcessorOptions,
} from "@semtrace/core";
import { genaiRegistry } from "@semtrace/genai";
import { openinferenceRegistry } from "@semtrace/openinference";
import type { RegistryValidator } from "@semtrace/runtime";
import { FileSpanExporter } from "./file-exporter.js";

/** The environment variables `register()` reads; each overrides the option of the same meaning. */
export const ENV = {
  /** A file path: spans are appended to it as OTLP/JSON Lines (the `"file"` exporter), whatever `exporter` says. */
  TRACES_FILE: "SEMTRACE_TRACES_FILE",
  /** `otlp`, `file`, `console` or `none`. */
  EXPORTER: "SEMTRACE_EXPORTER",
  /** `log`, `throw` or `off`. */
  VALIDATE: "SEMTRACE_VALIDATE",
} as const;

/** Where `register()` sends spans when neither `file` nor `SEMTRACE_TRACES_FILE` names a file. */
export const DEFAULT_TRACES_FILE = "semtrace-spans.jsonl";

export type ExporterName = "otlp" | "file" | "console" | "none";
export type ValidateMode = "log" | "throw" | false;

export interface RegisterOptions {
  /** `service.name` of the resource (default: `OTEL_SERVICE_NAME`, else `unknown_service:node`). */
  readonly serviceName?: string;
  /**
   * Where spans go (default `"otlp"`): `"otlp"` (OTLP/HTTP JSON to `otlp.url` or `OTEL_EXPORTER_OTLP_ENDPOINT`,
   * default `http://localhost:4318/v1/traces`, batched), `"file"` (OTLP/JSON Lines appended to `file`, each span
   * as it ends), `"console"`, `"none"`, or an exporter of your own (batched). `SEMTRACE_TRACES_FILE` or
   * `SEMTRACE_EXPORTER` override it.
   */
  readonly exporter?: ExporterName | SpanExporter;
  /** The file of the `"file"` exporter (default `SEMTRACE_TRACES_FILE`, else {@link DEFAULT_TRACES_FILE}). */
  readonly file?: string;
  /** Options of the OTLP/HTTP exporter (`url`, `headers`, …). */
  readonly otlp?: OTLPExporterNodeConfigBase;
  /**
   * Validate every span as it ends (default `"log"`, or `false` when `NODE_ENV` is `production`): `"log"` prints
   * the findings of warning and above, `"throw"` throws them from the span's `end()` and from `forceFlush()`.
   * `SEMTRACE_VALIDATE` (`log`, `throw`, `off`) overrides it.
   */
  readonly validate?: ValidateMode;
  /** The registries spans are validated against (default: OpenInference and OpenTelemetry GenAI). */
  readonly registries?: readonly RegistryValidator[];
  /** More options of the validating processor (`strict`, `minSeverity`, `logger`). */
  readonly validation?: Omit<ValidatingSpanProcessorOptions, "mode" | "registries">;
  /** Resource attributes besides `service.name`. */
  readonly resourceAttributes?: Readonly<Record<string, string | number | boolean>>;
  /** Shut the provider down (flushing the exporter) when the event loop empties (`beforeExit`). Default true. */
  readonly shutdownOnExit?: boolean;
  /** Read instead of `process.env` (tests). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Registration {
  readonly provider: NodeTracerProvider;
  /** Which exporter was chosen, after the environment. */
  readonly exporter: ExporterName | "custom";
  /** The absolute path of the file, with the `"file"` exporter. */
  readonly file?: string;
  /** Whether, and how, spans are validated, after the environment. */
  readonly validate: ValidateMode;
  /** The validating processor (its `results` in `collect` mode), when spans are validated. */
  readonly validator?: ValidatingSpanProcessor;
  forceFlush(): Promise<void>;
  /** Flushes and shuts the provider down; later calls return the same promise. */
  shutdown(): Promise<void>;
}

const EXPORTERS: readonly ExporterName[] = ["otlp", "file", "console", "none"];

function chooseExporter(
  options: RegisterOptions,
  env: Readonly<Record<string, string | undefined>>,
): ExporterName | SpanExporter {
  if (nonEmpty(env[ENV.TRACES_FILE])) return "file";
  const named = env[ENV.EXPORTER];
  if (nonEmpty(named)) {
    if ((EXPORTERS as readonly string[]).includes(named)) return named as ExporterName;
    diag.error(
      `semtrace register: ${ENV.EXPORTER}=${JSON.stringify(named)} is not one of ${EXPORTERS.join(", ")}; it was ignored`,
    );
  }
  return options.exporter ?? "otlp";
}

function chooseValidate(options: RegisterOptions, env: Readonly<Record<string, string | undefined>>): ValidateMode {
  const named = env[ENV.VALIDATE];
  if (nonEmpty(named)) {
    if (named === "log" || named === "throw") return named;
    if (named === "off" || named === "false") return false;
    diag.error(
      `semtrace register: ${ENV.VALIDATE}=${JSON.stringify(named)} is not one of log, throw, off; it was ignored`,
    );
  }
  if (options.validate !== undefined) return options.validate;
  return env["NODE_ENV"] === "production" ? false : "log";
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}

/** Sets up and registers the global tracer provider; see the module comment. */
export function register(options: RegisterOptions = {}): Registration {
  const env = options.env ?? process.env;
  const chosen = chooseExporter(options, env);
  const validate = chooseValidate(options, env);
  const processors: SpanProcessor[] = [new SemtraceContextSpanProcessor()];
  let validator: ValidatingSpanProcessor | undefined;
  if (validate !== false) {
    validator = new ValidatingSpanProcessor({
      ...options.validation,
      mode: validate,
      registries: options.registries ?? [openinferenceRegistry, genaiRegistry],
    });
    processors.push(validator as unknown as SpanProcessor);
  }
  let file: string | undefined;
  if (chosen === "file") {
    const exporter = new FileSpanExporter({ path: env[ENV.TRACES_FILE] || options.file || DEFAULT_TRACES_FILE });
    file = exporter.path;
    processors.push(new SimpleSpanProcessor(exporter));
  } else if (chosen === "otlp") {
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter(options.otlp)));
  } else if (chosen === "console") {
    processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  } else if (chosen !== "none") {
    processors.push(new BatchSpanProcessor(chosen));
  }
  const serviceName =
    options.serviceName ?? (nonEmpty(env["OTEL_SERVICE_NAME"]) ? env["OTEL_SERVICE_NAME"] : "unknown_service:node");
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ ...options.resourceAttributes, "service.name": serviceName }),
    spanProcessors: processors,
  });
  provider.register();

  let stopping: Promise<void> | undefined;
  const onBeforeExit = () => void shutdown();
  const shutdown = () => {
    process.off("beforeExit", onBeforeExit);
    stopping ??= provider
      .shutdown()
      .catch((error: unknown) =>
        diag.error(
          `semtrace register: shutting the tracer provider down failed: ${(error as Error)?.message ?? String(error)}`,
        ),
      );
    return stopping;
  };
  if (options.shutdownOnExit !== false) process.once("beforeExit", onBeforeExit);
  return {
    provider,
    exporter: typeof chosen === "string" ? chosen : "custom",
    ...(file !== undefined ? { file } : {}),
    validate,
    ...(validator ? { validator } : {}),
    forceFlush: () => provider.forceFlush(),
    shutdown,
  };
}
