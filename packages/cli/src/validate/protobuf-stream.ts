/**
 * A streaming decoder for binary OTLP `ExportTraceServiceRequest` messages: bytes go in as they arrive, spans
 * come out one by one, and memory holds one span at a time (never the whole message), so a small gzip of a huge
 * message (a 219 KB gzip of 30 million spans) is validated with flat memory instead of being materialised.
 *
 * It walks the wire format of the three enclosing messages (ExportTraceServiceRequest → ResourceSpans →
 * ScopeSpans; the deprecated `instrumentation_library_spans`, field 1000, too) without buffering them, skips
 * every other field by its wire type (as protobuf readers do with unknown fields), and decodes each `Span`
 * whole: its ids, name and attributes (every `AnyValue` form). protobufjs and the other JavaScript protobuf
 * libraries decode a message whole, with no limit on nesting, hence this decoder.
 *
 * A malformed span (a bad string, values nested too deeply, a field cut short inside it) is rejected on its own
 * and decoding goes on with the next one, since its length is known. A broken frame (a length running past its
 * enclosing message, a wire type that does not exist, the input ending early) stops the decoder: what follows
 * cannot be located.
 */
import type { Limits } from "./limits.js";
import {
  DEFAULT_MAX_DEPTH,
  ProtobufError,
  SPAN_VALUES,
  noteImpreciseInt,
  setAttribute,
  timing,
  withDetails,
  type InputSpan,
  type SpanEvent,
  type SpanStatus,
  type SplitTime,
} from "./otlp.js";

/** Where decoded spans and rejected spans go. */
export interface ProtobufSink {
  /** `offset`: where the span's field (its tag) starts; `end`: the offset after its last byte. */
  span(span: InputSpan, offset: number, end: number): void;
  reject(offset: number, reason: string): void;
  /**
   * For rewriting the input (`semtrace translate`): a ResourceSpans (`level` 1) or ScopeSpans (2) message starts,
   * its field's tag at `tagAt`, its content from `start` to `end`.
   */
  frame?(level: 1 | 2, field: number, tagAt: number, start: number, end: number): void;
}

/** `maxRecordBytes`: the largest `Span` message decoded (larger ones are skipped); `maxSpanValues`: a span's values (`SPAN_VALUES`). */
export type ProtobufLimits = Pick<Limits, "maxRecordBytes" | "maxSpanValues" | "maxDocumentSpans" | "maxDepth">;

const LEVEL_REQUEST = 0;
const LEVEL_RESOURCE_SPANS = 1;
const LEVEL_SCOPE_SPANS = 2;
const LEVEL_GROUP = 3;
/** Not a frame: a Span field, decoded whole. */
const LEVEL_SPAN = 4;
const LEVEL_NAMES = ["ExportTraceServiceRequest", "ResourceSpans", "ScopeSpans", "group"];
/** The protobuf wire types by number, for messages. */
export const WIRE_NAMES: readonly string[] = [
  "varint",
  "64-bit",
  "length-delimited",
  "start-group",
  "end-group",
  "32-bit",
];

interface Frame {
  readonly level: number;
  /** Absolute offset where the message ends (Infinity for the request itself). */
  readonly end: number;
  /** Absolute offset where it starts, and its field number (groups end with it). */
  readonly start: number;
  readonly field: number;
  /** Its index among its parent's children of its kind (for paths: resourceSpans[i].scopeSpans[j]). */
  readonly position: number;
  /** Children seen so far. */
  index: number;
}

/** Unknown groups nested deeper than this stop the decoder. */
const MAX_GROUP_DEPTH = 64;
const EMPTY = Buffer.alloc(0);

/** The value of the last varint read by `readVarint` (exact up to 2^53; lengths and tags are far below). */
let varintValue = 0;

/**
 * Reads a varint at `pos`; returns the position after it (value in `varintValue`), or -1 when `end` comes first.
 * Throws on a varint longer than 10 bytes.
 */
function readVarint(buf: Uint8Array, pos: number, end: number, absolute: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) return -1;
    const b = buf[pos + i]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      varintValue = value;
      return pos + i + 1;
    }
    scale *= 128;
  }
  throw new ProtobufError(`invalid varint (more than 10 bytes) at byte ${absolute}`, absolute);
}

