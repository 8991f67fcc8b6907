/**
 * Names a registry chooses for generated declarations (`codegen.constants`, `codegen.enums`,
 * `codegen.prefix_constants`, `codegen.compat_objects[].name`, `semtrace.builder`, `semtrace.type_name`) are
 * written into the code as they are: each is checked where it is written (name.invalid, name.collision).
 * Expected positions are counted from the fixtures by hand.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  buildFromFiles,
  buildRegistry,
  emitRegistry,
  formatDiagnostic,
  loadRegistry,
  loadRegistryFromFiles,
  namingFor,
  printFiles,
  resolveRegistry,
  type BuildResult,
} from "../src/index.js";
import {
  createContext,
  generatedExports,
  identifierProblem,
  indexRegistry,
  type Export,
  type RawRegistry,
} from "@semtrace/spec/internal";
import { compile, under } from "./helpers/compile.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;

/** Two attributes (a plain one and an enum), a list of a structure, a span with a kind, in v1 syntax. */
const REGISTRY = lines(
  "groups:",
  "  - id: registry.app",
  "    type: attribute_group",
  "    brief: App attributes.",
  "    attributes:",
  "      - { id: app.name, type: string, brief: The name. }",
  "      - id: app.kind",
  "        brief: The kind.",
  "        type:",
  "          members:",
  "            - { id: llm, value: LLM }",
  "            - { id: tool, value: TOOL }",
  "      - { id: app.items, type: 'list[app.item]', brief: Items. }",
  "  - id: app.item",
  "    type: object",
  "    brief: One item.",
  "    attributes:",
  "      - { id: item.sku, type: string, brief: The SKU. }",
  "  - id: span.app.llm",
  "    type: span",
  "    span_kind: client",
  "    brief: An LLM call.",
  "    annotations: { semtrace: { span_kind: LLM } }",
  "    attributes:",
  "      - { ref: app.name }",
);

/** A manifest with one entry under `field` (lines 1-5 fixed, the entry on line 6 for maps, line 7 for compat names). */
function manifest(
  field: "constants" | "enums" | "prefix_constants" | "compat_objects" | "compat_enums",
  name: string,
  naming = "openinference",
): string {
  const quoted = JSON.stringify(name);
  const head = ["name: app", "span_kind_attribute: app.kind", "codegen:", `  naming: ${naming}`, `  ${field}:`];
  if (field === "constants") return lines(...head, `    app.name: ${quoted}`);
  if (field === "enums") return lines(...head, `    app.kind: ${quoted}`);
  if (field === "prefix_constants") return lines(...head, `    ${quoted}: app`);
  if (field === "compat_enums")
    return lines(...head, `    - name: ${quoted}`, "      attribute: app.kind", "      members: [llm]");
  return lines(...head, "    - constants: all", `      name: ${quoted}`);
}

/** Where the name is written in {@link manifest}'s text. */
const NAME_AT: Record<Parameters<typeof manifest>[0], string> = {
  constants: "6:15",
  enums: "6:15",
  prefix_constants: "6:5",
  compat_objects: "7:13",
  compat_enums: "6:13",
};

function build(files: Record<string, string>): BuildResult {
  return buildFromFiles("spec", new Map(Object.entries(files)), { command: "c" });
}

const diagnostics = (result: BuildResult, id?: string) =>
  result.diagnostics.filter((d) => id === undefined || d.id === id).map(formatDiagnostic);

// ----- code injection -----

/** Names that close the declaration they are written into and add a statement that runs on import. */
const INJECTIONS = [
  'X = "x"; (globalThis as Record<string, unknown>)["pwned"] = true; export const Y',
  "X = {} as const; globalThis.process.exit(1); export const Y",
  "X\n;globalThis.pwned = 1;//",
  "X /* */",
  "X: string",
];

