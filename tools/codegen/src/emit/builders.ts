/**
 * Typed attribute builders (see builder-plan.ts for what gets a builder and how inputs are named): builders.ts
 * holds the public part — each builder's input type and function, and `buildSpanKindAttributes` — and
 * writers.ts the structure writers they call (see there). Output is a flat attribute record typed by
 * `Attributes`. Builders never throw: inputs of the wrong shape are skipped, JSON-string attributes are
 * serialised with the runtime's safe serialiser, and a throwing getter leaves the attributes written so far.
 */
import {
  array,
  as,
  binary,
  call,
  constant,
  isClosedEnum,
  literal,
  object,
  PRIMITIVE_TS_TYPES,
  ret,
  RUNTIME_INTERNAL,
  seq,
  stringLiteral,
  structureWriterNames,
  union,
  variable,
  WRITER_HELPERS,
  type Attribute,
  type CodeFile,
  type Declaration,
  type Expr,
  type FunctionDeclaration,
  type InterfaceDeclaration,
  type Registry,
  type Stmt,
  type TypeMember,
  type TypeNode,
  planBuilders,
  type BuilderScope,
  type InputNode,
} from "@semtrace/spec/internal";
import {
  BodyWriter,
  RUNTIME_HELPERS,
  screamingKey,
  writtenAsJson,
  type KeySource,
  type SetRegistry,
} from "./builder-body.js";
import { attributeDoc, docContext, type DocContext } from "./docs.js";
import { enumValueTypeName } from "./enums.js";
import { emitWriterFile, FileSets } from "./writers.js";

/** What the builders of one file share: the types and helpers they use, the module-level tables they keep. */
interface BuilderContext {
  readonly registry: Registry;
  readonly objectTypes: ReadonlyMap<string, string>;
  readonly docs: DocContext;
  readonly usedEnums: Set<string>;
  readonly runtime: Set<string>;
  /** What builders.ts imports from writers.ts. */
  readonly fromWriters: Set<string>;
  readonly fromWritersTypes: Set<string>;
  /** Sets writers.ts declares (imported when a builder uses one too), and the ones declared here. */
  readonly writerSets: FileSets | undefined;
  readonly sets: FileSets;
  /** Module-level key-table caches of span and group builders, by name. */
  readonly caches: Map<string, Declaration>;
  /** Type-only imports from the runtime. */
  readonly runtimeTypes: Set<string>;
  /** Object group id → the input shape of its structure (builder-plan's object scopes). */
  readonly objectRoots: ReadonlyMap<string, InputNode>;
}

/**
 * The input shape of a node, for the runtime's check of unknown input fields (`inputChecker`): entries
 * `[name, 1]` a value, `[name, shape]` a group of fields, `[name, { list: shape }]` a list of structures,
 * `["*", 1]` a template's open fields. A structure's shape is a module-level constant (`<Type>InputShape`),
 * shared by every builder that takes it.
 */
function shapeExpr(node: InputNode, ctx: BuilderContext): Expr {
  const entries: Expr[] = [];
  for (const child of node.children.values()) {
    const attr = child.leaf ?? child.alias?.target;
    const t = attr?.type;
    const kind =
      t?.kind === "list"
        ? object([{ name: "list", value: structureShape(t.object, ctx) }])
        : t?.kind === "object"
          ? structureShape(t.object, ctx)
          : attr
            ? "1"
            : shapeExpr(child, ctx);
    entries.push(array([stringLiteral(child.name), kind]));
  }
  if (node.template) entries.push(array([stringLiteral("*"), "1"]));
  return array(entries);
}

function structureShape(objectId: string, ctx: BuilderContext): string {
  const type = ctx.objectTypes.get(objectId);
  const root = ctx.objectRoots.get(objectId);
  if (type === undefined || root === undefined) return "[]";
  const name = `${type[0]!.toUpperCase()}${type.slice(1)}InputShape`;
  if (!ctx.caches.has(name)) {
    ctx.caches.set(name, constant(name, "[]")); // placeholder keeps the name while its fields are planned
    const init = shapeExpr(root, ctx);
    ctx.caches.delete(name);
    ctx.runtimeTypes.add("InputShape");
    ctx.caches.set(
      name,
      constant(name, init, {
        type: "InputShape",
        doc: `The input fields of \`${type}\`, for the check of unknown fields.`,
      }),
    );
  }
  return name;
}

