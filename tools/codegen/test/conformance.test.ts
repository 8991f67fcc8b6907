/**
 * Conformance: the real upstream OpenTelemetry registry (v1.44.0, unmodified, v1 and v2 files mixed)
 * generates, compiles under `--strict`, and reproduces every `ATTR_*`, `*_VALUE_*`, `METRIC_*` and `EVENT_*`
 * constant of @opentelemetry/semantic-conventions@1.44.0 (root and /incubating) with the same value. Older
 * releases are in conformance-releases.test.ts.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, type GenerateResult } from "../src/index.js";
import { strictDiagnostics } from "./helpers/compile-files.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const MODEL = path.resolve(here, "../../../../shared/conformance/otel-semconv-1.44.0/model");
const present = existsSync(MODEL);
if (!present) console.warn(`[conformance] SKIPPED: upstream OTel registry not found at ${MODEL}`);

type Module = Record<string, unknown>;

describe.skipIf(!present)("upstream OpenTelemetry semantic conventions 1.44.0", () => {
  let dir: string;
  let result: GenerateResult;
  let ours: Module;
  let upstream: Module;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "semtrace-otel-"));
    result = await generate({
      spec: MODEL,
      out: path.join(dir, "src"),
      naming: "otel",
      command: "semtrace generate --spec <otel model> --out <tmp> --naming otel",
    });
    // Transpile to plain ESM so the values can be imported and compared.
    const js = path.join(dir, "js");
    await mkdir(js, { recursive: true });
    await writeFile(path.join(js, "package.json"), '{"type":"module"}');
    for (const [rel, text] of result.files) {
      const out = ts.transpileModule(text, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      await writeFile(path.join(js, rel.replace(/\.ts$/, ".js")), out);
    }
    ours = (await import(pathToFileURL(path.join(js, "index.js")).href)) as Module;
    const require = createRequire(import.meta.url);
    upstream = {
      ...(require("@opentelemetry/semantic-conventions/incubating") as Module),
      ...(require("@opentelemetry/semantic-conventions") as Module),
    };
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("loads both syntaxes without errors, metrics and events included", () => {
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.registry).toBeDefined();
    // v2-only definitions such as client.address made it in.
    expect(result.registry!.attributes.some((a) => a.key === "client.address")).toBe(true);
    expect(result.registry!.metrics.find((m) => m.name === "http.server.request.duration")).toMatchObject({
      instrument: "histogram",
      unit: "s",
    });
    expect(result.registry!.events.some((e) => e.name === "exception")).toBe(true);
  });

  it("reproduces every ATTR_*, *_VALUE_*, METRIC_* and EVENT_* constant with the same value", () => {
    const names = Object.keys(upstream).filter(
      (k) => k.startsWith("ATTR_") || k.includes("_VALUE_") || k.startsWith("METRIC_") || k.startsWith("EVENT_"),
    );
    expect(names.filter((k) => k.startsWith("METRIC_")).length).toBeGreaterThan(500);
    expect(names.filter((k) => k.startsWith("EVENT_")).length).toBeGreaterThan(30);
    const attrCount = names.filter((k) => k.startsWith("ATTR_")).length;
    console.info(`[conformance] comparing ${attrCount} ATTR_* and ${names.length - attrCount} *_VALUE_* constants`);
    expect(attrCount).toBeGreaterThan(900);
    const problems: string[] = [];
    const value = (v: unknown) => (typeof v === "function" ? (v as (k: string) => string)("probe-key") : v);
    for (const name of names) {
      if (!(name in ours)) problems.push(`missing ${name} = ${String(value(upstream[name]))}`);
      else if (value(ours[name]) !== value(upstream[name]))
        problems.push(`${name}: upstream ${String(value(upstream[name]))}, ours ${String(value(ours[name]))}`);
    }
    expect(problems).toEqual([]);
  });

  it("lets the current enum member win a name collision with its deprecated spelling, with a warning", () => {
    expect(ours["CLOUD_PLATFORM_VALUE_AZURE_AKS"]).toBe("azure.aks");
    const warning = result.diagnostics.find((d) => d.id === "name.collision" && d.message.includes("`azure_aks`"));
    expect(warning?.severity).toBe("warning");
    expect(warning?.location.file).toMatch(/cloud\/registry\.yaml$/);
  });

  it("compiles under tsc --strict", async () => {
    const files = (await readdir(path.join(dir, "src")))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.join(dir, "src", f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(strictDiagnostics(files)).toEqual([]);
  }, 120_000);

  it("writes the DO-NOT-EDIT banner with the regenerate command on every file", async () => {
    for (const f of await readdir(path.join(dir, "src"))) {
      const text = await readFile(path.join(dir, "src", f), "utf8");
      if (f.endsWith(".json")) {
        // JSON has no comments: the notice is the leading "$comment".
        expect((JSON.parse(text) as { $comment: string }).$comment).toBe(
          "DO NOT EDIT. Generated by @semtrace/codegen from the `model` registry. Regenerate with: semtrace generate --spec <otel model> --out <tmp> --naming otel",
        );
        continue;
      }
      expect(text.startsWith("// DO NOT EDIT. Generated by @semtrace/codegen")).toBe(true);
      expect(text).toContain("// Regenerate with: semtrace generate --spec <otel model> --out <tmp> --naming otel");
    }
  });

  it("validates attributes with the generated validator: types, enums, templates, deprecations, owned namespaces", () => {
    type Findings = { rule: string; key: string; severity: string }[];
    const registry = ours["modelRegistry"] as { name: string; spanKindKey?: string; spanKinds: readonly string[] };
    const validate = ours["validateAttributes"] as (a: Record<string, unknown>) => Findings;
    expect(registry.spanKindKey).toBeUndefined();
    expect(registry.spanKinds).toEqual([]);
    const rules = (a: Record<string, unknown>) => validate(a).map((f) => `${f.rule} ${f.key}`);
    expect(
      rules({
        "http.request.method": "GET",
        "http.response.status_code": 200,
        "server.port": 443,
        "url.full": "https://x",
        "mycompany.thing": 1,
      }),
    ).toEqual([]);
    expect(rules({ "http.response.status_code": "200" })).toEqual(["value.type http.response.status_code"]);
    expect(rules({ "http.request.header.content-type": ["text/plain"], "http.request.header.x": "no" })).toEqual([
      "value.type http.request.header.x",
    ]);
    expect(rules({ "http.method": "GET" })).toEqual(["key.deprecated http.method"]);
    expect(rules({ "http.request.methd": "GET" })).toEqual(["key.unknown http.request.methd"]);
    expect(validate({ "http.request.method": "BREW" })).toEqual([
      expect.objectContaining({ rule: "value.enum", severity: "info" }),
    ]);
  });
});
