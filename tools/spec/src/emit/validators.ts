/**
 * Validators: one `RegistryValidator` (see @semtrace/runtime) per registry, as specialised code.
 *
 * - Checks: one function per distinct check of the registry's keys, plain or structured (type, enum
 *   membership, JSON text, deprecation, a key that carries no value, an unknown field of a structure), named
 *   after what it checks (`checkString`, `checkLlmProvider`, `checkUnknownMessageField`), so keys that are
 *   checked alike share one.
 * - Resolving a key to its check (`resolveKey`): plain top-level keys through a module-level `Map`;
 *   for structured keys, the longest prefix that is a top-level `list[...]`, `object[...]` or
 *   `template[...]` key is found by walking the key's dots from the right and switching on the
 *   prefix length; a list index is read in place (`enterIndex`) and the rest of the key goes to the
 *   generated resolver of the object group, which does the same for its own fields. No `split`, no
 *   regular expression, no allocation except the prefix of a nested list for gap detection.
 * - A key is resolved once: `planKey` (@semtrace/runtime/internal) remembers each distinct key's check and
 *   list indices (bounded), so the keys of later spans cost one `Map` lookup before their check.
 * - Requirement levels: a `switch` over the span kinds.
 *
 * Everything at module level is a function declaration, a literal or a `/* @__PURE__ *\/`
 * construction, so an unused validator is dropped by bundlers.
 */
import { flattenRegistry, patternText } from "../model/flatten.js";
import type { Attribute, AttributeUse, ObjectType, Registry, SpanDefinition } from "../model/resolved.js";
import { pascalCase, screamingSnake } from "../naming/case.js";
import { registryValidatorName, withoutRegistryName } from "../naming/exports.js";
import {
  array,
  binary,
  call,
  constant,
  exprStmt,
  ifThen,
  object,
  paramName,
  paren,
  ret,
  variable,
  type CodeFile,
  type Declaration,
  type FunctionDeclaration,
  type Param,
  type Stmt,
  type SwitchCase,
} from "./code.js";
import { literal, stringLiteral } from "./literals.js";
import { Names } from "./names.js";
import { emitContentChecks, type CheckScope, type ContentChecks } from "./content-checks.js";
import { isClosedEnum } from "./type-map.js";
import { RUNTIME_INTERNAL } from "./runtime-import.js";

const PRIMITIVE_NAMES: Readonly<Record<string, string>> = {
  string: "String",
  int: "Int",
  double: "Double",
  boolean: "Boolean",
  "string[]": "StringArray",
  "int[]": "IntArray",
  "double[]": "DoubleArray",
  "boolean[]": "BooleanArray",
  any: "Any",
};

/** The checks of one file: names handed out once, the enum member sets, the runtime helpers used. */
class Checks implements CheckScope {
  readonly runtime = new Set<string>();
  readonly names: Names;
  /** The content checks of JSON attributes with a `shape` (content-checks.ts). */
  readonly content: ContentChecks;
  /** Check body → its function. */
  private readonly byBody = new Map<string, FunctionDeclaration>();
  /** Member list signature → the set's name and the keys that use it. */
  private readonly sets = new Map<
    string,
    { readonly name: string; readonly items: readonly string[]; readonly keys: string[] }
  >();

  constructor(registry: Registry, reserved: Iterable<string>) {
    this.names = new Names(reserved);
    this.content = emitContentChecks(registry, this);
  }

  use(helper: string): string {
    this.runtime.add(helper);
    return helper;
  }

  /** The function that runs `body` (identifiers `key`, `value`, `ctx` in scope), named `check<name>` when new. */
  check(name: string, doc: string, body: readonly Stmt[]): string {
    const signature = JSON.stringify(body);
    const known = this.byBody.get(signature);
    if (known) return known.name;
    const fn: FunctionDeclaration = {
      kind: "function",
      name: this.names.unique(`check${name}`),
      doc,
      params: [
        { name: paramName("key", body), type: "string" },
        { name: paramName("value", body), type: "unknown" },
        { name: paramName("ctx", body), type: "ValidationContext" },
      ],
      returnType: "void",
      body,
    };
    this.byBody.set(signature, fn);
    return fn.name;
  }

