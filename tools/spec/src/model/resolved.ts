/**
 * The resolved model: one registry with every reference followed and every default filled in, and the
 * `semtrace` annotations read into typed fields. Emitters read only this; they never see YAML or source
 * positions (except for messages).
 *
 * `rationale` fields hold why semtrace decided what it did (spec/README.md §1): for maintainers and reference
 * docs, never for the generated code's doc comments.
 */
import type {
  AttributeAnnotations,
  AttributeGroupAnnotations,
  ObjectAnnotations,
  SpanAnnotations,
} from "./annotations.js";
import type { SourceLocation } from "./diagnostics.js";
import type { PrimitiveTypeName } from "./raw.js";

export type Stability = "stable" | "development" | "alpha" | "beta" | "release_candidate" | "deprecated";

export type NamingPreset = "otel" | "openinference";

export type ResolvedType =
  | { readonly kind: "primitive"; readonly name: PrimitiveTypeName }
  | { readonly kind: "template"; readonly inner: PrimitiveTypeName }
  | { readonly kind: "enum"; readonly valueType: "string" | "int" | "boolean"; readonly members: readonly EnumMember[] }
  | { readonly kind: "list"; readonly object: string }
  | { readonly kind: "object"; readonly object: string }
  | { readonly kind: "namespace" };

export interface Deprecation {
  readonly reason: "renamed" | "obsoleted" | "uncategorized" | "unspecified";
  readonly renamedTo?: string;
  readonly note?: string;
}

export interface EnumMember {
  readonly id: string;
  readonly value: string | number | boolean;
  readonly brief: string;
  readonly note: string;
  readonly rationale: string;
  readonly stability: Stability;
  readonly deprecated?: Deprecation;
  /** Name of the emitted member constant (e.g. `HTTP_REQUEST_METHOD_VALUE_GET` or enum-object key `GET`). */
  readonly constName: string;
  /** False when a non-deprecated member took this constant name (the replacement wins). */
  readonly emitted: boolean;
}

export type RequirementLevel =
  | { readonly level: "required" }
  | { readonly level: "conditionally_required"; readonly condition: string }
  | { readonly level: "recommended"; readonly condition?: string }
  | { readonly level: "opt_in" };

export interface Attribute {
  readonly key: string;
  readonly type: ResolvedType;
  readonly brief: string;
  readonly note: string;
  readonly rationale: string;
  readonly examples: readonly unknown[];
  readonly stability: Stability;
  readonly deprecated?: Deprecation;
  readonly semtrace: AttributeAnnotations;
  /** Constant name for this attribute under the registry's naming preset (after overrides). */
  readonly constName: string;
  /** Name of the enum object / union type for enum attributes (openinference preset), if any. */
  readonly enumName?: string;
  /** False when code generation excludes it (`annotations.code_generation.exclude`) or a name collision lost. */
  readonly emitted: boolean;
  /** Object groups that list this attribute as a field (empty for span-level attributes). */
  readonly fieldOf: readonly string[];
  /** True when some non-object group (attribute group, span) lists it: valid directly on a span. */
  readonly topLevel: boolean;
  readonly definedAt: SourceLocation;
  /** The dependency registry that defines it (then never emitted here: available to refs, validators and docs). */
  readonly from?: string;
}

/** A reference from a group to an attribute, with the group's refinements applied. */
export interface AttributeUse {
  readonly key: string;
  readonly requirementLevel: RequirementLevel;
  readonly brief: string;
  readonly note: string;
  readonly rationale: string;
  readonly examples: readonly unknown[];
  readonly samplingRelevant: boolean;
}

/** An object group (semtrace extension): the fields of a `list[...]` / `object[...]` attribute. */
export interface ObjectType {
  readonly id: string;
  readonly brief: string;
  readonly note: string;
  readonly rationale: string;
  readonly semtrace: ObjectAnnotations;
  readonly fields: readonly AttributeUse[];
}

export interface SpanDefinition {
  readonly id: string;
  readonly brief: string;
  readonly note: string;
  readonly rationale: string;
  readonly stability: Stability;
  /** OpenTelemetry's span kind (`client`, `internal`, …). */
  readonly spanKind?: string;
  /** `semtrace.span_kind` is the value of the registry's span-kind attribute this definition describes. */
  readonly semtrace: SpanAnnotations;
  /** The group this one extends, if any. */
  readonly extends?: string;
  /** Keys the group lists itself (directly or through `ref_group`), without what `extends` brings. */
  readonly own: readonly string[];
  /** Own attributes plus everything inherited through `extends` and `ref_group`, in a stable order. */
  readonly attributes: readonly AttributeUse[];
}

export interface AttributeGroup {
  readonly id: string;
  readonly brief: string;
  readonly rationale: string;
  readonly semtrace: AttributeGroupAnnotations;
  readonly extends?: string;
  readonly attributes: readonly AttributeUse[];
}

