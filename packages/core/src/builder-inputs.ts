/**
 * Builders of the generated packages report input fields they do not know (a misspelt field, or one renamed
 * since the caller wrote it) through @semtrace/runtime's hook; @semtrace/core passes them to OpenTelemetry's
 * `diag`, each field once. A hook the application set itself is kept.
 */
import { diag } from "@opentelemetry/api";
import { onUnknownBuilderInput, type UnknownBuilderInput } from "@semtrace/runtime";

/** Longest field path quoted (a path is built from the caller's keys). */
const MAX_FIELD = 200;

function warn({ builder, field }: UnknownBuilderInput): void {
  const shown = JSON.stringify(field.length > MAX_FIELD ? `${field.slice(0, MAX_FIELD)}…` : field);
  diag.warn(
    `@semtrace/core: ${builder}() was given the input field ${shown}, which it does not know: its value was not written (misspelt, or renamed? the builder's input type lists its fields; reported once)`,
  );
}

/** Connects the hook unless one is set already; returns whether it did. */
export function reportUnknownBuilderInputs(): boolean {
  const previous = onUnknownBuilderInput(warn);
  if (previous === undefined || previous === warn) return true;
  onUnknownBuilderInput(previous);
  return false;
}
