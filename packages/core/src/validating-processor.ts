/**
 * Development aid: validates every ended span against the registries (OpenInference by default) and logs,
 * throws or collects the findings.
 */
import { openinferenceRegistry, type Finding } from "@semtrace/openinference";
import { validateWith, type RegistryValidator } from "@semtrace/runtime";

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
  /** Validate spans that carry none of the registries' kind attributes too (default: skip them — HTTP, database spans…). */
  readonly includeNonOpenInference?: boolean;
  readonly logger?: (message: string) => void;
}

export class SpanValidationError extends Error {
  readonly results: readonly SpanFindings[];
  constructor(results: readonly SpanFindings[]) {
    super(results.map((r) => `span "${r.spanName}": ${r.findings.map((f) => `${f.rule} ${f.key}: ${f.message}`).join("; ")}`).join("\n"));
    this.name = "SpanValidationError";
    this.results = results;
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
  private readonly all: boolean;
  private readonly logger: (message: string) => void;
  private readonly registries: readonly RegistryValidator[];
  private readonly kindKeys: readonly string[];
  private readonly collected: SpanFindings[] = [];
  private pending: SpanFindings[] = [];

  constructor(options: ValidatingSpanProcessorOptions = {}) {
    this.mode = options.mode ?? "log";
    this.min = RANK[options.minSeverity ?? "warning"];
    this.all = options.includeNonOpenInference === true;
    this.logger = options.logger ?? ((m) => console.warn(m));
    this.registries = options.registries ?? [openinferenceRegistry];
    this.kindKeys = this.registries.flatMap((r) => (r.spanKindKey === undefined ? [] : [r.spanKindKey]));
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
      if (!this.all && !this.kindKeys.some((key) => span.attributes[key] !== undefined)) return;
      const findings = validateWith(this.registries, span.attributes).filter((f) => RANK[f.severity] >= this.min);
      if (findings.length === 0) return;
      result = { spanName: span.name, spanId: span.spanContext?.().spanId, findings };
      if (this.mode === "log") {
        this.logger(new SpanValidationError([result]).message);
        return;
      }
      this.collected.push(result);
      if (this.mode === "throw") this.pending.push(result);
    } catch {
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
