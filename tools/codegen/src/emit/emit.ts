/** Emit stage: resolved registry → the list of files to generate (structures, not text). */
import type { Registry } from "../model/resolved.js";
import { emitBuilders } from "./builders.js";
import { emitCompat } from "./compat.js";
import { emitConstants } from "./constants.js";
import { emitEnums } from "./enums.js";
import { emitJsonSchema } from "./json-schema.js";
import { emitKeys } from "./keys.js";
import { exportStar, type GeneratedFile } from "./structures.js";
import { emitTypes } from "./types.js";
import { emitValidators } from "./validators.js";

export type Emitter = (registry: Registry) => GeneratedFile | undefined;

/** Every emitter, in the order their TypeScript files are re-exported from index.ts. */
export const EMITTERS: readonly Emitter[] = [emitConstants, emitEnums, emitTypes, emitKeys, emitCompat, emitBuilders, emitValidators, emitJsonSchema];

export function emitRegistry(registry: Registry, emitters: readonly Emitter[] = EMITTERS): GeneratedFile[] {
  const files = emitters.map((emit) => emit(registry)).filter((f): f is GeneratedFile => f !== undefined);
  const index: GeneratedFile = {
    path: "index.ts",
    // JSON files (schema.json) are published as files of their own, not re-exported.
    statements: files.filter((f) => f.json === undefined).map((f) => exportStar(`./${f.path.replace(/\.ts$/, ".js")}`)),
  };
  return [...files, index];
}
