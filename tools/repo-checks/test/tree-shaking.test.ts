/**
 * One import of one constant from the built `@semtrace/openinference` (and `@semtrace/genai`) must bundle to (almost) nothing but that
 * string: the package is `"sideEffects": false` and every export is a plain constant.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { expect, it } from "vitest";
import { repoRoot } from "./workspaces.js";

const MAX_BYTES = 60;

it(`import { LLM_MODEL_NAME } from "@semtrace/openinference" bundles to at most ${MAX_BYTES} bytes`, async () => {
  const dist = join(repoRoot, "packages/openinference/dist/index.js");
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`npm run build\` first`);

  const result = await build({
    stdin: {
      contents: 'import { LLM_MODEL_NAME } from "@semtrace/openinference"; console.log(LLM_MODEL_NAME)',
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
  console.log(`tree-shaking: ${size} bytes (limit ${MAX_BYTES}): ${output!.text.trim()}`);
  expect(output!.text, "the bundle holds the constant's value").toContain('"llm.model_name"');
  expect(size).toBeLessThanOrEqual(MAX_BYTES);
});

it(`import { ATTR_GEN_AI_REQUEST_MODEL } from "@semtrace/genai" bundles to at most ${MAX_BYTES} bytes`, async () => {
  const dist = join(repoRoot, "packages/genai/dist/index.js");
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`npm run build\` first`);
  const result = await build({
    stdin: { contents: 'import { ATTR_GEN_AI_REQUEST_MODEL } from "@semtrace/genai"; console.log(ATTR_GEN_AI_REQUEST_MODEL)', resolveDir: import.meta.dirname, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  const size = output!.contents.byteLength;
  console.log(`tree-shaking (genai): ${size} bytes (limit ${MAX_BYTES}): ${output!.text.trim()}`);
  expect(output!.text, "the bundle holds the constant's value").toContain('"gen_ai.request.model"');
  expect(size).toBeLessThanOrEqual(MAX_BYTES);
});
