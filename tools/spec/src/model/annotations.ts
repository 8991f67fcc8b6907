/**
 * The `semtrace` annotations (spec/README.md §2.5) in one declarative table: every name, where it may be
 * written, what its value must be, and how it reads into the typed model. Validation reports names and
 * values that do not fit (`annotation.*` diagnostics, validate/rules/annotations.ts); resolution reads the
 * rest into the typed fields below, which are all the emitters ever see of annotations.
 */
import type { RawAnnotation, RawSemtraceAnnotations, RawType } from "./raw.js";

/**
 * Where an annotation may be written: an attribute definition, a group of one of these types, or a property of a
 * JSON shape (`json_object` groups, spec/README.md §2.8).
 */
export type AnnotationTarget =
  | "attribute"
  | "span"
  | "attribute_group"
  | "object"
  | "json_object"
  | "json_union"
  | "property";

/** The JSON shape a `format: json` attribute holds (`shape: list[<json group>]` or `object[<json group>]`). */
export interface ShapeRef {
  readonly kind: "list" | "object";
  /** The id of a `json_object` or `json_union` group. */
  readonly shape: string;
}

/** Which redaction groups hide an attribute (`redact`, spec/README.md §2.5). */
export type Redaction =
  | { readonly kind: "groups"; readonly groups: readonly string[] }
  /** The map form: groups depend on the span-level attribute a flattened key starts from. */
  | { readonly kind: "by-top-level-key"; readonly groups: Readonly<Record<string, readonly string[]>> };

/** What `annotations.semtrace` says about an attribute definition. */
export interface AttributeAnnotations {
  /** `content`: the value may carry user or model content. */
  readonly sensitivity?: "content";
  readonly redact?: Redaction;
  /** `json`: the string always holds serialized JSON. */
  readonly format?: "json";
  /** Keys whose presence makes a `conditionally_required` attribute required. */
  readonly requiredWith: readonly string[];
  /** The enum is closed: values outside its members are wrong. */
  readonly closed: boolean;
  /** The key is deliberately both a leaf and the prefix of other keys. */
  readonly prefix: boolean;
  /** Consumers also accept the array JSON-encoded in one string. */
  readonly acceptsJsonString: boolean;
  /** Consumers also accept a JSON attribute in structured form (an array or a map). */
  readonly acceptsStructured: boolean;
  /** A context key (`session.id`): stamped on every span of a request, it never makes the registry judge a span. */
  readonly context: boolean;
  /** The builder input path (`promptTemplate.template` → `["promptTemplate", "template"]`), overriding the derived one. */
  readonly input?: readonly string[];
  /** Builders lower-case the value. */
  readonly lowercase: boolean;
  /** Keys whose builder inputs are used, in order, when this one's is not given. */
  readonly defaultFrom: readonly string[];
  /** The key of this attribute's MIME-type attribute: builders accept any value and set the MIME type. */
  readonly mimeType?: string;
  /** The JSON shape the value holds: validators check its content, not only that it parses. */
  readonly shape?: ShapeRef;
  /**
   * With `shape`: text that is not JSON is an older or other form of the content (`plain_text`: what producers
   * write, named in the warning) rather than a JSON syntax error.
   */
  readonly plainText?: string;
}

/** What `annotations.semtrace` says about a `json_object` group. */
export interface JsonObjectAnnotations {
  /** Properties it does not define are allowed (JSON Schema's `additionalProperties: true`). */
  readonly open: boolean;
  /** Shapes written before this one (older instrumentations): a value that matches one gets a warning naming it. */
  readonly legacy: readonly string[];
}

/** What `annotations.semtrace` says about a `json_union` group. */
export interface JsonUnionAnnotations {
  /** The property whose value picks the alternative. */
  readonly discriminator?: string;
  /** The alternatives: `json_object` groups. */
  readonly oneOf: readonly string[];
}

/** What `annotations.semtrace` says about a property of a JSON shape. */
export interface PropertyAnnotations {
  /** `null` is a value it may hold. */
  readonly nullable: boolean;
  /** Bytes: a (base64) string in JSON text, or raw bytes in the structured form. */
  readonly binary: boolean;
  /** The enum is closed. */
  readonly closed: boolean;
}

export interface SpanAnnotations {
  /** The value of the registry's span-kind attribute this span definition describes. */
  readonly spanKind?: string;
  /** The builder's name (`build<Name>Attributes`). */
  readonly builder?: string;
  /** Stripped from keys to name builder input fields. */
  readonly inputPrefix?: string;
}

