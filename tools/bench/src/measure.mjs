/** Cold wall-time measurement: every sample is a fresh `node` child process, module loading included. */
import { spawn, spawnSync } from "node:child_process";

/** The environment of child processes: ours, less the variables that would turn Node's compile cache on or off behind a benchmark's back. */
function childEnv(extra) {
  const { NODE_COMPILE_CACHE: _cache, NODE_DISABLE_COMPILE_CACHE: _disable, ...env } = process.env;
  return { ...env, ...extra };
}

/**
 * Runs `node <script> ...args` once; returns { ms, stdout, stderr, status }. Throws if the process fails (an exit code
 * not in `okStatus`). `node` is the Node binary (default: this one); `env` is added to this process's environment.
 * @param {string} script
 * @param {readonly string[]} args
 * @param {{ cwd?: string; nodeArgs?: readonly string[]; node?: string; env?: Record<string, string>; okStatus?: readonly (number | null)[] }} [options]
 */
export function runNode(script, args, { cwd, nodeArgs = [], node = process.execPath, env = {}, okStatus = [0] } = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(node, [...nodeArgs, script, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: childEnv(env),
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  if (!okStatus.includes(r.status)) {
    throw new Error(
      `${node} ${script} ${args.join(" ")} (cwd ${cwd ?? process.cwd()}) exited ${r.status}:\n${(r.stderr || r.stdout).trim().split("\n").slice(-15).join("\n")}`,
    );
  }
  return { ms, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Runs several `node <script> ...args` at once (as turbo runs package tasks); resolves with the wall time of the whole. */
export async function runNodeParallel(runs) {
  const start = process.hrtime.bigint();
  const results = await Promise.all(
    runs.map(
      ({ script, args, cwd, env = {} }) =>
        new Promise((resolve, reject) => {
          const child = spawn(process.execPath, [script, ...args], {
            cwd,
            stdio: ["ignore", "pipe", "pipe"],
            env: childEnv(env),
          });
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (d) => (stdout += d));
          child.stderr.on("data", (d) => (stderr += d));
          child.on("error", reject);
          child.on("close", (code) =>
            code === 0
              ? resolve({ stdout, stderr })
              : reject(new Error(`node ${script} ${args.join(" ")} exited ${code}:\n${(stderr || stdout).trim()}`)),
          );
        }),
    ),
  );
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, results };
}

export function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length, samples };
}

/** `semtrace generate`'s summary line → counts (undefined when it is not there). */
export function parseSummary(stdout) {
  const m =
    /^(.*?): (\d+) attributes, (\d+) structures, (\d+) span definitions → .* \((\d+) written, (\d+) unchanged(?:, (\d+) removed)?\)/m.exec(
      stdout,
    );
  if (!m) return undefined;
  return {
    registry: m[1],
    attributes: Number(m[2]),
    structures: Number(m[3]),
    spans: Number(m[4]),
    written: Number(m[5]),
    unchanged: Number(m[6]),
    removed: Number(m[7] ?? 0),
  };
}

export const fmtMs = (ms) =>
  ms === undefined ? "n/a" : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
