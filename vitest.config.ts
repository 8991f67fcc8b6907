import { defineConfig } from "vitest/config";

/** `npx vitest run` at the root runs every workspace's tests, each with its own `vitest.config.ts`. */
export default defineConfig({
  test: {
    projects: ["tools/*/vitest.config.ts", "packages/*/vitest.config.ts"],
  },
});
