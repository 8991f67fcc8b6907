import { defineConfig } from "tsup";

export default defineConfig({
  // `index`: the matchers and the span harness; `vitest`: registers the matchers with Vitest's `expect` (and types them).
  entry: ["src/index.ts", "src/vitest.ts"],
  format: ["esm", "cjs"],
  dts: true,
  target: "node20",
  platform: "node",
  clean: true,
});
