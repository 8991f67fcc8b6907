/**
 * Value checks that generated validators call. Small and monomorphic so V8 inlines them.
 * Ints from OTLP are JS numbers: `int` means an integral number; `double` accepts any number.
 */
import { describeValue, RULES, type Finding, type RuleId } from "./findings.js";
import type { IndexSink, ValidationContext } from "./validator.js";

export type ValueType =
  | "string"
  | "int"
  | "double"
  | "boolean"
  | "string[]"
  | "int[]"
  | "double[]"
  | "boolean[]"
  | "any";

export function isType(value: unknown, type: ValueType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "int":
      return typeof value === "number" && Number.isInteger(value);
    case "double":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "any":
      return true;
    default:
      return Array.isArray(value);
  }
}

/** Element check of a homogeneous array; null/undefined elements are allowed, as in the OTel API. */
function elementsOk(value: readonly unknown[], element: "string" | "int" | "double" | "boolean"): boolean {
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (v === null || v === undefined) continue;
    if (!isType(v, element)) return false;
  }
  return true;
}

/** Reports `value.type` / `value.array-mixed`; returns true when the value has the right type. */
export function checkType(key: string, value: unknown, type: ValueType, ctx: ValidationContext): boolean {
  // Scalars first, without looking at the type's text: the common case costs one comparison.
  switch (type) {
    case "string":
      if (typeof value === "string") return true;
      break;
    case "int":
      if (typeof value === "number" && Number.isInteger(value)) return true;
      break;
    case "double":
      if (typeof value === "number") return true;
      break;
    case "boolean":
      if (typeof value === "boolean") return true;
      break;
    case "any":
      return true;
    default:
      if (Array.isArray(value)) return checkElements(key, value, type, ctx);
      break;
  }
  ctx.report(typeFinding(key, value, type));
  return false;
}

/** The element check of an array attribute (`type` is `<element>[]`). */
function checkElements(key: string, value: readonly unknown[], type: ValueType, ctx: ValidationContext): boolean {
  const element = type.slice(0, -2) as "string" | "int" | "double" | "boolean";
  if (elementsOk(value, element)) return true;
  const kinds = [
    ...new Set(
      value
        .filter((v) => v !== null && v !== undefined)
        .map((v) => (typeof v === "number" ? (Number.isInteger(v) ? "int" : "double") : typeof v)),
    ),
  ];
  ctx.report({
    key,
    rule: kinds.length > 1 ? RULES.ARRAY_MIXED : RULES.TYPE,
    severity: "error",
    message:
      kinds.length > 1
        ? `\`${key}\` mixes ${kinds.join(" and ")} elements: expected ${type}`
        : `\`${key}\` must be ${type}, found ${kinds[0]}[]`,
    expected: type,
    actual: describeValue(value),
  });
  return false;
}

function typeFinding(key: string, value: unknown, type: ValueType): Finding {
  return {
    key,
    rule: RULES.TYPE,
    severity: "error",
    message: `\`${key}\` must be ${article(type)}, found ${describeValue(value)}`,
    expected: type,
    actual: describeValue(value),
  };
}

function article(type: string): string {
  return type.endsWith("[]") ? `a ${type} array` : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * An array attribute that consumers also accept JSON-encoded in one string
 * (`semtrace: { accepts_json_string: true }`, e.g. OpenInference's `tag.tags` as TypeScript
 * instrumentations write it): an array is checked as usual; a string that parses to an array of
 * the right elements is reported as info (`value.json-encoded`); anything else is a type error.
 */
export function checkArrayOrJsonText(
  key: string,
  value: unknown,
  type: "string[]" | "int[]" | "double[]" | "boolean[]",
  ctx: ValidationContext,
): boolean {
  if (typeof value !== "string") return checkType(key, value, type, ctx);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // Not reported: text that is not JSON is reported below, as a type finding.
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !elementsOk(parsed, type.slice(0, -2) as "string" | "int" | "double" | "boolean")) {
    ctx.report({
      key,
      rule: RULES.TYPE,
      severity: "error",
      message: `\`${key}\` must be a ${type} array (or one JSON-encoded in a string), found ${describeValue(value)}`,
      expected: type,
      actual: describeValue(value),
    });
    return false;
  }
  ctx.report({
    key,
    rule: RULES.JSON_ENCODED,
    severity: "info",
    message: `\`${key}\` holds a JSON-encoded ${type}: accepted, but producers should set the array itself`,
    expected: type,
    actual: describeValue(value),
  });
  return true;
}

export function checkEnum(
  key: string,
  value: unknown,
  members: ReadonlySet<unknown>,
  closed: boolean,
  ctx: ValidationContext,
): void {
  if (members.has(value)) return;
  ctx.report(enumFinding(key, RULES.ENUM, value, members, closed));
}

