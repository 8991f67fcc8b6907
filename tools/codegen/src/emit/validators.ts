/**
 * Validators: one `RegistryValidator` (see @semtrace/runtime) per registry, as specialised code.
 *
 * - Checks: one `switch` (`checkLeaf`) over the distinct checks of every key, plain or structured
 *   (type, enum membership, JSON text, deprecation, unknown field of a structure), so keys that are
 *   checked alike share one case.
 * - Resolving a key to its check (`resolveKey`): plain top-level keys through a module-level `Map`;
 *   for structured keys, the longest prefix that is a top-level `list[...]`, `object[...]` or
 *   `template[...]` key is found by walking the key's dots from the right and switching on the
 *   prefix length; a list index is read in place (`enterIndex`) and the rest of the key goes to the
 *   generated resolver of the object group, which does the same for its own fields. No `split`, no
 *   regular expression, no allocation except the prefix of a nested list for gap detection.
 * - A key is resolved once: `planKey` (@semtrace/runtime) remembers each distinct key's check and
 *   list indices (bounded), so the keys of later spans cost one `Map` lookup before their check.
 * - Requirement levels: a `switch` over the span kinds.
 *
 * Everything at module level is a function declaration, a literal or a `/* @__PURE__ *\/`
 * construction, so an unused validator is dropped by bundlers.
 */
import type { ImportDeclarationStructure } from "ts-morph";
import { StructureKind } from "../util/ts-morph.js";
import { flattenRegistry, patternText } from "../model/flatten.js";
import type { Attribute, AttributeUse, ObjectType, Registry, SpanDefinition } from "../model/resolved.js";
import { camelCase, pascalCase, screamingSnake } from "../naming/case.js";
import { literal, parameterName, stringLiteral } from "./literals.js";
import type { GeneratedFile, Statement } from "./structures.js";
import { isClosedEnum } from "./type-map.js";

const RUNTIME = "@semtrace/runtime";

/** `openinference` → `openinferenceRegistry`: the exported `RegistryValidator`. */
export function registryValidatorName(registry: Registry): string {
  return `${camelCase(registry.name)}Registry`;
}

/** What the checks of one file need to share: names handed out once, the enum member sets, the runtime helpers used. */
class Scope {
  readonly runtime = new Set<string>();
  private readonly names = new Set<string>();
  /** Check body → its case in `checkLeaf`. */
  readonly cases = new Map<string, number>();
  /** Member list signature → the set's name and the keys that use it. */
  private readonly sets = new Map<string, { readonly name: string; readonly items: readonly string[]; readonly keys: string[] }>();

  constructor(reserved: Iterable<string>) {
    for (const name of reserved) this.names.add(name);
  }

  unique(base: string): string {
    let name = base;
    for (let n = 2; this.names.has(name); n++) name = `${base}${n}`;
    this.names.add(name);
    return name;
  }

  use(helper: string): string {
    this.runtime.add(helper);
    return helper;
  }

  /** The case of `checkLeaf` that runs these statements (identifiers `key`, `value`, `ctx` in scope). */
  leaf(lines: readonly string[]): number {
    const body = lines.join("\n");
    let n = this.cases.get(body);
    if (n === undefined) this.cases.set(body, (n = this.cases.size));
    return n;
  }

  /** A module-level `Set` of an enum's member values, shared by enums with the same members. */
  memberSet(attr: Attribute, values: readonly (string | number | boolean)[]): string {
    const items = [...new Set(values.map(literal))];
    const signature = items.join(",");
    const known = this.sets.get(signature);
    if (known) {
      if (!known.keys.includes(attr.key)) known.keys.push(attr.key);
      return known.name;
    }
    const name = this.unique(`${screamingSnake(attr.key)}_MEMBERS`);
    this.sets.set(signature, { name, items, keys: [attr.key] });
    return name;
  }

