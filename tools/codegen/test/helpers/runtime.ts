/**
 * Generated validators and builders import `@semtrace/runtime`. The compile helpers make it
 * resolvable from its sources (no build needed): as a virtual package under `/node_modules` for
 * in-memory programs, or through `paths` for programs on disk.
 */
import ts from "typescript";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** packages/runtime/src/index.ts, absolute. */
export const RUNTIME_ENTRY = fileURLToPath(new URL("../../../../packages/runtime/src/index.ts", import.meta.url));
/** packages/runtime/src/internal.ts (`@semtrace/runtime/internal`, what generated code imports), absolute. */
export const RUNTIME_INTERNAL_ENTRY = fileURLToPath(
  new URL("../../../../packages/runtime/src/internal.ts", import.meta.url),
);

let cached: Map<string, string> | undefined;

/** `/node_modules/@semtrace/runtime/…` (POSIX, absolute) → text: the package.json and every source file. */
export function runtimeFiles(): ReadonlyMap<string, string> {
  if (!cached) {
    const src = path.dirname(RUNTIME_ENTRY);
    const base = "/node_modules/@semtrace/runtime";
    const exports = {
      ".": { types: "./src/index.ts", default: "./src/index.ts" },
      "./internal": { types: "./src/internal.ts", default: "./src/internal.ts" },
    };
    cached = new Map([
      [`${base}/package.json`, JSON.stringify({ name: "@semtrace/runtime", type: "module", exports })],
    ]);
    // Every source file, sub-folders (translate/) included.
    for (const f of (readdirSync(src, { recursive: true }) as string[]).sort()) {
      if (f.endsWith(".ts"))
        cached.set(`${base}/src/${f.split(path.sep).join("/")}`, readFileSync(path.join(src, f), "utf8"));
    }
  }
  return cached;
}

/** The strict settings every compile check in the tests uses (as tsconfig.base.json, no emit, no @types). */
export const STRICT_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
  types: [],
};
