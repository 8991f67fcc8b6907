/**
 * A registry with everything its manifest's `dependencies` name, loaded recursively: each dependency is located
 * (locate.ts), loaded like any registry, and attached to its dependent as a `RawDependency`; then each registry's
 * `imports:` take the dependency groups they name. Cycles, one source named twice, and too deep a chain are
 * reported rather than followed.
 */
import { realpath } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "../../model/diagnostics.js";
import { indexRegistry } from "../../model/raw-index.js";
import type { RawDependency, RawRegistry } from "../../model/raw.js";
import { loadRegistry, type LoadResult } from "../load-registry.js";
import type { YamlLimits } from "../limits.js";
import { schemaUrlParts } from "../manifest.js";
import { defaultCacheDir } from "./cache.js";
import { applyImports } from "./imports.js";
import { fetchLimits, type ArchiveUnpacker, type FetchLimits } from "./limits.js";
import { locateDependency, type LocateOptions } from "./locate.js";
import { overridesFromEnv } from "./overrides.js";

export interface DependencyOptions {
  /**
   * `--dependency <key>=<dir>`: key is a dependency's name, schema URL or `registry_path` as written; the first entry
   * that names a dependency wins. Given, it replaces `SEMTRACE_DEPENDENCIES` (the flags' parser puts those after the
   * flags' own).
   */
  readonly overrides?: ReadonlyMap<string, string>;
  /** `--offline`: read fetched dependencies from the cache only. */
  readonly offline?: boolean;
  /** `--registry-cache <dir>` (default: `defaultCacheDir()`). */
  readonly cacheDir?: string;
  readonly fetchLimits?: Partial<FetchLimits>;
  /** How an archive dependency not yet in the cache is unpacked (@semtrace/codegen's `unpackArchive`). */
  readonly unpackArchive?: ArchiveUnpacker;
}

/** Registries one dependency chain may pass through. */
const MAX_DEPTH = 16;

/**
 * Where a root registry that is not a folder on disk comes from (a spec directory at a git revision): `load` reads
 * it; its manifest's local dependencies are read relative to `dir`.
 */
export interface RootSource {
  readonly dir: string;
  load(): Promise<LoadResult>;
}

/**
 * The registry `root` (relative to `cwd`, or read by `from`) with its dependencies, each loaded within `limits` and
 * located as `options` say (overrides, offline, cache; the environment's settings when not given).
 */
export async function loadWithDependencies(
  root: string,
  cwd: string | undefined,
  limits: Partial<YamlLimits> | undefined,
  options: DependencyOptions = {},
  from?: RootSource,
): Promise<LoadResult> {
  const base = cwd ?? process.cwd();
  const locate: LocateOptions = {
    overrides: options.overrides ?? overridesFromEnv(process.env["SEMTRACE_DEPENDENCIES"]),
    offline: options.offline ?? process.env["SEMTRACE_OFFLINE"] === "1",
    cacheDir: options.cacheDir ?? defaultCacheDir(),
    limits: fetchLimits(options.fetchLimits),
    cwd: base,
    ...(options.unpackArchive ? { unpack: options.unpackArchive } : {}),
  };
  const diagnostics: Diagnostic[] = [];
  const loaded = new Map<string, RawRegistry>();
  // Registries some of whose dependencies failed: their unmatched imports are not worth a word.
  const incomplete = new Set<RawRegistry>();
  const load = async (display: string, dir: string, chain: readonly string[]): Promise<RawRegistry> => {
    const own = from && chain.length === 1 ? await from.load() : await loadRegistry(display, base, limits);
    for (const d of own.diagnostics) diagnostics.push(d);
    const specs = own.registry.manifest?.dependencies ?? [];
    if (specs.length === 0) return own.registry;
    let complete = true;
    const dependencies: RawDependency[] = [];
    const seen = new Set<string>();
    for (const spec of specs) {
      const at = spec.location;
      const report = (id: Diagnostic["id"], message: string) =>
        diagnostics.push({ id, severity: "error", message, location: at });
      const located = await locateDependency(spec, dir, locate);
      if ("problem" in located) {
        complete = false;
        report(located.id, `dependency ${spec.name ?? spec.schemaUrl ?? ""}: ${located.problem}`);
        continue;
      }
      const real = await realpath(located.dir).catch(() => located.dir);
      if (chain.includes(real)) {
        report(
          "dependency.cycle",
          `dependency ${spec.name ?? spec.schemaUrl ?? located.source} leads back to a registry that depends on it (${located.source})`,
        );
        continue;
      }
      if (seen.has(real)) {
        report("dependency.conflict", `the registry at ${located.source} is named twice in \`dependencies\``);
        continue;
      }
      seen.add(real);
      if (chain.length >= MAX_DEPTH) {
        report("dependency.cycle", `dependency chain deeper than ${MAX_DEPTH} registries`);
        continue;
      }
      const depDisplay = path.relative(base, located.dir) || ".";
      const registry =
        loaded.get(real) ??
        (await load(depDisplay.startsWith("..") ? located.dir : depDisplay, located.dir, [...chain, real]));
      loaded.set(real, registry);
      const schemaUrl = registry.manifest?.schemaUrl ?? spec.schemaUrl;
      const name =
        registry.manifest?.name ??
        spec.name ??
        (schemaUrl === undefined ? undefined : schemaUrlParts(schemaUrl)?.name) ??
        path.basename(located.dir);
      dependencies.push({ name, ...(schemaUrl === undefined ? {} : { schemaUrl }), registry });
    }
    const registry = { ...own.registry, dependencies };
    if (!complete || dependencies.length !== specs.length) incomplete.add(registry);
    return registry;
  };
  const dir = from?.dir ?? path.resolve(base, root);
  const registry = await load(root, dir, [await realpath(dir).catch(() => dir)]);
  const settled = settleVersions(registry, diagnostics, incomplete);
  return { registry: importAll(settled, diagnostics, incomplete, new Map()), diagnostics };
}

