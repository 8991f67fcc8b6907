/** Load stage: a spec directory → one raw registry plus every load problem found on the way. */
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { DiagnosticId } from "../model/diagnostic-ids.js";
import { hasErrors, type Diagnostic, type Severity } from "../model/diagnostics.js";
import type { RawAttributeDefinition, RawFile, RawGroup, RawImports, RawManifest, RawRegistry } from "../model/raw.js";
import { decodeSpecBytes } from "./encoding.js";
import { yamlLimits, type YamlLimits } from "./limits.js";
import { LEGACY_MANIFEST_FILE, MANIFEST_FILE, readManifest } from "./manifest.js";
import { readSpecFile } from "./read-file.js";

export interface LoadResult {
  readonly registry: RawRegistry;
  readonly diagnostics: Diagnostic[];
}

/** Files read one at a time into one raw registry, so only one file's text and syntax tree are held at once. */
class RegistryCollector {
  readonly diagnostics: Diagnostic[] = [];
  private readonly groups: RawGroup[] = [];
  private readonly attributes: RawAttributeDefinition[] = [];
  private readonly files: RawFile[] = [];
  private readonly imports: RawImports[] = [];
  private manifest: RawManifest | undefined;
  /** Files read as a published registry's resolved schema (`file_format: resolved/2.0`). */
  private readonly resolvedFiles: string[] = [];

  constructor(
    readonly root: string,
    readonly limits: YamlLimits,
  ) {}

  display(rel: string): string {
    return this.root === "" ? rel : `${this.root.replace(/\/+$/, "")}/${rel}`;
  }

  /** A problem with the file (or, for `rel` "", the directory) as a whole, or at a line and column of it. */
  error(id: DiagnosticId, rel: string, message: string, line = 1, col = 1, severity: Severity = "error"): void {
    this.diagnostics.push({
      id,
      severity,
      message,
      location: { file: rel === "" ? this.root : this.display(rel), line, col },
    });
  }

  /** False (with a `yaml.too-large` error) when a file of `bytes` bytes is over the cap. */
  fits(rel: string, bytes: number): boolean {
    if (bytes <= this.limits.maxBytes) return true;
    this.error(
      "yaml.too-large",
      rel,
      `file of ${bytes} bytes, over the ${this.limits.maxBytes} bytes one spec file may have (--max-yaml-bytes)`,
    );
    return false;
  }

  add(rel: string, text: string): void {
    const display = this.display(rel);
    if (rel === LEGACY_MANIFEST_FILE && this.manifest !== undefined) {
      this.error(
        "manifest.legacy-name",
        rel,
        `${LEGACY_MANIFEST_FILE} is ignored: ${MANIFEST_FILE} is the registry's manifest`,
        1,
        1,
        "warning",
      );
      return;
    }
    if (rel === MANIFEST_FILE || rel === LEGACY_MANIFEST_FILE) {
      if (rel === LEGACY_MANIFEST_FILE)
        this.error(
          "manifest.legacy-name",
          rel,
          `read as the registry's manifest; ${MANIFEST_FILE} is the current name (Weaver reads both)`,
          1,
          1,
          "warning",
        );
      const m = readManifest(display, text, this.limits);
      this.manifest = m.manifest;
      append(this.diagnostics, m.diagnostics);
      return;
    }
    const contents = readSpecFile(display, text, this.limits);
    if (contents.resolved) this.resolvedFiles.push(rel);
    this.files.push({ path: rel, syntax: contents.syntax });
    append(this.groups, contents.groups);
    append(this.attributes, contents.attributes);
    if (contents.imports) this.imports.push(contents.imports);
    append(this.diagnostics, contents.diagnostics);
  }

  result(): LoadResult {
    const published = this.manifest?.published;
    if (published && !this.resolvedFiles.includes(published.resolvedFile)) {
      const found =
        this.resolvedFiles.length === 0
          ? "no resolved/2.0 file was found"
          : `the resolved schema read is ${this.resolvedFiles.join(", ")}`;
      this.diagnostics.push({
        id: "manifest.published",
        severity: "error",
        message: `the published registry's resolved schema \`${published.resolvedFile}\` is not among its files (${found})`,
        location: published.location,
      });
    }
    const registry: RawRegistry = {
      root: this.root,
      files: this.files,
      groups: this.groups,
      attributes: this.attributes,
      ...(this.manifest ? { manifest: this.manifest } : {}),
      ...(this.imports.length > 0 ? { imports: this.imports } : {}),
    };
    return { registry, diagnostics: this.diagnostics };
  }
}

/** `to.push(...from)` without passing `from` as arguments, which overflows the stack for long arrays. */
function append<T>(to: T[], from: readonly T[]): void {
  for (const item of from) to.push(item);
}

/** In-memory spec: relative path → text. Used by tests and tools; `limits` as for {@link loadRegistry}. */
export function loadRegistryFromFiles(
  root: string,
  files: ReadonlyMap<string, string>,
  limits?: Partial<YamlLimits>,
): LoadResult {
  const collector = new RegistryCollector(root, yamlLimits(limits));
  for (const rel of [...files.keys()].sort()) {
    const text = files.get(rel)!;
    if (collector.fits(rel, Buffer.byteLength(text))) collector.add(rel, text);
  }
  return collector.result();
}

