/**
 * JSON Schema (draft 2020-12) of a registry's flat attribute map, for tools outside TypeScript:
 * `properties` for plain keys, `patternProperties` for indexed keys (lists of structures) and
 * open-ended template keys, `additionalProperties: true` because other registries' keys are
 * allowed next to this one's. The emitter returns the document as a value; printing adds the
 * DO-NOT-EDIT `"$comment"`.
 *
 * What the schema states matches the generated validators where JSON Schema can say it: value
 * types (`int` → `integer`, arrays whose elements may also be `null`, as in the OpenTelemetry API),
 * closed enums, keys that carry no value (`namespace`, `list`, `object` and `template` keys
 * themselves). What it cannot say — unknown keys in owned namespaces, index gaps, requirement
 * levels, JSON parsing — is left to the validators; `contentMediaType`, `deprecated` and the open
 * enums' `examples` are annotations.
 */
import {
  flattenRegistry,
  isClosedEnum,
  type Attribute,
  type FlatKey,
  type JsonFile,
  type PrimitiveTypeName,
  type Registry,
} from "@semtrace/spec/internal";

type Schema = Record<string, unknown>;

export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

const SCALAR: Readonly<Record<"string" | "int" | "double" | "boolean", string>> = {
  string: "string",
  int: "integer",
  double: "number",
  boolean: "boolean",
};

/** Escapes text for an ECMA-262 pattern in Unicode mode (where escaping anything else, e.g. `-`, is an error). */
export function regexText(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** The anchored pattern of a flattened key: `^llm\.input_messages\.(0|[1-9][0-9]*)\.message\.role$`. */
export function keyPattern(key: FlatKey, exclude: readonly string[] = []): string {
  const body = key.parts
    .map((p) => (p.kind === "text" ? regexText(p.text) : p.kind === "index" ? "(0|[1-9][0-9]*)" : ".+"))
    .join("");
  const not = exclude.length ? `(?!(?:${exclude.map(regexText).join("|")})$)` : "";
  return `^${not}${body}$`;
}

function primitiveSchema(name: PrimitiveTypeName, attr: Attribute): Schema {
  if (name === "any") return {};
  if (name.endsWith("[]")) {
    const element = SCALAR[name.slice(0, -2) as keyof typeof SCALAR];
    const array = { type: "array", items: { anyOf: [{ type: element }, { type: "null" }] } };
    // Also accepted: the array JSON-encoded in one string (the content is an annotation: validators check it).
    if (attr.semtrace.acceptsJsonString)
      return { anyOf: [array, { type: "string", contentMediaType: "application/json", contentSchema: array }] };
    return array;
  }
  const type = SCALAR[name as keyof typeof SCALAR];
  if (name !== "string" || attr.semtrace.format !== "json") return { type };
  const text = { type, contentMediaType: "application/json" };
  // The structured form (OTLP arrayValue / kvlistValue) is accepted as well.
  return attr.semtrace.acceptsStructured ? { anyOf: [text, { type: "array" }, { type: "object" }] } : text;
}

function description(attr: Attribute): string | undefined {
  const parts = [attr.brief.trim().replace(/\s+/g, " ")].filter(Boolean);
  const dep = attr.deprecated;
  if (dep)
    parts.push(
      dep.renamedTo !== undefined
        ? `Deprecated: use \`${dep.renamedTo}\`.`
        : `Deprecated${dep.note?.trim() ? `: ${dep.note.trim().replace(/\s+/g, " ")}` : "."}`,
    );
  return parts.length ? parts.join(" ") : undefined;
}

/** The schema of the value of one key whose leaf attribute is `attr`. */
function valueSchema(attr: Attribute): Schema {
  const type = attr.type;
  let schema: Schema;
  switch (type.kind) {
    case "primitive":
      schema = primitiveSchema(type.name, attr);
      break;
    case "template":
      schema = primitiveSchema(type.inner, attr);
      break;
    case "enum": {
      const values = [...new Set(type.members.map((m) => m.value))];
      schema = isClosedEnum(attr)
        ? { type: SCALAR[type.valueType], enum: values }
        : { type: SCALAR[type.valueType], examples: values };
      break;
    }
    default:
      // namespace, list, object: the key itself never carries a value.
      schema = { not: {} };
  }
  return withDocs(schema, attr);
}

function withDocs(schema: Schema, attr: Attribute): Schema {
  const text = description(attr);
  return { ...(text ? { description: text } : {}), ...schema, ...(attr.deprecated ? { deprecated: true } : {}) };
}

/** The text every key matching `key`'s pattern starts with: its leading text parts. */
function literalPrefix(key: FlatKey): string {
  let text = "";
  for (const part of key.parts) {
    if (part.kind !== "text") break;
    text += part.text;
  }
  return text;
}

/**
 * `prefix` → the plain keys starting with it, in their original order. A sorted copy and a binary search keep
 * the overlap test of every pattern to the keys it can match (linear in the registry, not quadratic).
 */
function plainKeysByPrefix(keys: readonly string[]): (prefix: string) => string[] {
  const order = new Map(keys.map((k, i) => [k, i]));
  const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return (prefix) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
    return out.sort((a, b) => order.get(a)! - order.get(b)!);
  };
}

export function emitJsonSchema(registry: Registry): JsonFile {
  const properties: Record<string, Schema> = {};
  const define = (key: string, schema: Schema): void => {
    if (!Object.hasOwn(properties, key))
      Object.defineProperty(properties, key, { value: schema, enumerable: true, writable: true, configurable: true });
  };
  for (const attr of registry.attributes) {
    if (!attr.topLevel) continue;
    // A template key itself carries no value either; `<key>.<anything>` is a pattern below.
    define(attr.key, attr.type.kind === "template" ? withDocs({ not: {} }, attr) : valueSchema(attr));
  }
  const flat = flattenRegistry(registry);
  // Fields of top-level `object[...]` keys flatten to plain keys.
  for (const key of flat) if (key.plain) define((key.parts[0] as { text: string }).text, valueSchema(key.attribute));

  const plainKeys = Object.keys(properties);
  const candidates = plainKeysByPrefix(plainKeys);
  const patternProperties: Record<string, Schema> = {};
  const seen = new Set<string>();
  for (const key of flat) {
    if (key.plain) continue;
    const plain = keyPattern(key);
    if (seen.has(plain)) continue;
    seen.add(plain);
    // Plain keys the pattern also matches (the well-known children of a template) are left out of
    // it, so a key is checked by one schema and strict validators see no overlap.
    const matcher = new RegExp(plain, "u");
    const overlap = candidates(literalPrefix(key)).filter((k) => matcher.test(k));
    Object.defineProperty(patternProperties, keyPattern(key, overlap), {
      value: valueSchema(key.attribute),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }

  const json: Schema = {
    $schema: JSON_SCHEMA_DIALECT,
    $id: `urn:semtrace:registry:${encodeURIComponent(registry.name)}:${encodeURIComponent(registry.version)}`,
    title: `${registry.name} ${registry.version} span attributes`,
    description:
      `The flat span attributes of the \`${registry.name}\` registry, version ${registry.version}` +
      (registry.description.trim() ? `: ${registry.description.trim().replace(/\s+/g, " ")}` : ".") +
      " Keys of other registries are allowed (additionalProperties); unknown keys, list index gaps, requirement levels and JSON text are checked by the generated validators, not by this schema.",
    type: "object",
    properties,
    patternProperties,
    additionalProperties: true,
  };
  return { kind: "json", path: "schema.json", document: json };
}
