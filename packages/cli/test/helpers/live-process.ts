/**
 * `semtrace live-check` as a process of its own (the built bin), for measuring what a client can make it hold:
 * peak RSS (the kernel's high-water mark, VmHWM) and the longest event-loop delay, both read from the process.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";

export const builtBin = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

/** Peak RSS needs /proc (Linux); where it is missing the resource tests say so and skip. */
export const canMeasureRss = existsSync("/proc/self/status");

/** Loaded into the process first: measures its event-loop delay and peak RSS (see the file). */
const MEASURE_HOOK = new URL("./measure-hook.mjs", import.meta.url).href;

export interface LiveProcess {
  readonly url: string;
  /** The OTLP/gRPC endpoint (`http://127.0.0.1:port`), unless started with `--no-grpc`. */
  readonly grpcUrl: string | undefined;
  readonly pid: number;
  /** Current and peak RSS (MiB), from /proc/<pid>/status. */
  memory(): { rssMiB: number; peakMiB: number };
  /** SIGINT, then what it printed and measured. */
  stop(): Promise<{ code: number | null; stdout: string; stderr: string; peakMiB: number; loopMaxMs: number }>;
}

function procStatus(pid: number): { rssMiB: number; peakMiB: number } {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? Number.NaN);
  return { rssMiB: kb("VmRSS") / 1024, peakMiB: kb("VmHWM") / 1024 };
}

/** Starts `node dist/bin.js live-check --port 0 --grpc-port 0 <args>` (built-in OpenInference registry) and waits until it listens. */
export async function startLiveProcess(args: readonly string[], bin = builtBin): Promise<LiveProcess> {
  const ports = ["--port", "0", ...(args.includes("--no-grpc") ? [] : ["--grpc-port", "0"])];
  const child = spawn(process.execPath, ["--import", MEASURE_HOOK, bin, "live-check", ...ports, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "1" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr.setEncoding("utf8");
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // A test that fails before `stop()` leaves no receiver behind.
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`live-check did not start: ${stderr}`)), 30_000);
    child.stderr.on("data", (s: string) => {
      stderr += s;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1\/traces)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`live-check exited ${code}: ${stderr}`)));
  });
  child.kill("SIGUSR2");
  await new Promise((resolve) => setTimeout(resolve, 100));
  const pid = child.pid!;
  const grpcUrl = /and (http:\/\/127\.0\.0\.1:\d+) \(OTLP\/gRPC\)/.exec(stderr)?.[1];
  return {
    url,
    grpcUrl,
    pid,
    memory: () => procStatus(pid),
    async stop() {
      child.kill("SIGINT");
      const code = await exited;
      const peakKb = Number(/PEAK-RSS-KB:(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
      const loopMaxMs = Number(/LOOP-MAX-MS:([\d.]+)/.exec(stderr)?.[1] ?? Number.NaN);
      return { code, stdout, stderr, peakMiB: peakKb / 1024, loopMaxMs };
    },
  };
}
