/**
 * The whole generator as one pure-ish pipeline: load → validate → resolve (@semtrace/spec's `readSpec`) →
 * emit → print, then write or check. Each stage is its own folder; this file only wires them.
 */
import { hasErrors, loadRegistryFromFiles, loadWithDependencies, resolveLoaded, type Diagnostic, type RawRegistry, type ReadSpecOptions, type Registry } from "@semtrace/spec/internal";
import { emitRegistry, type Emitter } from "./emit/emit.js";
import { printFiles } from "./write/print.js";
import { compareOutput, writeOutput, type WriteResult } from "./write/write.js";

export interface BuildOptions extends ReadSpecOptions {
  /** The command printed in the banner of every generated file. */
  readonly command?: string;
  readonly emitters?: readonly Emitter[];
}

export interface BuildResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly registry?: Registry;
  /** Relative path → file text; empty when the spec has errors. */
  readonly files: ReadonlyMap<string, string>;
}

/** Validate, resolve, emit and print an already-loaded registry. */
export function buildFromRaw(raw: RawRegistry, loadDiagnostics: readonly Diagnostic[], options: BuildOptions = {}): BuildResult {
  const { diagnostics, registry } = resolveLoaded(raw, loadDiagnostics, options);
  if (!registry) return { diagnostics, files: new Map() };
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