/** The module-level checker of a builder's input fields; returns its name. */
function inputCheck(scope: BuilderScope, ctx: BuilderContext): string {
  const name = `${scope.functionName}InputCheck`;
  const shape =
    scope.kind === "object" && scope.objectId !== undefined
      ? structureShape(scope.objectId, ctx)
      : shapeExpr(scope.root, ctx);
  ctx.runtime.add("inputChecker");
  // Pure: an application that imports one constant of the package keeps none of the builders (tree-shaking).
  ctx.caches.set(
    name,
    constant(name, seq("/* @__PURE__ */ ", call("inputChecker", [stringLiteral(scope.functionName), shape])), {
      doc: `Reports input fields {@link ${scope.functionName}} does not know (see @semtrace/runtime's \`onUnknownBuilderInput\`).`,
    }),
  );
  return name;
}

function leafType(attr: Attribute, ctx: BuilderContext): TypeNode {
  const t = attr.type;
  if (attr.semtrace.mimeType !== undefined || writtenAsJson(attr)) return "unknown";
  switch (t.kind) {
    case "primitive":
      return PRIMITIVE_TS_TYPES[t.name].replace(/^(\w+)\[\]$/, "readonly $1[]");
    case "template":
      return `Readonly<Record<string, ${PRIMITIVE_TS_TYPES[t.inner]}>>`;
    case "enum": {
      const base = t.valueType === "int" ? "number" : t.valueType;
      let values: string[];
      if (ctx.registry.naming === "openinference") {
        const name = enumValueTypeName(attr, ctx.registry);
        ctx.usedEnums.add(name);
        values = [name];
      } else values = [...new Set(t.members.map((m) => literal(m.value)))];
      return union(isClosedEnum(attr) ? values : [...values, `(${base} & {})`]);
    }
    case "list":
      return `readonly (${ctx.objectTypes.get(t.object) ?? "never"} | null | undefined)[]`;
    case "object":
      return ctx.objectTypes.get(t.object) ?? "never";
    case "namespace":
      return "never";
  }
}

/** The value type of an index signature for a template node's other properties (leaf-only nodes only). */
function templateValueType(node: InputNode): string | undefined {
  const t = node.template?.type;
  if (t?.kind !== "template") return undefined;
  // An index signature must cover every known property, so only leaf-only nodes get one.
  for (const child of node.children.values()) if (!child.leaf || child.children.size > 0) return undefined;
  return PRIMITIVE_TS_TYPES[t.inner];
}

function nodeMembers(node: InputNode, ctx: BuilderContext, fullDocs: boolean): TypeMember[] {
  const members: TypeMember[] = [];
  for (const child of node.children.values()) {
    const doc = child.leaf
      ? attributeDoc(child.leaf, ctx.docs)
      : child.alias
        ? aliasDoc(child.alias.deprecated, child.alias.target)
        : undefined;
    members.push({
      kind: "property-signature",
      readonly: true,
      optional: true,
      name: child.name,
      type: union([nodeType(child, ctx), "null"]),
      // Nested fields show the brief only; the attribute's constant has the rest.
      ...(doc === undefined ? {} : { doc: fullDocs || child.alias ? doc : doc.split("\n")[0]! }),
    });
  }
  const other = templateValueType(node);
  if (other) {
    members.push({
      kind: "index-signature",
      readonly: true,
      keyName: "key",
      keyType: "string",
      type: `${other} | null | undefined`,
      ...(fullDocs ? {} : { doc: `Any other \`${node.template!.key}.<key>\` value.` }),
    });
  }
  return members;
}

function aliasDoc(deprecated: Attribute, target: Attribute): string {
  return `\`${deprecated.key}\`, renamed to \`${target.key}\`: this field writes the new key (the new key's own field wins when both are given).\n\n@deprecated Use the field of \`${target.key}\`.`;
}

function nodeType(node: InputNode, ctx: BuilderContext): TypeNode {
  if (node.leaf) return leafType(node.leaf, ctx);
  if (node.alias) return leafType(node.alias.target, ctx);
  if (node.template && node.children.size === 0) return leafType(node.template, ctx);
  return { kind: "type-literal", members: nodeMembers(node, ctx, false) };
}

function inputInterface(scope: BuilderScope, ctx: BuilderContext): InterfaceDeclaration {
  return {
    kind: "interface",
    name: scope.inputType,
    exported: true,
    doc: `Input of {@link ${scope.functionName}}. ${scope.doc}`,
    members: nodeMembers(scope.root, ctx, true),
  };
}

