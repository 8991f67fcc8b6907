/**
 * @semtrace/codegen: semantic-conventions YAML → typed TypeScript.
 * Stages: load → validate → resolve → emit → write (each in its own folder).
 */
export { runGenerateCommand, GENERATE_HELP, type CommandIO } from "./cli/generate-command.js";
export { generate, buildRegistry, buildFromFiles, buildFromRaw, namingFor, type BuildOptions, type BuildResult, type GenerateOptions, type GenerateResult } from "./pipeline.js";
export { loadRegistry, loadRegistryFromFiles, type LoadResult } from "./load/load-registry.js";
export { DEFAULT_YAML_LIMITS, MAX_YAML_DEPTH, parseYamlLimitFlags, type YamlLimits } from "./load/limits.js";
export { validateRegistry } from "./validate/validate.js";
export { resolveRegistry } from "./resolve/resolve.js";
export { emitRegistry, EMITTERS, type Emitter } from "./emit/emit.js";
export { printFiles, banner } from "./write/print.js";
export { flattenRegistry, patternText, type FlatKey, type KeyPart } from "./model/flatten.js";
export { formatDiagnostic, type Diagnostic, type Severity, type SourceLocation } from "./model/diagnostics.js";
export type * from "./model/resolved.js";
export type * from "./model/raw.js";
