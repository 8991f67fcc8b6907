/** Lookup tables over a raw registry, shared by validation and resolution (first definition wins). */
import type { RawAttributeDefinition, RawAttributeReference, RawGroup, RawRegistry } from "./raw.js";

export interface IndexedDefinition {
  readonly def: RawAttributeDefinition;
  /** The group that defines it (undefined for v2 top-level definitions). */
  readonly group?: RawGroup;
}

/** A definition or group of a dependency: available to refs, never emitted as the dependent's own. */
export interface ExternalDefinition extends IndexedDefinition {
  /** Name of the dependency registry it comes from. */
  readonly from: string;
}

export interface RawIndex {
  /** key → the registry's own definition (`ref` + `prefix: true` embeds included). */
  readonly definitions: ReadonlyMap<string, IndexedDefinition>;
  readonly groups: ReadonlyMap<string, RawGroup>;
  /** All own definitions in source order, duplicates included (validation reports them). */
  readonly allDefinitions: readonly IndexedDefinition[];
  /** key → definition in a dependency (transitively), for keys the registry does not define itself. */
  readonly external: ReadonlyMap<string, ExternalDefinition>;
  /** group id → group of a dependency (transitively), for `extends` / `ref_group` / imports. */
  readonly externalGroups: ReadonlyMap<string, RawGroup & { readonly from?: string }>;
}

export function indexRegistry(registry: RawRegistry): RawIndex {
  const allDefinitions: IndexedDefinition[] = [];
  for (const def of registry.attributes) allDefinitions.push({ def });
  for (const group of registry.groups) {
    // A JSON shape's properties are its own, not registry attributes (spec/README.md §2.8).
    if (isShapeGroup(group)) continue;
    for (const member of group.members) if (member.kind === "definition") allDefinitions.push({ def: member, group });
  }
  const definitions = new Map<string, IndexedDefinition>();
  for (const entry of allDefinitions) if (!definitions.has(entry.def.key)) definitions.set(entry.def.key, entry);
  const groups = new Map<string, RawGroup>();
  for (const group of registry.groups) if (!groups.has(group.id)) groups.set(group.id, group);

  const external = new Map<string, ExternalDefinition>();
  const externalGroups = new Map<string, RawGroup & { from?: string }>();
  for (const dependency of registry.dependencies ?? []) {
    const inner = indexRegistry(dependency.registry);
    for (const [key, entry] of inner.definitions)
      if (!external.has(key)) external.set(key, { ...entry, from: dependency.name });
    for (const [key, entry] of inner.external) if (!external.has(key)) external.set(key, entry);
    for (const [id, group] of inner.groups)
      if (isBetterGroup(externalGroups.get(id), group)) externalGroups.set(id, { ...group, from: dependency.name });
    for (const [id, group] of inner.externalGroups)
      if (isBetterGroup(externalGroups.get(id), group)) externalGroups.set(id, group);
  }
  for (const key of definitions.keys()) external.delete(key);

  embedPrefixedReferences(registry, definitions, allDefinitions, external);
  return { definitions, groups, allDefinitions, external, externalGroups };
}

/** First found wins, except that a registry's own group replaces a published registry's copy of it. */
function isBetterGroup(found: RawGroup | undefined, candidate: RawGroup): boolean {
  return found === undefined || (found.copiedFrom !== undefined && candidate.copiedFrom === undefined);
}

/** The definition a key resolves to: the registry's own, else a dependency's. */
export function lookupDefinition(index: RawIndex, key: string): IndexedDefinition | undefined {
  return index.definitions.get(key) ?? index.external.get(key);
}

export function lookupGroup(index: RawIndex, id: string): RawGroup | undefined {
  return index.groups.get(id) ?? index.externalGroups.get(id);
}

/**
 * `ref: geo.lat` + `prefix: true` in a group with `prefix: client` defines `client.geo.lat`, a copy of `geo.lat`
 * with the reference's refinements (Weaver's resolver does the same). Embeds may build on embeds, so this runs
 * until nothing new resolves; one whose target never resolves is left to the `ref.unresolved` check.
 */
function embedPrefixedReferences(
  registry: RawRegistry,
  definitions: Map<string, IndexedDefinition>,
  allDefinitions: IndexedDefinition[],
  external: ReadonlyMap<string, ExternalDefinition>,
): void {
  const pending: { ref: RawAttributeReference; group: RawGroup }[] = [];
  for (const group of registry.groups) {
    for (const member of group.members)
      if (member.kind === "reference" && member.embedAs !== undefined) pending.push({ ref: member, group });
  }
  let progress = true;
  while (pending.length > 0 && progress) {
    progress = false;
    for (let i = 0; i < pending.length; i++) {
      const { ref, group } = pending[i]!;
      const target = definitions.get(ref.ref) ?? external.get(ref.ref);
      if (!target) continue;
      pending.splice(i--, 1);
      progress = true;
      if (definitions.has(ref.embedAs!)) continue;
      const { kind: _kind, ref: _ref, embedAs, requirementLevel: _level, ...refinements } = ref;
      const def: RawAttributeDefinition = {
        ...target.def,
        ...withoutUndefined(refinements),
        key: embedAs!,
        kind: "definition",
      };
      const entry = { def, group };
      definitions.set(embedAs!, entry);
      allDefinitions.push(entry);
    }
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The semtrace group types of JSON shapes, whose members are properties of a JSON object rather than attributes. */
export const SHAPE_GROUP_TYPES: ReadonlySet<string> = new Set(["json_object", "json_union"]);

export function isShapeGroup(group: RawGroup): boolean {
  return SHAPE_GROUP_TYPES.has(group.type);
}

/** `annotations.code_generation.exclude: true` — upstream's way to keep an attribute out of generated code. */
export function isExcludedFromCodegen(annotations: Readonly<Record<string, unknown>> | undefined): boolean {
  const cg = annotations?.["code_generation"];
  return typeof cg === "object" && cg !== null && (cg as Record<string, unknown>)["exclude"] === true;
}
