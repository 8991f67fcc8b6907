#!/usr/bin/env node
/**
 * `npm run record -w @semtrace/real-spans`: capture the default scenarios live and write the fixtures (sorted keys,
 * no ids or timestamps; tests never write them):
 *   test/fixtures/openai-spans.json          OpenInference (`@arizeai/openinference-instrumentation-openai`)
 *   test/fixtures/openllmetry-spans.json     OpenLLMetry (`@traceloop/instrumentation-openai`)
 *   test/fixtures/genai-spans-<release>.json each release of `@opentelemetry/instrumentation-openai` this Node runs
 * A release the running Node does not support (0.22 needs Node ≥ 22.15) is left as it is, and said so: record on
 * the newest Node to cover every release.
 *
 * Node 20 cannot run TypeScript, so src/ is bundled with esbuild (dependencies stay external and are
 * resolved from this workspace) into node_modules/.cache and imported from there.
 * `--check`: write nothing; exit 1 if a committed fixture differs from a fresh capture.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
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
const captures = [];
{
  const result = await lib.captureOpenAISpans(lib.defaultScenarios);
  captures.push({
    path: lib.FIXTURE_PATH,
    result,
    fixture: lib.toFixture(result, lib.defaultScenarios, lib.packageVersions()),
  });
}
{
  const result = await lib.captureOpenLLMetrySpans(lib.openllmetryScenarios);
  captures.push({
    path: lib.OPENLLMETRY_FIXTURE_PATH,
    result,
    fixture: lib.toFixture(result, lib.openllmetryScenarios, lib.openllmetryPackageVersions()),
  });
}
for (const release of lib.GENAI_RELEASES) {
  const info = lib.genaiRelease(release);
  if (!info.supportedHere) {
    console.log(
      `skipped ${relative(process.cwd(), lib.genaiFixturePath(release))}: ${info.describe()}, this is Node ${process.version}`,
    );
    continue;
  }
  const result = await lib.captureGenAISpans(lib.genaiScenarios, { release });
  captures.push({
    path: lib.genaiFixturePath(release),
    result,
    fixture: lib.toFixture(result, lib.genaiScenarios, lib.genaiPackageVersions(release)),
  });
}

let stale = 0;
for (const { path, result, fixture } of captures) {
  const text = lib.fixtureText(fixture);
  const where = relative(process.cwd(), path);
  for (const [name, { spans }] of Object.entries(fixture.scenarios)) {
    console.log(
      `  ${name}: ${spans.map((/** @type {{ name: string; attributes: object }} */ s) => `${s.name} (${Object.keys(s.attributes).length} attributes)`).join(", ")}`,
    );
  }
  if (check) {
    let committed = "";
    try {
      committed = readFileSync(path, "utf8");
    } catch {
      // missing: stale
    }
    if (committed === text) console.log(`${where} is up to date`);
    else {
      console.error(`${where} is stale: run \`npm run record -w @semtrace/real-spans\``);
      stale++;
    }
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`wrote ${where}: ${result.spans.length} spans from ${result.byScenario.size} scenarios`);
  }
}
console.log(`${captures.length} captures in ${Date.now() - started} ms`);
if (stale > 0) process.exit(1);
