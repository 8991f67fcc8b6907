/** Strict type-check of in-memory files (path → text) with the real lib files; returns formatted errors. */
import path from "node:path";
import ts from "typescript";
import { runtimeFiles, STRICT_OPTIONS as OPTIONS } from "./runtime.js";

export function compileInMemory(files: ReadonlyMap<string, string>, root = "/virtual"): string[] {
  const abs = new Map([...files].map(([p, t]) => [path.posix.join(root, p), t]));
  // Generated code imports @semtrace/runtime: a virtual package of its sources.
  for (const [file, text] of runtimeFiles()) if (!abs.has(file)) abs.set(file, text);
  const base = ts.createCompilerHost(OPTIONS);
  const host: ts.CompilerHost = {
    ...base,
    fileExists: (f) => abs.has(f) || base.fileExists(f),
    readFile: (f) => abs.get(f) ?? base.readFile(f),
    getSourceFile: (f, lang) => {
      const text = abs.get(f);
      return text !== undefined ? ts.createSourceFile(f, text, lang) : base.getSourceFile(f, lang);
    },
    getCurrentDirectory: () => root,
    directoryExists: (d) =>
      d === root ||
      d.startsWith(`${root}/`) ||
      [...abs.keys()].some((f) => f.startsWith(`${d}/`)) ||
      (base.directoryExists?.(d) ?? false),
    realpath: (f) => f,
  };
  const program = ts.createProgram([...abs.keys()], OPTIONS, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n") + (d.file ? ` (${d.file.fileName})` : ""));
}
