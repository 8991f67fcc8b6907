/**
 * Typed attribute builders (see builder-plan.ts for what gets a builder and how inputs are named).
 * Output is a flat attribute record typed by `Attributes`. Builders never throw: inputs of the
 * wrong shape are skipped, JSON-string attributes are serialised with the runtime's safe
 * serialiser, and a throwing getter leaves the attributes written so far.
 */
import type { FunctionDeclarationStructure } from "ts-morph";
import { StructureKind } from "../util/ts-morph.js";
import type { Attribute, Registry } from "../model/resolved.js";
import { planBuilders, semtrace, type BuilderScope, type InputNode } from "./builder-plan.js";
import { attributeDoc, plainDoc } from "./docs.js";
import { constNameLookup } from "./constants.js";
import { enumValueTypeName } from "./enums.js";
import { parameterName, propertyName, stringLiteral } from "./literals.js";
import { docs, type GeneratedFile, type Statement } from "./structures.js";
import { isClosedEnum, PRIMITIVE_TS_TYPES } from "./type-map.js";

interface EmitContext {
  readonly registry: Registry;
  readonly objectTypes: ReadonlyMap<string, string>;
  readonly byKey: ReadonlyMap<string, Attribute>;
  readonly usedEnums: Set<string>;
  readonly runtime: Set<string>;
  readonly knownSets: string[];
  /** Module-level key caches of span and group builders, by name. */
  readonly moduleDecls: Map<string, string>;
  /** Helpers the specialised writers reach through `D` (the `DEPS` object). */
  readonly deps: Set<string>;
  readonly lookup: (key: string) => string | undefined;
}

const TEXT_MIME = "text/plain";
const JSON_MIME = "application/json";

/** Written with `toJsonAttribute`: `format: json` attributes, and `any` ones (a string as it is, anything else as JSON text, the form the JavaScript API can record). */
function isJson(attr: Attribute): boolean {
  return semtrace(attr.annotations, "format") === "json" || (attr.type.kind === "primitive" && attr.type.name === "any");
}

function mimeKey(attr: Attribute): string | undefined {
  const m = semtrace(attr.annotations, "mime_type");
  return typeof m === "string" ? m : undefined;
}

function leafType(attr: Attribute, ctx: EmitContext): string {
  const t = attr.type;
  if (mimeKey(attr) !== undefined) return "unknown";
  if (isJson(attr)) return "unknown";
  switch (t.kind) {
    case "primitive":
      return PRIMITIVE_TS_TYPES[t.name].replace(/^(\w+)\[\]$/, "readonly $1[]");
    case "template":
      return `Readonly<Record<string, ${PRIMITIVE_TS_TYPES[t.inner]}>>`;
    case "enum": {
      const base = t.valueType === "int" ? "number" : t.valueType;
      let union: string;
      if (ctx.registry.naming === "openinference") {
        union = enumValueTypeName(attr, ctx.registry);
        ctx.usedEnums.add(union);
      } else union = [...new Set(t.members.map((m) => (typeof m.value === "string" ? stringLiteral(m.value) : String(m.value))))].join(" | ");
      return isClosedEnum(attr) ? union : `${union} | (${base} & {})`;
    }
    case "list":
      return `readonly (${ctx.objectTypes.get(t.object) ?? "never"} | null | undefined)[]`;
    case "object":
      return ctx.objectTypes.get(t.object) ?? "never";
    case "namespace":
      return "never";
  }
}

function templateValueType(node: InputNode): string | undefined {
  const t = node.template?.type;
  if (t?.kind !== "template") return undefined;
  // An index signature must cover every known property, so only leaf-only nodes get one.
  for (const child of node.children.values()) if (!child.leaf || child.children.size > 0) return undefined;
  return PRIMITIVE_TS_TYPES[t.inner];
}

/** Type text of an input field; nested object literals are indented relative to `depth`. */
function nodeType(node: InputNode, ctx: EmitContext, depth = 1): string {
  if (node.leaf) return leafType(node.leaf, ctx);
  if (node.template && node.children.size === 0) return leafType(node.template, ctx);
  const pad = "  ".repeat(depth);
  const lines: string[] = ["{"];
  for (const child of node.children.values()) {
    const doc = child.leaf ? attributeDoc(child.leaf, ctx.lookup).split("\n")[0] : undefined;
    if (doc) lines.push(`${pad}/** ${doc} */`);
    lines.push(`${pad}readonly ${propertyName(child.name)}?: ${nodeType(child, ctx, depth + 1)} | null;`);
  }
  const templ = templateValueType(node);
  if (templ) lines.push(`${pad}/** Any other \`${node.template!.key}.<key>\` value. */`, `${pad}readonly [key: string]: ${templ} | null | undefined;`);
  lines.push(`${"  ".repeat(depth - 1)}}`);
  return lines.join("\n");
}

