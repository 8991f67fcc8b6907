/**
 * Where a dependency's files are on this machine: an override (`--dependency <key>=<dir>` or
 * `SEMTRACE_DEPENDENCIES`), a local folder (relative to the folder of the manifest that names it), an installed
 * npm package (found from that folder as Node finds packages), or a fetched archive or git revision (from the
 * cache, fetched into it first unless offline).
 */
import { createRequire } from "node:module";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { RawDependencySpec } from "../../model/raw.js";
import { schemaUrlParts } from "../manifest.js";
import { cacheEntry, fillCache, isCached } from "./cache.js";
import { download } from "./download.js";
import { gitCheckout } from "./git.js";
import type { ArchiveUnpacker, FetchLimits } from "./limits.js";
import { formatRegistryPath, parseRegistryPath, type RegistryPath } from "./registry-path.js";

export interface LocateOptions {
  /** key → folder: the key is a dependency's name, its schema URL, or its `registry_path` as written; the first entry that names a dependency wins. */
  readonly overrides: ReadonlyMap<string, string>;
  /** Never fetch: a source not in the cache is an error. */
  readonly offline: boolean;
  readonly cacheDir: string;
  readonly limits: FetchLimits;
  /** Folder relative override paths are read from. */
  readonly cwd: string;
  /** How archives are unpacked; without one, an archive not in the cache cannot be used. */
  readonly unpack?: ArchiveUnpacker;
}

export type Located =
  | { readonly dir: string; readonly source: string }
  | {
      readonly problem: string;
      readonly id: "dependency.unresolved" | "dependency.invalid" | "dependency.too-large" | "dependency.unsafe-path";
    };

const OVERRIDE_HINT = "point it at a local folder with --dependency <name>=<dir> (or SEMTRACE_DEPENDENCIES)";

export function overrideKeys(spec: RawDependencySpec): string[] {
  const keys = [
    spec.name,
    spec.schemaUrl,
    spec.schemaUrl === undefined ? undefined : schemaUrlParts(spec.schemaUrl)?.name,
    spec.registryPath,
  ];
  return keys.filter((k): k is string => k !== undefined && k !== "");
}

export async function locateDependency(
  spec: RawDependencySpec,
  manifestDir: string,
  options: LocateOptions,
): Promise<Located> {
  // In the overrides' order, so flags given before the environment's entries win whichever key each uses.
  const keys = new Set(overrideKeys(spec));
  for (const [key, dir] of options.overrides)
    if (keys.has(key)) return folder(path.resolve(options.cwd, dir), `override ${key}=${dir}`);
  if (spec.registryPath === undefined) {
    return {
      id: "dependency.invalid",
      problem: `no \`registry_path\` (semtrace does not look registries up by schema URL): add one, or ${OVERRIDE_HINT}`,
    };
  }
  const where = parseRegistryPath(spec.registryPath);
  switch (where.kind) {
    case "folder":
      return folder(path.resolve(manifestDir, where.path), where.path);
    case "npm":
      return npmPackage(where, manifestDir);
    case "remote-file":
      return {
        id: "dependency.invalid",
        problem: `${where.url} is a single remote file; expected a folder, an archive (.zip, .tar.gz) or a git repository (…@<tag>[<folder>])`,
      };
    case "archive":
      if (!where.remote) {
        const file = path.resolve(manifestDir, where.source);
        const info = await stat(file).catch(() => undefined);
        if (!info?.isFile())
          return {
            id: "dependency.unresolved",
            problem: `${where.source}: no archive at ${file} (a local registry_path is read relative to the manifest's folder); ${OVERRIDE_HINT}`,
          };
        // Keyed by size and time too: a local archive rebuilt in place is unpacked again.
        return fetched(
          where,
          `archive:${file}:${info.size}:${info.mtimeMs}`,
          options,
          (dir) => unpacker(options)(file, where.format, where.source, dir, options.limits),
          false,
        );
      }
      return fetched(where, `archive:${where.source}`, options, async (dir, scratch) => {
        const unpack = unpacker(options);
        const file = path.join(scratch, `download.${where.format}`);
        await download(where.source, file, options.limits);
        await unpack(file, where.format, where.source, dir, options.limits);
      });
    case "git":
      return fetched(where, `git:${where.url}@${where.refspec ?? "HEAD"}`, options, (dir) =>
        gitCheckout(where.url, where.refspec, dir, options.limits),
      );
  }
}

/** The caller's unpacker; none means an uncached archive cannot be used (said before anything is downloaded). */
function unpacker(options: LocateOptions): ArchiveUnpacker {
  if (options.unpack) return options.unpack;
  throw new Error(
    "unpacking an archive needs @semtrace/codegen's unpackArchive (pass it as `dependencies.unpackArchive`)",
  );
}

async function folder(dir: string, written: string): Promise<Located> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    return {
      id: "dependency.unresolved",
      problem: `${written}: no folder at ${dir} (a local registry_path is read relative to the manifest's folder); ${OVERRIDE_HINT}`,
    };
  return { dir, source: written };
}

async function npmPackage(where: Extract<RegistryPath, { kind: "npm" }>, manifestDir: string): Promise<Located> {
  let root: string;
  try {
    root = path.dirname(createRequire(path.join(manifestDir, "noop.js")).resolve(`${where.packageName}/package.json`));
  } catch {
    return {
      id: "dependency.unresolved",
      problem: `npm package ${where.packageName} is not installed where ${manifestDir} can find it (npm install ${where.packageName}); or ${OVERRIDE_HINT}`,
    };
  }
  const dir = path.resolve(root, where.subPath);
  if (dir !== root && !dir.startsWith(root + path.sep))
    return { id: "dependency.invalid", problem: `${formatRegistryPath(where)} climbs out of the package` };
  return folder(dir, formatRegistryPath(where));
}

/** From the cache, filled by `fill` first when missing (over the network unless `network` is false: a local archive). */
async function fetched(
  where: Extract<RegistryPath, { kind: "archive" | "git" }>,
  source: string,
  options: LocateOptions,
  fill: (dir: string, scratch: string) => Promise<void>,
  network = true,
): Promise<Located> {
  const entry = cacheEntry(options.cacheDir, source);
  const written = formatRegistryPath(where);
  if (!(await isCached(entry))) {
    if (options.offline && network)
      return {
        id: "dependency.unresolved",
        problem: `${written} is not in the registry cache (${options.cacheDir}) and fetching is off (--offline); ${OVERRIDE_HINT}`,
      };
    try {
      await fillCache(entry, fill);
    } catch (error) {
      const id = (error as { id?: string }).id;
      if (id === "dependency.too-large" || id === "dependency.unsafe-path")
        return { id, problem: (error as Error).message };
      return { id: "dependency.unresolved", problem: `${(error as Error).message}; ${OVERRIDE_HINT}` };
    }
  }
  const dir = where.subFolder ? path.join(entry, where.subFolder) : entry;
  if (!dir.startsWith(entry))
    return { id: "dependency.invalid", problem: `${written}: the folder in brackets climbs out of the fetched tree` };
  const located = await folder(dir, written);
  return "dir" in located
    ? { dir, source: written }
    : { id: "dependency.unresolved", problem: `${written}: the fetched tree has no folder ${where.subFolder ?? ""}` };
}
