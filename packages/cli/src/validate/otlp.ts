/**
 * Turning input records into spans: OTLP/JSON `ExportTraceServiceRequest` documents, OTLP protobuf
 * (decoded with protobufjs into the same JSON shape), and plain `{ name, attributes }` spans.
 *
 * Every function here is strict: a record whose shape is wrong anywhere is rejected as a whole with a
 * `ShapeError` naming the JSON path and what was expected, so a bad record never yields half its spans.
 * Attribute maps are plain objects, as the OpenTelemetry SDK's are (faster to build and read than prototype-free
 * ones); a `__proto__` key is defined as an own property, never set, so no key can reach a prototype, and keys that
 * `Object.prototype` also has (`constructor`) are own properties as any other key.
 */
import protobuf from "protobufjs";

export interface InputSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly attributes: Record<string, unknown>;
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
  return error instanceof ShapeError && prefix !== "" ? new ShapeError(prefix + error.path, error.expected, error.found) : error;
}

const MAX_DEPTH = 64;

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

/** The only own key of `value` holding something (not null/undefined) is `key`: the common, well-formed AnyValue. */
function onlyKey(value: Record<string, unknown>, key: string): boolean {
  let n = 0;
  for (const k in value) {
    if (++n > 1 || k !== key) return false;
  }
  return n === 1;
}

/** One OTLP `AnyValue` → the attribute value the OTel API would have held. `undefined` for an empty AnyValue. */
export function anyValue(value: unknown, path: string, depth = 0): unknown {
  // Fast path: `{ "stringValue": "…" }` and the other scalar forms with exactly one key.
  if (typeof value === "object" && value !== null && depth <= MAX_DEPTH) {
    const o = value as Record<string, unknown>;
    const sv = o["stringValue"];
    if (typeof sv === "string") {
      if (onlyKey(o, "stringValue")) return sv;
    } else if (sv === undefined) {
      const iv = o["intValue"];
      if (typeof iv === "string" && iv.length <= 24 && INT_TEXT.test(iv) && onlyKey(o, "intValue")) return Number(iv);
      if (iv === undefined) {
        const dv = o["doubleValue"];
        if (typeof dv === "number" && onlyKey(o, "doubleValue")) return dv;
      }
    }
  }
  return anyValueChecked(value, path, depth);
}

function anyValueChecked(value: unknown, path: string, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new ShapeError(path, `values nested at most ${MAX_DEPTH} deep`, "deeper nesting");
  if (!isObject(value)) throw new ShapeError(path, "an AnyValue object", value);
  const keys = Object.keys(value).filter((k) => value[k] !== undefined && value[k] !== null);
  if (keys.length === 0) return undefined;
  if (keys.length > 1) throw new ShapeError(path, "exactly one of stringValue, boolValue, intValue, doubleValue, arrayValue, kvlistValue, bytesValue", `${keys.join(" and ")}`);
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
      if (typeof v === "number" && Number.isInteger(v)) return v;
      if (typeof v === "string" && v.length <= 24 && INT_TEXT.test(v)) return Number(v);
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
          converted = anyValue(values[i], "", depth + 1);
        } catch (error) {
          throw rebase(error, `${path}.arrayValue.values[${i}]`);
        }
        out[i] = converted === undefined ? null : converted;
      }
      return out;
    }
    case "kvlistValue": {
      if (!isObject(v)) throw new ShapeError(`${path}.kvlistValue`, "an object with `values`", v);
      return keyValues(optionalArray(v, "values", `${path}.kvlistValue`), `${path}.kvlistValue.values`, depth + 1);
    }
    case "bytesValue":
      if (typeof v !== "string") throw new ShapeError(`${path}.bytesValue`, "a base64 string", v);
      return new Uint8Array(Buffer.from(v, "base64"));
    default:
      throw new ShapeError(`${path}.${kind}`, "one of stringValue, boolValue, intValue, doubleValue, arrayValue, kvlistValue, bytesValue", "an unknown field");
  }
}

/** Sets `key` on an attribute record as an own property, `__proto__` included (assigning it would set the prototype). */
function setAttribute(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** A list of OTLP `KeyValue`s → a record of their values. */
export function keyValues(list: readonly unknown[], path: string, depth = 0): Record<string, unknown> {
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
      const value = raw === undefined || raw === null ? undefined : anyValue(raw, ".value", depth);
      if (value !== undefined) setAttribute(out, key, value);
    }
  } catch (error) {
    throw rebase(error, `${path}[${i}]`);
  }
  return out;
}