/** Decodes an `ExportTraceServiceRequest` pushed in chunks; see the module comment. */
export class ProtobufRequestDecoder {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Absolute offset of `buf[0]`. */
  private base = 0;
  private queued: Buffer[] = [];
  private queuedBytes = 0;
  /** Bytes needed from `pos` before decoding can go on. */
  private need = 1;
  /** Bytes still to skip (a field longer than what has arrived). */
  private skip = 0;
  private readonly stack: Frame[] = [
    { level: LEVEL_REQUEST, end: Number.POSITIVE_INFINITY, start: 0, field: 0, position: 0, index: 0 },
  ];
  /** The error that stopped decoding. */
  failure: ProtobufError | undefined;
  /** Whether any `resourceSpans` field (1) was seen: a message without one is not a trace export. */
  sawResourceSpans = false;
  /** Spans decoded or rejected so far. */
  spanCount = 0;

  constructor(
    private readonly limits: ProtobufLimits,
    private readonly sink: ProtobufSink,
  ) {}

  /** Bytes taken so far (decoded or skipped). */
  get offset(): number {
    return this.base + this.pos;
  }

  push(chunk: Buffer): void {
    if (this.failure || chunk.length === 0) return;
    let rest = chunk;
    if (this.skip > 0) {
      // `buf` is used up while skipping: skipped bytes are never buffered.
      const n = Math.min(this.skip, rest.length);
      this.skip -= n;
      this.base += n;
      rest = rest.subarray(n);
      if (this.skip === 0) this.closeEnded();
      if (rest.length === 0) return;
    }
    this.queued.push(rest);
    this.queuedBytes += rest.length;
    if (this.buf.length - this.pos + this.queuedBytes < this.need) return;
    const head = this.buf.subarray(this.pos);
    this.base += this.pos;
    this.buf = head.length === 0 && this.queued.length === 1 ? this.queued[0]! : Buffer.concat([head, ...this.queued]);
    this.pos = 0;
    this.queued = [];
    this.queuedBytes = 0;
    try {
      this.run();
    } catch (error) {
      if (!(error instanceof ProtobufError)) throw error;
      this.failure = error;
    }
  }

  /** Closes the messages that end where decoding is (a skipped field can end several at once). */
  private closeEnded(): void {
    const at = this.base + this.pos;
    for (
      let top = this.stack[this.stack.length - 1]!;
      top.end === at && top.level !== LEVEL_GROUP;
      top = this.stack[this.stack.length - 1]!
    )
      this.stack.pop();
  }

  /** The input has ended: fails unless the message is complete. */
  end(): void {
    if (this.failure) return;
    if (this.skip === 0 && this.queuedBytes === 0) this.closeEnded();
    const at = this.base + this.buf.length + this.queuedBytes;
    if (this.skip > 0 || this.buf.length - this.pos + this.queuedBytes > 0 || this.stack.length > 1) {
      const open = this.stack.length > 1 ? this.stack[this.stack.length - 1]! : undefined;
      const inside = open
        ? `, inside the ${LEVEL_NAMES[open.level]} that starts at byte ${open.start}${Number.isFinite(open.end) ? ` and should end at byte ${open.end}` : ""}`
        : "";
      this.failure = new ProtobufError(`the message ends early${inside}: the input is truncated`, at);
    }
  }

  private fail(message: string, offset: number): never {
    throw new ProtobufError(message, offset);
  }

