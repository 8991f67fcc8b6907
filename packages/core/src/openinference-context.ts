/**
 * Context set with `@arizeai/openinference-core` (`setSession`, `setUser`, `setMetadata`, `setTags`,
 * `setPromptTemplate`, `setAttributes`), read and written without depending on it: its context keys are
 * `createContextKey("OpenInference SDK Context Key <key>")`, and the OpenTelemetry API's `createContextKey` is
 * `Symbol.for`, so these are the very same keys. Its values are what its setters store: strings, with metadata,
 * tags, prompt-template variables and extra attributes (`setAttributes`) as JSON text.
 */
import { createContextKey, type AttributeValue, type Context } from "@opentelemetry/api";

const key = (name: string) => createContextKey(`OpenInference SDK Context Key ${name}`);

/** Attribute key → its OpenInference context key, for the values kept as the attribute's own string. */
const STRING_KEYS = [
  ["session.id", key("session.id")],
  ["user.id", key("user.id")],
  ["metadata", key("metadata")],
  ["llm.prompt_template.template", key("llm.prompt_template.template")],
  ["llm.prompt_template.variables", key("llm.prompt_template.variables")],
  ["llm.prompt_template.version", key("llm.prompt_template.version")],
] as const;
const TAGS_KEY = key("tag.tags");
const ATTRIBUTES_KEY = key("attributes");

/** The raw values of OpenInference's context keys in a context, by attribute key (`attributes` for setAttributes). */
export type OpenInferenceRaw = Readonly<Record<string, unknown>>;

const ALL_KEYS: readonly (readonly [string, symbol])[] = [
  ...STRING_KEYS,
  ["tag.tags", TAGS_KEY],
  ["attributes", ATTRIBUTES_KEY],
];

/** The raw values `ctx` holds under OpenInference's keys (cheap: no parsing), or undefined when it holds none. */
export function openInferenceRaw(ctx: Context): OpenInferenceRaw | undefined {
  let out: Record<string, unknown> | undefined;
  for (const [attribute, contextKey] of ALL_KEYS) {
    const value = ctx.getValue(contextKey);
    if (value !== undefined) (out ??= {})[attribute] = value;
  }
  return out;
}

function tagsOf(value: unknown): string[] | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every((t) => typeof t === "string") ? (parsed as string[]) : undefined;
  } catch {
    // Not reported: openinference-core writes tags as JSON text; other text is not tags and is left off, as it
    // leaves off values of the wrong type.
    return undefined;
  }
}

function isAttributeValue(value: unknown): value is AttributeValue {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return true;
  return (
    Array.isArray(value) &&
    value.every((v) => v === null || v === undefined || ["string", "number", "boolean"].includes(typeof v))
  );
}

/**
 * The attributes OpenInference's tracer would write for the raw values of `raw` that are not those of `except`
 * (what semtrace itself mirrored there: compared by identity, so nothing is parsed or copied for them).
 */
export function openInferenceAttributes(
  raw: OpenInferenceRaw,
  except: OpenInferenceRaw | undefined,
): Record<string, AttributeValue> | undefined {
  let out: Record<string, AttributeValue> | undefined;
  for (const [attribute, value] of Object.entries(raw)) {
    if (except !== undefined && except[attribute] === value) continue;
    if (attribute === "tag.tags") {
      const tags = tagsOf(value);
      if (tags) (out ??= {})[attribute] = tags;
    } else if (attribute === "attributes") {
      // setAttributes stores its object as JSON text.
      let extra = value;
      if (typeof extra === "string") {
        try {
          extra = JSON.parse(extra) as unknown;
        } catch {
          // Not reported: setAttributes writes JSON text; other text holds no attributes to stamp.
          extra = undefined;
        }
      }
      if (typeof extra === "object" && extra !== null && !Array.isArray(extra)) {
        for (const [k, v] of Object.entries(extra)) if (isAttributeValue(v)) (out ??= {})[k] = v;
      }
    } else if (typeof value === "string") (out ??= {})[attribute] = value;
  }
  return out;
}

/**
 * `ctx` with `attributes` (semtrace's context attributes) also stored where OpenInference's tracer reads them, so
 * spans of OpenInference instrumentations inside semtrace's `withContext` carry them too.
 */
export function withOpenInferenceValues(ctx: Context, attributes: Readonly<Record<string, AttributeValue>>): Context {
  let out = ctx;
  for (const [attribute, contextKey] of STRING_KEYS) {
    const value = attributes[attribute];
    if (typeof value === "string" && ctx.getValue(contextKey) !== value) out = out.setValue(contextKey, value);
  }
  const tags = attributes["tag.tags"];
  if (Array.isArray(tags)) out = out.setValue(TAGS_KEY, JSON.stringify(tags));
  return out;
}