/** What metric and event definitions share. */
export interface SignalDefinition {
  readonly id: string;
  /** The metric's or event's name (`metric_name` / `name`). */
  readonly name: string;
  readonly brief: string;
  readonly note: string;
  readonly rationale: string;
  readonly stability: Stability;
  readonly deprecated?: Deprecation;
  readonly attributes: readonly AttributeUse[];
  /** `METRIC_<NAME>` / `EVENT_<NAME>`. */
  readonly constName: string;
  /** False when code generation excludes it (`annotations.code_generation.exclude`). */
  readonly emitted: boolean;
}

/** A metric (`type: metric` group): emitted as `METRIC_<NAME> = "<metric name>"` with its docs, unit and instrument. */
export interface MetricDefinition extends SignalDefinition {
  /** `counter`, `updowncounter`, `gauge` or `histogram`. */
  readonly instrument: string;
  /** UCUM unit as written (`s`, `{token}`, `1`). */
  readonly unit: string;
}

/** An event (`type: event` group): emitted as `EVENT_<NAME> = "<event name>"` with its docs. */
export type EventDefinition = SignalDefinition;

/** An upstream enum kept under its upstream name with exactly upstream's members (`codegen.compat_enums`). */
export interface CompatEnum {
  readonly name: string;
  /** The enum attribute whose members it lists. */
  readonly attribute: string;
  /** The members, in the order the manifest lists them. */
  readonly members: readonly EnumMember[];
}

export interface CompatObject {
  readonly name: string;
  readonly entries: readonly (readonly [property: string, value: string])[];
}

/**
 * The type of a JSON shape's property: a primitive (`any` is any JSON value), an enum, or another shape, alone
 * (`object[...]`) or as the elements of an array (`list[...]`).
 */
export type PropertyType =
  | { readonly kind: "primitive"; readonly name: PrimitiveTypeName }
  | {
      readonly kind: "enum";
      readonly valueType: "string" | "int" | "boolean";
      readonly members: readonly PropertyEnumMember[];
      readonly closed: boolean;
    }
  | { readonly kind: "list" | "object"; readonly shape: string };

export interface PropertyEnumMember {
  readonly id: string;
  readonly value: string | number | boolean;
  readonly brief: string;
}

/** One property of a `json_object` shape. */
export interface ShapeProperty {
  /** The JSON property name. */
  readonly name: string;
  readonly type: PropertyType;
  /** `requirement_level: required`: a value without it is an error. Other levels are documentation. */
  readonly required: boolean;
  /** `null` is allowed (`semtrace.nullable`). */
  readonly nullable: boolean;
  /** A string in JSON text, raw bytes in the structured form (`semtrace.binary`). */
  readonly binary: boolean;
  readonly brief: string;
  readonly note: string;
  readonly rationale: string;
  readonly definedAt: SourceLocation;
}

/** A `json_object` group (semtrace extension, spec/README.md §2.8): the shape of one JSON object. */
export interface ObjectShape {
  readonly kind: "object";
  readonly id: string;
  readonly brief: string;
  readonly note: string;
  readonly rationale: string;
  /** Properties it does not define are allowed. */
  readonly open: boolean;
  readonly properties: readonly ShapeProperty[];
  /** Older shapes a value may be written in (warnings naming them, instead of errors). */
  readonly legacy: readonly string[];
}

/** A `json_union` group: one of several `json_object` shapes, picked by the value of a discriminator property. */
export interface UnionShape {
  readonly kind: "union";
  readonly id: string;
  readonly brief: string;
  readonly note: string;
  readonly rationale: string;
  readonly discriminator: string;
  /** Alternatives whose discriminator is an enum: the values that pick each, in the order written. */
  readonly alternatives: readonly { readonly shape: string; readonly values: readonly (string | number | boolean)[] }[];
  /** The alternative whose discriminator is any string: what every other value is checked against. */
  readonly fallback?: string;
}

export type Shape = ObjectShape | UnionShape;

export interface Registry {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  /** The manifest's `stability`: what every item shares unless it says otherwise. */
  readonly stability?: Stability;
  readonly schemaUrl?: string;
  readonly packageName?: string;
  readonly naming: NamingPreset;
  /** `codegen.incubating_entry`: `index.ts` holds the stable constants, `index-incubating.ts` everything. */
  readonly incubatingEntry?: boolean;
  /** Every attribute, sorted by key. */
  readonly attributes: readonly Attribute[];
  readonly objects: readonly ObjectType[];
  readonly spans: readonly SpanDefinition[];
  /** JSON shapes (`json_object` and `json_union` groups), sorted by id. */
  readonly shapes: readonly Shape[];
  readonly attributeGroups: readonly AttributeGroup[];
  /** Metric and event definitions, sorted by name. */
  readonly metrics: readonly MetricDefinition[];
  readonly events: readonly EventDefinition[];
  readonly compatObjects: readonly CompatObject[];
  readonly compatEnums: readonly CompatEnum[];
  readonly prefixConstants: readonly (readonly [name: string, value: string])[];
  /** Namespaces the registry owns (manifest `owns`, else the first segment of every top-level key), sorted. */
  readonly owns: readonly string[];
  /** The span-kind attribute (manifest `span_kind_attribute`), when the registry defines span kinds. */
  readonly spanKindAttribute?: string;
  /** The spec files read, relative to the spec root, sorted. */
  readonly sourceFiles: readonly string[];
}
