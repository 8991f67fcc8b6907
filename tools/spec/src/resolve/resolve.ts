/**
 * Resolve stage: the validated raw registry → one model with every reference followed and every
 * default filled in (stability `development`, requirement level `recommended`, empty briefs…).
 * Pure: no I/O, no diagnostics (validation already ran).
 */
import { assignNames } from "../naming/assign.js";
import { attributeConstName, signalConstName } from "../naming/presets.js";
import {
  attributeAnnotations,
  attributeGroupAnnotations,
  objectAnnotations,
  spanAnnotations,
} from "../model/annotations.js";
import {
  indexRegistry,
  isExcludedFromCodegen,
  lookupDefinition,
  lookupGroup,
  isShapeGroup,
  type ExternalDefinition,
  type RawIndex,
} from "../model/raw-index.js";
import type {
  RawAttributeCommon,
  RawDeprecated,
  RawGroup,
  RawRegistry,
  RawRequirementLevel,
  RawType,
} from "../model/raw.js";
import type {
  Attribute,
  AttributeGroup,
  AttributeUse,
  CompatEnum,
  CompatObject,
  Deprecation,
  EventDefinition,
  MetricDefinition,
  NamingPreset,
  ObjectType,
  Registry,
  RequirementLevel,
  ResolvedType,
  SpanDefinition,
  Stability,
} from "../model/resolved.js";
import { compareStrings } from "../model/diagnostics.js";
import { resolveShapes } from "./shapes.js";

export interface ResolveOptions {
  readonly naming: NamingPreset;
  /** Name used when the manifest has none (e.g. the spec directory's base name). */
  readonly fallbackName: string;
}

