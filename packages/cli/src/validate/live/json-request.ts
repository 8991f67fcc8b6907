/**
 * An OTLP/JSON `ExportTraceServiceRequest` body → its spans, one span at a time, without `JSON.parse` of the whole
 * body: `JSON.parse` of 16 MiB of `[{},{},…]` builds 5.6 million objects in one uninterruptible call (seconds and
 * hundreds of MB). Here a scanner checks the JSON grammar byte by byte and walks the request's skeleton
 * (`resourceSpans[].scopeSpans[].spans[]`); of each span only the members `requestSpan` reads are built (ids, name,
 * kind, times, status, attributes, events), and attributes and events only after the scanner has counted their
 * values (`SPAN_VALUES`, as the protobuf reader counts them) against the request's caps. Everything else (resources,
 * scopes, links, unknown members) is checked and skipped without building anything.
 *
 * The spans come out exactly as `spansOfRequest` makes them from `JSON.parse` of the same text (the same
 * `requestSpan` converts each), with the same shape errors and paths. Two deliberate differences: a body must be an
 * `ExportTraceServiceRequest` object (what OTLP/HTTP carries; `{}` is an empty one), and the generator yields between
 * spans when its caller's time slice is up.
 */
import { isUtf8 } from "node:buffer";
import { ShapeError, requestSpan, type InputSpan } from "../otlp.js";
import { firstInvalidUtf8 } from "../input.js";
import { jsonDepthFor } from "../limits.js";
import { atSpan, type RequestCounter } from "./request-caps.js";