export interface AttributeGroupAnnotations {
  readonly builder?: string;
  readonly inputPrefix?: string;
}

export interface ObjectAnnotations {
  /** The name of the structure's builder input type. */
  readonly typeName?: string;
  readonly inputPrefix?: string;
}

/** Returned by a value reader for a value of the wrong form. */
const INVALID: unique symbol = Symbol("invalid");
type Read<T> = (value: unknown) => T | typeof INVALID;

export interface AnnotationSpec {
  readonly on: readonly AnnotationTarget[];
  /** The value's form, for messages: "true or false", "a list of keys". */
  readonly expected: string;
  readonly read: Read<unknown>;
  /** Attribute types it applies to (definitions only), and how to say so. */
  readonly types?: { readonly accepts: (type: RawType) => boolean; readonly text: string };
  /** The value names attribute keys of the registry (`annotation.unresolved` when one is not defined). */
  readonly namesKeys?: true;
  /** The value names JSON shape groups (`shape.unresolved` when one is not defined). */
  readonly namesShapes?: true;
}

const flag: Read<boolean> = (v) => (typeof v === "boolean" ? v : INVALID);
const text: Read<string> = (v) => (typeof v === "string" ? v : INVALID);
const nonEmpty: Read<string> = (v) => (typeof v === "string" && v.length > 0 ? v : INVALID);
const keyList: Read<readonly string[]> = (v) =>
  Array.isArray(v) && v.length > 0 && v.every((k) => typeof k === "string" && k.length > 0) ? (v as string[]) : INVALID;
const pascalName: Read<string> = (v) => (typeof v === "string" && /^[A-Z][A-Za-z0-9]*$/.test(v) ? v : INVALID);
const inputPath: Read<readonly string[]> = (v) =>
  typeof v === "string" && /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(v) ? v.split(".") : INVALID;
const oneOf =
  <T extends string>(...values: T[]): Read<T> =>
  (v) =>
    values.includes(v as T) ? (v as T) : INVALID;

/** A list of group ids. */
const groupIds: Read<readonly string[]> = (v) =>
  Array.isArray(v) && v.length > 0 && v.every((k) => typeof k === "string" && /^[A-Za-z0-9_.-]+$/.test(k))
    ? (v as string[])
    : INVALID;

/** `list[<group id>]` or `object[<group id>]`. */
const shapeRef: Read<ShapeRef> = (v) => {
  const match = typeof v === "string" ? /^(list|object)\[([A-Za-z0-9_.-]+)\]$/.exec(v.trim()) : null;
  return match ? { kind: match[1] as "list" | "object", shape: match[2]! } : INVALID;
};

/** A JSON property name (the discriminator): a non-empty name without dots or brackets, which paths use. */
const propertyName: Read<string> = (v) => (typeof v === "string" && /^[A-Za-z_$][\w$-]*$/.test(v) ? v : INVALID);

/** A group name or a list of them. */
const groupNames: Read<readonly string[]> = (v) => (nonEmpty(v) !== INVALID ? [v as string] : keyList(v));

const redaction: Read<Redaction> = (v) => {
  const groups = groupNames(v);
  if (groups !== INVALID) return { kind: "groups", groups };
  if (typeof v !== "object" || v === null || Array.isArray(v)) return INVALID;
  const byKey: Record<string, readonly string[]> = Object.create(null) as Record<string, readonly string[]>;
  for (const [key, value] of Object.entries(v)) {
    const named = groupNames(value);
    if (named === INVALID) return INVALID;
    byKey[key] = named;
  }
  return Object.keys(byKey).length > 0 ? { kind: "by-top-level-key", groups: byKey } : INVALID;
};

const isString = (t: RawType) => t.kind === "primitive" && t.name === "string";
const isArray = (t: RawType) => t.kind === "primitive" && t.name.endsWith("[]");
const isEnum = (t: RawType) => t.kind === "enum";
const isStringLike = (t: RawType) =>
  isString(t) || (t.kind === "enum" && t.members.every((m) => typeof m.value === "string"));

const ATTRIBUTE: readonly AnnotationTarget[] = ["attribute"];
const PROPERTY: readonly AnnotationTarget[] = ["property"];