  private run(): void {
    const buf = this.buf;
    const size = buf.length;
    const stack = this.stack;
    for (;;) {
      const frame = stack[stack.length - 1]!;
      const at = this.base + this.pos;
      if (at === frame.end) {
        if (frame.level === LEVEL_GROUP)
          this.fail(
            `group ${frame.field} (from byte ${frame.start}) is not closed before its enclosing message ends`,
            at,
          );
        stack.pop();
        continue;
      }
      if (this.pos >= size) {
        this.need = 1;
        return;
      }
      // No field may run past the end of the message it is in: reads stop there, and a field cut by it is an error.
      const frameEnd = frame.end - this.base;
      const limit = Math.min(size, frameEnd);
      const afterTag = readVarint(buf, this.pos, limit, at);
      if (afterTag < 0) return this.incomplete(frame, at, size);
      const tag = varintValue;
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field === 0 || field > 536870911)
        this.fail(`invalid field number ${field}; expected a protobuf ExportTraceServiceRequest`, at);
      // The fields read here are messages: one of another wire type is not this message (what a protobuf library
      // would refuse too, and what live-check refuses), not an unknown field to skip.
      if (wire !== 2 && this.childLevel(frame.level, field) >= 0)
        this.fail(
          `field ${field} of ${LEVEL_NAMES[frame.level]} has wire type ${wire} (${WIRE_NAMES[wire] ?? "invalid"}); expected 2 (length-delimited)`,
          at,
        );
      if (wire === 2) {
        const afterLength = readVarint(buf, afterTag, limit, this.base + afterTag);
        if (afterLength < 0) return this.incomplete(frame, at, size);
        const length = varintValue;
        const start = this.base + afterLength;
        if (start + length > frame.end)
          this.fail(
            `field ${field} is ${length} bytes long, past the end of its enclosing ${LEVEL_NAMES[frame.level]} (byte ${frame.end})`,
            at,
          );
        const child = this.childLevel(frame.level, field);
        if (child === LEVEL_RESOURCE_SPANS || child === LEVEL_SCOPE_SPANS) {
          if (child === LEVEL_RESOURCE_SPANS) this.sawResourceSpans = true;
          this.sink.frame?.(child as 1 | 2, field, at, start, start + length);
          stack.push({ level: child, end: start + length, start: at, field, position: frame.index++, index: 0 });
          this.pos = afterLength;
          continue;
        }
        if (child === LEVEL_SPAN) {
          // A Span: decode it whole (once all of it is here), or reject it unread when it is over the limit.
          const tooLarge = length > this.limits.maxRecordBytes;
          if (!tooLarge && afterLength + length > size) {
            this.need = afterLength + length - this.pos;
            return;
          }
          if (this.spanCount++ === this.limits.maxDocumentSpans) {
            this.fail(
              `the message holds more than ${this.limits.maxDocumentSpans} spans (--max-document-spans): the first ${this.limits.maxDocumentSpans} were read, the rest was not`,
              at,
            );
          }
          const index = frame.index++;
          if (tooLarge) {
            this.sink.reject(
              at,
              `${this.path(index)}: a span of ${length} bytes is larger than the limit of ${this.limits.maxRecordBytes} bytes (--max-record-bytes); it was skipped`,
            );
          } else {
            this.decodeSpan(buf, afterLength, afterLength + length, index, at);
            this.pos = afterLength + length;
            continue;
          }
        }
        this.skipBytes(afterLength, length);
        if (this.skip > 0) return;
      } else if (wire === 0) {
        const after = readVarint(buf, afterTag, limit, this.base + afterTag);
        if (after < 0) return this.incomplete(frame, at, size);
        this.pos = after;
      } else if (wire === 1 || wire === 5) {
        const after = afterTag + (wire === 1 ? 8 : 4);
        if (after > frameEnd)
          this.fail(
            `field ${field} runs past the end of its enclosing ${LEVEL_NAMES[frame.level]} (byte ${frame.end})`,
            at,
          );
        if (after > size) {
          this.need = after - this.pos;
          return;
        }
        this.pos = after;
      } else if (wire === 3) {
        if (stack.length > MAX_GROUP_DEPTH) this.fail(`groups nested more than ${MAX_GROUP_DEPTH} deep`, at);
        stack.push({ level: LEVEL_GROUP, end: frame.end, start: at, field, position: 0, index: 0 });
        this.pos = afterTag;
      } else if (wire === 4) {
        if (frame.level !== LEVEL_GROUP || frame.field !== field) this.fail(`unexpected end of group ${field}`, at);
        stack.pop();
        this.pos = afterTag;
      } else this.fail(`invalid wire type ${wire} (field ${field}); expected a protobuf ExportTraceServiceRequest`, at);
    }
  }

  /** A tag or varint stops at the end of what has arrived (wait for more) or at the end of its message (an error). */
  private incomplete(frame: Frame, at: number, size: number): void {
    if (frame.end - this.base <= size)
      this.fail(`a field runs past the end of its enclosing ${LEVEL_NAMES[frame.level]} (byte ${frame.end})`, at);
    this.need = size - this.pos + 1;
  }

  /** What a length-delimited field is: a message to descend into, a span (LEVEL_SPAN), or -1 (skip it). */
  private childLevel(level: number, field: number): number {
    if (level === LEVEL_REQUEST) return field === 1 ? LEVEL_RESOURCE_SPANS : -1;
    if (level === LEVEL_RESOURCE_SPANS) return field === 2 || field === 1000 ? LEVEL_SCOPE_SPANS : -1;
    if (level === LEVEL_SCOPE_SPANS) return field === 2 ? LEVEL_SPAN : -1;
    return -1;
  }

  private skipBytes(from: number, length: number): void {
    const available = this.buf.length - from;
    if (length <= available) {
      this.pos = from + length;
      return;
    }
    this.skip = length - available;
    this.base += this.buf.length;
    this.buf = EMPTY;
    this.pos = 0;
    this.need = 1;
  }

  /** `resourceSpans[i].scopeSpans[j].spans[k]` for the span being decoded. */
  private path(spanIndex: number): string {
    let path = "";
    for (const frame of this.stack) {
      if (frame.level === LEVEL_RESOURCE_SPANS) path += `resourceSpans[${frame.position}].`;
      else if (frame.level === LEVEL_SCOPE_SPANS)
        path += `${frame.field === 1000 ? "instrumentationLibrarySpans" : "scopeSpans"}[${frame.position}].`;
    }
    return `${path}spans[${spanIndex}]`;
  }

  private decodeSpan(buf: Buffer, start: number, end: number, index: number, tagAt: number): void {
    try {
      this.sink.span(decodeSpan(buf, start, end, this.base, this.limits), tagAt, this.base + end);
    } catch (error) {
      if (!(error instanceof SpanError)) throw error;
      this.sink.reject(error.offset, `${this.path(index)}${error.path}: ${error.message}`);
    }
  }
}