describe("a name that would inject code", () => {
  it("was emitted as written: the injected statement compiles and runs on import (why the check exists)", () => {
    // Validation bypassed: load, resolve, emit and print only.
    const loaded = loadRegistryFromFiles(
      "spec",
      new Map([
        ["manifest.yaml", manifest("constants", INJECTIONS[0]!)],
        ["a.yaml", REGISTRY],
      ]),
    );
    expect(loaded.diagnostics).toEqual([]);
    const files = printFiles(
      emitRegistry(resolveRegistry(loaded.registry, { naming: "openinference", fallbackName: "spec" })),
      { registry: "app", command: "c" },
    );
    expect(files.get("attributes.ts")).toContain(
      'export const X = "x"; (globalThis as Record<string, unknown>)["pwned"] = true; export const Y = "app.name";',
    );
    expect(compile(under("/pkg", new Map([["attributes.ts", files.get("attributes.ts")!]])))).toEqual([]);
  }, 60_000);

  const fields = ["constants", "enums", "prefix_constants", "compat_objects", "compat_enums"] as const;
  it.each(fields.flatMap((field) => INJECTIONS.map((name) => [field, name] as const)))(
    "is rejected in `codegen.%s`: %j",
    (field, name) => {
      const result = build({ "manifest.yaml": manifest(field, name), "a.yaml": REGISTRY });
      const what =
        field === "constants"
          ? "the `codegen.constants` name of `app.name`"
          : field === "enums"
            ? "the `codegen.enums` name of `app.kind`"
            : `a \`codegen.${field}\` name`;
      expect(diagnostics(result, "name.invalid")).toEqual([
        `spec/manifest.yaml:${NAME_AT[field]}: error [name.invalid] \`${name}\` (${what}) is not an identifier (letters, digits, \`_\` and \`$\`, not starting with a digit): it names a declaration of the generated code`,
      ]);
      expect(result.files.size).toBe(0);
    },
  );

  it.each(INJECTIONS)(
    "is rejected in `semtrace.builder` and `semtrace.type_name`, whose values are PascalCase words: %j",
    (name) => {
      const registry = REGISTRY.replace(
        "annotations: { semtrace: { span_kind: LLM } }",
        `annotations: { semtrace: { span_kind: LLM, builder: ${JSON.stringify(name)} } }`,
      ).replace(
        "    brief: One item.",
        `    brief: One item.\n    annotations: { semtrace: { type_name: ${JSON.stringify(name)} } }`,
      );
      const result = build({ "a.yaml": registry });
      const found = `found the string ${JSON.stringify(name.length > 40 ? `${name.slice(0, 37)}...` : name)}`;
      expect(diagnostics(result).filter((d) => d.includes("error"))).toEqual([
        `spec/a.yaml:17:43: error [annotation.value] group \`app.item\`: \`type_name\` takes a PascalCase name, ${found}`,
        `spec/a.yaml:24:57: error [annotation.value] group \`span.app.llm\`: \`builder\` takes a PascalCase name, ${found}`,
      ]);
      expect(result.files.size).toBe(0);
    },
  );

  it("a PascalCase `semtrace.type_name` that is a standard global is rejected where it is written", () => {
    const registry = REGISTRY.replace(
      "    brief: One item.",
      "    brief: One item.\n    annotations: { semtrace: { type_name: Promise } }",
    );
    expect(diagnostics(build({ "a.yaml": registry })).filter((d) => d.includes("error"))).toEqual([
      "spec/a.yaml:14:5: error [name.invalid] `Promise` (the `semtrace.type_name` of object group `app.item`) would hide the JavaScript global of that name: it names a declaration of the generated code",
    ]);
  });
});

// ----- words that cannot name a declaration -----

const REASONS = {
  reserved: "is a reserved word of JavaScript",
  strict: "cannot be declared in a module (strict mode)",
  type: "is a predefined TypeScript type",
  global: "would hide the JavaScript global of that name",
  syntax: "is not an identifier (letters, digits, `_` and `$`, not starting with a digit)",
} as const;

