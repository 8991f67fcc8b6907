/**
 * The whole generator as one pure-ish pipeline: load → validate → resolve → emit → print, then
 * write or check. Each stage is its own folder; this file only wires them.
 */
import path from "node:path";
import { emitRegistry, type Emitter } from "./emit/emit.js";
import type { YamlLimits } from "./load/limits.js";
import { loadRegistry, loadRegistryFromFiles } from "./load/load-registry.js";
import { NEEDS_EVERY_FILE } from "./model/diagnostic-ids.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./model/diagnostics.js";
import { MANIFEST_FILE } from "./load/manifest.js";
import type { RawRegistry } from "./model/raw.js";
import type { NamingPreset, Registry } from "./model/resolved.js";
import { fallbackRegistryName } from "./naming/exports.js";
import { isNamingPreset } from "./naming/presets.js";
import { resolveRegistry } from "./resolve/resolve.js";
import { validateRegistry } from "./validate/validate.js";
import { printFiles } from "./write/print.js";
import { compareOutput, writeOutput, type WriteResult } from "./write/write.js";

export interface BuildOptions {
  /** Overrides the manifest's `codegen.naming` (needed for registries without a manifest, e.g. upstream OTel). */
  readonly naming?: NamingPreset;
  /** The command printed in the banner of every generated file. */
  readonly command?: string;
  readonly emitters?: readonly Emitter[];
  /** Directory a relative spec path is read from (default: the process's working directory). */
  readonly cwd?: string;
  /** Caps on what each spec file may cost to load (default: `DEFAULT_YAML_LIMITS`). */
  readonly limits?: Partial<YamlLimits>;
}

export interface BuildResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly registry?: Registry;
  /** Relative path → file text; empty when the spec has errors. */
  readonly files: ReadonlyMap<string, string>;
}

export function namingFor(raw: RawRegistry, override?: NamingPreset): NamingPreset {
  const fromManifest = raw.manifest?.codegen?.naming;
  return override ?? (fromManifest !== undefined && isNamingPreset(fromManifest) ? fromManifest : "otel");
}

/**
 * The validation diagnostics worth showing next to the load errors. Without load errors, all of them. With some,
 * the files that loaded cleanly are still validated, so one run shows every problem it can: diagnostics in the
 * broken files (about half-read content) and those of rules that need every file are left out. A broken
 * manifest changes naming and enum settings everywhere, so then nothing is validated.
 */
function validateLoaded(raw: RawRegistry, naming: NamingPreset, loadDiagnostics: readonly Diagnostic[]): Diagnostic[] {
  if (!hasErrors(loadDiagnostics)) return validateRegistry(raw, naming);
  const broken = new Set(loadDiagnostics.filter((d) => d.severity === "error").map((d) => d.location.file));
  if ([...broken].some((file) => path.basename(file) === MANIFEST_FILE)) return [];
  return validateRegistry(raw, naming).filter((d) => !broken.has(d.location.file) && !NEEDS_EVERY_FILE.has(d.id));
}

export interface ResolveResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Absent when the spec has errors. */
  readonly registry?: Registry;
}

/** Validate and resolve an already-loaded registry, writing nothing (`semtrace check`, `semtrace diff`). */
export function resolveFromRaw(raw: RawRegistry, loadDiagnostics: readonly Diagnostic[], options: Pick<BuildOptions, "naming"> = {}): ResolveResult {
  const naming = namingFor(raw, options.naming);
  const diagnostics = sortDiagnostics([...loadDiagnostics, ...validateLoaded(raw, naming, loadDiagnostics)]);
  if (hasErrors(diagnostics)) return { diagnostics };
  return { diagnostics, registry: resolveRegistry(raw, { naming, fallbackName: fallbackRegistryName(raw.root) }) };
}

/** Validate, resolve, emit and print an already-loaded registry. */
export function buildFromRaw(raw: RawRegistry, loadDiagnostics: readonly Diagnostic[], options: BuildOptions = {}): BuildResult {
  const { diagnostics, registry } = resolveFromRaw(raw, loadDiagnostics, options);
  if (!registry) return { diagnostics, files: new Map() };
  const files = printFiles(emitRegistry(registry, options.emitters), {
    registry: registry.name,
    command: options.command ?? `semtrace generate --spec ${raw.root}`,
  });
  return { diagnostics, registry, files };
}

export async function buildRegistry(specDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  const { registry, diagnostics } = await loadRegistry(specDir, options.cwd, options.limits);
  return buildFromRaw(registry, diagnostics, options);
}

/** For tests and tools: build from in-memory files (relative path → YAML text). */
export function buildFromFiles(root: string, files: ReadonlyMap<string, string>, options: BuildOptions = {}): BuildResult {
  const { registry, diagnostics } = loadRegistryFromFiles(root, files, options.limits);
  return buildFromRaw(registry, diagnostics, options);
}

export interface GenerateOptions extends BuildOptions {
  readonly spec: string;
  readonly out: string;
  /** Compare only; write nothing. */
  readonly check?: boolean;
}

export interface GenerateResult extends BuildResult {
  readonly write?: WriteResult;
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const built = await buildRegistry(options.spec, options);
  if (hasErrors(built.diagnostics)) return built;
  const write = options.check ? await compareOutput(options.out, built.files) : await writeOutput(options.out, built.files);
  return { ...built, write };
}
