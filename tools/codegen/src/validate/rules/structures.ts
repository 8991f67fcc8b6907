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
    if (!group || group.type !== "object") return [];
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
    // Depth-first search for a path back to this group.
    const stack: { id: string; path: string[] }[] = fieldsOf(group.id).map((id) => ({ id, path: [group.id, id] }));
    const seen = new Set<string>();
    while (stack.length > 0) {
      const { id, path } = stack.pop()!;
      if (id === group.id) {
        ctx.report("type.object-cycle", "error", `object group \`${group.id}\` contains itself through ${path.join(" → ")}; structures must not nest recursively`, group.location);
        break;
      }
      if (seen.has(id)) continue;
      seen.add(id);
      for (const next of fieldsOf(id)) stack.push({ id: next, path: [...path, next] });
    }
  }
};

export const templateChildren: Rule = (ctx) => {
  const templates = [...ctx.index.definitions.values()].filter(({ def }) => def.type?.kind === "template");
  if (templates.length === 0) return;
  for (const { def } of ctx.index.definitions.values()) {
    for (const { def: template } of templates) {
      if (template.type?.kind !== "template" || !def.key.startsWith(`${template.key}.`)) continue;
      const inner = template.type.inner;
      const t = def.type;
      const own = t?.kind === "primitive" ? t.name : t?.kind === "enum" ? (typeof t.members[0]?.value === "number" ? "int" : typeof t.members[0]?.value === "boolean" ? "boolean" : "string") : t?.kind;
      if (inner !== "any" && own !== inner) {
        ctx.report(
          "type.template-child",
          "error",
          `\`${def.key}\` is under the template \`${template.key}\` (${inner} values) but has type ${own ?? "none"}; a key under a template must carry the template's type`,
          def.typeLocation ?? def.location,
        );
      }
    }
  }
};
