/** Strict TypeScript check of files on disk, through the compiler API (no child process). */
import ts from "typescript";
import { RUNTIME_ENTRY, RUNTIME_INTERNAL_ENTRY, STRICT_OPTIONS } from "./runtime.js";

export function strictDiagnostics(rootFiles: readonly string[]): string[] {
  const program = ts.createProgram([...rootFiles], {
    ...STRICT_OPTIONS,
    // Generated code imports @semtrace/runtime: resolved to its sources.
    paths: { "@semtrace/runtime": [RUNTIME_ENTRY], "@semtrace/runtime/internal": [RUNTIME_INTERNAL_ENTRY] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) =>
    ts.formatDiagnostic(d, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => process.cwd(),
      getNewLine: () => "\n",
    }),
  );
}
