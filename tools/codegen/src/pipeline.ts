/**
 * The whole generator as one pure-ish pipeline: load → validate → resolve (@semtrace/spec's `readSpec`) →
 * emit → print, then write or check. Each stage is its own folder; this file only wires them.
 */
import path from "node:path";
import {
  hasErrors,
  loadRegistryFromFiles,
  loadWithDependencies,
  resolveLoaded,
  type Diagnostic,
  type RawRegistry,
  type ReadSpecOptions,
  type Registry,
} from "@semtrace/spec/internal";
import { emitRegistry, type Emitter } from "./emit/emit.js";
import { emitReference } from "./emit/reference/reference.js";
import { unpackArchive } from "./unpack/extract.js";
import { printFiles, printReference } from "./write/print.js";
import { compareOutput, writeOutput, type WriteResult } from "./write/write.js";

export interface BuildOptions extends ReadSpecOptions {
  /** The command printed in the banner of every generated file. */
  readonly command?: string;
  readonly emitters?: readonly Emitter[];
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

/** Validate, resolve, emit and print an already-loaded registry. */
export function buildFromRaw(
  raw: RawRegistry,
  loadDiagnostics: readonly Diagnostic[],
  options: BuildOptions = {},
): BuildResult {
  const { diagnostics, registry } = resolveLoaded(raw, loadDiagnostics, options);
  if (!registry) return { diagnostics, files: new Map() };
  const info = { registry: registry.name, command: options.command ?? `semtrace generate --spec ${raw.root}` };
  const files = printFiles(emitRegistry(registry, options.emitters), info);
  return {
    diagnostics,
    registry,
    files,
    ...(options.docs ? { docs: printReference(emitReference(registry), info) } : {}),
  };
}

export async function buildRegistry(specDir: string, options: BuildOptions = {}): Promise<BuildResult> {
  const { registry, diagnostics } = await loadWithDependencies(specDir, options.cwd, options.limits, {
    unpackArchive,
    ...options.dependencies,
  });
  return buildFromRaw(registry, diagnostics, options);
}

/** For tests and tools: build from in-memory files (relative path → YAML text). */
export function buildFromFiles(
  root: string,
  files: ReadonlyMap<string, string>,
  options: BuildOptions = {},
): BuildResult {
  const { registry, diagnostics } = loadRegistryFromFiles(root, files, options.limits);
  return buildFromRaw(registry, diagnostics, options);
}

export interface GenerateOptions extends Omit<BuildOptions, "docs"> {
  readonly spec: string;
  readonly out: string;
  /**
   * Directory of the reference docs (a folder of their own: stale pages there are removed). Without it, the
   * manifest's `codegen.docs` (relative to the spec folder) when it has one; otherwise no docs.
   */
  readonly docs?: string;
  /** Compare only; write nothing. */
  readonly check?: boolean;
}

export interface GenerateResult extends BuildResult {
  readonly write?: WriteResult;
  /** The reference docs' folder (absolute) and their write (or check), when docs were asked for. */
  readonly docsDir?: string;
  readonly docsWrite?: WriteResult;
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const { docs, ...build } = options;
  const cwd = options.cwd ?? process.cwd();
  const loaded = await loadWithDependencies(options.spec, options.cwd, options.limits, {
    unpackArchive,
    ...options.dependencies,
  });
  const fromManifest = loaded.registry.manifest?.codegen?.docs;
  // A manifest with errors (an invalid `codegen.docs` included) builds nothing, so its setting is never used.
  const docsDir =
    docs !== undefined
      ? path.resolve(cwd, docs)
      : fromManifest !== undefined
        ? path.resolve(cwd, options.spec, fromManifest)
        : undefined;
  const built = buildFromRaw(loaded.registry, loaded.diagnostics, { ...build, docs: docsDir !== undefined });
  if (hasErrors(built.diagnostics)) return built;
  if (docsDir !== undefined && docsDir === path.resolve(cwd, options.out)) {
    throw new Error(
      `the reference docs need a folder of their own, not the code's (${docs !== undefined ? "--docs" : "the manifest's codegen.docs"} is ${docsDir})`,
    );
  }
  const put = (dir: string, files: ReadonlyMap<string, string>) =>
    options.check ? compareOutput(dir, files) : writeOutput(dir, files);
  const write = await put(options.out, built.files);
  const docsWrite = docsDir !== undefined && built.docs ? await put(docsDir, built.docs) : undefined;
  return { ...built, write, ...(docsWrite ? { docsDir, docsWrite } : {}) };
}