export function resolveRegistry(raw: RawRegistry, options: ResolveOptions): Registry {
  const index = indexRegistry(raw);
  const codegen = raw.manifest?.codegen;
  const names = assignNames(index, options.naming, codegen);

  const fieldOf = new Map<string, string[]>();
  const topLevel = new Set<string>(raw.attributes.map((a) => a.key));
  for (const group of raw.groups) {
    if (isShapeGroup(group)) continue;
    for (const use of expandMembers(group, index)) {
      if (group.type === "object") push(fieldOf, use.key, group.id);
      else topLevel.add(use.key);
    }
  }

  // A dependency's attributes are known to refs (validators, docs) but are the dependency's to emit.
  // Those the registry's groups use, directly or through `extends` into a dependency's group.
  const borrowed = new Map<string, ExternalDefinition>();
  if (index.external.size > 0) {
    const used = new Set([...topLevel, ...fieldOf.keys()]);
    for (const group of raw.groups)
      if (group.extends !== undefined) for (const u of withInherited(group, index)) used.add(u.key);
    for (const key of used) {
      const entry = index.definitions.has(key) ? undefined : index.external.get(key);
      if (entry) borrowed.set(key, entry);
    }
  }
  const attributes: Attribute[] = [...index.definitions.values(), ...borrowed.values()]
    .map((entry) => {
      const { def } = entry;
      const from = "from" in entry ? (entry as ExternalDefinition).from : undefined;
      const assigned =
        from === undefined
          ? names.attributes.get(def.key)!
          : { name: attributeConstName(options.naming, def.key), emitted: false };
      const enumName = names.enumNames.get(def.key);
      return {
        key: def.key,
        type: resolveType(def.type!, names.members.get(def.key), def.key),
        brief: def.brief ?? "",
        note: def.note ?? "",
        rationale: def.rationale ?? "",
        examples: def.examples ?? [],
        stability: stability(def.stability),
        ...deprecation(def.deprecated),
        semtrace: attributeAnnotations(def.semtrace),
        constName: assigned.name,
        ...(enumName === undefined ? {} : { enumName }),
        emitted: assigned.emitted,
        fieldOf: (fieldOf.get(def.key) ?? []).sort(compareStrings),
        topLevel: topLevel.has(def.key) || !fieldOf.has(def.key),
        definedAt: def.location,
        ...(from === undefined ? {} : { from }),
      } satisfies Attribute;
    })
    .sort((a, b) => compareStrings(a.key, b.key));

  const groupsOf = (type: string) =>
    raw.groups.filter((g) => g.type === type).sort((a, b) => compareStrings(a.id, b.id));
  const objects: ObjectType[] = groupsOf("object").map((g) => ({
    id: g.id,
    brief: g.brief ?? "",
    note: g.note ?? "",
    rationale: g.rationale ?? "",
    semtrace: objectAnnotations(g.semtrace),
    fields: expandMembers(g, index),
  }));
  const spans: SpanDefinition[] = groupsOf("span").map((g) => ({
    id: g.id,
    brief: g.brief ?? "",
    note: g.note ?? "",
    rationale: g.rationale ?? "",
    stability: stability(g.stability),
    ...(g.spanKind === undefined ? {} : { spanKind: g.spanKind }),
    semtrace: spanAnnotations(g.semtrace),
    ...(g.extends === undefined ? {} : { extends: g.extends }),
    own: expandMembers(g, index).map((u) => u.key),
    attributes: withInherited(g, index),
  }));
  const attributeGroups: AttributeGroup[] = groupsOf("attribute_group").map((g) => ({
    id: g.id,
    brief: g.brief ?? "",
    rationale: g.rationale ?? "",
    semtrace: attributeGroupAnnotations(g.semtrace),
    ...(g.extends === undefined ? {} : { extends: g.extends }),
    attributes: withInherited(g, index),
  }));

  const signal = (g: RawGroup) => ({
    id: g.id,
    brief: g.brief ?? "",
    note: g.note ?? "",
    rationale: g.rationale ?? "",
    stability: stability(g.stability),
    ...deprecation(g.deprecated),
    attributes: withInherited(g, index),
    emitted: !isExcludedFromCodegen(g.annotations),
  });
  const metrics: MetricDefinition[] = raw.groups
    .filter((g) => g.type === "metric" && g.metric !== undefined)
    .map((g) => ({
      ...signal(g),
      name: g.metric!.name,
      instrument: g.metric!.instrument ?? "",
      unit: g.metric!.unit ?? "",
      constName: signalConstName("metric", g.metric!.name),
    }))
    .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.id, b.id));
  const events: EventDefinition[] = raw.groups
    .filter((g) => g.type === "event" && g.eventName !== undefined)
    .map((g) => ({ ...signal(g), name: g.eventName!, constName: signalConstName("event", g.eventName!) }))
    .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.id, b.id));

  const manifest = raw.manifest;
  return {
    name: manifest?.name ?? options.fallbackName,
    description: manifest?.description ?? "",
    version: manifest?.version ?? "0.0.0",
    ...(manifest?.stability === undefined ? {} : { stability: stability(manifest.stability) }),
    ...(manifest?.schemaUrl === undefined ? {} : { schemaUrl: manifest.schemaUrl }),
    ...(codegen?.package === undefined ? {} : { packageName: codegen.package }),
    naming: options.naming,
    ...(codegen?.incubatingEntry === true ? { incubatingEntry: true } : {}),
    attributes,
    objects,
    spans,
    shapes: resolveShapes(raw),
    attributeGroups,
    metrics,
    events,
    compatObjects: compatObjects(raw, attributes),
    compatEnums: compatEnums(raw, attributes),
    prefixConstants: Object.entries(codegen?.prefixConstants ?? {}).sort(([a], [b]) => compareStrings(a, b)),
    owns: [
      ...new Set(manifest?.owns ?? attributes.filter((a) => a.topLevel && a.emitted).map((a) => a.key.split(".")[0]!)),
    ].sort(compareStrings),
    ...(manifest?.spanKindAttribute === undefined ? {} : { spanKindAttribute: manifest.spanKindAttribute }),
    sourceFiles: raw.files.map((f) => f.path).sort(compareStrings),
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else map.set(key, [value]);
}

function resolveType(
  type: RawType,
  memberNames: ReadonlyMap<string, { name: string; emitted: boolean }> | undefined,
  key: string,
): ResolvedType {
  switch (type.kind) {
    case "enum": {
      const first = type.members[0]?.value;
      const valueType = typeof first === "number" ? "int" : typeof first === "boolean" ? "boolean" : "string";
      return {
        kind: "enum",
        valueType,
        members: type.members.map((m) => {
          const assigned = memberNames?.get(m.id) ?? { name: m.id, emitted: true };
          return {
            id: m.id,
            value: m.value,
            brief: m.brief ?? "",
            note: m.note ?? "",
            rationale: m.rationale ?? "",
            stability: stability(m.stability),
            ...deprecation(m.deprecated),
            constName: assigned.name,
            emitted: assigned.emitted,
          };
        }),
      };
    }
    case "unknown":
      throw new Error(`internal: unresolved type for ${key} reached the resolver`);
    default:
      return type;
  }
}