/** A problem inside one span: its path relative to the span, and the absolute byte offset. */
export class SpanError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/** A short ASCII string without a call into the runtime (most keys and names); undefined when not ASCII. */
function ascii(buf: Uint8Array, start: number, end: number): string | undefined {
  let text = "";
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c >= 0x80) return undefined;
    text += String.fromCharCode(c);
  }
  return text;
}

/** Reads the fields of one message held whole in `buf[start, end)`. */
class SpanReader {
  pos: number;
  /** Values left before the span is over `maxSpanValues`. */
  private budget: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    /** Absolute offset of `buf[0]`. */
    readonly base: number,
    private readonly maxValues: number,
    private readonly counter: SpanValueCounter | undefined,
  ) {
    this.pos = start;
    this.budget = maxValues;
  }

  /** One more value of the span (see `SPAN_VALUES`: an attribute, an event, an array element, a map entry). */
  count(path: string): void {
    this.counter?.(path);
    if (--this.budget < 0)
      throw this.error(
        `a span of more than ${this.maxValues} ${SPAN_VALUES} is over the limit (--max-span-values); it was skipped`,
        path,
      );
  }

  error(message: string, path: string, at = this.pos): SpanError {
    return new SpanError(message, path, this.base + at);
  }

  varint(end: number, path: string): number {
    const after = readVarint(this.buf, this.pos, end, this.base + this.pos);
    if (after < 0) throw this.error("the field is cut short", path);
    this.pos = after;
    return varintValue;
  }

  /** A length-delimited field: returns its end. */
  length(end: number, path: string): number {
    const length = this.varint(end, path);
    if (this.pos + length > end) throw this.error(`a field of ${length} bytes runs past the end of its message`, path);
    return this.pos + length;
  }

  string(end: number, path: string): string {
    const stop = this.length(end, path);
    const short = stop - this.pos <= 24 ? ascii(this.buf, this.pos, stop) : undefined;
    if (short !== undefined) {
      this.pos = stop;
      return short;
    }
    const text = this.buf.toString("utf8", this.pos, stop);
    // toString replaces invalid UTF-8 with U+FFFD: when one shows up, check whether it was really there.
    if (text.includes("\ufffd")) {
      try {
        utf8Strict.decode(this.buf.subarray(this.pos, stop));
      } catch {
        throw this.error("a string holds invalid UTF-8", path);
      }
    }
    this.pos = stop;
    return text;
  }

  hex(end: number, path: string): string {
    const stop = this.length(end, path);
    const text = this.buf.toString("hex", this.pos, stop);
    this.pos = stop;
    return text;
  }

  skip(wire: number, end: number, path: string, depth = 0): void {
    if (wire === 0) this.varint(end, path);
    else if (wire === 1 || wire === 5) {
      const width = wire === 1 ? 8 : 4;
      if (this.pos + width > end) throw this.error("the field is cut short", path);
      this.pos += width;
    } else if (wire === 2) this.pos = this.length(end, path);
    else if (wire === 3) {
      if (depth >= MAX_GROUP_DEPTH) throw this.error(`groups nested more than ${MAX_GROUP_DEPTH} deep`, path);
      for (;;) {
        if (this.pos >= end) throw this.error("a group is not closed", path);
        const tag = this.varint(end, path);
        if (tag % 8 === 4) return;
        this.skip(tag % 8, end, path, depth + 1);
      }
    } else throw this.error(`invalid wire type ${wire}`, path);
  }

  /** A fixed64 as its two exact 32-bit halves. */
  fixed64(end: number, path: string): SplitTime {
    if (this.pos + 8 > end) throw this.error("the field is cut short", path);
    const low = this.buf.readUInt32LE(this.pos);
    const high = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return { high, low, scale: 4294967296 };
  }

  /** A tag; checks the wire type of a known field. */
  expect(wire: number, expected: number, path: string, what: string): void {
    if (wire !== expected) throw this.error(`expected ${what} (wire type ${expected}), found wire type ${wire}`, path);
  }
}

