/**
 * A key that is a leaf (it has a value) must not also be the prefix of other keys, or a flattened
 * span could not tell `a.b = 1` from `a.b.c = 2`. Allowed: templates and namespaces (prefixes by
 * design), a deprecated leaf whose longer replacement took its name (reported as a warning), and a
 * leaf declaring `annotations: { semtrace: { prefix: true } }`.
 */
import { hasFlag } from "../../model/annotations.js";
import type { Rule } from "../context.js";

export const leafAndPrefix: Rule = (ctx) => {
  const keys = [...ctx.index.definitions.keys()].sort();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const entry = ctx.index.definitions.get(key)!;
    const kind = entry.def.type?.kind;
    if (kind === "template" || kind === "namespace") continue;
    const children: string[] = [];
    // Sorted order puts every `key.` child right after `key` (only keys sharing the `key.` prefix sort between).
    for (let j = i + 1; j < keys.length && keys[j]!.startsWith(key); j++) {
      if (keys[j]!.startsWith(`${key}.`)) children.push(keys[j]!);
    }
    if (children.length === 0) continue;
    if (hasFlag(entry.def.semtrace, "prefix")) continue;
    const deprecated = entry.def.deprecated !== undefined;
    ctx.report(
      "key.leaf-and-prefix",
      deprecated ? "warning" : "error",
      `\`${key}\` is an attribute and also the prefix of ${children
        .map((c) => `\`${c}\``)
        .slice(0, 3)
        .join(", ")}${children.length > 3 ? ` and ${children.length - 3} more` : ""}` +
        (deprecated
          ? " (allowed: it is deprecated)"
          : "; declare it with `annotations: { semtrace: { prefix: true } }` if intended, or make it a template or namespace"),
      entry.def.location,
    );
  }
  for (const [key, { def }] of ctx.index.definitions) {
    if (def.type?.kind !== "namespace") continue;
    if (!keys.some((k) => k.startsWith(`${key}.`))) {
      ctx.report("namespace.empty", "warning", `namespace \`${key}\` is not the prefix of any attribute`, def.location);
    }
  }
};
