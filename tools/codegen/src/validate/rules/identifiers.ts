/**
 * Every export of a generated package shares one namespace: index.ts re-exports every file, and TypeScript
 * refuses two exports of one name (a value and a type included). Names are checked where they come from:
 *
 * - Chosen names (`codegen.constants`, `codegen.enums`, `codegen.prefix_constants`,
 *   `codegen.compat_objects[].name` in manifest.yaml; `semtrace.builder` on span and attribute groups,
 *   `semtrace.type_name` on object groups) are written into the code as they are: each must be an identifier
 *   every declaration form accepts (naming/identifiers.ts), reported at the entry.
 * - Derived names are identifiers by construction, but an enum object or a structure's input type named after
 *   a key or group (`map` → `Map`) may be a standard global, which the modules that import it would lose.
 * - No two exports may share a name. Collisions within a family another rule settles are left to it: constant-like
 *   names to naming/assign.ts, type names to `typeNameCollisions`, key builders to `keyBuilderCollisions`.
 */
import path from "node:path";
import { formatLocation, type SourceLocation } from "../../model/diagnostics.js";
import { isExcludedFromCodegen, semtraceAnnotation } from "../../model/raw-index.js";
import { assignNames } from "../../naming/assign.js";
import { camelCase, pascalCase } from "../../naming/case.js";
import { identifierProblem } from "../../naming/identifiers.js";
import type { Rule, RuleContext } from "../context.js";

/** Exports every generated package has, whatever its registry (types.ts, validators.ts, builders.ts). */
export const FIXED_EXPORTS: Readonly<Record<string, "type" | "function">> = {
  AttributeTypes: "type",
  AttributeKey: "type",
  AttributeValue: "type",
  Attributes: "type",
  validateAttributes: "function",
  validateSpan: "function",
  createValidator: "function",
  Finding: "type",
  RegistryValidator: "type",
  ValidateOptions: "type",
  Validator: "type",
  buildSpanKindAttributes: "function",
};

/**
 * Rules that settle collisions within a family of names. Structures' derived input types and builders collide
 * exactly when their field types do (all three come from the group id), which `typeNameCollisions` reports.
 */
type Family = "assign" | "types" | "key-builders" | "object-ids";

/** One exported name and where it comes from. */
interface Export {
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
}

const CHOOSE = "choose another name";

export const exportNames: Rule = (ctx) => {
  for (const c of chosenNames(ctx)) {
    const problem = identifierProblem(c.name);
    if (problem) ctx.report("name.invalid", "error", `\`${c.name}\` (${c.what}) ${problem}: it names a declaration of the generated code`, c.location);
  }
  const byName = new Map<string, Export[]>();
  for (const e of generatedExports(ctx)) {
    const problem = e.derivedFromId ? identifierProblem(e.name) : undefined;
    if (problem && e.location) ctx.report("name.invalid", "error", `\`${e.name}\` (${e.what}) ${problem}; ${e.fix}`, e.location);
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
        ctx.report("name.collision", "error", `\`${name}\` (${second.what}) is already ${first.what}; ${second.fix}`, second.location);
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
    for (const [key, name] of Object.entries(codegen.constants ?? {})) out.push({ name, what: constantsWhat(key), location: codegen.at?.constantNames?.[key] ?? codegen.location });
    for (const [key, name] of Object.entries(codegen.enums ?? {})) out.push({ name, what: enumsWhat(key), location: codegen.at?.enumNames?.[key] ?? codegen.location });
    for (const name of Object.keys(codegen.prefixConstants ?? {})) out.push({ name, what: PREFIX_WHAT, location: codegen.at?.prefixConstants?.[name] ?? codegen.location });
    for (const compat of codegen.compatObjects ?? []) out.push({ name: compat.name, what: COMPAT_WHAT, location: compat.nameLocation ?? compat.location });
  }
  for (const group of ctx.registry.groups) {
    const builder = semtraceAnnotation(group.annotations, "builder");
    if (typeof builder === "string" && (group.type === "span" || group.type === "attribute_group")) out.push({ name: builder, what: builderWhat(group.id), location: group.location });
    const typeName = semtraceAnnotation(group.annotations, "type_name");
    if (typeof typeName === "string" && group.type === "object") out.push({ name: typeName, what: typeNameWhat(group.id), location: group.location });
  }
  return out;
}

