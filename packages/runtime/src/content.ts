/**
 * Content checks of JSON attributes whose shape the registry records (`semtrace.shape`, spec/README.md §2.8): the
 * helpers the generated shape checks call. A generated check walks one value (`check<Shape>(value, ctx)`); these
 * helpers do what is the same for every shape: parsing the JSON text (or taking the structured value an OTLP
 * `arrayValue` / `kvlistValue` decodes to), type checks of properties, and wording the findings. Every finding's
 * `key` is the JSON path of what it is about (`gen_ai.input.messages[1].parts[0].type`), and one value reports at
 * most {@link MAX_CONTENT_FINDINGS} findings.
 *
 * The path of the value being checked is a stack of segments in the context (property names and list indices),
 * pushed and popped as the check descends: a path string is built only for a finding, so a valid value costs no
 * string building at all.
 */
import { checkJson, enumFinding, isJsonText, isType, type ValueType } from "./checks.js";
import { describeValue, RULES, type Finding } from "./findings.js";
import type { ValidationContext } from "./validator.js";

/** The check of one value of a shape, at the context's current path. */
export type ContentCheck = (value: unknown, ctx: ValidationContext) => void;

/** Findings one attribute value may report; past it one `content.truncated` finding says how the rest were dropped. */
export const MAX_CONTENT_FINDINGS = 100;

/**
 * The longest JSON text (in characters) whose content is checked, by default (`ValidateOptions.maxContentChars`).
 * Checking builds the parsed value: up to ~35 bytes of memory per character of dense text (`[{},{},…]`), so 1 Mi
 * characters cost at most ~35 MiB. Longer text is checked for its syntax only, without building anything, and an
 * info (`content.not-checked`) says so.
 */
export const DEFAULT_MAX_CONTENT_CHARS = 1024 * 1024;

/** A JSON object: from JSON text, or a kvlist as decoded from OTLP (an object that is not an array or bytes). */
export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * The content check of a JSON attribute: JSON text is parsed (text that does not parse is `value.json`), a
 * structured value (an array or a map, when `structured`) is taken as it is, and the result is checked as a
 * list of `element` values (`list`) or as one. Anything else is `value.type`. With `plainText` (the name of a
 * plain-text form producers write, `semtrace.plain_text`), text that is not JSON and does not start like a JSON
 * array, object or string is that form: one `content.legacy-format` warning naming it.
 */
export function checkJsonContent(
  key: string,
  value: unknown,
  ctx: ValidationContext,
  element: ContentCheck,
  list: boolean,
  structured: boolean,
  plainText?: string,
): void {
  let content: unknown;
  if (typeof value === "string") {
    if (plainText !== undefined && isPlainText(value)) {
      ctx.report({
        key,
        rule: RULES.CONTENT_LEGACY,
        severity: "warning",
        message: `\`${key}\` holds plain text, not JSON text: written in another format (${plainText}) than the JSON the conventions ask for`,
        expected: "JSON text",
        actual: plainText,
      });
      return;
    }
    if (value.length > ctx.maxContentChars) {
      checkJson(key, value, ctx);
      ctx.report({
        key,
        rule: RULES.CONTENT_NOT_CHECKED,
        severity: "info",
        message: `\`${key}\` holds ${value.length} characters of JSON text, more than the ${ctx.maxContentChars} whose content is checked: only its syntax was checked`,
        expected: `at most ${ctx.maxContentChars} characters`,
        actual: `${value.length} characters`,
      });
      return;
    }
    try {
      content = JSON.parse(value);
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
      return;
    }
  } else if (structured && typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    content = value;
  } else {
    const expected = structured ? "JSON text or a structured value (an array or a map)" : "a string of JSON text";
    ctx.report({
      key,
      rule: RULES.TYPE,
      severity: "error",
      message: `\`${key}\` must be ${expected}, found ${describeValue(value)}`,
      expected,
      actual: describeValue(value),
    });
    return;
  }
  ctx.contentBudget = MAX_CONTENT_FINDINGS;
  const path = ctx.contentPath;
  path[0] = key;
  ctx.contentDepth = 1;
  try {
    if (list) checkContentList(content, element, ctx);
    else element(content, ctx);
  } catch (error) {
    // Not reported: the failure is the finding. Only a structured value handed in by a caller (not JSON text, not
    // OTLP) can throw: a getter, a proxy.
    const at = contentPath(ctx);
    ctx.report({
      key: at,
      rule: RULES.CONTENT_TYPE,
      severity: "error",
      message: `\`${at}\` could not be read: ${error instanceof Error ? error.message : String(error)}`,
      expected: "plain JSON values",
    });
  } finally {
    ctx.contentBudget = 0;
    ctx.contentDepth = 0;
  }
}

