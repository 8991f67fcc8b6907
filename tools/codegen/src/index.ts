/**
 * @semtrace/codegen: semantic-conventions YAML → typed TypeScript.
 *
 * The pipeline, stage by stage: load → validate → resolve (in @semtrace/spec, which needs no TypeScript and no
 * generator) → emit → print → write, with `generate` / `buildRegistry` running all of it. What it exports is the
 * pipeline, the resolved model (what emitters read, re-exported from @semtrace/spec) and the diagnostics; the
 * loaded YAML's shapes and the code model emitters print stay internal.
 */
export { runGenerateCommand, GENERATE_HELP, type CommandIO } from "./cli/generate-command.js";
export { runMigrateCommand, MIGRATE_HELP, type MigrateIO } from "./migrate/command.js";
export {
  generate,
  buildRegistry,
  buildFromFiles,
  buildFromRaw,
  type BuildOptions,
  type BuildResult,
  type GenerateOptions,
  type GenerateResult,
} from "./pipeline.js";
/** Reading a registry (load → validate → resolve), its resolved model and the diagnostics: all of @semtrace/spec. */
export * from "@semtrace/spec";
export { emitRegistry, EMITTERS, type Emitter } from "./emit/emit.js";
/** Unpacks a registry archive within caps: what `readSpec(dir, { dependencies: { unpackArchive } })` takes. */
export { unpackArchive } from "./unpack/extract.js";
export type { GeneratedFile, Language } from "@semtrace/spec/internal";
export { printFiles, banner, type BannerInfo } from "./write/print.js";
export type { WriteResult } from "./write/write.js";
export {
  buildMapping,
  buildMappingFromText,
  generateMapping,
  type MappingBuild,
  type MappingOptions,
  type GenerateMappingResult,
} from "./mapping/build.js";
