/**
 * A shallow checkout of one git revision with the system's `git`, within the caps: the folder is measured while
 * git fetches (git is stopped when it passes `maxDownloadBytes`) and the checkout is counted after. Links in the
 * repository are checked out as plain files (`core.symlinks=false`) and no hook runs.
 */
import { spawn } from "node:child_process";
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { FetchRefused, type FetchLimits } from "./limits.js";

export async function gitCheckout(
  url: string,
  refspec: string | undefined,
  target: string,
  limits: FetchLimits,
): Promise<void> {
  const config = ["-c", "core.symlinks=false", "-c", "core.hooksPath=/dev/null", "-c", "advice.detachedHead=false"];
  await git(["init", "-q", target], process.cwd(), limits);
  await git([...config, "fetch", "-q", "--depth", "1", "--no-tags", url, refspec ?? "HEAD"], target, limits, target);
  await git([...config, "checkout", "-q", "--detach", "FETCH_HEAD"], target, limits);
  await rm(path.join(target, ".git"), { recursive: true, force: true });
  const { entries, bytes } = await measure(target, Infinity);
  if (entries > limits.maxArchiveEntries)
    throw new FetchRefused(
      "dependency.too-large",
      `${url}: the checkout has more than ${limits.maxArchiveEntries} entries (--max-archive-entries)`,
    );
  if (bytes > limits.maxExtractedBytes)
    throw new FetchRefused(
      "dependency.too-large",
      `${url}: the checkout is over ${limits.maxExtractedBytes} bytes (--max-extracted-bytes)`,
    );
}

function git(args: string[], cwd: string, limits: FetchLimits, watch?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", SSH_ASKPASS: "", LC_ALL: "C" },
    });
    let stderr = "";
    let refused: Error | undefined;
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString("utf8");
    });
    const stop = (error: Error) => {
      refused ??= error;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(
      () =>
        stop(
          new Error(
            `git ${args.find((a) => !a.startsWith("-") && !a.includes("=")) ?? ""} took over ${limits.timeoutMs / 1000} s (--fetch-timeout)`,
          ),
        ),
      limits.timeoutMs,
    );
    const poll = watch
      ? setInterval(() => {
          void measure(watch, limits.maxDownloadBytes).then(({ bytes }) => {
            if (bytes > limits.maxDownloadBytes)
              stop(
                new FetchRefused(
                  "dependency.too-large",
                  `git fetch wrote over ${limits.maxDownloadBytes} bytes (--max-download-bytes)`,
                ),
              );
          });
        }, 100)
      : undefined;
    child.on("error", (error) => stop(new Error(`cannot run git: ${error.message}`)));
    child.on("close", (code) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      if (refused) reject(refused);
      else if (code === 0) resolve();
      else
        reject(
          new Error(
            `git ${args.filter((a) => a !== "-q" && a !== "-c" && !a.includes("=")).join(" ")} failed: ${stderr.trim().split("\n").slice(-2).join(" ") || `exit ${code}`}`,
          ),
        );
    });
  });
}

/** Files and bytes below `dir` (stops counting once `stopAt` bytes are seen). */
async function measure(dir: string, stopAt: number): Promise<{ entries: number; bytes: number }> {
  let entries = 0;
  let bytes = 0;
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (bytes > stopAt) return;
      entries++;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) bytes += (await stat(full).catch(() => ({ size: 0 }))).size;
    }
  };
  await walk(dir);
  return { entries, bytes };
}
