/**
 * A spec directory → its diagnostics and, when it has no errors, the resolved registry: load → validate →
 * resolve. What every consumer of a registry runs first (the generator before it emits, `semtrace validate
 * --registry <dir>` before it prints validators); this file only wires the stages.
 */
import path from "node:path";
import { loadWithDependencies, type DependencyOptions } from "./load/dependencies/load-dependencies.js";
import type { YamlLimits } from "./load/limits.js";
import { loadRegistryFromFiles } from "./load/load-registry.js";
import { MANIFEST_FILES } from "./load/manifest.js";
import { NEEDS_EVERY_FILE } from "./model/diagnostic-ids.js";
import { formatLocation, hasErrors, sortDiagnostics, type Diagnostic } from "./model/diagnostics.js";
import type { RawRegistry } from "./model/raw.js";
import type { NamingPreset, Registry } from "./model/resolved.js";
import { fallbackRegistryName } from "./naming/exports.js";
import { isNamingPreset } from "./naming/presets.js";
import { resolveRegistry } from "./resolve/resolve.js";
import { validateRegistry } from "./validate/validate.js";

export interface ReadSpecOptions {
  /** Overrides the manifest's `codegen.naming` (needed for registries without a manifest, e.g. upstream OTel). */
  readonly naming?: NamingPreset;
  /** Directory a relative spec path is read from (default: the process's working directory). */
  readonly cwd?: string;
  /** Caps on what each spec file may cost to load (default: `DEFAULT_YAML_LIMITS`). */
  readonly limits?: Partial<YamlLimits>;
  /** How the manifest's `dependencies` are found and fetched (overrides, offline, cache, caps). */
  readonly dependencies?: DependencyOptions;
}

export interface SpecResult {
  /** Load and validation diagnostics, sorted by place. */
  readonly diagnostics: readonly Diagnostic[];
  /** The resolved registry; absent when a diagnostic is an error. */
  readonly registry?: Registry;
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
const DEPENDENCY_CHECKS = (id: string) =>
  /^(ref|ref-group|extends|type|enum)\.|^(attribute\.duplicate-key|group\.duplicate-id|deprecated\.reason)$/.test(id);

function validateDependencies(raw: RawRegistry, seen = new Set<RawRegistry>()): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { registry } of raw.dependencies ?? []) {
    if (seen.has(registry)) continue;
    seen.add(registry);
    for (const d of validateRegistry(registry, "otel"))
      if (d.severity === "error" && DEPENDENCY_CHECKS(d.id)) out.push(d);
    for (const d of validateDependencies(registry, seen)) out.push(d);
  }
  return out;
}

/** Validate and resolve an already-loaded registry. */
export function resolveLoaded(
  raw: RawRegistry,
  loadDiagnostics: readonly Diagnostic[],
  options: Pick<ReadSpecOptions, "naming"> = {},
): SpecResult {
  const naming = namingFor(raw, options.naming);
  const diagnostics = sortDiagnostics([...loadDiagnostics, ...validateLoaded(raw, naming, loadDiagnostics)]);
  if (hasErrors(diagnostics)) return { diagnostics };
  return { diagnostics, registry: resolveRegistry(raw, { naming, fallbackName: fallbackRegistryName(raw.root) }) };
}

export async function readSpec(specDir: string, options: ReadSpecOptions = {}): Promise<SpecResult> {
  const { registry, diagnostics } = await loadWithDependencies(
    specDir,
    options.cwd,
    options.limits,
    options.dependencies,
  );
  return resolveLoaded(registry, diagnostics, options);
}

/** For tests and tools: read in-memory files (relative path → YAML text). */
export function readSpecFiles(
  root: string,
  files: ReadonlyMap<string, string>,
  options: Omit<ReadSpecOptions, "cwd"> = {},
): SpecResult {
  const { registry, diagnostics } = loadRegistryFromFiles(root, files, options.limits);
  return resolveLoaded(registry, diagnostics, options);
}
