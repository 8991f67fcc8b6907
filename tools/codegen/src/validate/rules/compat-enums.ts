/**
 * `codegen.compat_enums`: each entry names an enum attribute and the ids of the members upstream's enum has,
 * so the compat declaration can hold exactly upstream's members, under a name no other generated declaration
 * takes (`manifest.compat-enum` otherwise).
 */
import { didYouMean } from "../../util/suggest.js";
import type { Rule } from "../context.js";

export const compatEnums: Rule = (ctx) => {
  const codegen = ctx.registry.manifest?.codegen;
  // Names the other generated declarations take (exported side by side from the package's index).
  const taken = new Set([...Object.values(codegen?.enums ?? {}), ...(codegen?.compatObjects ?? []).map((c) => c.name)]);
  for (const compat of codegen?.compatEnums ?? []) {
    const where = `compat enum \`${compat.name}\``;
    if (taken.has(compat.name)) {
      ctx.report("manifest.compat-enum", "error", `${where}: the name is already taken by an enum or compat object of the registry`, compat.location);
      continue;
    }
    taken.add(compat.name);
    const def = ctx.index.definitions.get(compat.attribute)?.def;
    if (def?.type?.kind !== "enum") {
      const why = def ? "which is not an enum" : `which is not defined${didYouMean(compat.attribute, ctx.index.definitions.keys())}`;
      ctx.report("manifest.compat-enum", "error", `${where} names \`${compat.attribute}\`, ${why}`, compat.location);
      continue;
    }
    const ids = def.type.members.map((m) => m.id);
    const seen = new Set<string>();
    for (const id of compat.members) {
      if (seen.has(id)) ctx.report("manifest.compat-enum", "error", `${where} lists \`${id}\` twice`, compat.location);
      else if (!ids.includes(id)) ctx.report("manifest.compat-enum", "error", `${where}: \`${compat.attribute}\` has no member \`${id}\`${didYouMean(id, ids)}`, compat.location);
      seen.add(id);
    }
  }
};
