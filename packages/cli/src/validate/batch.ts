/**
 * JSON Lines in batches: the reader collects raw lines (a few hundred KiB), and `checkLines` parses and validates
 * them into findings — in this thread (small inputs, `--jobs 1`), or in a worker, which receives the batch packed
 * into one transferable buffer with a table of where each line sits (`take`, `checkBatch`). Both give the same
 * report.
 *
 * A batch keeps what the collector would keep of it — the first findings of each rule, the first rejected records
 * of each kind — and counts the rest: a batch whose lines make tens of thousands of findings sends back a few
 * hundred, not all of them (copying them between threads cost more than validating them).
 */
import { judgeWith, type RegistryValidator, type Severity, type ValidateOptions } from "@semtrace/runtime";
import { lineEvents, rejectionKind, type InputNote, type Line } from "./input.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import type { InputSpan } from "./otlp.js";
import type { ReportFinding } from "./report.js";
import { SpanTally, type TallyData } from "./tally.js";

/** How lines are read and what of their results is kept. */
export interface CheckOptions {
  readonly limits: Limits;
  /** Findings kept per rule (the rest are counted in `omittedFindings`). */
  readonly findingsPerRule: number;
  /** Rejected records kept per kind (the rest are counted in `omitted`). */
  readonly listedPerKind: number;
  /** Every span must declare a kind of a loaded registry (`--strict`). */
  readonly strict?: boolean;
  /** Count coverage (`--coverage`). */
  readonly coverage?: boolean;
}

const KEEP_EVERYTHING: CheckOptions = {
  limits: DEFAULT_LIMITS,
  findingsPerRule: Number.POSITIVE_INFINITY,
  listedPerKind: Number.POSITIVE_INFINITY,
};
const STRICT: ValidateOptions = Object.freeze({ strict: true });
const LENIENT: ValidateOptions = Object.freeze({});

let lastOptions: ValidateOptions = LENIENT;

/** The options of `judgeWith` for a run (the last ones made are reused: a run makes the same ones for every batch). */
function validateOptions(strict: boolean, maxContentChars: number | undefined): ValidateOptions {
  if (maxContentChars === undefined) return strict ? STRICT : LENIENT;
  if (lastOptions.strict !== strict || lastOptions.maxContentChars !== maxContentChars)
    lastOptions = Object.freeze({ strict, maxContentChars });
  return lastOptions;
}

/** Lines packed for transfer: `meta` holds, per line, its number, its byte offset in the input, and its start and end in `bytes`. */
export interface LineBatch {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly meta: Float64Array;
  readonly options: CheckOptions;
}

export interface BatchResult {
  readonly spans: number;
  /** Spans with at least one finding, kept or not. */
  readonly spansWithFindings: number;
  /** The first `findingsPerRule` findings of each rule… */
  readonly findings: readonly ReportFinding[];
  /** …(per finding, the index of its line in the batch)… */
  readonly findingLines: readonly number[];
  /** …and how many more of each rule and severity. */
  readonly omittedFindings: readonly { readonly rule: string; readonly severity: Severity; readonly count: number }[];
  /** The first `listedPerKind` rejected records of each kind… */
  readonly rejected: readonly {
    readonly line: number;
    readonly offset: number;
    readonly reason: string;
    readonly category: string;
  }[];
  /** …and how many more of each kind. */
  readonly omitted: readonly { readonly category: string; readonly count: number }[];
  /** Notes on lines (integers past 2^53). */
  readonly notes: readonly (InputNote & { readonly line: number; readonly offset: number })[];
  /** Line number and byte offset of every line of the batch, in pairs (for the findings' sources). */
  readonly where: Float64Array;
  /** Spans each registry judged, other spans, coverage. */
  readonly tally: TallyData;
}

const FIELDS = 4;

/** What a line costs in a batch besides its bytes (its record and view, in bytes): 512 KiB of them is 8,192 lines. */
const LINE_COST = 64;

/** Collects lines until a batch is worth handing over. */
export class LineBatcher {
  private lines: Line[] = [];
  private bytes = 0;
  constructor(
    readonly file: string,
    private readonly targetBytes: number,
    readonly options: CheckOptions = KEEP_EVERYTHING,
  ) {}

  get size(): number {
    return this.bytes;
  }

  get empty(): boolean {
    return this.lines.length === 0;
  }

  /** Adds a line; true when the batch has reached its target size. */
  add(line: Line): boolean {
    this.lines.push(line);
    // A line costs memory of its own besides its bytes: a batch of empty lines is not endless.
    this.bytes += line.bytes.length + LINE_COST;
    return this.bytes >= this.targetBytes;
  }

