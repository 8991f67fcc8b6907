import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  // No Node APIs: runs anywhere ES2022 does (Node, browsers, workers).
  target: "es2022",
  platform: "neutral",
  clean: true,
});
