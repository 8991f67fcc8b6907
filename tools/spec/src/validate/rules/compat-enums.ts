/**
 * `codegen.compat_enums`: each entry names an enum attribute and the ids of the members upstream's enum has,
 * so the compat declaration can hold exactly upstream's members (`manifest.compat-enum` otherwise). Its name is
 * checked with every other chosen name (rules/identifiers.ts, naming/assign.ts).
 */
import { didYouMean } from "../../util/suggest.js";
import type { Rule } from "../context.js";

export const compatEnums: Rule = (ctx) => {
  const codegen = ctx.registry.manifest?.codegen;
  for (const compat of codegen?.compatEnums ?? []) {
    const where = `compat enum \`${compat.name}\``;
    const def = ctx.index.definitions.get(compat.attribute)?.def;
    if (def?.type?.kind !== "enum") {
      const why = def
        ? "which is not an enum"
        : `which is not defined${didYouMean(compat.attribute, ctx.index.definitions.keys())}`;
      ctx.report("manifest.compat-enum", "error", `${where} names \`${compat.attribute}\`, ${why}`, compat.location);
      continue;
    }
    const ids = def.type.members.map((m) => m.id);
    const seen = new Set<string>();
    for (const id of compat.members) {
      if (seen.has(id)) ctx.report("manifest.compat-enum", "error", `${where} lists \`${id}\` twice`, compat.location);
      else if (!ids.includes(id))
        ctx.report(
          "manifest.compat-enum",
          "error",
          `${where}: \`${compat.attribute}\` has no member \`${id}\`${didYouMean(id, ids)}`,
          compat.location,
        );
      seen.add(id);
    }
  }
};