/** The input interface as finished text (the printer would re-indent nested object types). */
function inputInterface(scope: BuilderScope, ctx: EmitContext): string {
  const lines = [`/** ${plainDoc(`Input of {@link ${scope.functionName}}. ${scope.doc}`).split("\n").join("\n * ")} */`, `export interface ${scope.inputType} {`];
  for (const child of scope.root.children.values()) {
    const doc = child.leaf ? attributeDoc(child.leaf, ctx.lookup) : undefined;
    if (doc) lines.push("  /**", ...doc.split("\n").map((l) => (l ? `   * ${l}` : "   *")), "   */");
    lines.push(`  readonly ${propertyName(child.name)}?: ${nodeType(child, ctx, 2)} | null;`);
  }
  const templ = templateValueType(scope.root);
  if (templ) lines.push(`  readonly [key: string]: ${templ} | null | undefined;`);
  lines.push("}");
  return lines.join("\n");
}

/**
 * Where a writer gets its key strings. Building keys by concatenation on every call would cost
 * more than everything else together (each new string must be hashed to be used as a property
 * key), so keys come from tables built once per prefix and reused:
 * - span and group builders write constant keys; their list elements' tables sit in module-level
 *   arrays indexed by position (`LLM_INPUT_MESSAGES[0]`);
 * - a structure's writer receives its table (`MessageKeys`: every key of one message at one
 *   prefix), whose nested lists and structures hold their own tables, filled on first use.
 */
interface KeySource {
  leaf(key: string): string;
  /** `<key>.` as a string expression, for template suffixes. */
  prefix(key: string): string;
  /** The key table of list element `index` of `key` (a `list[...]` attribute); `ref` names module-level helpers. */
  listTable(key: string, objectType: string, index: string, ref: Ref): string;
  /** The key table of the nested structure under `key` (an `object[...]` attribute). */
  objectTable(key: string, objectType: string, ref: Ref): string;
}

/** How generated code refers to a module-level helper: by name in TypeScript, as `D.<name>` in specialised writers. */
type Ref = (name: string) => string;

/** Lists deeper than this are not cached (their tables are built per call). */
const CACHE_LIMIT = 256;

function tableFactory(objectType: string): string {
  return `${objectType[0]!.toLowerCase()}${objectType.slice(1)}Keys`;
}

function cachedElement(table: string, index: string, objectType: string, prefixExpr: string, ref: Ref): string {
  const make = `${ref(tableFactory(objectType))}(${prefixExpr})`;
  return `(${table}[${index}] ?? (${index} < ${CACHE_LIMIT} ? (${table}[${index}] = ${make}) : ${make}))`;
}

class ConstantKeys implements KeySource {
  constructor(private readonly ctx: EmitContext) {}
  leaf(key: string): string {
    return stringLiteral(key);
  }
  prefix(key: string): string {
    return stringLiteral(`${key}.`);
  }
  listTable(key: string, objectType: string, index: string, ref: Ref): string {
    const name = `${screamingKey(key)}_KEYS`;
    this.ctx.moduleDecls.set(name, `const ${name}: ${objectType}Keys[] = [];`);
    return cachedElement(name, index, objectType, `${stringLiteral(`${key}.`)} + ${index} + "."`, ref);
  }
  objectTable(key: string, objectType: string, ref: Ref): string {
    const name = `${screamingKey(key)}_KEYS`;
    this.ctx.moduleDecls.set(name, `let ${name}: ${objectType}Keys | undefined;`);
    return `(${name} ??= ${ref(tableFactory(objectType))}(${stringLiteral(`${key}.`)}))`;
  }
}

function screamingKey(key: string): string {
  return key.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
}

/** Slots of one structure's key table, allocated as its writer asks for them. */
class TableKeys implements KeySource {
  readonly leaves: string[] = [];
  readonly lists: { key: string; objectType: string }[] = [];
  readonly objects: { key: string; objectType: string }[] = [];

