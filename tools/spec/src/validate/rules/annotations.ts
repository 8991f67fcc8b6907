/**
 * `annotations.semtrace` (spec/README.md §2.5), checked against the table in model/annotations.ts: unknown
 * names (`annotation.unknown`, with a "did you mean"), values of the wrong form (`annotation.value`),
 * annotations where they have no effect — on a reference, an enum member, a group of another type, or an
 * attribute of the wrong type (`annotation.misplaced`) — and keys named that the registry does not define
 * (`annotation.unresolved`).
 */
import {
  annotationSpec,
  isValidAnnotation,
  keysNamedBy,
  SEMTRACE_ANNOTATIONS,
  type AnnotationTarget,
} from "../../model/annotations.js";
import { isShapeGroup } from "../../model/raw-index.js";
import type { RawAttributeDefinition, RawSemtraceAnnotations } from "../../model/raw.js";
import { didYouMean } from "../../util/suggest.js";
import type { RuleContext, Rule } from "../context.js";

const NAMES = Object.keys(SEMTRACE_ANNOTATIONS);

/** A value as the message shows it. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

const PLACES: Readonly<Record<AnnotationTarget, string>> = {
  attribute: "attribute definitions",
  span: "`span` groups",
  attribute_group: "attribute groups",
  object: "object groups",
  json_object: "`json_object` groups",
  json_union: "`json_union` groups",
  property: "properties of `json_object` groups",
};

function check(
  ctx: RuleContext,
  raw: RawSemtraceAnnotations | undefined,
  where: string,
  target: AnnotationTarget | undefined,
  def?: RawAttributeDefinition,
): void {
  for (const entry of raw?.entries ?? []) {
    const spec = annotationSpec(entry.name);
    if (!spec) {
      ctx.report(
        "annotation.unknown",
        "error",
        `${where}: unknown semtrace annotation \`${entry.name}\`${didYouMean(entry.name, NAMES)}`,
        entry.location,
      );
      continue;
    }
    if (target === undefined || !spec.on.includes(target)) {
      const places = spec.on.map((t) => PLACES[t]).join(", ");
      ctx.report(
        "annotation.misplaced",
        "error",
        `${where}: \`${entry.name}\` has no effect here; it belongs on ${places}`,
        entry.location,
      );
      continue;
    }
    if (!isValidAnnotation(entry)) {
      ctx.report(
        "annotation.value",
        "error",
        `${where}: \`${entry.name}\` takes ${spec.expected}, found ${describe(entry.value)}`,
        entry.valueLocation,
      );
      continue;
    }
    const type = def?.type;
    if (spec.types !== undefined && type !== undefined && type.kind !== "unknown" && !spec.types.accepts(type)) {
      ctx.report(
        "annotation.misplaced",
        "error",
        `${where}: \`${entry.name}\` applies to ${spec.types.text} only`,
        entry.location,
      );
      continue;
    }
    // Shapes named (`shape`, `one_of`, `legacy`) are checked with the shapes (validate/rules/shapes.ts).
    for (const key of keysNamedBy(entry)) {
      if (!ctx.index.definitions.has(key)) {
        ctx.report(
          "annotation.unresolved",
          "error",
          `${where}: \`${entry.name}\` names \`${key}\`, which is not defined${didYouMean(key, ctx.index.definitions.keys())}`,
          entry.valueLocation,
        );
      }
    }
  }
}

/** `accepts_structured` describes a JSON attribute: it needs `format: json` beside it. */
function structuredNeedsJson(ctx: RuleContext, def: RawAttributeDefinition): void {
  const entries = def.semtrace?.entries ?? [];
  const structured = entries.find((e) => e.name === "accepts_structured" && e.value === true);
  if (structured && !entries.some((e) => e.name === "format" && e.value === "json")) {
    ctx.report(
      "annotation.misplaced",
      "error",
      `attribute \`${def.key}\`: \`accepts_structured\` applies to attributes with \`format: json\` only`,
      structured.location,
    );
  }
}

const GROUP_TARGETS: ReadonlySet<string> = new Set<AnnotationTarget>([
  "span",
  "attribute_group",
  "object",
  "json_object",
  "json_union",
]);

export const semtraceAnnotations: Rule = (ctx) => {
  for (const { def } of ctx.index.allDefinitions) {
    check(ctx, def.semtrace, `attribute \`${def.key}\``, "attribute", def);
    structuredNeedsJson(ctx, def);
    if (def.type?.kind === "enum")
      for (const member of def.type.members)
        check(ctx, member.semtrace, `enum member \`${def.key}\`.\`${member.id}\``, undefined);
  }
  for (const group of ctx.registry.groups) {
    check(
      ctx,
      group.semtrace,
      `group \`${group.id}\``,
      GROUP_TARGETS.has(group.type) ? (group.type as AnnotationTarget) : undefined,
    );
    for (const member of group.members) {
      // The properties of a JSON shape are not in the registry's definitions: checked here, as properties.
      if (member.kind === "definition" && isShapeGroup(group)) {
        check(ctx, member.semtrace, `property \`${member.key}\` of \`${group.id}\``, "property", member);
        if (member.type?.kind === "enum")
          for (const m of member.type.members)
            check(ctx, m.semtrace, `enum member \`${group.id}.${member.key}\`.\`${m.id}\``, undefined);
      }
      if (member.kind === "reference")
        check(ctx, member.semtrace, `group \`${group.id}\` ref \`${member.ref}\``, undefined);
    }
  }
};