  functions(): FunctionDeclaration[] {
    return [...this.byBody.values()];
  }

  /** A module-level `Set` of an enum's member values, shared by enums with the same members, named after the first `label` (a key). */
  memberSet(label: string, values: readonly (string | number | boolean)[]): string {
    const items = [...new Set(values.map(literal))];
    const signature = items.join(",");
    const known = this.sets.get(signature);
    if (known) {
      if (!known.keys.includes(label)) known.keys.push(label);
      return known.name;
    }
    const name = this.names.unique(`${screamingSnake(label)}_MEMBERS`);
    this.sets.set(signature, { name, items, keys: [label] });
    return name;
  }

  setDeclarations(): Declaration[] {
    return [...this.sets.values()].map(({ name, items, keys }) =>
      constant(name, call("Set", [array(items)], { isNew: true, pure: true, typeArgs: ["unknown"] }), {
        type: "ReadonlySet<unknown>",
        doc: `Members of ${keys.map((k) => `\`${k}\``).join(" and ")}.`,
      }),
    );
  }
}

/** The check of `value` of a key whose attribute is `attr`: its function's name. */
function leafCheck(attr: Attribute, checks: Checks): string {
  const body: Stmt[] = [];
  const type = attr.type;
  let name = "";
  let what = "";
  const primitive = (typeName: string): void => {
    name = PRIMITIVE_NAMES[typeName]!;
    what = `a \`${typeName}\` value`;
    if (typeName === "any") return;
    const json = typeName === "string" && attr.semtrace.format === "json";
    const shape = json ? attr.semtrace.shape : undefined;
    if (shape) {
      const held = `${shape.kind === "list" ? "a list of " : ""}\`${shape.shape}\``;
      const plain =
        attr.semtrace.plainText === undefined ? "" : "; text that is not JSON is its plain-text form (a warning)";
      [name, what] = [
        `${pascalCase(attr.key)}Content`,
        `JSON text${attr.semtrace.acceptsStructured ? " or the structured value" : ""} holding ${held}, checked against that shape${plain}`,
      ];
      body.push(...checks.content.attributeCheck(shape, attr.semtrace.acceptsStructured, attr.semtrace.plainText));
    } else if (json && attr.semtrace.acceptsStructured) {
      [name, what] = ["JsonStringOrStructured", "JSON text, or the structured value itself (an array or a map)"];
      body.push(`${checks.use("checkJsonOrStructured")}(key, value, ctx);`);
    } else if (json) {
      [name, what] = ["JsonString", "a string of JSON text"];
      body.push(
        ifThen(`${checks.use("checkType")}(key, value, "string", ctx)`, `${checks.use("checkJson")}(key, value, ctx);`),
      );
    } else if (typeName.endsWith("[]") && attr.semtrace.acceptsJsonString) {
      [name, what] = [`${name}OrJsonText`, `a \`${typeName}\` value, or one JSON-encoded in a string`];
      body.push(`${checks.use("checkArrayOrJsonText")}(key, value, ${stringLiteral(typeName)}, ctx);`);
    } else body.push(`${checks.use("checkType")}(key, value, ${stringLiteral(typeName)}, ctx);`);
  };
  switch (type.kind) {
    case "primitive":
      primitive(type.name);
      break;
    case "template":
      primitive(type.inner);
      break;
    case "enum": {
      const set = checks.memberSet(
        attr.key,
        type.members.map((m) => m.value),
      );
      name = pascalCase(attr.key);
      what = `a value of \`${attr.key}\`${isClosedEnum(attr) ? " (a closed enum)" : ""}`;
      body.push(
        ifThen(
          `${checks.use("checkType")}(key, value, ${stringLiteral(type.valueType)}, ctx)`,
          `${checks.use("checkEnum")}(key, value, ${set}, ${isClosedEnum(attr)}, ctx);`,
        ),
      );
      break;
    }
    case "namespace":
    case "list":
    case "object":
      name = `${pascalCase(type.kind)}Key`;
      what = `no value: a \`${type.kind}\` key carries none of its own`;
      body.push(`${checks.use("reportNoValue")}(key, value, ${stringLiteral(type.kind)}, ctx);`);
      break;
  }
  return withDeprecation(attr, checks, name, what, body);
}

/** The check of a key that equals the attribute's key: a template key itself (without a suffix) carries no value. */
function exactCheck(attr: Attribute, checks: Checks): string {
  if (attr.type.kind !== "template") return leafCheck(attr, checks);
  return withDeprecation(attr, checks, "TemplateKey", "no value: a `template` key carries none of its own", [
    `${checks.use("reportNoValue")}(key, value, "template", ctx);`,
  ]);
}

/** Deprecated keys also report their replacement: a check of their own, named after the attribute. */
function withDeprecation(attr: Attribute, checks: Checks, name: string, what: string, body: Stmt[]): string {
  const dep = attr.deprecated;
  if (!dep) return checks.check(name, `Expects ${what}.`, body);
  const note = dep.note?.trim().replace(/\s+/g, " ");
  const report = exprStmt(
    call(checks.use("reportDeprecated"), [
      "key",
      dep.renamedTo === undefined ? "undefined" : stringLiteral(dep.renamedTo),
      note ? stringLiteral(note) : "undefined",
      "ctx",
    ]),
  );
  const replacement = dep.renamedTo === undefined ? "" : `: use \`${dep.renamedTo}\``;
  return checks.check(pascalCase(attr.key), `\`${attr.key}\` is deprecated${replacement}. Expects ${what}.`, [
    ...body,
    report,
  ]);
}

/** The runtime's content helpers (content-checks.ts uses them): no generated name may take theirs. */
const CONTENT_RUNTIME_NAMES = [
  "checkContentEnum",
  "checkContentListProperty",
  "checkContentObjectProperty",
  "checkContentProperties",
  "checkContentValue",
  "checkJsonContent",
  "checkLegacyFormat",
  "contentPath",
  "isJsonObject",
  "reportContentDiscriminator",
  "reportContentMissing",
  "reportContentType",
];

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
function reachableObjects(
  top: readonly Attribute[],
  objects: readonly ObjectType[],
  attrs: ReadonlyMap<string, Attribute>,
): Set<string> {
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
function containerLoop(
  containers: readonly Container[],
  top: boolean,
  resolvers: ReadonlyMap<string, string>,
  checks: Checks,
): Stmt[] {
  if (containers.length === 0) return [];
  const at = top ? "" : ", pos";
  const cases: SwitchCase[] = [];
  for (const [length, group] of groupBy(containers, (c) => c.attr.key.length)) {
    const body: Stmt[] = [];
    for (const { attr, kind } of group) {
      const lit = stringLiteral(attr.key);
      const type = attr.type;
      if (kind === "list" && type.kind === "list") {
        const resolver = resolvers.get(type.object);
        if (!resolver) continue;
        body.push(
          ifThen(`key.startsWith(${lit}${at})`, [
            variable(
              "const",
              "next",
              `${checks.use("enterIndex")}(key, dot + 1, plan${top ? `, ${stringLiteral(`${attr.key}.`)}` : ""})`,
            ),
            ifThen("next < 0", "break;"),
            ret(`${resolver}(key, next, plan)`),
          ]),
        );
      } else if (kind === "object" && type.kind === "object") {
        const resolver = resolvers.get(type.object);
        if (!resolver) continue;
        body.push(ifThen(`key.startsWith(${lit}${at})`, ret(`${resolver}(key, dot + 1, plan)`)));
      } else {
        // template: any non-empty suffix carries the inner type.
        body.push(ifThen(`dot + 1 < key.length && key.startsWith(${lit}${at})`, ret(leafCheck(attr, checks))));
      }
    }
    cases.push({ labels: [String(length)], body: [...body, "break;"] });
  }
  const head = top
    ? 'let dot = key.lastIndexOf("."); dot > 0; dot = key.lastIndexOf(".", dot - 1)'
    : 'let dot = key.lastIndexOf("."); dot > pos; dot = key.lastIndexOf(".", dot - 1)';
  return [{ kind: "for", head, body: [{ kind: "switch", on: top ? "dot" : "dot - pos", cases }] }];
}

function objectResolver(
  object: ObjectType,
  name: string,
  fieldsName: string,
  attrs: ReadonlyMap<string, Attribute>,
  resolvers: ReadonlyMap<string, string>,
  checks: Checks,
): FunctionDeclaration {
  const fields = object.fields
    .map((f) => attrs.get(f.key))
    .filter((a): a is Attribute => a !== undefined && a.type.kind !== "namespace");
  const body: Stmt[] = [];
  if (fields.length > 0) {
    const cases: SwitchCase[] = [...groupBy(fields, (a) => a.key.length)].map(([length, group]) => ({
      labels: [String(length)],
      body: [
        ...group.map((attr) =>
          ifThen(`key.startsWith(${stringLiteral(attr.key)}, pos)`, ret(exactCheck(attr, checks))),
        ),
        "break;",
      ],
    }));
    body.push({ kind: "switch", on: "key.length - pos", cases });
  }
  const containers = fields.map(containerOf).filter((c): c is Container => c !== undefined);
  body.push(...containerLoop(containers, false, resolvers, checks));
  const trimmed = object.id.split(".").at(-1)!;
  const unknown = checks.check(
    `Unknown${pascalCase(trimmed)}Field`,
    `A key under a \`${object.id}\` structure that names none of its fields.`,
    [`${checks.use("reportUnknownField")}(key, ${stringLiteral(object.id)}, ctx, ${fieldsName});`],
  );
  body.push(ret(unknown));
  return {
    kind: "function",
    name,
    doc: `The check of the field of one \`${object.id}\` structure that starts at \`pos\` of \`key\`; list indices go to \`plan\`.`,
    params: [
      { name: paramName("key", body), type: "string" },
      { name: paramName("pos", body), type: "number" },
      { name: paramName("plan", body), type: "KeyPlan" },
    ],
    returnType: "KeyCheck",
    body,
  };
}

/** `owns(key)`: switch on the length of the key's first segment, then compare the owned prefixes with that first segment. */
function ownsFunction(prefixes: readonly string[]): FunctionDeclaration {
  if (prefixes.length === 0) {
    return {
      kind: "function",
      name: "owns",
      doc: "True when `key` lies in a namespace this registry owns (it owns none).",
      params: [{ name: "_key", type: "string" }],
      returnType: "boolean",
      body: [ret("false")],
    };
  }
  const firstLength = (p: string) => (p.indexOf(".") < 0 ? p.length : p.indexOf("."));
  const cases: SwitchCase[] = [...groupBy(prefixes, firstLength)].map(([length, group]) => ({
    labels: [String(length)],
    body: [
      ret(
        binary(
          "||",
          group.map((p) =>
            p.length === length
              ? `key.startsWith(${stringLiteral(p)})`
              : `(key.startsWith(${stringLiteral(p)}) && (key.length === ${p.length} || key.charCodeAt(${p.length}) === 46))`,
          ),
        ),
      ),
    ],
  }));
  cases.push({ labels: [], body: [ret("false")] });
  return {
    kind: "function",
    name: "owns",
    doc: "True when `key` lies in a namespace this registry owns.",
    params: [{ name: "key", type: "string" }],
    returnType: "boolean",
    body: [variable("const", "dot", 'key.indexOf(".")'), { kind: "switch", on: "dot < 0 ? key.length : dot", cases }],
  };
}

/** Owned prefixes, without those another one already covers. */
function ownedPrefixes(registry: Registry): string[] {
  const all = new Set<string>(registry.owns);
  // A namespace, list or object key is a prefix the registry defines: keys under it that it does not define are typos (spec §2.3).
  for (const a of registry.attributes)
    if (a.topLevel && (a.type.kind === "namespace" || a.type.kind === "list" || a.type.kind === "object"))
      all.add(a.key);
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
  const spans: SpanDefinition[] = registry.spans.filter((s) => s.semtrace.spanKind !== undefined);
  for (const span of spans) {
    const kind = span.semtrace.spanKind!;
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

const REQUIREMENTS_DOC = [
  "Requirement levels of each span kind: missing `required` attributes are errors and missing unconditional",
  "`recommended` ones infos. Conditions are prose, so `conditionally_required` is checked only when the spec makes",
  "its condition checkable (`semtrace.required_with`: the attribute is required when any of those keys is present);",
  "`recommended` with a condition and `opt_in` attributes are not reported.",
].join(" ");

function requirementsFunction(
  registry: Registry,
  attrs: ReadonlyMap<string, Attribute>,
  checks: Checks,
): FunctionDeclaration {
  const kinds = registry.spanKindAttribute === undefined ? [] : spanKinds(registry);
  const cases: SwitchCase[] = [];
  for (const { kind, uses } of kinds) {
    const body: Stmt[] = [];
    for (const use of uses) {
      const rl = use.requirementLevel;
      if (
        use.key === registry.spanKindAttribute ||
        rl.level === "opt_in" ||
        (rl.level === "recommended" && rl.condition !== undefined)
      )
        continue;
      const attr = attrs.get(use.key);
      if (!attr) continue;
      const container =
        attr.type.kind === "list" ||
        attr.type.kind === "object" ||
        attr.type.kind === "template" ||
        attr.type.kind === "namespace";
      const lit = stringLiteral(attr.key);
      // A key that Object.prototype also has (`constructor`) must be an own property to count.
      const inherited =
        attr.key in Object.prototype ? `!Object.prototype.hasOwnProperty.call(attributes, ${lit}) || ` : "";
      // Built only for a check that is written, so runtime helpers are imported only when used.
      const absent = (): string =>
        container
          ? `!${checks.use("hasKeyUnder")}(attributes, ${stringLiteral(`${attr.key}.`)}, ctx)`
          : `${inherited}attributes[${lit}] === undefined`;
      if (rl.level === "conditionally_required") {
        const triggers = attr.semtrace.requiredWith;
        if (triggers.length === 0) continue;
        const present = triggers.flatMap((k) => [
          `${checks.use("hasKeyUnder")}(attributes, ${stringLiteral(`${k}.`)}, ctx)`,
          `attributes[${stringLiteral(k)}] !== undefined`,
        ]);
        const condition = `required when ${triggers.map((k) => `\`${k}\``).join(" or ")} is set`;
        const report = call(checks.use("reportMissing"), [lit, '"required"', "kind", stringLiteral(condition), "ctx"]);
        body.push(ifThen(binary("&&", [absent(), paren(binary("||", present))]), exprStmt(report)));
        continue;
      }
      body.push(
        ifThen(
          absent(),
          exprStmt(call(checks.use("reportMissing"), [lit, stringLiteral(rl.level), "kind", "undefined", "ctx"])),
        ),
      );
    }
    cases.push({ labels: [stringLiteral(kind)], body: [...body, "return;"] });
  }
  const body: Stmt[] = cases.length === 0 ? [] : [{ kind: "switch", on: "kind", cases }];
  const params: Param[] = [
    { name: paramName("attributes", body), type: "AttributeRecord" },
    { name: paramName("kind", body), type: "string" },
    { name: paramName("ctx", body), type: "ValidationContext" },
  ];
  return { kind: "function", name: "checkRequirements", doc: REQUIREMENTS_DOC, params, returnType: "void", body };
}

/** A string array constant; one item per line when it does not fit on one. */
function arrayConst(name: string, items: readonly string[], doc: string): Declaration {
  return constant(name, array(items.map(stringLiteral)), { type: "readonly string[]", doc });
}

export function emitValidators(registry: Registry): CodeFile {
  const attrs = new Map(registry.attributes.map((a) => [a.key, a]));
  const registryName = registryValidatorName(registry.name);
  const runtimeNames = [
    "checkArrayOrJsonText",
    "checkEnum",
    "checkJson",
    "checkJsonOrStructured",
    "checkType",
    "enterIndex",
    "hasKeyUnder",
    "planKey",
  ];
  const runtimeNamesMore = [
    "reportDeprecated",
    "reportMissing",
    "reportNoValue",
    "reportUnknownField",
    "validateWith",
    "createValidator",
  ];
  const fixed = [
    "owns",
    "checkKey",
    "resolveKey",
    "checkRequirements",
    "validateAttributes",
    "validateSpan",
    "PLAIN",
    "PLANS",
    "SUGGESTIONS",
    "REGISTRIES",
  ];
  const checks = new Checks(registry, [
    registryName,
    ...runtimeNames,
    ...runtimeNamesMore,
    ...CONTENT_RUNTIME_NAMES,
    ...fixed,
  ]);

  // Resolver names first: nested objects refer to each other.
  const resolvers = new Map<string, string>();
  const fieldLists = new Map<string, string>();
  for (const object of registry.objects) {
    const trimmed = withoutRegistryName(object.id, registry.name);
    resolvers.set(object.id, checks.names.unique(`resolve${pascalCase(trimmed)}Field`));
    fieldLists.set(object.id, checks.names.unique(`${screamingSnake(trimmed)}_FIELDS`));
  }

  // Plain top-level keys → their checks first.
  const top = registry.attributes.filter((a) => a.topLevel);
  const checkOf = new Map<string, string>();
  for (const attr of top) checkOf.set(attr.key, exactCheck(attr, checks));

  const objectDeclarations: Declaration[] = [];
  const reachable = reachableObjects(top, registry.objects, attrs);
  for (const object of registry.objects) {
    // An object no span key can reach (defined, not yet listed anywhere) needs no resolver: nothing would call it.
    if (!reachable.has(object.id)) continue;
    const fields = object.fields
      .map((f) => f.key)
      .filter((k) => attrs.has(k) && attrs.get(k)!.type.kind !== "namespace");
    objectDeclarations.push(
      arrayConst(fieldLists.get(object.id)!, fields, `Fields of \`${object.id}\`, for unknown-field messages.`),
    );
    objectDeclarations.push(
      objectResolver(object, resolvers.get(object.id)!, fieldLists.get(object.id)!, attrs, resolvers, checks),
    );
  }

  const plainMap = constant(
    "PLAIN",
    call("Map", [array(top.map((a) => array([stringLiteral(a.key), checkOf.get(a.key)!])))], {
      isNew: true,
      pure: true,
      typeArgs: ["string", "KeyCheck"],
    }),
    {
      type: "ReadonlyMap<string, KeyCheck>",
      doc: "Every plain key valid directly on a span → its check.",
    },
  );

  const containers = top.map(containerOf).filter((c): c is Container => c !== undefined);
  const keyLoop = containerLoop(containers, true, resolvers, checks);
  const resolveBody: Stmt[] = [
    variable("const", "check", "PLAIN.get(key)"),
    ifThen("check !== undefined", ret("check")),
    ...keyLoop,
    ret("undefined"),
  ];
  const resolveKey: FunctionDeclaration = {
    kind: "function",
    name: "resolveKey",
    doc: "The check of a key; undefined when the registry does not define the key (object fields alone are not valid on a span). List indices go to `plan`.",
    params: [
      { name: "key", type: "string" },
      { name: paramName("plan", keyLoop), type: "KeyPlan" },
    ],
    returnType: "KeyCheck | undefined",
    body: resolveBody,
  };

  const plans = constant("PLANS", call("Map", [], { isNew: true, pure: true, typeArgs: ["string", "KeyPlan"] }), {
    type: "Map<string, KeyPlan>",
    doc: "Each distinct key's check and list indices, resolved once (bounded; see `planKey`).",
  });
  const checkKey: FunctionDeclaration = {
    kind: "function",
    name: "checkKey",
    doc: "Checks one key and its value; false when the registry does not define the key (object fields alone are not valid on a span).",
    params: [
      { name: "key", type: "string" },
      { name: "value", type: "unknown" },
      { name: "ctx", type: "ValidationContext" },
    ],
    returnType: "boolean",
    body: [
      variable("const", "check", `${checks.use("planKey")}(PLANS, key, resolveKey, ctx)`),
      ifThen("check === undefined", ret("false")),
      "check(key, value, ctx);",
      ret("true"),
    ],
  };

  const suggestions = new Set<string>(top.map((a) => a.key));
  for (const key of flattenRegistry(registry)) suggestions.add(patternText(key));

  const requirements = requirementsFunction(registry, attrs, checks);
  const kinds = registry.spanKindAttribute === undefined ? [] : spanKinds(registry).map((k) => k.kind);
  const contextKeys = top.filter((a) => a.semtrace.context).map((a) => a.key);

  const validatorObject = constant(
    registryName,
    object([
      { name: "name", value: stringLiteral(registry.name) },
      ...(registry.spanKindAttribute === undefined
        ? []
        : [{ name: "spanKindKey", value: stringLiteral(registry.spanKindAttribute) }]),
      { name: "spanKinds", value: array(kinds.map(stringLiteral)) },
      ...(contextKeys.length === 0 ? [] : [{ name: "contextKeys", value: array(contextKeys.map(stringLiteral)) }]),
      { name: "owns", value: "owns" },
      { name: "checkKey", value: "checkKey" },
      { name: "checkRequirements", value: "checkRequirements" },
      { name: "suggestions", value: "SUGGESTIONS" },
    ]),
    {
      exported: true,
      type: "RegistryValidator",
      doc: `The \`${registry.name}\` registry as a validator, for {@link createValidator}: combine it with other registries' validators, e.g. \`createValidator(${registryName}, mycompanyRegistry)\`.`,
    },
  );

  const checked = [
    "value types",
    "enum values",
    "JSON text",
    "deprecated keys",
    "unknown keys and fields in the namespaces it owns",
    "list index gaps",
    ...(kinds.length ? ["the span kind and its requirement levels"] : []),
  ];
  const what = `${checked.slice(0, -1).join(", ")} and ${checked.at(-1)!}`;
  const validateFns: Declaration[] = [
    constant("REGISTRIES", array([registryName]), { type: "readonly RegistryValidator[]" }),
    {
      kind: "function",
      name: "validateAttributes",
      exported: true,
      doc: [
        `Validates a flat attribute record against the \`${registry.name}\` registry alone.`,
        `Checks ${what}; keys outside the namespaces it owns pass.`,
        `To validate against several registries: \`createValidator(${registryName}, otherRegistry).validateAttributes(attributes)\`.`,
      ].join("\n"),
      params: [
        { name: "attributes", type: "AttributeRecord" },
        { name: "options", optional: true, type: "ValidateOptions" },
      ],
      returnType: "Finding[]",
      body: [ret(`${checks.use("validateWith")}(REGISTRIES, attributes, options)`)],
    },
    {
      kind: "function",
      name: "validateSpan",
      exported: true,
      doc: "{@link validateAttributes} for a span (an OpenTelemetry `ReadableSpan` or any `{ attributes }`).",
      params: [
        { name: "span", type: "SpanLike" },
        { name: "options", optional: true, type: "ValidateOptions" },
      ],
      returnType: "Finding[]",
      body: [ret("validateWith(REGISTRIES, span?.attributes ?? {}, options)")],
    },
  ];

  const runtimeTypes = [
    "AttributeRecord",
    "Finding",
    "KeyCheck",
    "KeyPlan",
    "RegistryValidator",
    "SpanLike",
    "ValidateOptions",
    "ValidationContext",
  ];
  return {
    kind: "code",
    path: "validators.ts",
    doc:
      `Validators of the \`${registry.name}\` registry: {@link validateAttributes}, {@link validateSpan}, and {@link ${registryName}} ` +
      "to combine with other registries' validators.",
    declarations: [
      {
        kind: "import",
        from: RUNTIME_INTERNAL,
        names: [
          ...[...checks.runtime].sort().map((name) => ({ name })),
          ...runtimeTypes.map((name) => ({ name, typeOnly: true })),
        ],
      },
      {
        kind: "export-from",
        from: "@semtrace/runtime",
        names: ["createValidator"],
        doc: "Combine this registry's validator with others: `createValidator(a, b).validateSpan(span)`.",
      },
      {
        kind: "export-from",
        typeOnly: true,
        from: "@semtrace/runtime",
        names: ["Finding", "RegistryValidator", "ValidateOptions", "Validator"],
      },
      ...checks.setDeclarations(),
      plainMap,
      ...objectDeclarations,
      resolveKey,
      ...checks.functions(),
      ...checks.content.functions,
      plans,
      checkKey,
      ownsFunction(ownedPrefixes(registry)),
      requirements,
      arrayConst("SUGGESTIONS", [...suggestions], 'Plain keys and key patterns, for "did you mean" suggestions.'),
      validatorObject,
      ...validateFns,
    ],
  };
}