  leaf(key: string): string {
    let i = this.leaves.indexOf(key);
    if (i < 0) i = this.leaves.push(key) - 1;
    return `K.f${i}`;
  }
  prefix(key: string): string {
    return `K.p + ${stringLiteral(`${key}.`)}`;
  }
  listTable(key: string, objectType: string, index: string, ref: Ref): string {
    let i = this.lists.findIndex((l) => l.key === key);
    if (i < 0) i = this.lists.push({ key, objectType }) - 1;
    return cachedElement(`K.l${i}`, index, objectType, `K.p + ${stringLiteral(`${key}.`)} + ${index} + "."`, ref);
  }
  objectTable(key: string, objectType: string, ref: Ref): string {
    let i = this.objects.findIndex((o) => o.key === key);
    if (i < 0) i = this.objects.push({ key, objectType }) - 1;
    return `(K.o${i} ??= ${ref(tableFactory(objectType))}(K.p + ${stringLiteral(`${key}.`)}))`;
  }

  /** The table type and its factory, once the writer has been generated. */
  declarations(objectType: string, objectId: string): string[] {
    const fields = [
      "readonly p: string;",
      ...this.leaves.map((k, i) => `readonly f${i}: string; // ${k}`),
      ...this.lists.map((l, i) => `readonly l${i}: ${l.objectType}Keys[]; // ${l.key}.<i>.`),
      ...this.objects.map((o, i) => `o${i}: ${o.objectType}Keys | undefined; // ${o.key}.`),
      `/** The writer for this prefix: compiled with the keys as literals (see specialise in @semtrace/runtime). */`,
      `w: (out: Record<string, unknown>, K: ${objectType}Keys, input: ${objectType} | null | undefined) => boolean;`,
    ];
    const values = [
      "p,",
      ...this.leaves.map((k, i) => `f${i}: internalize(p + ${stringLiteral(k)}),`),
      ...this.lists.map((_, i) => `l${i}: [],`),
      ...this.objects.map((_, i) => `o${i}: undefined,`),
      `w: write${objectType},`,
    ];
    return [
      `/** Every key of one \`${objectId}\` structure at one prefix, built once and reused. */\ninterface ${objectType}Keys {\n${fields.map((f) => `  ${f}`).join("\n")}\n}`,
      `function ${tableFactory(objectType)}(p: string, compile = true): ${objectType}Keys {\n  const K: ${objectType}Keys = {\n${values.map((v) => `    ${v}`).join("\n")}\n  };\n  if (compile) K.w = specialise(${writerSourceName(objectType)}, K, DEPS, write${objectType});\n  return K;\n}`,
    ];
  }
}

function writerSourceName(objectType: string): string {
  return `${screamingKey(objectType.replace(/([a-z0-9])([A-Z])/g, "$1_$2"))}_WRITER`;
}

/** Generates the statements that write one node's attributes. */
class BodyWriter {
  private n = 0;
  readonly lines: string[] = [];
  /** key → input expression, for `semtrace.default_from` and `semtrace.mime_type`. */
  private readonly access = new Map<string, string>();

  constructor(
    private readonly ctx: EmitContext,
    private readonly keys: KeySource,
    /** Structure writers report whether they wrote anything (`w`), so empty list elements leave no index gap. */
    private readonly track = false,
    /** JavaScript for runtime specialisation: no type syntax, module-level helpers as `D.<name>`. */
    private readonly js = false,
  ) {}

  /** A module-level helper (runtime functions, key-table factories, known-name sets). */
  readonly ref: Ref = (name) => {
    if (!this.js) return name;
    this.ctx.deps.add(name);
    return `D.${name}`;
  };

  /** `out[key] = value;`, and `w = true` when tracking writes. */
  private store(key: string, value: string): string {
    return this.track ? `{ out[${key}] = ${value}; w = true; }` : `out[${key}] = ${value};`;
  }

  private fresh(): string {
    return `v${this.n++}`;
  }

  /** Records input expressions of every leaf (optional-chained), before any code is written. */
  index(node: InputNode, expr: string): void {
    for (const child of node.children.values()) {
      const e = `${expr}?.${/^[A-Za-z_$][\w$]*$/.test(child.name) ? child.name : `[${stringLiteral(child.name)}]`}`;
      if (child.leaf) this.access.set(child.leaf.key, e);
      this.index(child, e);
    }
  }

