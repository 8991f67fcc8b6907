/**
 * Reading inputs as a stream of records, with memory bounded by one line or one span whatever the input's size.
 * Formats are detected from the bytes:
 *
 * - gzip (1f 8b) is decompressed as a stream (zlib), then detected again;
 * - JSON: when the first non-blank line is a JSON object or array by itself, the input is JSON Lines (one record a
 *   line, as the OpenTelemetry Collector's file exporter writes): lines are handed out raw, for the caller to parse
 *   here or in a worker thread; a line longer than `HELD_LINE_BYTES` is read as a stream instead, span by span.
 *   Otherwise it is a JSON document (pretty-printed), read as a stream span by span (`json-stream.ts`);
 * - anything else is a binary protobuf `ExportTraceServiceRequest`, read as a stream span by span
 *   (`protobuf-stream.ts`).
 *
 * Lines are split on the raw bytes (not readline over decoded text) so invalid UTF-8 is reported with its line
 * instead of silently turning into U+FFFD, and every problem carries a line or a byte offset.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { JsonDocumentDecoder, parseError, tooManySpans, type JsonStop } from "./json-stream.js";
import { DEFAULT_LIMITS, HELD_LINE_BYTES, WHOLE_LINE_BYTES, type Limits } from "./limits.js";
import { ShapeError, spansOfJson, takeImpreciseInts, type InputSpan } from "./otlp.js";
import { ProtobufRequestDecoder, spansOfProtobuf } from "./protobuf-stream.js";

export { DEFAULT_LIMITS, type Limits } from "./limits.js";

export type InputFormat = "auto" | "json" | "protobuf";

/** Bytes read from a file at once: large reads cost fewer calls (measured 5–10% faster than 256 KiB on big files). */
const READ_CHUNK_BYTES = 1024 * 1024;

/** Where a span or a rejected record came from. */
export interface Source {
  readonly file: string;
  /** 1-based line (JSON Lines, or the start of a JSON span or document). */
  readonly line?: number;
  /** Byte offset (protobuf, or the start of a JSON line or span), in the decompressed input. */
  readonly offset?: number;
}

/** Something worth saying about an input that is not a problem with it: it was empty, an integer was past 2^53. */
export interface InputNote {
  /** What kind of note: `empty`, `int-precision`. */
  readonly category: string;
  readonly text: string;
}

export type InputEvent =
  | {
      readonly kind: "spans";
      readonly spans: InputSpan[];
      /** Where the spans are (the first of them, when `positions` is given). */
      readonly source: Source;
      /** Per span, its line (NaN when it has none) and byte offset, in pairs: spans read from a stream. */
      readonly positions?: readonly number[];
      /** With `positions`: per span, the offset after its last byte (NaN for a plain span read from a root object's keys). */
      readonly ends?: readonly number[];
      readonly notes?: readonly InputNote[];
    }
  | { readonly kind: "rejected"; readonly source: Source; readonly reason: string; readonly category?: string };

/** What `readRecords` yields: parsed events, or (JSON Lines) one raw line left for the caller to parse, perhaps elsewhere. */
export type RecordEvent = InputEvent | { readonly kind: "line"; readonly line: Line };

export interface Line {
  readonly bytes: Uint8Array;
  readonly number: number;
  readonly offset: number;
}

/**
 * The kind of a rejection, from its reason (the reasons are written here and in the decoders), for counting rejected
 * records and listing the first few of each kind: over a limit, unreadable, not UTF-8 text, invalid gzip, invalid
 * UTF-8, wrong shape, invalid protobuf, invalid JSON.
 */
export function rejectionKind(reason: string): string {
  if (/--max-(record|document)-bytes|--max-depth|nested deeper than|nested at most/.test(reason)) return "over a limit";
  if (/^cannot read|^broken symbolic link|^symbolic link loop/.test(reason)) return "unreadable";
  if (/UTF-16|UTF-32/.test(reason)) return "not UTF-8 text";
  if (/gzip/.test(reason)) return "invalid gzip";
  if (/invalid UTF-8/.test(reason)) return "invalid UTF-8";
  if (/wrong shape/.test(reason)) return "wrong shape";
  if (/protobuf/.test(reason)) return "invalid protobuf";
  if (/JSON/.test(reason)) return "invalid JSON";
  // Another command's reasons (live-check's "413: …"): what comes before the first colon.
  return reason.split(":", 1)[0]!.slice(0, 40);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const i = firstInvalidUtf8(bytes);
    throw new InputError(
      `${what}: invalid UTF-8 at byte ${i} of the ${what === "line" ? "line" : "document"}; expected UTF-8 JSON text`,
    );
  }
}

export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > bytes.length) return i;
    for (let k = 1; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return i;
}

class InputError extends Error {}

/**
 * Decompresses (when gzip) and yields the bytes. `onRead` counts the input's own bytes (compressed or not) as
 * they are read. A gzip error names how far into the file it happened.
 */
