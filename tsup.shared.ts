/**
 * The build of the platform-neutral libraries (the generated packages, the runtime, the core): ESM and CJS with
 * types, ES2022, no Node APIs, so they run in Node, browsers and workers. `<package>/tsup.config.ts` calls
 * `neutralLibrary()`, adding only what is its own.
 */
import { defineConfig, type Options } from "tsup";

export function neutralLibrary(own: Options = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    target: "es2022",
    platform: "neutral",
    clean: true,
    ...own,
  });
}
