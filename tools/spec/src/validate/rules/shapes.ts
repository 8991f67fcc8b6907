/**
 * Rules for JSON shapes (spec/README.md §2.8), the `json_object` and `json_union` groups that describe what a
 * `format: json` attribute holds:
 * - every shape a `shape`, `one_of`, `legacy` or property type names exists and has the right group type
 *   (`shape.unresolved`);
 * - a property is defined in place with a name JSON paths can show and a type a JSON value can have: a primitive,
 *   an enum, `list[...]` or `object[...]` of a shape (`shape.property`);
 * - a union can always tell its alternatives apart: each defines the discriminator as a required enum, or, for
 *   at most one fallback, a required string, and no value picks two alternatives (`shape.discriminator`);
 * - shapes do not contain themselves (`shape.cycle`), so checking a value ends.
 */
import { formatLocation } from "../../model/diagnostics.js";
import { jsonUnionAnnotations, readAnnotation, type ShapeRef } from "../../model/annotations.js";
import { isShapeGroup } from "../../model/raw-index.js";
import type { RawAttributeDefinition, RawGroup } from "../../model/raw.js";
import { didYouMean } from "../../util/suggest.js";
import type { Rule, RuleContext } from "../context.js";
import { enumMembers } from "./definitions.js";
import { cycleThrough } from "./structures.js";

/** Property names show in JSON paths (`gen_ai.input.messages[0].parts[1].mime_type`) and in generated code. */
const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function shapeGroups(ctx: RuleContext): Map<string, RawGroup> {
  const out = new Map<string, RawGroup>();
  for (const group of ctx.registry.groups) if (isShapeGroup(group) && !out.has(group.id)) out.set(group.id, group);
  return out;
}

/** Reports `id` when it names no shape group, or one of another type than `want`. */
function resolves(
  ctx: RuleContext,
  shapes: ReadonlyMap<string, RawGroup>,
  id: string,
  want: "json_object" | "any",
  where: string,
  location: RawGroup["location"],
): RawGroup | undefined {
  const target = shapes.get(id);
  if (target === undefined) {
    const other = ctx.index.groups.get(id);
    const why = other
      ? `is a group of type \`${other.type}\`, not a JSON shape (\`json_object\` or \`json_union\`)`
      : `names no JSON shape${didYouMean(id, shapes.keys())}`;
    ctx.report("shape.unresolved", "error", `${where}: \`${id}\` ${why}`, location);
    return undefined;
  }
  if (want === "json_object" && target.type !== "json_object") {
    ctx.report(
      "shape.unresolved",
      "error",
      `${where}: \`${id}\` is a \`${target.type}\` group; a \`json_object\` is expected here`,
      location,
    );
    return undefined;
  }
  return target;
}

function properties(group: RawGroup): RawAttributeDefinition[] {
  return group.members.filter((m): m is RawAttributeDefinition => m.kind === "definition");
}

function checkObject(ctx: RuleContext, shapes: ReadonlyMap<string, RawGroup>, group: RawGroup): void {
  const seen = new Map<string, string>();
  for (const member of group.members) {
    if (member.kind !== "definition") {
      ctx.report(
        "shape.property",
        "error",
        `json_object \`${group.id}\`: properties are defined in place (\`id:\` and \`type:\`); \`ref\` and \`ref_group\` name registry attributes, which are not properties of a JSON object`,
        member.location,
      );
      continue;
    }
    const where = `property \`${member.key}\` of \`${group.id}\``;
    const first = seen.get(member.key);
    if (first !== undefined)
      ctx.report("shape.property", "error", `${where} is already defined at ${first}`, member.location);
    else seen.set(member.key, formatLocation(member.location));
    if (!PROPERTY_NAME.test(member.key))
      ctx.report(
        "shape.property",
        "error",
        `${where}: a property name is letters, digits and underscores, not starting with a digit`,
        member.location,
      );
    const type = member.type;
    const at = member.typeLocation ?? member.location;
    if (type === undefined) {
      ctx.report("type.missing", "error", `${where} has no \`type\``, member.location);
      continue;
    }
    switch (type.kind) {
      case "primitive":
        break;
      case "enum":
        enumMembers(ctx, `${group.id}.${member.key}`, type.members);
        break;
      case "list":
      case "object":
        resolves(ctx, shapes, type.object, "any", `${where} has type ${type.kind}[${type.object}]`, at);
        break;
      case "unknown":
        ctx.report(
          "type.unknown",
          "error",
          `unknown type \`${type.text}\` for ${where}: expected string, int, double, boolean, their arrays, any, an enum (members:), list[<json shape>] or object[<json shape>]`,
          at,
        );
        break;
      default:
        ctx.report(
          "shape.property",
          "error",
          `${where} has type ${type.kind}, which a JSON property cannot have: expected a primitive, an enum, list[<json shape>] or object[<json shape>]`,
          at,
        );
    }
  }
  for (const entry of group.semtrace?.entries ?? []) {
    if (entry.name !== "legacy") continue;
    const ids = readAnnotation(entry);
    if (Array.isArray(ids))
      for (const id of ids as string[])
        resolves(ctx, shapes, id, "json_object", `json_object \`${group.id}\` legacy`, entry.valueLocation);
  }
}