  /** The member sets, once every check has been generated. */
  setStatements(): string[] {
    return [...this.sets.values()].map(({ name, items, keys }) =>
      [`/** Members of ${keys.map((k) => `\`${docText(k)}\``).join(", ")}. */`, `const ${name}: ReadonlySet<unknown> = /* @__PURE__ */ new Set<unknown>([${items.join(", ")}]);`].join("\n"),
    );
  }
}

/** Text safe inside a `/** … *\/` comment. */
function docText(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/[\r\n\u2028\u2029]+/g, " ");
}

function semtrace(attr: Attribute, name: string): unknown {
  const st = attr.annotations["semtrace"];
  return typeof st === "object" && st !== null ? (st as Record<string, unknown>)[name] : undefined;
}

const isJsonFormat = (attr: Attribute): boolean => semtrace(attr, "format") === "json";
/** Array attributes whose consumers also accept the array JSON-encoded in one string (`tag.tags`). */
const acceptsJsonString = (attr: Attribute): boolean => semtrace(attr, "accepts_json_string") === true;
/** JSON-text attributes that may also hold the structured value itself (OTLP `arrayValue` / `kvlistValue`). */
const acceptsStructured = (attr: Attribute): boolean => semtrace(attr, "accepts_structured") === true;
/** Context keys (`session.id`): stamped on every span of a request, they never make the registry judge a span. */
const isContextKey = (attr: Attribute): boolean => semtrace(attr, "context") === true;

/** The statements that check `value` of `key` against one attribute (identifiers `key`, `value`, `ctx` in scope). */
function leafCheck(attr: Attribute, scope: Scope): string[] {
  const lines: string[] = [];
  const type = attr.type;
  const primitive = (name: string): void => {
    if (name === "any") return;
    if (name === "string" && isJsonFormat(attr) && acceptsStructured(attr)) lines.push(`${scope.use("checkJsonOrStructured")}(key, value, ctx);`);
    else if (name === "string" && isJsonFormat(attr)) lines.push(`if (${scope.use("checkType")}(key, value, "string", ctx)) ${scope.use("checkJson")}(key, value, ctx);`);
    else if (name.endsWith("[]") && acceptsJsonString(attr)) lines.push(`${scope.use("checkArrayOrJsonText")}(key, value, ${stringLiteral(name)}, ctx);`);
    else lines.push(`${scope.use("checkType")}(key, value, ${stringLiteral(name)}, ctx);`);
  };
  switch (type.kind) {
    case "primitive":
      primitive(type.name);
      break;
    case "template":
      primitive(type.inner);
      break;
    case "enum": {
      const set = scope.memberSet(attr, type.members.map((m) => m.value));
      lines.push(`if (${scope.use("checkType")}(key, value, ${stringLiteral(type.valueType)}, ctx)) ${scope.use("checkEnum")}(key, value, ${set}, ${isClosedEnum(attr)}, ctx);`);
      break;
    }
    case "namespace":
    case "list":
    case "object":
      lines.push(`${scope.use("reportNoValue")}(key, value, ${stringLiteral(type.kind)}, ctx);`);
      break;
  }
  return [...lines, ...deprecationCheck(attr, scope)];
}

function deprecationCheck(attr: Attribute, scope: Scope): string[] {
  const dep = attr.deprecated;
  if (!dep) return [];
  const note = dep.note?.trim().replace(/\s+/g, " ");
  return [`${scope.use("reportDeprecated")}(key, ${dep.renamedTo === undefined ? "undefined" : stringLiteral(dep.renamedTo)}, ${note ? stringLiteral(note) : "undefined"}, ctx);`];
}

/** The check of a key that equals the attribute's key: a template key itself (without a suffix) carries no value. */
function exactCheck(attr: Attribute, scope: Scope): string[] {
  if (attr.type.kind !== "template") return leafCheck(attr, scope);
  return [`${scope.use("reportNoValue")}(key, value, "template", ctx);`, ...deprecationCheck(attr, scope)];
}

const indent = (lines: readonly string[], by: string): string[] => lines.map((l) => (l ? `${by}${l}` : l));

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return new Map([...out].sort(([a], [b]) => a - b));
}

type Container = { readonly attr: Attribute; readonly kind: "list" | "object" | "template" };

