/**
 * JSON Lines in batches: the reader packs raw lines into one buffer (a few hundred KiB) with a table of where
 * each line sits, and `checkBatch` parses and validates a batch into findings. The same `checkBatch` runs in
 * this thread (small inputs, `--jobs 1`) and in the worker pool, so both give the same report.
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
  /** Per finding, the index of its line in the batch. */
  readonly findings: readonly ReportFinding[];
  readonly findingLines: readonly number[];
  readonly rejected: readonly { readonly line: number; readonly offset: number; readonly reason: string }[];
  /** Line number and byte offset of every line of the batch (for the findings' sources). */
  readonly meta: Float64Array;
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

  /** The batch so far, copied into one fresh buffer (safe to transfer), and a new empty batch begun. */
  take(): LineBatch {
    const bytes = new Uint8Array(this.bytes);
    const meta = new Float64Array(this.lines.length * FIELDS);
    let at = 0;
    for (let i = 0; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      bytes.set(line.bytes, at);
      meta[i * FIELDS] = line.number;
      meta[i * FIELDS + 1] = line.offset;
      meta[i * FIELDS + 2] = at;
      at += line.bytes.length;
      meta[i * FIELDS + 3] = line.tooLong ? -1 : at;
    }
    this.lines = [];
    this.bytes = 0;
    return { file: this.file, bytes, meta };
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

/** Parses and validates every line of a batch. Never throws for bad content: bad lines come back as rejections. */
export function checkBatch(batch: LineBatch, registries: readonly RegistryValidator[]): BatchResult {
  const { bytes, meta, file } = batch;
  const findings: ReportFinding[] = [];
  const findingLines: number[] = [];
  const rejected: { line: number; offset: number; reason: string }[] = [];
  let spans = 0;
  const lines = meta.length / FIELDS;
  for (let i = 0; i < lines; i++) {
    const number = meta[i * FIELDS]!;
    const offset = meta[i * FIELDS + 1]!;
    const start = meta[i * FIELDS + 2]!;
    const end = meta[i * FIELDS + 3]!;
    const line: Line = end < 0 ? { bytes: new Uint8Array(0), number, offset, tooLong: true } : { bytes: bytes.subarray(start, end), number, offset };
    const event = lineEvent(file, line);
    if (event.kind === "rejected") {
      rejected.push({ line: number, offset, reason: event.reason });
      continue;
    }
    spans += event.spans.length;
    checkSpans(event.spans, registries, (f) => {
      findings.push(f);
      findingLines.push(i);
    });
  }
  return { spans, findings, findingLines, rejected, meta };
}

/** Line number and byte offset of line `index` of a batch result. */
export function lineAt(result: BatchResult, index: number): { line: number; offset: number } {
  return { line: result.meta[index * FIELDS]!, offset: result.meta[index * FIELDS + 1]! };
}
