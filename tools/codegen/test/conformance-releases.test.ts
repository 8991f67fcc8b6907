/**
 * Conformance over upstream releases: each OpenTelemetry semantic-conventions model in ../shared/conformance
 * generates without errors, compiles under `--strict`, and reproduces every `ATTR_*`, `*_VALUE_*`, `METRIC_*` and
 * `EVENT_*` constant of the @opentelemetry/semantic-conventions release of the same version (installed under an
 * npm alias). v1.38.0–v1.43.0 carry upstream's `renamed_to` slip, which loads as a warning as in Weaver.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../src/index.js";
import { strictDiagnostics } from "./helpers/compile-files.js";
import { comparableNames, constantMismatches, importGenerated } from "./helpers/generated-module.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const SHARED = path.resolve(here, "../../../../shared/conformance");
const require = createRequire(import.meta.url);

const RELEASES = [
  { version: "1.37.0", npm: "semconv-1-37", slip: false },
  { version: "1.38.0", npm: "semconv-1-38", slip: true },
  { version: "1.43.0", npm: "semconv-1-43", slip: true },
] as const;

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

for (const release of RELEASES) {
  const model = path.join(SHARED, `otel-semconv-${release.version}`, "model");
  const present = existsSync(model);
  if (!present) console.warn(`[conformance] SKIPPED v${release.version}: upstream model not found at ${model}`);

  describe.skipIf(!present)(`upstream OpenTelemetry semantic conventions ${release.version}`, () => {
    it("generates, compiles under --strict and reproduces every ATTR_*, *_VALUE_*, METRIC_* and EVENT_* constant", async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), `semtrace-otel-${release.version}-`));
      dirs.push(dir);
      const result = await generate({
        spec: model,
        out: path.join(dir, "src"),
        naming: "otel",
        command: "semtrace generate --naming otel",
      });
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const slips = result.diagnostics.filter((d) => d.id === "deprecated.renamed-to-ignored");
      expect(slips.map((d) => /`(db\.[a-z_.]+)`/.exec(d.message)?.[1])).toEqual(
        release.slip ? ["db.redis.database_index"] : [],
      );

      const ours = await importGenerated(result.files, path.join(dir, "js"));
      const upstream = {
        ...(require(`${release.npm}/incubating`) as Record<string, unknown>),
        ...(require(release.npm) as Record<string, unknown>),
      };
      expect(
        JSON.parse(
          readFileSync(
            path.join(require.resolve(release.npm).replace(/(node_modules\/[^/]+)\/.*$/, "$1"), "package.json"),
            "utf8",
          ),
        ).version,
      ).toBe(release.version);
      const names = comparableNames(upstream);
      const count = (prefix: string) => names.filter((n) => n.startsWith(prefix)).length;
      console.info(
        `[conformance] v${release.version}: ${count("ATTR_")} ATTR_*, ${count("METRIC_")} METRIC_*, ${count("EVENT_")} EVENT_*, ${names.length} in all`,
      );
      expect(count("ATTR_")).toBeGreaterThan(800);
      expect(count("METRIC_")).toBeGreaterThan(300);
      expect(count("EVENT_")).toBeGreaterThan(15);
      expect(constantMismatches(upstream, ours, names)).toEqual([]);

      const files = (await readdir(path.join(dir, "src")))
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.join(dir, "src", f));
      expect(strictDiagnostics(files)).toEqual([]);
    }, 240_000);
  });
}