/**
 * True for text that is not JSON and was not meant as JSON: it does not start (after white space) like an array, an
 * object or a string, which broken JSON would. Text that starts otherwise is a number or a literal when it is JSON,
 * which the scanner tells without building anything, whatever its length.
 */
function isPlainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c === 0x5b || c === 0x7b || c === 0x22) return false; // [ { "
    break;
  }
  return !isJsonText(text);
}

/** The JSON path of the value being checked, with `name` appended when given: `gen_ai.input.messages[1].parts`. */
export function contentPath(ctx: ValidationContext, name?: string): string {
  const segments = ctx.contentPath;
  let out = String(segments[0]);
  for (let i = 1; i < ctx.contentDepth; i++) {
    const segment = segments[i];
    out += typeof segment === "number" ? `[${segment}]` : `.${segment!}`;
  }
  return name === undefined ? out : `${out}.${name}`;
}

/** Reports a content finding within the value's budget. */
function report(ctx: ValidationContext, finding: Finding): void {
  const left = ctx.contentBudget--;
  if (left > 0) ctx.report(finding);
  else if (left === 0) {
    ctx.report({
      key: finding.key,
      rule: RULES.CONTENT_TRUNCATED,
      severity: "info",
      message: `more findings in this value are not listed: at most ${MAX_CONTENT_FINDINGS} are reported per attribute value`,
      expected: `at most ${MAX_CONTENT_FINDINGS} findings`,
    });
  }
}

/** An array whose elements `element` checks, at the current path (elements at `[i]` under it). */
export function checkContentList(value: unknown, element: ContentCheck, ctx: ValidationContext): void {
  if (!Array.isArray(value)) {
    reportContentType("an array", value, ctx);
    return;
  }
  const path = ctx.contentPath;
  const depth = ctx.contentDepth++;
  for (let i = 0; i < value.length; i++) {
    path[depth] = i;
    element(value[i], ctx);
  }
  ctx.contentDepth = depth;
}

/** The array property `name` of the object at the current path. */
export function checkContentListProperty(
  value: unknown,
  name: string,
  element: ContentCheck,
  nullable: boolean,
  ctx: ValidationContext,
): void {
  if (value === null && nullable) return;
  const depth = ctx.contentDepth++;
  ctx.contentPath[depth] = name;
  checkContentList(value, element, ctx);
  ctx.contentDepth = depth;
}

/** The object property `name` of the object at the current path, checked by `check`. */
export function checkContentObjectProperty(
  value: unknown,
  name: string,
  check: ContentCheck,
  nullable: boolean,
  ctx: ValidationContext,
): void {
  if (value === null && nullable) return;
  const depth = ctx.contentDepth++;
  ctx.contentPath[depth] = name;
  check(value, ctx);
  ctx.contentDepth = depth;
}

/** The value at the current path (or its property `name`) has the wrong type. */
export function reportContentType(expected: string, value: unknown, ctx: ValidationContext, name?: string): void {
  const path = contentPath(ctx, name);
  const actual =
    value === null
      ? "null"
      : Array.isArray(value)
        ? "an array"
        : value instanceof Uint8Array
          ? "bytes"
          : describeValue(value);
  report(ctx, {
    key: path,
    rule: RULES.CONTENT_TYPE,
    severity: "error",
    message: `\`${path}\` must be ${expected}, found ${actual}`,
    expected,
    actual,
  });
}

