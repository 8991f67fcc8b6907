/**
 * @semtrace/cli installed alone, as npm lays it out: a folder whose node_modules holds a copy of the built CLI
 * (package.json, bin, dist) and, linked, exactly the packages of its dependency closure (package.json
 * `dependencies`, transitively; optional peers such as @semtrace/codegen are not installed). Nothing above the
 * folder resolves a package, so what the CLI imports and does not depend on fails as it would for a user.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./tmp.js";

const cliDir = fileURLToPath(new URL("../..", import.meta.url));
const repoModules = fileURLToPath(new URL("../../../../node_modules", import.meta.url));

interface Manifest {
  readonly dependencies?: Record<string, string>;
}

/** The CLI's dependency closure: package name → its folder in the repository's node_modules (symlinks kept). */
export function dependencyClosure(): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (manifestDir: string) => {
    const { dependencies = {} } = JSON.parse(readFileSync(join(manifestDir, "package.json"), "utf8")) as Manifest;
    for (const name of Object.keys(dependencies)) {
      if (found.has(name)) continue;
      // Workspaces and hoisted packages sit in the root node_modules; a nested copy would sit under the dependent.
      const nested = join(manifestDir, "node_modules", name);
      const dir = existsSync(nested) ? nested : join(repoModules, name);
      if (!existsSync(join(dir, "package.json")))
        throw new Error(`${name} (a dependency of ${manifestDir}) is not installed`);
      found.set(name, dir);
      visit(dir);
    }
  };
  visit(cliDir);
  return found;
}

/** Installs the CLI alone into a fresh temporary folder; returns the folder and the path of its `semtrace` bin. */
export function installAlone(): { root: string; bin: string; dependencies: readonly string[] } {
  const root = tempDir("alone");
  const modules = join(root, "node_modules");
  const cli = join(modules, "@semtrace", "cli");
  mkdirSync(cli, { recursive: true });
  for (const entry of ["package.json", "bin", "dist"])
    cpSync(join(cliDir, entry), join(cli, entry), { recursive: true });
  const closure = dependencyClosure();
  for (const [name, dir] of closure) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(dir, join(modules, name), "dir");
  }
  return { root, bin: join(cli, "bin", "semtrace.js"), dependencies: [...closure.keys()].sort() };
}
