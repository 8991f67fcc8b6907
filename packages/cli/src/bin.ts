#!/usr/bin/env node
import { main } from "./cli.js";

// `semtrace validate big.jsonl | head`: a reader that goes away is not an error of ours.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2));