/** A required property missing from the `shape` object at the current path. */
export function reportContentMissing(name: string, shape: string, ctx: ValidationContext): void {
  const key = contentPath(ctx, name);
  report(ctx, {
    key,
    rule: RULES.CONTENT_REQUIRED,
    severity: "error",
    message: `\`${key}\` is missing: ${shape} requires \`${name}\``,
    expected: name,
  });
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

/**
 * A primitive property `name` (`any` needs no check); `binary` strings may also be raw bytes. Generated code tests
 * the common case (`typeof value === "string"`) inline and calls this for the rest.
 */
export function checkContentValue(
  value: unknown,
  name: string,
  type: ValueType,
  nullable: boolean,
  binary: boolean,
  ctx: ValidationContext,
): void {
  if (
    value === null
      ? nullable
      : isType(value, type)
        ? !type.endsWith("[]") || elementsOf(value as readonly unknown[], type)
        : binary && value instanceof Uint8Array
  )
    return;
  const words = TYPE_WORDS[type] ?? type;
  reportContentType(`${words}${binary ? " (base64) or bytes" : ""}${nullable ? " or null" : ""}`, value, ctx, name);
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
export function checkContentEnum(
  value: unknown,
  name: string,
  members: ReadonlySet<unknown>,
  type: "string" | "int" | "boolean",
  closed: boolean,
  nullable: boolean,
  ctx: ValidationContext,
): void {
  if (members.has(value) || (value === null && nullable)) return;
  if (!isType(value, type)) {
    reportContentType(`${TYPE_WORDS[type]!}${nullable ? " or null" : ""}`, value, ctx, name);
    return;
  }
  report(ctx, enumFinding(contentPath(ctx, name), RULES.CONTENT_ENUM, value, members, closed));
}

/** A union value whose discriminator picks no alternative (unions without a fallback). */
export function reportContentDiscriminator(
  value: Readonly<Record<string, unknown>>,
  name: string,
  members: ReadonlySet<unknown>,
  shape: string,
  ctx: ValidationContext,
): void {
  const found = value[name];
  if (found === undefined) {
    reportContentMissing(name, shape, ctx);
    return;
  }
  const key = contentPath(ctx, name);
  const list = [...members].map((m) => JSON.stringify(m)).join(", ");
  report(ctx, {
    key,
    rule: RULES.CONTENT_ENUM,
    severity: "error",
    message: `\`${key}\` must be one of ${list} (${shape}), found ${describeValue(found)}`,
    expected: `one of ${list}`,
    actual: describeValue(found),
  });
}

/** Properties of a closed shape's object that the shape does not define. */
export function checkContentProperties(
  value: Readonly<Record<string, unknown>>,
  known: ReadonlySet<unknown>,
  shape: string,
  ctx: ValidationContext,
): void {
  for (const name of Object.keys(value)) {
    if (known.has(name)) continue;
    const key = contentPath(ctx, name);
    report(ctx, {
      key,
      rule: RULES.CONTENT_UNKNOWN_PROPERTY,
      severity: "error",
      message: `\`${key}\` is not a property of ${shape}: expected one of ${[...known].map((k) => `\`${k}\``).join(", ")}`,
      expected: `a property of ${shape}`,
      actual: name,
    });
  }
}

/**
 * True (and a `content.legacy-format` warning) when the object at the current path, which lacks a property its
 * shape requires, has every property an older shape requires: it was written in that older format, which `format`
 * names. The object is then not checked further.
 */
export function checkLegacyFormat(
  value: Readonly<Record<string, unknown>>,
  required: readonly string[],
  format: string,
  shape: string,
  ctx: ValidationContext,
): boolean {
  for (let i = 0; i < required.length; i++) if (value[required[i]!] === undefined) return false;
  const path = contentPath(ctx);
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
