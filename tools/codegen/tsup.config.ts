import { cpSync } from "node:fs";
import { defineConfig } from "tsup";

// Two builds into dist/: the library (ESM and CJS with types) and the `semtrace-codegen` executable (ESM).
// Neither cleans, since one could delete what the other has written; `npm run build` empties dist/ first.
export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    target: "node20",
    platform: "node",
    // The CJS build sees `import.meta.url` (e.g. to find files beside the package); shim it.
    shims: true,
    // `semtrace migrate` applies the built-in registries' renames: they ship beside the bundle.
    async onSuccess() {
      for (const name of ["openinference", "genai"])
        cpSync(`../../spec/${name}`, `dist/registries/${name}`, { recursive: true });
    },
  },
  {
    // tsup keeps the `#!/usr/bin/env node` line and marks the file executable.
    entry: { bin: "src/bin.ts" },
    format: ["esm"],
    target: "node20",
    platform: "node",
  },
]);
