/** The one table from spec types to TypeScript types. */
import type { PrimitiveTypeName } from "../model/raw.js";
import type { Attribute, ResolvedType } from "../model/resolved.js";
import { union, type TypeNode } from "./code.js";
import { literal } from "./literals.js";

export const PRIMITIVE_TS_TYPES: Readonly<Record<PrimitiveTypeName, string>> = {
  string: "string",
  int: "number",
  double: "number",
  boolean: "boolean",
  "string[]": "string[]",
  "int[]": "number[]",
  "double[]": "number[]",
  "boolean[]": "boolean[]",
  any: "unknown",
};

/**
 * What a span can hold for an attribute typed `any`: every value an OpenTelemetry attribute can carry. Builders
 * still take any input for such a key (and write it as JSON text); the attribute's own type stays assignable to
 * `@opentelemetry/api`'s `Attributes`, which `unknown` is not.
 */
const ANY_ATTRIBUTE_VALUE = "string | number | boolean | string[] | number[] | boolean[]";

/** Enums are open unless the spec closes them (`annotations.semtrace.closed: true`). */
export function isClosedEnum(attr: Attribute): boolean {
  return attr.semtrace.closed;
}

/** The value type of one attribute, or undefined for keys that carry no value (lists, objects, namespaces). */
export function valueTypeOf(attr: Attribute, enumTypeName?: string): TypeNode | undefined {
  const type: ResolvedType = attr.type;
  switch (type.kind) {
    case "primitive":
      return type.name === "any" ? ANY_ATTRIBUTE_VALUE : PRIMITIVE_TS_TYPES[type.name];
    case "template":
      return type.inner === "any" ? ANY_ATTRIBUTE_VALUE : PRIMITIVE_TS_TYPES[type.inner];
    case "enum": {
      const values =
        enumTypeName === undefined ? [...new Set(type.members.map((m) => literal(m.value)))] : [enumTypeName];
      if (isClosedEnum(attr)) return union(values);
      const base = type.valueType === "int" ? "number" : type.valueType;
      return union([...values, `(${base} & {})`]);
    }
    default:
      return undefined;
  }
}
