/**
 * Content checks of JSON attributes whose shape the registry records (`semtrace.shape`, spec/README.md §2.8): the
 * helpers the generated shape checks call. A generated check walks one value (`check<Shape>(value, path, ctx)`);
 * these helpers do what is the same for every shape: parsing the JSON text (or taking the structured value an
 * OTLP `arrayValue` / `kvlistValue` decodes to), type checks of properties, and wording the findings. Every
 * finding's `key` is the JSON path of what it is about (`gen_ai.input.messages[1].parts[0].type`), and one value
 * reports at most {@link MAX_CONTENT_FINDINGS} findings.
 */
import { isType, type ValueType } from "./checks.js";
import { describeValue, RULES, type Finding } from "./findings.js";
import type { ValidationContext } from "./validator.js";

/** The check of one value of a shape, at `path`. */
export type ContentCheck = (value: unknown, path: string, ctx: ValidationContext) => void;

/** Findings one attribute value may report; past it one `content.truncated` finding says how the rest were dropped. */
export const MAX_CONTENT_FINDINGS = 100;

/** A JSON object: from JSON text, or a kvlist as decoded from OTLP (an object that is not an array or bytes). */
export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * The content check of a JSON attribute: JSON text is parsed (text that does not parse is `value.json`), a
 * structured value (an array or a map, when `structured`) is taken as it is, and the result is checked as a
 * list of `element` values (`list`) or as one. Anything else is `value.type`.
 */
export function checkJsonContent(key: string, value: unknown, ctx: ValidationContext, element: ContentCheck, list: boolean, structured: boolean): void {
  let content: unknown;
  if (typeof value === "string") {
    try {
      content = JSON.parse(value);
    } catch (error) {
      ctx.report({ key, rule: RULES.JSON, severity: "error", message: `\`${key}\` must hold JSON text: ${(error as Error).message}`, expected: "JSON text", actual: describeValue(value) });
      return;
    }
  } else if (structured && typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    content = value;
  } else {
    const expected = structured ? "JSON text or a structured value (an array or a map)" : "a string of JSON text";
    ctx.report({ key, rule: RULES.TYPE, severity: "error", message: `\`${key}\` must be ${expected}, found ${describeValue(value)}`, expected, actual: describeValue(value) });
    return;
  }
  ctx.contentBudget = MAX_CONTENT_FINDINGS;
  if (list) checkContentList(content, key, element, ctx);
  else element(content, key, ctx);
  ctx.contentBudget = 0;
}

/** Reports a content finding within the value's budget. */
function report(ctx: ValidationContext, finding: Finding): void {
  const left = ctx.contentBudget--;
  if (left > 0) ctx.report(finding);
  else if (left === 0) {
    ctx.report({ key: finding.key, rule: RULES.CONTENT_TRUNCATED, severity: "info", message: `more findings in this value are not listed: at most ${MAX_CONTENT_FINDINGS} are reported per attribute value`, expected: `at most ${MAX_CONTENT_FINDINGS} findings` });
  }
}

/** An array whose elements `element` checks, at `path` (elements at `path[i]`). */
export function checkContentList(value: unknown, path: string, element: ContentCheck, ctx: ValidationContext): void {
  if (!Array.isArray(value)) {
    reportContentType(path, "an array", value, ctx);
    return;
  }
  for (let i = 0; i < value.length; i++) element(value[i], `${path}[${i}]`, ctx);
}

/** The array property `name` of the object at `path`. */
export function checkContentListProperty(value: unknown, path: string, name: string, element: ContentCheck, nullable: boolean, ctx: ValidationContext): void {
  if (value === null && nullable) return;
  checkContentList(value, `${path}.${name}`, element, ctx);
}

export function reportContentType(path: string, expected: string, value: unknown, ctx: ValidationContext): void {
  const actual = value === null ? "null" : Array.isArray(value) ? "an array" : value instanceof Uint8Array ? "bytes" : describeValue(value);
  report(ctx, { key: path, rule: RULES.CONTENT_TYPE, severity: "error", message: `\`${path}\` must be ${expected}, found ${actual}`, expected, actual });
}

