/**
 * Every export of a generated package shares one namespace: index.ts re-exports every file, and TypeScript
 * refuses two exports of one name (a value and a type included). Names are checked where they come from:
 *
 * - Chosen names (`codegen.constants`, `codegen.enums`, `codegen.prefix_constants`,
 *   `codegen.compat_objects[].name`, `codegen.compat_enums[].name` in manifest.yaml; `semtrace.type_name` on
 *   object groups) are written into the code as they are: each must be an identifier every declaration form
 *   accepts (naming/identifiers.ts), reported at the entry. (`semtrace.builder` is a PascalCase word, checked
 *   with the other annotations' values, which only ever extends into `build<Name>Attributes`.)
 * - Derived names are identifiers by construction, but an enum object or a structure's input type named after
 *   a key or group (`map` → `Map`) may be a standard global, which the modules that import it would lose.
 * - No two exports may share a name. Collisions within a family another rule settles are left to it: constant-like
 *   names to naming/assign.ts, type names to `typeNameCollisions`, key builders to `keyBuilderCollisions`.
 *
 * The names come from naming/exports.ts, as the emitters' do, and annotations are read through the typed model
 * (model/annotations.ts): a value of the wrong form is `annotation.value`'s to report, and names nothing here.
 */
import { attributeGroupAnnotations, objectAnnotations, spanAnnotations } from "../../model/annotations.js";
import { formatLocation, type SourceLocation } from "../../model/diagnostics.js";
import { isExcludedFromCodegen } from "../../model/raw-index.js";
import { assignNames } from "../../naming/assign.js";
import {
  builderNames,
  enumTypeName,
  FIXED_EXPORTS,
  hasKeyBuilder,
  keyBuilderName,
  objectBuilderName,
  objectFieldTypeName,
  objectInputTypeName,
  rawRegistryName,
  registryValidatorName,
  spanBuilderName,
  structureWriterNames,
  WRITER_HELPERS,
  WRITER_HELPERS_TYPE,
} from "../../naming/exports.js";
import { identifierProblem } from "../../naming/identifiers.js";
import { signalConstName } from "../../naming/presets.js";
import type { Rule, RuleContext } from "../context.js";

/**
 * Rules that settle collisions within a family of names. Structures' derived input types and builders collide
 * exactly when their field types do (all three come from the group id), which `typeNameCollisions` reports.
 */
type Family = "assign" | "types" | "key-builders" | "object-ids";

/** One exported name and where it comes from. */
export interface Export {
  readonly name: string;
  /** e.g. "the key builder of `app.items`". */
  readonly what: string;
  /** Where to report a problem with it; none for the fixed exports. */
  readonly location?: SourceLocation;
  /** Whether the registry chose the name (it is then reported where it is written). */
  readonly chosen: boolean;
  /** How to rename it. */
  readonly fix: string;
  readonly families: readonly Family[];
  /** Exports with the same merge key are one declaration (span groups naming one builder share it). */
  readonly mergeKey?: string;
  /** A name derived from a key or group id as it is (`map` → `Map`), which may be a standard global. */
  readonly derivedFromId?: boolean;
  /**
   * Reserved, though it may not be emitted: the builder of a span group whose own attributes are all inherited or
   * deprecated (emit/builder-plan.ts skips it), the writers' helpers of a registry without structures.
   */
  readonly mayBeAbsent?: true;
}

const CHOOSE = "choose another name";

/** Fixed names writers.ts declares, which exists only for registries with structures. */
const WRITERS_ONLY: ReadonlySet<string> = new Set([WRITER_HELPERS, WRITER_HELPERS_TYPE]);

