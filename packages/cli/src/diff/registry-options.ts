/**
 * The options `semtrace check` and `semtrace diff` share for reading registries: naming, the YAML caps and how the
 * manifest's dependencies are found (the flags of every command that reads a spec directory, src/spec-flags.ts).
 */
import { isNamingPreset, NAMING_PRESETS, type NamingPreset } from "@semtrace/spec/flags";
import { parseSpecFlags, SPEC_OPTIONS, type SpecReading } from "../spec-flags.js";

export const REGISTRY_OPTIONS = {
  naming: { type: "string" },
  ...SPEC_OPTIONS,
} as const;

export interface RegistryOptions extends SpecReading {
  readonly naming?: NamingPreset;
}

/** The parsed options (relative paths against `cwd`), or the usage error to print. */
export function registryOptions(values: Readonly<Record<string, unknown>>, cwd: string): RegistryOptions | string {
  const naming = values["naming"];
  if (naming !== undefined && (typeof naming !== "string" || !isNamingPreset(naming))) {
    return `unknown --naming ${JSON.stringify(naming)}: expected ${NAMING_PRESETS.join(" or ")}`;
  }
  const reading = parseSpecFlags(values, cwd);
  if (typeof reading === "string") return reading;
  return { ...reading, ...(naming !== undefined ? { naming } : {}) };
}

export function posixPath(p: string): string {
  return p.split("\\").join("/");
}