/** A required property missing from the `shape` object at `path`. */
export function reportContentMissing(path: string, name: string, shape: string, ctx: ValidationContext): void {
  const key = `${path}.${name}`;
  report(ctx, { key, rule: RULES.CONTENT_REQUIRED, severity: "error", message: `\`${key}\` is missing: ${shape} requires \`${name}\``, expected: name });
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: "a string",
  int: "an integer",
  double: "a number",
  boolean: "a boolean",
  "string[]": "an array of strings",
  "int[]": "an array of integers",
  "double[]": "an array of numbers",
  "boolean[]": "an array of booleans",
};

/** A primitive property (`any` needs no check); `binary` strings may also be raw bytes. */
export function checkContentValue(value: unknown, path: string, name: string, type: ValueType, nullable: boolean, binary: boolean, ctx: ValidationContext): void {
  if (value === null ? nullable : isType(value, type) ? !type.endsWith("[]") || elementsOf(value as readonly unknown[], type) : binary && value instanceof Uint8Array) return;
  const words = TYPE_WORDS[type] ?? type;
  reportContentType(`${path}.${name}`, `${words}${binary ? " (base64) or bytes" : ""}${nullable ? " or null" : ""}`, value, ctx);
}

function elementsOf(value: readonly unknown[], type: ValueType): boolean {
  const element = type.slice(0, -2) as ValueType;
  for (let i = 0; i < value.length; i++) if (!isType(value[i], element)) return false;
  return true;
}

/**
 * An enum property: a value of the enum's type is checked against its members (outside them: an error for a
 * closed enum, an info for an open one); another type is `content.type`.
 */
export function checkContentEnum(value: unknown, path: string, name: string, members: ReadonlySet<unknown>, type: "string" | "int" | "boolean", closed: boolean, nullable: boolean, ctx: ValidationContext): void {
  if (members.has(value) || (value === null && nullable)) return;
  if (!isType(value, type)) {
    reportContentType(`${path}.${name}`, `${TYPE_WORDS[type]!}${nullable ? " or null" : ""}`, value, ctx);
    return;
  }
  const key = `${path}.${name}`;
  const list = [...members].map((m) => JSON.stringify(m)).join(", ");
  report(ctx, {
    key,
    rule: RULES.CONTENT_ENUM,
    severity: closed ? "error" : "info",
    message: closed ? `\`${key}\` must be one of ${list}, found ${describeValue(value)}` : `\`${key}\` has ${describeValue(value)}, which is not one of the well-known values ${list}`,
    expected: `one of ${list}`,
    actual: describeValue(value),
  });
}

/** A union value whose discriminator picks no alternative (unions without a fallback). */
export function reportContentDiscriminator(value: Readonly<Record<string, unknown>>, path: string, name: string, members: ReadonlySet<unknown>, shape: string, ctx: ValidationContext): void {
  const found = value[name];
  if (found === undefined) {
    reportContentMissing(path, name, shape, ctx);
    return;
  }
  const key = `${path}.${name}`;
  const list = [...members].map((m) => JSON.stringify(m)).join(", ");
  report(ctx, { key, rule: RULES.CONTENT_ENUM, severity: "error", message: `\`${key}\` must be one of ${list} (${shape}), found ${describeValue(found)}`, expected: `one of ${list}`, actual: describeValue(found) });
}

/** Properties of a closed shape's object that the shape does not define. */
export function checkContentProperties(value: Readonly<Record<string, unknown>>, path: string, known: ReadonlySet<unknown>, shape: string, ctx: ValidationContext): void {
  for (const name of Object.keys(value)) {
    if (known.has(name)) continue;
    const key = `${path}.${name}`;
    report(ctx, { key, rule: RULES.CONTENT_UNKNOWN_PROPERTY, severity: "error", message: `\`${key}\` is not a property of ${shape}: expected one of ${[...known].map((k) => `\`${k}\``).join(", ")}`, expected: `a property of ${shape}`, actual: name });
  }
}

/**
 * True (and a `content.legacy-format` warning) when the object at `path`, which lacks a property its shape
 * requires, has every property an older shape requires: it was written in that older format, which `format`
 * names. The object is then not checked further.
 */
export function checkLegacyFormat(value: Readonly<Record<string, unknown>>, path: string, required: readonly string[], format: string, shape: string, ctx: ValidationContext): boolean {
  for (let i = 0; i < required.length; i++) if (value[required[i]!] === undefined) return false;
  report(ctx, {
    key: path,
    rule: RULES.CONTENT_LEGACY,
    severity: "warning",
    message: `\`${path}\` is written in an older format (${format}), not as ${shape}`,
    expected: shape,
    actual: format,
  });
  return true;
}
