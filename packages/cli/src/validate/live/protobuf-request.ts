/**
 * A binary OTLP `ExportTraceServiceRequest` body → its spans, one span at a time. Decoding the whole message at once
 * builds every span before any can be counted: 16 MiB of empty spans (2 bytes each, a 24 KB gzip) are 8 million
 * objects and a stall of many seconds. Here a walker reads the wire format of the request's skeleton
 * (`resourceSpans` → `scopeSpans` → `spans`), checks every tag, length and wire type on the way (as `semtrace
 * validate`'s reader does), counts each span against the request's cap before it is decoded, and decodes it with
 * `decodeSpan`, as `semtrace validate` decodes each span, counting its values (`SPAN_VALUES`) against the caps as
 * they are read: the spans, their errors and what counts against a cap are validate's. The generator yields between
 * spans when its caller's time slice is up.
 */
import { ProtobufError, type InputSpan } from "../otlp.js";
import { SpanError, WIRE_NAMES, decodeSpan } from "../protobuf-stream.js";
import { atSpan, type RequestCounter } from "./request-caps.js";

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const I32 = 5;

/** Nested groups (a proto2 encoding no OTLP field uses, skipped as unknown fields) deeper than this are refused. */
const MAX_GROUP_DEPTH = 64;

/**
 * The wire types the enclosing messages' fields must have (unknown fields are skipped whatever their type; the spans
 * are decoded by `decodeSpan`, which checks their own fields).
 */
const FIELDS = {
  request: { 1: LEN },
  // 1000: the deprecated instrumentation_library_spans, read as scope_spans (as `semtrace validate` does).
  resourceSpans: { 2: LEN, 1000: LEN },
  scopeSpans: { 2: LEN },
  /** The fields of a group being skipped: all unknown. */
  group: {},
} as const satisfies Record<string, Readonly<Record<number, number>>>;

type Message = keyof typeof FIELDS;
const MESSAGE_NAMES: Readonly<Record<Message, string>> = {
  request: "ExportTraceServiceRequest",
  resourceSpans: "ResourceSpans",
  scopeSpans: "ScopeSpans",
  group: "group",
};

function fail(reason: string, offset: number): ProtobufError {
  return new ProtobufError(`not a protobuf ExportTraceServiceRequest: ${reason}`, offset);
}

/** A cursor over the body; every read checks it stays inside the message being read (`end`). */
class Wire {
  pos = 0;
  /** Wire type and field number of the last `tag()`. */
  wire = 0;
  field = 0;
  constructor(readonly b: Buffer) {}

