/**
 * `codegen.incubating_entry`: the generated `index.ts` exports the stable constants only and `index-incubating.ts`
 * everything, as @opentelemetry/semantic-conventions splits its root and `/incubating` entries. Checked on the
 * upstream v1.44.0 model given a manifest that turns it on: the stable entry's constants are exactly upstream's root
 * entry's. Not turned on for @semtrace/openinference, which must stay a drop-in with one entry.
 */
import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { buildFromFiles, generate } from "../src/index.js";
import { strictDiagnostics } from "./helpers/compile-files.js";
import { comparableNames, constantMismatches, importGenerated } from "./helpers/generated-module.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const MODEL = path.resolve(here, "../../../../shared/conformance/otel-semconv-1.44.0/model");
const present = existsSync(MODEL);
if (!present) console.warn(`[conformance] SKIPPED: upstream OTel registry not found at ${MODEL}`);
const require = createRequire(import.meta.url);
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!present)("a stable entry and an incubating entry (codegen.incubating_entry)", () => {
  it("splits the v1.44.0 model as @opentelemetry/semantic-conventions 1.44.0 splits its entries", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "semtrace-split-"));
    dirs.push(dir);
    await cp(MODEL, path.join(dir, "model"), { recursive: true });
    await writeFile(
      path.join(dir, "model", "manifest.yaml"),
      "name: otel\ndescription: OpenTelemetry v1.44.0.\nversion: 1.44.0\ncodegen:\n  naming: otel\n  incubating_entry: true\n",
    );
    const result = await generate({
      spec: path.join(dir, "model"),
      out: path.join(dir, "src"),
      command: "semtrace generate",
    });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const stable = await importGenerated(result.files, path.join(dir, "js"), "index.ts");
    const incubating = await importGenerated(result.files, path.join(dir, "js"), "index-incubating.ts");
    const upstreamRoot = require("@opentelemetry/semantic-conventions") as Record<string, unknown>;
    const upstreamIncubating = require("@opentelemetry/semantic-conventions/incubating") as Record<string, unknown>;

    const rootNames = comparableNames(upstreamRoot);
    expect(rootNames.filter((n) => n.startsWith("METRIC_")).length).toBeGreaterThan(10);
    expect(comparableNames(stable).sort()).toEqual(rootNames.sort());
    expect(constantMismatches(upstreamRoot, stable, rootNames)).toEqual([]);
    expect(constantMismatches(upstreamIncubating, incubating, comparableNames(upstreamIncubating))).toEqual([]);
    // The stable entry is constants only: builders and validators are in the incubating entry.
    expect(Object.keys(stable).every((n) => /^(ATTR_|METRIC_|EVENT_)|_VALUE_/.test(n))).toBe(true);
    expect(typeof incubating["validateAttributes"]).toBe("function");

    const files = (await readdir(path.join(dir, "src")))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.join(dir, "src", f));
    expect(strictDiagnostics(files)).toEqual([]);
  }, 240_000);
});

describe("incubating_entry", () => {
  it("needs the otel naming preset", () => {
    const r = buildFromFiles(
      "spec",
      new Map([
        ["manifest.yaml", "name: x\ncodegen:\n  naming: openinference\n  incubating_entry: true\n"],
        [
          "a.yaml",
          "groups:\n  - id: r\n    type: attribute_group\n    brief: R.\n    attributes:\n      - id: x.y\n        type: string\n        brief: Y.\n",
        ],
      ]),
    );
    expect(r.diagnostics.map((d) => `${d.id} ${d.location.file}:${d.location.line}`)).toEqual([
      "manifest.split spec/manifest.yaml:4",
    ]);
  });

  it("is off for @semtrace/openinference (one entry, a drop-in) and for @semtrace/genai", () => {
    for (const pkg of ["openinference", "genai"]) {
      expect(existsSync(path.resolve(here, `../../../packages/${pkg}/src/generated/index.ts`))).toBe(true);
      expect(existsSync(path.resolve(here, `../../../packages/${pkg}/src/generated/index-incubating.ts`))).toBe(false);
    }
  });
});