export const exportNames: Rule = (ctx) => {
  for (const c of chosenNames(ctx)) {
    const problem = identifierProblem(c.name);
    if (problem)
      ctx.report(
        "name.invalid",
        "error",
        `\`${c.name}\` (${c.what}) ${problem}: it names a declaration of the generated code`,
        c.location,
      );
  }
  const byName = new Map<string, Export[]>();
  for (const e of generatedExports(ctx)) {
    const problem = e.derivedFromId ? identifierProblem(e.name) : undefined;
    if (problem && e.location)
      ctx.report("name.invalid", "error", `\`${e.name}\` (${e.what}) ${problem}; ${e.fix}`, e.location);
    const list = byName.get(e.name);
    if (list) list.push(e);
    else byName.set(e.name, [e]);
  }
  // Once per source of names: a builder's function and input type clash together.
  const reported = new Set<string>();
  for (const [name, list] of byName) {
    if (identifierProblem(name)) continue; // reported as name.invalid
    // Exports of one kind (families and merge key) clash alike, so each is compared with the first of every kind
    // before it: linear in the exports of a name, however many share it.
    const firstOfKind = new Map<string, Export>();
    for (const b of list) {
      for (const a of firstOfKind.values()) {
        if (!clash(a, b)) continue;
        // At the name the registry chose, else at the later one; once per place.
        const [first, second] = b.chosen || !a.chosen ? [a, b] : [b, a];
        const source = second.location && `${formatLocation(second.location)} ${second.fix}`;
        if (!source || reported.has(source)) continue;
        reported.add(source);
        ctx.report(
          "name.collision",
          "error",
          `\`${name}\` (${second.what}) is already ${first.what}; ${second.fix}`,
          second.location,
        );
      }
      const kind = `${b.families.join(",")} ${b.mergeKey ?? ""}`;
      if (!firstOfKind.has(kind)) firstOfKind.set(kind, b);
    }
  }
};

function clash(a: Export, b: Export): boolean {
  if (a.mergeKey !== undefined && a.mergeKey === b.mergeKey) return false;
  return !a.families.some((f) => b.families.includes(f));
}

/** A name the registry chose, where it is written. */
interface ChosenName {
  readonly name: string;
  readonly what: string;
  readonly location: SourceLocation;
}

function chosenNames(ctx: RuleContext): ChosenName[] {
  const out: ChosenName[] = [];
  const codegen = ctx.registry.manifest?.codegen;
  if (codegen) {
    for (const [key, name] of Object.entries(codegen.constants ?? {}))
      out.push({ name, what: constantsWhat(key), location: codegen.at?.constantNames?.[key] ?? codegen.location });
    for (const [key, name] of Object.entries(codegen.enums ?? {}))
      out.push({ name, what: enumsWhat(key), location: codegen.at?.enumNames?.[key] ?? codegen.location });
    for (const name of Object.keys(codegen.prefixConstants ?? {}))
      out.push({ name, what: PREFIX_WHAT, location: codegen.at?.prefixConstants?.[name] ?? codegen.location });
    for (const compat of codegen.compatObjects ?? [])
      out.push({ name: compat.name, what: COMPAT_WHAT, location: compat.nameLocation ?? compat.location });
    for (const compat of codegen.compatEnums ?? [])
      out.push({ name: compat.name, what: COMPAT_ENUM_WHAT, location: compat.nameLocation ?? compat.location });
  }
  for (const group of ctx.registry.groups) {
    const typeName = group.type === "object" ? objectAnnotations(group.semtrace).typeName : undefined;
    if (typeName !== undefined) out.push({ name: typeName, what: typeNameWhat(group.id), location: group.location });
  }
  return out;
}

const constantsWhat = (key: string) => `the \`codegen.constants\` name of \`${key}\``;
const enumsWhat = (key: string) => `the \`codegen.enums\` name of \`${key}\``;
const PREFIX_WHAT = "a `codegen.prefix_constants` name";
const COMPAT_WHAT = "a `codegen.compat_objects` name";
const COMPAT_ENUM_WHAT = "a `codegen.compat_enums` name";
const builderWhat = (id: string) => `the \`semtrace.builder\` of group \`${id}\``;
const typeNameWhat = (id: string) => `the \`semtrace.type_name\` of object group \`${id}\``;

/** Span groups of one builder name get one builder, their attributes merged (emit/builder-plan.ts). */
const spanBuilderKey = (name: string) => `span builder ${name}`;