async function* decompressed(stream: Readable, onRead?: (n: number) => void, tap?: InputTap): AsyncGenerator<Buffer> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let read = 0;
  const next = async (): Promise<Buffer | undefined> => {
    const step = await iterator.next();
    if (step.done) return undefined;
    const chunk = typeof step.value === "string" ? Buffer.from(step.value) : step.value;
    read += chunk.length;
    onRead?.(chunk.length);
    return chunk;
  };
  let head = Buffer.alloc(0);
  while (head.length < 2) {
    const chunk = await next();
    if (!chunk) break;
    head = Buffer.concat([head, chunk]);
  }
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (;;) {
      const chunk = await next();
      if (!chunk) return;
      yield chunk;
    }
  }
  if (!(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)) {
    if (!tap) yield* rest();
    else {
      for await (const chunk of rest()) {
        tap.bytes(chunk);
        yield chunk;
      }
    }
    return;
  }
  tap?.gzip?.();
  // zlib is loaded for gzip input only: it costs a cold start ~5 ms of CPU.
  const { createGunzip } = await import("node:zlib");
  const source = Readable.from(rest());
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  source.on("error", (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  let produced = 0;
  try {
    for await (const chunk of gunzip) {
      produced += (chunk as Buffer).length;
      tap?.bytes(chunk as Buffer);
      yield chunk as Buffer;
    }
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === "Z_BUF_ERROR" || /unexpected end of file/i.test(message)) {
      throw new InputError(
        `the gzip data ends early, after ${read} bytes of the file (${produced} bytes decompressed): the file is truncated`,
      );
    }
    throw new InputError(
      `invalid gzip data within the first ${read} bytes of the file (${produced} bytes decompressed): ${message}`,
    );
  } finally {
    source.destroy();
  }
}

/** The decompressed bytes, with the possibility to put some back: the JSON reader switches between lines and streams. */
class ByteReader {
  private readonly back: Buffer[] = [];
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  async read(): Promise<Buffer | undefined> {
    const kept = this.back.pop();
    if (kept) return kept;
    const next = await this.source.next();
    return next.done ? undefined : next.value;
  }

  /** Puts bytes back: the next `read` returns them (the last ones put back first). */
  unread(chunk: Buffer): void {
    if (chunk.length > 0) this.back.push(chunk);
  }
}

/** Where the JSON reader is: the absolute offset of the next byte, its line, and where that line starts. */
interface Cursor {
  offset: number;
  line: number;
  lineStart: number;
}

function isBlankByte(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d;
}

/** Whitespace kept while looking for the first real byte; past it, whitespace is counted and dropped. */
const SNIFF_BYTES = 64 * 1024;

interface Sniffed {
  /** The input's first bytes (at least `DETECT_BYTES`, unless it is shorter), put back; empty after a long run of whitespace. */
  readonly head: Buffer;
  /** The first byte that is not whitespace. */
  readonly firstSolid: number;
  /** The head is the whole input. */
  readonly whole: boolean;
}

/** Bytes looked at to tell the formats apart (whatever the chunks they arrive in). */
const DETECT_BYTES = 4096;

/**
 * Looks at the input's first bytes without consuming them (all put back), for detecting the format. Returns
 * undefined for an input that is empty or holds only whitespace (`seen.bytes` tells which). Long runs of leading
 * whitespace are consumed (counted in `cursor`), not kept.
 */
async function sniff(reader: ByteReader, cursor: Cursor, seen: { bytes: number }): Promise<Sniffed | undefined> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let dropped = false;
  let solid = -1;
  for (;;) {
    const chunk = await reader.read();
    if (chunk) {
      seen.bytes += chunk.length;
      if (solid < 0) {
        let i = 0;
        while (i < chunk.length && isBlankByte(chunk[i]!)) i++;
        if (i < chunk.length) solid = chunk[i]!;
      }
      kept.push(chunk);
      keptBytes += chunk.length;
    }
    if (solid < 0) {
      if (!chunk) return undefined;
      if (keptBytes > SNIFF_BYTES) {
        for (const part of kept.splice(0)) advanceOver(part, cursor);
        keptBytes = 0;
        dropped = true;
      }
      continue;
    }
    if (chunk && keptBytes < DETECT_BYTES) continue;
    const head = kept.length === 1 ? kept[0]! : Buffer.concat(kept);
    reader.unread(head);
    return { head: dropped ? Buffer.alloc(0) : head, firstSolid: solid, whole: !chunk };
  }
}

/** Moves the cursor over consumed bytes, counting their lines. */
function advanceOver(bytes: Uint8Array, cursor: Cursor): void {
  let nl = -1;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) {
    cursor.line++;
    nl = i;
  }
  if (nl !== -1) cursor.lineStart = cursor.offset + nl + 1;
  cursor.offset += bytes.length;
}