/**
 * Called with the path of each value of a span as it is decoded (relative to the span, as `SpanError` paths are):
 * live-check counts them against its request caps here, and throws to stop the span.
 */
export type SpanValueCounter = (path: string) => void;

/**
 * Decodes one `Span` message, `buf[start, end)` (`buf[0]` at absolute offset `base`): its ids, name, attributes,
 * parent, kind, times, status and events. Its values (`SPAN_VALUES`) are counted as they are decoded, against
 * `limits.maxSpanValues` and by `counter` if given, so a span over a cap is never built whole.
 */
export function decodeSpan(
  buf: Buffer,
  start: number,
  end: number,
  base: number,
  limits: Pick<Limits, "maxSpanValues" | "maxDepth">,
  counter?: SpanValueCounter,
): InputSpan {
  const maxDepth = limits.maxDepth;
  const r = new SpanReader(buf, start, base, limits.maxSpanValues, counter);
  let traceId = "";
  let spanId = "";
  let parentSpanId = "";
  let name = "";
  let kind: number | undefined;
  let startTime: SplitTime | undefined;
  let endTime: SplitTime | undefined;
  let spanStatus: SpanStatus | undefined;
  let events: SpanEvent[] | undefined;
  const attributes: Record<string, unknown> = {};
  let attributeIndex = 0;
  while (r.pos < end) {
    const tag = r.varint(end, "");
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 1) {
      r.expect(wire, 2, ".traceId", "bytes");
      traceId = r.hex(end, ".traceId");
    } else if (field === 2) {
      r.expect(wire, 2, ".spanId", "bytes");
      spanId = r.hex(end, ".spanId");
    } else if (field === 4) {
      r.expect(wire, 2, ".parentSpanId", "bytes");
      parentSpanId = r.hex(end, ".parentSpanId");
    } else if (field === 5) {
      r.expect(wire, 2, ".name", "a string");
      name = r.string(end, ".name");
    } else if (field === 6) {
      r.expect(wire, 0, ".kind", "an enum");
      kind = int64(r, end, ".kind") || undefined;
    } else if (field === 7) {
      r.expect(wire, 1, ".startTimeUnixNano", "a fixed64");
      startTime = r.fixed64(end, ".startTimeUnixNano");
    } else if (field === 8) {
      r.expect(wire, 1, ".endTimeUnixNano", "a fixed64");
      endTime = r.fixed64(end, ".endTimeUnixNano");
    } else if (field === 9) {
      const path = `.attributes[${attributeIndex++}]`;
      r.count(path);
      r.expect(wire, 2, path, "a KeyValue");
      const stop = r.length(end, path);
      keyValue(r, stop, attributes, path, 0, maxDepth);
    } else if (field === 11) {
      const path = `.events[${events?.length ?? 0}]`;
      r.count(path);
      r.expect(wire, 2, path, "an Event");
      (events ??= []).push(spanEvent(r, r.length(end, path), path, maxDepth));
    } else if (field === 15) {
      r.expect(wire, 2, ".status", "a Status");
      spanStatus = statusOf(r, r.length(end, ".status"), ".status");
    } else if (field === 0) throw r.error("invalid field number 0", "");
    else r.skip(wire, end, "");
  }
  const { startNs, durationNs } = timing(startTime, endTime);
  return withDetails(traceId, spanId, name, attributes, {
    parentSpanId: parentSpanId === "" ? undefined : parentSpanId,
    kind,
    startNs,
    durationNs,
    status: spanStatus,
    events,
  });
}

