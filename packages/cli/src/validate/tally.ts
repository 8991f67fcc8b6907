/**
 * What a report says about spans besides their findings: how many spans each registry judged, how many no registry
 * judged (other spans: HTTP, database, framework spans; see `@semtrace/runtime`'s claiming rule) and, with
 * `--coverage`, what of each registry they carried. Counted where spans are validated (this thread, a worker, a
 * live-check request), merged as plain data.
 */
import type { AttributeRecord, RegistryValidator } from "@semtrace/runtime";
import { CoverageCounter, mergeCoverage, type RegistryCoverage } from "./coverage.js";

/** The tally as plain data (crosses worker threads; the json report holds it). */
export interface TallyData {
  /** Other spans: spans no registry judged (and that strict mode did not fail). */
  readonly other: number;
  /** Per registry, in the order given: spans it judged (a span declaring two kinds counts for both). */
  readonly judged: readonly { readonly registry: string; readonly spans: number }[];
  /** With `--coverage`. */
  readonly coverage?: readonly RegistryCoverage[];
}

export interface TallyOptions {
  /** Every span must declare a kind of a loaded registry (`--strict`). */
  readonly strict?: boolean;
  /** Count coverage (`--coverage`). */
  readonly coverage?: boolean;
}

export class SpanTally {
  other = 0;
  readonly strict: boolean;
  /** The registries' names, in order (those of merged reports follow). */
  private readonly names: string[];
  private readonly judged: number[];
  private readonly coverage: CoverageCounter | undefined;
  /** Counts added from elsewhere (worker threads) for registries by name, and their coverage. */
  private extraCoverage: RegistryCoverage[] | undefined;

  constructor(
    readonly registries: readonly RegistryValidator[],
    options: TallyOptions = {},
  ) {
    this.strict = options.strict === true;
    this.names = registries.map((r) => r.name);
    this.judged = registries.map(() => 0);
    this.coverage = options.coverage ? new CoverageCounter(registries) : undefined;
  }

  /** Whether coverage is counted: the batches of worker threads count it too. */
  get countsCoverage(): boolean {
    return this.coverage !== undefined;
  }

  /** A span judged by `judges` (empty: an other span, unless strict mode gave it findings). */
  count(judges: readonly RegistryValidator[], attributes: AttributeRecord, findings: number): void {
    if (judges.length === 0) {
      if (findings === 0) this.other++;
      return;
    }
    for (const judge of judges) {
      const i = this.registries.indexOf(judge);
      if (i >= 0) this.judged[i]!++;
    }
    this.coverage?.count(judges, attributes, Object.keys(attributes));
  }

  /**
   * Adds a tally counted elsewhere: a worker thread's, or a json report's (`semtrace report merge`). Registries are
   * matched by name; one this tally does not know yet is added after the others.
   */
  merge(data: TallyData): void {
    this.other += data.other;
    for (const j of data.judged) {
      const i = this.names.indexOf(j.registry);
      if (i >= 0) this.judged[i]! += j.spans;
      else {
        this.names.push(j.registry);
        this.judged.push(j.spans);
      }
    }
    if (data.coverage) this.extraCoverage = mergeCoverage(this.extraCoverage ?? [], data.coverage);
  }

  /** Spans some registry judged. */
  judgedSpans(total: number): number {
    return total - this.other;
  }

  data(): TallyData {
    const judged = this.names.map((registry, i) => ({ registry, spans: this.judged[i]! }));
    if (!this.coverage)
      return { other: this.other, judged, ...(this.extraCoverage ? { coverage: this.extraCoverage } : {}) };
    const own = this.coverage.data();
    return { other: this.other, judged, coverage: this.extraCoverage ? mergeCoverage(own, this.extraCoverage) : own };
  }
}

/** "12 openinference, 3 genai" */
export function judgedText(data: TallyData): string {
  return data.judged.map((j) => `${j.spans} ${j.registry}`).join(", ");
}