/** Text in UTF-16 instead of UTF-8: what it is, or undefined. */
function otherEncoding(s: Sniffed): string | undefined {
  const [first, second] = s.head;
  if (first === 0xff && second === 0xfe) return "UTF-16 (little-endian) text, with a byte order mark";
  if (first === 0xfe && second === 0xff) return "UTF-16 (big-endian) text, with a byte order mark";
  if ((first === 0x7b || first === 0x5b) && second === 0x00) return "UTF-16 (little-endian) text";
  if (first === 0x00 && (second === 0x7b || second === 0x5b)) return "UTF-16 (big-endian) text";
  return undefined;
}

function looksLikeJson(s: Sniffed, limits: Limits): boolean {
  const first = s.head[0];
  if (first === undefined) return true; // after a long run of whitespace: text
  if (first === 0x7b || first === 0x5b || first === 0x20 || first === 0x09 || first === 0x0d) return true;
  if (first === 0xef) return true; // a UTF-8 byte order mark
  if (first !== 0x0a || (s.firstSolid !== 0x7b && s.firstSolid !== 0x5b)) return false;
  // "\n{" or "\n[": JSON on its second line, or a protobuf request whose first ResourceSpans is 123 or 91 bytes
  // long (0x0a is its tag). Both readers try the first bytes: the one that finds a problem later wins.
  return firstProblem(s, limits, "json") >= firstProblem(s, limits, "protobuf");
}

/** Where reading the head in a format meets its first problem (Infinity: none). */
function firstProblem(s: Sniffed, limits: Limits, format: "json" | "protobuf"): number {
  let at = Number.POSITIVE_INFINITY;
  const note = (offset: number) => void (at = Math.min(at, offset));
  if (format === "protobuf") {
    const decoder = new ProtobufRequestDecoder(limits, { span: () => {}, reject: note });
    decoder.push(s.head);
    if (s.whole) decoder.end();
    if (decoder.failure) note(decoder.failure.offset);
    return at;
  }
  const decoder = new JsonDocumentDecoder(
    limits,
    { span: () => {}, reject: (_line, offset) => note(offset) },
    { offset: 0, line: 1, lineStart: 0 },
  );
  decoder.push(s.head);
  if (s.whole) decoder.end();
  if (decoder.stop) note(decoder.stop.offset);
  return at;
}

/**
 * Reads one input (a file path, or `-` for `stdin`) and yields spans and rejected records. Never throws
 * for bad content; an unreadable file is one rejected record.
 */
export async function* readInput(file: string, options: ReadOptions = {}): AsyncGenerator<InputEvent> {
  const name = file === "-" ? "<stdin>" : file;
  const limits = options.limits ?? DEFAULT_LIMITS;
  for await (const event of readRecords(file, options)) {
    if (event.kind === "line") yield* lineEvents(name, event.line, limits);
    else yield event;
  }
}

/**
 * What rewriting an input needs from its reading (`semtrace translate`): its bytes, and the frames of protobuf
 * messages. Span events then say where each span ends (`ends`).
 */
export interface InputTap {
  /** The input is gzip: called before its first (decompressed) bytes. */
  gzip?(): void;
  /** Every byte of the input, decompressed, once and in order, before the spans in them are handed out. */
  bytes(chunk: Buffer): void;
  /** The input is read as this format (called once, before its spans). */
  format?(format: "json" | "protobuf"): void;
  /** A protobuf ResourceSpans (level 1) or ScopeSpans (2) message starts (see `ProtobufSink.frame`). */
  frame?(level: 1 | 2, field: number, tagAt: number, start: number, end: number): void;
}

export interface ReadOptions {
  format?: InputFormat;
  /** Sees the input's bytes as they are read (see `InputTap`). */
  tap?: InputTap;
  limits?: Limits;
  stdin?: Readable;
  /** Counts the bytes read from the input itself (before decompression), for progress. */
  onBytes?: (n: number) => void;
}

/**
 * As `readInput`, but the lines of a JSON Lines input come raw (`kind: "line"`), in order, for the caller to
 * parse with `lineEvent` — in this thread or in a worker.
 */