/** Ids of the objects that keys valid on a span can reach: top-level list/object attributes, then their fields', and so on. */
function reachableObjects(top: readonly Attribute[], objects: readonly ObjectType[], attrs: ReadonlyMap<string, Attribute>): Set<string> {
  const byId = new Map(objects.map((o) => [o.id, o]));
  const seen = new Set<string>();
  const visit = (attr: Attribute | undefined): void => {
    if (!attr || (attr.type.kind !== "list" && attr.type.kind !== "object") || seen.has(attr.type.object)) return;
    seen.add(attr.type.object);
    for (const field of byId.get(attr.type.object)?.fields ?? []) visit(attrs.get(field.key));
  };
  for (const attr of top) visit(attr);
  return seen;
}

function containerOf(attr: Attribute): Container | undefined {
  const kind = attr.type.kind;
  return kind === "list" || kind === "object" || kind === "template" ? { attr, kind } : undefined;
}

/**
 * The dots-from-the-right loop that finds the longest container prefix of `key` after `pos`
 * (`pos` is `0` at the top level, where the prefix length is the dot's position) and returns the
 * key's check. When none matches, the code after the loop runs.
 */
function containerLoop(containers: readonly Container[], top: boolean, resolvers: ReadonlyMap<string, string>, scope: Scope): string[] {
  if (containers.length === 0) return [];
  const lines: string[] = [];
  const at = top ? "" : ", pos";
  lines.push(top ? 'for (let dot = key.lastIndexOf("."); dot > 0; dot = key.lastIndexOf(".", dot - 1)) {' : 'for (let dot = key.lastIndexOf("."); dot > pos; dot = key.lastIndexOf(".", dot - 1)) {');
  lines.push(top ? "  switch (dot) {" : "  switch (dot - pos) {");
  for (const [length, group] of groupBy(containers, (c) => c.attr.key.length)) {
    lines.push(`    case ${length}:`);
    for (const { attr, kind } of group) {
      const lit = stringLiteral(attr.key);
      const type = attr.type;
      if (kind === "list" && type.kind === "list") {
        const resolver = resolvers.get(type.object);
        if (!resolver) continue;
        lines.push(`      if (key.startsWith(${lit}${at})) {`);
        lines.push(`        const next = ${scope.use("enterIndex")}(key, dot + 1, plan${top ? `, ${stringLiteral(`${attr.key}.`)}` : ""});`);
        lines.push("        if (next < 0) break;");
        lines.push(`        return ${resolver}(key, next, plan);`);
        lines.push("      }");
      } else if (kind === "object" && type.kind === "object") {
        const resolver = resolvers.get(type.object);
        if (!resolver) continue;
        lines.push(`      if (key.startsWith(${lit}${at})) return ${resolver}(key, dot + 1, plan);`);
      } else {
        // template: any non-empty suffix carries the inner type.
        lines.push(`      if (dot + 1 < key.length && key.startsWith(${lit}${at})) return ${scope.leaf(leafCheck(attr, scope))};`);
      }
    }
    lines.push("      break;");
  }
  lines.push("  }");
  lines.push("}");
  return lines;
}

function objectResolver(object: ObjectType, name: string, fieldsName: string, attrs: ReadonlyMap<string, Attribute>, resolvers: ReadonlyMap<string, string>, scope: Scope): string {
  const fields = object.fields.map((f) => attrs.get(f.key)).filter((a): a is Attribute => a !== undefined && a.type.kind !== "namespace");
  const lines: string[] = [];
  if (fields.length > 0) {
    lines.push("  switch (key.length - pos) {");
    for (const [length, group] of groupBy(fields, (a) => a.key.length)) {
      lines.push(`    case ${length}:`);
      for (const attr of group) lines.push(`      if (key.startsWith(${stringLiteral(attr.key)}, pos)) return ${scope.leaf(exactCheck(attr, scope))};`);
      lines.push("      break;");
    }
    lines.push("  }");
  }
  const containers = fields.map(containerOf).filter((c): c is Container => c !== undefined);
  lines.push(...indent(containerLoop(containers, false, resolvers, scope), "  "));
  lines.push(`  return ${scope.leaf([`${scope.use("reportUnknownField")}(key, ${stringLiteral(object.id)}, ctx, ${fieldsName});`])};`);
  lines.push("}");
  const header = [
    `/** The check of the field of one \`${docText(object.id)}\` structure that starts at \`pos\` of \`key\`; list indices go to \`plan\`. */`,
    `function ${name}(${parameterName("key", lines)}: string, ${parameterName("pos", lines)}: number, ${parameterName("plan", lines)}: KeyPlan): number {`,
  ];
  return [...header, ...lines].join("\n");
}


