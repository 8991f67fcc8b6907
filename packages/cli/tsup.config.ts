import { defineConfig } from "tsup";

// Two builds that run side by side into dist/. Neither cleans: cleaning in one could delete what the other
// has already written, so `npm run build` empties dist/ once before tsup starts.
export default defineConfig([
  {
    // The library entries: `import { main } from "@semtrace/cli"`, and `@semtrace/cli/internal` for the repo's tools.
    entry: { index: "src/index.ts", internal: "src/internal.ts" },
    format: ["esm", "cjs"],
    dts: true,
    target: "node20",
    platform: "node",
    // `--version` reads package.json next to the build through `import.meta.url`; the CJS build needs the shim.
    shims: true,
  },
  {
    // The executable. tsup keeps the `#!/usr/bin/env node` line and marks the file executable.
    // The validation worker is a script of its own: the pool starts it from `./validate-worker.js` next to
    // whichever bundle (bin or index) runs the pool.
    entry: { bin: "src/bin.ts", "validate-worker": "src/validate/worker.ts" },
    format: ["esm"],
    target: "node20",
    platform: "node",
  },
]);