/** The body is not JSON: `offset` is the byte where reading stopped. */
export class JsonBodyError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** The JSON nesting `--max-depth` can ask for (its largest value, 10,000 levels of attribute values, as validate's). */
const MAX_JSON_DEPTH = jsonDepthFor(10_000);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

const REQUEST = "an ExportTraceServiceRequest object (with resourceSpans)";

// Member names the skeleton walk acts on; any other name is skipped.
// biome-ignore lint/suspicious/noConstEnum: never exported, so inlined within this module by tsc and esbuild alike.
const enum Key {
  Other,
  ResourceSpans,
  ScopeSpans,
  InstrumentationLibrarySpans,
  Spans,
  TraceId,
  SpanId,
  Name,
  Attributes,
  ParentSpanId,
  Kind,
  StartTimeUnixNano,
  EndTimeUnixNano,
  Status,
  Events,
  TimeUnixNano,
  Code,
  Message,
}
const KEYS: readonly (readonly [Key, string, Uint8Array])[] = (
  [
    [Key.ResourceSpans, "resourceSpans"],
    [Key.ScopeSpans, "scopeSpans"],
    [Key.InstrumentationLibrarySpans, "instrumentationLibrarySpans"],
    [Key.Spans, "spans"],
    [Key.TraceId, "traceId"],
    [Key.SpanId, "spanId"],
    [Key.Name, "name"],
    [Key.Attributes, "attributes"],
    [Key.ParentSpanId, "parentSpanId"],
    [Key.Kind, "kind"],
    [Key.StartTimeUnixNano, "startTimeUnixNano"],
    [Key.EndTimeUnixNano, "endTimeUnixNano"],
    [Key.Status, "status"],
    [Key.Events, "events"],
    [Key.TimeUnixNano, "timeUnixNano"],
    [Key.Code, "code"],
    [Key.Message, "message"],
  ] as const
).map(([key, name]) => [key, name, Buffer.from(name)] as const);

// --- the scanner ------------------------------------------------------------------------------------------------

function describeAt(b: Uint8Array, pos: number): string {
  if (pos >= b.length) return "the end of the body";
  const c = b[pos]!;
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, "0")}`;
}

function expected(b: Uint8Array, pos: number, what: string): JsonBodyError {
  return new JsonBodyError(`expected ${what}, found ${describeAt(b, pos)}`, pos);
}

function ws(b: Uint8Array, pos: number): number {
  for (;;) {
    const c = b[pos];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
    else return pos;
  }
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46));
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** Whether the last string `stringEnd` read had an escape (then it is decoded with `JSON.parse`). */
let escaped = false;

/** `pos` is at a `"`: the position after the closing `"`. */
function stringEnd(b: Uint8Array, pos: number): number {
  escaped = false;
  const n = b.length;
  let i = pos + 1;
  for (;;) {
    if (i >= n) throw new JsonBodyError("unterminated string", pos);
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      escaped = true;
      const e = b[i + 1];
      if (e === 0x75) {
        if (!(isHex(b[i + 2]) && isHex(b[i + 3]) && isHex(b[i + 4]) && isHex(b[i + 5])))
          throw new JsonBodyError("invalid \\u escape: expected 4 hex digits", i);
        i += 6;
      } else if (
        e === QUOTE ||
        e === BACKSLASH ||
        e === 0x2f ||
        e === 0x62 ||
        e === 0x66 ||
        e === 0x6e ||
        e === 0x72 ||
        e === 0x74
      )
        i += 2;
      else throw new JsonBodyError(`invalid escape ${describeAt(b, i + 1)} in a string`, i);
    } else if (c < 0x20) throw new JsonBodyError("unescaped control character in a string", i);
    else i++;
  }
}

function numberEnd(b: Uint8Array, pos: number): number {
  let i = pos;
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else throw expected(b, i, "a digit");
  if (b[i] === 0x2e) {
    i++;
    if (!isDigit(b[i])) throw expected(b, i, "a digit after '.'");
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    if (!isDigit(b[i])) throw expected(b, i, "a digit in the exponent");
    while (isDigit(b[i])) i++;
  }
  return i;
}

const LITERALS: readonly Uint8Array[] = ["true", "false", "null"].map((s) => Buffer.from(s));

function literalEnd(b: Uint8Array, pos: number): number {
  for (const literal of LITERALS) {
    if (b[pos] !== literal[0]) continue;
    for (let k = 1; k < literal.length; k++)
      if (b[pos + k] !== literal[k]) throw expected(b, pos + k, "true, false or null");
    return pos + literal.length;
  }
  throw expected(b, pos, "a JSON value");
}

/**
 * `pos` is at a `"`: the position after the closing `"`, found with the native byte search. Only the quotes are
 * checked, not what lies between them: for the text of `attributes`, which `JSON.parse` reads next and checks whole
 * (most of a request's bytes are there).
 */
function quickStringEnd(b: Buffer, pos: number): number {
  for (let from = pos + 1; ; ) {
    const quote = b.indexOf(QUOTE, from);
    if (quote < 0) throw new JsonBodyError("unterminated string", pos);
    // A quote after an odd number of backslashes is escaped.
    let k = quote - 1;
    while (b[k] === BACKSLASH) k--;
    if ((quote - 1 - k) % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

type StringEnd = (b: Buffer, pos: number) => number;

/** Scalar value at `pos` (not an object or array): the position after it. */
function scalarEnd(b: Buffer, pos: number, stringEndOf: StringEnd = stringEnd): number {
  const c = b[pos];
  if (c === QUOTE) return stringEndOf(b, pos);
  if (c === 0x2d || isDigit(c)) return numberEnd(b, pos);
  return literalEnd(b, pos);
}

// The container stack of `valueEnd` (it never yields, so one stack serves every call).
const stack = new Uint8Array(MAX_JSON_DEPTH);
const members = new Uint32Array(MAX_JSON_DEPTH);
const OBJECT = 1;
const ARRAY = 2;

/**
 * Checks the JSON value at `pos`, nested at most `maxNesting` deep (`jsonDepthFor(--max-depth)`: OTLP's own levels
 * plus at most four per level of attribute values), and returns the position after it. With a counter (the value of a span's
 * `attributes`, which `JSON.parse` reads next), the structure is checked here and the text of strings is left to
 * `JSON.parse`; every array element and every object member past an object's second is one attribute value: in
 * well-formed OTLP that is each attribute and each nested array element or map entry; in anything else, each
 * thing `JSON.parse` would build.
 */
function valueEnd(b: Buffer, pos: number, maxNesting: number, counter?: RequestCounter): number {
  const stringEndOf = counter ? quickStringEnd : stringEnd;
  let depth = 0;
  for (;;) {
    // A value starts at `pos`.
    pos = ws(b, pos);
    const c = b[pos];
    if (c === LBRACE || c === LBRACKET) {
      if (depth === maxNesting)
        throw new JsonBodyError(
          `JSON nested deeper than ${maxNesting} levels (the most attribute values nested ${(maxNesting - 16) / 4} deep need: --max-depth)`,
          pos,
        );
      const close = c === LBRACE ? RBRACE : RBRACKET;
      pos = ws(b, pos + 1);
      if (b[pos] === close) {
        pos++;
      } else {
        stack[depth] = c === LBRACE ? OBJECT : ARRAY;
        members[depth] = 1;
        depth++;
        if (c === LBRACE) pos = keyEnd(b, pos, "a string key or '}'", stringEndOf);
        else if (counter) counter.value();
        continue;
      }
    } else pos = scalarEnd(b, pos, stringEndOf);
    // A value ended: close containers, or go on to the next member or element.
    for (;;) {
      if (depth === 0) return pos;
      pos = ws(b, pos);
      const d = depth - 1;
      const object = stack[d] === OBJECT;
      const next = b[pos];
      if (next === COMMA) {
        pos++;
        members[d]!++;
        if (object) {
          pos = keyEnd(b, ws(b, pos), "a string key", stringEndOf);
          if (counter && members[d]! > 2) counter.value();
        } else if (counter) counter.value();
        break;
      }
      if (next !== (object ? RBRACE : RBRACKET)) throw expected(b, pos, object ? "',' or '}'" : "',' or ']'");
      pos++;
      depth--;
    }
  }
}

/** `pos` is at a member's name: the position of its value. */
function keyEnd(b: Buffer, pos: number, what: string, stringEndOf: StringEnd): number {
  if (b[pos] !== QUOTE) throw expected(b, pos, what);
  pos = ws(b, stringEndOf(b, pos));
  if (b[pos] !== COLON) throw expected(b, pos, "':'");
  return pos + 1;
}

// --- iterating objects and arrays (the skeleton) -----------------------------------------------------------------

/** The member `nextMember` found, and where its object closed (when it returns -1). */
let memberKey = Key.Other;
let closedAt = 0;

function keyOf(b: Buffer, start: number, end: number): Key {
  if (escaped) {
    const name = JSON.parse(b.toString("utf8", start, end)) as string;
    return KEYS.find(([, n]) => n === name)?.[0] ?? Key.Other;
  }
  const length = end - start - 2;
  outer: for (const [key, , bytes] of KEYS) {
    if (bytes.length !== length) continue;
    for (let k = 0; k < length; k++) if (b[start + 1 + k] !== bytes[k]) continue outer;
    return key;
  }
  return Key.Other;
}

/**
 * `pos` is just past `{` (`first`) or just past a member's value: the position of the next member's value, with
 * `memberKey` set; or -1 once the object closes, with `closedAt` after its `}`.
 */
function nextMember(b: Buffer, pos: number, first: boolean): number {
  pos = ws(b, pos);
  if (b[pos] === RBRACE) {
    closedAt = pos + 1;
    return -1;
  }
  if (!first) {
    if (b[pos] !== COMMA) throw expected(b, pos, "',' or '}'");
    pos = ws(b, pos + 1);
  }
  if (b[pos] !== QUOTE) throw expected(b, pos, first ? "a string key or '}'" : "a string key");
  const end = stringEnd(b, pos);
  memberKey = keyOf(b, pos, end);
  pos = ws(b, end);
  if (b[pos] !== COLON) throw expected(b, pos, "':'");
  return ws(b, pos + 1);
}

/** As `nextMember`, for an array's elements. */
function nextElement(b: Buffer, pos: number, first: boolean): number {
  pos = ws(b, pos);
  if (b[pos] === RBRACKET) {
    closedAt = pos + 1;
    return -1;
  }
  if (!first) {
    if (b[pos] !== COMMA) throw expected(b, pos, "',' or ']'");
    pos = ws(b, pos + 1);
  }
  return pos;
}

/**
 * What a shape error says was found at `start..end`: the value for a scalar; for an object or an array, an empty one
 * (the error names only its kind, so a large one is never built).
 */
function found(b: Buffer, start: number, end: number, hadEscape: boolean): unknown {
  const c = b[start];
  if (c === LBRACE) return {};
  if (c === LBRACKET) return [];
  if (c === QUOTE && !hadEscape) return b.toString("utf8", start + 1, end - 1);
  return JSON.parse(b.toString("utf8", start, end)) as unknown;
}

function isNull(b: Buffer, pos: number): boolean {
  return b[pos] === 0x6e;
}

/**
 * An array at `pos`: the position inside it, just past `[`; or -1 for null (nothing), with `closedAt` after it.
 * Anything else is the shape error `spansOfRequest` gives.
 */
function arrayStart(b: Buffer, pos: number, path: string, maxNesting: number): number {
  if (b[pos] === LBRACKET) return pos + 1;
  const end = valueEnd(b, pos, maxNesting);
  if (!isNull(b, pos)) throw new ShapeError(path, "an array", found(b, pos, end, escaped));
  closedAt = end;
  return -1;
}

/** The element at `at` must be an object; anything else is the shape error `spansOfRequest` gives. */
function expectObject(b: Buffer, at: number, path: string, index: number, what: string, maxNesting: number): void {
  if (b[at] === LBRACE) return;
  const end = valueEnd(b, at, maxNesting);
  throw new ShapeError(`${path}[${index}]`, what, found(b, at, end, escaped));
}

/** An array of objects at `pos` (or null: nothing), each handed to `item`. Returns the position after it. */
function* eachObject(
  b: Buffer,
  pos: number,
  path: string,
  what: string,
  maxNesting: number,
  item: (pos: number, path: string) => Generator<void, number>,
): Generator<void, number> {
  pos = arrayStart(b, pos, path, maxNesting);
  if (pos < 0) return closedAt;
  for (let i = 0; ; i++) {
    const at = nextElement(b, pos, i === 0);
    if (at < 0) return closedAt;
    expectObject(b, at, path, i, what, maxNesting);
    pos = yield* item(at, `${path}[${i}]`);
  }
}

// --- the request -------------------------------------------------------------------------------------------------

/**
 * The spans of an OTLP/JSON `ExportTraceServiceRequest`, counted against the request's caps as they are read;
 * yields between two spans when `due()` says the caller's time slice is up. Throws `JsonBodyError` (not JSON),
 * `ShapeError` (JSON of the wrong shape) or `RequestCapError`.
 */
export function* jsonRequestSpans(
  body: Uint8Array,
  counter: RequestCounter,
  due: () => boolean,
): Generator<void, InputSpan[]> {
  const b = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (!isUtf8(b)) {
    const at = firstInvalidUtf8(b);
    throw new JsonBodyError(`invalid UTF-8 at byte ${at}; expected UTF-8 JSON text`, at);
  }
  const maxNesting = counter.jsonDepth;
  let pos = ws(b, b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0);
  let spans: InputSpan[] = [];
  if (b[pos] !== LBRACE) {
    const end = valueEnd(b, pos, maxNesting);
    atEnd(b, end);
    throw new ShapeError("", REQUEST, found(b, pos, end, escaped));
  }
  let sawResourceSpans = false;
  let sawMembers = false;
  pos++;
  for (;;) {
    const at = nextMember(b, pos, !sawMembers);
    if (at < 0) break;
    sawMembers = true;
    if (memberKey === Key.ResourceSpans) {
      const list: InputSpan[] = [];
      pos = yield* eachObject(b, at, "resourceSpans", "a ResourceSpans object", maxNesting, (p, path) =>
        resourceSpans(b, p, path, list, counter, due),
      );
      spans = list; // a repeated member replaces the earlier one, as in JSON.parse
      sawResourceSpans = true;
    } else pos = valueEnd(b, at, maxNesting);
  }
  atEnd(b, closedAt);
  // `{}` is an empty request; members but no resourceSpans is a wrong shape (such as snake_case names), not "no spans".
  if (sawMembers && !sawResourceSpans) throw new ShapeError("", REQUEST, {});
  return spans;
}

function atEnd(b: Buffer, pos: number): void {
  pos = ws(b, pos);
  if (pos < b.length) throw expected(b, pos, "the end of the body after the JSON value");
}

function* resourceSpans(
  b: Buffer,
  pos: number,
  path: string,
  out: InputSpan[],
  counter: RequestCounter,
  due: () => boolean,
): Generator<void, number> {
  // As spansOfRequest: the spans of `scopeSpans`, then those of its deprecated name `instrumentationLibrarySpans`.
  let scope: InputSpan[] = [];
  let legacy: InputSpan[] = [];
  pos++;
  for (let first = true; ; first = false) {
    const at = nextMember(b, pos, first);
    if (at < 0) break;
    const key = memberKey;
    if (key === Key.ScopeSpans || key === Key.InstrumentationLibrarySpans) {
      const name = key === Key.ScopeSpans ? "scopeSpans" : "instrumentationLibrarySpans";
      const list: InputSpan[] = [];
      pos = yield* eachObject(b, at, `${path}.${name}`, "a ScopeSpans object", counter.jsonDepth, (p, scopePath) =>
        scopeSpans(b, p, scopePath, list, counter, due),
      );
      if (key === Key.ScopeSpans) scope = list;
      else legacy = list;
    } else pos = valueEnd(b, at, counter.jsonDepth);
  }
  for (const span of scope) out.push(span);
  for (const span of legacy) out.push(span);
  return closedAt;
}

function* scopeSpans(
  b: Buffer,
  pos: number,
  path: string,
  out: InputSpan[],
  counter: RequestCounter,
  due: () => boolean,
): Generator<void, number> {
  let spans: InputSpan[] = [];
  pos++;
  for (let first = true; ; first = false) {
    const at = nextMember(b, pos, first);
    if (at < 0) break;
    if (memberKey !== Key.Spans) {
      pos = valueEnd(b, at, counter.jsonDepth);
      continue;
    }
    // The spans, in a plain loop: the hot path.
    const list: InputSpan[] = [];
    const spansPath = `${path}.spans`;
    pos = arrayStart(b, at, spansPath, counter.jsonDepth);
    if (pos < 0) pos = closedAt;
    else {
      for (let i = 0; ; i++) {
        const spanAt = nextElement(b, pos, i === 0);
        if (spanAt < 0) {
          pos = closedAt;
          break;
        }
        expectObject(b, spanAt, spansPath, i, "a Span object", counter.jsonDepth);
        pos = span(b, spanAt, spansPath, i, list, counter);
        if (due()) yield;
      }
    }
    spans = list;
  }
  for (const s of spans) out.push(s);
  return closedAt;
}

/** The members of a Span that `requestSpan` reads, by name; events and status as `requestSpan` reads them. */
const SPAN_MEMBERS: ReadonlyMap<Key, string> = new Map([
  [Key.TraceId, "traceId"],
  [Key.SpanId, "spanId"],
  [Key.ParentSpanId, "parentSpanId"],
  [Key.Name, "name"],
  [Key.Kind, "kind"],
  [Key.StartTimeUnixNano, "startTimeUnixNano"],
  [Key.EndTimeUnixNano, "endTimeUnixNano"],
]);
const EVENT_MEMBERS: ReadonlyMap<Key, string> = new Map([
  [Key.Name, "name"],
  [Key.TimeUnixNano, "timeUnixNano"],
]);
const STATUS_MEMBERS: ReadonlyMap<Key, string> = new Map([
  [Key.Code, "code"],
  [Key.Message, "message"],
]);

/**
 * The members of the object at `pos` that `names` lists (scalars, or an empty object or array in their place: a
 * shape error names only the kind), and its `attributes` counted and parsed when `counter` is given; every other
 * member is checked and skipped. The last of a repeated member wins, as in `JSON.parse`. Returns the object built
 * and sets `closedAt`.
 */
function pickMembers(
  b: Buffer,
  pos: number,
  names: ReadonlyMap<Key, string>,
  maxNesting: number,
  counter?: RequestCounter,
): Record<string, unknown> {
  const built: Record<string, unknown> = {};
  pos++;
  for (let first = true; ; first = false) {
    const at = nextMember(b, pos, first);
    if (at < 0) return built;
    const key = memberKey;
    const counted = counter !== undefined && key === Key.Attributes;
    pos = valueEnd(b, at, maxNesting, counted ? counter : undefined);
    const name = names.get(key);
    if (name !== undefined) built[name] = found(b, at, pos, escaped);
    else if (counted) built["attributes"] = b[at] === LBRACKET ? parseAt(b, at, pos) : found(b, at, pos, true);
  }
}

/**
 * A span's `events`: each event counts as one of the span's values and its attributes as the span's own do
 * (`SPAN_VALUES`); of each, only what `requestSpan` reads is built (name, time, attributes).
 */
function events(b: Buffer, pos: number, counter: RequestCounter): { value: unknown; end: number } {
  if (b[pos] !== LBRACKET) {
    const end = valueEnd(b, pos, counter.jsonDepth);
    return { value: found(b, pos, end, escaped), end };
  }
  const list: unknown[] = [];
  pos++;
  for (let i = 0; ; i++) {
    const at = nextElement(b, pos, i === 0);
    if (at < 0) return { value: list, end: closedAt };
    counter.value();
    if (b[at] === LBRACE) {
      list.push(pickMembers(b, at, EVENT_MEMBERS, counter.jsonDepth, counter));
      pos = closedAt;
    } else {
      pos = valueEnd(b, at, counter.jsonDepth);
      list.push(found(b, at, pos, escaped));
    }
  }
}

function span(
  b: Buffer,
  pos: number,
  listPath: string,
  index: number,
  out: InputSpan[],
  counter: RequestCounter,
): number {
  const path = `${listPath}[${index}]`;
  return atSpan(path, () => {
    counter.span();
    // Only the members requestSpan reads, built as JSON.parse would build them (a repeated one: the last).
    const fields: Record<string, unknown> = {};
    pos++;
    for (let first = true; ; first = false) {
      const at = nextMember(b, pos, first);
      if (at < 0) break;
      const key = memberKey;
      if (key === Key.Events) {
        const read = events(b, at, counter);
        fields["events"] = read.value;
        pos = read.end;
        continue;
      }
      if (key === Key.Status && b[at] === LBRACE) {
        fields["status"] = pickMembers(b, at, STATUS_MEMBERS, counter.jsonDepth);
        pos = closedAt;
        continue;
      }
      pos = valueEnd(b, at, counter.jsonDepth, key === Key.Attributes ? counter : undefined);
      if (key === Key.Attributes)
        fields["attributes"] = b[at] === LBRACKET ? parseAt(b, at, pos) : found(b, at, pos, true);
      else if (key === Key.Status) fields["status"] = found(b, at, pos, escaped);
      else {
        const name = SPAN_MEMBERS.get(key);
        if (name !== undefined) fields[name] = found(b, at, pos, escaped);
      }
    }
    const end = closedAt;
    try {
      out.push(requestSpan(fields, counter.caps.maxDepth));
    } catch (error) {
      if (error instanceof ShapeError) throw new ShapeError(`${path}${error.path}`, error.expected, error.found);
      throw error;
    }
    return end;
  });
}

/** `JSON.parse` of `start..end`; its errors as `JsonBodyError`s at their byte in the body. */
function parseAt(b: Buffer, start: number, end: number): unknown {
  const text = b.toString("utf8", start, end);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    // The position counts UTF-16 code units of `text`: back to bytes.
    const offset = at ? start + Buffer.byteLength(text.slice(0, Number(at[1]))) : start;
    throw new JsonBodyError(
      message.replace(/ in JSON at position \d+.*$/, "").replace(/^Unexpected/, "unexpected"),
      offset,
    );
  }
}

/** Line and column (1-based) of a byte offset, for messages. */
export function lineAndColumn(body: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < body.length; i++) {
    if (body[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
