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
import { emitReference } from "./emit/reference/reference.js";
import { printFiles, printReference } from "./write/print.js";
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
  /** Also build the reference docs (Markdown pages and the search page) into `docs`. */
  readonly docs?: boolean;
}

export interface BuildResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly registry?: Registry;
  /** Relative path → file text; empty when the spec has errors. */
  readonly files: ReadonlyMap<string, string>;
  /** Relative path → page text of the reference docs, when asked for (`docs: true`). */
  readonly docs?: ReadonlyMap<string, string>;
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

/** Validate, resolve, emit and print an already-loaded registry. */
export function buildFromRaw(raw: RawRegistry, loadDiagnostics: readonly Diagnostic[], options: BuildOptions = {}): BuildResult {
  const naming = namingFor(raw, options.naming);
  const diagnostics = sortDiagnostics([...loadDiagnostics, ...validateLoaded(raw, naming, loadDiagnostics)]);
  if (hasErrors(diagnostics)) return { diagnostics, files: new Map() };
  const registry = resolveRegistry(raw, { naming, fallbackName: fallbackRegistryName(raw.root) });
  const info = { registry: registry.name, command: options.command ?? `semtrace generate --spec ${raw.root}` };
  const files = printFiles(emitRegistry(registry, options.emitters), info);
  return { diagnostics, registry, files, ...(options.docs ? { docs: printReference(emitReference(registry), info) } : {}) };
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

export interface GenerateOptions extends Omit<BuildOptions, "docs"> {
  readonly spec: string;
  readonly out: string;
  /** Directory of the reference docs (a folder of their own: stale pages there are removed); none when absent. */
  readonly docs?: string;
  /** Compare only; write nothing. */
  readonly check?: boolean;
}

export interface GenerateResult extends BuildResult {
  readonly write?: WriteResult;
  /** The reference docs' write (or check), when `docs` was given. */
  readonly docsWrite?: WriteResult;
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const { docs: docsDir, ...build } = options;
  const built = await buildRegistry(options.spec, { ...build, docs: docsDir !== undefined });
  if (hasErrors(built.diagnostics)) return built;
  const put = (dir: string, files: ReadonlyMap<string, string>) => (options.check ? compareOutput(dir, files) : writeOutput(dir, files));
  const write = await put(options.out, built.files);
  const docsWrite = docsDir !== undefined && built.docs ? await put(docsDir, built.docs) : undefined;
  return { ...built, write, ...(docsWrite ? { docsWrite } : {}) };
}