export async function* readRecords(file: string, options: ReadOptions = {}): AsyncGenerator<RecordEvent> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const format = options.format ?? "auto";
  const name = file === "-" ? "<stdin>" : file;
  const stream =
    file === "-" ? (options.stdin ?? process.stdin) : createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
  const tap = options.tap;
  const reader = new ByteReader(decompressed(stream, options.onBytes, tap));
  const cursor: Cursor = { offset: 0, line: 1, lineStart: 0 };
  try {
    if (format === "protobuf") {
      tap?.format?.("protobuf");
      yield* readProtobuf(name, reader, limits, false, tap);
      return;
    }
    const seen = { bytes: 0 };
    const sniffed = await sniff(reader, cursor, seen);
    if (!sniffed) {
      yield {
        kind: "spans",
        spans: [],
        source: { file: name },
        notes: [{ category: "empty", text: seen.bytes === 0 ? "empty" : "only whitespace" }],
      };
      return;
    }
    const encoding = otherEncoding(sniffed);
    if (encoding) {
      yield {
        kind: "rejected",
        source: { file: name, offset: 0 },
        reason: `${encoding}: semtrace reads UTF-8 (JSON) or binary protobuf; convert it first, e.g. iconv -f UTF-16 -t UTF-8`,
        category: "not UTF-8 text",
      };
      return;
    }
    if (format === "json" || looksLikeJson(sniffed, limits)) {
      tap?.format?.("json");
      yield* readJson(name, reader, cursor, limits);
    } else {
      tap?.format?.("protobuf");
      yield* readProtobuf(
        name,
        reader,
        limits,
        sniffed.head[0] !== undefined && sniffed.head[0] >= 0x20 && sniffed.head[0] < 0x7f,
        tap,
      );
    }
  } catch (error) {
    const reason = error instanceof InputError ? error.message : `cannot read: ${(error as Error).message}`;
    yield { kind: "rejected", source: { file: name }, reason, category: rejectionKind(reason) };
  } finally {
    if (file !== "-") stream.destroy();
  }
}

/** Spans and rejections decoded from one chunk of a stream, handed out as events in input order. */
class StreamBatch {
  private spans: InputSpan[] = [];
  private positions: number[] = [];
  private ends: number[] = [];
  private ready: InputEvent[] = [];

  constructor(private readonly file: string) {}

  add(span: InputSpan, line: number, offset: number, end: number): void {
    this.spans.push(span);
    this.positions.push(line, offset);
    this.ends.push(end);
  }

  reject(line: number, offset: number, reason: string): void {
    this.closeSpans();
    this.ready.push(rejected(this.file, line, offset, reason));
  }

  private closeSpans(): void {
    const imprecise = takeImpreciseInts();
    if (this.spans.length === 0 && !imprecise) return;
    const [line, offset] = this.positions;
    const source: Source = {
      file: this.file,
      ...(line !== undefined && !Number.isNaN(line) ? { line } : {}),
      ...(offset !== undefined ? { offset } : {}),
    };
    this.ready.push({
      kind: "spans",
      spans: this.spans,
      source,
      positions: this.positions,
      ends: this.ends,
      ...(imprecise ? { notes: [impreciseNote(imprecise)] } : {}),
    });
    this.spans = [];
    this.positions = [];
    this.ends = [];
  }

  *events(): Generator<InputEvent> {
    this.closeSpans();
    const ready = this.ready;
    this.ready = [];
    yield* ready;
  }
}

function rejected(file: string, line: number, offset: number, reason: string): InputEvent {
  return {
    kind: "rejected",
    source: { file, ...(Number.isNaN(line) ? {} : { line }), offset },
    reason,
    category: rejectionKind(reason),
  };
}

function impreciseNote(found: { readonly count: number; readonly first: string }): InputNote {
  const first = `${found.first} is held as ${Number(found.first)}`;
  return {
    category: "int-precision",
    text: `${found.count === 1 ? "an integer" : `${found.count} integers`} past ±2^53 (${first}): validated as the nearest double, which keeps type checks exact`,
  };
}

/**
 * Bytes handed to a span-by-span reader at once: the spans of each piece are validated and dropped before the next
 * is read, so few of them live long enough to reach the old generation (256 KiB of `[{},{},…]` is 87,000 spans).
 */
const PIECE_BYTES = 32 * 1024;

/** The next chunk, at most `PIECE_BYTES` of it (the rest is put back). */
async function readPiece(reader: ByteReader): Promise<Buffer | undefined> {
  const chunk = await reader.read();
  if (chunk && chunk.length > PIECE_BYTES) {
    reader.unread(chunk.subarray(PIECE_BYTES));
    return chunk.subarray(0, PIECE_BYTES);
  }
  return chunk;
}

// --- protobuf ---------------------------------------------------------------------------------------------------

