/**
 * Derives the redaction table from the spec itself (spec/openinference YAML, loaded and resolved by
 * @semtrace/codegen), following spec/README.md §2.5: walk every flattened key from its span-level attribute
 * to the leaf, collect the `redact` groups named on the way (map form: the entry for the span-level
 * attribute the walk started from), and decide per group whether hiding masks (`__REDACTED__`: the group is
 * named on the leaf and the leaf is a `sensitivity: content` string) or removes the key.
 *
 * The table shipped in src/redaction-table.ts must equal what this returns (test/redaction-table.test.ts).
 */
import { fileURLToPath } from "node:url";
import { buildRegistry, type Attribute } from "@semtrace/codegen";
import type { RedactionRule } from "../../src/redaction-table.js";

const SPEC = fileURLToPath(new URL("../../../../spec/openinference", import.meta.url));

/** The redaction groups `redact` names for `attr` on a key that starts at the span-level attribute `top`. */
function groupsOf(attr: Attribute, top: string): readonly string[] {
  const redact = attr.semtrace.redact;
  if (redact === undefined) return [];
  return redact.kind === "groups" ? redact.groups : (redact.groups[top] ?? []);
}

export interface DerivedTable {
  readonly rules: Record<string, RedactionRule>;
  /** Template (open-ended) keys that carry annotations: the runtime table cannot express them. */
  readonly annotatedTemplates: string[];
  readonly groups: Set<string>;
}

export async function deriveRedactionTable(): Promise<DerivedTable> {
  const { registry, diagnostics } = await buildRegistry(SPEC);
  if (!registry) throw new Error(`spec/openinference does not build: ${diagnostics.map((d) => d.message).join("; ")}`);
  const attrs = new Map(registry.attributes.map((a) => [a.key, a]));
  const objects = new Map(registry.objects.map((o) => [o.id, o]));
  const rules: Record<string, RedactionRule> = {};
  const annotatedTemplates: string[] = [];
  const groups = new Set<string>();

  const visit = (attr: Attribute, prefix: string, path: readonly Attribute[], top: string, depth: number): void => {
    const here = prefix + attr.key;
    const walk = [...path, attr];
    const type = attr.type;
    if (type.kind === "list" || type.kind === "object") {
      const object = objects.get(type.object);
      if (!object || depth >= 8) return;
      const base = type.kind === "list" ? `${here}.*.` : `${here}.`;
      for (const field of object.fields) {
        const f = attrs.get(field.key);
        if (f) visit(f, base, walk, top, depth + 1);
      }
      return;
    }
    if (type.kind === "namespace") return;
    const leafGroups = new Set(groupsOf(attr, top));
    const all = new Set<string>();
    for (const a of walk) for (const g of groupsOf(a, top)) all.add(g);
    const content = attr.semtrace.sensitivity === "content";
    if (type.kind === "template") {
      if (all.size > 0 || content) annotatedTemplates.push(here);
      return;
    }
    if (all.size === 0 && !content) return;
    const maskable = content && type.kind === "primitive" && type.name === "string";
    const mask: string[] = [];
    const remove: string[] = [];
    for (const g of [...all].sort()) {
      groups.add(g);
      (maskable && leafGroups.has(g) ? mask : remove).push(g);
    }
    const rule: { content?: true; mask?: string[]; remove?: string[] } = {};
    if (content) rule.content = true;
    if (mask.length) rule.mask = mask;
    if (remove.length) rule.remove = remove;
    rules[here] = rule as RedactionRule;
  };
  for (const attr of registry.attributes) if (attr.topLevel) visit(attr, "", [], attr.key, 0);
  return { rules, annotatedTemplates, groups };
}
