/**
 * `semtrace diff --changeset`: the `.changeset/*.md` for a registry's changes. The package is the registry's
 * (manifest `codegen.package`); its current version, which decides the 0.x rule, is read from the workspace
 * that publishes it (the root package.json's `workspaces`), else the registry's own version is taken.
 */
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { largestBump, packageBump, renderChangeset, type Registry, type RegistryChange } from "@semtrace/spec";

export interface ChangesetTarget {
  readonly cwd: string;
  /** Where to write (default: `.changeset` at the git repository's root, else in `cwd`). */
  readonly dir?: string | undefined;
}

export type ChangesetResult =
  | { readonly path?: string; readonly bumps: readonly string[] }
  | { readonly error: string };

export async function writeChangeset(
  changes: readonly RegistryChange[],
  registry: Registry,
  target: ChangesetTarget,
): Promise<ChangesetResult> {
  const bump = largestBump(changes);
  if (bump === undefined) return { bumps: [] };
  const name = registry.packageName;
  if (!name)
    return {
      error: `the registry ${registry.name} names no package (manifest codegen.package), so --changeset cannot say which package to bump`,
    };
  const root = await repositoryRoot(target.cwd);
  const version = (await workspaceVersion(root, name)) ?? registry.version;
  const text = renderChangeset(changes, [{ name, version }], registry.name)!;
  const dir = target.dir !== undefined ? path.resolve(target.cwd, target.dir) : path.join(root, ".changeset");
  await mkdir(dir, { recursive: true });
  // Named by the registry and the content: writing the same changes twice leaves one file.
  const file = path.join(
    dir,
    `${registry.name}-registry-${createHash("sha256").update(text).digest("hex").slice(0, 8)}.md`,
  );
  await writeFile(file, text);
  return {
    path: path.relative(target.cwd, file) || file,
    bumps: [`${name}: ${packageBump(bump, version)} (${version})`],
  };
}

function repositoryRoot(cwd: string): Promise<string> {
  return new Promise((resolve) => {
    execFile("git", ["rev-parse", "--show-toplevel"], { cwd, encoding: "utf8" }, (error, stdout) =>
      resolve(error ? cwd : stdout.trim()),
    );
  });
}

/** The version of the workspace package called `name` under `root`, if the root's package.json lists it. */
export async function workspaceVersion(root: string, name: string): Promise<string | undefined> {
  const rootManifest = path.join(root, "package.json");
  if (!existsSync(rootManifest)) return undefined;
  let workspaces: unknown;
  try {
    workspaces = (JSON.parse(await readFile(rootManifest, "utf8")) as { workspaces?: unknown }).workspaces;
  } catch {
    return undefined;
  }
  const patterns = Array.isArray(workspaces) ? workspaces.filter((w): w is string => typeof w === "string") : [];
  for (const pattern of patterns) {
    const dirs = pattern.endsWith("/*")
      ? await children(path.join(root, pattern.slice(0, -2)))
      : [path.join(root, pattern)];
    for (const dir of dirs) {
      try {
        const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as {
          name?: string;
          version?: string;
        };
        if (pkg.name === name && typeof pkg.version === "string") return pkg.version;
      } catch {
        // Not a package folder.
      }
    }
  }
  return undefined;
}

async function children(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}