/** Span and group builders write constant keys; the key tables of their lists and structures are module-level caches. */
class ConstantKeys implements KeySource {
  constructor(private readonly ctx: BuilderContext) {}

  get helpers(): string {
    this.ctx.fromWriters.add(WRITER_HELPERS);
    return WRITER_HELPERS;
  }

  leaf(key: string): string {
    return stringLiteral(key);
  }

  prefix(key: string): string {
    return stringLiteral(`${key}.`);
  }

  private table(objectType: string): string {
    const { keyTable, factory } = structureWriterNames(objectType);
    this.ctx.fromWriters.add(factory);
    this.ctx.fromWritersTypes.add(keyTable);
    return factory;
  }

  element(key: string, objectType: string, index: string): Expr {
    const cache = `${screamingKey(key)}_KEYS`;
    this.ctx.caches.set(
      cache,
      constant(cache, "[]", {
        type: `${structureWriterNames(objectType).keyTable}[]`,
        doc: `The key tables of the elements of \`${key}\`, by index.`,
      }),
    );
    return binary("??", [
      `${cache}[${index}]`,
      call(this.helper("elementKeys"), [cache, index, stringLiteral(`${key}.`), this.table(objectType)]),
    ]);
  }

  nested(key: string, objectType: string): Expr {
    const cache = `${screamingKey(key)}_KEYS`;
    this.ctx.caches.set(cache, {
      kind: "variable-declaration",
      keyword: "let",
      name: cache,
      type: `${structureWriterNames(objectType).keyTable} | undefined`,
      doc: `The key table of \`${key}\`, made on first use.`,
    });
    return seq(`(${cache} ??= `, call(this.table(objectType), [stringLiteral(`${key}.`)]), ")");
  }

  helper(name: string): string {
    if (RUNTIME_HELPERS.has(name)) this.ctx.runtime.add(name);
    else if (this.ctx.writerSets?.sets.has(name)) this.ctx.fromWriters.add(name);
    return name;
  }
}

const CATCH_ALL: Stmt[] = [{ kind: "comment", text: "A throwing getter or proxy: keep what was written." }];

function publicBuilder(scope: BuilderScope, ctx: BuilderContext): FunctionDeclaration {
  const keyDoc =
    scope.kind === "object" ? " Keys are written under `prefix` (e.g. the list element's `<list key>.<i>.`)." : "";
  const doc = `${scope.doc}${keyDoc}\n\nNever throws: fields of the wrong shape are skipped and objects for JSON-string attributes are serialised safely.`;
  const result = ret(as("out", "Attributes"));
  if (scope.kind === "object") {
    const { writer, factory } = structureWriterNames(scope.inputType);
    ctx.fromWriters.add(writer).add(factory).add(WRITER_HELPERS);
    return {
      kind: "function",
      name: scope.functionName,
      exported: true,
      doc,
      params: [
        { name: "input", type: scope.inputType },
        { name: "prefix", init: '""' },
      ],
      returnType: "Attributes",
      body: [
        variable("const", "out", "{}", "Record<string, unknown>"),
        {
          kind: "try",
          body: [
            `${writer}(out, ${factory}(prefix, false), input, ${WRITER_HELPERS});`,
            `${inputCheck(scope, ctx)}(input);`,
          ],
          handler: CATCH_ALL,
        },
        result,
      ],
    };
  }
  // A set writers.ts declares already is imported from there rather than declared twice.
  const sets: SetRegistry = {
    set: (name, items, setDoc) => (ctx.writerSets?.sets.has(name) ? name : ctx.sets.set(name, items, setDoc)),
  };
  const body = new BodyWriter({
    keys: new ConstantKeys(ctx),
    sets,
    objectTypes: ctx.objectTypes,
    track: false,
    reserved: ["out", "input"],
  }).body(scope.root, "input");
  return {
    kind: "function",
    name: scope.functionName,
    exported: true,
    doc,
    params: [{ name: "input", type: scope.inputType }],
    returnType: "Attributes",
    body: [
      variable("const", "out", "{}", "Record<string, unknown>"),
      { kind: "if", test: 'input == null || typeof input !== "object"', then: result },
      { kind: "try", body: [...body, `${inputCheck(scope, ctx)}(input);`], handler: CATCH_ALL },
      result,
    ],
  };
}

/**
 * `buildSpanKindAttributes(kind)` for registries with a span-kind attribute: the kind is matched
 * to a member case-insensitively (`"llm"` → `"LLM"`), as the Python helpers do.
 */