/** Every reserved word of ECMAScript 2022 in strict mode code and modules (sections 12.7.2 and 13.1.1). */
const RESERVED_WORDS = [
  "await",
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "import",
  "in",
  "instanceof",
  "new",
  "null",
  "return",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "var",
  "void",
  "while",
  "with",
  "yield",
  "implements",
  "interface",
  "let",
  "package",
  "private",
  "protected",
  "public",
  "static",
];
const CASES: [word: string, reason: keyof typeof REASONS][] = [
  ...RESERVED_WORDS.map((w): [string, keyof typeof REASONS] => [w, "reserved"]),
  ["arguments", "strict"],
  ["eval", "strict"],
  ...["any", "unknown", "never", "number", "bigint", "boolean", "string", "symbol", "object", "undefined", "as"].map(
    (w): [string, keyof typeof REASONS] => [w, "type"],
  ),
  ...[
    "Object",
    "Array",
    "Map",
    "Set",
    "Promise",
    "Symbol",
    "Record",
    "Partial",
    "ReadonlySet",
    "globalThis",
    "NaN",
    "Infinity",
    "JSON",
    "Error",
  ].map((w): [string, keyof typeof REASONS] => [w, "global"]),
  ...["", "1abc", "a-b", "a b", "a.b", "\\u0041", "🚀", "x\u2028y", "ABC;", "`x`"].map(
    (w): [string, keyof typeof REASONS] => [w, "syntax"],
  ),
];

describe("words that cannot name a generated declaration", () => {
  it.each(CASES)("%j: rejected (%s)", (word, reason) => {
    const result = build({ "manifest.yaml": manifest("constants", word), "a.yaml": REGISTRY });
    const problem = word === "" ? "is empty" : REASONS[reason];
    expect(diagnostics(result, "name.invalid")).toEqual([
      `spec/manifest.yaml:6:15: error [name.invalid] \`${word}\` (the \`codegen.constants\` name of \`app.name\`) ${problem}: it names a declaration of the generated code`,
    ]);
  });

  it.each([
    "Ünïcode",
    "$dollar",
    "_under",
    "constructor",
    "__proto__",
    "toString",
    "type",
    "async",
    "of",
    "declare",
    "Name2",
    "ÆØÅ",
    "x\u200Dy",
  ])(
    "%j is accepted, and the generated package compiles",
    (word) => {
      const result = build({ "manifest.yaml": manifest("constants", word), "a.yaml": REGISTRY });
      expect(diagnostics(result).filter((d) => d.includes("error"))).toEqual([]);
      expect(result.files.get("attributes.ts")).toContain(`export const ${word} = "app.name";`);
      expect(compile(under("/pkg", result.files))).toEqual([]);
    },
    60_000,
  );

  it("agrees with TypeScript: every keyword TypeScript rejects in some declaration is rejected, and every word rejected as reserved, strict or a predefined type is one TypeScript rejects", () => {
    const keywords: string[] = [];
    for (let kind = ts.SyntaxKind.FirstKeyword; kind <= ts.SyntaxKind.LastKeyword; kind++)
      keywords.push(ts.tokenToString(kind)!);
    const words = [
      ...new Set([...keywords, ...CASES.filter(([, r]) => r !== "global" && r !== "syntax").map(([w]) => w)]),
    ];
    // Every form a chosen name takes: a constant, a function, a type alias, an interface, a namespace.
    const forms = (w: string) => [
      `export const ${w} = 1;`,
      `export function ${w}() {}`,
      `export type ${w} = 1;`,
      `export interface ${w} { a: 1 }`,
      `export declare namespace ${w} { type A = 1; }`,
    ];
    const files = new Map<string, string>();
    for (const [i, w] of words.entries())
      for (const [j, text] of forms(w).entries()) files.set(`/w/${i}-${j}.ts`, text);
    const failing = new Set(compile(files).map((d) => Number(/\/w\/(\d+)-/.exec(d)?.[1])));
    const rejectedByTs = words.filter((_, i) => failing.has(i)).sort();
    const rejectedByUs = words.filter((w) => identifierProblem(w) !== undefined).sort();
    // TypeScript lets a module declare the value `undefined`; its type forms fail, so it is rejected by both.
    expect(rejectedByUs).toEqual(rejectedByTs);
  }, 60_000);
});

