/**
 * Type-checks in-memory TypeScript files with the real compiler: the files given (absolute POSIX
 * paths, e.g. `/out/index.ts`) plus the real lib files from the installed `typescript` package.
 * Returns formatted diagnostics; an empty list means the files compile under strict settings.
 */
import path from "node:path";
import ts from "typescript";
import { runtimeFiles } from "./runtime.js";

export interface CompileOptions {
  /** `nodenext` (default: ESM via a virtual package.json with `"type": "module"`) or `esnext` (bundler resolution). */
  readonly module?: "nodenext" | "esnext";
}

/** The strictness of tsconfig.base.json, which the generated packages are built with, and more. */
function compilerOptions(module: "nodenext" | "esnext"): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    module: module === "nodenext" ? ts.ModuleKind.NodeNext : ts.ModuleKind.ESNext,
    moduleResolution: module === "nodenext" ? ts.ModuleResolutionKind.NodeNext : ts.ModuleResolutionKind.Bundler,
    strict: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    // Stricter than the packages' own settings: users compile generated code under their tsconfig.
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    exactOptionalPropertyTypes: true,
    noPropertyAccessFromIndexSignature: true,
    isolatedModules: true,
    declaration: true,
    noEmit: true,
    types: [],
  };
}

/** Lib files are parsed once per process and shared by every program. */
const libCache = new Map<string, ts.SourceFile>();

export function compile(files: ReadonlyMap<string, string>, options: CompileOptions = {}): string[] {
  const module = options.module ?? "nodenext";
  const opts = compilerOptions(module);
  const memory = new Map<string, string>();
  for (const [file, text] of files) memory.set(path.posix.resolve("/", file), text);
  // Generated code imports @semtrace/runtime: a virtual package of its sources.
  for (const [file, text] of runtimeFiles()) if (!memory.has(file)) memory.set(file, text);
  if (module === "nodenext") {
    // Every directory that holds an input gets ESM semantics, as in the generated packages.
    for (const file of [...memory.keys()]) {
      const pkg = path.posix.join(path.posix.dirname(file), "package.json");
      if (!memory.has(pkg)) memory.set(pkg, '{ "type": "module" }');
    }
  }
  const libDir = path.dirname(ts.getDefaultLibFilePath(opts));
  const isLib = (f: string) => path.resolve(f).startsWith(libDir + path.sep);
  const host: ts.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      const text = memory.get(fileName);
      if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
      if (!isLib(fileName)) return undefined;
      let cached = libCache.get(fileName);
      if (!cached) {
        const libText = ts.sys.readFile(fileName);
        if (libText === undefined) return undefined;
        cached = ts.createSourceFile(fileName, libText, languageVersion, false);
        libCache.set(fileName, cached);
      }
      return cached;
    },
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    getDefaultLibLocation: () => libDir,
    writeFile: () => {},
    getCurrentDirectory: () => "/",
    getDirectories: () => [],
    fileExists: (f) => memory.has(f) || (isLib(f) && ts.sys.fileExists(f)),
    readFile: (f) => memory.get(f) ?? (isLib(f) ? ts.sys.readFile(f) : undefined),
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    realpath: (f) => f,
    directoryExists: (d) => {
      const dir = d.endsWith("/") ? d : `${d}/`;
      return [...memory.keys()].some((f) => f.startsWith(dir)) || d === libDir;
    },
  };
  const roots = [...memory.keys()].filter((f) => f.endsWith(".ts"));
  const program = ts.createProgram({ rootNames: roots, options: opts, host });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || d.start === undefined) return `TS${d.code}: ${message}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}:${line + 1}:${character + 1}: TS${d.code}: ${message}`;
  });
}

/** Generated files (relative paths) placed under `dir`, ready for {@link compile}. */
export function under(dir: string, files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files].map(([rel, text]) => [path.posix.join(dir, rel), text]));
}
