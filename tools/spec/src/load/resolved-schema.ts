/**
 * A published registry's resolved schema (Weaver's `file_format: resolved/2.0`, named by a `manifest/2.0`
 * manifest's `resolved_registry_uri`) read as the v2 definitions it was resolved from: the `attribute_catalog`
 * entries the `registry.attributes` indexes name become top-level attribute definitions, and each signal's
 * `base: <index>` becomes `ref: <key>` (rewritten in the syntax tree, so diagnostics point at the `base` entry).
 * Entries used by signals but absent from `registry.attributes` (attributes the publisher took from its own
 * dependencies) are defined too, once per key. `refinements` are left out: a published signal is already refined.
 */
import { isMap, isScalar, Scalar, type Node, type YAMLMap } from "yaml";
import type { RawAttributeDefinition } from "../model/raw.js";
import { readAttributeDefinition } from "./attributes.js";
import type { Reader } from "./reader.js";
import { mapGet, mapPair } from "./yaml-source.js";

export const RESOLVED_FORMAT = "resolved/2.0";

/** The sections of `registry:` that hold signals, in the order the v2 reader reads them. */
export const RESOLVED_SECTIONS = ["attribute_groups", "spans", "metrics", "events", "entities"] as const;

/** What `registry:` holds once its bases are rewritten: the attribute definitions and the signal sections. */
export interface ResolvedRegistry {
  readonly attributes: RawAttributeDefinition[];
  /** `registry:`, whose sections read as v2 definition sections. */
  readonly registry?: YAMLMap;
  /** The schema URL of the dependency a signal was taken from (its `provenance.source`), if not the publisher's own. */
  readonly provenanceOf: (signal: YAMLMap) => string | undefined;
}

export function readResolvedSchema(r: Reader, top: YAMLMap): ResolvedRegistry {
  const catalogSeq = r.seq(top, "attribute_catalog", "resolved schema");
  const catalog: (YAMLMap | undefined)[] = (catalogSeq?.items ?? []).map((item) =>
    r.map(item as Node, "`attribute_catalog` entry", top),
  );
  const keyOf = (index: number): string | undefined => {
    const entry = catalog[index];
    return entry === undefined ? undefined : r.string(entry, "key", "`attribute_catalog` entry");
  };
  const registryNode = mapGet(top, "registry");
  const registry = registryNode === undefined ? undefined : r.map(registryNode, "resolved schema `registry`", top);
  const defined = new Map<string, RawAttributeDefinition>();
  const define = (index: number) => {
    const key = keyOf(index);
    if (key === undefined || defined.has(key)) return;
    const def = readAttributeDefinition(r, catalog[index]!, "key", "`attribute_catalog` entry");
    if (def) defined.set(key, def);
  };
  const indexAt = (node: Node | undefined, context: string, at: Node): number | undefined => {
    const index =
      isScalar(node) && typeof node.value === "number" && Number.isInteger(node.value) ? node.value : undefined;
    if (index === undefined) r.expected("an index into `attribute_catalog`", node, context, at);
    else if (keyOf(index) === undefined)
      r.error(
        "ref.unresolved",
        `${context}: no \`attribute_catalog\` entry ${index} (the catalog has ${catalog.length})`,
        r.loc(node),
      );
    else return index;
    return undefined;
  };
  if (registry) {
    const own = r.seq(registry, "attributes", "resolved schema `registry`");
    for (const item of own?.items ?? []) {
      const index = indexAt(item as Node, "`registry.attributes`", registry);
      if (index !== undefined) define(index);
    }
    for (const section of RESOLVED_SECTIONS) {
      const seq = r.seq(registry, section, "resolved schema `registry`");
      for (const signal of seq?.items ?? []) {
        if (!isMap(signal)) continue;
        for (const field of ["attributes", "identity", "description"]) {
          const uses = mapGet(signal, field);
          if (uses === undefined || !("items" in uses) || !Array.isArray(uses.items)) continue;
          // A use whose base names no entry is reported here and dropped, so it is not read again as a bad `ref`.
          uses.items = uses.items.filter((use) => !isMap(use) || rewriteBase(use, section, keyOf, indexAt, define));
        }
      }
    }
  }
  // `provenance.source` indexes the schema's `dependencies`: the registry the item was taken from.
  const dependencies = (mapGet(top, "dependencies")?.toJSON() as unknown) ?? [];
  const provenanceOf = (signal: YAMLMap): string | undefined => {
    const provenance = mapGet(signal, "provenance")?.toJSON() as { source?: unknown } | undefined;
    const source = provenance?.source;
    const url =
      Array.isArray(dependencies) && typeof source === "number" ? (dependencies[source] as unknown) : undefined;
    return typeof url === "string" ? url : undefined;
  };
  return { attributes: [...defined.values()], ...(registry ? { registry } : {}), provenanceOf };
}

/**
 * `base: 3` → `ref: <key of catalog entry 3>` in place, keeping the entry's places for diagnostics; false (reported)
 * when the base names no entry.
 */
function rewriteBase(
  use: YAMLMap,
  section: string,
  keyOf: (index: number) => string | undefined,
  indexAt: (node: Node | undefined, context: string, at: Node) => number | undefined,
  define: (index: number) => void,
): boolean {
  const pair = mapPair(use, "base");
  if (!pair) return true;
  const index = indexAt(pair.value as Node | undefined, `\`registry.${section}\` attribute \`base\``, use);
  if (index === undefined) return false;
  define(index);
  const key = new Scalar("ref");
  key.range = (pair.key as Scalar).range ?? null;
  const value = new Scalar(keyOf(index)!);
  value.range = (pair.value as Scalar).range ?? null;
  pair.key = key;
  pair.value = value;
  return true;
}