// ----- collisions with other exports -----

describe("a chosen name that another export already has", () => {
  it.each([
    ["constants", "validateSpan", "the generated function `validateSpan`"],
    ["constants", "Attributes", "the generated type `Attributes`"],
    ["constants", "createValidator", "the generated function `createValidator`"],
    ["constants", "buildSpanKindAttributes", "the generated function `buildSpanKindAttributes`"],
    ["prefix_constants", "appRegistry", "the registry's validator"],
    ["compat_objects", "appItemsKey", "the key builder of `app.items`"],
    ["enums", "ItemField", "the field type of object group `app.item`"],
    ["constants", "buildLlmAttributes", "the builder of `LLM` spans"],
    ["constants", "LlmAttributesInput", "the builder of `LLM` spans"],
    ["constants", "Item", "the input type of object group `app.item`"],
    ["compat_objects", "itemAttributes", "the builder of object group `app.item`"],
    ["compat_enums", "Item", "the input type of object group `app.item`"],
    ["compat_enums", "ItemKeys", "the key table type of object group `app.item` (writers.ts)"],
    ["compat_enums", "WriterHelpers", "the generated type `WriterHelpers`"],
    ["constants", "writeItem", "the writer of object group `app.item` (writers.ts)"],
  ] as const)("`codegen.%s` %s is rejected: it is already %s", (field, name, what) => {
    const result = build({ "manifest.yaml": manifest(field, name), "a.yaml": REGISTRY });
    const chosen =
      field === "constants"
        ? "the `codegen.constants` name of `app.name`"
        : field === "enums"
          ? "the `codegen.enums` name of `app.kind`"
          : `a \`codegen.${field}\` name`;
    expect(diagnostics(result, "name.collision")).toEqual([
      `spec/manifest.yaml:${NAME_AT[field]}: error [name.collision] \`${name}\` (${chosen}) is already ${what}; choose another name`,
    ]);
  });

  it("the otel preset's enum value types are exports too", () => {
    const result = build({ "manifest.yaml": manifest("constants", "AppKindValue", "otel"), "a.yaml": REGISTRY });
    expect(diagnostics(result, "name.collision")).toEqual([
      "spec/manifest.yaml:6:15: error [name.collision] `AppKindValue` (the `codegen.constants` name of `app.name`) is already the value type of `app.kind`; choose another name",
    ]);
  });

  it("a collision among constant-like names is reported once, by the constant naming (naming/assign.ts)", () => {
    const result = build({ "manifest.yaml": manifest("constants", "APP_KIND"), "a.yaml": REGISTRY });
    expect(diagnostics(result).filter((d) => d.includes("error"))).toEqual([
      "spec/a.yaml:7:9: error [name.collision] attribute `app.kind` and attribute `app.name` both become the constant `APP_KIND`; rename one or set `codegen.constants` in manifest.yaml",
    ]);
  });

  it("a builder name that another builder, a structure's type or a constant has is rejected", () => {
    const registry = `${REGISTRY}${lines(
      "  - id: app.extra",
      "    type: attribute_group",
      "    brief: Extra.",
      "    annotations: { semtrace: { builder: Llm } }",
      "    attributes:",
      "      - { ref: app.name }",
      "  - id: app.other",
      "    type: object",
      "    brief: Other.",
      "    annotations: { semtrace: { type_name: Item } }",
      "    attributes:",
      "      - { ref: app.name }",
    )}`;
    const result = build({ "manifest.yaml": lines("name: app"), "a.yaml": registry });
    expect(diagnostics(result, "name.collision")).toEqual([
      "spec/a.yaml:26:5: error [name.collision] `buildLlmAttributes` (the `semtrace.builder` of group `app.extra`) is already the builder of `LLM` spans; choose another name",
      "spec/a.yaml:32:5: error [name.collision] `Item` (the `semtrace.type_name` of object group `app.other`) is already the input type of object group `app.item`; choose another name",
    ]);
  });

  it("span groups that name one builder share it (their attributes are merged), without a collision", () => {
    const registry = `${REGISTRY.replace("span_kind: LLM } }", "span_kind: LLM, builder: Llm } }")}${lines(
      "  - id: span.app.llm2",
      "    type: span",
      "    span_kind: client",
      "    brief: Another LLM call.",
      "    annotations: { semtrace: { span_kind: LLM, builder: Llm } }",
      "    attributes:",
      "      - { ref: app.kind }",
    )}`;
    const result = build({ "manifest.yaml": lines("name: app", "span_kind_attribute: app.kind"), "a.yaml": registry });
    expect(diagnostics(result).filter((d) => d.includes("error"))).toEqual([]);
    expect(result.files.get("builders.ts")).toContain("export function buildLlmAttributes(");
    expect(compile(under("/pkg", result.files))).toEqual([]);
  }, 60_000);
});