function spanKindBuilder(registry: Registry, ctx: BuilderContext): Declaration[] {
  const key = registry.spanKindAttribute;
  const attr = key === undefined ? undefined : registry.attributes.find((a) => a.key === key);
  if (!attr?.emitted || attr.type.kind !== "enum" || attr.type.valueType !== "string") return [];
  const values = leafType(attr, ctx);
  const text = typeof values === "string" ? values : values.kind === "union" ? values.types.join(" | ") : "never";
  const type = isClosedEnum(attr) ? union([values, `Lowercase<${text}>`]) : values;
  const members = attr.type.members.filter((m) => m.emitted).map((m) => String(m.value));
  const table = object([
    { name: "__proto__", value: "null" },
    ...members.map((m) => ({ name: m.toLowerCase(), value: stringLiteral(m) })),
  ]);
  const first = members[0] ?? "x";
  return [
    constant("SPAN_KINDS_BY_LOWER_CASE", as(as(table, "unknown"), "Readonly<Record<string, string>>"), {
      type: "Readonly<Record<string, string>>",
      doc: `The members of \`${key!}\` by their lower-case spelling.`,
    }),
    {
      kind: "function",
      name: "buildSpanKindAttributes",
      exported: true,
      doc: `The \`${key!}\` attribute. Members match case-insensitively (\`"${first.toLowerCase()}"\` → \`"${first}"\`); other values are kept as given.`,
      params: [{ name: "kind", type }],
      returnType: "Attributes",
      body: [
        variable("const", "out", "{}", "Record<string, unknown>"),
        {
          kind: "if",
          test: 'typeof kind === "string"',
          then: `out[${stringLiteral(key!)}] = SPAN_KINDS_BY_LOWER_CASE[kind.toLowerCase()] ?? kind;`,
        },
        ret(as("out", "Attributes")),
      ],
    },
  ];
}

/** builders.ts, and writers.ts when the registry has structures; nothing when it has no builder. */
export function emitBuilders(registry: Registry): CodeFile[] {
  const plan = planBuilders(registry);
  if (plan.scopes.length === 0) return [];
  const writers = emitWriterFile(registry, plan);
  const ctx: BuilderContext = {
    registry,
    objectTypes: plan.objectTypes,
    docs: docContext(registry),
    usedEnums: new Set(),
    runtime: new Set(),
    fromWriters: new Set(),
    fromWritersTypes: new Set(),
    writerSets: writers?.sets,
    sets: new FileSets(),
    caches: new Map(),
    runtimeTypes: new Set(),
    objectRoots: new Map(
      plan.scopes.flatMap((scope) =>
        scope.kind === "object" && scope.objectId !== undefined ? [[scope.objectId, scope.root] as const] : [],
      ),
    ),
  };
  const body: Declaration[] = [...spanKindBuilder(registry, ctx)];
  for (const scope of plan.scopes) body.push(inputInterface(scope, ctx), publicBuilder(scope, ctx));
  const imports: Declaration[] = [];
  if (ctx.runtime.size > 0 || ctx.runtimeTypes.size > 0) {
    imports.push({
      kind: "import",
      from: RUNTIME_INTERNAL,
      names: [
        ...[...ctx.runtime].sort().map((name) => ({ name })),
        ...[...ctx.runtimeTypes].sort().map((name) => ({ name, typeOnly: true })),
      ],
    });
  }
  if (ctx.usedEnums.size > 0)
    imports.push({
      kind: "import",
      typeOnly: true,
      from: "./enums.js",
      names: [...ctx.usedEnums].sort().map((name) => ({ name })),
    });
  imports.push({ kind: "import", typeOnly: true, from: "./types.js", names: [{ name: "Attributes" }] });
  if (ctx.fromWriters.size > 0 || ctx.fromWritersTypes.size > 0) {
    imports.push({
      kind: "import",
      from: "./writers.js",
      names: [
        ...[...ctx.fromWriters].sort().map((name) => ({ name })),
        ...[...ctx.fromWritersTypes].sort().map((name) => ({ name, typeOnly: true })),
      ],
    });
  }
  const file: CodeFile = {
    kind: "code",
    path: "builders.ts",
    doc:
      `Typed attribute builders of the \`${registry.name}\` registry: a function per span kind, attribute group and structure ` +
      "that turns a typed input object into flat span attributes. They never throw.",
    declarations: [...imports, ...ctx.sets.declarations(false), ...ctx.caches.values(), ...body],
  };
  return writers ? [file, writers.file] : [file];
}
