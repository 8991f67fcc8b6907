/**
 * The loaded model: what the YAML says, in one shape for both syntaxes (v1 `groups:` and v2
 * `file_format: definition/2`), every node carrying its source location. Nothing is defaulted or
 * cross-referenced yet; that is the resolver's job once validation has passed.
 */
import type { SourceLocation } from "./diagnostics.js";

export type PrimitiveTypeName =
  | "string"
  | "int"
  | "double"
  | "boolean"
  | "string[]"
  | "int[]"
  | "double[]"
  | "boolean[]"
  | "any";

export type RawType =
  | { readonly kind: "primitive"; readonly name: PrimitiveTypeName }
  /** `template[T]`: the key is a prefix, `<key>.<anything>` carries a T. */
  | { readonly kind: "template"; readonly inner: PrimitiveTypeName }
  | { readonly kind: "enum"; readonly members: readonly RawEnumMember[] }
  /** semtrace extension: `list[<object group id>]`, flattened as `<key>.<i>.<field key>`. */
  | { readonly kind: "list"; readonly object: string }
  /** semtrace extension: `object[<object group id>]`, flattened as `<key>.<field key>`. */
  | { readonly kind: "object"; readonly object: string }
  /** semtrace extension: `namespace`, a key that is only a prefix of other keys (no value of its own). */
  | { readonly kind: "namespace" }
  /** Anything else: reported by validation as `type.unknown`. */
  | { readonly kind: "unknown"; readonly text: string };

export interface RawDeprecated {
  readonly reason: string;
  readonly renamedTo?: string;
  readonly note?: string;
  readonly location: SourceLocation;
}

/** One entry of `annotations.semtrace`, as written (model/annotations.ts says what it may be). */
export interface RawAnnotation {
  readonly name: string;
  /** The value as plain data. */
  readonly value: unknown;
  /** Where the name is written. */
  readonly location: SourceLocation;
  readonly valueLocation: SourceLocation;
}

/** `annotations.semtrace`, entry by entry with positions, so validation can point at each. */
export interface RawSemtraceAnnotations {
  readonly entries: readonly RawAnnotation[];
  readonly location: SourceLocation;
}

/** Text fields every documented item may carry. */
export interface RawDocs {
  readonly brief?: string;
  /** What a user of the item needs to know (emitted into docs). */
  readonly note?: string;
  /** Why semtrace decided what it did (semtrace extension): for maintainers, never emitted into docs. */
  readonly rationale?: string;
}

export interface RawEnumMember extends RawDocs {
  readonly id: string;
  readonly value: string | number | boolean;
  readonly stability?: string;
  readonly deprecated?: RawDeprecated;
  /** Annotations other than `semtrace` (e.g. OpenTelemetry's `code_generation`), as plain data. */
  readonly annotations?: Readonly<Record<string, unknown>>;
  readonly semtrace?: RawSemtraceAnnotations;
  readonly location: SourceLocation;
}

/** `required`, `{ conditionally_required: cond }`, `recommended` / `{ recommended: cond }`, `opt_in`. */
export interface RawRequirementLevel {
  readonly level: string;
  readonly condition?: string;
  readonly location: SourceLocation;
}

/** Fields both definitions and references may carry. */
export interface RawAttributeCommon extends RawDocs {
  readonly examples?: readonly unknown[];
  readonly stability?: string;
  readonly deprecated?: RawDeprecated;
  readonly requirementLevel?: RawRequirementLevel;
  readonly samplingRelevant?: boolean;
  /** Annotations other than `semtrace`, as plain data. */
  readonly annotations?: Readonly<Record<string, unknown>>;
  readonly semtrace?: RawSemtraceAnnotations;
  readonly location: SourceLocation;
}

/** An attribute defined here (v1 `id:` inside a group, v2 top-level `key:`). */
export interface RawAttributeDefinition extends RawAttributeCommon {
  readonly kind: "definition";
  readonly key: string;
  readonly type?: RawType;
  readonly typeLocation?: SourceLocation;
}

/** `ref: <key>` with optional refinements. */
export interface RawAttributeReference extends RawAttributeCommon {
  readonly kind: "reference";
  readonly ref: string;
  /**
   * `ref` with `prefix: true` in a group with a `prefix` (OpenTelemetry's older syntax): the use defines a new
   * attribute `<group prefix>.<ref>` that copies the referenced one, refinements applied.
   */
  readonly embedAs?: string;
}

/** v2 `ref_group: <attribute group id>`: every attribute of that group. */
export interface RawGroupReference {
  readonly kind: "group-reference";
  readonly refGroup: string;
  readonly location: SourceLocation;
}

export type RawGroupMember = RawAttributeDefinition | RawAttributeReference | RawGroupReference;

/**
 * Group types as written. `object` is the semtrace extension (a structure whose attributes are the
 * fields of a `list[...]` / `object[...]` attribute); the rest are OpenTelemetry's.
 */
export type RawGroupType =
  | "attribute_group"
  | "span"
  | "object"
  | "event"
  | "metric"
  | "entity"
  | "scope"
  | "metric_group"
  | "resource"
  | (string & {});

export interface RawGroup extends RawDocs {
  readonly id: string;
  readonly type: RawGroupType;
  readonly stability?: string;
  readonly deprecated?: RawDeprecated;
  readonly extends?: string;
  readonly extendsLocation?: SourceLocation;
  /** OTel span kind (client/server/internal/…), for `span` groups. */
  readonly spanKind?: string;
  /** v2 attribute group visibility (`public` / `internal`). */
  readonly visibility?: string;
  /** Metric groups: the metric's name, instrument and unit (v1 `metric_name`, v2 `name`). */
  readonly metric?: RawMetric;
  /** Event groups: the event's name (v1 `name`, else the id without `event.`; v2 `name`). */
  readonly eventName?: string;
  /** The group came in through `imports:` from the named dependency (read from there, emitted here). */
  readonly importedFrom?: string;
  readonly members: readonly RawGroupMember[];
  /** Annotations other than `semtrace`, as plain data. */
  readonly annotations?: Readonly<Record<string, unknown>>;
  readonly semtrace?: RawSemtraceAnnotations;
  readonly syntax: "v1" | "v2";
  readonly location: SourceLocation;
}