/** A value outside an enum's members: an error for a closed enum, an info naming the well-known values for an open one. */
export function enumFinding(
  key: string,
  rule: RuleId,
  value: unknown,
  members: ReadonlySet<unknown>,
  closed: boolean,
): Finding {
  const list = [...members].map((m) => JSON.stringify(m)).join(", ");
  return {
    key,
    rule,
    severity: closed ? "error" : "info",
    message: closed
      ? `\`${key}\` must be one of ${list}, found ${describeValue(value)}`
      : `\`${key}\` has ${describeValue(value)}, which is not one of the well-known values ${list}`,
    expected: `one of ${list}`,
    actual: describeValue(value),
  };
}

/**
 * A JSON attribute that may also hold its structured value (`semtrace: { accepts_structured: true }`, e.g.
 * `gen_ai.input.messages`, which OpenTelemetry asks SDKs to record structured where they can): an array or an
 * object (OTLP `arrayValue` / `kvlistValue`) is accepted as it is; a string must be JSON text; anything else is a
 * type error.
 */
export function checkJsonOrStructured(key: string, value: unknown, ctx: ValidationContext): void {
  if (typeof value === "string") return checkJson(key, value, ctx);
  if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) return;
  ctx.report({
    key,
    rule: RULES.TYPE,
    severity: "error",
    message: `\`${key}\` must be JSON text or a structured value (an array or a map), found ${describeValue(value)}`,
    expected: "JSON text, an array or a map",
    actual: describeValue(value),
  });
}

export function checkJson(key: string, value: unknown, ctx: ValidationContext): void {
  if (typeof value !== "string" || isJsonText(value)) return;
  // Not recognised (invalid, or beyond what the scanner takes on): JSON.parse decides and words the error.
  try {
    JSON.parse(value);
  } catch (error) {
    // Not reported: the failure is the finding, reported here with JSON.parse's own words.
    ctx.report({
      key,
      rule: RULES.JSON,
      severity: "error",
      message: `\`${key}\` must hold JSON text: ${(error as Error).message}`,
      expected: "JSON text",
      actual: describeValue(value),
    });
  }
}

/** Open containers of the scan in progress: 1 an object, 2 an array. */
const OPEN: number[] = [];
/** Deeper text is left to JSON.parse. */
const MAX_SCAN_DEPTH = 64;

/**
 * True when `text` is JSON text (RFC 8259, the grammar JSON.parse accepts), without building the
 * value. Never true for text JSON.parse rejects; false also for text nested deeper than
 * {@link MAX_SCAN_DEPTH}, which the caller then hands to JSON.parse.
 */
export function isJsonText(text: string): boolean {
  const n = text.length;
  let depth = 0;
  let i = skipSpace(text, 0);
  for (;;) {
    // A value starts at i.
    if (i >= n) return false;
    let c = text.charCodeAt(i);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      const close = c === 123 ? 125 : 93;
      i = skipSpace(text, i + 1);
      if (i < n && text.charCodeAt(i) === close) {
        i++;
      } else {
        if (depth >= MAX_SCAN_DEPTH) return false;
        OPEN[depth++] = c === 123 ? 1 : 2;
        if (c === 123) {
          i = member(text, i);
          if (i < 0) return false;
        }
        continue;
      }
    } else if (c === 34 /* " */) {
      i = stringEnd(text, i);
      if (i < 0) return false;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      i = numberEnd(text, i);
      if (i < 0) return false;
    } else if (c === 116 /* t */ && text.startsWith("true", i)) {
      i += 4;
    } else if (c === 102 /* f */ && text.startsWith("false", i)) {
      i += 5;
    } else if (c === 110 /* n */ && text.startsWith("null", i)) {
      i += 4;
    } else {
      return false;
    }
    // After a value: close containers until a comma starts the next value, or the text ends.
    for (;;) {
      i = skipSpace(text, i);
      if (depth === 0) return i === n;
      if (i >= n) return false;
      c = text.charCodeAt(i);
      const open = OPEN[depth - 1];
      if (c === 44 /* , */) {
        i = skipSpace(text, i + 1);
        if (open === 1) {
          i = member(text, i);
          if (i < 0) return false;
        }
        break;
      }
      if (c !== (open === 1 ? 125 : 93)) return false;
      depth--;
      i++;
    }
  }
}

function skipSpace(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
  }
  return i;
}

/** `"name" :` at i (after whitespace): the position of the member's value, or -1. */
function member(text: string, i: number): number {
  if (i >= text.length || text.charCodeAt(i) !== 34) return -1;
  i = stringEnd(text, i);
  if (i < 0) return -1;
  i = skipSpace(text, i);
  if (i >= text.length || text.charCodeAt(i) !== 58 /* : */) return -1;
  return skipSpace(text, i + 1);
}

