/** Load stage: a spec directory → one raw registry plus every load problem found on the way. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "../model/diagnostics.js";
import type { RawAttributeDefinition, RawFile, RawGroup, RawManifest, RawRegistry } from "../model/raw.js";
import { MANIFEST_FILE, readManifest } from "./manifest.js";
import { readSpecFile } from "./read-file.js";

export interface LoadResult {
  readonly registry: RawRegistry;
  readonly diagnostics: Diagnostic[];
}

/** In-memory spec: relative path → text. Used by tests and by the file-system loader below. */
export function loadRegistryFromFiles(root: string, files: ReadonlyMap<string, string>): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const groups: RawGroup[] = [];
  const attributes: RawAttributeDefinition[] = [];
  const rawFiles: RawFile[] = [];
  let manifest: RawManifest | undefined;
  const names = [...files.keys()].sort();
  for (const rel of names) {
    const text = files.get(rel)!;
    const display = displayPath(root, rel);
    if (rel === MANIFEST_FILE) {
      const m = readManifest(display, text);
      manifest = m.manifest;
      diagnostics.push(...m.diagnostics);
      continue;
    }
    const contents = readSpecFile(display, text);
    rawFiles.push({ path: rel, syntax: contents.syntax });
    groups.push(...contents.groups);
    attributes.push(...contents.attributes);
    diagnostics.push(...contents.diagnostics);
  }
  return {
    registry: { root, files: rawFiles, groups, attributes, ...(manifest ? { manifest } : {}) },
    diagnostics,
  };
}

/** `root` is shown in diagnostics as given; a relative `root` is read from `cwd` (default: the process's). */
export async function loadRegistry(root: string, cwd?: string): Promise<LoadResult> {
  const dir = cwd === undefined ? root : path.resolve(cwd, root);
  const files = new Map<string, string>();
  let entries: string[];
  try {
    entries = await listYamlFiles(dir);
  } catch (error) {
    return {
      registry: { root, files: [], groups: [], attributes: [] },
      diagnostics: [
        {
          id: "spec.unreadable",
          severity: "error",
          message: `cannot read the spec directory: ${(error as Error).message}`,
          location: { file: root, line: 1, col: 1 },
        },
      ],
    };
  }
  await Promise.all(
    entries.map(async (rel) => {
      files.set(rel, await readFile(path.join(dir, rel), "utf8"));
    }),
  );
  if (files.size === 0) {
    return {
      registry: { root, files: [], groups: [], attributes: [] },
      diagnostics: [
        { id: "spec.empty", severity: "error", message: "no .yaml or .yml files found: expected a semantic-conventions registry directory", location: { file: root, line: 1, col: 1 } },
      ],
    };
  }
  return loadRegistryFromFiles(root, files);
}

/** Every .yaml/.yml below root, as sorted POSIX-style relative paths (stable across platforms). */
async function listYamlFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (/\.ya?ml$/.test(entry.name)) out.push(path.relative(root, full).split(path.sep).join("/"));
    }
  };
  await walk(root);
  return out.sort();
}

function displayPath(root: string, rel: string): string {
  return root === "" ? rel : `${root.replace(/\/+$/, "")}/${rel}`;
}
