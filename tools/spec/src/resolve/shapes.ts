/**
 * JSON shapes (spec/README.md §2.8): `json_object` and `json_union` groups → the typed shapes validators check
 * the content of JSON attributes against. Pure; validation (validate/rules/shapes.ts) already made sure every
 * reference resolves, every property type is one a shape may hold and every union can pick its alternative.
 */
import { jsonObjectAnnotations, jsonUnionAnnotations, propertyAnnotations } from "../model/annotations.js";
import { compareStrings } from "../model/diagnostics.js";
import { isShapeGroup } from "../model/raw-index.js";
import type { RawAttributeDefinition, RawGroup, RawRegistry } from "../model/raw.js";
import type { ObjectShape, PropertyType, Shape, ShapeProperty, UnionShape } from "../model/resolved.js";

export function resolveShapes(raw: RawRegistry): Shape[] {
  const groups = new Map<string, RawGroup>();
  for (const group of raw.groups) if (isShapeGroup(group) && !groups.has(group.id)) groups.set(group.id, group);
  return [...groups.values()]
    .sort((a, b) => compareStrings(a.id, b.id))
    .map((g) => (g.type === "json_union" ? union(g, groups) : object(g)));
}

/** The definitions of a `json_object` group, in the order written (the first of a repeated name wins). */
export function shapeProperties(group: RawGroup): RawAttributeDefinition[] {
  const seen = new Set<string>();
  const out: RawAttributeDefinition[] = [];
  for (const member of group.members) {
    if (member.kind !== "definition" || seen.has(member.key)) continue;
    seen.add(member.key);
    out.push(member);
  }
  return out;
}

function docs(group: RawGroup): { id: string; brief: string; note: string; rationale: string } {
  return { id: group.id, brief: group.brief ?? "", note: group.note ?? "", rationale: group.rationale ?? "" };
}

function object(group: RawGroup): ObjectShape {
  const annotations = jsonObjectAnnotations(group.semtrace);
  return {
    kind: "object",
    ...docs(group),
    open: annotations.open,
    properties: shapeProperties(group).map(property),
    legacy: annotations.legacy,
  };
}

function property(def: RawAttributeDefinition): ShapeProperty {
  const annotations = propertyAnnotations(def.semtrace);
  return {
    name: def.key,
    type: propertyType(def, annotations.closed),
    required: def.requirementLevel?.level === "required",
    nullable: annotations.nullable,
    binary: annotations.binary,
    brief: def.brief ?? "",
    note: def.note ?? "",
    rationale: def.rationale ?? "",
    definedAt: def.location,
  };
}

function propertyType(def: RawAttributeDefinition, closed: boolean): PropertyType {
  const type = def.type;
  switch (type?.kind) {
    case "primitive":
      return type;
    case "enum": {
      const first = type.members[0]?.value;
      const valueType = typeof first === "number" ? "int" : typeof first === "boolean" ? "boolean" : "string";
      return {
        kind: "enum",
        valueType,
        members: type.members.map((m) => ({ id: m.id, value: m.value, brief: m.brief ?? "" })),
        closed,
      };
    }
    case "list":
    case "object":
      return { kind: type.kind, shape: type.object };
    default:
      throw new Error(
        `internal: property \`${def.key}\` has a type no JSON shape may hold; validation should have reported it`,
      );
  }
}

function union(group: RawGroup, groups: ReadonlyMap<string, RawGroup>): UnionShape {
  const { discriminator = "type", oneOf } = jsonUnionAnnotations(group.semtrace);
  const alternatives: { shape: string; values: (string | number | boolean)[] }[] = [];
  let fallback: string | undefined;
  for (const id of oneOf) {
    const target = groups.get(id);
    const tag = target === undefined ? undefined : shapeProperties(target).find((p) => p.key === discriminator);
    if (tag?.type?.kind === "enum") alternatives.push({ shape: id, values: tag.type.members.map((m) => m.value) });
    else fallback ??= id;
  }
  return {
    kind: "union",
    ...docs(group),
    discriminator,
    alternatives,
    ...(fallback === undefined ? {} : { fallback }),
  };
}
