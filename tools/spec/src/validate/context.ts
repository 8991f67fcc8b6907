/** What every validation rule receives, and how it reports. */
import type { DiagnosticId } from "../model/diagnostic-ids.js";
import type { Diagnostic, Severity, SourceLocation } from "../model/diagnostics.js";
import type { RawIndex } from "../model/raw-index.js";
import type { RawRegistry } from "../model/raw.js";
import type { NamingPreset } from "../model/resolved.js";

export interface RuleContext {
  readonly registry: RawRegistry;
  readonly index: RawIndex;
  readonly naming: NamingPreset;
  report(id: DiagnosticId, severity: Severity, message: string, location: SourceLocation): void;
}

export type Rule = (ctx: RuleContext) => void;

export function createContext(
  registry: RawRegistry,
  index: RawIndex,
  naming: NamingPreset,
): { ctx: RuleContext; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  return {
    diagnostics,
    ctx: {
      registry,
      index,
      naming,
      report: (id, severity, message, location) => diagnostics.push({ id, severity, message, location }),
    },
  };
}
