#!/usr/bin/env node
/**
 * Registries with dependencies (issue 14): the OpenTelemetry v1.44.0 model generated alone, and as the resolved
 * dependency of a small registry that extends and refs its attributes and imports its `http.server.*` metrics — from
 * a local folder, from a .tar.gz served on 127.0.0.1 (first run: download and unpack into an empty cache), and from
 * that cache. Cold (a fresh `node` on the built CLI per sample), the variants interleaved round by round so a busy
 * machine slows them alike; the ratios to the model alone are the figures to trust when it is busy.
 *
 *   node tools/bench/src/dependencies.mjs [--runs N] [--write]
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fmtMs, runNode, stats } from "./measure.mjs";
import { table, updateSection } from "./report.mjs";

const { values: flags } = parseArgs({ options: { runs: { type: "string" }, write: { type: "boolean" } } });
const RUNS = Number(flags.runs ?? 5);
const GOAL_MS = 5000;
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const model = resolve(
  repoRoot,
  process.env.SEMTRACE_BENCH_OTEL_MODEL ?? "../shared/conformance/otel-semconv-1.44.0/model",
);
const cliPackage = join(repoRoot, "packages/cli");
const cli = join(cliPackage, JSON.parse(readFileSync(join(cliPackage, "package.json"), "utf8")).bin.semtrace);
const log = (s) => process.stderr.write(`${s}\n`);
if (!existsSync(model)) {
  log(`SKIPPED: the OpenTelemetry 1.44.0 model is not at ${model}`);
  process.exit(0);
}
if (!existsSync(cli)) {
  log(`${cli} is missing: build first (npm run build).`);
  process.exit(1);
}
const COLD = { NODE_DISABLE_COMPILE_CACHE: "1" };
// The child's own CPU time (user + system) at exit: a loaded machine stretches wall time far more than CPU time.
const CPU_HOOK =
  "data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\nCPU_US:'+(u.user+u.system)+'\\n')})";
const tmp = mkdtempSync(join(os.tmpdir(), "semtrace-bench-deps-"));
const loadStart = os.loadavg()[0];

// The model as an archive, served by a child process (the CLI runs synchronously here).
const archive = join(tmp, "otel-1.44.0.tar.gz");
execFileSync("tar", ["-czf", archive, "-C", resolve(model, ".."), "model"]);
const server = spawn(
  process.execPath,
  [
    "-e",
    `
  const http = require("node:http"), fs = require("node:fs");
  const s = http.createServer((req, res) => { const b = fs.readFileSync(${JSON.stringify(archive)}); res.writeHead(200, { "content-length": b.length }); res.end(b); });
  s.listen(0, "127.0.0.1", () => process.stdout.write(String(s.address().port) + "\\n"));
`,
  ],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const port = await new Promise((ok) => server.stdout.once("data", (d) => ok(Number(String(d).trim()))));

function dependent(name, registryPath) {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "manifest.yaml"),
    `name: app\ndescription: A registry on top of OpenTelemetry's.\nschema_url: https://app.example/schemas/0.1.0\ndependencies:\n  - schema_url: https://opentelemetry.io/schemas/1.44.0\n    registry_path: ${JSON.stringify(registryPath)}\ncodegen:\n  naming: otel\n`,
  );
  writeFileSync(
    join(dir, "app.yaml"),
    "groups:\n  - id: registry.app\n    type: attribute_group\n    brief: App.\n    attributes:\n      - id: app.tier\n        type: string\n        brief: Tier.\n  - id: span.app.checkout\n    type: span\n    span_kind: server\n    brief: Checkout.\n    extends: attributes.http.server\n    attributes:\n      - ref: app.tier\n      - ref: http.request.method\n        requirement_level: required\nimports:\n  metrics:\n    - http.server.*\n",
  );
  return dir;
}

const cache = join(tmp, "cache");
const variants = [
  { label: "OTel 1.44.0 model alone (`--naming otel`)", args: ["generate", "--spec", model, "--naming", "otel"] },
  {
    label: "↳ as the resolved dependency of a registry (local folder)",
    args: ["generate", "--spec", dependent("local", model), "--offline"],
  },
  {
    label: "↳ as a dependency from a .tar.gz on 127.0.0.1, first run (download and unpack into an empty cache)",
    args: [
      "generate",
      "--spec",
      dependent("fetched", `http://127.0.0.1:${port}/otel-1.44.0.tar.gz`),
      "--registry-cache",
      cache,
    ],
    before: () => rmSync(cache, { recursive: true, force: true }),
  },
  {
    label: "↳ as a dependency from that .tar.gz, cached",
    args: [
      "generate",
      "--spec",
      dependent("cached", `http://127.0.0.1:${port}/otel-1.44.0.tar.gz`),
      "--registry-cache",
      cache,
      "--offline",
    ],
  },
];
/** @type {number[][]} */
const samples = variants.map(() => []);
/** @type {number[][]} */
const cpuSamples = variants.map(() => []);
try {
  for (let round = 1; round <= RUNS; round++) {
    variants.forEach((v, i) => {
      v.before?.();
      const out = join(tmp, `out-${i}`);
      rmSync(out, { recursive: true, force: true });
      const r = runNode(cli, [...v.args, "--out", out], { cwd: repoRoot, env: COLD, nodeArgs: ["--import", CPU_HOOK] });
      const cpuMs = Number(/CPU_US:(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1000;
      samples[i].push(r.ms);
      cpuSamples[i].push(cpuMs);
      log(`  round ${round}: ${v.label}: ${fmtMs(r.ms)} (CPU ${fmtMs(cpuMs)})`);
    });
  }
} finally {
  server.kill();
}
const loadEnd = os.loadavg()[0];
const results = samples.map((s) => stats(s));
const cpus = cpuSamples.map((s) => stats(s));
const base = results[0].median;
const busy = Math.max(loadStart, loadEnd) > 1.5;
const rows = variants.map((v, i) => [
  v.label,
  `< ${fmtMs(GOAL_MS)}`,
  fmtMs(results[i].median),
  fmtMs(results[i].min),
  fmtMs(cpus[i].median),
  i === 0 ? "1.00×" : `${(results[i].median / base).toFixed(2)}×`,
  results[i].runs,
  results[i].median < GOAL_MS
    ? "✅ pass"
    : !busy
      ? "❌ fail"
      : cpus[i].median < GOAL_MS
        ? "⚠️ wall over on a busy machine; CPU under the goal"
        : "⚠️ over on a busy machine (see the ratio)",
]);
const cpu = os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ") ?? "?";
const body = `## Registries with dependencies

_${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ${cpu} · ${os.cpus().length} cores · Node ${process.version} · 1-min load average ${loadStart.toFixed(2)} → ${loadEnd.toFixed(2)} (start → end)_
${busy ? "\n> ⚠️ The machine was busy during this run: the times are upper bounds; the ratios, taken round by round, are the figures to compare.\n" : ""}
${table(["Benchmark (cold: fresh `node` process, built CLI; variants interleaved)", "Goal", "Wall, median", "Wall, min", "CPU, median", "vs model alone", "Runs", "Result"], rows, ["", "", "r", "r", "r", "r", "r", ""])}

**Method.** \`tools/bench/src/dependencies.mjs\`: the dependent registry depends on the model, extends \`attributes.http.server\`, refs \`http.request.method\` and imports the \`http.server.*\` metrics, so the whole model is loaded, validated where it is used and resolved; its own output is small (one attribute constant, four metric constants). The archive is the model folder as a .tar.gz served by a child process on 127.0.0.1; the first-run variant empties the cache before each sample. Wall time is from spawn to exit; CPU time is the process's own \`process.cpuUsage()\` at exit (user + system, loaded with \`--import\`), which a shared machine disturbs far less.`;
process.stdout.write(`${body}\n`);
if (flags.write) {
  updateSection(join(repoRoot, "BENCHMARKS.md"), "dependencies", body);
  log('BENCHMARKS.md updated (section "Registries with dependencies")');
}
rmSync(tmp, { recursive: true, force: true });
