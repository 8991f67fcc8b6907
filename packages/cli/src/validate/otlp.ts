/**
 * Turning input records into spans: OTLP/JSON `ExportTraceServiceRequest` documents and plain
 * `{ name, attributes }` spans (OTLP protobuf is decoded by `protobuf-stream.ts` into the same spans).
 *
 * Every function here is strict: a record whose shape is wrong anywhere is rejected as a whole with a
 * `ShapeError` naming the JSON path and what was expected, so a bad record never yields half its spans.
 * Attribute maps are plain objects, as the OpenTelemetry SDK's are (faster to build and read than prototype-free
 * ones); a `__proto__` key is defined as an own property, never set, so no key can reach a prototype, and keys that
 * `Object.prototype` also has (`constructor`) are own properties as any other key.
 */
export interface InputSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly attributes: Record<string, unknown>;
  /** The parent's span id (hex); undefined for a root span, or a plain span that names none. */
  readonly parentSpanId?: string | undefined;
  /** The OTLP `SpanKind` (1 internal, 2 server, 3 client, 4 producer, 5 consumer), when given (0, unspecified, is not). */
  readonly kind?: number | undefined;
  /** Start time in nanoseconds since the epoch (a double: exact to ±256 ns today), when given. */
  readonly startNs?: number | undefined;
  /** End minus start time in nanoseconds, computed from the exact integers (exact below 2^53 ns, 104 days), when both are given. */
  readonly durationNs?: number | undefined;
  readonly status?: SpanStatus | undefined;
  readonly events?: readonly SpanEvent[] | undefined;
}

/** The OTLP `Status`: code 0 unset, 1 ok, 2 error. */
export interface SpanStatus {
  readonly code: number;
  readonly message: string;
}

export interface SpanEvent {
  readonly name: string;
  /** Nanoseconds since the epoch (a double), when given. */
  readonly timeNs: number | undefined;
  readonly attributes: Record<string, unknown>;
}

/** What a span carries besides its ids, name and attributes (see `InputSpan`). */
export type SpanDetails = Pick<InputSpan, "parentSpanId" | "kind" | "startNs" | "durationNs" | "status" | "events">;

/** `SpanKind` and `StatusCode` as the protobuf JSON mapping may also write them: by name. */
const SPAN_KINDS: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES: Readonly<Record<string, number>> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

/**
 * A timestamp split as `high * scale + low` with both parts exact (JSON text: seconds and nanoseconds; protobuf:
 * the two 32-bit halves of the fixed64), so a duration is exact although the whole value is past 2^53.
 */
export interface SplitTime {
  readonly high: number;
  readonly low: number;
  readonly scale: number;
}

/** Start and duration of a span from its two split times; an unset (zero) time gives none. */
export function timing(
  start: SplitTime | undefined,
  end: SplitTime | undefined,
): { startNs: number | undefined; durationNs: number | undefined } {
  if (!start || (start.high === 0 && start.low === 0)) return { startNs: undefined, durationNs: undefined };
  const startNs = start.high * start.scale + start.low;
  if (!end || (end.high === 0 && end.low === 0)) return { startNs, durationNs: undefined };
  return { startNs, durationNs: (end.high - start.high) * start.scale + (end.low - start.low) };
}

export class ShapeError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly found: unknown,
  ) {
    super(`${path || "the record"}: expected ${expected}, found ${describe(found)}`);
  }
}

/**
 * The hot paths below build no path strings: they throw with a path relative to what they convert, and the
 * caller re-throws under its own prefix (only when something is wrong). `prefix + relative` is the full path.
 */
function rebase(error: unknown, prefix: string): unknown {
  return error instanceof ShapeError && prefix !== ""
    ? new ShapeError(prefix + error.path, error.expected, error.found)
    : error;
}

/**
 * What a span's values are, for the caps that count them (`--max-span-values` of protobuf spans in `validate`,
 * `--max-span-values` and `--max-request-attributes` in `live-check`, JSON or protobuf alike): each attribute, each
 * event and each of its attributes, and each array element and map entry inside their values, nested ones
 * included. Each is one object the decoded span holds, whatever the encoding.
 */
export const SPAN_VALUES =
  "values (attributes, events and their attributes, with the array elements and map entries inside)";