describe("names derived from keys and group ids", () => {
  /** An enum attribute `<key>` (openinference: an enum object) and an object group `<group>` (an input type). */
  const registry = (key: string, group: string, typeName?: string) =>
    lines(
      /*  1 */ "groups:",
      /*  2 */ "  - id: registry.x",
      /*  3 */ "    type: attribute_group",
      /*  4 */ "    brief: X.",
      /*  5 */ "    attributes:",
      /*  6 */ `      - id: ${key}`,
      /*  7 */ "        brief: K.",
      /*  8 */ "        type: { members: [{ id: a, value: a }, { id: b, value: b }] }",
      /*  9 */ `      - { id: items, type: 'list[${group}]', brief: I. }`,
      /* 10 */ `  - id: ${group}`,
      /* 11 */ "    type: object",
      /* 12 */ "    brief: O.",
      /* 13 */ ...(typeName ? [`    annotations: { semtrace: { type_name: ${typeName} } }`] : []),
      "    attributes:",
      "      - { id: obj.f, type: string, brief: F. }",
    );
  const oi = lines("name: x", "codegen:", "  naming: openinference");

  it("a derived name that is a standard global is rejected with the setting that renames it (the generated code did not compile)", () => {
    const result = build({ "manifest.yaml": oi, "a.yaml": registry("record", "map") });
    expect(diagnostics(result).filter((d) => d.includes("error"))).toEqual([
      "spec/a.yaml:6:9: error [name.invalid] `Record` (the enum object of `record`) would hide the JavaScript global of that name; name it in `codegen.enums` in manifest.yaml",
      "spec/a.yaml:10:5: error [name.invalid] `Map` (the input type of object group `map`) would hide the JavaScript global of that name; name its input type with `semtrace.type_name`",
    ]);
  });

  it("an enum object and a structure's input type derived alike collide; naming one fixes it and the package compiles", () => {
    const result = build({ "manifest.yaml": oi, "a.yaml": registry("app.widget", "app.widget") });
    expect(diagnostics(result).filter((d) => d.includes("error"))).toEqual([
      "spec/a.yaml:10:5: error [name.collision] `AppWidget` (the input type of object group `app.widget`) is already the enum object of `app.widget`; name its input type with `semtrace.type_name`",
    ]);
    const fixed = build({ "manifest.yaml": oi, "a.yaml": registry("app.widget", "app.widget", "WidgetInput") });
    expect(diagnostics(fixed).filter((d) => d.includes("error"))).toEqual([]);
    expect(compile(under("/pkg", fixed.files))).toEqual([]);
  }, 60_000);
});

/**
 * Every name the generated files export (writers.ts's sets of allowed values aside: `ReadonlySet<string>`
 * constants shared with builders.ts, named after their attribute with a suffix no other export has).
 */
function exportedNames(files: ReadonlyMap<string, string>): Set<string> {
  const exported = new Set<string>();
  for (const [file, text] of files) {
    if (!file.endsWith(".ts")) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022);
    for (const statement of source.statements) {
      if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const e of statement.exportClause.elements) exported.add(e.name.text);
      } else if (
        ts.canHaveModifiers(statement) &&
        ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      ) {
        if (ts.isVariableStatement(statement)) {
          for (const d of statement.declarationList.declarations)
            if (d.type?.getText(source) !== "ReadonlySet<string>") exported.add((d.name as ts.Identifier).text);
        } else if ("name" in statement && statement.name && ts.isIdentifier(statement.name as ts.Node))
          exported.add((statement.name as ts.Identifier).text);
      }
    }
  }
  return exported;
}