/** The position after the string that starts (with its quote) at i, or -1. */
function stringEnd(text: string, i: number): number {
  const n = text.length;
  for (i++; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 32) return -1;
    if (c === 92 /* \ */) {
      const e = text.charCodeAt(++i); // NaN past the end
      if (e === 117 /* u */) {
        if (
          !(
            isHex(text.charCodeAt(i + 1)) &&
            isHex(text.charCodeAt(i + 2)) &&
            isHex(text.charCodeAt(i + 3)) &&
            isHex(text.charCodeAt(i + 4))
          )
        )
          return -1;
        i += 4;
      } else if (!(e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)) {
        return -1;
      }
    }
  }
  return -1;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** The position after the number that starts at i (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`), or -1. */
function numberEnd(text: string, i: number): number {
  if (text.charCodeAt(i) === 45) i++;
  let c = text.charCodeAt(i);
  if (c === 48) i++;
  else if (c >= 49 && c <= 57) i = digitsEnd(text, i + 1);
  else return -1;
  c = text.charCodeAt(i);
  if (c === 46 /* . */) {
    const end = digitsEnd(text, i + 1);
    if (end === i + 1) return -1;
    i = end;
    c = text.charCodeAt(i);
  }
  if (c === 101 || c === 69 /* e E */) {
    i++;
    c = text.charCodeAt(i);
    if (c === 43 || c === 45) i++;
    const end = digitsEnd(text, i);
    if (end === i) return -1;
    i = end;
  }
  return i;
}

function digitsEnd(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
  }
  return i;
}

export function reportDeprecated(
  key: string,
  replacement: string | undefined,
  note: string | undefined,
  ctx: ValidationContext,
): void {
  ctx.report({
    key,
    rule: RULES.DEPRECATED,
    severity: "warning",
    message: `\`${key}\` is deprecated${replacement ? `: use \`${replacement}\`` : note ? `: ${note}` : ""}`,
    ...(replacement ? { expected: replacement } : {}),
    actual: key,
  });
}

export function reportUnknownField(
  key: string,
  structure: string,
  ctx: ValidationContext,
  suggestions: readonly string[],
): void {
  ctx.report({
    key,
    rule: RULES.UNKNOWN_FIELD,
    severity: "error",
    message: `\`${key}\` is not a field of ${structure}${
      suggestions.length
        ? `: expected one of ${suggestions
            .slice(0, 8)
            .map((s) => `\`${s}\``)
            .join(", ")}${suggestions.length > 8 ? ", …" : ""}`
        : ""
    }`,
    expected: `a field of ${structure}`,
    actual: key,
  });
}

export function reportMissing(
  key: string,
  level: "required" | "conditionally_required" | "recommended",
  kind: string,
  condition: string | undefined,
  ctx: ValidationContext,
): void {
  const rule =
    level === "required"
      ? RULES.REQUIRED
      : level === "conditionally_required"
        ? RULES.CONDITIONALLY_REQUIRED
        : RULES.RECOMMENDED;
  const severity = level === "required" ? "error" : level === "conditionally_required" ? "warning" : "info";
  ctx.report({
    key,
    rule,
    severity,
    message: `${kind} spans ${level === "required" ? "must have" : level === "conditionally_required" ? "must have, when it applies," : "should have"} \`${key}\`${condition ? ` (${condition})` : ""}`,
    expected: key,
  });
}

/**
 * A value on a key that only names a structure or a prefix (`namespace`, `list[...]`,
 * `object[...]`, `template[...]` keys): such keys never carry a value of their own.
 */
export function reportNoValue(
  key: string,
  value: unknown,
  what: "namespace" | "list" | "object" | "template",
  ctx: ValidationContext,
): void {
  const expected =
    what === "namespace"
      ? "no value (a namespace)"
      : what === "template"
        ? `no value (set \`${key}.<key>\` instead)`
        : `no value (set the fields under \`${key}.\` instead)`;
  ctx.report({
    key,
    rule: RULES.TYPE,
    severity: "error",
    message: `\`${key}\` must not carry a value: expected ${expected}, found ${describeValue(value)}`,
    expected,
    actual: describeValue(value),
  });
}

/**
 * Reads a list index `<i>.` at `pos` of `key`: decimal digits, no leading zeros except `0`, then a
 * dot. Records the index under its list prefix (`prefix`, or `key` up to `pos` when omitted) for
 * gap detection and returns the position after the dot, or -1 when `key` has no index there.
 * Allocation-free unless `prefix` is omitted. `ctx` is a {@link ValidationContext} or a `KeyPlan`.
 */
export function enterIndex(key: string, pos: number, ctx: IndexSink, prefix?: string): number {
  const length = key.length;
  let i = pos;
  let n = 0;
  for (; i < length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  if (i === pos || i >= length || key.charCodeAt(i) !== 46) return -1;
  if (i > pos + 1 && key.charCodeAt(pos) === 48) return -1;
  ctx.index(prefix ?? key.slice(0, pos), n);
  return i + 1;
}

/**
 * True when some attribute key starts with `prefix` (a list, object, template or namespace key followed by a dot) and has a value.
 * With the context {@link validateWith} runs the checks in, the keys it already listed are reused.
 */
export function hasKeyUnder(
  attributes: Readonly<Record<string, unknown>>,
  prefix: string,
  ctx?: ValidationContext,
): boolean {
  const keys =
    ctx !== undefined && ctx.keys !== undefined && ctx.attributes === attributes ? ctx.keys : Object.keys(attributes);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key.startsWith(prefix) && attributes[key] !== undefined) return true;
  }
  return false;
}
