import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  target: "es2022",
  // No Node-only APIs: context propagation goes through @opentelemetry/api's context manager.
  platform: "neutral",
  external: ["@opentelemetry/api", "@semtrace/openinference", "@semtrace/runtime"],
  clean: true,
});
