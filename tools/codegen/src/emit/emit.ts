/** Emit stage: resolved registry → the files to generate, as the code model (emit/code.ts), not text. */
import { emitValidators, type CodeFile, type GeneratedFile, type Registry } from "@semtrace/spec/internal";
import { emitBuilders } from "./builders.js";
import { emitCompat } from "./compat.js";
import { emitConstants } from "./constants.js";
import { emitEnums } from "./enums.js";
import { emitJsonSchema } from "./json-schema.js";
import { emitKeys } from "./keys.js";
import { emitSignals } from "./signals.js";
import { emitStableIndex } from "./stable-index.js";
import { emitTypes } from "./types.js";

/** One part of the output: a file, several (builders.ts and writers.ts), or none. */
export type Emitter = (registry: Registry) => GeneratedFile | readonly GeneratedFile[] | undefined;

/** Every emitter, in the order their TypeScript files are re-exported from index.ts. */
export const EMITTERS: readonly Emitter[] = [
  emitConstants,
  emitSignals,
  emitEnums,
  emitTypes,
  emitKeys,
  emitCompat,
  emitBuilders,
  emitValidators,
  emitJsonSchema,
];

export function emitRegistry(registry: Registry, emitters: readonly Emitter[] = EMITTERS): GeneratedFile[] {
  const files = emitters.flatMap((emit) => emit(registry) ?? []);
  const everything: CodeFile = {
    kind: "code",
    path: registry.incubatingEntry ? "index-incubating.ts" : "index.ts",
    doc: registry.incubatingEntry
      ? `Everything generated from the \`${registry.name}\` registry, incubating items included (the stable constants alone are in \`index.ts\`).`
      : `Everything generated from the \`${registry.name}\` registry.`,
    // JSON files (schema.json) are published as files of their own, and internal files are used by the others only.
    declarations: files
      .filter((f) => f.kind === "code" && !f.internal)
      .map((f) => ({ kind: "export-from", from: `./${f.path.replace(/\.ts$/, ".js")}` })),
  };
  return registry.incubatingEntry ? [...files, everything, emitStableIndex(registry, files)] : [...files, everything];
}
