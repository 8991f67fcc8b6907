/**
 * Structure writers (`writers.ts`, internal: not re-exported): for every object group, a key table type
 * (`MessageKeys`: every key of one message under one prefix), its factory (`messageKeys(prefix)`), and the
 * typed writer (`writeMessage`) that stores one structure's fields under those keys.
 *
 * Building keys by concatenation on every call would cost more than everything else a builder does, so each
 * table is built once per prefix (the first 256 elements of each list are kept) with interned keys, and each
 * table gets its own copy of the writer compiled with the keys as literals (`specialise` in
 * @semtrace/runtime/internal), so every property store sees one key. The copy is compiled from the writer's
 * own source, so the writer reaches everything it uses through its parameters: the table (`keys`) and
 * {@link WRITER_HELPERS} (`helpers`), never a module-level name.
 */
import {
  binary,
  call,
  constant,
  ifThen,
  Names,
  object,
  paramName,
  pureSet,
  RUNTIME_INTERNAL,
  ret,
  seq,
  stringLiteral,
  structureWriterNames,
  variable,
  WRITER_HELPERS,
  WRITER_HELPERS_TYPE,
  type CodeFile,
  type Declaration,
  type Expr,
  type FunctionDeclaration,
  type InterfaceDeclaration,
  type ObjectEntry,
  type Registry,
  type Stmt,
  type TypeMember,
  type BuilderPlan,
  type BuilderScope,
} from "@semtrace/spec/internal";
import { BodyWriter, RUNTIME_HELPERS, type KeySource, type SetRegistry } from "./builder-body.js";

/** The sets of names one generated file declares (a set's name says what it holds). */
export class FileSets implements SetRegistry {
  readonly sets = new Map<string, { readonly items: readonly string[]; readonly doc: string }>();

  set(name: string, items: readonly string[], doc: string): string {
    if (!this.sets.has(name)) this.sets.set(name, { items, doc });
    return name;
  }

  declarations(exported: boolean): Declaration[] {
    return [...this.sets].map(([name, { items, doc }]) =>
      constant(name, pureSet(items.map(stringLiteral)), { exported, type: "ReadonlySet<string>", doc }),
    );
  }
}

type Slot =
  | { readonly kind: "leaf"; readonly name: string; readonly key: string }
  | { readonly kind: "list" | "object"; readonly name: string; readonly key: string; readonly objectType: string };

/** A writer's keys come from its table: each key it asks for becomes a named slot of the table. */
class TableKeys implements KeySource {
  readonly slots: Slot[] = [];
  private readonly names = new Names(["prefix", "write"]);
  readonly helpers = "helpers";

  constructor(private readonly used: Set<string>) {}

  private slot(kind: Slot["kind"], key: string, name: string, objectType = ""): string {
    const known = this.slots.find((s) => s.kind === kind && s.key === key);
    if (known) return known.name;
    // Slots are read as `keys.<name>`: a name must be an identifier (`0yield` is not).
    const slot = {
      kind,
      key,
      name: this.names.unique(/^[A-Za-z_$]/.test(name) ? name : `_${name}`),
      objectType,
    } as Slot;
    this.slots.push(slot);
    return slot.name;
  }

  leaf(key: string, name: string): string {
    return `keys.${this.slot("leaf", key, name)}`;
  }

  prefix(key: string): string {
    return `keys.prefix + ${stringLiteral(`${key}.`)}`;
  }

  element(key: string, objectType: string, index: string, name: string): Expr {
    const slot = this.slot("list", key, name, objectType);
    const make = call(this.helper("elementKeys"), [
      `keys.${slot}`,
      index,
      `keys.prefix + ${stringLiteral(`${key}.`)}`,
      this.helper(structureWriterNames(objectType).factory),
    ]);
    return binary("??", [`keys.${slot}[${index}]`, make]);
  }

  nested(key: string, objectType: string, name: string): Expr {
    const slot = this.slot("object", key, name, objectType);
    return seq(
      `(keys.${slot} ??= `,
      call(this.helper(structureWriterNames(objectType).factory), [`keys.prefix + ${stringLiteral(`${key}.`)}`]),
      ")",
    );
  }

  helper(name: string): string {
    this.used.add(name);
    return `helpers.${name}`;
  }
}

export interface WriterFile {
  readonly file: CodeFile;
  /** Sets declared (and exported) there, which builders.ts imports instead of declaring its own. */
  readonly sets: FileSets;
}

