/**
 * One span of an input, translated and written back in its own encoding: the attributes the translation kept stay
 * as they were written (their KeyValue JSON, or their protobuf bytes), the new ones follow, and every other field
 * of the span (ids, times, events, links, status, unknown fields) is copied unchanged.
 */
import type { InputSpan } from "../validate/otlp.js";

export type Target = "genai" | "openinference";

/** The one attribute the translation did not carry, as `@semtrace/translate` reports it. */
export interface Unmapped {
  readonly key: string;
  readonly rule: string;
  readonly reason: string;
}

/** What `@semtrace/translate` offers, loaded lazily by the command. */
export interface Translator {
  translateSpan<S extends { readonly name: string; readonly attributes: Readonly<Record<string, unknown>> }>(
    span: S,
    options: {
      emit: "openinference" | "genai" | "both";
      onUnmapped?: (span: S, unmapped: readonly Unmapped[]) => void;
    },
  ): S;
}

/** A span's translation: its new name and attributes, and which of its attributes stay as written. */
export interface TranslatedSpan {
  readonly name: string;
  readonly renamed: boolean;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Keys whose value the translation left as it was (their original encoding is kept). */
  readonly kept: ReadonlySet<string>;
}

/** Translates a decoded span; undefined when it stays as it is (already in the target, or of neither convention). */
export function translateInputSpan(
  span: InputSpan,
  translator: Translator,
  emit: "openinference" | "genai" | "both",
  onUnmapped: (unmapped: readonly Unmapped[]) => void,
): TranslatedSpan | undefined {
  const input = { name: span.name, attributes: span.attributes };
  const out = translator.translateSpan(input, { emit, onUnmapped: (_, unmapped) => onUnmapped(unmapped) });
  if (out === input) return undefined;
  const kept = new Set<string>();
  for (const key in out.attributes)
    if (Object.hasOwn(span.attributes, key) && out.attributes[key] === span.attributes[key]) kept.add(key);
  return { name: out.name, renamed: out.name !== span.name, attributes: out.attributes, kept };
}

// --- OTLP/JSON ------------------------------------------------------------------------------------------------

/** An attribute value as OTLP/JSON's `AnyValue` (integers as strings, as int64 is written in OTLP/JSON). */
export function toAnyValue(value: unknown): Record<string, unknown> {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(toAnyValue) } };
  return {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The span's JSON text (as read, already checked by validate's reader) with the translation written into it:
 * OTLP `KeyValue` lists stay lists (kept entries unchanged), a plain span's attribute object stays an object.
 */
export function rewriteJsonSpan(text: string, t: TranslatedSpan): string {
  const span = JSON.parse(text) as Record<string, unknown>;
  const list = span["attributes"];
  if (Array.isArray(list)) {
    const keptEntries = list.filter((kv) => isObject(kv) && typeof kv["key"] === "string" && t.kept.has(kv["key"]));
    const added: unknown[] = [];
    for (const key in t.attributes) if (!t.kept.has(key)) added.push({ key, value: toAnyValue(t.attributes[key]) });
    span["attributes"] = [...keptEntries, ...added];
  } else {
    const attributes: Record<string, unknown> = {};
    const plain = isObject(list) ? list : {};
    for (const key in t.attributes) attributes[key] = t.kept.has(key) ? plain[key] : t.attributes[key];
    span["attributes"] = attributes;
  }
  if (t.renamed) span["name"] = t.name;
  return JSON.stringify(span);
}

// --- OTLP protobuf --------------------------------------------------------------------------------------------

const SPAN_NAME = 5;
const SPAN_ATTRIBUTES = 9;

/** A varint's bytes (lengths and tags: below 2^53). */
export function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function varint64(value: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

/** A length-delimited field: its tag, length and bytes. */
export function lengthDelimited(field: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([...varint(field * 8 + 2), ...varint(content.length)]), content]);
}

function anyValueBytes(value: unknown): Buffer {
  if (typeof value === "string") return lengthDelimited(1, Buffer.from(value, "utf8"));
  if (typeof value === "boolean") return Buffer.from([2 * 8, value ? 1 : 0]);
  if (typeof value === "number") {
    if (Number.isInteger(value)) return Buffer.from([3 * 8, ...varint64(BigInt(value))]);
    const double = Buffer.alloc(9);
    double[0] = 4 * 8 + 1;
    double.writeDoubleLE(value, 1);
    return double;
  }
  if (Array.isArray(value))
    return lengthDelimited(5, Buffer.concat(value.map((v) => lengthDelimited(1, anyValueBytes(v)))));
  return Buffer.alloc(0);
}

function keyValueBytes(key: string, value: unknown): Buffer {
  return lengthDelimited(
    SPAN_ATTRIBUTES,
    Buffer.concat([lengthDelimited(1, Buffer.from(key, "utf8")), lengthDelimited(2, anyValueBytes(value))]),
  );
}

/** Reads a varint at `pos` of a complete message (already checked by validate's decoder): [value, next position]. */
function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = pos; ; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, i + 1];
    scale *= 128;
  }
}

/** The end of the field whose value starts at `pos` (after its tag), by its wire type. */
function fieldEnd(buf: Uint8Array, pos: number, wire: number): number {
  if (wire === 0) return readVarint(buf, pos)[1];
  if (wire === 1) return pos + 8;
  if (wire === 5) return pos + 4;
  const [length, start] = readVarint(buf, pos);
  return start + length;
}

/** The key of a KeyValue message (field 1), or undefined. */
function keyOf(buf: Buffer, start: number, end: number): string | undefined {
  let pos = start;
  while (pos < end) {
    const [tag, after] = readVarint(buf, pos);
    const next = fieldEnd(buf, after, tag % 8);
    if (tag === 1 * 8 + 2) {
      const [length, at] = readVarint(buf, after);
      return buf.toString("utf8", at, at + length);
    }
    pos = next;
  }
  return undefined;
}

/**
 * The span's protobuf message (its content, without tag and length) with the translation written into it: every
 * field copied as it is except the attributes the translation dropped (and the name, when renamed); new attributes
 * follow. Groups do not occur in a Span (validate's decoder rejects them), so every field has a plain wire type.
 */
export function rewriteProtobufSpan(span: Buffer, t: TranslatedSpan): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < span.length) {
    const [tag, after] = readVarint(span, pos);
    const field = Math.floor(tag / 8);
    const end = fieldEnd(span, after, tag % 8);
    let keep = true;
    if (field === SPAN_NAME && t.renamed) keep = false;
    else if (field === SPAN_ATTRIBUTES) {
      const [length, at] = readVarint(span, after);
      const key = keyOf(span, at, at + length);
      keep = key !== undefined && t.kept.has(key);
    }
    if (keep) parts.push(span.subarray(pos, end));
    pos = end;
  }
  if (t.renamed) parts.push(lengthDelimited(SPAN_NAME, Buffer.from(t.name, "utf8")));
  for (const key in t.attributes) if (!t.kept.has(key)) parts.push(keyValueBytes(key, t.attributes[key]));
  return Buffer.concat(parts);
}
