/**
 * Rules for the semtrace structure extension and templates:
 * - object groups must not contain themselves (directly or through nested list/object fields),
 *   or flattening would never end;
 * - a key defined under a template prefix must carry the template's value type, since both name
 *   the same flattened key.
 */
import type { RawType } from "../../model/raw.js";
import type { Rule } from "../context.js";

function objectOf(type: RawType | undefined): string | undefined {
  return type && (type.kind === "list" || type.kind === "object") ? type.object : undefined;
}

export const objectCycles: Rule = (ctx) => {
  const fieldsOf = (groupId: string): string[] => {
    const group = ctx.index.groups.get(groupId);
    if (group?.type !== "object") return [];
    const out: string[] = [];
    for (const m of group.members) {
      const key = m.kind === "definition" ? m.key : m.kind === "reference" ? m.ref : undefined;
      const target = key === undefined ? undefined : objectOf(ctx.index.definitions.get(key)?.def.type);
      if (target) out.push(target);
    }
    return out;
  };
  for (const group of ctx.registry.groups) {
    if (group.type !== "object") continue;
    const path = cycleThrough(group.id, fieldsOf);
    if (path)
      ctx.report(
        "type.object-cycle",
        "error",
        `object group \`${group.id}\` contains itself through ${path.join(" → ")}; structures must not nest recursively`,
        group.location,
      );
  }
};

/** A path from `start` back to itself through `children` (depth-first), or undefined when there is none. */
export function cycleThrough(start: string, children: (id: string) => readonly string[]): string[] | undefined {
  const stack: { id: string; path: string[] }[] = children(start).map((id) => ({ id, path: [start, id] }));
  const seen = new Set<string>();
  while (stack.length > 0) {
    const { id, path } = stack.pop()!;
    if (id === start) return path;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of children(id)) stack.push({ id: next, path: [...path, next] });
  }
  return undefined;
}

export const templateChildren: Rule = (ctx) => {
  const templates = new Map<string, string>();
  for (const [key, { def }] of ctx.index.definitions)
    if (def.type?.kind === "template") templates.set(key, def.type.inner);
  if (templates.size === 0) return;
  for (const [key, { def }] of ctx.index.definitions) {
    // Look up each dotted prefix of the key: linear in the number of segments, not in templates.
    for (let dot = key.indexOf("."); dot !== -1; dot = key.indexOf(".", dot + 1)) {
      const templateKey = key.slice(0, dot);
      const inner = templates.get(templateKey);
      if (inner === undefined || inner === "any") continue;
      const own = valueTypeName(def.type);
      if (own !== inner) {
        ctx.report(
          "type.template-child",
          "error",
          `\`${key}\` is under the template \`${templateKey}\` (${inner} values) but has type ${own ?? "none"}; a key under a template must carry the template's type`,
          def.typeLocation ?? def.location,
        );
      }
    }
  }
};

function valueTypeName(t: RawType | undefined): string | undefined {
  if (t?.kind === "primitive") return t.name;
  if (t?.kind === "enum") {
    const v = t.members[0]?.value;
    return typeof v === "number" ? "int" : typeof v === "boolean" ? "boolean" : "string";
  }
  return t?.kind;
}
