/**
 * Validate stage: every rule runs over the whole raw registry and all problems are collected
 * before anything fails. Rule ids are stable (listed in spec/README.md).
 */
import { sortDiagnostics, type Diagnostic } from "../model/diagnostics.js";
import { indexRegistry } from "../model/raw-index.js";
import type { RawRegistry } from "../model/raw.js";
import type { NamingPreset } from "../model/resolved.js";
import { createContext, type Rule } from "./context.js";
import { semtraceAnnotations } from "./rules/annotations.js";
import { compatEnums } from "./rules/compat-enums.js";
import { exportNames } from "./rules/identifiers.js";
import {
  duplicateAttributes,
  duplicateGroups,
  keySyntax,
  stabilityAndDeprecation,
  types,
} from "./rules/definitions.js";
import { manifestSettings } from "./rules/manifest.js";
import { nameCollisions, typeNameCollisions, keyBuilderCollisions } from "./rules/names.js";
import { leafAndPrefix } from "./rules/prefixes.js";
import { references } from "./rules/references.js";
import { jsonShapes } from "./rules/shapes.js";
import { objectCycles, templateChildren } from "./rules/structures.js";

export const RULES: readonly Rule[] = [
  duplicateGroups,
  duplicateAttributes,
  keySyntax,
  types,
  stabilityAndDeprecation,
  references,
  objectCycles,
  templateChildren,
  leafAndPrefix,
  manifestSettings,
  nameCollisions,
  typeNameCollisions,
  keyBuilderCollisions,
  semtraceAnnotations,
  compatEnums,
  exportNames,
  jsonShapes,
];

export function validateRegistry(registry: RawRegistry, naming: NamingPreset): Diagnostic[] {
  const { ctx, diagnostics } = createContext(registry, indexRegistry(registry), naming);
  for (const rule of RULES) rule(ctx);
  return sortDiagnostics(diagnostics);
}
