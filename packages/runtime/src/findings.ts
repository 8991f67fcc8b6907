/** What validators report. Rule ids are stable: tooling may filter or count by them. */

export type Severity = "error" | "warning" | "info";

export const RULES = {
  /** The span has no span-kind attribute (registries that define span kinds). */
  SPAN_KIND_MISSING: "span-kind.missing",
  /** The span kind is not one the registry defines. */
  SPAN_KIND_UNKNOWN: "span-kind.unknown",
  /** The span kind differs from the one the caller expected (`{ kind }` option). */
  SPAN_KIND_MISMATCH: "span-kind.mismatch",
  /** A `required` attribute of the span kind is missing. */
  REQUIRED: "attribute.required",
  /** A `conditionally_required` attribute is missing (its condition is prose; reported as a warning). */
  CONDITIONALLY_REQUIRED: "attribute.conditionally-required",
  /** A `recommended` attribute is missing. */
  RECOMMENDED: "attribute.recommended",
  /** The value has the wrong type (string vs int vs double vs boolean, or an array of the wrong type). */
  TYPE: "value.type",
  /** An array mixes element types. */
  ARRAY_MIXED: "value.array-mixed",
  /** A value outside an enum's members: error for closed enums, info for open ones. */
  ENUM: "value.enum",
  /** A JSON-string attribute that does not parse. */
  JSON: "value.json",
  /** An array sent as one JSON-encoded string, where the registry accepts that form (info). */
  JSON_ENCODED: "value.json-encoded",
  /** Indices of a list should start at 0 and have no gaps (a warning: producers keep a provider's index after a skipped part). */
  INDEX_GAP: "index.gap",
  /** A field under a list index (or nested structure) that the structure does not have. */
  UNKNOWN_FIELD: "index.unknown-field",
  /** A key inside a namespace the registry owns that the registry does not define. */
  UNKNOWN_KEY: "key.unknown",
  /** A deprecated key; the message names the replacement. */
  DEPRECATED: "key.deprecated",
  /** JSON content (`key` is its JSON path) lacks a property its shape requires. */
  CONTENT_REQUIRED: "content.required",
  /** JSON content has a value of the wrong type. */
  CONTENT_TYPE: "content.type",
  /** JSON content has a value outside an enum's members: error for closed enums, info for open ones. */
  CONTENT_ENUM: "content.enum",
  /** JSON content has a property its (closed) shape does not define. */
  CONTENT_UNKNOWN_PROPERTY: "content.unknown-property",
  /** JSON content written in a format older instrumentations used before the current shape (warning). */
  CONTENT_LEGACY: "content.legacy-format",
  /** One attribute value had more content findings than are reported (info). */
  CONTENT_TRUNCATED: "content.truncated",
  /** JSON text longer than the content check's limit: only its syntax was checked (info). */
  CONTENT_NOT_CHECKED: "content.not-checked",
  /** Keys in a namespace of a registry that does not judge the span (info, one per registry): not checked. */
  FOREIGN_KEY: "key.foreign",
} as const;

export type RuleId = (typeof RULES)[keyof typeof RULES];

export interface Finding {
  /**
   * The attribute key the finding is about (the span-kind key for span-kind rules); for the content of a JSON
   * attribute (`content.*` rules), the JSON path inside it: `gen_ai.input.messages[1].parts[0].type`.
   */
  readonly key: string;
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly message: string;
  /** What was expected, in words (`"int"`, `"one of LLM, CHAIN, …"`, `"index 1"`). */
  readonly expected?: string;
  /** What was found, in words or as a short JSON rendering of the value. */
  readonly actual?: string;
}

/** Renders a value for `actual`: short, single-line, never throws. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (Array.isArray(value))
    return `[${value.slice(0, 5).map(describeValue).join(", ")}${value.length > 5 ? ", …" : ""}]`;
  if (typeof value === "number") return Number.isInteger(value) ? `${value} (int)` : `${value} (double)`;
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `${String(value)} (${typeof value})`;
}
