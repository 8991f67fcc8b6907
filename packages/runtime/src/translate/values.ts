/** Reading and checking attribute values for translation: never throws, never calls into user objects. */
import { safeJsonStringify } from "../json.js";
import type { TranslationValueType } from "./plan.js";

/** What a translated attribute holds (an OpenTelemetry attribute value without null entries). */
export type TranslatedValue = string | number | boolean | string[] | number[] | boolean[];

/** Why an attribute was not carried over. The ids are stable: tooling may filter or count by them. */
export const TRANSLATION_RULES = {
  /** The target convention has no counterpart for it (OpenInference's cost, GenAI's response id). */
  NO_COUNTERPART: "translation.no-counterpart",
  /** Its value could not be carried: the wrong type, JSON that does not parse, a structure missing what the target needs. */
  VALUE: "translation.value",
  /** A fallback place said something else than the one carried (a response model beside another request model). */
  CONFLICT: "translation.conflict",
  /** The translation stopped (a hostile attributes object); what was translated before is kept. */
  FAILED: "translation.failed",
} as const;

export type TranslationRuleId = (typeof TRANSLATION_RULES)[keyof typeof TRANSLATION_RULES];

/** One attribute the translation could not carry over, and why. */
export interface UnmappedAttribute {
  /** The source key; `key#field` for a field of a JSON attribute, `key[i].parts[j]` inside GenAI's JSON messages. */
  readonly key: string;
  readonly rule: TranslationRuleId;
  readonly reason: string;
}

/**
 * A JSON object as the engine reads it: any properties, those it reads declared, so that code compiles under
 * `noPropertyAccessFromIndexSignature` too.
 */
export interface JsonObject {
  [key: string]: unknown;
  type?: unknown;
  role?: unknown;
  parts?: unknown;
  name?: unknown;
  id?: unknown;
  content?: unknown;
  response?: unknown;
  arguments?: unknown;
  modality?: unknown;
  mime_type?: unknown;
  uri?: unknown;
  finish_reason?: unknown;
  function?: unknown;
  score?: unknown;
}

export function isPlainObject(value: unknown): value is JsonObject {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** JSON text parsed, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not reported: "not JSON" is the answer; callers decide what text that is not JSON means.
    return undefined;
  }
}

/** A JSON attribute's value as data: JSON text parsed, a structured value (array or map) as it is. */
export function jsonValue(value: unknown): unknown {
  if (typeof value === "string") return parseJson(value);
  if (Array.isArray(value) || isPlainObject(value)) return value;
  return undefined;
}

/** Serialised JSON for a JSON attribute; text already JSON is kept as it is. */
export function jsonText(value: unknown): string | undefined {
  if (typeof value === "string") return parseJson(value) === undefined ? undefined : value;
  return safeJsonStringify(value);
}

const describe = (value: unknown): string =>
  Array.isArray(value) ? "an array" : value === null ? "null" : typeof value;

/**
 * `value` as the receiving side's `type`, or a string saying why it cannot be (for the unmapped list). A number
 * where a string is expected is not converted: that would change what a consumer reads.
 */
export function coerce(value: unknown, type: TranslationValueType): TranslatedValue | { readonly problem: string } {
  switch (type) {
    case "string":
      if (typeof value === "string") return value;
      break;
    case "text":
      if (typeof value === "string") return value;
      if (Array.isArray(value) || isPlainObject(value)) return safeJsonStringify(value);
      break;
    case "int":
      if (typeof value === "number" && Number.isSafeInteger(value)) return value;
      break;
    case "double":
      if (typeof value === "number" && Number.isFinite(value)) return value;
      break;
    case "boolean":
      if (typeof value === "boolean") return value;
      break;
    case "string[]":
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
      if (typeof value === "string") return [value];
      break;
    case "int[]":
    case "double[]":
      if (
        Array.isArray(value) &&
        value.every((v) => typeof v === "number" && (type === "double[]" || Number.isSafeInteger(v)))
      )
        return value as number[];
      break;
    case "boolean[]":
      if (Array.isArray(value) && value.every((v) => typeof v === "boolean")) return value as boolean[];
      break;
    case "json": {
      const text = jsonText(value);
      if (text !== undefined) return text;
      return { problem: "expected JSON text, found text that does not parse" };
    }
    case "any":
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
      return safeJsonStringify(value);
  }
  return { problem: `expected ${type}, found ${describe(value)}` };
}

export function isProblem(
  value: TranslatedValue | { readonly problem: string },
): value is { readonly problem: string } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The reason for `key` in `reasons`: its own, else that of the longest prefix it is under. */
export function reasonFor(key: string, reasons: Readonly<Record<string, string>>, fallback: string): string {
  let at = key.length;
  let candidate = key;
  for (;;) {
    if (Object.hasOwn(reasons, candidate)) return reasons[candidate]!;
    at = candidate.lastIndexOf(".");
    if (at <= 0) return fallback;
    candidate = candidate.slice(0, at);
  }
}

/** True when `key` is `prefix` or under it. */
export function isUnder(key: string, prefix: string): boolean {
  return (
    key === prefix || (key.length > prefix.length && key.charCodeAt(prefix.length) === 46 && key.startsWith(prefix))
  );
}

/**
 * JSON text of data the translation built itself from strings and parsed JSON (no cycles, no getters, nothing of
 * the user's to call): `JSON.stringify` directly, which is several times faster than the safe serialiser; anything
 * it refuses still goes through `safeJsonStringify`.
 */
export function builtJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    if (text !== undefined) return text;
  } catch {
    // Not reported: what JSON.stringify refuses goes to the safe serialiser below, which describes it.
  }
  return safeJsonStringify(value);
}