  varint(end: number): number {
    let value = 0;
    let scale = 1;
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw fail("a varint runs past the end of its message", start);
      const byte = this.b[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw fail("a varint longer than 10 bytes", start);
  }

  /** Reads a field's tag: returns its field number, sets `wire` and `field`, and checks the wire type against the message's known fields. */
  tag(end: number, message: Message): number {
    const at = this.pos;
    const tag = this.varint(end);
    const field = Math.floor(tag / 8);
    this.wire = tag % 8;
    this.field = field;
    if (field === 0 || field > 0x1fffffff) throw fail(`invalid field number ${field}`, at);
    if (this.wire > I32) throw fail(`invalid wire type ${this.wire} (field ${field})`, at);
    const want = (FIELDS[message] as Readonly<Record<number, number>>)[field];
    if (want !== undefined && want !== this.wire)
      throw fail(
        `field ${field} of ${MESSAGE_NAMES[message]} has wire type ${this.wire} (${WIRE_NAMES[this.wire]}); expected ${want} (${WIRE_NAMES[want]})`,
        at,
      );
    return field;
  }

  /** After a length-delimited tag: the end of its bytes (the cursor is at their start). */
  lengthEnd(end: number): number {
    const at = this.pos;
    const length = this.varint(end);
    if (length > end - this.pos)
      throw fail(
        `a length-delimited field of ${length} bytes runs past the end of its message (${end - this.pos} bytes left)`,
        at,
      );
    return this.pos + length;
  }

  /** Skips the value of the field whose tag was just read. */
  skip(end: number): void {
    // The field numbers of the groups open: each ends with an end-group tag of its own number.
    const groups: number[] = [];
    for (;;) {
      const wire = this.wire;
      if (wire === VARINT) this.varint(end);
      else if (wire === I64 || wire === I32) {
        const size = wire === I64 ? 8 : 4;
        if (end - this.pos < size) throw fail(`a ${WIRE_NAMES[wire]} field runs past the end of its message`, this.pos);
        this.pos += size;
      } else if (wire === LEN) this.pos = this.lengthEnd(end);
      else if (wire === START_GROUP) {
        if (groups.push(this.field) > MAX_GROUP_DEPTH)
          throw fail(`groups nested deeper than ${MAX_GROUP_DEPTH}`, this.pos);
      } else if (wire === END_GROUP) {
        const open = groups.pop();
        if (open === undefined) throw fail("an end-group tag without its start-group", this.pos);
        if (open !== this.field)
          throw fail(`an end-group tag of field ${this.field} closes the group of field ${open}`, this.pos);
      }
      if (groups.length === 0) return;
      this.tag(end, "group");
    }
  }
}

/**
 * The spans of a binary `ExportTraceServiceRequest`, counted against the request's caps before each is decoded;
 * yields between two spans when `due()` says the caller's time slice is up. Throws `ProtobufError` (with the byte
 * offset), `ShapeError` or `RequestCapError`.
 */
export function* protobufRequestSpans(
  body: Uint8Array,
  counter: RequestCounter,
  due: () => boolean,
): Generator<void, InputSpan[]> {
  const w = new Wire(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  const spans: InputSpan[] = [];
  const end = body.length;
  let r = 0;
  while (w.pos < end) {
    const field = w.tag(end, "request");
    if (field === 1) {
      const rsEnd = w.lengthEnd(end);
      yield* resourceSpans(w, rsEnd, `resourceSpans[${r++}]`, spans, counter, due);
      w.pos = rsEnd;
    } else w.skip(end);
  }
  if (end > 0 && r === 0) throw fail("no resourceSpans (field 1) found", 0);
  return spans;
}

function* resourceSpans(
  w: Wire,
  end: number,
  path: string,
  out: InputSpan[],
  counter: RequestCounter,
  due: () => boolean,
): Generator<void> {
  let s = 0;
  while (w.pos < end) {
    const field = w.tag(end, "resourceSpans");
    if (field === 2 || field === 1000) {
      const ssEnd = w.lengthEnd(end);
      yield* scopeSpans(
        w,
        ssEnd,
        `${path}.${field === 2 ? "scopeSpans" : "instrumentationLibrarySpans"}[${s++}]`,
        out,
        counter,
        due,
      );
      w.pos = ssEnd;
    } else w.skip(end);
  }
}

function* scopeSpans(
  w: Wire,
  end: number,
  path: string,
  out: InputSpan[],
  counter: RequestCounter,
  due: () => boolean,
): Generator<void> {
  let i = 0;
  while (w.pos < end) {
    const field = w.tag(end, "scopeSpans");
    if (field === 2) {
      const spanEnd = w.lengthEnd(end);
      out.push(span(w, spanEnd, path, i++, counter));
      w.pos = spanEnd;
      if (due()) yield;
    } else w.skip(end);
  }
}

function span(w: Wire, end: number, scopePath: string, index: number, counter: RequestCounter): InputSpan {
  const path = `${scopePath}.spans[${index}]`;
  // Counted as validate's reader decodes it (one definition of a span's values), against the request's caps too.
  return atSpan(path, () => {
    counter.span();
    try {
      return decodeSpan(w.b, w.pos, end, 0, counter.caps, () => counter.value());
    } catch (error) {
      if (error instanceof SpanError) throw fail(`${path}${error.path}: ${error.message}`, error.offset);
      throw error;
    }
  });
}
