/** Rules about links between things: `ref`, `ref_group`, `extends`, requirement levels, extends cycles. */
import { didYouMean } from "../../util/suggest.js";
import { lookupDefinition, lookupGroup } from "../../model/raw-index.js";
import type { Rule } from "../context.js";

const LEVELS = ["required", "conditionally_required", "recommended", "opt_in"];

export const references: Rule = (ctx) => {
  for (const group of ctx.registry.groups) {
    for (const member of group.members) {
      if (member.kind === "reference" && lookupDefinition(ctx.index, member.ref) === undefined) {
        ctx.report(
          "ref.unresolved",
          "error",
          `group \`${group.id}\` references attribute \`${member.ref}\`, which is not defined${didYouMean(member.ref, [...ctx.index.definitions.keys(), ...ctx.index.external.keys()])}`,
          member.location,
        );
      }
      if (member.kind === "group-reference") {
        const target = lookupGroup(ctx.index, member.refGroup);
        if (!target) {
          ctx.report(
            "ref-group.unresolved",
            "error",
            `group \`${group.id}\` references group \`${member.refGroup}\`, which does not exist${didYouMean(member.refGroup, ctx.index.groups.keys())}`,
            member.location,
          );
        }
      }
      if (member.kind !== "group-reference" && member.requirementLevel) {
        const rl = member.requirementLevel;
        if (!LEVELS.includes(rl.level)) {
          ctx.report(
            "requirement-level.unknown",
            "error",
            `unknown requirement level \`${rl.level}\`: expected required, conditionally_required, recommended or opt_in`,
            rl.location,
          );
        } else if (rl.level === "conditionally_required" && !rl.condition) {
          ctx.report(
            "requirement-level.condition-missing",
            "error",
            "`conditionally_required` needs a condition: `conditionally_required: <when>`",
            rl.location,
          );
        } else if ((rl.level === "required" || rl.level === "opt_in") && rl.condition) {
          ctx.report("requirement-level.unknown", "error", `\`${rl.level}\` takes no condition`, rl.location);
        }
      }
    }
    if (group.extends !== undefined) {
      if (lookupGroup(ctx.index, group.extends) === undefined) {
        ctx.report(
          "extends.unresolved",
          "error",
          `group \`${group.id}\` extends \`${group.extends}\`, which does not exist${didYouMean(group.extends, ctx.index.groups.keys())}`,
          group.extendsLocation ?? group.location,
        );
      }
    }
  }
  extendsCycles(ctx);
};

const extendsCycles: Rule = (ctx) => {
  for (const group of ctx.registry.groups) {
    const seen = new Set<string>([group.id]);
    let current = group.extends;
    while (current !== undefined) {
      if (current === group.id) {
        ctx.report(
          "extends.cycle",
          "error",
          `group \`${group.id}\` extends itself through ${[...seen].join(" → ")} → ${current}`,
          group.extendsLocation ?? group.location,
        );
        break;
      }
      if (seen.has(current)) break; // a cycle not through this group; reported from its own members
      seen.add(current);
      current = lookupGroup(ctx.index, current)?.extends;
    }
  }
};
