/**
 * Development aid: validates every ended span against the registries (OpenInference by default) and logs,
 * throws or collects the findings. Which registries judge a span is the rule every semtrace validator applies
 * (`@semtrace/runtime`, `claim.ts`): spans of other conventions (HTTP, database) are left alone.
 */
import { openinferenceRegistry, type Finding } from "@semtrace/openinference";
import { validateWith, type RegistryValidator } from "@semtrace/runtime";
import { swallowed } from "./swallowed.js";

export type ValidationMode = "log" | "throw" | "collect";

export interface SpanFindings {
  readonly spanName: string;
  readonly spanId?: string;
  readonly findings: readonly Finding[];
}

export interface ValidatingSpanProcessorOptions {
  /** `log` (default): report through `logger`; `throw`: throw a {@link SpanValidationError} from `onEnd` and from the next `forceFlush`; `collect`: keep them in `results`. */
  readonly mode?: ValidationMode;
  /** Lowest severity reported. Default `"warning"`. */
  readonly minSeverity?: Finding["severity"];
  /**
   * Registries to validate against (default: OpenInference). `[openinferenceRegistry, genaiRegistry]` (the latter
   * from `@semtrace/genai`) checks the OpenTelemetry GenAI spans of other instrumentations too, each span against
   * the conventions whose kind it declares.
   */
  readonly registries?: readonly RegistryValidator[];
  /**
   * Hold every span to "declares a kind of a loaded registry" (default false: a span no registry judges — an HTTP
   * or database span, even with the context keys `withContext` stamps — is left alone).
   */
  readonly strict?: boolean;
  /** @deprecated Use `strict`, which it now means. */
  readonly includeNonOpenInference?: boolean;
  readonly logger?: (message: string) => void;
}

type RawOptions = { readonly [K in keyof ValidatingSpanProcessorOptions]?: unknown };

/** The options, each read once; an object that cannot be read gives the defaults. */
function readOptions(options: unknown): RawOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object") {
    swallowed("ValidatingSpanProcessor was given options that are not an object, so the defaults apply");
    return {};
  }
  try {
    const o = options as ValidatingSpanProcessorOptions;
    return {
      mode: o.mode,
      minSeverity: o.minSeverity,
      strict: o.strict,
      includeNonOpenInference: o.includeNonOpenInference,
      logger: o.logger,
      registries: o.registries,
    };
  } catch (error) {
    swallowed("ValidatingSpanProcessor options could not be read, so the defaults apply", error);
    return {};
  }
}

function registriesOf(value: unknown): readonly RegistryValidator[] {
  if (value === undefined) return [openinferenceRegistry];
  try {
    if (Array.isArray(value) && value.length > 0 && value.every((r) => typeof r === "object" && r !== null))
      return [...(value as RegistryValidator[])];
  } catch (error) {
    swallowed("ValidatingSpanProcessor registries could not be read", error);
  }
  swallowed("ValidatingSpanProcessor registries is not a non-empty array of registries, so OpenInference's applies");
  return [openinferenceRegistry];
}

export class SpanValidationError extends Error {
  readonly results: readonly SpanFindings[];
  constructor(results: readonly SpanFindings[]) {
    super(describeResults(results));
    this.name = "SpanValidationError";
    this.results = arrayOrEmpty(results);
  }
}

function arrayOrEmpty<T>(value: readonly T[]): readonly T[] {
  try {
    return Array.isArray(value) ? value : [];
  } catch (error) {
    swallowed("SpanValidationError was given results that cannot be read (a revoked proxy?), so it lists none", error);
    return [];
  }
}

/** Span names and keys come from the traced code: a message shows at most 200 characters of each. */
function clip(text: string): string {
  let s: string;
  try {
    s = String(text);
  } catch {
    // Not reported: the message says "[unprintable]" in its place.
    return "[unprintable]";
  }
  return s.length <= 200 ? s : `${s.slice(0, 200)}…`;
}

function describeResults(results: readonly SpanFindings[]): string {
  try {
    return results
      .map(
        (r) =>
          `span "${clip(r.spanName)}": ${r.findings.map((f) => `${f.rule} ${clip(f.key)}: ${f.message}`).join("; ")}`,
      )
      .join("\n");
  } catch (error) {
    swallowed(
      "SpanValidationError was given results it could not describe, so its message says only that validation failed",
      error,
    );
    return "span validation failed (the findings could not be described)";
  }
}

const RANK: Record<Finding["severity"], number> = { info: 0, warning: 1, error: 2 };

interface EndedSpan {
  readonly name: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  spanContext?(): { spanId: string };
}

export class ValidatingSpanProcessor {
  private readonly mode: ValidationMode;
  private readonly min: number;
  private readonly options: { readonly strict: boolean };
  private readonly logger: (message: string) => void;
  private readonly registries: readonly RegistryValidator[];
  private readonly collected: SpanFindings[] = [];
  private pending: SpanFindings[] = [];

  constructor(options: ValidatingSpanProcessorOptions = {}) {
    const o = readOptions(options);
    this.mode = o.mode === "throw" || o.mode === "collect" || o.mode === "log" ? o.mode : "log";
    if (o.mode !== undefined && o.mode !== this.mode)
      swallowed('ValidatingSpanProcessor: mode is not "log", "throw" or "collect", so "log" applies');
    const min =
      typeof o.minSeverity === "string" && Object.hasOwn(RANK, o.minSeverity)
        ? RANK[o.minSeverity as Finding["severity"]]
        : undefined;
    if (o.minSeverity !== undefined && min === undefined)
      swallowed('ValidatingSpanProcessor: minSeverity is not "info", "warning" or "error", so "warning" applies');
    this.min = min ?? RANK.warning;
    this.options = { strict: o.strict === true || o.includeNonOpenInference === true };
    this.logger = typeof o.logger === "function" ? (o.logger as (message: string) => void) : (m) => console.warn(m);
    this.registries = registriesOf(o.registries);
  }

  /** Findings kept in `collect` mode (and in `throw` mode, until thrown). */
  get results(): readonly SpanFindings[] {
    return this.collected;
  }

  clear(): void {
    this.collected.length = 0;
    this.pending = [];
  }

  onStart(): void {}

  onEnd(span: EndedSpan): void {
    let result: SpanFindings | undefined;
    try {
      const findings = validateWith(this.registries, span.attributes, this.options).filter(
        (f) => RANK[f.severity] >= this.min,
      );
      if (findings.length === 0) return;
      result = { spanName: span.name, spanId: span.spanContext?.().spanId, findings };
      if (this.mode === "log") {
        this.logger(new SpanValidationError([result]).message);
        return;
      }
      this.collected.push(result);
      if (this.mode === "throw") this.pending.push(result);
    } catch (error) {
      swallowed("ValidatingSpanProcessor could not validate a span (a hostile span, registry or logger?)", error);
      return;
    }
    if (this.mode === "throw") throw new SpanValidationError([result]);
  }

  forceFlush(): Promise<void> {
    if (this.mode === "throw" && this.pending.length > 0) {
      const error = new SpanValidationError(this.pending);
      this.pending = [];
      return Promise.reject(error);
    }
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.forceFlush();
  }
}
