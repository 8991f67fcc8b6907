/**
 * @semtrace/codegen: semantic-conventions YAML → typed TypeScript.
 *
 * The pipeline, stage by stage (each in its own folder): load → validate → resolve → emit → print → write,
 * with `generate` / `buildRegistry` running all of it. What it exports is the pipeline, the resolved model (what
 * emitters read: model/resolved.ts and the typed `semtrace` annotations) and the diagnostics; the loaded YAML's
 * shapes (model/raw.ts) and the code model emitters print stay internal.
 */
export { runGenerateCommand, GENERATE_HELP, type CommandIO } from "./cli/generate-command.js";
export { generate, buildRegistry, buildFromFiles, buildFromRaw, namingFor, type BuildOptions, type BuildResult, type GenerateOptions, type GenerateResult } from "./pipeline.js";
export { loadRegistry, loadRegistryFromFiles, type LoadResult } from "./load/load-registry.js";
export { DEFAULT_YAML_LIMITS, MAX_YAML_DEPTH, parseYamlLimitFlags, type YamlLimits } from "./load/limits.js";
export { validateRegistry } from "./validate/validate.js";
export { resolveRegistry, type ResolveOptions } from "./resolve/resolve.js";
export { emitRegistry, EMITTERS, type Emitter } from "./emit/emit.js";
export type { GeneratedFile } from "./emit/code.js";
export { printFiles, banner, type BannerInfo } from "./write/print.js";
export type { Language } from "./write/printer.js";
export type { WriteResult } from "./write/write.js";
export { flattenRegistry, patternText, type FlatKey, type KeyPart } from "./model/flatten.js";
export { formatDiagnostic, type Diagnostic, type Severity, type SourceLocation } from "./model/diagnostics.js";
export { DIAGNOSTICS, type DiagnosticId } from "./model/diagnostic-ids.js";
export type * from "./model/resolved.js";
export type { AttributeAnnotations, AttributeGroupAnnotations, ObjectAnnotations, Redaction, SpanAnnotations } from "./model/annotations.js";
export { buildMapping, buildMappingFromText, generateMapping, type MappingBuild, type MappingOptions, type GenerateMappingResult } from "./mapping/build.js";