  /** The batch so far, copied into one fresh buffer (safe to transfer to a worker), and a new empty batch begun. */
  take(): LineBatch {
    const lines = this.takeLines();
    const bytes = new Uint8Array(lines.reduce((n, line) => n + line.bytes.length, 0));
    const meta = new Float64Array(lines.length * FIELDS);
    let at = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      bytes.set(line.bytes, at);
      meta[i * FIELDS] = line.number;
      meta[i * FIELDS + 1] = line.offset;
      meta[i * FIELDS + 2] = at;
      at += line.bytes.length;
      meta[i * FIELDS + 3] = at;
    }
    return { file: this.file, bytes, meta, options: this.options };
  }

  /** The batch's lines as they are (for validating in this thread: no copy), and a new empty batch begun. */
  takeLines(): Line[] {
    const lines = this.lines;
    this.lines = [];
    this.bytes = 0;
    return lines;
  }
}

/**
 * Validates spans, handing each finding to `emit` with the index of its span; `tally` counts which registries judged
 * each span (other spans, coverage) and says whether the run is strict; `maxContentChars` bounds the JSON text whose
 * content is checked (`Limits.maxContentChars`).
 */
export function checkSpans(
  spans: readonly InputSpan[],
  registries: readonly RegistryValidator[],
  emit: (finding: ReportFinding, spanIndex: number) => void,
  tally?: SpanTally,
  maxContentChars = DEFAULT_LIMITS.maxContentChars,
): void {
  const options = validateOptions(tally?.strict === true, maxContentChars);
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const { findings: found, judges } = judgeWith(registries, span.attributes, options);
    tally?.count(judges, span.attributes, found.length);
    for (let k = 0; k < found.length; k++) {
      const f = found[k]!;
      emit(
        {
          traceId: span.traceId,
          spanId: span.spanId,
          spanName: span.name,
          key: f.key,
          rule: f.rule,
          severity: f.severity,
          message: f.message,
        },
        i,
      );
    }
  }
}

/** Parses and validates every line of a packed batch (what a worker receives). */
export function checkBatch(batch: LineBatch, registries: readonly RegistryValidator[]): BatchResult {
  const { bytes, meta } = batch;
  const lines: Line[] = [];
  for (let i = 0; i < meta.length; i += FIELDS)
    lines.push({ bytes: bytes.subarray(meta[i + 2]!, meta[i + 3]!), number: meta[i]!, offset: meta[i + 1]! });
  return checkLines(batch.file, lines, registries, batch.options);
}

/** Parses and validates lines. Never throws for bad content: bad lines come back as rejections. */
export function checkLines(
  file: string,
  lines: readonly Line[],
  registries: readonly RegistryValidator[],
  options: CheckOptions = KEEP_EVERYTHING,
): BatchResult {
  const { limits, findingsPerRule, listedPerKind } = options;
  const tally = new SpanTally(registries, { strict: options.strict === true, coverage: options.coverage === true });
  const findings: ReportFinding[] = [];
  const findingLines: number[] = [];
  const perRule = new Map<string, number>();
  const omittedFindings = new Map<string, { rule: string; severity: Severity; count: number }>();
  const rejected: { line: number; offset: number; reason: string; category: string }[] = [];
  const perKind = new Map<string, number>();
  const notes: (InputNote & { line: number; offset: number })[] = [];
  const where = new Float64Array(lines.length * 2);
  let spans = 0;
  let spansWithFindings = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    where[i * 2] = line.number;
    where[i * 2 + 1] = line.offset;
    for (const event of lineEvents(file, line, limits)) {
      if (event.kind === "rejected") {
        const category = event.category ?? rejectionKind(event.reason);
        const seen = perKind.get(category) ?? 0;
        perKind.set(category, seen + 1);
        if (seen < listedPerKind)
          rejected.push({
            line: line.number,
            offset: event.source.offset ?? line.offset,
            reason: event.reason,
            category,
          });
        continue;
      }
      if (event.notes) for (const note of event.notes) notes.push({ ...note, line: line.number, offset: line.offset });
      spans += event.spans.length;
      let lastSpan = -1;
      checkSpans(
        event.spans,
        registries,
        (f, spanIndex) => {
          if (spanIndex !== lastSpan) {
            spansWithFindings++;
            lastSpan = spanIndex;
          }
          const seen = perRule.get(f.rule) ?? 0;
          perRule.set(f.rule, seen + 1);
          if (seen < findingsPerRule) {
            findings.push(f);
            findingLines.push(i);
            return;
          }
          const key = `${f.severity} ${f.rule}`;
          const omitted = omittedFindings.get(key);
          if (omitted) omitted.count++;
          else omittedFindings.set(key, { rule: f.rule, severity: f.severity, count: 1 });
        },
        tally,
        limits.maxContentChars,
      );
    }
  }
  const omitted = [...perKind]
    .filter(([, n]) => n > listedPerKind)
    .map(([category, n]) => ({ category, count: n - listedPerKind }));
  return {
    spans,
    spansWithFindings,
    findings,
    findingLines,
    omittedFindings: [...omittedFindings.values()],
    rejected,
    omitted,
    notes,
    where,
    tally: tally.data(),
  };
}

/** Line number and byte offset of line `index` of a batch result. */
export function lineAt(result: BatchResult, index: number): { line: number; offset: number } {
  return { line: result.where[index * 2]!, offset: result.where[index * 2 + 1]! };
}