/** Hex ids as OTLP/JSON writes them; protobuf ids arrive as base64 and are converted. */
export type IdEncoding = "hex" | "base64";

function isLowerHex(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function id(obj: Record<string, unknown>, key: string, path: string, encoding: IdEncoding): string {
  const value = optionalString(obj, key, path);
  if (encoding === "base64") return Buffer.from(value, "base64").toString("hex");
  if (isLowerHex(value)) return value;
  if (value !== "" && !/^[0-9a-fA-F]+$/.test(value)) throw new ShapeError(join(path, key), "a hex string", value);
  return value.toLowerCase();
}

/** One `Span` of an `ExportTraceServiceRequest` (OTLP/JSON shape). Paths in errors are relative to the span (".name", ".attributes[3].value"). */
export function requestSpan(span: unknown, encoding: IdEncoding): InputSpan {
  if (!isObject(span)) throw new ShapeError("", "a Span object", span);
  const traceId = id(span, "traceId", ".", encoding);
  const spanId = id(span, "spanId", ".", encoding);
  const name = optionalString(span, "name", ".");
  const list = own(span, "attributes");
  let attributes: Record<string, unknown>;
  if (list === undefined || list === null) attributes = keyValues(EMPTY, "");
  else if (!Array.isArray(list)) throw new ShapeError(".attributes", "an array", list);
  else attributes = keyValues(list, ".attributes");
  return { traceId, spanId, name, attributes };
}

/** Every span of an `ExportTraceServiceRequest` (OTLP/JSON shape). */
export function spansOfRequest(doc: Record<string, unknown>, encoding: IdEncoding = "hex"): InputSpan[] {
  const spans: InputSpan[] = [];
  const resourceSpans = optionalArray(doc, "resourceSpans", "");
  for (let r = 0; r < resourceSpans.length; r++) {
    const rs = resourceSpans[r];
    const rPath = `resourceSpans[${r}]`;
    if (!isObject(rs)) throw new ShapeError(rPath, "a ResourceSpans object", rs);
    const scopeKey = Object.hasOwn(rs, "scopeSpans") ? "scopeSpans" : "instrumentationLibrarySpans";
    const scopeSpans = optionalArray(rs, scopeKey, rPath);
    for (let s = 0; s < scopeSpans.length; s++) {
      const ss = scopeSpans[s];
      const sPath = `${rPath}.${scopeKey}[${s}]`;
      if (!isObject(ss)) throw new ShapeError(sPath, "a ScopeSpans object", ss);
      const list = optionalArray(ss, "spans", sPath);
      let i = 0;
      try {
        for (; i < list.length; i++) spans.push(requestSpan(list[i], encoding));
      } catch (error) {
        throw rebase(error, `${sPath}.spans[${i}]`);
      }
    }
  }
  return spans;
}

/** A plain span: `{ name, attributes: { key: value } }` (attributes may also be an OTLP KeyValue list). */
export function plainSpan(span: unknown, path: string): InputSpan {
  if (!isObject(span)) throw new ShapeError(path, "a span object", span);
  const rawAttributes = own(span, "attributes");
  let attributes: Record<string, unknown>;
  if (rawAttributes === undefined || rawAttributes === null) attributes = {};
  else if (Array.isArray(rawAttributes)) attributes = keyValues(rawAttributes, join(path, "attributes"));
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
  return {
    traceId: id(ids, "traceId", path, "hex"),
    spanId: id(ids, "spanId", path, "hex"),
    name: optionalString(span, "name", path),
    attributes,
  };
}

function checkPlainValue(value: unknown, path: string): void {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") throw new ShapeError(`${path}[${i}]`, "a string, number, boolean or null", v);
    }
    return;
  }
  throw new ShapeError(path, "a string, number, boolean or an array of them", value);
}

/** Any parsed JSON record: an OTLP request, an array of plain spans, or one plain span. */
export function spansOfJson(doc: unknown): InputSpan[] {
  if (Array.isArray(doc)) return doc.map((span, i) => plainSpan(span, `[${i}]`));
  if (!isObject(doc)) throw new ShapeError("", "an ExportTraceServiceRequest object or an array of spans", doc);
  if (Object.hasOwn(doc, "resourceSpans")) return spansOfRequest(doc);
  if (Object.hasOwn(doc, "name") || Object.hasOwn(doc, "attributes")) return [plainSpan(doc, "")];
  throw new ShapeError("", "an ExportTraceServiceRequest (with `resourceSpans`), a span (`name`, `attributes`) or an array of spans", doc);
}

