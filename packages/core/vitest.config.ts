import ts from "typescript";
import { mergeConfig } from "vitest/config";
import { workspaceConfig } from "../../vitest.shared.ts";

/**
 * Vite's transformer (oxc) lowers only legacy decorators; Node 20 runs neither kind. The decorator tests use
 * TC39 (TypeScript 5) decorators — what users write without `experimentalDecorators` — so their file is
 * compiled by TypeScript itself, the way a user's build would compile it.
 */
const tc39Decorators = {
  name: "semtrace-tc39-decorators",
  enforce: "pre" as const,
  transform(code: string, id: string) {
    if (!id.endsWith("decorators.test.ts")) return null;
    const out = ts.transpileModule(code, {
      fileName: id,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        sourceMap: true,
        experimentalDecorators: false,
      },
    });
    return { code: out.outputText, map: out.sourceMapText ? JSON.parse(out.sourceMapText) : null };
  },
};

export default mergeConfig(workspaceConfig(import.meta.url), { plugins: [tc39Decorators] });