/** How deeply `arrayValue` / `kvlistValue` may nest by default (`--max-depth`): the conversion recurses per level. */
export const DEFAULT_MAX_DEPTH = 64;

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return `${String(value)} (${typeof value})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** `path.key`; a bare `key` at the root; `.key` under the relative root "." (see `rebase`). */
function join(path: string, key: string): string {
  return path === "" ? key : path === "." ? `.${key}` : `${path}.${key}`;
}

function optionalArray(obj: Record<string, unknown>, key: string, path: string): unknown[] {
  const value = own(obj, key);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ShapeError(join(path, key), "an array", value);
  return value;
}

function optionalString(obj: Record<string, unknown>, key: string, path: string): string {
  const value = own(obj, key);
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw new ShapeError(join(path, key), "a string", value);
  return value;
}

const INT_TEXT = /^-?\d+$/;
const EMPTY: unknown[] = [];

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Integers past ±2^53 seen since the last `takeImpreciseInts`. They are valid int64 values, but a JavaScript number
 * holds them only approximately: they are validated as the nearest double (which keeps them integers, so type checks
 * are exact) and reported as a note, never rounded in silence.
 */
let impreciseInts: { count: number; first: string } | undefined;

export function noteImpreciseInt(text: string): void {
  if (impreciseInts) impreciseInts.count++;
  else impreciseInts = { count: 1, first: text };
}

/** The integers past ±2^53 noted since the last call (count and the first one), if any. */
export function takeImpreciseInts(): { readonly count: number; readonly first: string } | undefined {
  const taken = impreciseInts;
  impreciseInts = undefined;
  return taken;
}

/** An OTLP/JSON `intValue` given as text: exact, or past ±2^53 (noted), or outside int64 (an error). */
function intFromText(text: string, path: string): number {
  const value = Number(text);
  if (Number.isSafeInteger(value)) return value;
  const big = BigInt(text);
  if (big < INT64_MIN || big > INT64_MAX)
    throw new ShapeError(path, "an int64 (from -9223372036854775808 to 9223372036854775807)", text);
  noteImpreciseInt(big.toString());
  return value;
}

/** The only own key of `value` holding something (not null/undefined) is `key`: the common, well-formed AnyValue. */
function onlyKey(value: Record<string, unknown>, key: string): boolean {
  let n = 0;
  for (const k in value) {
    if (++n > 1 || k !== key) return false;
  }
  return n === 1;
}

/** One OTLP `AnyValue` → the attribute value the OTel API would have held. `undefined` for an empty AnyValue. */
export function anyValue(value: unknown, path: string, depth = 0, maxDepth = DEFAULT_MAX_DEPTH): unknown {
  // Fast path: `{ "stringValue": "…" }` and the other scalar forms with exactly one key.
  if (typeof value === "object" && value !== null && depth <= maxDepth) {
    const o = value as Record<string, unknown>;
    const sv = o["stringValue"];
    if (typeof sv === "string") {
      if (onlyKey(o, "stringValue")) return sv;
    } else if (sv === undefined) {
      const iv = o["intValue"];
      if (typeof iv === "string" && iv.length <= 15 && INT_TEXT.test(iv) && onlyKey(o, "intValue")) return Number(iv);
      if (iv === undefined) {
        const dv = o["doubleValue"];
        if (typeof dv === "number" && onlyKey(o, "doubleValue")) return dv;
      }
    }
  }
  return anyValueChecked(value, path, depth, maxDepth);
}

function anyValueChecked(value: unknown, path: string, depth: number, maxDepth: number): unknown {
  if (depth > maxDepth)
    throw new ShapeError(path, `values nested at most ${maxDepth} deep (--max-depth)`, "deeper nesting");
  if (!isObject(value)) throw new ShapeError(path, "an AnyValue object", value);
  const keys = Object.keys(value).filter((k) => value[k] !== undefined && value[k] !== null);
  if (keys.length === 0) return undefined;
  if (keys.length > 1)
    throw new ShapeError(
      path,
      "exactly one of stringValue, boolValue, intValue, doubleValue, arrayValue, kvlistValue, bytesValue",
      `${keys.join(" and ")}`,
    );
  const kind = keys[0]!;
  const v = value[kind];
  switch (kind) {
    case "stringValue":
      if (typeof v !== "string") throw new ShapeError(`${path}.stringValue`, "a string", v);
      return v;
    case "boolValue":
      if (typeof v !== "boolean") throw new ShapeError(`${path}.boolValue`, "a boolean", v);
      return v;
    case "intValue":
      if (typeof v === "number" && Number.isInteger(v)) {
        if (Number.isSafeInteger(v)) return v;
        // JSON.parse has already rounded it: only its range can still be checked.
        if (v < -(2 ** 63) || v >= 2 ** 63)
          throw new ShapeError(`${path}.intValue`, "an int64 (from -9223372036854775808 to 9223372036854775807)", v);
        noteImpreciseInt(String(v));
        return v;
      }
      if (typeof v === "string" && v.length <= 24 && INT_TEXT.test(v)) return intFromText(v, `${path}.intValue`);
      throw new ShapeError(`${path}.intValue`, "an integer (a number or a decimal string)", v);
    case "doubleValue":
      if (typeof v === "number") return v;
      if (v === "NaN") return Number.NaN;
      if (v === "Infinity") return Number.POSITIVE_INFINITY;
      if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
      if (typeof v === "string" && v.length <= 40 && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
      throw new ShapeError(`${path}.doubleValue`, "a number", v);
    case "arrayValue": {
      if (!isObject(v)) throw new ShapeError(`${path}.arrayValue`, "an object with `values`", v);
      const values = optionalArray(v, "values", `${path}.arrayValue`);
      const out = new Array<unknown>(values.length);
      for (let i = 0; i < values.length; i++) {
        let converted: unknown;
        try {
          converted = anyValue(values[i], "", depth + 1, maxDepth);
        } catch (error) {
          throw rebase(error, `${path}.arrayValue.values[${i}]`);
        }
        out[i] = converted === undefined ? null : converted;
      }
      return out;
    }
    case "kvlistValue": {
      if (!isObject(v)) throw new ShapeError(`${path}.kvlistValue`, "an object with `values`", v);
      return keyValues(
        optionalArray(v, "values", `${path}.kvlistValue`),
        `${path}.kvlistValue.values`,
        depth + 1,
        maxDepth,
      );
    }
    case "bytesValue":
      if (typeof v !== "string") throw new ShapeError(`${path}.bytesValue`, "a base64 string", v);
      return new Uint8Array(Buffer.from(v, "base64"));
    default:
      throw new ShapeError(
        `${path}.${kind}`,
        "one of stringValue, boolValue, intValue, doubleValue, arrayValue, kvlistValue, bytesValue",
        "an unknown field",
      );
  }
}

/** Sets `key` on an attribute record as an own property, `__proto__` included (assigning it would set the prototype). */
export function setAttribute(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** A list of OTLP `KeyValue`s → a record of their values. */
export function keyValues(
  list: readonly unknown[],
  path: string,
  depth = 0,
  maxDepth = DEFAULT_MAX_DEPTH,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = 0;
  try {
    for (; i < list.length; i++) {
      const kv = list[i];
      if (!isObject(kv)) throw new ShapeError("", "a KeyValue object", kv);
      // Plain reads: Object.prototype has no `key` or `value`, so a missing field reads as undefined.
      const key = kv["key"];
      if (typeof key !== "string") throw new ShapeError(".key", "a string", key);
      const raw = kv["value"];
      const value = raw === undefined || raw === null ? undefined : anyValue(raw, ".value", depth, maxDepth);
      if (value !== undefined) setAttribute(out, key, value);
    }
  } catch (error) {
    throw rebase(error, `${path}[${i}]`);
  }
  return out;
}

function isLowerHex(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** A trace or span id: hex, as OTLP/JSON writes them (lower case in the result). */
function id(obj: Record<string, unknown>, key: string, path: string): string {
  const value = optionalString(obj, key, path);
  if (isLowerHex(value)) return value;
  if (value !== "" && !/^[0-9a-fA-F]+$/.test(value)) throw new ShapeError(join(path, key), "a hex string", value);
  return value.toLowerCase();
}

/** One OTLP/JSON `Span`; errors carry paths relative to it (".name", ".attributes[3].value"): callers prefix them. */
export function requestSpan(span: unknown, maxDepth = DEFAULT_MAX_DEPTH): InputSpan {
  if (!isObject(span)) throw new ShapeError("", "a Span object", span);
  const traceId = id(span, "traceId", ".");
  const spanId = id(span, "spanId", ".");
  const name = optionalString(span, "name", ".");
  const list = own(span, "attributes");
  let attributes: Record<string, unknown>;
  if (list === undefined || list === null) attributes = keyValues(EMPTY, "");
  else if (!Array.isArray(list)) throw new ShapeError(".attributes", "an array", list);
  else attributes = keyValues(list, ".attributes", 0, maxDepth);
  return withDetails(traceId, spanId, name, attributes, spanDetails(span, ".", maxDepth));
}

/** A span object of one shape whatever the input gives (fast property access in the consumers). */
export function withDetails(
  traceId: string,
  spanId: string,
  name: string,
  attributes: Record<string, unknown>,
  d: SpanDetails,
): InputSpan {
  return {
    traceId,
    spanId,
    name,
    attributes,
    parentSpanId: d.parentSpanId,
    kind: d.kind,
    startNs: d.startNs,
    durationNs: d.durationNs,
    status: d.status,
    events: d.events,
  };
}

/**
 * The parent id, kind, times, status and events of an OTLP/JSON span (plain spans use the same field names). Enums
 * are numbers or their names (`SPAN_KIND_CLIENT`, `STATUS_CODE_ERROR`), as the protobuf JSON mapping allows; times
 * are decimal strings or numbers.
 */
export function spanDetails(span: Record<string, unknown>, path: string, maxDepth = DEFAULT_MAX_DEPTH): SpanDetails {
  const parent = id(span, "parentSpanId", path);
  const { startNs, durationNs } = timing(
    unixNano(span, "startTimeUnixNano", path),
    unixNano(span, "endTimeUnixNano", path),
  );
  return {
    parentSpanId: parent === "" ? undefined : parent,
    // SPAN_KIND_UNSPECIFIED (0) is no kind: protobuf never sends it, and both encodings give the same span.
    kind:
      enumValue(span, "kind", path, SPAN_KINDS, "a SpanKind (0 to 5, or a name such as SPAN_KIND_CLIENT)") || undefined,
    startNs,
    durationNs,
    status: status(own(span, "status"), join(path, "status")),
    events: events(span, path, maxDepth),
  };
}

const UINT64_DIGITS = /^\d{1,20}$/;
const UINT64_MAX = "18446744073709551615";

/** A fixed64 nanosecond time: a decimal string (exact) or a number (as JSON.parse rounded it). */
function unixNano(obj: Record<string, unknown>, key: string, path: string): SplitTime | undefined {
  const value = own(obj, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && UINT64_DIGITS.test(value) && (value.length < 20 || value <= UINT64_MAX)) {
    if (value.length <= 9) return { high: 0, low: Number(value), scale: 1e9 };
    return { high: Number(value.slice(0, -9)), low: Number(value.slice(-9)), scale: 1e9 };
  }
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value < 2 ** 64) {
    const high = Math.floor(value / 1e9);
    return { high, low: value - high * 1e9, scale: 1e9 };
  }
  throw new ShapeError(join(path, key), "nanoseconds since the epoch (a decimal string or a whole number)", value);
}

/** An enum field: a whole number, or one of its names. */
function enumValue(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  names: Readonly<Record<string, number>>,
  expected: string,
): number | undefined {
  const value = own(obj, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && Object.hasOwn(names, value)) return names[value];
  throw new ShapeError(join(path, key), expected, value);
}

function status(value: unknown, path: string): SpanStatus | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new ShapeError(path, "a Status object", value);
  const code =
    enumValue(
      value,
      "code",
      path,
      STATUS_CODES,
      "a StatusCode (0 unset, 1 ok, 2 error, or a name such as STATUS_CODE_ERROR)",
    ) ?? 0;
  return { code, message: optionalString(value, "message", path) };
}

function events(span: Record<string, unknown>, path: string, maxDepth: number): SpanEvent[] | undefined {
  const list = optionalArray(span, "events", path);
  if (list.length === 0) return undefined;
  const out: SpanEvent[] = [];
  for (let i = 0; i < list.length; i++) {
    const event = list[i];
    const at = `${join(path, "events")}[${i}]`;
    if (!isObject(event)) throw new ShapeError(at, "an Event object", event);
    const time = unixNano(event, "timeUnixNano", at);
    const raw = own(event, "attributes");
    let attributes: Record<string, unknown>;
    if (raw === undefined || raw === null) attributes = {};
    else if (!Array.isArray(raw)) throw new ShapeError(`${at}.attributes`, "an array", raw);
    else attributes = keyValues(raw, `${at}.attributes`, 0, maxDepth);
    out.push({
      name: optionalString(event, "name", at),
      timeNs: time && (time.high !== 0 || time.low !== 0) ? time.high * time.scale + time.low : undefined,
      attributes,
    });
  }
  return out;
}

/** Every span of an `ExportTraceServiceRequest` (OTLP/JSON shape). */
export function spansOfRequest(doc: Record<string, unknown>, maxDepth = DEFAULT_MAX_DEPTH): InputSpan[] {
  const spans: InputSpan[] = [];
  const resourceSpans = optionalArray(doc, "resourceSpans", "");
  for (let r = 0; r < resourceSpans.length; r++) {
    const rs = resourceSpans[r];
    const rPath = `resourceSpans[${r}]`;
    if (!isObject(rs)) throw new ShapeError(rPath, "a ResourceSpans object", rs);
    // The deprecated name of scopeSpans is read too (both, when a converter wrote both: no span is left out).
    for (const scopeKey of SCOPE_KEYS) {
      const scopeSpans = optionalArray(rs, scopeKey, rPath);
      for (let s = 0; s < scopeSpans.length; s++) {
        const ss = scopeSpans[s];
        const sPath = `${rPath}.${scopeKey}[${s}]`;
        if (!isObject(ss)) throw new ShapeError(sPath, "a ScopeSpans object", ss);
        const list = optionalArray(ss, "spans", sPath);
        let i = 0;
        try {
          for (; i < list.length; i++) spans.push(requestSpan(list[i], maxDepth));
        } catch (error) {
          throw rebase(error, `${sPath}.spans[${i}]`);
        }
      }
    }
  }
  return spans;
}

/** The keys of a ResourceSpans that hold ScopeSpans: the current one and its deprecated name. */
export const SCOPE_KEYS = ["scopeSpans", "instrumentationLibrarySpans"] as const;

/** A plain span: `{ name, attributes: { key: value } }` (attributes may also be an OTLP KeyValue list). */
export function plainSpan(span: unknown, path: string, maxDepth = DEFAULT_MAX_DEPTH): InputSpan {
  if (!isObject(span)) throw new ShapeError(path, "a span object", span);
  const rawAttributes = own(span, "attributes");
  let attributes: Record<string, unknown>;
  if (rawAttributes === undefined || rawAttributes === null) attributes = {};
  else if (Array.isArray(rawAttributes)) attributes = keyValues(rawAttributes, join(path, "attributes"), 0, maxDepth);
  else if (isObject(rawAttributes)) {
    attributes = {};
    for (const key of Object.keys(rawAttributes)) {
      const value = rawAttributes[key];
      checkPlainValue(value, `${join(path, "attributes")}[${JSON.stringify(key)}]`);
      setAttribute(attributes, key, value);
    }
  } else throw new ShapeError(join(path, "attributes"), "an object of attribute values", rawAttributes);
  const context = own(span, "spanContext");
  const ids = isObject(context) ? context : span;
  return withDetails(
    id(ids, "traceId", path),
    id(ids, "spanId", path),
    optionalString(span, "name", path),
    attributes,
    spanDetails(span, path, maxDepth),
  );
}

function checkPlainValue(value: unknown, path: string): void {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean")
        throw new ShapeError(`${path}[${i}]`, "a string, number, boolean or null", v);
    }
    return;
  }
  throw new ShapeError(path, "a string, number, boolean or an array of them", value);
}

/** Any parsed JSON record: an OTLP request, an array of plain spans, or one plain span. */
export function spansOfJson(doc: unknown, maxDepth = DEFAULT_MAX_DEPTH): InputSpan[] {
  if (Array.isArray(doc)) return doc.map((span, i) => plainSpan(span, `[${i}]`, maxDepth));
  if (!isObject(doc)) throw new ShapeError("", "an ExportTraceServiceRequest object or an array of spans", doc);
  if (Object.hasOwn(doc, "resourceSpans")) return spansOfRequest(doc, maxDepth);
  if (Object.hasOwn(doc, "name") || Object.hasOwn(doc, "attributes")) return [plainSpan(doc, "", maxDepth)];
  throw new ShapeError(
    "",
    "an ExportTraceServiceRequest (with `resourceSpans`), a span (`name`, `attributes`) or an array of spans",
    doc,
  );
}

/** A binary protobuf problem at a byte offset (of the decompressed input, or of a request body). */
export class ProtobufError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}