function checkUnion(ctx: RuleContext, shapes: ReadonlyMap<string, RawGroup>, group: RawGroup): void {
  for (const member of group.members) {
    ctx.report(
      "shape.property",
      "error",
      `json_union \`${group.id}\` lists its alternatives in \`annotations.semtrace.one_of\`; it has no properties of its own`,
      member.location,
    );
  }
  const { discriminator = "type", oneOf } = jsonUnionAnnotations(group.semtrace);
  const entry = group.semtrace?.entries.find((e) => e.name === "one_of");
  if (oneOf.length === 0) {
    if (!entry)
      ctx.report(
        "shape.discriminator",
        "error",
        `json_union \`${group.id}\` names no alternatives: add \`annotations.semtrace.one_of: [<json_object>, …]\``,
        group.location,
      );
    return;
  }
  const location = entry?.valueLocation ?? group.location;
  const picks = new Map<string, string>();
  let fallback: string | undefined;
  for (const id of oneOf) {
    const target = resolves(ctx, shapes, id, "json_object", `json_union \`${group.id}\` one_of`, location);
    if (!target) continue;
    const tag = properties(target).find((p) => p.key === discriminator);
    const where = `json_union \`${group.id}\`: alternative \`${id}\``;
    if (tag?.requirementLevel?.level !== "required") {
      ctx.report(
        "shape.discriminator",
        "error",
        `${where} must define the discriminator \`${discriminator}\` as a required property`,
        tag?.location ?? target.location,
      );
      continue;
    }
    const type = tag.type;
    if (type?.kind === "primitive" && type.name === "string") {
      if (fallback !== undefined)
        ctx.report(
          "shape.discriminator",
          "error",
          `${where} takes any \`${discriminator}\`, as \`${fallback}\` does already: a union has at most one fallback`,
          tag.location,
        );
      else fallback = id;
    } else if (type?.kind === "enum") {
      for (const member of type.members) {
        const value = JSON.stringify(member.value);
        const other = picks.get(value);
        if (other !== undefined)
          ctx.report(
            "shape.discriminator",
            "error",
            `${where}: \`${discriminator}\` ${value} already picks \`${other}\``,
            member.location,
          );
        else picks.set(value, id);
      }
    } else {
      ctx.report(
        "shape.discriminator",
        "error",
        `${where}: the discriminator \`${discriminator}\` must be an enum (the values that pick it) or, for the fallback, a string`,
        tag.typeLocation ?? tag.location,
      );
    }
  }
}

/** The shapes a shape's values contain: property types and union alternatives (legacy shapes are not nested). */
function children(group: RawGroup): string[] {
  if (group.type === "json_union") return [...jsonUnionAnnotations(group.semtrace).oneOf];
  return properties(group).flatMap((p) =>
    p.type?.kind === "list" || p.type?.kind === "object" ? [p.type.object] : [],
  );
}

function cycles(ctx: RuleContext, shapes: ReadonlyMap<string, RawGroup>): void {
  const childrenOf = (id: string): string[] => {
    const group = shapes.get(id);
    return group ? children(group) : [];
  };
  for (const group of shapes.values()) {
    const path = cycleThrough(group.id, childrenOf);
    if (path)
      ctx.report(
        "shape.cycle",
        "error",
        `JSON shape \`${group.id}\` contains itself through ${path.join(" → ")}; shapes must not nest recursively`,
        group.location,
      );
  }
}

/** Attributes naming a shape: the shape exists, and the attribute holds JSON; `plain_text` only beside a shape. */
function attributeShapes(ctx: RuleContext, shapes: ReadonlyMap<string, RawGroup>): void {
  for (const { def } of ctx.index.allDefinitions) {
    const entries = def.semtrace?.entries ?? [];
    const plain = entries.find((e) => e.name === "plain_text");
    if (plain !== undefined && !entries.some((e) => e.name === "shape")) {
      ctx.report(
        "annotation.misplaced",
        "error",
        `attribute \`${def.key}\`: \`plain_text\` names a form of a JSON shape's content and applies beside \`shape\` only`,
        plain.location,
      );
    }
    const entry = entries.find((e) => e.name === "shape");
    const shape = entry === undefined ? undefined : (readAnnotation(entry) as ShapeRef | undefined);
    if (entry === undefined || shape === undefined) continue;
    if (!entries.some((e) => e.name === "format" && e.value === "json")) {
      ctx.report(
        "annotation.misplaced",
        "error",
        `attribute \`${def.key}\`: \`shape\` applies to attributes with \`format: json\` only`,
        entry.location,
      );
    }
    resolves(ctx, shapes, shape.shape, "any", `attribute \`${def.key}\` shape`, entry.valueLocation);
  }
}

export const jsonShapes: Rule = (ctx) => {
  const shapes = shapeGroups(ctx);
  for (const group of shapes.values()) {
    if (group.type === "json_union") checkUnion(ctx, shapes, group);
    else checkObject(ctx, shapes, group);
  }
  cycles(ctx, shapes);
  attributeShapes(ctx, shapes);
};