  node(node: InputNode, expr: string): void {
    for (const child of node.children.values()) {
      const v = this.fresh();
      this.lines.push(`const ${v} = ${expr}${/^[A-Za-z_$][\w$]*$/.test(child.name) ? `.${child.name}` : `[${stringLiteral(child.name)}]`};`);
      if (child.leaf) {
        this.leaf(child.leaf, v);
        continue;
      }
      this.lines.push(`if (${v} != null && typeof ${v} === "object") {`);
      this.node(child, v);
      this.lines.push("}");
    }
    if (node.template) this.template(node, expr);
  }

  private template(node: InputNode, expr: string): void {
    const attr = node.template!;
    const known = [...node.children.keys()];
    const skip = known.length === 0 ? "" : known.length <= 4 ? known.map((k) => `k === ${stringLiteral(k)}`).join(" || ") : `${this.knownSet(known)}.has(k)`;
    const tv = this.fresh();
    this.lines.push(
      `for (const k of Object.keys(${expr})) {`,
      ...(skip ? [`if (${skip}) continue;`] : []),
      this.js ? `const ${tv} = ${expr}[k];` : `const ${tv} = (${expr} as Record<string, unknown>)[k];`,
      `if (${tv} != null) ${this.store(`${this.keys.prefix(attr.key)} + k`, tv)}`,
      "}",
    );
  }

  private knownSet(names: readonly string[]): string {
    const decl = (n: string) => `const ${n}: ReadonlySet<string> = /* @__PURE__ */ new Set([${names.map(stringLiteral).join(", ")}]);`;
    const existing = this.ctx.knownSets.findIndex((d) => d === decl(d.slice(6, d.indexOf(":"))));
    const name = existing >= 0 ? this.ctx.knownSets[existing]!.slice(6, this.ctx.knownSets[existing]!.indexOf(":")) : `KNOWN_${this.ctx.knownSets.length}`;
    if (existing < 0) this.ctx.knownSets.push(decl(name));
    return this.ref(name);
  }

  private leaf(attr: Attribute, v: string): void {
    const t = attr.type;
    if (t.kind === "list") {
      const type = this.ctx.objectTypes.get(t.object)!;
      // Elements that write nothing (null, {}) take no index, so indices stay 0..n-1 without gaps.
      const i = this.fresh();
      const n = this.fresh();
      this.lines.push(
        `if (Array.isArray(${v})) {`,
        `let ${n} = 0;`,
        `for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {`,
        `const t = ${this.keys.listTable(attr.key, type, n, this.ref)};`,
        `if (t.w(out, t, ${v}[${i}])) ${n}++;`,
        "}",
        ...(this.track ? [`if (${n} > 0) w = true;`] : []),
        "}",
      );
      return;
    }
    if (t.kind === "object") {
      const type = this.ctx.objectTypes.get(t.object)!;
      this.lines.push(`if (${v} != null) {`, `const t = ${this.keys.objectTable(attr.key, type, this.ref)};`, this.track ? `if (t.w(out, t, ${v})) w = true;` : `t.w(out, t, ${v});`, "}");
      return;
    }
    const key = this.keys.leaf(attr.key);
    const fallbacks = semtrace(attr.annotations, "default_from");
    let source = v;
    if (Array.isArray(fallbacks)) {
      const chain = fallbacks.map((k) => this.access.get(String(k))).filter((e): e is string => e !== undefined);
      if (chain.length > 0) {
        source = this.fresh();
        this.lines.push(`const ${source} = ${[v, ...chain].join(" ?? ")};`);
      }
    }
    const mime = mimeKey(attr);
    if (mime !== undefined) {
      this.ctx.runtime.add("safeJsonStringify");
      const given = this.access.get(mime);
      const mk = this.keys.leaf(mime);
      this.lines.push(
        `if (${source} != null) {`,
        `if (typeof ${source} === "string") {`,
        this.store(key, source),
        this.store(mk, given ? `${given} ?? ${stringLiteral(TEXT_MIME)}` : stringLiteral(TEXT_MIME)),
        "} else {",
        this.store(key, `${this.ref("safeJsonStringify")}(${source})`),
        this.store(mk, given ? `${given} ?? ${stringLiteral(JSON_MIME)}` : stringLiteral(JSON_MIME)),
        "}",
        "}",
      );
      return;
    }
    let value = source;
    if (isJson(attr)) {
      this.ctx.runtime.add("toJsonAttribute");
      value = `${this.ref("toJsonAttribute")}(${source})`;
    } else if (semtrace(attr.annotations, "lowercase") === true) {
      // Well-known values are already lower case: a set lookup spares the allocation of toLowerCase().
      const members = t.kind === "enum" ? t.members.map((m) => m.value).filter((m): m is string => typeof m === "string" && m === m.toLowerCase()) : [];
      const known = members.length > 0 ? this.knownSet(members) : undefined;
      value = known
        ? `(typeof ${source} === "string" && !${known}.has(${source}) ? ${source}.toLowerCase() : ${source})`
        : `(typeof ${source} === "string" ? ${source}.toLowerCase() : ${source})`;
    } else if (t.kind === "template") {
      // A template without known children, given as a record: one key per property.
      const k = this.fresh();
      this.lines.push(`if (${source} != null && typeof ${source} === "object") for (const ${k} of Object.keys(${source})) { const x = (${source} as Record<string, unknown>)[${k}]; if (x != null) ${this.store(`${this.keys.prefix(attr.key)} + ${k}`, "x")} }`);
      return;
    }
    this.lines.push(`if (${source} != null) ${this.store(key, value)}`);
  }
}

