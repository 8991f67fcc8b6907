import { defineConfig } from "tsup";

// `./internal` holds the code; the public entry re-exports part of it by package name (kept external), so ESM and
// CJS alike load one copy of the code whichever entries a tool uses. `./flags` bundles the few modules of the
// command-line flags on its own (pure functions and constants, no yaml), so a CLI can parse and print help light.
export default defineConfig({
  entry: ["src/index.ts", "src/internal.ts", "src/flags.ts"],
  external: ["@semtrace/spec/internal"],
  format: ["esm", "cjs"],
  dts: true,
  target: "node20",
  platform: "node",
  clean: true,
});