/** Imports applied dependencies first, so a registry can import what a dependency imported (a re-export). */
function importAll(
  registry: RawRegistry,
  diagnostics: Diagnostic[],
  incomplete: ReadonlySet<RawRegistry>,
  memo: Map<RawRegistry, RawRegistry>,
): RawRegistry {
  const done = memo.get(registry);
  if (done) return done;
  const dependencies = registry.dependencies?.map((d) => ({
    ...d,
    registry: importAll(d.registry, diagnostics, incomplete, memo),
  }));
  const withDeps = dependencies ? { ...registry, dependencies } : registry;
  const out = withImports(withDeps, dependencies ?? [], diagnostics, !incomplete.has(registry));
  memo.set(registry, out);
  return out;
}

/** `1.2.3` / `v1.2.3` → [1, 2, 3]; anything else (`v1`, `unknown`) is not a version semver can compare. */
function semver(version: string | undefined): readonly [number, number, number] | undefined {
  const m = version === undefined ? null : /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * One registry per name across the whole graph, as Weaver resolves it: when two paths reach the same registry
 * name at different versions of one major version, the latest serves every dependent; different major versions,
 * versions that are not semver, or two unversioned registries of one name are a `dependency.conflict`.
 */
function settleVersions(root: RawRegistry, diagnostics: Diagnostic[], incomplete: Set<RawRegistry>): RawRegistry {
  const found = new Map<string, { version?: string; registry: RawRegistry; dependent: RawRegistry }[]>();
  const visit = (registry: RawRegistry, seen: Set<RawRegistry>) => {
    if (seen.has(registry)) return;
    seen.add(registry);
    for (const dep of registry.dependencies ?? []) {
      const version = dep.schemaUrl === undefined ? undefined : schemaUrlParts(dep.schemaUrl)?.version;
      const list = found.get(dep.name) ?? [];
      if (!list.some((x) => x.registry === dep.registry))
        list.push({ ...(version === undefined ? {} : { version }), registry: dep.registry, dependent: registry });
      found.set(dep.name, list);
      visit(dep.registry, seen);
    }
  };
  visit(root, new Set());
  const winners = new Map<string, RawRegistry>();
  for (const [name, list] of found) {
    if (list.length < 2) continue;
    const at = list[1]!.dependent.manifest?.location ?? { file: root.root, line: 1, col: 1 };
    const versions = list.map((x) => ({ ...x, parsed: semver(x.version) }));
    if (versions.some((v) => v.parsed === undefined)) {
      diagnostics.push({
        id: "dependency.conflict",
        severity: "error",
        message: `registry \`${name}\` is reached as ${versions.map((v) => v.version ?? "an unversioned registry").join(" and ")} (from ${list.map((x) => x.registry.root).join(", ")}): versions must be semver to pick one`,
        location: at,
      });
      continue;
    }
    const majors = new Set(versions.map((v) => v.parsed![0]));
    if (majors.size > 1) {
      diagnostics.push({
        id: "dependency.conflict",
        severity: "error",
        message: `registry \`${name}\` is needed at incompatible versions ${versions.map((v) => v.version).join(" and ")}: different major versions cannot both be resolved`,
        location: at,
      });
      continue;
    }
    winners.set(name, versions.reduce((a, b) => (compareVersions(b.parsed!, a.parsed!) > 0 ? b : a)).registry);
  }
  if (winners.size === 0) return root;
  const memo = new Map<RawRegistry, RawRegistry>();
  const substitute = (registry: RawRegistry): RawRegistry => {
    const done = memo.get(registry);
    if (done) return done;
    const out: RawRegistry = { ...registry };
    memo.set(registry, out);
    if (incomplete.has(registry)) incomplete.add(out);
    if (registry.dependencies) {
      (out as { dependencies?: RawDependency[] }).dependencies = registry.dependencies.map((d) => ({
        ...d,
        registry: substitute(winners.get(d.name) ?? d.registry),
      }));
    }
    return out;
  };
  return substitute(root);
}

/**
 * The registry with the dependency groups its `imports:` name added to its own groups. Unmatched patterns are
 * reported only when every dependency loaded (a missing one already has its error).
 */
function withImports(
  registry: RawRegistry,
  dependencies: readonly RawDependency[],
  diagnostics: Diagnostic[],
  complete: boolean,
): RawRegistry {
  if (!registry.imports || registry.imports.length === 0) return registry;
  const index = indexRegistry({ ...registry, dependencies });
  const { groups, diagnostics: found } = applyImports(registry.imports, index.externalGroups.values());
  if (complete) for (const d of found) diagnostics.push(d);
  return { ...registry, groups: [...registry.groups, ...groups.filter((g) => !index.groups.has(g.id))] };
}
