/**
 * `npm install @semtrace/cli` stays light: what it installs — the CLI's dependency closure, read from the
 * package.json files npm reads (`dependencies`, `optionalDependencies` and the peer dependencies npm installs, i.e.
 * those not marked optional; transitively through workspace packages and third-party ones alike) — holds no
 * TypeScript compiler and no generator. Validating needs neither: the generator is an optional peer that `semtrace
 * generate` loads when it is there.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { repoRoot, workspaces } from "./workspaces.js";

interface Manifest {
  readonly name: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
}

const FORBIDDEN = ["typescript", "ts-morph", "@semtrace/codegen"];

const read = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;

/** What npm installs for a package: its dependencies, optional dependencies and non-optional peers. */
function installs(manifest: Manifest): string[] {
  const peers = Object.keys(manifest.peerDependencies ?? {}).filter(
    (name) => manifest.peerDependenciesMeta?.[name]?.optional !== true,
  );
  return [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {}), ...peers];
}

/** Package name → the chain of packages that pulls it in, from `root` down. */
function closure(rootName: string): Map<string, readonly string[]> {
  const dirs = new Map(workspaces().map((w) => [w.name, w.dir]));
  const found = new Map<string, readonly string[]>();
  const visit = (dir: string, chain: readonly string[]) => {
    for (const name of installs(read(dir))) {
      if (found.has(name)) continue;
      const here = [...chain, name];
      found.set(name, here);
      // A workspace, a copy nested under its dependent (npm nests a version that conflicts with the hoisted one), or hoisted.
      const candidates = [dirs.get(name), join(dir, "node_modules", name), join(repoRoot, "node_modules", name)];
      const next = candidates.find((c): c is string => c !== undefined && existsSync(join(c, "package.json")));
      // An optional dependency for another platform is not installed here, and brings nothing.
      if (next) visit(next, here);
    }
  };
  visit(dirs.get(rootName)!, [rootName]);
  return found;
}

it("@semtrace/cli installs no TypeScript compiler and no generator", () => {
  const found = closure("@semtrace/cli");
  // What validation needs is there: the registries, the runtime, the spec loader and its YAML parser.
  expect([...found.keys()]).toEqual(
    expect.arrayContaining([
      "@semtrace/openinference",
      "@semtrace/genai",
      "@semtrace/runtime",
      "@semtrace/spec",
      "yaml",
    ]),
  );
  const offenders = FORBIDDEN.filter((name) => found.has(name)).map((name) => found.get(name)!.join(" → "));
  expect(offenders, "these reach the CLI's installed dependencies").toEqual([]);
});

it("@semtrace/codegen is an optional peer of the CLI, which `semtrace generate` needs", () => {
  const cli = read(workspaces().find((w) => w.name === "@semtrace/cli")!.dir);
  expect(cli.peerDependencies?.["@semtrace/codegen"]).toBeDefined();
  expect(cli.peerDependenciesMeta?.["@semtrace/codegen"]?.optional).toBe(true);
  // The walk goes through workspaces to third-party packages: the generator reaches yaml through @semtrace/spec.
  expect(closure("@semtrace/codegen").get("yaml")).toEqual(["@semtrace/codegen", "@semtrace/spec", "yaml"]);
});
