/**
 * CI validation of an app's spans, as two CI steps: run the app (its tests) with SEMTRACE_TRACES_FILE set, then
 * `npx semtrace validate <file>`, which exits 1 on an error. Once with the bug, once without.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = mkdtempSync(path.join(os.tmpdir(), "semtrace-ci-"));
const app = fileURLToPath(new URL("./app.ts", import.meta.url));
for (const buggy of [true, false]) {
  const file = path.join(dir, buggy ? "buggy.jsonl" : "fixed.jsonl");
  const ran = spawnSync(process.execPath, ["--import", "tsx", app, ...(buggy ? ["--buggy"] : [])], {
    encoding: "utf8",
    env: { ...process.env, SEMTRACE_TRACES_FILE: file },
  });
  if (ran.status !== 0) throw new Error(`the app failed: ${ran.stderr}`);
  const run = spawnSync("npx", ["--no-install", "semtrace", "validate", file], { encoding: "utf8" });
  console.log(`${buggy ? "with the bug" : "fixed"}: semtrace validate exited ${run.status}`);
  console.log(
    (run.stdout + run.stderr)
      .replaceAll(dir, "<tmp>")
      .replace(/\[[0-9a-f]{32}\/[0-9a-f]{16}\]/g, "[trace/span]")
      .trim(),
  );
}
