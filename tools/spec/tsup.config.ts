import { defineConfig } from "tsup";

// Two entries: `./internal` holds the code; the public entry re-exports part of it by package name (kept
// external), so ESM and CJS alike load one copy of the code whichever entries a tool uses.
export default defineConfig({
  entry: ["src/index.ts", "src/internal.ts"],
  external: ["@semtrace/spec/internal"],
  format: ["esm", "cjs"],
  dts: true,
  target: "node20",
  platform: "node",
  clean: true,
});
