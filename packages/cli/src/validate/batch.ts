/**
 * JSON Lines in batches: the reader collects raw lines (a few hundred KiB), and `checkLines` parses and validates
 * them into findings — in this thread (small inputs, `--jobs 1`), or in a worker, which receives the batch packed
 * into one transferable buffer with a table of where each line sits (`take`, `checkBatch`). Both give the same
 * report.
 */
import { validateWith, type RegistryValidator } from "@semtrace/runtime";
import { lineEvent, type Line } from "./input.js";
import type { InputSpan } from "./otlp.js";
import type { ReportFinding } from "./report.js";

/** Lines packed for transfer: `meta` holds, per line, its number, its byte offset in the input, and its start and end in `bytes` (end -1: the line was over the limit). */
export interface LineBatch {
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly meta: Float64Array;
}

export interface BatchResult {
  readonly spans: number;
  readonly findings: readonly ReportFinding[];
  /** Per finding, the index of its line in the batch. */
  readonly findingLines: readonly number[];
  readonly rejected: readonly { readonly line: number; readonly offset: number; readonly reason: string }[];
  /** Line number and byte offset of every line of the batch, in pairs (for the findings' sources). */
  readonly where: Float64Array;
}

const FIELDS = 4;

/** Collects lines until a batch is worth handing over. */
export class LineBatcher {
  private lines: Line[] = [];
  private bytes = 0;
  constructor(
    readonly file: string,
    private readonly targetBytes: number,
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
    this.bytes += line.bytes.length;
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
      meta[i * FIELDS + 3] = line.tooLong ? -1 : at;
    }
    return { file: this.file, bytes, meta };
  }

  /** The batch's lines as they are (for validating in this thread: no copy), and a new empty batch begun. */
  takeLines(): Line[] {
    const lines = this.lines;
    this.lines = [];
    this.bytes = 0;
    return lines;
  }
}

/** Validates the spans of one record, handing each finding to `emit`. */
export function checkSpans(spans: readonly InputSpan[], registries: readonly RegistryValidator[], emit: (finding: ReportFinding) => void): void {
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const found = validateWith(registries, span.attributes);
    for (let k = 0; k < found.length; k++) {
      const f = found[k]!;
      emit({ traceId: span.traceId, spanId: span.spanId, spanName: span.name, key: f.key, rule: f.rule, severity: f.severity, message: f.message });
    }
  }
}

/** Parses and validates every line of a packed batch (what a worker receives). */
export function checkBatch(batch: LineBatch, registries: readonly RegistryValidator[]): BatchResult {
  const { bytes, meta } = batch;
  const lines: Line[] = [];
  for (let i = 0; i < meta.length; i += FIELDS) {
    const number = meta[i]!;
    const offset = meta[i + 1]!;
    const end = meta[i + 3]!;
    lines.push(end < 0 ? { bytes: new Uint8Array(0), number, offset, tooLong: true } : { bytes: bytes.subarray(meta[i + 2]!, end), number, offset });
  }
  return checkLines(batch.file, lines, registries);
}

/** Parses and validates lines. Never throws for bad content: bad lines come back as rejections. */
export function checkLines(file: string, lines: readonly Line[], registries: readonly RegistryValidator[]): BatchResult {
  const findings: ReportFinding[] = [];
  const findingLines: number[] = [];
  const rejected: { line: number; offset: number; reason: string }[] = [];
  const where = new Float64Array(lines.length * 2);
  let spans = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    where[i * 2] = line.number;
    where[i * 2 + 1] = line.offset;
    const event = lineEvent(file, line);
    if (event.kind === "rejected") {
      rejected.push({ line: line.number, offset: line.offset, reason: event.reason });
      continue;
    }
    spans += event.spans.length;
    checkSpans(event.spans, registries, (f) => {
      findings.push(f);
      findingLines.push(i);
    });
  }
  return { spans, findings, findingLines, rejected, where };
}

/** Line number and byte offset of line `index` of a batch result. */
export function lineAt(result: BatchResult, index: number): { line: number; offset: number } {
  return { line: result.where[index * 2]!, offset: result.where[index * 2 + 1]! };
}