/** One `Span.Event` in `[r.pos, end)`: its time, name and attributes. */
function spanEvent(r: SpanReader, end: number, path: string, maxDepth: number): SpanEvent {
  let time: SplitTime | undefined;
  let name = "";
  const attributes: Record<string, unknown> = {};
  let index = 0;
  while (r.pos < end) {
    const tag = r.varint(end, path);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 1) {
      r.expect(wire, 1, `${path}.timeUnixNano`, "a fixed64");
      time = r.fixed64(end, `${path}.timeUnixNano`);
    } else if (field === 2) {
      r.expect(wire, 2, `${path}.name`, "a string");
      name = r.string(end, `${path}.name`);
    } else if (field === 3) {
      const at = `${path}.attributes[${index++}]`;
      r.count(at);
      r.expect(wire, 2, at, "a KeyValue");
      keyValue(r, r.length(end, at), attributes, at, 0, maxDepth);
    } else r.skip(wire, end, path);
  }
  r.pos = end;
  return {
    name,
    timeNs: time && (time.high !== 0 || time.low !== 0) ? time.high * time.scale + time.low : undefined,
    attributes,
  };
}

/** A `Status` in `[r.pos, end)`: its code (field 3) and message (field 2). */
function statusOf(r: SpanReader, end: number, path: string): SpanStatus {
  let code = 0;
  let message = "";
  while (r.pos < end) {
    const tag = r.varint(end, path);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 2) {
      r.expect(wire, 2, `${path}.message`, "a string");
      message = r.string(end, `${path}.message`);
    } else if (field === 3) {
      r.expect(wire, 0, `${path}.code`, "an enum");
      code = int64(r, end, `${path}.code`);
    } else r.skip(wire, end, path);
  }
  r.pos = end;
  return { code, message };
}

/** One `KeyValue` in `[r.pos, end)`, set on `out` unless its value is empty. */
function keyValue(
  r: SpanReader,
  end: number,
  out: Record<string, unknown>,
  path: string,
  depth: number,
  maxDepth: number,
): void {
  let key = "";
  let value: unknown;
  while (r.pos < end) {
    const tag = r.varint(end, path);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 1) {
      r.expect(wire, 2, `${path}.key`, "a string");
      key = r.string(end, `${path}.key`);
    } else if (field === 2) {
      r.expect(wire, 2, `${path}.value`, "an AnyValue");
      const stop = r.length(end, `${path}.value`);
      value = anyValue(r, stop, `${path}.value`, depth, maxDepth);
    } else r.skip(wire, end, path);
  }
  r.pos = end;
  if (value !== undefined) setAttribute(out, key, value);
}

