#!/usr/bin/env node
/**
 * `npm run record -w @semtrace/real-spans`: capture the default scenarios live and write
 * test/fixtures/openai-spans.json (sorted keys, no ids or timestamps). Tests never write it.
 *
 * Node 20 cannot run TypeScript, so src/ is bundled with esbuild (dependencies stay external and are
 * resolved from this workspace) into node_modules/.cache and imported from there.
 * `--check`: write nothing; exit 1 if the committed fixture differs from a fresh capture.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixturePath = join(pkgDir, "test", "fixtures", "openai-spans.json");
const check = process.argv.includes("--check");

const outDir = join(pkgDir, "node_modules", ".cache", "real-spans");
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, `record-${process.pid}.mjs`);
await build({
  entryPoints: [join(pkgDir, "src", "index.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});

let lib;
try {
  lib = await import(pathToFileURL(outfile).href);
} finally {
  rmSync(outfile, { force: true });
}

const started = Date.now();
const result = await lib.captureOpenAISpans(lib.defaultScenarios);
const fixture = lib.toFixture(result, lib.defaultScenarios, lib.packageVersions());
const text = lib.fixtureText(fixture);
const where = relative(process.cwd(), fixturePath);

for (const [name, { spans }] of Object.entries(fixture.scenarios)) {
  console.log(`${name}: ${spans.map((s) => `${s.name} (${Object.keys(s.attributes).length} attributes)`).join(", ")}`);
}

if (check) {
  let committed = "";
  try {
    committed = readFileSync(fixturePath, "utf8");
  } catch {
    // missing: stale
  }
  if (committed !== text) {
    console.error(`${where} is stale: run \`npm run record -w @semtrace/real-spans\``);
    process.exit(1);
  }
  console.log(`${where} is up to date (${Date.now() - started} ms)`);
} else {
  mkdirSync(dirname(fixturePath), { recursive: true });
  writeFileSync(fixturePath, text);
  console.log(`wrote ${where}: ${result.spans.length} spans from ${result.byScenario.size} scenarios (${Date.now() - started} ms)`);
}
