/**
 * One import of one constant from a built generated package must bundle to (almost) nothing but that string: the
 * packages are `"sideEffects": false` and every export is a plain constant.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { expect, it } from "vitest";
import { repoRoot } from "./workspaces.js";

const MAX_BYTES = 60;

it.each([
  ["@semtrace/openinference", "packages/openinference", "LLM_MODEL_NAME", "llm.model_name"],
  ["@semtrace/genai", "packages/genai", "ATTR_GEN_AI_REQUEST_MODEL", "gen_ai.request.model"],
])(`import one constant from %s: at most ${MAX_BYTES} bytes`, async (pkg, dir, name, value) => {
  const dist = join(repoRoot, dir, "dist/index.js");
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`npm run build\` first`);
  const result = await build({
    stdin: {
      contents: `import { ${name} } from "${pkg}"; console.log(${name})`,
      resolveDir: import.meta.dirname,
      loader: "js",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  const size = output!.contents.byteLength;
  console.log(`tree-shaking (${pkg}): ${size} bytes (limit ${MAX_BYTES}): ${output!.text.trim()}`);
  expect(output!.text, "the bundle holds the constant's value").toContain(JSON.stringify(value));
  expect(size).toBeLessThanOrEqual(MAX_BYTES);
});