/** Indents generated statements by their braces and joins them into one body (printed verbatim). */
export function indentBody(lines: readonly string[]): string {
  let depth = 0;
  const out: string[] = [];
  for (const line of lines) {
    if (line.startsWith("}")) depth = Math.max(0, depth - 1);
    out.push(`${"  ".repeat(depth)}${line}`);
    if (line.endsWith("{")) depth++;
  }
  return out.join("\n");
}

function objectWriter(scope: BuilderScope, ctx: EmitContext): Statement[] {
  const keys = new TableKeys();
  ctx.runtime.add("specialise");
  const w = new BodyWriter(ctx, keys, true);
  w.index(scope.root, "input");
  w.node(scope.root, "input");
  // The same writer as plain JavaScript, compiled per prefix at run time with the keys as literals.
  const jsWriter = new BodyWriter(ctx, keys, true, true);
  jsWriter.index(scope.root, "input");
  jsWriter.node(scope.root, "input");
  const jsBody = indentBody(['if (input == null || typeof input !== "object") return false;', "let w = false;", ...jsWriter.lines, "return w;"]);
  const source = `/** Source of {@link write${scope.inputType}} for runtime specialisation (\`K.f<n>\` become key literals). */\nconst ${writerSourceName(scope.inputType)} = ${stringLiteral(jsBody)};`;
  const writer: FunctionDeclarationStructure = {
    kind: StructureKind.Function,
    name: `write${scope.inputType}`,
    parameters: [
      { name: parameterName("out", w.lines), type: "Record<string, unknown>" },
      { name: parameterName("K", w.lines), type: `${scope.inputType}Keys` },
      { name: "input", type: `${scope.inputType} | null | undefined` },
    ],
    returnType: "boolean",
    statements: [indentBody(['if (input == null || typeof input !== "object") return false;', "let w = false;", ...w.lines, "return w;"])],
  };
  // Key tables intern their leaf keys; an object without fields has none.
  if (keys.leaves.length > 0) ctx.runtime.add("internalize");
  return [...keys.declarations(scope.inputType, scope.objectId!), source, writer];
}

function publicBuilder(scope: BuilderScope, ctx: EmitContext): Statement[] {
  const keyDoc = scope.kind === "object" ? " Keys are written under `prefix` (e.g. the list element's `<list key>.<i>.`)." : "";
  const fnDoc = plainDoc(`${scope.doc}${keyDoc}\n\nNever throws: fields of the wrong shape are skipped and objects for JSON-string attributes are serialised safely.`);
  if (scope.kind === "object") {
    return [
      ...objectWriter(scope, ctx),
      {
        kind: StructureKind.Function,
        isExported: true,
        name: scope.functionName,
        docs: docs(fnDoc),
        parameters: [
          { name: "input", type: scope.inputType },
          { name: "prefix", type: "string", initializer: '""' },
        ],
        returnType: "Attributes",
        statements: [
          indentBody([
            "const out: Record<string, unknown> = {};",
            "try {",
            `write${scope.inputType}(out, ${tableFactory(scope.inputType)}(prefix, false), input);`,
            "} catch {",
            "// A throwing getter or proxy: keep what was written.",
            "}",
            "return out as Attributes;",
          ]),
        ],
      },
    ];
  }
  const w = new BodyWriter(ctx, new ConstantKeys(ctx));
  w.index(scope.root, "input");
  w.node(scope.root, "input");
  return [
    {
      kind: StructureKind.Function,
      isExported: true,
      name: scope.functionName,
      docs: docs(fnDoc),
      parameters: [{ name: "input", type: scope.inputType }],
      returnType: "Attributes",
      statements: [
        indentBody([
          "const out: Record<string, unknown> = {};",
          'if (input == null || typeof input !== "object") return out as Attributes;',
          "try {",
          ...w.lines,
          "} catch {",
          "// A throwing getter or proxy: keep what was written.",
          "}",
          "return out as Attributes;",
        ]),
      ],
    },
  ];
}

