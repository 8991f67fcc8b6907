#!/usr/bin/env node
import module from "node:module";
import { main } from "./cli.js";

// Node ≥ 22.1 can cache compiled code on disk: much of a cold start is compiling JavaScript (the built-in
// registries' validators, yaml and the generator when a command needs them). Where the API is missing (Node 20),
// nothing changes; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// `semtrace validate big.jsonl | head`: a reader that goes away is not an error of ours.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2));