/** Every `semtrace` annotation. Adding one: a line here, its field in the typed model, a row in spec/README.md §2.5. */
export const SEMTRACE_ANNOTATIONS = {
  sensitivity: { on: ATTRIBUTE, expected: "`content`", read: oneOf("content") },
  redact: {
    on: ATTRIBUTE,
    expected: "a redaction group, a list of them, or a map of span-level keys to them",
    read: redaction,
  },
  format: {
    on: ATTRIBUTE,
    expected: "`json`",
    read: oneOf("json"),
    types: { accepts: isString, text: "`string` attributes" },
  },
  required_with: { on: ATTRIBUTE, expected: "a list of keys", read: keyList, namesKeys: true },
  closed: {
    on: ["attribute", "property"],
    expected: "true or false",
    read: flag,
    types: { accepts: isEnum, text: "enum attributes" },
  },
  prefix: { on: ATTRIBUTE, expected: "true or false", read: flag },
  accepts_json_string: {
    on: ATTRIBUTE,
    expected: "true or false",
    read: flag,
    types: { accepts: isArray, text: "array attributes" },
  },
  accepts_structured: {
    on: ATTRIBUTE,
    expected: "true or false",
    read: flag,
    types: { accepts: isString, text: "`string` attributes with `format: json`" },
  },
  context: { on: ATTRIBUTE, expected: "true or false", read: flag },
  span_kind: { on: ["span"], expected: "a span-kind value (a string)", read: text },
  builder: { on: ["span", "attribute_group"], expected: "a PascalCase name", read: pascalName },
  input_prefix: { on: ["span", "attribute_group", "object"], expected: 'a key prefix or ""', read: text },
  type_name: { on: ["object"], expected: "a PascalCase name", read: pascalName },
  input: { on: ATTRIBUTE, expected: "a dotted camelCase path (`promptTemplate.template`)", read: inputPath },
  lowercase: {
    on: ATTRIBUTE,
    expected: "true or false",
    read: flag,
    types: { accepts: isStringLike, text: "string attributes" },
  },
  default_from: { on: ATTRIBUTE, expected: "a list of keys", read: keyList, namesKeys: true },
  mime_type: {
    on: ATTRIBUTE,
    expected: "the key of its MIME-type attribute",
    read: nonEmpty,
    types: { accepts: isString, text: "`string` attributes" },
    namesKeys: true,
  },
  shape: {
    on: ATTRIBUTE,
    expected: "`list[<json group>]` or `object[<json group>]`",
    read: shapeRef,
    types: { accepts: isString, text: "`string` attributes with `format: json`" },
    namesShapes: true,
  },
  plain_text: {
    on: ATTRIBUTE,
    expected: "the name of the plain-text form producers write (text)",
    read: nonEmpty,
    types: { accepts: isString, text: "`string` attributes with `format: json` and a `shape`" },
  },
  open: { on: ["json_object"], expected: "true or false", read: flag },
  legacy: { on: ["json_object"], expected: "a list of `json_object` group ids", read: groupIds, namesShapes: true },
  discriminator: { on: ["json_union"], expected: "a property name", read: propertyName },
  one_of: { on: ["json_union"], expected: "a list of `json_object` group ids", read: groupIds, namesShapes: true },
  nullable: { on: PROPERTY, expected: "true or false", read: flag },
  binary: {
    on: PROPERTY,
    expected: "true or false",
    read: flag,
    types: { accepts: isString, text: "`string` properties" },
  },
} as const satisfies Readonly<Record<string, AnnotationSpec>>;

export type AnnotationName = keyof typeof SEMTRACE_ANNOTATIONS;

export function annotationSpec(name: string): AnnotationSpec | undefined {
  return Object.hasOwn(SEMTRACE_ANNOTATIONS, name) ? SEMTRACE_ANNOTATIONS[name as AnnotationName] : undefined;
}

/** The value of one annotation, or undefined when it is absent, unknown, or of the wrong form. */
export function readAnnotation(entry: RawAnnotation): unknown {
  const value = annotationSpec(entry.name)?.read(entry.value);
  return value === INVALID ? undefined : value;
}

/** True when `entry`'s value has the form its annotation needs. */
export function isValidAnnotation(entry: RawAnnotation): boolean {
  const spec = annotationSpec(entry.name);
  return spec !== undefined && spec.read(entry.value) !== INVALID;
}

/** The keys an annotation's value names (for `annotation.unresolved`), empty for the others. */
export function keysNamedBy(entry: RawAnnotation): readonly string[] {
  const spec = annotationSpec(entry.name);
  if (!spec?.namesKeys) return [];
  const value = readAnnotation(entry);
  return typeof value === "string" ? [value] : Array.isArray(value) ? (value as string[]) : [];
}

