/**
 * An npm registry on 127.0.0.1 for installing an example project the way a user would, without the internet:
 * - every third-party package at exactly the versions the repository's package-lock.json holds (so npm resolves a
 *   fresh project to what CI tests), its tarball read from npm's own cache by integrity, which `npm ci` at the root
 *   filled (a tarball missing there is a redirect to registry.npmjs.org, the one network the tests may use);
 * - the repository's published workspaces from their packed tarballs (`npm pack`), as they will be once published.
 * npm is pointed at it with `--registry` and a cache folder of the test's own, so the shared cache is only read.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import cacache from "cacache";

export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** Package names whose packument was asked for, in order (what npm resolved through this registry). */
  readonly requested: readonly string[];
  close(): Promise<void>;
}

interface VersionDoc {
  readonly name: string;
  readonly version: string;
  readonly [field: string]: unknown;
  readonly dist: { readonly tarball: string; readonly integrity: string };
}

/** The fields of a lockfile entry that npm reads from a packument's version document. */
const MANIFEST_FIELDS = [
  "dependencies",
  "optionalDependencies",
  "peerDependencies",
  "peerDependenciesMeta",
  "bin",
  "engines",
  "os",
  "cpu",
  "license",
  "hasInstallScript",
] as const;

interface LockEntry {
  readonly name?: string;
  readonly version?: string;
  readonly integrity?: string;
  readonly link?: boolean;
  readonly [field: string]: unknown;
}

/** Package name → version → where its tarball comes from, read from a package-lock.json (v3). */
function lockfileUniverse(
  lockfile: string,
): Map<string, Map<string, Omit<VersionDoc, "dist"> & { integrity: string }>> {
  const { packages } = JSON.parse(readFileSync(lockfile, "utf8")) as { packages: Record<string, LockEntry> };
  const universe = new Map<string, Map<string, Omit<VersionDoc, "dist"> & { integrity: string }>>();
  for (const [where, entry] of Object.entries(packages)) {
    if (!where.includes("node_modules/") || entry.link || !entry.version || !entry.integrity) continue;
    // An aliased install (`"x": "npm:y@1"`) is stored under its alias with the real name in `name`.
    const name = entry.name ?? where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length);
    const manifest: Record<string, unknown> = { name, version: entry.version, integrity: entry.integrity };
    for (const field of MANIFEST_FIELDS) if (entry[field] !== undefined) manifest[field] = entry[field];
    let versions = universe.get(name);
    if (!versions) universe.set(name, (versions = new Map()));
    versions.set(entry.version, manifest as Omit<VersionDoc, "dist"> & { integrity: string });
  }
  return universe;
}

function npmCacheDir(): string {
  // Asked outside the repository: inside a workspace folder npm refuses `config get`.
  return path.join(
    execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8", cwd: os.tmpdir() }).trim(),
    "_cacache",
  );
}

/** `1.2.3` < `1.10.0`, prereleases before their release: enough to name the highest version `latest`. */
function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = "", pre] = v.split("-", 2);
    return { parts: core.split(".").map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if ((x.parts[i] ?? 0) !== (y.parts[i] ?? 0)) return (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
  if (x.pre === y.pre) return 0;
  return x.pre === undefined ? 1 : y.pre === undefined ? -1 : x.pre < y.pre ? -1 : 1;
}

/** A packed workspace: its tarball and its package.json. */
export interface PackedPackage {
  readonly tarball: string;
  readonly manifest: { readonly name: string; readonly version: string; readonly [field: string]: unknown };
}

export async function startLocalRegistry(options: {
  readonly lockfile: string;
  readonly packed: readonly PackedPackage[];
}): Promise<LocalRegistry> {
  const universe = lockfileUniverse(options.lockfile);
  const cache = npmCacheDir();
  /** Tarball path → its bytes (a packed workspace) or its integrity in npm's cache; filled as packuments are served. */
  const tarballs = new Map<string, Buffer | string>();
  const requested: string[] = [];
  let origin = "";

  const tarballPath = (name: string, version: string) => `/${name}/-/${name.split("/").pop()}-${version}.tgz`;

  function packument(name: string): object | undefined {
    const versions: Record<string, VersionDoc> = {};
    const packed = options.packed.find((p) => p.manifest.name === name);
    if (packed) {
      const bytes = readFileSync(packed.tarball);
      const at = tarballPath(name, packed.manifest.version);
      tarballs.set(at, bytes);
      const integrity = `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
      versions[packed.manifest.version] = { ...packed.manifest, dist: { tarball: `${origin}${at}`, integrity } };
    } else {
      const known = universe.get(name);
      if (!known) return undefined;
      for (const [version, { integrity, ...manifest }] of known) {
        const at = tarballPath(name, version);
        tarballs.set(at, integrity);
        versions[version] = { ...manifest, name, version, dist: { tarball: `${origin}${at}`, integrity } };
      }
    }
    const latest = Object.keys(versions).sort(compareVersions).at(-1)!;
    return { name, "dist-tags": { latest }, versions };
  }

  async function tarball(at: string): Promise<{ bytes: Buffer } | { redirect: string } | undefined> {
    const known = tarballs.get(at);
    if (known === undefined) return undefined;
    if (typeof known !== "string") return { bytes: known };
    if (await cacache.get.hasContent(cache, known)) return { bytes: await cacache.get.byDigest(cache, known) };
    return { redirect: `https://registry.npmjs.org${at}` };
  }

  const server: Server = createServer((req, res) => {
    // npm asks for `/@scope%2fname`: decoded, the package's name.
    const at = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const answer = async () => {
      if (req.method !== "GET") return res.writeHead(405).end();
      if (at.endsWith(".tgz")) {
        const found = await tarball(at);
        if (!found)
          return res
            .writeHead(404, { "content-type": "application/json" })
            .end(JSON.stringify({ error: `no packument named ${at}` }));
        if ("redirect" in found) return res.writeHead(302, { location: found.redirect }).end();
        return res
          .writeHead(200, { "content-type": "application/octet-stream", "content-length": found.bytes.length })
          .end(found.bytes);
      }
      const name = at.slice(1);
      requested.push(name);
      const doc = packument(name);
      if (!doc)
        return res
          .writeHead(404, { "content-type": "application/json" })
          .end(JSON.stringify({ error: `${name} is not in the lockfile` }));
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(doc));
    };
    answer().catch((error: unknown) => (res.headersSent ? res.destroy() : res.writeHead(500).end(String(error))));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    requested,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // npm keeps its sockets alive
      }),
  };
}