/**
 * Every export name of the generated package that can be known before resolving, fixed ones first, and the names
 * writers.ts shares with builders.ts; some are reserved without always being emitted (`mayBeAbsent`).
 * test/identifiers.test.ts compares the list with the exports of generated packages, the shipped registries' too.
 */
export function generatedExports(ctx: RuleContext): Export[] {
  const out: Export[] = [];
  for (const [name, kind] of Object.entries(FIXED_EXPORTS)) {
    out.push({
      name,
      what: `the generated ${kind} \`${name}\``,
      chosen: false,
      fix: CHOOSE,
      families: kind === "type" ? ["types"] : [],
      ...(WRITERS_ONLY.has(name) ? { mayBeAbsent: true } : {}),
    });
  }
  const registryName = rawRegistryName(ctx.registry);
  out.push({
    name: registryValidatorName(registryName),
    what: "the registry's validator",
    chosen: false,
    fix: CHOOSE,
    families: [],
  });

  const codegen = ctx.registry.manifest?.codegen;
  const chosenAt = (field: Record<string, SourceLocation> | undefined, key: string) =>
    field?.[key] ?? codegen?.location;
  const names = assignNames(ctx.index, ctx.naming, codegen);
  for (const [key, assigned] of names.attributes) {
    if (!assigned.emitted) continue;
    const def = ctx.index.definitions.get(key)!.def;
    if (codegen?.constants !== undefined && Object.hasOwn(codegen.constants, key)) {
      out.push({
        name: assigned.name,
        what: constantsWhat(key),
        location: chosenAt(codegen.at?.constantNames, key)!,
        chosen: true,
        fix: CHOOSE,
        families: ["assign"],
      });
    } else
      out.push({
        name: assigned.name,
        what: `the constant of \`${key}\``,
        location: def.location,
        chosen: false,
        fix: "name it in `codegen.constants`",
        families: ["assign"],
      });
  }
  if (ctx.naming === "otel") {
    for (const [key, members] of names.members) {
      const def = ctx.index.definitions.get(key)!.def;
      for (const [id, member] of members)
        if (member.emitted)
          out.push({
            name: member.name,
            what: `the constant of \`${key}\` member \`${id}\``,
            location: def.location,
            chosen: false,
            fix: CHOOSE,
            families: ["assign"],
          });
    }
  }
  const enumObjects = new Set<string>();
  for (const [key, enumName] of names.enumNames) {
    if (enumObjects.has(enumName)) continue; // one object shared by several keys
    enumObjects.add(enumName);
    if (codegen?.enums !== undefined && Object.hasOwn(codegen.enums, key)) {
      out.push({
        name: enumName,
        what: enumsWhat(key),
        location: chosenAt(codegen.at?.enumNames, key)!,
        chosen: true,
        fix: CHOOSE,
        families: ["assign"],
      });
    } else {
      const def = ctx.index.definitions.get(key)!.def;
      out.push({
        name: enumName,
        what: `the enum object of \`${key}\``,
        location: def.location,
        chosen: false,
        fix: "name it in `codegen.enums` in manifest.yaml",
        families: ["assign", "types"],
        derivedFromId: true,
      });
    }
  }
  if (codegen) {
    for (const name of Object.keys(codegen.prefixConstants ?? {}))
      out.push({
        name,
        what: PREFIX_WHAT,
        location: chosenAt(codegen.at?.prefixConstants, name)!,
        chosen: true,
        fix: CHOOSE,
        families: ["assign"],
      });
    for (const compat of codegen.compatObjects ?? [])
      out.push({
        name: compat.name,
        what: COMPAT_WHAT,
        location: compat.nameLocation ?? compat.location,
        chosen: true,
        fix: CHOOSE,
        families: ["assign"],
      });
    for (const compat of codegen.compatEnums ?? [])
      out.push({
        name: compat.name,
        what: COMPAT_ENUM_WHAT,
        location: compat.nameLocation ?? compat.location,
        chosen: true,
        fix: CHOOSE,
        families: ["assign"],
      });
  }

  for (const [key, { def }] of ctx.index.definitions) {
    if (isExcludedFromCodegen(def.annotations) || names.attributes.get(key)?.emitted === false) continue;
    const kind = def.type?.kind;
    if (hasKeyBuilder(kind, ctx.naming)) {
      out.push({
        name: keyBuilderName(key),
        what: `the key builder of \`${key}\``,
        location: def.location,
        chosen: false,
        fix: CHOOSE,
        families: ["key-builders"],
      });
    }
    if (kind === "enum" && ctx.naming === "otel") {
      out.push({
        name: enumTypeName(key, ctx.naming, undefined),
        what: `the value type of \`${key}\``,
        location: def.location,
        chosen: false,
        fix: CHOOSE,
        families: ["types"],
      });
    }
  }
  for (const group of ctx.registry.groups) {
    if (group.type !== "object" || ctx.index.groups.get(group.id) !== group) continue;
    out.push({
      name: objectFieldTypeName(group.id, registryName),
      what: `the field type of object group \`${group.id}\``,
      location: group.location,
      chosen: false,
      fix: CHOOSE,
      families: ["types"],
    });
    const annotations = objectAnnotations(group.semtrace);
    const type = objectInputTypeName(group.id, annotations, registryName);
    const chosen = annotations.typeName !== undefined;
    const fix = chosen ? CHOOSE : "name its input type with `semtrace.type_name`";
    const what = chosen ? typeNameWhat(group.id) : undefined;
    const families: readonly Family[] = chosen ? [] : ["object-ids"];
    out.push({
      name: type,
      what: what ?? `the input type of object group \`${group.id}\``,
      location: group.location,
      chosen,
      fix,
      families,
      derivedFromId: !chosen,
    });
    out.push({
      name: objectBuilderName(type),
      what: what ?? `the builder of object group \`${group.id}\``,
      location: group.location,
      chosen,
      fix,
      families,
    });
    // Not re-exported from the package, but builders.ts imports them beside the exports of the other files.
    const { keyTable, factory, writer } = structureWriterNames(type);
    for (const [name, role] of [
      [keyTable, "key table type"],
      [factory, "key table factory"],
      [writer, "writer"],
    ] as const) {
      out.push({
        name,
        what: what ?? `the ${role} of object group \`${group.id}\` (writers.ts)`,
        location: group.location,
        chosen,
        fix,
        families,
      });
    }
  }
  // Metric and event names (emit/signals.ts): one constant per name, however many groups define it.
  for (const group of ctx.registry.groups) {
    const signal = group.type === "metric" ? group.metric?.name : group.type === "event" ? group.eventName : undefined;
    if (signal === undefined || isExcludedFromCodegen(group.annotations)) continue;
    const kind = group.type === "metric" ? "metric" : "event";
    const name = signalConstName(kind, signal);
    out.push({
      name,
      what: `the constant of ${kind} \`${signal}\``,
      location: group.location,
      chosen: false,
      fix: CHOOSE,
      families: [],
      mergeKey: `signal ${name}`,
    });
  }
  for (const group of ctx.registry.groups) {
    if (group.type === "span") {
      const annotations = spanAnnotations(group.semtrace);
      const name = spanBuilderName(annotations);
      if (name === undefined) continue;
      const chosen = annotations.builder !== undefined;
      const what = chosen ? builderWhat(group.id) : `the builder of \`${annotations.spanKind!}\` spans`;
      const fix = chosen ? CHOOSE : "name it with `semtrace.builder`";
      for (const n of Object.values(builderNames(name)))
        out.push({
          name: n,
          what,
          location: group.location,
          chosen,
          fix,
          families: [],
          mergeKey: spanBuilderKey(name),
          mayBeAbsent: true,
        });
    } else if (group.type === "attribute_group") {
      const name = attributeGroupAnnotations(group.semtrace).builder;
      if (name === undefined) continue;
      for (const n of Object.values(builderNames(name)))
        out.push({
          name: n,
          what: builderWhat(group.id),
          location: group.location,
          chosen: true,
          fix: CHOOSE,
          families: [],
        });
    }
  }
  return out;
}
