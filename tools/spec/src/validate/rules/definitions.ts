/** Rules about each definition on its own: ids, keys, types, enums, stability, deprecation. */
import { formatLocation } from "../../model/diagnostics.js";
import { lookupDefinition } from "../../model/raw-index.js";
import type { RawDeprecated, RawEnumMember } from "../../model/raw.js";
import { didYouMean } from "../../util/suggest.js";
import type { Rule, RuleContext } from "../context.js";

/** Lowercase dot-separated segments of letters, digits and underscores; each segment starts with a letter or digit. */
export const KEY_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9][a-z0-9_]*)*$/;

export const STABILITY_LEVELS = [
  "stable",
  "development",
  "experimental",
  "alpha",
  "beta",
  "release_candidate",
  "deprecated",
];
const DEPRECATION_REASONS = ["renamed", "obsoleted", "uncategorized", "unspecified"];

export const duplicateGroups: Rule = (ctx) => {
  const seen = new Map<string, string>();
  for (const group of ctx.registry.groups) {
    const first = seen.get(group.id);
    if (first !== undefined) {
      ctx.report("group.duplicate-id", "error", `group id \`${group.id}\` is already used at ${first}`, group.location);
    } else seen.set(group.id, formatLocation(group.location));
  }
};

export const duplicateAttributes: Rule = (ctx) => {
  const seen = new Map<string, string>();
  for (const { def } of ctx.index.allDefinitions) {
    const first = seen.get(def.key);
    if (first !== undefined) {
      ctx.report(
        "attribute.duplicate-key",
        "error",
        `attribute \`${def.key}\` is already defined at ${first}`,
        def.location,
      );
    } else seen.set(def.key, formatLocation(def.location));
  }
};

export const keySyntax: Rule = (ctx) => {
  for (const { def } of ctx.index.allDefinitions) {
    if (!KEY_PATTERN.test(def.key)) {
      ctx.report(
        "key.invalid",
        "error",
        `invalid attribute key \`${def.key}\`: expected lowercase dot-separated segments of letters, digits and underscores (e.g. \`llm.model_name\`)`,
        def.location,
      );
    }
  }
};

export const types: Rule = (ctx) => {
  for (const { def, group } of ctx.index.allDefinitions) {
    const where = def.typeLocation ?? def.location;
    const type = def.type;
    if (type === undefined) {
      ctx.report("type.missing", "error", `attribute \`${def.key}\` has no \`type\``, def.location);
      continue;
    }
    switch (type.kind) {
      case "unknown":
        ctx.report(
          "type.unknown",
          "error",
          `unknown type \`${type.text}\` for \`${def.key}\`: expected string, int, double, boolean, string[], int[], double[], boolean[], any, template[T], an enum (members:), list[<object group>], object[<object group>] or namespace`,
          where,
        );
        break;
      case "list":
      case "object": {
        const target = ctx.index.groups.get(type.object);
        if (!target) {
          const objects = ctx.registry.groups.filter((g) => g.type === "object").map((g) => g.id);
          ctx.report(
            "type.object-unresolved",
            "error",
            `\`${def.key}\` has type ${type.kind}[${type.object}] but no object group \`${type.object}\` exists${didYouMean(type.object, objects)}`,
            where,
          );
        } else if (target.type !== "object") {
          ctx.report(
            "type.object-unresolved",
            "error",
            `\`${def.key}\` has type ${type.kind}[${type.object}] but \`${type.object}\` is a group of type \`${target.type}\`, not \`object\``,
            where,
          );
        }
        break;
      }
      case "enum":
        enumMembers(ctx, def.key, type.members);
        break;
      default:
        break;
    }
    if (group?.type === "object" && type.kind === "namespace") {
      ctx.report("type.namespace-field", "error", `object field \`${def.key}\` cannot be a namespace`, where);
    }
  }
};