function keysInterface(scope: BuilderScope, slots: readonly Slot[]): InterfaceDeclaration {
  const { keyTable, writer } = structureWriterNames(scope.inputType);
  const members: TypeMember[] = [
    {
      kind: "property-signature",
      readonly: true,
      name: "prefix",
      type: "string",
      doc: "The prefix every key starts with (`<list key>.<i>.` for a list element).",
    },
    // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers every slot kind (tsc checks it).
    ...slots.map((slot): TypeMember => {
      switch (slot.kind) {
        case "leaf":
          return {
            kind: "property-signature",
            readonly: true,
            name: slot.name,
            type: "string",
            doc: `\`<prefix>${slot.key}\``,
          };
        case "list":
          return {
            kind: "property-signature",
            readonly: true,
            name: slot.name,
            type: `${structureWriterNames(slot.objectType).keyTable}[]`,
            doc: `The tables of the elements of \`<prefix>${slot.key}\`, by index.`,
          };
        case "object":
          return {
            kind: "property-signature",
            name: slot.name,
            type: `${structureWriterNames(slot.objectType).keyTable} | undefined`,
            doc: `The table of \`<prefix>${slot.key}\`, made on first use.`,
          };
      }
    }),
    {
      kind: "property-signature",
      name: "write",
      type: `typeof ${writer}`,
      doc: `Writes one structure under these keys: {@link ${writer}}, or its copy compiled for them.`,
    },
  ];
  return {
    kind: "interface",
    name: keyTable,
    exported: true,
    members,
    doc: `The keys of one \`${scope.objectId!}\` structure under one prefix, built once and reused.`,
  };
}

function factory(scope: BuilderScope, slots: readonly Slot[]): FunctionDeclaration {
  const { keyTable, factory: name, writer } = structureWriterNames(scope.inputType);
  const entries: ObjectEntry[] = [
    { name: "prefix", value: "prefix" },
    ...slots.map(
      (slot): ObjectEntry => ({
        name: slot.name,
        value:
          slot.kind === "leaf"
            ? `internalize(prefix + ${stringLiteral(slot.key)})`
            : slot.kind === "list"
              ? "[]"
              : "undefined",
      }),
    ),
    { name: "write", value: writer },
  ];
  return {
    kind: "function",
    name,
    exported: true,
    doc: `The key table of one \`${scope.objectId!}\` structure at \`prefix\`; \`specialised\`: with its own copy of the writer, compiled for these keys.`,
    params: [
      { name: "prefix", type: "string" },
      { name: "specialised", init: "true" },
    ],
    returnType: keyTable,
    body: [
      variable("const", "keys", object(entries), keyTable),
      ifThen("specialised", `keys.write = specialise(${writer}, keys);`),
      ret("keys"),
    ],
  };
}

function writer(scope: BuilderScope, body: readonly Stmt[]): FunctionDeclaration {
  const type = scope.inputType;
  const { keyTable, writer: name } = structureWriterNames(type);
  const statements: Stmt[] = [
    ifThen('input == null || typeof input !== "object"', ret("false")),
    variable("let", "wrote", "false"),
    ...body,
    ret("wrote"),
  ];
  return {
    kind: "function",
    name,
    exported: true,
    doc: `Writes the fields of one \`${scope.objectId!}\` structure into \`out\` under the keys of \`keys\`; true when it wrote any.`,
    params: [
      { name: paramName("out", statements), type: "Record<string, unknown>" },
      { name: paramName("keys", statements), type: keyTable },
      { name: "input", type: `${type} | null | undefined` },
      { name: paramName("helpers", statements), type: WRITER_HELPERS_TYPE },
    ],
    returnType: "boolean",
    body: statements,
  };
}

/** writers.ts for every object scope of the plan; undefined when the registry has no object groups. */
export function emitWriterFile(registry: Registry, plan: BuilderPlan): WriterFile | undefined {
  const scopes = plan.scopes.filter((s) => s.kind === "object");
  if (scopes.length === 0) return undefined;
  const sets = new FileSets();
  const helpers = new Set<string>();
  const declarations: Declaration[] = [];
  let leaves = false;
  for (const scope of scopes) {
    const keys = new TableKeys(helpers);
    const body = new BodyWriter({
      keys,
      sets,
      objectTypes: plan.objectTypes,
      track: true,
      reserved: ["out", "keys", "input", "helpers"],
    }).body(scope.root, "input");
    declarations.push(keysInterface(scope, keys.slots), factory(scope, keys.slots), writer(scope, body));
    leaves ||= keys.slots.some((s) => s.kind === "leaf");
  }
  const helperNames = [...helpers].sort();
  // Tables intern their leaf keys; structures without leaves have none.
  const runtime = [
    ...(leaves ? ["internalize"] : []),
    "specialise",
    ...helperNames.filter((h) => RUNTIME_HELPERS.has(h)),
  ].sort();
  const inputTypes = scopes.map((s) => s.inputType).sort();
  const file: CodeFile = {
    kind: "code",
    path: "writers.ts",
    internal: true,
    doc:
      `The structure writers behind the \`${registry.name}\` builders (builders.ts), one per structure: a key table, its ` +
      `factory and the typed writer. Internal: not exported from the package.`,
    declarations: [
      { kind: "import", from: RUNTIME_INTERNAL, names: runtime.map((name) => ({ name })) },
      { kind: "import", typeOnly: true, from: "./builders.js", names: inputTypes.map((name) => ({ name })) },
      ...sets.declarations(true),
      ...declarations,
      constant(WRITER_HELPERS, object(helperNames.map((name) => ({ name, value: name }))), {
        exported: true,
        doc: "What writers reach through their `helpers` parameter: their compiled copies see no module scope.",
      }),
      {
        kind: "type-alias",
        name: WRITER_HELPERS_TYPE,
        exported: true,
        type: `typeof ${WRITER_HELPERS}`,
        doc: `The type of {@link ${WRITER_HELPERS}}.`,
      },
    ],
  };
  return { file, sets };
}
