// Preloaded with `node --import` by test/standalone.test.ts: writes every module the process loads to the file
// named by SEMTRACE_LOAD_LOG, one URL or path a line. ES modules through a resolve hook (it runs in the loader's
// thread, hence a file), CommonJS ones from require's cache when the process exits.
import { appendFileSync } from "node:fs";
import module, { createRequire } from "node:module";

const log = process.env.SEMTRACE_LOAD_LOG;
if (log) {
  module.register(new URL("./record-loads-hooks.mjs", import.meta.url), { data: { log } });
  const cache = createRequire(import.meta.url).cache;
  process.on("exit", () =>
    appendFileSync(
      log,
      Object.keys(cache)
        .map((p) => `${p}\n`)
        .join(""),
    ),
  );
}