async function* readProtobuf(
  file: string,
  reader: ByteReader,
  limits: Limits,
  looksLikeText: boolean,
  tap?: InputTap,
): AsyncGenerator<InputEvent> {
  const batch = new StreamBatch(file);
  const decoder = new ProtobufRequestDecoder(limits, {
    span: (span, offset, end) => batch.add(span, Number.NaN, offset, end),
    reject: (offset, reason) => batch.reject(Number.NaN, offset, reason),
    ...(tap?.frame ? { frame: tap.frame.bind(tap) } : {}),
  });
  let size = 0;
  for (;;) {
    const chunk = await readPiece(reader);
    if (!chunk) break;
    size += chunk.length;
    if (size > limits.maxDocumentBytes) {
      decoder.push(chunk.subarray(0, chunk.length - (size - limits.maxDocumentBytes)));
      yield* batch.events();
      const reason = `protobuf message larger than ${limits.maxDocumentBytes} bytes (--max-document-bytes): the spans in its first ${limits.maxDocumentBytes} bytes were validated, the rest was not read`;
      yield rejected(file, Number.NaN, limits.maxDocumentBytes, reason);
      return;
    }
    decoder.push(chunk);
    yield* batch.events();
    if (decoder.failure) break;
  }
  decoder.end();
  yield* batch.events();
  const notText = "neither JSON (which starts with '{' or '[') nor a protobuf ExportTraceServiceRequest";
  if (decoder.failure) {
    const { message, offset } = decoder.failure;
    const reason = /--max-/.test(message)
      ? `protobuf ExportTraceServiceRequest: ${message} (at byte ${offset})`
      : looksLikeText && !decoder.sawResourceSpans
        ? `${notText}: ${message} (at byte ${offset})`
        : `invalid protobuf ExportTraceServiceRequest: ${message} (at byte ${offset})`;
    yield rejected(file, Number.NaN, offset, reason);
  } else if (size > 0 && !decoder.sawResourceSpans) {
    yield rejected(
      file,
      Number.NaN,
      0,
      `${looksLikeText ? notText : "not a protobuf ExportTraceServiceRequest"}: no resourceSpans (field 1) found`,
    );
  }
}

// --- JSON -------------------------------------------------------------------------------------------------------

/**
 * A JSON input: JSON Lines, or documents. Each record starts on a line of its own: when that line is a JSON object
 * or array by itself, this and every following line are JSON Lines; otherwise a document starts there, read as a
 * stream. After a document that breaks off, the lines up to the next one that is a record by itself are skipped
 * (and said so), as far as `maxDocumentBytes`.
 */
async function* readJson(
  file: string,
  reader: ByteReader,
  cursor: Cursor,
  limits: Limits,
): AsyncGenerator<RecordEvent> {
  skipByteOrderMark(reader, cursor, await reader.read());
  for (;;) {
    const next = await nextLine(reader, cursor, HELD_LINE_BYTES);
    if (next === undefined) return;
    if (next !== "long") {
      if (isBlank(next.line)) continue;
      if (parsesAlone(next.line)) {
        yield { kind: "line", line: next.line };
        yield* readLines(file, reader, cursor, limits);
        return;
      }
      // Not a record by itself: a document starts on this line. Read it again, as a stream.
      reader.unread(next.raw);
      cursor.offset = next.line.offset;
      cursor.line = next.line.number;
      cursor.lineStart = next.line.offset;
    }
    const stop = yield* streamDocument(file, reader, cursor, limits);
    if (stop?.final) {
      yield rejected(file, stop.line, stop.offset, stop.reason);
      return;
    }
    if (stop) {
      // Nothing after a syntax error can be located in the document: skip to a line that is a record by itself.
      const skipStart = cursor.offset;
      if (!(await skipLine(reader, cursor, limits.maxDocumentBytes))) {
        yield rejected(file, stop.line, stop.offset, `${stop.reason}${NOT_READ_FURTHER}`);
        return;
      }
      const from = cursor.line;
      const resumed = yield* resumeAtRecord(reader, cursor, limits, skipStart);
      const skipped = resumed.skipped;
      let note =
        skipped > 0
          ? `; ${skipped === 1 ? `line ${from} after it was` : `lines ${from}–${from + skipped - 1} after it were`} skipped (no JSON record on a line of its own)`
          : "";
      if (resumed.final) note += NOT_READ_FURTHER;
      yield rejected(file, stop.line, stop.offset, `${stop.reason}${note}`);
      if (!resumed.line) return;
      yield { kind: "line", line: resumed.line };
      yield* readLines(file, reader, cursor, limits);
      return;
    }
    const { found, ended } = await restOfLine(reader, cursor, limits.maxDocumentBytes);
    if (found)
      yield rejected(
        file,
        found.line,
        found.offset,
        `invalid JSON at line ${found.line} column ${found.column}: unexpected text after the JSON document; expected a new line (one document, or one JSON record a line)${ended ? "" : NOT_READ_FURTHER}`,
      );
    if (!ended) return;
  }
}

function skipByteOrderMark(reader: ByteReader, cursor: Cursor, chunk: Buffer | undefined): void {
  if (!chunk) return;
  if (cursor.offset === 0 && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
    reader.unread(chunk.subarray(3));
    cursor.offset = cursor.lineStart = 3;
  } else reader.unread(chunk);
}

