import type { DiagnosticId } from "./diagnostic-ids.js";

/** Where something sits in a spec file: 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export type Severity = "error" | "warning" | "info";

/** One problem found while loading or validating a registry; `id` is one of the catalogue's (diagnostic-ids.ts). */
export interface Diagnostic {
  readonly id: DiagnosticId;
  readonly severity: Severity;
  readonly message: string;
  readonly location: SourceLocation;
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}

/** `file:line:col: severity [id] message` — the one format every command prints. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${formatLocation(d.location)}: ${d.severity} [${d.id}] ${d.message}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Sorts by file, line, column, then id, so reports are stable whatever order the stages found them in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareStrings(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.col - b.location.col ||
      compareStrings(a.id, b.id) ||
      compareStrings(a.message, b.message),
  );
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