/**
 * `root` is shown in diagnostics as given; a relative `root` is read from `cwd` (default: the process's).
 * Every `.yaml`/`.yml` file below it is read (symbolic links followed, loops not), each within `limits`.
 */
export async function loadRegistry(root: string, cwd?: string, limits?: Partial<YamlLimits>): Promise<LoadResult> {
  const dir = cwd === undefined ? root : path.resolve(cwd, root);
  const collector = new RegistryCollector(root, yamlLimits(limits));
  let entries: SpecFile[];
  try {
    entries = await listYamlFiles(dir, collector);
  } catch (error) {
    collector.error("spec.unreadable", "", `cannot read the spec directory: ${(error as Error).message}`);
    return collector.result();
  }
  if (entries.length === 0 && !hasErrors(collector.diagnostics)) {
    collector.error(
      "spec.empty",
      "",
      "no .yaml or .yml files found: expected a semantic-conventions registry directory",
    );
    return collector.result();
  }
  await readEntries(
    collector,
    entries.map(({ rel, full, size }) => ({ rel, size, read: () => readFile(full) })),
  );
  return collector.result();
}

/** A spec file known by its path and size before it is read (a file on disk, a blob at a git revision). */
export interface SpecEntry {
  /** POSIX-style path relative to the registry's root. */
  readonly rel: string;
  readonly size: number;
  read(): Promise<Buffer>;
}

/**
 * A registry from files listed elsewhere (e.g. a spec directory at a git revision), each held to `limits` as
 * {@link loadRegistry} holds files on disk: a file over the byte cap is never read.
 */
export async function loadRegistryFromEntries(
  root: string,
  entries: readonly SpecEntry[],
  limits?: Partial<YamlLimits>,
): Promise<LoadResult> {
  const collector = new RegistryCollector(root, yamlLimits(limits));
  const yaml = entries
    .filter((e) => YAML_NAME.test(e.rel))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  if (yaml.length === 0) {
    collector.error(
      "spec.empty",
      "",
      "no .yaml or .yml files found: expected a semantic-conventions registry directory",
    );
    return collector.result();
  }
  await readEntries(collector, yaml);
  return collector.result();
}

async function readEntries(collector: RegistryCollector, entries: readonly SpecEntry[]): Promise<void> {
  for (const { rel, size, read } of entries) {
    if (!collector.fits(rel, size)) continue;
    let bytes: Buffer;
    try {
      bytes = await read();
    } catch (error) {
      collector.error("spec.unreadable", rel, `cannot read the file: ${(error as Error).message}`);
      continue;
    }
    // Grown since it was listed: still held to the cap.
    if (!collector.fits(rel, bytes.length)) continue;
    const decoded = decodeSpecBytes(bytes);
    if ("problem" in decoded)
      collector.error("yaml.encoding", rel, decoded.problem.message, decoded.problem.line, decoded.problem.col);
    else collector.add(rel, decoded.text);
  }
}

interface SpecFile {
  /** POSIX-style path relative to the root (stable across platforms). */
  readonly rel: string;
  readonly full: string;
  readonly size: number;
}

const YAML_NAME = /\.ya?ml$/;

/**
 * Every .yaml/.yml file below `root`, sorted by relative path. Hidden entries are skipped; a directory that
 * cannot be read, a link that leads nowhere or back up the tree, or a spec name that is not a regular file is
 * reported to `collector` and the rest is still listed. Throws only when `root` itself cannot be read.
 */
async function listYamlFiles(root: string, collector: RegistryCollector): Promise<SpecFile[]> {
  const out: SpecFile[] = [];
  const walk = async (dir: string, rel: string, ancestors: ReadonlySet<string>): Promise<void> => {
    // In name order, so problems are found (and reported) in the same order on every file system.
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(full);
      } catch (error) {
        // A dangling link or a file gone meanwhile matters only if it would have been a spec file.
        if (YAML_NAME.test(entry.name))
          collector.error("spec.unreadable", childRel, `cannot read the file: ${(error as Error).message}`);
        continue;
      }
      if (info.isDirectory()) {
        const real = await realpath(full).catch(() => full);
        if (ancestors.has(real)) {
          collector.error(
            "spec.link-loop",
            childRel,
            `a link back to a directory that contains it (${path.relative(root, real) || "."}): not followed`,
            1,
            1,
            "warning",
          );
          continue;
        }
        try {
          await walk(full, childRel, new Set([...ancestors, real]));
        } catch (error) {
          collector.error("spec.unreadable", childRel, `cannot read the directory: ${(error as Error).message}`);
        }
      } else if (YAML_NAME.test(entry.name)) {
        if (info.isFile()) out.push({ rel: childRel, full, size: info.size });
        else collector.error("spec.unreadable", childRel, "not a regular file");
      }
    }
  };
  await walk(root, "", new Set([await realpath(root).catch(() => root)]));
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
