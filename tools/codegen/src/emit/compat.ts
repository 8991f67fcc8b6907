/** Upstream-compatible objects (prefix/postfix tables, `SemanticConventions`) and prefix-only constants. */
import type { Registry } from "../model/resolved.js";
import { plainDoc } from "./docs.js";
import { propertyName, stringLiteral } from "./literals.js";
import { exportConst, exportObjectConst, type GeneratedFile } from "./structures.js";

export function emitCompat(registry: Registry): GeneratedFile | undefined {
  if (registry.compatObjects.length === 0 && registry.prefixConstants.length === 0) return undefined;
  return {
    path: "compat.ts",
    statements: [
      ...registry.prefixConstants.map(([name, value]) => exportConst(name, stringLiteral(value), plainDoc(`The key prefix \`${value}\`.`))),
      ...registry.compatObjects.map((object) =>
        exportObjectConst(
          object.name,
          object.entries.map(([p, v]) => ({ name: propertyName(p), value: stringLiteral(v) })),
          plainDoc(`Kept for compatibility with code written against the upstream package; derived from the registry's keys.`),
        ),
      ),
    ],
  };
}
