/**
 * Where `semtrace check --baseline` and `semtrace diff --base` read a registry from: a directory, or a git
 * revision (`main`, `v1.2.0`, a commit, `HEAD~3`), optionally with the spec directory at that revision
 * (`main:spec/genai`). A revision is read from git's object store (`git ls-tree` + `git cat-file --batch`): the
 * user's working tree and index are never touched, and each file is held to the same caps as files on disk.
 * A registry's `dependencies` are read as `semtrace generate` reads them; those of a registry at a revision are
 * located from the spec directory's place in the working tree (a local folder dependency is read as it is there).
 */
import { execFile, spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import path from "node:path";
import {
  DEFAULT_YAML_LIMITS,
  loadRegistryFromEntries,
  loadWithDependencies,
  resolveLoaded,
  type DependencyOptions,
  type Diagnostic,
  type LoadResult,
  type NamingPreset,
  type Registry,
  type SpecEntry,
  type YamlLimits,
} from "@semtrace/spec";
import { unpackWithCodegen } from "../codegen.js";

export interface LoadedSpec {
  /** How reports name it: the directory as given, or `<rev>:<path>`. */
  readonly label: string;
  readonly diagnostics: readonly Diagnostic[];
  /** Absent when the registry has errors. */
  readonly registry?: Registry;
}

export interface SourceOptions {
  readonly cwd: string;
  readonly limits?: Partial<YamlLimits>;
  /** How the manifest's dependencies are found (`--dependency`, `--offline`, …; the environment's when not given). */
  readonly dependencies?: DependencyOptions;
  readonly naming?: NamingPreset;
  /** For a bare revision: the spec directory (relative to `cwd`) whose copy at that revision is read. */
  readonly specDir?: string;
}

/** Thrown for a source that is neither a directory nor a revision git knows; the message says which and why. */
export class SourceError extends Error {}

export async function loadSpecSource(source: string, options: SourceOptions): Promise<LoadedSpec> {
  const loaded = await loadRaw(source, options);
  const { diagnostics, registry } = resolveLoaded(
    loaded.result.registry,
    loaded.result.diagnostics,
    options.naming ? { naming: options.naming } : {},
  );
  return { label: loaded.label, diagnostics, ...(registry ? { registry } : {}) };
}

async function loadRaw(source: string, options: SourceOptions): Promise<{ label: string; result: LoadResult }> {
  // The generator unpacks archive dependencies, loaded when one is not yet in the registry cache.
  const dependencies = { ...options.dependencies, unpackArchive: unpackWithCodegen };
  const dir = path.resolve(options.cwd, source);
  if (await isDirectory(dir))
    return { label: source, result: await loadWithDependencies(source, options.cwd, options.limits, dependencies) };
  const colon = source.indexOf(":");
  const rev = colon === -1 ? source : source.slice(0, colon);
  const top = await gitTopLevel(options.cwd, source);
  await verifyRevision(top, rev, source);
  let inRepo: string;
  if (colon !== -1) {
    // git's own reading of `<rev>:<path>`: from the repository's root, or from `cwd` when it starts with ./ or ../
    const given = source.slice(colon + 1);
    inRepo = /^\.\.?(\/|$)/.test(given) ? path.relative(top, path.resolve(options.cwd, given)) : given;
  } else {
    if (options.specDir === undefined)
      throw new SourceError(
        `${source}: a git revision needs the spec directory to read at it (--spec <dir>, or ${source}:<dir>)`,
      );
    inRepo = path.relative(top, path.resolve(options.cwd, options.specDir));
  }
  inRepo = inRepo.split(path.sep).join("/").replace(/\/+$/, "");
  if (inRepo.startsWith(".."))
    throw new SourceError(`${source}: the spec directory ${inRepo} is outside the git repository at ${top}`);
  const label = `${rev}:${inRepo}`;
  const entries = await listAtRevision(
    top,
    rev,
    inRepo,
    label,
    options.limits?.maxBytes ?? DEFAULT_YAML_LIMITS.maxBytes,
  );
  const from = { dir: path.join(top, inRepo), load: () => loadRegistryFromEntries(label, entries, options.limits) };
  return { label, result: await loadWithDependencies(label, options.cwd, options.limits, dependencies, from) };
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

function git(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", [...args], { cwd, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new Error((stderr || error.message).trim()));
      else resolve(stdout);
    });
  });
}

async function gitTopLevel(cwd: string, source: string): Promise<string> {
  try {
    return (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  } catch (error) {
    throw new SourceError(
      `${source}: not a directory, and ${cwd} is not in a git repository to read it as a revision from (${(error as Error).message})`,
    );
  }
}

async function verifyRevision(top: string, rev: string, source: string): Promise<void> {
  try {
    await git(top, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`]);
  } catch {
    throw new SourceError(`${source}: not a directory, and ${JSON.stringify(rev)} is no git revision in ${top}`);
  }
}

/** The blobs below `dir` at `rev`, by path relative to `dir`, each read on demand (all in one `git cat-file`). */
async function listAtRevision(
  top: string,
  rev: string,
  dir: string,
  label: string,
  maxBytes: number,
): Promise<SpecEntry[]> {
  const listing = await git(top, ["ls-tree", "-r", "-z", "--long", "--full-tree", rev, "--", dir === "" ? "." : dir]);
  const blobs: { rel: string; oid: string; size: number }[] = [];
  for (const line of listing.split("\0")) {
    if (line === "") continue;
    // <mode> SP <type> SP <object> SP+ <size> TAB <path>
    const match = /^\d+ (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)$/s.exec(line);
    if (match?.[1] !== "blob") continue;
    const full = match[4]!;
    const rel = dir === "" ? full : full.startsWith(`${dir}/`) ? full.slice(dir.length + 1) : undefined;
    if (rel === undefined || rel.split("/").some((part) => part.startsWith("."))) continue;
    blobs.push({ rel, oid: match[2]!, size: Number(match[3]) });
  }
  if (blobs.length === 0) throw new SourceError(`${label}: no such directory at that revision, or it holds no files`);
  let batch: Promise<Map<string, Buffer>> | undefined;
  return blobs.map(({ rel, oid, size }) => ({
    rel,
    size,
    read: async () => {
      // The loader reads only files within the byte cap; the first read fetches every YAML blob within it in one
      // process, so a file over the cap is never read.
      batch ??= catFileBatch(top, [
        ...new Set(blobs.filter((b) => /\.ya?ml$/.test(b.rel) && b.size <= maxBytes).map((b) => b.oid)),
      ]);
      const blob = (await batch).get(oid);
      if (!blob) throw new Error(`git cat-file did not return ${oid}`);
      return blob;
    },
  }));
}

/** `git cat-file --batch` over `oids`: every object's bytes, in one process. */
function catFileBatch(top: string, oids: readonly string[]): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd: top, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`git cat-file --batch exited with ${code}: ${stderr.trim()}`));
      const all = Buffer.concat(chunks);
      const out = new Map<string, Buffer>();
      let at = 0;
      while (at < all.length) {
        const eol = all.indexOf(0x0a, at);
        const header = all.subarray(at, eol).toString();
        const [oid, type, size] = header.split(" ");
        if (type === "missing" || size === undefined) return reject(new Error(`git cat-file: ${header}`));
        const start = eol + 1;
        const end = start + Number(size);
        out.set(oid!, all.subarray(start, end));
        at = end + 1;
      }
      resolve(out);
    });
    child.stdin.end(oids.map((oid) => `${oid}\n`).join(""));
  });
}
