/**
 * The ts-morph values the generator uses, loaded with `require`. ts-morph is CommonJS: imported from an ES module,
 * Node first scans its large files for their export names, about 0.1 s of every cold `semtrace generate`.
 * Types still come from `import type { … } from "ts-morph"`.
 */
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";

const tsMorph = createRequire(import.meta.url)("ts-morph") as typeof TsMorph;

export const { IndentationText, NewLineKind, Project, QuoteKind, StructureKind, VariableDeclarationKind } = tsMorph;
