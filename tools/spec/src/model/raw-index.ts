/** Lookup tables over a raw registry, shared by validation and resolution (first definition wins). */
import type { RawAttributeDefinition, RawGroup, RawRegistry } from "./raw.js";

export interface RawIndex {
  /** key → its definition, and the group that defines it (undefined for v2 top-level definitions). */
  readonly definitions: ReadonlyMap<string, { readonly def: RawAttributeDefinition; readonly group?: RawGroup }>;
  readonly groups: ReadonlyMap<string, RawGroup>;
  /** All definitions in source order, duplicates included (validation reports them). */
  readonly allDefinitions: readonly { readonly def: RawAttributeDefinition; readonly group?: RawGroup }[];
}

export function indexRegistry(registry: RawRegistry): RawIndex {
  const allDefinitions: { def: RawAttributeDefinition; group?: RawGroup }[] = [];
  for (const def of registry.attributes) allDefinitions.push({ def });
  for (const group of registry.groups) {
    for (const member of group.members) if (member.kind === "definition") allDefinitions.push({ def: member, group });
  }
  const definitions = new Map<string, { def: RawAttributeDefinition; group?: RawGroup }>();
  for (const entry of allDefinitions) if (!definitions.has(entry.def.key)) definitions.set(entry.def.key, entry);
  const groups = new Map<string, RawGroup>();
  for (const group of registry.groups) if (!groups.has(group.id)) groups.set(group.id, group);
  return { definitions, groups, allDefinitions };
}

/** `annotations.code_generation.exclude: true` — upstream's way to keep an attribute out of generated code. */
export function isExcludedFromCodegen(annotations: Readonly<Record<string, unknown>> | undefined): boolean {
  const cg = annotations?.["code_generation"];
  return typeof cg === "object" && cg !== null && (cg as Record<string, unknown>)["exclude"] === true;
}