/** One `AnyValue` in `[r.pos, end)`: the last of its oneof fields wins, as in every protobuf reader; empty → undefined. */
function anyValue(r: SpanReader, end: number, path: string, depth: number, maxDepth: number): unknown {
  if (depth > maxDepth)
    throw r.error(`expected values nested at most ${maxDepth} deep (--max-depth), found deeper nesting`, path);
  let value: unknown;
  while (r.pos < end) {
    const tag = r.varint(end, path);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    switch (field) {
      case 1:
        r.expect(wire, 2, `${path}.stringValue`, "a string");
        value = r.string(end, `${path}.stringValue`);
        break;
      case 2:
        r.expect(wire, 0, `${path}.boolValue`, "a bool");
        value = r.varint(end, `${path}.boolValue`) !== 0;
        break;
      case 3:
        r.expect(wire, 0, `${path}.intValue`, "an int64");
        value = int64(r, end, `${path}.intValue`);
        break;
      case 4:
        r.expect(wire, 1, `${path}.doubleValue`, "a double");
        if (r.pos + 8 > end) throw r.error("the field is cut short", `${path}.doubleValue`);
        value = r.buf.readDoubleLE(r.pos);
        r.pos += 8;
        break;
      case 5: {
        r.expect(wire, 2, `${path}.arrayValue`, "an ArrayValue");
        const values: unknown[] = [];
        eachValue(r, r.length(end, `${path}.arrayValue`), `${path}.arrayValue`, "an AnyValue", (itemEnd, itemPath) => {
          const item = anyValue(r, itemEnd, itemPath, depth + 1, maxDepth);
          values.push(item === undefined ? null : item);
        });
        value = values;
        break;
      }
      case 6: {
        r.expect(wire, 2, `${path}.kvlistValue`, "a KeyValueList");
        if (depth + 1 > maxDepth)
          throw r.error(`expected values nested at most ${maxDepth} deep (--max-depth), found deeper nesting`, path);
        const record: Record<string, unknown> = {};
        eachValue(r, r.length(end, `${path}.kvlistValue`), `${path}.kvlistValue`, "a KeyValue", (itemEnd, itemPath) =>
          keyValue(r, itemEnd, record, itemPath, depth + 1, maxDepth),
        );
        value = record;
        break;
      }
      case 7: {
        r.expect(wire, 2, `${path}.bytesValue`, "bytes");
        const stop = r.length(end, `${path}.bytesValue`);
        value = new Uint8Array(r.buf.subarray(r.pos, stop));
        r.pos = stop;
        break;
      }
      default:
        r.skip(wire, end, path);
    }
  }
  r.pos = end;
  return value;
}

/**
 * The `values` (field 1, length-delimited) of an ArrayValue or KeyValueList in `[r.pos, stop)`, each read by `read`
 * (given where it ends and its path) and counted against the span's values; other fields are skipped.
 */
function eachValue(
  r: SpanReader,
  stop: number,
  path: string,
  what: string,
  read: (end: number, path: string) => void,
): void {
  let index = 0;
  while (r.pos < stop) {
    const tag = r.varint(stop, path);
    const itemPath = `${path}.values[${index}]`;
    if (Math.floor(tag / 8) !== 1) {
      r.skip(tag % 8, stop, itemPath);
      continue;
    }
    r.expect(tag % 8, 2, itemPath, what);
    r.count(itemPath);
    index++;
    read(r.length(stop, itemPath), itemPath);
  }
  r.pos = stop;
}

/** A varint int64 (two's complement in 64 bits) as a number; values past 2^53 are noted, not rounded in silence. */
function int64(r: SpanReader, end: number, path: string): number {
  const start = r.pos;
  const value = r.varint(end, path);
  // Up to 7 bytes (49 bits) the value is exact and positive; longer ones (negatives take 10) go through BigInt.
  if (r.pos - start <= 7) return value;
  let big = 0n;
  for (let i = r.pos - 1; i >= start; i--) big = (big << 7n) | BigInt(r.buf[i]! & 0x7f);
  const signed = BigInt.asIntN(64, big);
  const number = Number(signed);
  if (!Number.isSafeInteger(number)) noteImpreciseInt(signed.toString());
  return number;
}

/**
 * Decodes a whole binary `ExportTraceServiceRequest` held in memory (a request body). Throws `ProtobufError` (with
 * its byte offset) for the first problem: a request is accepted or rejected as a whole.
 */
export function spansOfProtobuf(
  bytes: Uint8Array,
  limits: ProtobufLimits = {
    maxRecordBytes: Number.MAX_SAFE_INTEGER,
    maxSpanValues: Number.MAX_SAFE_INTEGER,
    maxDocumentSpans: Number.MAX_SAFE_INTEGER,
    maxDepth: DEFAULT_MAX_DEPTH,
  },
): InputSpan[] {
  const spans: InputSpan[] = [];
  let problem: ProtobufError | undefined;
  const decoder = new ProtobufRequestDecoder(limits, {
    span: (span) => void spans.push(span),
    reject: (offset, reason) => void (problem ??= new ProtobufError(reason, offset)),
  });
  decoder.push(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  decoder.end();
  if (decoder.failure)
    throw new ProtobufError(
      `not a protobuf ExportTraceServiceRequest: ${decoder.failure.message}`,
      decoder.failure.offset,
    );
  if (problem) throw problem;
  if (bytes.length > 0 && !decoder.sawResourceSpans)
    throw new ProtobufError("not a protobuf ExportTraceServiceRequest: no resourceSpans (field 1) found", 0);
  return spans;
}
