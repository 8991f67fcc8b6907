/**
 * Preloaded into a `semtrace live-check` process (`node --import <this file>`) by the resource tests and the
 * hostile-input benchmark: measures its event-loop delay while it receives — from SIGUSR2 (sent once it listens, so
 * start-up is not counted) to SIGINT (before the report is written) — and its peak RSS, and prints both to stderr.
 *
 * Peak RSS is the kernel's high-water mark of this process's memory (VmHWM in /proc/self/status), not
 * `process.resourceUsage().maxRSS`: that one survives fork + exec, so a child spawned by a process of 400 MiB reports
 * at least 400 MiB whatever it uses itself.
 */
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
process.on("SIGUSR2", () => delay.reset());
process.on("SIGINT", () => process.stderr.write(`\nLOOP-MAX-MS:${delay.max / 1e6}\n`));
process.on("exit", () => {
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  process.stderr.write(`\nPEAK-RSS-KB:${hwm ?? "NaN"}\n`);
});