function stability(value: string | undefined): Stability {
  if (value === "experimental") return "development";
  return (value ?? "development") as Stability;
}

function deprecation(dep: RawDeprecated | undefined): { deprecated?: Deprecation } {
  if (!dep) return {};
  return {
    deprecated: {
      reason: dep.reason as Deprecation["reason"],
      ...(dep.renamedTo === undefined ? {} : { renamedTo: dep.renamedTo }),
      ...(dep.note === undefined ? {} : { note: dep.note }),
    },
  };
}

function requirement(rl: RawRequirementLevel | undefined): RequirementLevel {
  switch (rl?.level) {
    case "required":
      return { level: "required" };
    case "opt_in":
      return { level: "opt_in" };
    case "conditionally_required":
      return { level: "conditionally_required", condition: rl.condition ?? "" };
    default:
      return rl?.condition ? { level: "recommended", condition: rl.condition } : { level: "recommended" };
  }
}

function use(key: string, common: RawAttributeCommon, base: RawAttributeCommon | undefined): AttributeUse {
  return {
    key,
    requirementLevel: requirement(common.requirementLevel ?? base?.requirementLevel),
    brief: common.brief ?? base?.brief ?? "",
    note: common.note ?? base?.note ?? "",
    rationale: common.rationale ?? "",
    examples: common.examples ?? base?.examples ?? [],
    samplingRelevant: common.samplingRelevant ?? false,
  };
}

/** A group's own attributes, `ref_group`s expanded in place; a later entry for the same key refines an earlier one. */
function expandMembers(group: RawGroup, index: RawIndex, seen = new Set<string>()): AttributeUse[] {
  if (seen.has(group.id)) return [];
  seen.add(group.id);
  const out = new Map<string, AttributeUse>();
  for (const member of group.members) {
    if (member.kind === "group-reference") {
      const target = lookupGroup(index, member.refGroup);
      if (target) for (const u of expandMembers(target, index, seen)) out.set(u.key, u);
    } else if (member.kind === "definition") {
      out.set(member.key, use(member.key, member, undefined));
    } else {
      const key = member.embedAs ?? member.ref;
      out.set(key, use(key, member, lookupDefinition(index, key)?.def));
    }
  }
  return [...out.values()];
}

/** `extends` parents first, then the group's own attributes refining them. */
function withInherited(group: RawGroup, index: RawIndex): AttributeUse[] {
  const chain: RawGroup[] = [];
  const seen = new Set<string>();
  for (
    let g: RawGroup | undefined = group;
    g && !seen.has(g.id);
    g = g.extends ? lookupGroup(index, g.extends) : undefined
  ) {
    seen.add(g.id);
    chain.unshift(g);
  }
  const out = new Map<string, AttributeUse>();
  for (const g of chain) for (const u of expandMembers(g, index)) out.set(u.key, u);
  return [...out.values()];
}

function compatObjects(raw: RawRegistry, attributes: readonly Attribute[]): CompatObject[] {
  const emitted = attributes.filter((a) => a.emitted);
  return (raw.manifest?.codegen?.compatObjects ?? []).map((spec) => {
    const entries = new Map<string, string>();
    if (spec.constants === "all") for (const a of emitted) entries.set(a.constName, a.key);
    if (spec.segmentsUnder !== undefined) {
      const prefix = spec.segmentsUnder === "" ? "" : `${spec.segmentsUnder}.`;
      for (const a of emitted) {
        if (!a.key.startsWith(prefix)) continue;
        const segment = a.key.slice(prefix.length).split(".")[0];
        if (segment) entries.set(segment, segment);
      }
    }
    for (const omitted of spec.omit ?? []) entries.delete(omitted);
    for (const [property, value] of Object.entries(spec.entries ?? {})) entries.set(property, value);
    return { name: spec.name, entries: [...entries].sort(([a], [b]) => compareStrings(a, b)) };
  });
}

/** Each `codegen.compat_enums` entry with its members looked up by id (validation made sure they exist). */
function compatEnums(raw: RawRegistry, attributes: readonly Attribute[]): CompatEnum[] {
  const byKey = new Map(attributes.map((a) => [a.key, a]));
  return (raw.manifest?.codegen?.compatEnums ?? []).map((spec) => {
    const type = byKey.get(spec.attribute)?.type;
    const members = type?.kind === "enum" ? type.members : [];
    return {
      name: spec.name,
      attribute: spec.attribute,
      members: spec.members.flatMap((id) => members.filter((m) => m.id === id)),
    };
  });
}