/** `owns(key)`: switch on the length of the key's first segment, then compare the owned prefixes with that first segment. */
function ownsFunction(prefixes: readonly string[]): string {
  const lines = ["/** True when `key` lies in a namespace this registry owns. */", "function owns(key: string): boolean {"];
  if (prefixes.length === 0) return ["/** True when `key` lies in a namespace this registry owns (it owns none). */", "function owns(_key: string): boolean {", "  return false;", "}"].join("\n");
  lines.push('  const dot = key.indexOf(".");');
  lines.push("  switch (dot < 0 ? key.length : dot) {");
  const firstLength = (p: string) => (p.indexOf(".") < 0 ? p.length : p.indexOf("."));
  for (const [length, group] of groupBy(prefixes, firstLength)) {
    const tests = group.map((p) =>
      p.length === length ? `key.startsWith(${stringLiteral(p)})` : `(key.startsWith(${stringLiteral(p)}) && (key.length === ${p.length} || key.charCodeAt(${p.length}) === 46))`,
    );
    lines.push(`    case ${length}:`);
    const one = `      return ${tests.join(" || ")};`;
    lines.push(...(one.length <= 120 ? [one] : ["      return (", ...tests.map((t, i) => `        ${t}${i < tests.length - 1 ? " ||" : ""}`), "      );"]));
  }
  lines.push("    default:", "      return false;", "  }", "}");
  return lines.join("\n");
}

/** Owned prefixes, without those another one already covers. */
function ownedPrefixes(registry: Registry): string[] {
  const all = new Set<string>(registry.owns);
  // A namespace, list or object key is a prefix the registry defines: keys under it that it does not define are typos (spec §2.3).
  for (const a of registry.attributes) if (a.topLevel && (a.type.kind === "namespace" || a.type.kind === "list" || a.type.kind === "object")) all.add(a.key);
  const sorted = [...all].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const kept: string[] = [];
  for (const p of sorted) if (!kept.some((k) => p === k || p.startsWith(`${k}.`))) kept.push(p);
  return kept.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

interface KindRequirements {
  readonly kind: string;
  readonly uses: AttributeUse[];
}

/** Span definitions by kind value; two definitions of one kind are merged (the first use of a key wins). */
function spanKinds(registry: Registry): KindRequirements[] {
  const byKind = new Map<string, KindRequirements>();
  const spans: SpanDefinition[] = registry.spans.filter((s) => s.kindValue !== undefined);
  for (const span of spans) {
    const kind = span.kindValue!;
    let entry = byKind.get(kind);
    if (!entry) byKind.set(kind, (entry = { kind, uses: [] }));
    for (const use of span.attributes) if (!entry.uses.some((u) => u.key === use.key)) entry.uses.push(use);
  }
  // The order of the span-kind enum's members when there is one (messages list kinds in that order).
  const kindAttr = registry.attributes.find((a) => a.key === registry.spanKindAttribute);
  const order = kindAttr?.type.kind === "enum" ? kindAttr.type.members.map((m) => String(m.value)) : [];
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...byKind.values()].sort((a, b) => rank(a.kind) - rank(b.kind));
}

/** `semtrace.required_with: [keys]` — the machine-checkable form of a `conditionally_required` condition. */
function requiredWith(attr: Attribute): string[] {
  const st = attr.annotations["semtrace"];
  const value = typeof st === "object" && st !== null ? (st as Record<string, unknown>)["required_with"] : undefined;
  return Array.isArray(value) ? value.map(String) : [];
}

