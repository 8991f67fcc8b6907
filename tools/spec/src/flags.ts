/**
 * @semtrace/spec/flags: the command-line flags of every command that reads a spec directory — the YAML caps, how a
 * manifest's `dependencies` are found and fetched, the naming presets — as `parseArgs` options, help text and parsers. A light
 * entry: it loads neither the YAML parser nor the loader, so a command can parse its arguments and print its help
 * before (or without) reading a registry. Options parsed here are what `readSpec` takes.
 */
export {
  DEFAULT_YAML_LIMITS,
  MAX_YAML_DEPTH,
  YAML_LIMIT_OPTIONS,
  parseYamlLimitFlags,
  yamlLimitsHelp,
  type YamlLimits,
} from "./load/limits.js";
export { DEFAULT_FETCH_LIMITS, type ArchiveUnpacker, type FetchLimits } from "./load/dependencies/limits.js";
export { DEPENDENCY_OPTIONS, dependencyHelp, parseDependencyFlags } from "./load/dependencies/flags.js";
export type { DependencyOptions } from "./load/dependencies/load-dependencies.js";
export { NAMING_PRESETS, isNamingPreset } from "./naming/presets.js";
export type { NamingPreset } from "./model/resolved.js";