export function enumMembers(ctx: RuleContext, key: string, members: readonly RawEnumMember[]): void {
  const ids = new Map<string, string>();
  const values = new Map<string, string>();
  let valueType: string | undefined;
  for (const member of members) {
    const firstId = ids.get(member.id);
    if (firstId !== undefined) {
      ctx.report(
        "enum.duplicate-member",
        "error",
        `enum \`${key}\` already has a member \`${member.id}\` (at ${firstId})`,
        member.location,
      );
    } else ids.set(member.id, formatLocation(member.location));
    const valueKey = `${typeof member.value}:${String(member.value)}`;
    const firstValue = values.get(valueKey);
    // A member renamed to another keeps its value under the old id (upstream's `completion` → `output`): no news.
    if (firstValue !== undefined && member.deprecated?.reason !== "renamed") {
      ctx.report(
        "enum.duplicate-value",
        "warning",
        `enum \`${key}\` member \`${member.id}\` repeats the value ${JSON.stringify(member.value)} (first at ${firstValue})`,
        member.location,
      );
    } else values.set(valueKey, formatLocation(member.location));
    const t =
      typeof member.value === "number" ? (Number.isInteger(member.value) ? "int" : "double") : typeof member.value;
    if (t === "double") {
      ctx.report(
        "enum.value-type",
        "error",
        `enum \`${key}\` member \`${member.id}\` has a non-integer number; enum values are strings, ints or booleans`,
        member.location,
      );
    } else if (valueType === undefined) valueType = t;
    else if (t !== valueType) {
      ctx.report(
        "enum.value-type",
        "error",
        `enum \`${key}\` mixes value types: member \`${member.id}\` is ${t}, earlier members are ${valueType}`,
        member.location,
      );
    }
    if (member.stability !== undefined)
      stability(ctx, member.stability, `enum member \`${key}\`.\`${member.id}\``, member.location);
    if (member.deprecated) deprecation(ctx, member.deprecated, `enum member \`${member.id}\``, false);
  }
  if (members.length === 0)
    ctx.report(
      "enum.empty",
      "error",
      `enum \`${key}\` has no members`,
      ctx.index.definitions.get(key)?.def.location ?? { file: ctx.registry.root, line: 1, col: 1 },
    );
}

function stability(
  ctx: RuleContext,
  value: string,
  what: string,
  location: Parameters<RuleContext["report"]>[3],
): void {
  if (!STABILITY_LEVELS.includes(value)) {
    ctx.report(
      "stability.unknown",
      "warning",
      `${what} has unknown stability \`${value}\`: expected one of ${STABILITY_LEVELS.join(", ")}`,
      location,
    );
  }
}

function deprecation(ctx: RuleContext, dep: RawDeprecated, what: string, checkTarget: boolean): void {
  if (!DEPRECATION_REASONS.includes(dep.reason)) {
    ctx.report(
      "deprecated.reason",
      "error",
      `${what}: unknown deprecation reason \`${dep.reason}\`: expected renamed, obsoleted, uncategorized or unspecified`,
      dep.location,
    );
    return;
  }
  if (dep.reason === "renamed" && dep.renamedTo === undefined) {
    ctx.report(
      "deprecated.renamed-to-missing",
      "error",
      `${what}: reason \`renamed\` needs \`renamed_to\``,
      dep.location,
    );
  }
  if (checkTarget && dep.renamedTo !== undefined && lookupDefinition(ctx.index, dep.renamedTo) === undefined) {
    ctx.report(
      "deprecated.renamed-to-unresolved",
      "error",
      `${what} is renamed to \`${dep.renamedTo}\`, which is not defined${didYouMean(dep.renamedTo, ctx.index.definitions.keys())}`,
      dep.location,
    );
  }
}

export const stabilityAndDeprecation: Rule = (ctx) => {
  for (const { def } of ctx.index.allDefinitions) {
    if (def.stability !== undefined) stability(ctx, def.stability, `attribute \`${def.key}\``, def.location);
    if (def.deprecated) deprecation(ctx, def.deprecated, `attribute \`${def.key}\``, true);
  }
  for (const group of ctx.registry.groups) {
    if (group.stability !== undefined) stability(ctx, group.stability, `group \`${group.id}\``, group.location);
  }
};
