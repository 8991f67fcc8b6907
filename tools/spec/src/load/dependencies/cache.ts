/**
 * Fetched registries are kept in a cache folder, one subfolder per source (URL + revision), so each is fetched
 * once: a later run, or another registry depending on the same source, reads the folder. A fetch goes to a
 * temporary folder renamed into place when complete, so an interrupted fetch leaves nothing that looks cached.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rename, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** `--registry-cache`, else `SEMTRACE_CACHE_DIR`, else `$XDG_CACHE_HOME/semtrace/registries` (`~/.cache/…`). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env["SEMTRACE_CACHE_DIR"]) return path.resolve(env["SEMTRACE_CACHE_DIR"]);
  const base = env["XDG_CACHE_HOME"] || path.join(os.homedir(), ".cache");
  return path.join(base, "semtrace", "registries");
}

/** The folder a source is cached in: a readable slug and a hash of the exact source. */
export function cacheEntry(cacheDir: string, source: string): string {
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
  const slug = source
    .replace(/^[a-z+]+:\/\//i, "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .slice(-60);
  return path.join(cacheDir, `${slug}-${hash}`);
}

export async function isCached(entry: string): Promise<boolean> {
  return (await stat(entry).catch(() => undefined))?.isDirectory() === true;
}

/**
 * Runs `fill` on a fresh temporary folder next to `entry` and moves it into place. On failure nothing is kept.
 * When another process cached the same source meanwhile, its copy is kept.
 */
export async function fillCache(
  entry: string,
  fill: (folder: string, scratch: string) => Promise<void>,
): Promise<void> {
  await mkdir(path.dirname(entry), { recursive: true });
  const scratch = await mkdtemp(path.join(path.dirname(entry), ".fetch-"));
  try {
    const folder = path.join(scratch, "tree");
    await fill(folder, scratch);
    await rename(folder, entry).catch(async (error: NodeJS.ErrnoException) => {
      if (!(await isCached(entry))) throw error;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