/**
 * `buildSpanKindAttributes(kind)` for registries with a span-kind attribute: the kind is matched
 * to a member case-insensitively (`"llm"` → `"LLM"`), as the Python helpers do.
 */
function spanKindBuilder(registry: Registry, ctx: EmitContext): Statement[] {
  const key = registry.spanKindAttribute;
  const attr = key === undefined ? undefined : ctx.byKey.get(key);
  if (!attr || !attr.emitted || attr.type.kind !== "enum" || attr.type.valueType !== "string") return [];
  const union = leafType(attr, ctx);
  const type = isClosedEnum(attr) ? `${union} | Lowercase<${union}>` : union;
  const members = attr.type.members.filter((m) => m.emitted).map((m) => String(m.value));
  const table = `${members.map((m) => `${stringLiteral(m.toLowerCase())}: ${stringLiteral(m)}`).join(", ")}`;
  ctx.knownSets.push(`const SPAN_KINDS_BY_LOWER_CASE: Readonly<Record<string, string>> = { __proto__: null, ${table} } as unknown as Readonly<Record<string, string>>;`);
  return [
    {
      kind: StructureKind.Function,
      isExported: true,
      name: "buildSpanKindAttributes",
      docs: docs(plainDoc(`The \`${key}\` attribute. Members match case-insensitively (\`"${(members[0] ?? "x").toLowerCase()}"\` → \`"${members[0] ?? "x"}"\`); other values are kept as given.`)),
      parameters: [{ name: "kind", type }],
      returnType: "Attributes",
      statements: [
        indentBody([
          "const out: Record<string, unknown> = {};",
          `if (typeof kind === "string") out[${stringLiteral(key!)}] = SPAN_KINDS_BY_LOWER_CASE[kind.toLowerCase()] ?? kind;`,
          "return out as Attributes;",
        ]),
      ],
    },
  ];
}

export function emitBuilders(registry: Registry): GeneratedFile | undefined {
  const plan = planBuilders(registry);
  if (plan.scopes.length === 0) return undefined;
  const ctx: EmitContext = {
    registry,
    objectTypes: plan.objectTypes,
    byKey: new Map(registry.attributes.map((a) => [a.key, a])),
    usedEnums: new Set(),
    runtime: new Set(),
    knownSets: [],
    moduleDecls: new Map(),
    deps: new Set(),
    lookup: constNameLookup(registry),
  };
  const body: Statement[] = [...spanKindBuilder(registry, ctx)];
  for (const scope of plan.scopes) {
    body.push(inputInterface(scope, ctx));
    body.push(...publicBuilder(scope, ctx));
  }
  const head: Statement[] = [];
  if (ctx.runtime.size > 0) head.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: "@semtrace/runtime", namedImports: [...ctx.runtime].sort() });
  if (ctx.usedEnums.size > 0) head.push({ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: "./enums.js", namedImports: [...ctx.usedEnums].sort() });
  head.push({ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: "./types.js", namedImports: ["Attributes"] });
  const deps: Statement[] = [];
  if (plan.scopes.some((sc) => sc.kind === "object")) {
    const names = [...ctx.deps].sort();
    deps.push(`/** What specialised writers use (see specialise in @semtrace/runtime). */\nconst DEPS = {${names.length ? ` ${names.join(", ")} ` : ""}};`);
  }
  return { path: "builders.ts", statements: [...head, ...ctx.knownSets, ...[...ctx.moduleDecls.values()], ...body, ...deps] };
}
