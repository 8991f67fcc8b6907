/**
 * @semtrace/codegen: semantic-conventions YAML → typed TypeScript.
 *
 * The pipeline, stage by stage (each in its own folder): load → validate → resolve → emit → print → write,
 * with `generate` / `buildRegistry` running all of it. What it exports is the pipeline, the resolved model (what
 * emitters read: model/resolved.ts and the typed `semtrace` annotations) and the diagnostics; the loaded YAML's
 * shapes (model/raw.ts) and the code model emitters print stay internal.
 */
export { runGenerateCommand, GENERATE_HELP, type CommandIO } from "./cli/generate-command.js";
export { generate, buildRegistry, buildFromFiles, buildFromRaw, resolveFromRaw, namingFor, type ResolveResult, type BuildOptions, type BuildResult, type GenerateOptions, type GenerateResult } from "./pipeline.js";
export { loadRegistry, loadRegistryFromFiles, loadRegistryFromEntries, type LoadResult, type SpecEntry } from "./load/load-registry.js";
export { DEFAULT_YAML_LIMITS, MAX_YAML_DEPTH, parseYamlLimitFlags, YAML_LIMIT_OPTIONS, yamlLimitsHelp, type YamlLimits } from "./load/limits.js";
export { validateRegistry } from "./validate/validate.js";
export { resolveRegistry, type ResolveOptions } from "./resolve/resolve.js";
export { emitRegistry, EMITTERS, type Emitter } from "./emit/emit.js";
export type { GeneratedFile } from "./emit/code.js";
export { printFiles, banner, type BannerInfo } from "./write/print.js";
export type { Language } from "./write/printer.js";
export type { WriteResult } from "./write/write.js";
export { flattenRegistry, patternText, type FlatKey, type KeyPart } from "./model/flatten.js";
export { formatDiagnostic, sortDiagnostics, type Diagnostic, type Severity, type SourceLocation } from "./model/diagnostics.js";
export { DIAGNOSTICS, type DiagnosticId } from "./model/diagnostic-ids.js";
export type * from "./model/resolved.js";
export type { AttributeAnnotations, AttributeGroupAnnotations, ObjectAnnotations, Redaction, SpanAnnotations } from "./model/annotations.js";
export { compareRegistries, builderFields, typeText } from "./compare/compare.js";
export { largestBump, sortChanges, packageBump, breaksStability, type Bump, type ChangeKind, type ChangeSubject, type RegistryChange } from "./compare/changes.js";
export { renderText as renderChangesText, renderMarkdown as renderChangesMarkdown, renderJson as renderChangesJson, renderChangeset, compatibilityDiagnostics, type ComparedRegistries, type ChangesetPackage } from "./compare/render.js";
export { NAMING_PRESETS, isNamingPreset } from "./naming/presets.js";
