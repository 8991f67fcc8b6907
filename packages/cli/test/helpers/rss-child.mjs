// Runs the built `semtrace` command in this process (arguments as for the bin) and, when the process exits, writes
// its peak resident set size (KiB, worker threads included) to the file named by SEMTRACE_RSS_OUT.
import { writeFileSync } from "node:fs";

const out = process.env.SEMTRACE_RSS_OUT;
if (out) process.on("exit", () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
await import(new URL("../../dist/bin.js", import.meta.url).href);