/** The lines of a JSON Lines input from the cursor on, raw; a line longer than `HELD_LINE_BYTES` is read as a stream. */
async function* readLines(
  file: string,
  reader: ByteReader,
  cursor: Cursor,
  limits: Limits,
): AsyncGenerator<RecordEvent> {
  const max = HELD_LINE_BYTES;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let lineOffset = cursor.offset;
  let chunkStart = cursor.offset;
  for (;;) {
    const chunk = await reader.read();
    if (!chunk) break;
    let start = 0;
    let longLine = false;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (partBytes + (nl === -1 ? chunk.length : nl) - start > max) {
        longLine = true;
        break;
      }
      if (nl === -1) break;
      let bytes = parts.length === 0 ? chunk.subarray(start, nl) : Buffer.concat([...parts, chunk.subarray(start, nl)]);
      if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
      yield { kind: "line", line: { bytes, number: cursor.line, offset: lineOffset } };
      parts = [];
      partBytes = 0;
      cursor.line++;
      start = nl + 1;
      lineOffset = cursor.lineStart = chunkStart + start;
    }
    if (longLine) {
      // Put the line back, whole, and read it as a stream; then go on with the lines after it.
      reader.unread(chunk.subarray(start));
      for (let k = parts.length - 1; k >= 0; k--) reader.unread(parts[k]!);
      parts = [];
      partBytes = 0;
      cursor.offset = lineOffset;
      cursor.lineStart = lineOffset;
      const stop = yield* streamDocument(file, reader, cursor, limits);
      if (stop) {
        const ended = stop.final || (await skipLine(reader, cursor, limits.maxDocumentBytes));
        yield rejected(
          file,
          stop.line,
          stop.offset,
          stop.final || ended ? stop.reason : `${stop.reason}${NOT_READ_FURTHER}`,
        );
        if (!ended || stop.final) return;
      } else {
        const { found, ended } = await restOfLine(reader, cursor, limits.maxDocumentBytes);
        if (found)
          yield rejected(
            file,
            found.line,
            found.offset,
            `invalid JSON at line ${found.line} column ${found.column}: unexpected text after the JSON record; expected one JSON record a line${ended ? "" : NOT_READ_FURTHER}`,
          );
        if (!ended) return;
      }
      lineOffset = chunkStart = cursor.offset;
      continue;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      // A copy: the rest of a line must not keep its whole (1 MiB) chunk alive.
      parts.push(Buffer.from(rest));
      partBytes += rest.length;
    }
    chunkStart += chunk.length;
    cursor.offset = chunkStart;
  }
  if (parts.length > 0) {
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    yield { kind: "line", line: { bytes, number: cursor.line, offset: lineOffset } };
  }
}

/**
 * Reads one JSON document from the cursor as a stream, yielding its spans and rejected spans as they come. Returns
 * where it stopped early (a syntax error or a limit), or undefined when it was complete; the bytes after it are
 * put back.
 */
async function* streamDocument(
  file: string,
  reader: ByteReader,
  cursor: Cursor,
  limits: Limits,
): AsyncGenerator<InputEvent, JsonStop | undefined> {
  const batch = new StreamBatch(file);
  const decoder = new JsonDocumentDecoder(
    limits,
    {
      span: (span, line, offset, end) => batch.add(span, line, offset, end),
      reject: (line, offset, reason) => batch.reject(line, offset, reason),
    },
    cursor,
  );
  for (;;) {
    const chunk = await readPiece(reader);
    if (!chunk) {
      decoder.end();
      break;
    }
    const end = decoder.push(chunk);
    yield* batch.events();
    if (end >= 0) {
      if (!decoder.stop?.final) reader.unread(chunk.subarray(end));
      break;
    }
  }
  yield* batch.events();
  Object.assign(cursor, decoder.position);
  return decoder.stop;
}

/**
 * The next line, up to `max` bytes (without its '\n'; a trailing '\r' dropped), and its raw bytes; "long" when it
 * is longer (its bytes are put back, for reading it as a stream); undefined at the end of the input.
 */
async function nextLine(
  reader: ByteReader,
  cursor: Cursor,
  max: number,
): Promise<{ line: Line; raw: Buffer } | "long" | undefined> {
  const parts: Buffer[] = [];
  let bytes = 0;
  for (;;) {
    const chunk = await reader.read();
    if (!chunk) {
      if (parts.length === 0) return undefined;
      const raw = Buffer.concat(parts);
      const line = lineOf(raw, cursor);
      cursor.offset += raw.length;
      return { line, raw };
    }
    const nl = chunk.indexOf(0x0a);
    const taken = nl === -1 ? chunk.length : nl;
    if (bytes + taken > max) {
      reader.unread(chunk);
      for (let k = parts.length - 1; k >= 0; k--) reader.unread(parts[k]!);
      return "long";
    }
    if (nl === -1) {
      parts.push(chunk);
      bytes += chunk.length;
      continue;
    }
    reader.unread(chunk.subarray(nl + 1));
    parts.push(chunk.subarray(0, nl + 1));
    const raw = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    const line = lineOf(raw.subarray(0, raw.length - 1), cursor);
    cursor.offset += raw.length;
    cursor.line++;
    cursor.lineStart = cursor.offset;
    return { line, raw };
  }
}

function lineOf(bytes: Buffer, cursor: Cursor): Line {
  const trimmed = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes;
  return { bytes: trimmed, number: cursor.line, offset: cursor.offset };
}

