/**
 * Runs the built CLI in a child process and reports its exit, what it printed (the first 256 KiB of each stream,
 * and how much in all) and its peak RSS as the child measured it (`process.resourceUsage().maxRSS`).
 * With SEMTRACE_RELIABILITY_OUT set, each run's test, arguments, peak RSS and time are appended to that file (JSON
 * Lines): the figures of BENCHMARKS.md's reliability section.
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { tempDir } from "./tmp.js";

const child = fileURLToPath(new URL("./rss-child.mjs", import.meta.url));
export const builtBin = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));
const KEEP = 256 * 1024;

/**
 * A peak-RSS bound for the running Node: `baseMiB` (set on Node 20/22, where regressions in what our code retains
 * show) plus Node 24's larger young generation. V8 13 sizes its semi-spaces from the heap limit, so a run holds more
 * garbage between scavenges: the generator's at-cap run peaks at 278 / 283 / 380 MiB on Node 20 / 22 / 24 (296 MiB
 * on 24 with --max-semi-space-size=16); `translate` of 106 MiB of protobuf at 166 / 171 / 314 MiB (223 MiB with
 * --max-semi-space-size=16). The allowance is the engine's, not more room for what our code retains.
 */
export function peakBoundMiB(baseMiB: number): number {
  return Number(process.versions.node.split(".")[0]) >= 24 ? baseMiB + 150 : baseMiB;
}

export interface Measured {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBytes: number;
  readonly stderrBytes: number;
  /** Peak RSS in MiB. */
  readonly peakMiB: number;
  readonly seconds: number;
}

export interface MeasureOptions {
  readonly stdin?: Readable;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Called with the child's pid once it runs. */
  readonly onSpawn?: (pid: number) => void;
}

export function measure(args: readonly string[], options: MeasureOptions = {}): Promise<Measured> {
  const rssFile = join(tempDir("rss"), "max-rss");
  const started = performance.now();
  const proc = spawn(process.execPath, [child, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, CI: "1", ...options.env, SEMTRACE_RSS_OUT: rssFile },
    stdio: [options.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  if (options.stdin && proc.stdin) {
    proc.stdin.on("error", () => {}); // the child may stop reading early: that is what some tests check
    options.stdin.pipe(proc.stdin);
  }
  options.onSpawn?.(proc.pid!);
  const collect = (stream: Readable) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let bytes = 0;
    stream.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (keptBytes < KEEP) {
        kept.push(chunk.subarray(0, KEEP - keptBytes));
        keptBytes += Math.min(chunk.length, KEEP - keptBytes);
      }
    });
    return () => ({ text: Buffer.concat(kept).toString("utf8"), bytes });
  };
  const out = collect(proc.stdout!);
  const err = collect(proc.stderr!);
  return new Promise((resolve, reject) => {
    proc.on("error", reject);
    proc.on("close", (status, signal) => {
      const o = out();
      const e = err();
      const peakKiB = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) : Number.NaN;
      const measured = {
        status,
        signal,
        stdout: o.text,
        stderr: e.text,
        stdoutBytes: o.bytes,
        stderrBytes: e.bytes,
        peakMiB: peakKiB / 1024,
        seconds: (performance.now() - started) / 1000,
      };
      const record = process.env["SEMTRACE_RELIABILITY_OUT"];
      if (record)
        appendFileSync(
          record,
          `${JSON.stringify({ test: expect.getState().currentTestName, args: args.map((a) => a.replace(/.*\//, "")), status, peakMiB: Math.round(measured.peakMiB), seconds: Math.round(measured.seconds * 10) / 10 })}\n`,
        );
      resolve(measured);
    });
  });
}
