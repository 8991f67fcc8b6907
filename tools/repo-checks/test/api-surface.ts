/**
 * The public API of a built package, read the way a user's compiler reads it: every entry point of its
 * package.json `exports`, through the type declarations it ships (`dist/*.d.ts` for `import`, `*.d.cts` for
 * `require`), each export listed with its kind by the TypeScript compiler's own checker.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

/** One exported name and what it is (`function`, `class`, `interface`, `type`, `const`, `enum`, `namespace`, …). */
export interface ExportedName {
  readonly name: string;
  readonly kind: string;
  /** Whether the declarations promise a value at run time (not only a type). */
  readonly value: boolean;
}

export interface EntryPoint {
  /** The subpath users import: `.`, `./internal`. */
  readonly subpath: string;
  /** The declaration files of its conditions, by condition (`import`, `require`). */
  readonly declarations: Readonly<Record<string, string>>;
}

type Conditions = string | { readonly [condition: string]: Conditions | undefined } | null;

/** The `types` file of each condition of an export target (`import.types`, `require.types`, or `types` alone). */
function typesByCondition(target: Conditions, condition = "types"): Record<string, string> {
  if (target === null || typeof target === "string") return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(target)) {
    if (value === undefined) continue;
    if (key === "types" && typeof value === "string") out[condition] = value;
    else if (typeof value === "object") Object.assign(out, typesByCondition(value, key));
  }
  return out;
}

/** Every entry point of a package that has types (data entries such as `./schema.json` and `./package.json` have none). */
export function entryPoints(dir: string): EntryPoint[] {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    exports?: Record<string, Conditions>;
  };
  return Object.entries(manifest.exports ?? {})
    .filter(([subpath]) => !subpath.endsWith(".json"))
    .map(([subpath, target]) => ({ subpath, declarations: typesByCondition(target) }));
}

/** What a symbol is, in words: every meaning it has (`OpenInferenceSpanKind` is a const, a type and a namespace). */
function kindOf(symbol: ts.Symbol, checker: ts.TypeChecker, typeOnly: boolean): string {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const f = target.flags;
  const kinds: string[] = [];
  if (f & ts.SymbolFlags.Class) kinds.push(isAbstract(target) ? "abstract class" : "class");
  if (f & ts.SymbolFlags.Function) kinds.push("function");
  if (f & ts.SymbolFlags.Variable) kinds.push(isConst(target) ? "const" : "let");
  if (f & ts.SymbolFlags.Enum) kinds.push("enum");
  if (f & ts.SymbolFlags.Interface) kinds.push("interface");
  if (f & ts.SymbolFlags.TypeAlias) kinds.push("type");
  if (f & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) kinds.push("namespace");
  if (kinds.length === 0) kinds.push("unknown");
  return typeOnly && kinds.some((k) => k.endsWith("class") || k === "const" || k === "function" || k === "enum")
    ? `${kinds.join(", ")} (type only)`
    : kinds.join(", ");
}

function isConst(symbol: ts.Symbol): boolean {
  const decl = symbol.valueDeclaration;
  return (
    decl !== undefined && ts.isVariableDeclaration(decl) && (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) !== 0
  );
}

function isAbstract(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some(
    (d) => ts.isClassDeclaration(d) && (ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Abstract) !== 0,
  );
}

/** True when every path by which `symbol` is exported is `export type`. */
function isTypeOnlyExport(symbol: ts.Symbol): boolean {
  const decls = symbol.declarations ?? [];
  return decls.length > 0 && decls.every((d) => ts.isTypeOnlyImportOrExportDeclaration(d));
}

/** The exports of each declaration file, sorted by name. */
export function exportsOf(files: readonly string[]): Map<string, ExportedName[]> {
  for (const file of files) if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  const program = ts.createProgram(files, {
    noEmit: true,
    skipLibCheck: true,
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const out = new Map<string, ExportedName[]>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${file} is not a module`);
    const names = checker
      .getExportsOfModule(module)
      .map((symbol) => {
        const typeOnly = isTypeOnlyExport(symbol);
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return {
          name: symbol.name,
          kind: kindOf(symbol, checker, typeOnly),
          value: !typeOnly && (target.flags & ts.SymbolFlags.Value) !== 0,
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    out.set(file, names);
  }
  return out;
}

/** The report of one package: per entry point, a table of its exports (names and kinds). */
export function apiReport(
  name: string,
  entries: readonly { subpath: string; exports: readonly ExportedName[] }[],
  updateCommand: string,
): string {
  const lines = [
    `# API report: ${name}`,
    "",
    "Every export of every entry point, with its kind, read from the built type declarations (ES module and CommonJS",
    "declarations list the same). Written by tools/repo-checks/test/api-report.test.ts; a change here is a change to",
    "the package's public API, so review it as one. Update after a build:",
    "",
    "```sh",
    updateCommand,
    "```",
  ];
  for (const entry of entries) {
    const specifier = entry.subpath === "." ? name : `${name}/${entry.subpath.slice(2)}`;
    lines.push("", `## \`${specifier}\``, "", "| Export | Kind |", "| --- | --- |");
    for (const e of entry.exports) lines.push(`| \`${e.name}\` | ${e.kind} |`);
  }
  return `${lines.join("\n")}\n`;
}