/**
 * Consumes the rest of the current line, its '\n' included, without keeping it. False when the line goes on for
 * more than `budget` bytes (an endless input): reading stops there.
 */
async function skipLine(reader: ByteReader, cursor: Cursor, budget: number): Promise<boolean> {
  return (await restOfLine(reader, cursor, budget)).ended;
}

const NOT_READ_FURTHER = "; the input was not read further (--max-document-bytes)";

/**
 * Consumes the rest of the current line; returns where something other than whitespace is on it, if anything is,
 * and whether the line ended within `budget` bytes (reading stops there otherwise).
 */
async function restOfLine(
  reader: ByteReader,
  cursor: Cursor,
  budget: number,
): Promise<{ found?: { line: number; column: number; offset: number }; ended: boolean }> {
  let found: { line: number; column: number; offset: number } | undefined;
  const start = cursor.offset;
  for (;;) {
    if (cursor.offset - start > budget) return { ...(found ? { found } : {}), ended: false };
    const chunk = await reader.read();
    if (!chunk) return { ...(found ? { found } : {}), ended: true };
    const nl = chunk.indexOf(0x0a);
    const end = nl === -1 ? chunk.length : nl;
    if (!found) {
      for (let i = 0; i < end; i++) {
        if (!isBlankByte(chunk[i]!)) {
          found = { line: cursor.line, column: cursor.offset + i - cursor.lineStart + 1, offset: cursor.offset + i };
          break;
        }
      }
    }
    if (nl === -1) {
      cursor.offset += chunk.length;
      continue;
    }
    reader.unread(chunk.subarray(nl + 1));
    cursor.offset += nl + 1;
    cursor.line++;
    cursor.lineStart = cursor.offset;
    return { ...(found ? { found } : {}), ended: true };
  }
}

/**
 * Skips lines until one that is a JSON record by itself (returned: JSON Lines go on from it) or the end of the
 * input; `firstLine` is the number of the line where skipping stopped.
 */
// biome-ignore lint/correctness/useYield: yields nothing; a generator so the line readers delegate to it with `yield*`.
async function* resumeAtRecord(
  reader: ByteReader,
  cursor: Cursor,
  limits: Limits,
  from: number,
): AsyncGenerator<never, { line?: Line; skipped: number; final?: boolean }> {
  let skipped = 0;
  for (;;) {
    // Skipping is bounded as a document is: an endless input (stdin) that never has a record again is not read forever.
    if (cursor.offset - from > limits.maxDocumentBytes) return { skipped, final: true };
    const next = await nextLine(reader, cursor, HELD_LINE_BYTES);
    if (next === undefined) return { skipped };
    if (next === "long") {
      if (!(await skipLine(reader, cursor, limits.maxDocumentBytes))) return { skipped: skipped + 1, final: true };
    } else if (!isBlank(next.line) && parsesAlone(next.line)) return { line: next.line, skipped };
    skipped++;
  }
}

