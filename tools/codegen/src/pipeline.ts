/**
 * The whole generator as one pure-ish pipeline: load → validate → resolve → emit → print, then
 * write or check. Each stage is its own folder; this file only wires them.
 */
import path from "node:path";
import { emitRegistry, type Emitter } from "./emit/emit.js";
import type { YamlLimits } from "./load/limits.js";
import { loadWithDependencies, type DependencyOptions } from "./load/dependencies/load-dependencies.js";
import { loadRegistryFromFiles } from "./load/load-registry.js";
import { NEEDS_EVERY_FILE } from "./model/diagnostic-ids.js";
import { formatLocation, hasErrors, sortDiagnostics, type Diagnostic } from "./model/diagnostics.js";
import { MANIFEST_FILES } from "./load/manifest.js";
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
  /** How the manifest's `dependencies` are found and fetched (overrides, offline, cache, caps). */
  readonly dependencies?: DependencyOptions;
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
  if (!hasErrors(loadDiagnostics)) {
    const own = validateRegistry(raw, naming);
    // An imported group is checked both as the dependent's and in its own registry: one report of each place.
    const at = (d: Diagnostic) => `${d.id} ${formatLocation(d.location)}`;
    const seen = new Set(own.map(at));
    return [...own, ...validateDependencies(raw).filter((d) => !seen.has(at(d)))];
  }
  const broken = new Set(loadDiagnostics.filter((d) => d.severity === "error").map((d) => d.location.file));
  if ([...broken].some((file) => MANIFEST_FILES.includes(path.basename(file)))) return [];
  return validateRegistry(raw, naming).filter((d) => !broken.has(d.location.file) && !NEEDS_EVERY_FILE.has(d.id));
}

/**
 * What makes a dependency unusable, as Weaver rejects it: references that lead nowhere, duplicates, cycles, types.
 * Naming and code-generation rules are the dependency's own package's business, so they are not checked here.
 */
const DEPENDENCY_CHECKS = (id: string) => /^(ref|ref-group|extends|type|enum)\.|^(attribute\.duplicate-key|group\.duplicate-id|deprecated\.reason)$/.test(id);

function validateDependencies(raw: RawRegistry, seen = new Set<RawRegistry>()): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { registry } of raw.dependencies ?? []) {
    if (seen.has(registry)) continue;
    seen.add(registry);
    for (const d of validateRegistry(registry, "otel")) if (d.severity === "error" && DEPENDENCY_CHECKS(d.id)) out.push(d);
    for (const d of validateDependencies(registry, seen)) out.push(d);
  }
  return out;
}

/** Validate, resolve, emit and print an already-loaded registry. */
export function buildFromRaw(raw: RawRegistry, loadDiagnostics: readonly Diagnostic[], options: BuildOptions = {}): BuildResult {
  const naming = namingFor(raw, options.naming);
  const diagnostics = sortDiagnostics([...loadDiagnostics, ...validateLoaded(raw, naming, loadDiagnostics)]);
  if (hasErrors(diagnostics)) return { diagnostics, files: new Map() };
  const registry = resolveRegistry(raw, { naming, fallbackName: fallbackRegistryName(raw.root) });
  const files = printFiles(emitRegistry(registry, options.emitters), {
    registry: registry.name,
    command: options.command ?? `semtrace generate --spec ${raw.root}`,
  });
  return { diagnostics, registry, files };
}

export async function buildRegistry(specDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  const { registry, diagnostics } = await loadWithDependencies(specDir, options.cwd, options.limits, options.dependencies);
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
