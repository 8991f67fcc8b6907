/**
 * Preloaded into a `semtrace live-check` process (`node --import <this file>`) by the resource tests and the
 * hostile-input benchmark: measures its event-loop delay while it receives — from SIGUSR2 (sent once it listens, so
 * start-up is not counted) to SIGINT (before the report is written) — and its peak RSS, and prints both to stderr.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
process.on("SIGUSR2", () => delay.reset());
process.on("SIGINT", () => process.stderr.write(`\nLOOP-MAX-MS:${delay.max / 1e6}\n`));
process.on("exit", () => process.stderr.write(`\nMAXRSS-KB:${process.resourceUsage().maxRSS}\n`));
