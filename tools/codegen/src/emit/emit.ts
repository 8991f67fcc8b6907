/** Emit stage: resolved registry → the list of files to generate (structures, not text). */
import type { Registry } from "../model/resolved.js";
import { emitCompat } from "./compat.js";
import { emitConstants } from "./constants.js";
import { emitEnums } from "./enums.js";
import { emitKeys } from "./keys.js";
import { exportStar, type GeneratedFile } from "./structures.js";
import { emitTypes } from "./types.js";

export type Emitter = (registry: Registry) => GeneratedFile | undefined;

/** Every emitter, in the order their files are re-exported from index.ts. */
export const EMITTERS: readonly Emitter[] = [emitConstants, emitEnums, emitTypes, emitKeys, emitCompat];

export function emitRegistry(registry: Registry, emitters: readonly Emitter[] = EMITTERS): GeneratedFile[] {
  const files = emitters.map((emit) => emit(registry)).filter((f): f is GeneratedFile => f !== undefined);
  const index: GeneratedFile = {
    path: "index.ts",
    statements: files.map((f) => exportStar(`./${f.path.replace(/\.ts$/, ".js")}`)),
  };
  return [...files, index];
}
