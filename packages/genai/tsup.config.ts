import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  // Plain constants: no Node APIs, runs anywhere ES2022 does.
  target: "es2022",
  platform: "neutral",
  clean: true,
});
