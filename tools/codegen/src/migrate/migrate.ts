/**
 * The codemod: source files → their migrated text (nothing written here). Files that do not parse are reported
 * with the place of their first syntax error and left out; every other file is read by one TypeScript program, so
 * builder inputs are recognised by their types and bindings by their symbols.
 */
import { existsSync, readFileSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { ModuleKind, ModuleResolutionKind, Project, ScriptTarget, ts, type CompilerOptions } from "ts-morph";
import { migrateBuilderFields, PackageOf } from "./builder-fields.js";
import { ModuleExports } from "./exports.js";
import type { PackageFacts } from "./facts.js";
import { migrateImports } from "./imports.js";
import { Problems, type Problem } from "./problems.js";

export const SOURCE_EXTENSIONS = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION = /\.d\.(ts|mts|cts)$|\.d\.[^.]+\.ts$/;

export interface MigrateOptions {
  /** Files and folders to migrate (folders: every source file below, node_modules and dot-folders skipped). */
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly facts: readonly PackageFacts[];
  /** A tsconfig.json whose compiler options the program uses (default: none; Node's module resolution). */
  readonly tsconfig?: string;
}

export interface MigratedFile {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export interface MigrateResult {
  /** Files whose text changed. */
  readonly changed: readonly MigratedFile[];
  /** Files read (parsed or not). */
  readonly files: number;
  readonly problems: readonly Problem[];
}

export class PathError extends Error {}

async function collect(target: string, out: Set<string>): Promise<void> {
  let info;
  try {
    info = await stat(target);
  } catch (error) {
    throw new PathError(
      `${target}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (error as Error).message}`,
    );
  }
  if (info.isFile()) {
    out.add(target);
    return;
  }
  if (!info.isDirectory()) return;
  for (const entry of await readdir(target, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) await collect(full, out);
    else if (entry.isFile() && SOURCE_EXTENSIONS.test(entry.name) && !DECLARATION.test(entry.name)) out.add(full);
  }
}

export async function sourceFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  const out = new Set<string>();
  for (const p of paths) await collect(path.resolve(cwd, p), out);
  return [...out].sort();
}

const DEFAULT_OPTIONS: CompilerOptions = {
  allowJs: true,
  checkJs: false,
  noEmit: true,
  skipLibCheck: true,
  target: ScriptTarget.ES2022,
  module: ModuleKind.NodeNext,
  moduleResolution: ModuleResolutionKind.NodeNext,
  jsx: ts.JsxEmit.Preserve,
};

function project(tsconfig: string | undefined): Project {
  const manipulationSettings = { usePrefixAndSuffixTextForRename: true };
  if (tsconfig === undefined) return new Project({ compilerOptions: DEFAULT_OPTIONS, manipulationSettings });
  return new Project({
    tsConfigFilePath: tsconfig,
    skipAddingFilesFromTsConfig: true,
    compilerOptions: { allowJs: true, noEmit: true },
    manipulationSettings,
  });
}

export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const files = await sourceFiles(options.paths, options.cwd);
  const p = project(options.tsconfig === undefined ? undefined : path.resolve(options.cwd, options.tsconfig));
  const originals = new Map<string, string>();
  const problems: Problem[] = [];
  const display = (file: string) => path.relative(options.cwd, file).split(path.sep).join("/") || file;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    originals.set(file, text);
    p.createSourceFile(file, text, { overwrite: true });
  }
  const program = p.getProgram();
  const parsed = [];
  for (const sf of p.getSourceFiles()) {
    const file = sf.getFilePath();
    if (!originals.has(path.normalize(file))) continue;
    const [first] = program.getSyntacticDiagnostics(sf);
    if (first) {
      const { line, column } = sf.getLineAndColumnAtPos(first.getStart() ?? 0);
      const message = ts.flattenDiagnosticMessageText(first.compilerObject.messageText, "\n");
      problems.push({
        file: display(file),
        line,
        col: column,
        severity: "error",
        message: `cannot parse this file (${message}); left untouched`,
      });
      continue;
    }
    parsed.push(sf);
  }
  const facts = new Map(options.facts.map((f) => [f.specifier, f]));
  const exports = new ModuleExports();
  const packages = new PackageOf();
  const changed: MigratedFile[] = [];
  for (const sf of parsed) {
    const file = path.normalize(sf.getFilePath());
    const fileProblems = new Problems(display(file));
    migrateBuilderFields({ sf, facts, packages, problems: fileProblems });
    migrateImports({ sf, dir: path.dirname(file), facts, exports, problems: fileProblems });
    problems.push(...fileProblems.list);
    const before = originals.get(file)!;
    let after = sf.getFullText();
    if (before.startsWith("\uFEFF") && !after.startsWith("\uFEFF")) after = `\uFEFF${after}`;
    if (before.includes("\r\n")) after = after.replace(/\r?\n/g, "\r\n");
    if (after !== before) changed.push({ path: file, before, after });
  }
  return { changed, files: files.length, problems };
}

export function tsconfigIn(cwd: string): string | undefined {
  const candidate = path.join(cwd, "tsconfig.json");
  return existsSync(candidate) ? candidate : undefined;
}