// --- protobuf -------------------------------------------------------------------------------------

/**
 * The part of opentelemetry/proto/collector/trace/v1/trace_service.proto (and the trace, resource and
 * common protos it imports) that validation reads, as a protobufjs JSON descriptor. Fields not listed
 * (resource, scope, times, events, links, status) are skipped by wire type, as protobuf readers do.
 * Field names are the OTLP/JSON (lowerCamelCase) names, so decoded messages have the JSON shape.
 */
const OTLP_TRACE_DESCRIPTOR = {
  nested: {
    ExportTraceServiceRequest: { fields: { resourceSpans: { rule: "repeated", type: "ResourceSpans", id: 1 } } },
    ResourceSpans: {
      fields: {
        scopeSpans: { rule: "repeated", type: "ScopeSpans", id: 2 },
        schemaUrl: { type: "string", id: 3 },
      },
    },
    ScopeSpans: {
      fields: {
        spans: { rule: "repeated", type: "Span", id: 2 },
        schemaUrl: { type: "string", id: 3 },
      },
    },
    Span: {
      fields: {
        traceId: { type: "bytes", id: 1 },
        spanId: { type: "bytes", id: 2 },
        name: { type: "string", id: 5 },
        attributes: { rule: "repeated", type: "KeyValue", id: 9 },
      },
    },
    KeyValue: { fields: { key: { type: "string", id: 1 }, value: { type: "AnyValue", id: 2 } } },
    AnyValue: {
      oneofs: { value: { oneof: ["stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue"] } },
      fields: {
        stringValue: { type: "string", id: 1 },
        boolValue: { type: "bool", id: 2 },
        intValue: { type: "int64", id: 3 },
        doubleValue: { type: "double", id: 4 },
        arrayValue: { type: "ArrayValue", id: 5 },
        kvlistValue: { type: "KeyValueList", id: 6 },
        bytesValue: { type: "bytes", id: 7 },
      },
    },
    ArrayValue: { fields: { values: { rule: "repeated", type: "AnyValue", id: 1 } } },
    KeyValueList: { fields: { values: { rule: "repeated", type: "KeyValue", id: 1 } } },
  },
};

let otlpRoot: protobuf.Root | undefined;

function otlpType(name: "ExportTraceServiceRequest" | "Span"): protobuf.Type {
  otlpRoot ??= protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR);
  return otlpRoot.lookupType(name);
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, bytes: String, oneofs: false, defaults: false, arrays: false };

export class ProtobufError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Decodes a binary `ExportTraceServiceRequest`; throws `ProtobufError` with the byte offset where reading stopped. */
export function spansOfProtobuf(bytes: Uint8Array): InputSpan[] {
  const type = otlpType("ExportTraceServiceRequest");
  const reader = protobuf.Reader.create(bytes);
  let message: protobuf.Message;
  try {
    message = type.decode(reader);
  } catch (error) {
    throw new ProtobufError(`not a protobuf ExportTraceServiceRequest: ${(error as Error).message}`, reader.pos);
  }
  const doc = type.toObject(message, TO_OBJECT) as Record<string, unknown>;
  if (bytes.length > 0 && !Array.isArray(doc["resourceSpans"])) {
    throw new ProtobufError("not a protobuf ExportTraceServiceRequest: no resourceSpans (field 1) found", 0);
  }
  return spansOfRequest(doc, "base64");
}

/**
 * Decodes one binary `Span` message, as `spansOfProtobuf` decodes each span of a request (live-check walks a request
 * span by span). Throws `ProtobufError` with the offset in `bytes`, or `ShapeError` with a path relative to the span.
 */
export function spanOfProtobuf(bytes: Uint8Array): InputSpan {
  const type = otlpType("Span");
  const reader = protobuf.Reader.create(bytes);
  let message: protobuf.Message;
  try {
    message = type.decode(reader);
  } catch (error) {
    throw new ProtobufError(`not a protobuf Span: ${(error as Error).message}`, reader.pos);
  }
  return requestSpan(type.toObject(message, TO_OBJECT), "base64");
}