export interface RawMetric {
  readonly name: string;
  readonly instrument?: string;
  readonly unit?: string;
}

/** Per-registry code-generation settings (`manifest.yaml` beside the spec files). */
export interface RawManifest {
  readonly name?: string;
  readonly description?: string;
  readonly version?: string;
  readonly schemaUrl?: string;
  readonly stability?: string;
  /** Namespaces (key prefixes) the registry owns: validators report unknown keys inside them. */
  readonly owns?: readonly string[];
  /** The attribute whose value names the span kind (`span` groups say which value via `semtrace.span_kind`). */
  readonly spanKindAttribute?: string;
  readonly codegen?: RawCodegenSettings;
  /** Other registries this one refers into (Weaver's `dependencies`), in the order written. */
  readonly dependencies?: readonly RawDependencySpec[];
  readonly location: SourceLocation;
}

/** One `dependencies` entry as written: `registry_path` is a Weaver virtual directory path (load/dependencies/). */
export interface RawDependencySpec {
  readonly name?: string;
  readonly schemaUrl?: string;
  readonly registryPath?: string;
  readonly location: SourceLocation;
}

/** A loaded dependency: its name (manifest, else `schema_url`, else the spec entry) and its own raw registry. */
export interface RawDependency {
  readonly name: string;
  readonly schemaUrl?: string;
  readonly registry: RawRegistry;
}

/** One file's `imports:` (Weaver): glob patterns per signal kind, naming groups of the dependencies. */
export interface RawImports {
  readonly metrics?: readonly string[];
  readonly events?: readonly string[];
  readonly entities?: readonly string[];
  readonly spans?: readonly string[];
  readonly attributeGroups?: readonly string[];
  readonly location: SourceLocation;
}

export interface RawCodegenSettings {
  readonly package?: string;
  /**
   * `incubating_entry: true`: the generated `index.ts` exports the stable constants only and `index-incubating.ts`
   * everything, as @opentelemetry/semantic-conventions splits its root and `/incubating` entries.
   */
  readonly incubatingEntry?: boolean;
  readonly naming?: string;
  /** attribute key → constant name, where upstream names are irregular. */
  readonly constants?: Readonly<Record<string, string>>;
  /** attribute key → name of the emitted enum object (two keys may share one name if members match). */
  readonly enums?: Readonly<Record<string, string>>;
  readonly compatObjects?: readonly RawCompatObject[];
  readonly compatEnums?: readonly RawCompatEnum[];
  /** Extra string constants that name a prefix only (e.g. `LLM_COST: llm.cost`). */
  readonly prefixConstants?: Readonly<Record<string, string>>;
  readonly location: SourceLocation;
  /** Where each setting is written, so diagnostics point at the entry rather than at `codegen:`. */
  readonly at?: CodegenLocations;
}

export interface CodegenLocations {
  readonly naming?: SourceLocation;
  readonly incubatingEntry?: SourceLocation;
  /** attribute key → location of its entry under `constants` / `enums`. */
  readonly constants?: Readonly<Record<string, SourceLocation>>;
  readonly enums?: Readonly<Record<string, SourceLocation>>;
  /** attribute key → location of the name it is given under `constants` / `enums`. */
  readonly constantNames?: Readonly<Record<string, SourceLocation>>;
  readonly enumNames?: Readonly<Record<string, SourceLocation>>;
  /** prefix constant name → location of its entry under `prefix_constants`. */
  readonly prefixConstants?: Readonly<Record<string, SourceLocation>>;
}

/** An upstream-compatible object literal derived from the keys (e.g. `LLMAttributePostfixes`). */
export interface RawCompatObject {
  readonly name: string;
  /** `segments_under: llm` → the distinct next segments after `llm.`; `""` → first segments of all keys. */
  readonly segmentsUnder?: string;
  /** `constants: all` → constant name → key for every attribute constant. */
  readonly constants?: "all";
  readonly entries?: Readonly<Record<string, string>>;
  readonly omit?: readonly string[];
  readonly location: SourceLocation;
  /** Where `name` is written. */
  readonly nameLocation?: SourceLocation;
}

/**
 * An upstream enum kept under its upstream name with exactly upstream's members (`OpenInferenceSpanKind`
 * without `UNKNOWN`), so code that switches over upstream's enum exhaustively compiles against ours.
 */
export interface RawCompatEnum {
  readonly name: string;
  /** The enum attribute the members come from. */
  readonly attribute: string;
  /** Member ids, in upstream's order. */
  readonly members: readonly string[];
  readonly location: SourceLocation;
  readonly nameLocation?: SourceLocation;
}

export interface RawFile {
  readonly path: string;
  readonly syntax: "v1" | "v2";
}

/** Everything read from one spec directory. */
export interface RawRegistry {
  readonly root: string;
  readonly files: readonly RawFile[];
  readonly groups: readonly RawGroup[];
  /** v2 top-level `attributes:` (v1 definitions live inside their groups). */
  readonly attributes: readonly RawAttributeDefinition[];
  readonly manifest?: RawManifest;
  /** The registries named under the manifest's `dependencies`, loaded (each with its own dependencies). */
  readonly dependencies?: readonly RawDependency[];
  /** Every `imports:` section of the registry's files. */
  readonly imports?: readonly RawImports[];
}