function isBlank(line: Line): boolean {
  for (const b of line.bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * True when the line alone is a JSON object or array (the test for JSON Lines). A line too long to parse whole is
 * taken for a record when it starts and ends like one: it is read span by span, and rejected if it is not one.
 */
function parsesAlone(line: Line): boolean {
  // Cheap first: it must start with '{' or '[' and end with '}' or ']' (whitespace aside).
  const bytes = line.bytes;
  let a = 0;
  let z = bytes.length - 1;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) a = 3;
  while (a <= z && isBlankByte(bytes[a]!)) a++;
  while (z >= a && isBlankByte(bytes[z]!)) z--;
  if (a > z || !((bytes[a] === 0x7b && bytes[z] === 0x7d) || (bytes[a] === 0x5b && bytes[z] === 0x5d))) return false;
  if (bytes.length > WHOLE_LINE_BYTES) return true;
  try {
    const value = JSON.parse(stripBom(utf8.decode(bytes))) as unknown;
    return typeof value === "object" && value !== null;
  } catch {
    return false;
  }
}

function shapeReason(error: unknown): string {
  if (error instanceof ShapeError) return `wrong shape: ${error.message}`;
  if (error instanceof RangeError) return `too deeply nested: ${error.message}`;
  return (error as Error).message;
}

/**
 * The events of one JSON Lines line: its spans, or why it was rejected. A line up to `WHOLE_LINE_BYTES` is parsed
 * whole (`lineEvent`); a longer one is cut into spans first, so the values cap applies to each and memory holds a
 * piece of its spans at a time.
 */
export function* lineEvents(
  file: string,
  line: Line,
  limits: Limits = DEFAULT_LIMITS,
  options: { readonly spanRanges?: boolean } = {},
): Generator<InputEvent> {
  // Parsed whole only when no cap can be reached inside it (a value takes at least a byte), and no span's place in
  // the line is asked for (`spanRanges`: the spans come with their offsets and ends, for rewriting the line).
  if (
    !options.spanRanges &&
    line.bytes.length <= Math.min(WHOLE_LINE_BYTES, limits.maxRecordBytes, limits.maxSpanValues)
  ) {
    const event = lineEvent(file, line, limits.maxDepth);
    if (event.kind === "rejected" || event.spans.length <= limits.maxDocumentSpans) {
      yield event;
      return;
    }
    yield { ...event, spans: event.spans.slice(0, limits.maxDocumentSpans) };
    yield rejected(file, line.number, line.offset, tooManySpans(line.number, limits.maxDocumentSpans));
    return;
  }
  const batch = new StreamBatch(file);
  const decoder = new JsonDocumentDecoder(
    limits,
    {
      span: (span, l, offset, end) => batch.add(span, l, offset, end),
      reject: (l, offset, reason) => batch.reject(l, offset, reason),
    },
    { offset: line.offset, line: line.number, lineStart: line.offset },
  );
  const bytes = Buffer.from(line.bytes.buffer, line.bytes.byteOffset, line.bytes.byteLength);
  let at = 0;
  let end = -1;
  while (at < bytes.length && end < 0) {
    const piece = bytes.subarray(at, at + PIECE_BYTES);
    end = decoder.push(piece);
    if (end >= 0) end += at;
    at += piece.length;
    yield* batch.events();
  }
  if (end < 0) decoder.end();
  yield* batch.events();
  const stop = decoder.stop;
  if (stop) {
    yield rejected(file, line.number, stop.offset, stop.reason);
    return;
  }
  for (let i = end; i >= 0 && i < bytes.length; i++) {
    if (!isBlankByte(bytes[i]!)) {
      yield rejected(
        file,
        line.number,
        line.offset + i,
        `invalid JSON at line ${line.number} column ${i + 1}: unexpected text after the JSON record; expected one JSON record a line`,
      );
      return;
    }
  }
}

/** The characters a JSON value can start with. */
const JSON_VALUE_START = /^[{["\-0-9tfn]$/;

function firstSolid(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return i;
  }
  return -1;
}

/** Parses one JSON Lines line whole into its spans, or a rejection naming the line and what was expected. */
export function lineEvent(file: string, line: Line, maxDepth = DEFAULT_LIMITS.maxDepth): InputEvent {
  const source: Source = { file, line: line.number, offset: line.offset };
  if (isBlank(line)) return { kind: "spans", spans: [], source };
  let text: string;
  try {
    text = stripBom(decodeUtf8(line.bytes, "line"));
  } catch (error) {
    const reason = (error as Error).message;
    return { kind: "rejected", source, reason, category: "invalid UTF-8" };
  }
  // A line that cannot start a JSON value at all is said so without JSON.parse (its exception costs more than the rest).
  const first = firstSolid(text);
  if (first >= 0 && !JSON_VALUE_START.test(text[first]!)) {
    return {
      kind: "rejected",
      source,
      reason: `invalid JSON at line ${line.number} column ${first + 1}: unexpected ${JSON.stringify(text[first])}; expected one OTLP/JSON ExportTraceServiceRequest (or span) a line`,
      category: "invalid JSON",
    };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return {
      kind: "rejected",
      source,
      reason: `invalid JSON: ${parseError(error, text, line.number)}; expected one OTLP/JSON ExportTraceServiceRequest (or span) a line`,
      category: "invalid JSON",
    };
  }
  let spans: InputSpan[];
  try {
    spans = spansOfJson(doc, maxDepth);
  } catch (error) {
    takeImpreciseInts();
    const reason = shapeReason(error);
    return { kind: "rejected", source, reason, category: rejectionKind(reason) };
  }
  const imprecise = takeImpreciseInts();
  return { kind: "spans", spans, source, ...(imprecise ? { notes: [impreciseNote(imprecise)] } : {}) };
}

/** Parses one in-memory record (live-check, tests): JSON text or protobuf bytes. */
export function parseBody(body: Uint8Array, contentType: "json" | "protobuf"): InputSpan[] {
  if (contentType === "protobuf") return spansOfProtobuf(body);
  return spansOfJson(JSON.parse(stripBom(utf8.decode(body))) as unknown);
}

/**
 * How many bytes a file holds once decompressed: its size, or for gzip the size its trailer records (ISIZE, modulo
 * 4 GiB, so never less than the compressed size is assumed). Never throws: an unreadable file counts its size.
 */
export async function contentBytes(path: string, size: number): Promise<number> {
  if (size < 18) return size; // smaller than any gzip member
  try {
    const file = await open(path, "r");
    try {
      const head = Buffer.alloc(2);
      await file.read(head, 0, 2, 0);
      if (head[0] !== 0x1f || head[1] !== 0x8b) return size;
      const tail = Buffer.alloc(4);
      await file.read(tail, 0, 4, size - 4);
      return Math.max(size, tail.readUInt32LE(0));
    } finally {
      await file.close();
    }
  } catch {
    return size;
  }
}