const constantsWhat = (key: string) => `the \`codegen.constants\` name of \`${key}\``;
const enumsWhat = (key: string) => `the \`codegen.enums\` name of \`${key}\``;
const PREFIX_WHAT = "a `codegen.prefix_constants` name";
const COMPAT_WHAT = "a `codegen.compat_objects` name";
const builderWhat = (id: string) => `the \`semtrace.builder\` of group \`${id}\``;
const typeNameWhat = (id: string) => `the \`semtrace.type_name\` of object group \`${id}\``;

/** Span groups of one builder name get one builder, their attributes merged (emit/builder-plan.ts). */
const spanBuilderKey = (name: string) => `span builder ${name}`;

/** `build<Name>Attributes` and its input type (emit/builder-plan.ts). */
function builderNames(name: string): string[] {
  return [`build${name}Attributes`, `${name}AttributesInput`];
}

/** An object group's input type and its `<type>Attributes` builder (emit/builder-plan.ts). */
function objectBuilderNames(type: string): string[] {
  return [type, `${type.slice(0, 1).toLowerCase()}${type.slice(1)}Attributes`];
}

/** Every export name of the generated package that can be known before resolving, fixed ones first. */
function generatedExports(ctx: RuleContext): Export[] {
  const out: Export[] = [];
  const fixed = (name: string, what: string, families: readonly Family[] = []) => out.push({ name, what, chosen: false, fix: CHOOSE, families });
  for (const [name, kind] of Object.entries(FIXED_EXPORTS)) fixed(name, `the generated ${kind} \`${name}\``, kind === "type" ? ["types"] : []);
  const registryName = ctx.registry.manifest?.name ?? (path.basename(ctx.registry.root) || "registry");
  fixed(`${camelCase(registryName)}Registry`, "the registry's validator");

  const codegen = ctx.registry.manifest?.codegen;
  const chosenAt = (field: Record<string, SourceLocation> | undefined, key: string) => field?.[key] ?? codegen?.location;
  const names = assignNames(ctx.index, ctx.naming, codegen);
  for (const [key, assigned] of names.attributes) {
    if (!assigned.emitted) continue;
    const def = ctx.index.definitions.get(key)!.def;
    if (codegen?.constants !== undefined && Object.hasOwn(codegen.constants, key)) {
      out.push({ name: assigned.name, what: constantsWhat(key), location: chosenAt(codegen.at?.constantNames, key)!, chosen: true, fix: CHOOSE, families: ["assign"] });
    } else out.push({ name: assigned.name, what: `the constant of \`${key}\``, location: def.location, chosen: false, fix: "name it in `codegen.constants`", families: ["assign"] });
  }
  if (ctx.naming === "otel") {
    for (const [key, members] of names.members) {
      const def = ctx.index.definitions.get(key)!.def;
      for (const [id, member] of members) if (member.emitted) out.push({ name: member.name, what: `the constant of \`${key}\` member \`${id}\``, location: def.location, chosen: false, fix: CHOOSE, families: ["assign"] });
    }
  }
  const enumObjects = new Set<string>();
  for (const [key, enumName] of names.enumNames) {
    if (enumObjects.has(enumName)) continue; // one object shared by several keys
    enumObjects.add(enumName);
    if (codegen?.enums !== undefined && Object.hasOwn(codegen.enums, key)) {
      out.push({ name: enumName, what: enumsWhat(key), location: chosenAt(codegen.at?.enumNames, key)!, chosen: true, fix: CHOOSE, families: ["assign"] });
    } else {
      const def = ctx.index.definitions.get(key)!.def;
      out.push({ name: enumName, what: `the enum object of \`${key}\``, location: def.location, chosen: false, fix: "name it in `codegen.enums` in manifest.yaml", families: ["assign", "types"], derivedFromId: true });
    }
  }
  if (codegen) {
    for (const name of Object.keys(codegen.prefixConstants ?? {})) out.push({ name, what: PREFIX_WHAT, location: chosenAt(codegen.at?.prefixConstants, name)!, chosen: true, fix: CHOOSE, families: ["assign"] });
    for (const compat of codegen.compatObjects ?? []) out.push({ name: compat.name, what: COMPAT_WHAT, location: compat.nameLocation ?? compat.location, chosen: true, fix: CHOOSE, families: ["assign"] });
  }

  for (const [key, { def }] of ctx.index.definitions) {
    if (isExcludedFromCodegen(def.annotations) || names.attributes.get(key)?.emitted === false) continue;
    const kind = def.type?.kind;
    if (kind === "list" || kind === "object" || (kind === "template" && ctx.naming !== "otel")) {
      out.push({ name: `${camelCase(key)}Key`, what: `the key builder of \`${key}\``, location: def.location, chosen: false, fix: CHOOSE, families: ["key-builders"] });
    }
    if (kind === "enum" && ctx.naming === "otel") out.push({ name: `${pascalCase(key)}Value`, what: `the value type of \`${key}\``, location: def.location, chosen: false, fix: CHOOSE, families: ["types"] });
  }
  for (const group of ctx.registry.groups) {
    if (group.type !== "object" || ctx.index.groups.get(group.id) !== group) continue;
    const trimmed = group.id.startsWith(`${registryName}.`) ? group.id.slice(registryName.length + 1) : group.id;
    out.push({ name: `${pascalCase(trimmed)}Field`, what: `the field type of object group \`${group.id}\``, location: group.location, chosen: false, fix: CHOOSE, families: ["types"] });
    const typeName = semtraceAnnotation(group.annotations, "type_name");
    const chosen = typeof typeName === "string";
    const [type, builder] = objectBuilderNames(chosen ? typeName : pascalCase(trimmed));
    const fix = "name its input type with `semtrace.type_name`";
    const what = chosen ? typeNameWhat(group.id) : undefined;
    const families: readonly Family[] = chosen ? [] : ["object-ids"];
    out.push({ name: type!, what: what ?? `the input type of object group \`${group.id}\``, location: group.location, chosen, fix: chosen ? CHOOSE : fix, families, derivedFromId: !chosen });
    out.push({ name: builder!, what: what ?? `the builder of object group \`${group.id}\``, location: group.location, chosen, fix: chosen ? CHOOSE : fix, families });
  }
  for (const group of ctx.registry.groups) {
    const builder = semtraceAnnotation(group.annotations, "builder");
    const kindValue = semtraceAnnotation(group.annotations, "span_kind");
    // A span group gets a builder only when it names its kind (emit/builder-plan.ts).
    if (group.type === "span" && typeof kindValue === "string") {
      // Span groups of one kind (or builder name) share one builder; one named by its kind unless `semtrace.builder` names it.
      const name = typeof builder === "string" ? builder : pascalCase(kindValue.toLowerCase());
      const what = typeof builder === "string" ? builderWhat(group.id) : `the builder of \`${kindValue}\` spans`;
      for (const n of builderNames(name)) out.push({ name: n, what, location: group.location, chosen: typeof builder === "string", fix: typeof builder === "string" ? CHOOSE : "name it with `semtrace.builder`", families: [], mergeKey: spanBuilderKey(name) });
    } else if (group.type === "attribute_group" && typeof builder === "string") {
      for (const n of builderNames(builder)) out.push({ name: n, what: builderWhat(group.id), location: group.location, chosen: true, fix: CHOOSE, families: [] });
    }
  }
  return out;
}
