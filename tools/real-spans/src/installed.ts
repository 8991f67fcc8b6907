/** The installed copy of a package as Node resolves it from a given place: its folder and package.json. */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The fields of a package.json this workspace reads. */
export interface PackageManifest {
  readonly name?: string;
  readonly version: string;
  readonly engines?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

export interface InstalledPackage {
  /** The name it was resolved by (an npm alias's folder name, for an alias). */
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly json: PackageManifest;
}

/**
 * `name` as `require` resolves it from `from` (a file URL or path, or a folder path ending in `/`; default: this
 * workspace). Walks up from the resolved entry point to the package.json of that name, since many packages do not
 * export `./package.json`.
 */
export function installedPackage(name: string, from: string = import.meta.url): InstalledPackage {
  const requireFrom = createRequire(from);
  let dir = dirname(requireFrom.resolve(name));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, "utf8")) as PackageManifest;
      if (json.name === name || isAliasFolder(dir, name)) return { name, version: json.version, dir, json };
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`installedPackage: no package.json of ${name} above ${requireFrom.resolve(name)}`);
    dir = parent;
  }
}

/** An npm alias (`"x": "npm:y@1"`) is installed in node_modules/x but its package.json says `"name": "y"`. */
function isAliasFolder(dir: string, name: string): boolean {
  return dir.endsWith(join("node_modules", name));
}
