/** Strict TypeScript check of files on disk, through the compiler API (no child process). */
import ts from "typescript";

export function strictDiagnostics(rootFiles: readonly string[]): string[] {
  const program = ts.createProgram([...rootFiles], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => "\n" }));
}