/** The names validate/rules/identifiers.ts checks, for a registry as loaded. */
function exportsTheCheckKnows(raw: RawRegistry): Export[] {
  const { ctx } = createContext(raw, indexRegistry(raw), namingFor(raw));
  return generatedExports(ctx);
}

describe("the generated exports the check knows", () => {
  it("are every export a registry without chosen names gets, apart from its attribute constants", () => {
    const result = build({
      "manifest.yaml": lines("name: app", "span_kind_attribute: app.kind", "codegen:", "  naming: otel"),
      "a.yaml": REGISTRY,
    });
    expect(diagnostics(result).filter((d) => d.includes("error"))).toEqual([]);
    const constants = [
      "ATTR_APP_NAME",
      "ATTR_APP_KIND",
      "ATTR_APP_ITEMS",
      "ATTR_ITEM_SKU",
      "APP_KIND_VALUE_LLM",
      "APP_KIND_VALUE_TOOL",
    ];
    // Each of the others is one the check knows: a collision with it is reported (see above).
    expect([...exportedNames(result.files)].filter((n) => !constants.includes(n)).sort()).toEqual(
      [
        "AppKindValue",
        "AttributeKey",
        "AttributeTypes",
        "AttributeValue",
        "Attributes",
        "Finding",
        "Item",
        "ItemField",
        "ItemKeys",
        "LlmAttributesInput",
        "RegistryValidator",
        "ValidateOptions",
        "Validator",
        "WRITER_HELPERS",
        "WriterHelpers",
        "appItemsKey",
        "appRegistry",
        "buildLlmAttributes",
        "buildSpanKindAttributes",
        "createValidator",
        "itemAttributes",
        "itemKeys",
        "validateAttributes",
        "validateSpan",
        "writeItem",
      ].sort(),
    );
  });

  const here = path.dirname(fileURLToPath(import.meta.url));
  const registries: [string, () => Promise<{ raw: RawRegistry; files: ReadonlyMap<string, string> }>][] = [
    ...(["otel", "openinference"] as const).map(
      (naming): [string, () => Promise<{ raw: RawRegistry; files: ReadonlyMap<string, string> }>] => [
        `the fixture (${naming} preset)`,
        async () => {
          const files = new Map([
            ["manifest.yaml", lines("name: app", "span_kind_attribute: app.kind", "codegen:", `  naming: ${naming}`)],
            ["a.yaml", REGISTRY],
          ]);
          return { raw: loadRegistryFromFiles("spec", files).registry, files: build(Object.fromEntries(files)).files };
        },
      ],
    ),
    ...["openinference", "genai"].map(
      (name): [string, () => Promise<{ raw: RawRegistry; files: ReadonlyMap<string, string> }>] => [
        `spec/${name}`,
        async () => {
          const dir = path.join(here, "../../../spec", name);
          const built = await buildRegistry(dir);
          expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
          return { raw: (await loadRegistry(dir)).registry, files: built.files };
        },
      ],
    ),
  ];

  it.each(registries)(
    "are every export of the generated files, and the rest only names reserved for what may be emitted: %s",
    async (_, load) => {
      const { raw, files } = await load();
      const known = exportsTheCheckKnows(raw);
      const exported = exportedNames(files);
      const knownNames = new Set(known.map((e) => e.name));
      expect(
        [...exported].filter((n) => !knownNames.has(n)),
        "generated exports the check does not know",
      ).toEqual([]);
      const absent = known.filter((e) => !exported.has(e.name));
      expect(
        absent.filter((e) => !e.mayBeAbsent).map((e) => e.what),
        "names the check knows that nothing exports",
      ).toEqual([]);
    },
  );
});
