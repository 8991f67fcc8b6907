/**
 * Names a registry chooses for generated declarations are written into the code as they are, so each is checked
 * where it is written: it must be an identifier every declaration form accepts (naming/identifiers.ts), and it must
 * not be the name of another export of the generated package, which re-exports every file from index.ts.
 *
 * Chosen names: `codegen.constants`, `codegen.enums`, `codegen.prefix_constants`, `codegen.compat_objects[].name`
 * in manifest.yaml; `semtrace.builder` on span and attribute groups and `semtrace.type_name` on object groups.
 * Collisions among the constant-like names (attribute and enum-member constants, enum objects, prefix constants,
 * compat objects) are settled by naming/assign.ts; this rule adds the other exports: the fixed API of every
 * generated package, key builders, structure field types, enum value types, the registry validator and builders.
 */
import path from "node:path";
import type { SourceLocation } from "../../model/diagnostics.js";
import { isExcludedFromCodegen, semtraceAnnotation } from "../../model/raw-index.js";
import { assignNames } from "../../naming/assign.js";
import { camelCase, pascalCase } from "../../naming/case.js";
import { identifierProblem } from "../../naming/identifiers.js";
import type { Rule, RuleContext } from "../context.js";

/** Exports every generated package has, whatever its registry (types.ts, validators.ts, builders.ts). */
export const FIXED_EXPORTS: Readonly<Record<string, string>> = {
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

/** A name the registry chose, where it is written, and what the generator makes of it. */
interface ChosenName {
  readonly name: string;
  /** e.g. "the `codegen.constants` name of `llm.model_name`". */
  readonly what: string;
  readonly location: SourceLocation;
  /** The declarations it becomes (a builder name yields a function and a type); each is checked for collisions. */
  readonly declares: readonly string[];
  /** Whether naming/assign.ts already settles its collisions with constant-like names. */
  readonly assigned: boolean;
  /** Declarations with the same merge key are one (span groups naming one builder share it). */
  readonly mergeKey?: string;
}

export const chosenIdentifiers: Rule = (ctx) => {
  const chosen = chosenNames(ctx);
  for (const c of chosen) {
    const problem = identifierProblem(c.name);
    if (problem) ctx.report("name.invalid", "error", `\`${c.name}\` (${c.what}) ${problem}: it names a declaration of the generated code`, c.location);
  }
  const others = generatedExports(ctx, chosen);
  for (const c of chosen) {
    if (identifierProblem(c.name)) continue;
    // The first declaration that clashes is enough: a builder's function and input type clash together.
    for (const declared of c.declares) {
      const clash = (others.get(declared) ?? []).find((o) => o.owner !== c && !(c.assigned && o.assigned) && !(c.mergeKey !== undefined && o.mergeKey === c.mergeKey));
      if (clash) {
        ctx.report("name.collision", "error", `\`${declared}\` (${c.what}) is already ${clash.what}; choose another name`, c.location);
        break;
      }
    }
  }
};

function chosenNames(ctx: RuleContext): ChosenName[] {
  const out: ChosenName[] = [];
  const codegen = ctx.registry.manifest?.codegen;
  const fallback = codegen?.location ?? ctx.registry.manifest?.location;
  if (codegen && fallback) {
    for (const [key, name] of Object.entries(codegen.constants ?? {})) {
      out.push({ name, what: `the \`codegen.constants\` name of \`${key}\``, location: codegen.at?.constantNames?.[key] ?? fallback, declares: [name], assigned: true });
    }
    for (const [key, name] of Object.entries(codegen.enums ?? {})) {
      // Enum objects are emitted under the openinference preset only; otherwise the name is checked but declares nothing.
      const declares = ctx.naming === "openinference" ? [name] : [];
      out.push({ name, what: `the \`codegen.enums\` name of \`${key}\``, location: codegen.at?.enumNames?.[key] ?? fallback, declares, assigned: true });
    }
    for (const name of Object.keys(codegen.prefixConstants ?? {})) {
      out.push({ name, what: "a `codegen.prefix_constants` name", location: codegen.at?.prefixConstants?.[name] ?? fallback, declares: [name], assigned: true });
    }
    for (const compat of codegen.compatObjects ?? []) {
      out.push({ name: compat.name, what: "a `codegen.compat_objects` name", location: compat.nameLocation ?? compat.location, declares: [compat.name], assigned: true });
    }
  }
  for (const group of ctx.registry.groups) {
    const builder = semtraceAnnotation(group.annotations, "builder");
    if (typeof builder === "string" && (group.type === "span" || group.type === "attribute_group")) {
      out.push({
        name: builder,
        what: `the \`semtrace.builder\` of group \`${group.id}\``,
        location: group.location,
        declares: builderNames(builder),
        assigned: false,
        ...(group.type === "span" ? { mergeKey: spanBuilderKey(builder) } : {}),
      });
    }
    const typeName = semtraceAnnotation(group.annotations, "type_name");
    if (typeof typeName === "string" && group.type === "object") {
      out.push({ name: typeName, what: `the \`semtrace.type_name\` of object group \`${group.id}\``, location: group.location, declares: objectBuilderNames(typeName), assigned: false });
    }
  }
  return out;
}

/** Span groups of one builder name get one builder, their attributes merged (emit/builder-plan.ts). */
function spanBuilderKey(name: string): string {
  return `span builder ${name}`;
}

/** `build<Name>Attributes` and its input type (emit/builder-plan.ts). */
function builderNames(name: string): string[] {
  return [`build${name}Attributes`, `${name}AttributesInput`];
}

/** An object group's input type and its `<type>Attributes` builder (emit/builder-plan.ts). */
function objectBuilderNames(type: string): string[] {
  return [type, `${type.slice(0, 1).toLowerCase()}${type.slice(1)}Attributes`];
}

interface Export {
  readonly what: string;
  /** The chosen name it comes from, if any. */
  readonly owner?: ChosenName;
  readonly assigned: boolean;
  readonly mergeKey?: string;
}

/** Every export name of the generated package that can be known before resolving, with what declares it. */
function generatedExports(ctx: RuleContext, chosen: readonly ChosenName[]): Map<string, Export[]> {
  const exports = new Map<string, Export[]>();
  const add = (name: string, e: Export) => {
    const list = exports.get(name);
    if (list) list.push(e);
    else exports.set(name, [e]);
  };
  for (const [name, kind] of Object.entries(FIXED_EXPORTS)) add(name, { what: `the generated ${kind} \`${name}\``, assigned: false });
  const registryName = ctx.registry.manifest?.name ?? (path.basename(ctx.registry.root) || "registry");
  add(`${camelCase(registryName)}Registry`, { what: "the registry's validator", assigned: false });

  const codegen = ctx.registry.manifest?.codegen;
  const names = assignNames(ctx.index, ctx.naming, codegen);
  for (const [key, assigned] of names.attributes) if (assigned.emitted) add(assigned.name, { what: `the constant of \`${key}\``, assigned: true });
  for (const [key, members] of names.members) {
    for (const [id, member] of members) if (member.emitted && ctx.naming === "otel") add(member.name, { what: `the constant of \`${key}\` member \`${id}\``, assigned: true });
  }
  for (const [key, enumName] of names.enumNames) add(enumName, { what: `the enum object of \`${key}\``, assigned: true });

  for (const [key, { def }] of ctx.index.definitions) {
    if (isExcludedFromCodegen(def.annotations)) continue;
    const kind = def.type?.kind;
    if (kind === "list" || kind === "object" || (kind === "template" && ctx.naming !== "otel")) add(`${camelCase(key)}Key`, { what: `the key builder of \`${key}\``, assigned: false });
    if (kind === "enum" && ctx.naming === "otel") add(`${pascalCase(key)}Value`, { what: `the value type of \`${key}\``, assigned: false });
  }
  for (const group of ctx.registry.groups) {
    if (group.type !== "object") continue;
    const trimmed = group.id.startsWith(`${registryName}.`) ? group.id.slice(registryName.length + 1) : group.id;
    add(`${pascalCase(trimmed)}Field`, { what: `the field type of object group \`${group.id}\``, assigned: false });
    if (typeof semtraceAnnotation(group.annotations, "type_name") !== "string") {
      for (const n of objectBuilderNames(pascalCase(trimmed))) add(n, { what: `a builder of object group \`${group.id}\``, assigned: false });
    }
  }
  // Span groups of one kind share one builder; one named by its kind when no `semtrace.builder` names it.
  for (const group of ctx.registry.groups) {
    const kindValue = semtraceAnnotation(group.annotations, "span_kind");
    if (group.type !== "span" || typeof kindValue !== "string" || typeof semtraceAnnotation(group.annotations, "builder") === "string") continue;
    const name = pascalCase(kindValue.toLowerCase());
    for (const n of builderNames(name)) add(n, { what: `the builder of \`${kindValue}\` spans`, assigned: false, mergeKey: spanBuilderKey(name) });
  }
  for (const c of chosen) {
    if (c.assigned) continue;
    for (const n of c.declares) add(n, { what: c.what, owner: c, assigned: false, ...(c.mergeKey === undefined ? {} : { mergeKey: c.mergeKey }) });
  }
  return exports;
}