/** The JSON shape group ids an annotation's value names (for `shape.unresolved`), empty for the others. */
export function shapesNamedBy(entry: RawAnnotation): readonly string[] {
  const spec = annotationSpec(entry.name);
  if (!spec?.namesShapes) return [];
  const value = readAnnotation(entry);
  return Array.isArray(value) ? (value as string[]) : value !== undefined ? [(value as ShapeRef).shape] : [];
}

/** name → value of the valid entries that may be written on `target`. */
function valid(raw: RawSemtraceAnnotations | undefined, target: AnnotationTarget): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const entry of raw?.entries ?? []) {
    const spec = annotationSpec(entry.name);
    const value = readAnnotation(entry);
    if (spec?.on.includes(target) && value !== undefined && !out.has(entry.name)) out.set(entry.name, value);
  }
  return out;
}

function optional<K extends string, V>(name: K, value: unknown): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

export function attributeAnnotations(raw: RawSemtraceAnnotations | undefined): AttributeAnnotations {
  const v = valid(raw, "attribute");
  return {
    ...optional<"sensitivity", "content">("sensitivity", v.get("sensitivity")),
    ...optional<"redact", Redaction>("redact", v.get("redact")),
    ...optional<"format", "json">("format", v.get("format")),
    requiredWith: (v.get("required_with") as readonly string[] | undefined) ?? [],
    closed: v.get("closed") === true,
    prefix: v.get("prefix") === true,
    acceptsJsonString: v.get("accepts_json_string") === true,
    acceptsStructured: v.get("accepts_structured") === true,
    context: v.get("context") === true,
    ...optional<"input", readonly string[]>("input", v.get("input")),
    lowercase: v.get("lowercase") === true,
    defaultFrom: (v.get("default_from") as readonly string[] | undefined) ?? [],
    ...optional<"mimeType", string>("mimeType", v.get("mime_type")),
    ...optional<"shape", ShapeRef>("shape", v.get("shape")),
    ...optional<"plainText", string>("plainText", v.get("plain_text")),
  };
}

export function jsonObjectAnnotations(raw: RawSemtraceAnnotations | undefined): JsonObjectAnnotations {
  const v = valid(raw, "json_object");
  return { open: v.get("open") === true, legacy: (v.get("legacy") as readonly string[] | undefined) ?? [] };
}

export function jsonUnionAnnotations(raw: RawSemtraceAnnotations | undefined): JsonUnionAnnotations {
  const v = valid(raw, "json_union");
  return {
    ...optional<"discriminator", string>("discriminator", v.get("discriminator")),
    oneOf: (v.get("one_of") as readonly string[] | undefined) ?? [],
  };
}

export function propertyAnnotations(raw: RawSemtraceAnnotations | undefined): PropertyAnnotations {
  const v = valid(raw, "property");
  return { nullable: v.get("nullable") === true, binary: v.get("binary") === true, closed: v.get("closed") === true };
}

export function spanAnnotations(raw: RawSemtraceAnnotations | undefined): SpanAnnotations {
  const v = valid(raw, "span");
  return {
    ...optional<"spanKind", string>("spanKind", v.get("span_kind")),
    ...optional<"builder", string>("builder", v.get("builder")),
    ...optional<"inputPrefix", string>("inputPrefix", v.get("input_prefix")),
  };
}

export function attributeGroupAnnotations(raw: RawSemtraceAnnotations | undefined): AttributeGroupAnnotations {
  const v = valid(raw, "attribute_group");
  return {
    ...optional<"builder", string>("builder", v.get("builder")),
    ...optional<"inputPrefix", string>("inputPrefix", v.get("input_prefix")),
  };
}

export function objectAnnotations(raw: RawSemtraceAnnotations | undefined): ObjectAnnotations {
  const v = valid(raw, "object");
  return {
    ...optional<"typeName", string>("typeName", v.get("type_name")),
    ...optional<"inputPrefix", string>("inputPrefix", v.get("input_prefix")),
  };
}

/** True when the raw annotations set `name` to `true` (for validation rules that run before resolution). */
export function hasFlag(raw: RawSemtraceAnnotations | undefined, name: AnnotationName): boolean {
  return raw?.entries.some((e) => e.name === name && e.value === true) ?? false;
}
