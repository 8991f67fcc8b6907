/** The options `semtrace check` and `semtrace diff` share for reading registries: naming and the YAML caps. */
import {
  isNamingPreset,
  NAMING_PRESETS,
  parseYamlLimitFlags,
  YAML_LIMIT_OPTIONS,
  type NamingPreset,
  type YamlLimits,
} from "@semtrace/spec";

export const REGISTRY_OPTIONS = {
  naming: { type: "string" },
  ...YAML_LIMIT_OPTIONS,
} as const;

export interface RegistryOptions {
  readonly naming?: NamingPreset;
  readonly limits: Partial<YamlLimits>;
}

/** The parsed options, or the usage error to print. */
export function registryOptions(values: Readonly<Record<string, unknown>>): RegistryOptions | string {
  const naming = values["naming"];
  if (naming !== undefined && (typeof naming !== "string" || !isNamingPreset(naming))) {
    return `unknown --naming ${JSON.stringify(naming)}: expected ${NAMING_PRESETS.join(" or ")}`;
  }
  const limits = parseYamlLimitFlags(values);
  if (typeof limits === "string") return limits;
  return { limits, ...(naming !== undefined ? { naming } : {}) };
}

export function posixPath(p: string): string {
  return p.split("\\").join("/");
}
