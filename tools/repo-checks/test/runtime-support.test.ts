/**
 * Which runtimes and OpenTelemetry versions the packages say they support, checked against one another: the
 * README's supported Node.js versions, every package.json's `engines`, the Node releases CI installs, and the peer
 * ranges of every published package (OpenTelemetry API 1.9 and 1.10, SDK 2.x).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { repoRoot, workspaces } from "./workspaces.js";

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly engines?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

const read = (file: string) => readFileSync(join(repoRoot, file), "utf8");
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
const readme = read("README.md");
const rootManifest = JSON.parse(read("package.json")) as Manifest;
const all = [{ name: "(root)", dir: repoRoot }, ...workspaces()].map(({ name, dir }) => ({
  name,
  manifest: manifest(dir),
}));
const published = all.filter((p) => p.name !== "(root)" && p.manifest.private !== true);
const ciVersions = read(".ci/node-versions")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));

/** The range the README's "Supported Node.js versions" section gives for every package.json. */
const readmeRange = /"engines": \{ "node": "([^"]+)" \}/.exec(readme)?.[1];
/** Its table: `| 22 (22.12 or newer) | yes … | the newest 22.x in `.ci/node-versions` |` → major, and whether CI installs it. */
const readmeRows = [...readme.matchAll(/^\| (\d+)(?: \([^)]*\))? \| yes[^|]* \| ([^|]+) \|$/gm)].map((m) => ({
  major: Number(m[1]),
  installedByCi: m[2]!.includes(".ci/node-versions"),
}));

describe("supported Node.js versions", () => {
  it("the README states one engines range and a table of supported majors", () => {
    expect(readmeRange).toBeDefined();
    expect(semver.validRange(readmeRange!)).not.toBeNull();
    expect(readmeRows.map((r) => r.major)).toEqual([24, 22, 20]);
  });

  it.each(all)("$name: engines.node is the README's range", ({ manifest: m }) => {
    expect(m.engines?.["node"]).toBe(readmeRange);
  });

  it("every supported major is inside the range, and the oldest unsupported ones are outside", () => {
    for (const { major } of readmeRows)
      expect(semver.intersects(`^${major}.0.0`, readmeRange!), `Node ${major}`).toBe(true);
    for (const version of ["18.20.0", "20.18.0", "22.11.0"])
      expect(semver.satisfies(version, readmeRange!), version).toBe(false);
  });

  it("CI installs an exact release of each major the README says it installs, each inside the range", () => {
    for (const version of ciVersions) {
      expect(semver.valid(version), `.ci/node-versions: ${version}`).toBe(version);
      expect(semver.satisfies(version, readmeRange!), version).toBe(true);
    }
    expect(ciVersions.map((v) => semver.major(v)).sort()).toEqual(
      readmeRows
        .filter((r) => r.installedByCi)
        .map((r) => r.major)
        .sort(),
    );
  });

  it("the Node running these tests is a supported one", () => {
    expect(semver.satisfies(process.versions.node, readmeRange!), process.version).toBe(true);
  });

  it("turbo hashes the Node and npm version (npm's user agent), so no test result is replayed on another Node", () => {
    const turbo = JSON.parse(read("turbo.json")) as { globalEnv?: string[] };
    expect(turbo.globalEnv).toContain("npm_config_user_agent");
    expect(rootManifest.engines?.["node"]).toBe(readmeRange);
  });
});

/**
 * Peers a published package may declare, and the versions each must accept. The API is a peer everywhere (one copy
 * per app: two copies keep two sets of globals, see tools/real-spans/test/otel-api-globals.test.ts).
 */
const PEERS: readonly { readonly peer: RegExp; readonly what: string; readonly mustAccept: readonly string[] }[] = [
  {
    peer: /^@opentelemetry\/api$/,
    what: "the OpenTelemetry API 1.9 and 1.10",
    mustAccept: ["1.9.0", "1.9.1", "1.10.0"],
  },
  {
    peer: /^@opentelemetry\/(sdk-trace-base|sdk-trace-node|context-async-hooks|core|resources)$/,
    what: "the OpenTelemetry SDK 2.x, first to newest",
    mustAccept: ["2.0.0", "2.12.1"],
  },
];

describe("peer ranges of the published packages", () => {
  it("finds the packages that declare OpenTelemetry peers", () => {
    const declaring = published.filter((p) =>
      Object.keys(p.manifest.peerDependencies ?? {}).some((name) => PEERS.some((r) => r.peer.test(name))),
    );
    expect(declaring.map((p) => p.name).sort()).toEqual([
      "@semtrace/core",
      "@semtrace/node",
      "@semtrace/testing",
      "@semtrace/translate",
    ]);
  });

  describe.each(PEERS)("$what", ({ peer, mustAccept }) => {
    it.each(published)("$name", ({ manifest: m }) => {
      for (const [name, range] of Object.entries(m.peerDependencies ?? {})) {
        if (!peer.test(name)) continue;
        for (const version of mustAccept)
          expect(semver.satisfies(version, range), `${name} ${range} accepts ${version}`).toBe(true);
        // What the package is tested with is inside what it promises.
        const tested = m.devDependencies?.[name];
        expect(tested, `${name}: a devDependency to test with`).toBeDefined();
        expect(semver.subset(tested!, range), `${name}: devDependency ${tested} within the peer range ${range}`).toBe(
          true,
        );
      }
      for (const name of Object.keys(m.dependencies ?? {}))
        expect(peer.test(name), `${name} must be a peer, not a dependency`).toBe(false);
    });
  });
});

/**
 * Nothing in the tree may need a compiler or a download from outside the npm registry on a new Node: no install
 * script runs except those `allowScripts` names (esbuild's, and it is off: its binary comes as an npm package), and
 * every native addon npm installed is a Node-API one (`napi_register_module_v1`), which loads on any Node version,
 * not one built for a single Node ABI (`node_register_module_v<abi>`).
 */
describe("native code and install scripts", () => {
  const lock = JSON.parse(read("package-lock.json")) as {
    packages: Record<string, { hasInstallScript?: boolean; link?: boolean; version?: string }>;
  };
  const allowScripts = (rootManifest as Manifest & { allowScripts?: Record<string, boolean> }).allowScripts ?? {};

  it("the only packages with install scripts are the ones allowScripts turns off", () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => p.hasInstallScript && !p.link && path !== "")
      .map(([path]) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length));
    expect(withScripts.length).toBeGreaterThan(0);
    for (const name of withScripts) expect(allowScripts[name], `${name}: an install script npm would run`).toBe(false);
  });

  it("every native addon installed is a Node-API one", () => {
    const addons: string[] = [];
    const walk = (dir: string, depth: number) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory() && depth < 6) walk(path, depth + 1);
        else if (entry.isFile() && entry.name.endsWith(".node")) addons.push(path);
      }
    };
    for (const dir of [repoRoot, ...workspaces().map((w) => w.dir)])
      if (existsSync(join(dir, "node_modules"))) walk(join(dir, "node_modules"), 0);
    expect(addons.length, "npm installs platform addons (rollup, rolldown)").toBeGreaterThan(0);
    for (const file of addons) {
      const bytes = readFileSync(file).toString("latin1");
      expect({
        file,
        nodeApi: bytes.includes("napi_register_module_v1"),
        abiBound: /node_register_module_v\d+/.test(bytes),
      }).toEqual({ file, nodeApi: true, abiBound: false });
    }
  });
});
