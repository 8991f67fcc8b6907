/**
 * The names of a generated package's exports that follow from the spec, one rule each. The emitters name their
 * declarations with these, and validation (validate/rules/names.ts, identifiers.ts) checks the same names before
 * anything is emitted, so what is checked is what gets written.
 */
import path from "node:path";
import type { ObjectAnnotations, SpanAnnotations } from "../model/annotations.js";
import type { RawRegistry } from "../model/raw.js";
import type { NamingPreset } from "../model/resolved.js";
import { camelCase, pascalCase } from "./case.js";

/**
 * Exports every generated package has, whatever its registry (emit/types.ts, validators.ts, builders.ts), and the
 * helpers writers.ts exports to builders.ts (not re-exported from the package, but in the scope of both files).
 */
export const FIXED_EXPORTS: Readonly<Record<string, "type" | "function" | "constant">> = {
  AttributeTypes: "type",
  AttributeKey: "type",
  AttributeValue: "type",
  Attributes: "type",
  validateAttributes: "function",
  validateSpan: "function",
  createValidator: "function",
  Finding: "type",
  RegistryValidator: "type",
  ValidateOptions: "type",
  Validator: "type",
  buildSpanKindAttributes: "function",
  WRITER_HELPERS: "constant",
  WriterHelpers: "type",
};

/** What a structure writer reaches through its `helpers` parameter (writers.ts), and its type. */
export const WRITER_HELPERS = "WRITER_HELPERS";
export const WRITER_HELPERS_TYPE = "WriterHelpers";

/** The registry's name when its manifest gives none: the spec directory's. */
export function fallbackRegistryName(root: string): string {
  return path.basename(root) || "registry";
}

/** The registry's name as resolution will set it, for checks that run before. */
export function rawRegistryName(registry: RawRegistry): string {
  return registry.manifest?.name ?? fallbackRegistryName(registry.root);
}

/** `openinference` → `openinferenceRegistry`: the exported `RegistryValidator`. */
export function registryValidatorName(registryName: string): string {
  return `${camelCase(registryName)}Registry`;
}

/** `openinference.message` → `message`: a group id without the registry's name in front. */
export function withoutRegistryName(id: string, registryName: string): string {
  return id.startsWith(`${registryName}.`) ? id.slice(registryName.length + 1) : id;
}

/** `openinference.message` → `MessageField`: the union of an object group's relative keys. */
export function objectFieldTypeName(objectId: string, registryName: string): string {
  return `${pascalCase(withoutRegistryName(objectId, registryName))}Field`;
}

/** A structure's builder input type: `semtrace.type_name`, else PascalCase of its id without the registry's name. */
export function objectInputTypeName(objectId: string, annotations: ObjectAnnotations, registryName: string): string {
  return annotations.typeName ?? pascalCase(withoutRegistryName(objectId, registryName));
}

/**
 * A structure's builder, from its input type: lower-case first (`Message` → `messageAttributes`), so it never
 * clashes with a span or group builder (`buildMessageAttributes`).
 */
export function objectBuilderName(inputType: string): string {
  return `${lowerFirst(inputType)}Attributes`;
}

/**
 * The writers.ts declarations of the structure whose input type is `inputType` (`Message`): its key table type
 * (`MessageKeys`), the table's factory (`messageKeys`) and the writer (`writeMessage`).
 */
export function structureWriterNames(inputType: string): {
  readonly keyTable: string;
  readonly factory: string;
  readonly writer: string;
} {
  return { keyTable: `${inputType}Keys`, factory: `${lowerFirst(inputType)}Keys`, writer: `write${inputType}` };
}

function lowerFirst(name: string): string {
  return `${name.slice(0, 1).toLowerCase()}${name.slice(1)}`;
}

/** The function and input type of the span or group builder named `name` (`LLM` → `buildLLMAttributes`, `LLMAttributesInput`). */
export function builderNames(name: string): { readonly functionName: string; readonly inputType: string } {
  return { functionName: `build${name}Attributes`, inputType: `${name}AttributesInput` };
}

/**
 * The builder name of a span group: one only when it names its kind (`semtrace.span_kind`), `semtrace.builder`
 * or else the kind in PascalCase. Span groups of one name share one builder.
 */
export function spanBuilderName(annotations: SpanAnnotations): string | undefined {
  const kind = annotations.spanKind;
  return kind === undefined ? undefined : (annotations.builder ?? pascalCase(kind.toLowerCase()));
}

/** Whether a key of this type kind gets a key builder (emit/keys.ts); the otel preset's template constants are builders already. */
export function hasKeyBuilder(typeKind: string | undefined, naming: NamingPreset): boolean {
  return typeKind === "list" || typeKind === "object" || (typeKind === "template" && naming !== "otel");
}

/** `llm.input_messages` → `llmInputMessagesKey`. */
export function keyBuilderName(key: string): string {
  return `${camelCase(key)}Key`;
}

/**
 * The type of an enum attribute's values: in the openinference preset the enum object's name (`codegen.enums`,
 * which keys may share, else PascalCase of the key), in the otel preset `<Key>Value`.
 */
export function enumTypeName(
  key: string,
  naming: NamingPreset,
  chosen: Readonly<Record<string, string>> | undefined,
): string {
  if (naming === "otel") return `${pascalCase(key)}Value`;
  // Own entries only: a key such as `constructor` must not find Object.prototype's.
  return (chosen !== undefined && Object.hasOwn(chosen, key) ? chosen[key] : undefined) ?? pascalCase(key);
}