function requirementsFunction(registry: Registry, attrs: ReadonlyMap<string, Attribute>, scope: Scope): string {
  const kinds = registry.spanKindAttribute === undefined ? [] : spanKinds(registry);
  const lines = [
    "/**",
    " * Requirement levels of each span kind: missing `required` attributes are errors and missing",
    " * unconditional `recommended` ones infos. Conditions are prose, so `conditionally_required` is",
    " * checked only when the spec makes its condition checkable (`semtrace.required_with`: the",
    " * attribute is required when any of those keys is present); `recommended` with a condition and",
    " * `opt_in` attributes are not reported.",
    " */",
  ];
  if (kinds.length === 0) {
    lines.push("function checkRequirements(_attributes: AttributeRecord, _kind: string, _ctx: ValidationContext): void {}");
    return lines.join("\n");
  }
  const body: string[] = [];
  body.push("  switch (kind) {");
  for (const { kind, uses } of kinds) {
    body.push(`    case ${stringLiteral(kind)}:`);
    for (const use of uses) {
      const rl = use.requirementLevel;
      if (use.key === registry.spanKindAttribute || rl.level === "opt_in" || (rl.level === "recommended" && rl.condition !== undefined)) continue;
      const attr = attrs.get(use.key);
      if (!attr) continue;
      const container = attr.type.kind === "list" || attr.type.kind === "object" || attr.type.kind === "template" || attr.type.kind === "namespace";
      const lit = stringLiteral(attr.key);
      // A key that Object.prototype also has (`constructor`) must be an own property to count.
      const inherited = attr.key in Object.prototype ? `!Object.prototype.hasOwnProperty.call(attributes, ${lit}) || ` : "";
      // Built only for a check that is written, so runtime helpers are imported only when used.
      const absent = (): string => (container ? `!${scope.use("hasKeyUnder")}(attributes, ${stringLiteral(`${attr.key}.`)}, ctx)` : `${inherited}attributes[${lit}] === undefined`);
      if (rl.level === "conditionally_required") {
        const triggers = requiredWith(attr);
        if (triggers.length === 0) continue;
        const present = triggers.map((k) => `${scope.use("hasKeyUnder")}(attributes, ${stringLiteral(`${k}.`)}, ctx) || attributes[${stringLiteral(k)}] !== undefined`).join(" || ");
        const condition = `required when ${triggers.map((k) => `\`${k}\``).join(" or ")} is set`;
        body.push(`      if (${absent()} && (${present})) ${scope.use("reportMissing")}(${lit}, "required", kind, ${stringLiteral(condition)}, ctx);`);
        continue;
      }
      body.push(`      if (${absent()}) ${scope.use("reportMissing")}(${lit}, ${stringLiteral(rl.level)}, kind, undefined, ctx);`);
    }
    body.push("      return;");
  }
  body.push("  }");
  lines.push(`function checkRequirements(${parameterName("attributes", body)}: AttributeRecord, kind: string, ${parameterName("ctx", body)}: ValidationContext): void {`, ...body, "}");
  return lines.join("\n");
}

/** A string array constant, one item per line when long. */
function arrayConst(name: string, items: readonly string[], doc: string): string {
  const literals = items.map(stringLiteral);
  const oneLine = `const ${name}: readonly string[] = [${literals.join(", ")}];`;
  const body = oneLine.length <= 120 ? oneLine : [`const ${name}: readonly string[] = [`, ...literals.map((l) => `  ${l},`), "];"].join("\n");
  return `/** ${docText(doc)} */\n${body}`;
}

export function emitValidators(registry: Registry): GeneratedFile {
  const attrs = new Map(registry.attributes.map((a) => [a.key, a]));
  const registryName = registryValidatorName(registry);
  const scope = new Scope([
    registryName,
    "owns",
    "checkKey",
    "checkLeaf",
    "resolveKey",
    "checkRequirements",
    "validateAttributes",
    "validateSpan",
    "PLAIN",
    "PLANS",
    "SUGGESTIONS",
    "REGISTRIES",
    "createValidator",
  ]);

  // Resolver names first: nested objects refer to each other.
  const resolvers = new Map<string, string>();
  const fieldLists = new Map<string, string>();
  for (const object of registry.objects) {
    const trimmed = object.id.startsWith(`${registry.name}.`) ? object.id.slice(registry.name.length + 1) : object.id;
    resolvers.set(object.id, scope.unique(`resolve${pascalCase(trimmed)}Field`));
    fieldLists.set(object.id, scope.unique(`${screamingSnake(trimmed)}_FIELDS`));
  }

  // Plain top-level keys → their cases first.
  const top = registry.attributes.filter((a) => a.topLevel);
  const caseOf = new Map<string, number>();
  for (const attr of top) caseOf.set(attr.key, scope.leaf(exactCheck(attr, scope)));

  const objectFunctions: string[] = [];
  const reachable = reachableObjects(top, registry.objects, attrs);
  for (const object of registry.objects) {
    // An object no span key can reach (defined, not yet listed anywhere) needs no resolver: nothing would call it.
    if (!reachable.has(object.id)) continue;
    const fields = object.fields.map((f) => f.key).filter((k) => attrs.has(k) && attrs.get(k)!.type.kind !== "namespace");
    objectFunctions.push(arrayConst(fieldLists.get(object.id)!, fields, `Fields of \`${object.id}\`, for unknown-field messages.`));
    objectFunctions.push(objectResolver(object, resolvers.get(object.id)!, fieldLists.get(object.id)!, attrs, resolvers, scope));
  }

  const plainMap = [
    "/** Every plain key valid directly on a span → its check in `checkLeaf`. */",
    "const PLAIN: ReadonlyMap<string, number> = /* @__PURE__ */ new Map<string, number>([",
    ...top.map((a) => `  [${stringLiteral(a.key)}, ${caseOf.get(a.key)}],`),
    "]);",
  ].join("\n");

  const containers = top.map(containerOf).filter((c): c is Container => c !== undefined);
  const keyLoop = indent(containerLoop(containers, true, resolvers, scope), "  ");
  const resolveKey = [
    "/** The check of a key in `checkLeaf`, -1 when the registry does not define the key (object fields alone are not valid on a span); list indices go to `plan`. */",
    `function resolveKey(key: string, ${parameterName("plan", keyLoop)}: KeyPlan): number {`,
    "  const check = PLAIN.get(key);",
    "  if (check !== undefined) return check;",
    ...keyLoop,
    "  return -1;",
    "}",
  ].join("\n");

  // Every case is known once the resolvers are generated.
  const cases = ["  switch (check) {"];
  for (const [body, n] of scope.cases) {
    cases.push(`    case ${n}:`);
    cases.push(...indent(body ? body.split("\n") : [], "      "));
    cases.push("      return;");
  }
  cases.push("  }");
  const leafSwitch = [
    "/** The checks of keys, shared by keys that are checked alike. */",
    `function checkLeaf(check: number, ${parameterName("key", cases)}: string, ${parameterName("value", cases)}: unknown, ${parameterName("ctx", cases)}: ValidationContext): void {`,
    ...cases,
    "}",
  ];

  const checkKey = [
    "/** Each distinct key's check and list indices, resolved once (bounded; see `planKey`). */",
    "const PLANS: Map<string, KeyPlan> = /* @__PURE__ */ new Map<string, KeyPlan>();",
    "",
    "/** Checks one key and its value; false when the registry does not define the key (object fields alone are not valid on a span). */",
    "function checkKey(key: string, value: unknown, ctx: ValidationContext): boolean {",
    `  const check = ${scope.use("planKey")}(PLANS, key, resolveKey, ctx);`,
    "  if (check < 0) return false;",
    "  checkLeaf(check, key, value, ctx);",
    "  return true;",
    "}",
  ].join("\n");

  const suggestions = new Set<string>(top.map((a) => a.key));
  for (const key of flattenRegistry(registry)) suggestions.add(patternText(key));

  const requirements = requirementsFunction(registry, attrs, scope);
  const kinds = registry.spanKindAttribute === undefined ? [] : spanKinds(registry).map((k) => k.kind);
  const contextKeys = top.filter(isContextKey).map((a) => a.key);

  const validatorObject = [
    `/**`,
    ` * The \`${docText(registry.name)}\` registry as a validator, for {@link createValidator}: combine it with`,
    ` * other registries' validators, e.g. \`createValidator(${registryName}, mycompanyRegistry)\`.`,
    ` */`,
    `export const ${registryName}: RegistryValidator = {`,
    `  name: ${stringLiteral(registry.name)},`,
    ...(registry.spanKindAttribute === undefined ? [] : [`  spanKindKey: ${stringLiteral(registry.spanKindAttribute)},`]),
    `  spanKinds: [${kinds.map(stringLiteral).join(", ")}],`,
    ...(contextKeys.length === 0 ? [] : [`  contextKeys: [${contextKeys.map(stringLiteral).join(", ")}],`]),
    "  owns,",
    "  checkKey,",
    "  checkRequirements,",
    "  suggestions: SUGGESTIONS,",
    "};",
  ].join("\n");

  const checks = ["value types", "enum values", "JSON text", "deprecated keys", "unknown keys and fields in the namespaces it owns", "list index gaps", ...(kinds.length ? ["the span kind and its requirement levels"] : [])];
  const what = `${checks.slice(0, -1).join(", ")} and ${checks.at(-1)!}`;
  const validateFns = [
    `const REGISTRIES: readonly RegistryValidator[] = [${registryName}];`,
    [
      "/**",
      ` * Validates a flat attribute record against the \`${docText(registry.name)}\` registry alone.`,
      ` * Checks ${what}; keys outside the namespaces it owns pass.`,
      ` * To validate against several registries: \`createValidator(${registryName}, otherRegistry).validateAttributes(attributes)\`.`,
      " */",
      "export function validateAttributes(attributes: AttributeRecord, options?: ValidateOptions): Finding[] {",
      "  return validateWith(REGISTRIES, attributes, options);",
      "}",
    ].join("\n"),
    [
      `/** {@link validateAttributes} for a span (an OpenTelemetry \`ReadableSpan\` or any \`{ attributes }\`). */`,
      "export function validateSpan(span: SpanLike, options?: ValidateOptions): Finding[] {",
      "  return validateWith(REGISTRIES, span?.attributes ?? {}, options);",
      "}",
    ].join("\n"),
  ];

  const runtimeValues = [...scope.runtime, "validateWith"].sort();
  const runtimeTypes = ["AttributeRecord", "Finding", "KeyPlan", "RegistryValidator", "SpanLike", "ValidateOptions", "ValidationContext"];
  const imports: ImportDeclarationStructure = {
    kind: StructureKind.ImportDeclaration,
    moduleSpecifier: RUNTIME,
    namedImports: [...runtimeValues, ...runtimeTypes.map((t) => `type ${t}`)],
  };
  const body: string[] = [
    ...scope.setStatements(),
    plainMap,
    ...objectFunctions,
    resolveKey,
    leafSwitch.join("\n"),
    checkKey,
    ownsFunction(ownedPrefixes(registry)),
    requirements,
    arrayConst("SUGGESTIONS", [...suggestions], "Plain keys and key patterns, for \"did you mean\" suggestions."),
    validatorObject,
    ...validateFns,
  ];
  const statements: Statement[] = [
    imports,
    {
      kind: StructureKind.ExportDeclaration,
      moduleSpecifier: RUNTIME,
      namedExports: ["createValidator"],
      leadingTrivia: "/** Combine this registry's validator with others: `createValidator(a, b).validateSpan(span)`. */\n",
    },
    {
      kind: StructureKind.ExportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: RUNTIME,
      namedExports: ["Finding", "RegistryValidator", "ValidateOptions", "Validator"],
    },
    // One blank line before each declaration (the printer already adds one after a closing brace).
    ...body.map((text, i) => (i > 0 && body[i - 1]!.endsWith("}") ? text : `\n${text}`)),
  ];
  return { path: "validators.ts", statements };
}
