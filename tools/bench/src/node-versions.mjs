#!/usr/bin/env node
/**
 * The CLI's cold start on every Node the repo supports, with Node's on-disk compile cache off and on.
 *
 *   node tools/bench/src/node-versions.mjs [--runs 5] [--write]
 *
 * Nodes: the one running this script plus every release in .ci/node-versions, installed from the npm registry by
 * .ci/install-node into the same cache folder CI uses (so a machine that ran CI installs nothing here). On each, a
 * fresh `node` process of the built CLI (packages/cli/dist/bin.js, which calls `module.enableCompileCache()` where it
 * exists, Node ≥ 22.1) runs:
 *   - `semtrace generate` of @semtrace/openinference (its own `generate` script, in a temporary mirror) and of the
 *     OpenTelemetry 1.44.0 registry (../shared, if present) into an empty folder;
 *   - `semtrace validate` of 1,000 and of 20,000 OpenInference spans (JSON Lines; one thread below 64 MiB).
 * Each three ways: compile cache off (NODE_DISABLE_COMPILE_CACHE=1), first run with an empty cache (it compiles and
 * writes the cache), and warm (the cache written by an earlier run). Every sample gets its own TMPDIR, where the CLI
 * keeps the cache (os.tmpdir()/node-compile-cache), so no sample sees another's cache unless meant to. Samples
 * are interleaved (run i of every Node and mode, then run i+1), so a load change on a shared machine hits them all.
 * Every validate run of one input must print the same report on every Node, or the benchmark fails.
 * --write rewrites the "Node.js versions" section of BENCHMARKS.md.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeJsonl } from "./cli-data.mjs";
import { fmtMs, runNode, stats } from "./measure.mjs";
import { generateTargets, mirrorTarget } from "./packages.mjs";
import { table, updateSection } from "./report.mjs";

const { values } = parseArgs({ options: { runs: { type: "string" }, write: { type: "boolean" } } });
const RUNS = Number(values.runs ?? 5);
const OTEL_MODEL = process.env.SEMTRACE_BENCH_OTEL_MODEL ?? "../shared/conformance/otel-semconv-1.44.0/model";
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const bin = join(repoRoot, "packages/cli/dist/bin.js");
const log = (s) => process.stderr.write(`${s}\n`);
if (!existsSync(bin)) {
  log("packages/cli/dist/bin.js is missing: build first (npm run build, or npm run bench at the root, which builds).");
  process.exit(1);
}

/** The Nodes to compare: this one, then .ci/node-versions (installed through .ci/install-node). */
function nodes() {
  const list = [{ version: process.versions.node, path: process.execPath, how: "this machine's" }];
  const wanted = readFileSync(join(repoRoot, ".ci/node-versions"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  for (const version of wanted) {
    if (version === process.versions.node) continue;
    const dir = execFileSync(join(repoRoot, ".ci/install-node"), [version], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    list.push({ version, path: join(dir, "node"), how: "from the npm registry (.ci/install-node)" });
  }
  for (const node of list) {
    // Asked of each Node rather than inferred from its version.
    node.hasCompileCache =
      execFileSync(node.path, ["-p", "typeof require('node:module').enableCompileCache === 'function'"], {
        encoding: "utf8",
      }).trim() === "true";
  }
  return list.sort((a, b) => Number(a.version.split(".")[0]) - Number(b.version.split(".")[0]));
}

/**
 * Each sample also reports the CPU time it used (user + system, main thread and any others): the compile cache saves
 * CPU work, and CPU time is far less disturbed than wall time when other processes share the cores.
 */
const CPU_HOOK =
  "data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\nCPU_US:'+(u.user+u.system)+'\\n')})";
const cpuMs = (stderr) => {
  const m = /CPU_US:(\d+)/.exec(stderr);
  if (!m) throw new Error(`no CPU time reported: ${stderr.trim().split("\n").slice(-3).join(" / ")}`);
  return Number(m[1]) / 1000;
};

const MODES = [
  { id: "off", title: "compile cache off" },
  { id: "first", title: "compile cache on, first run (empty cache: compiles and writes it)" },
  { id: "warm", title: "compile cache on, warm (cache written by an earlier run)" },
];

const loadBefore = os.loadavg()[0];
const started = Date.now();
const tmp = mkdtempSync(join(os.tmpdir(), "semtrace-bench-node-"));
let sample = 0;
try {
  const targets = nodes();
  log(`Nodes: ${targets.map((n) => `v${n.version}`).join(", ")}`);

  // The benchmarks: each is { id, title, args, cwd, before(), check(stdout) }.
  const benches = [];
  const { targets: generate } = generateTargets(repoRoot);
  const oi = generate.find((t) => t.packageName === "@semtrace/openinference");
  if (!oi) throw new Error("no spec/ registry generates @semtrace/openinference");
  const mirror = mirrorTarget(repoRoot, join(tmp, "repo"), oi);
  benches.push({
    id: "gen-oi",
    title: `\`semtrace generate\` of ${oi.packageName} (its \`generate\` script)`,
    args: ["generate", ...oi.args],
    cwd: mirror.cwd,
    before: mirror.reset,
  });
  const otelSpec = resolve(repoRoot, OTEL_MODEL);
  if (existsSync(otelSpec)) {
    const out = join(tmp, "otel-out");
    benches.push({
      id: "gen-otel",
      title: "`semtrace generate` of the OTel semantic conventions 1.44.0, `--naming otel`, into an empty folder",
      args: ["generate", "--spec", otelSpec, "--out", out, "--naming", "otel"],
      cwd: repoRoot,
      before: () => rmSync(out, { recursive: true, force: true }),
    });
  } else log(`skipping the OTel 1.44.0 registry: ${OTEL_MODEL} not found from the repo root`);
  for (const spans of [1_000, 20_000]) {
    const file = join(tmp, `spans-${spans}.jsonl`);
    await writeJsonl(file, { spans, batch: 50 });
    const mib = statSync(file).size / 2 ** 20;
    benches.push({
      id: `validate-${spans}`,
      title: `\`semtrace validate --reporter json\` of ${spans.toLocaleString("en-US")} spans (${mib.toFixed(1)} MiB of JSON Lines)`,
      args: ["validate", "--reporter", "json", file],
      cwd: repoRoot,
      validate: true,
    });
  }

  // samples[bench][node][mode] = ms[]
  /** @type {() => Map<string, Record<string, number[]>[]>} */
  const perMode = () =>
    new Map(benches.map((b) => [b.id, targets.map(() => Object.fromEntries(MODES.map((m) => [m.id, []])))]));
  /** @type {(m: Map<string, Record<string, number[]>[]>, id: string) => Record<string, number[]>[]} */
  const of = (m, id) => m.get(id) ?? [];
  const samples = perMode(); // wall ms
  const cpu = perMode(); // CPU ms
  const reports = new Map();
  const warmDirs = targets.map(() => new Map());
  const runOnce = (b, n, node, mode) => {
    // Every sample its own TMPDIR: the CLI caches compiled code in os.tmpdir()/node-compile-cache.
    let dir;
    if (mode.id === "warm") {
      dir = warmDirs[n].get(b.id);
      if (!dir) {
        dir = join(tmp, `warm-${n}-${b.id}`);
        mkdirSync(dir);
        warmDirs[n].set(b.id, dir);
        b.before?.();
        runNode(bin, b.args, { cwd: b.cwd, node: node.path, env: { TMPDIR: dir, CI: "1" }, okStatus: [0, 1] }); // writes the cache
      }
    } else {
      dir = join(tmp, `s${sample++}`);
      mkdirSync(dir);
    }
    const env = { TMPDIR: dir, CI: "1", ...(mode.id === "off" ? { NODE_DISABLE_COMPILE_CACHE: "1" } : {}) };
    b.before?.();
    const r = runNode(bin, b.args, {
      cwd: b.cwd,
      node: node.path,
      nodeArgs: ["--import", CPU_HOOK],
      env,
      okStatus: b.validate ? [0, 1] : [0],
    });
    if (mode.id !== "warm") rmSync(dir, { recursive: true, force: true });
    if (b.validate) {
      const seen = reports.get(b.id);
      if (seen === undefined) reports.set(b.id, { text: r.stdout, status: r.status, node: node.version });
      else if (seen.text !== r.stdout || seen.status !== r.status)
        throw new Error(
          `${b.title}: Node ${node.version} (${mode.id}) printed a different report (exit ${r.status}) than Node ${seen.node} (exit ${seen.status})`,
        );
    }
    of(samples, b.id)[n][mode.id].push(r.ms);
    of(cpu, b.id)[n][mode.id].push(cpuMs(r.stderr));
  };
  for (let i = 0; i < RUNS; i++) {
    for (const b of benches) {
      targets.forEach((node, n) => {
        for (const mode of MODES) runOnce(b, n, node, mode);
      });
    }
    log(`  round ${i + 1}/${RUNS} done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }

  // Report.
  const loadAfter = os.loadavg()[0];
  const cpus = os.cpus();
  const med = (ms) => stats(ms).median;
  const cell = (b, n, mode) => `${fmtMs(med(of(samples, b.id)[n][mode]))} · ${fmtMs(med(of(cpu, b.id)[n][mode]))}`;
  const ratio = (m, b, n) => med(of(m, b.id)[n].warm) / med(of(m, b.id)[n].off);
  const rows = [];
  for (const b of benches) {
    rows.push([`**${b.title}**`, ...targets.map(() => "")]);
    for (const mode of MODES) rows.push([`↳ ${mode.title}`, ...targets.map((_, n) => cell(b, n, mode.id))]);
    rows.push([
      "↳ _warm cache vs off_",
      ...targets.map(
        (node, n) =>
          `${ratio(samples, b, n).toFixed(2)}× · **${ratio(cpu, b, n).toFixed(2)}×**${node.hasCompileCache ? "" : " (no cache on this Node)"}`,
      ),
    ]);
  }
  const headers = [
    "Benchmark (a fresh `node` process each; wall time · CPU time, medians)",
    ...targets.map((n) => `Node ${n.version}`),
  ];
  const busy = Math.max(loadBefore, loadAfter) > 0.5 * cpus.length;
  const body = [
    "## Node.js versions",
    "",
    `_${new Date().toISOString().replace("T", " ").slice(0, 16)} UTC · ${cpus[0]?.model?.trim() ?? "unknown CPU"} · ${cpus.length} cores · ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM · ${os.platform()} ${os.release()} · ${RUNS} runs each · 1-min load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)} (start → end)_`,
    "",
    ...(busy
      ? [
          `> ⚠️ The machine was shared during this run (load average above ${(0.5 * cpus.length).toFixed(1)} on ${cpus.length} cores): the absolute times are noisy; the CPU times (user + system) are the steadier measure: compare those, within a column.`,
          "",
        ]
      : []),
    `The built CLI's cold start on each supported Node: ${targets.map((n) => `${n.version} (${n.how})`).join(", ")}. The CLI turns on Node's on-disk compile cache (\`module.enableCompileCache()\`, Node ≥ 22.1; Node 20 has no such API, so its three rows measure the same thing and show the noise).`,
    "",
    table(headers, rows, ["", ...targets.map(() => "r")]),
    "",
    `**Method.** \`tools/bench/src/node-versions.mjs\`: every sample is a fresh \`node\` process (the Node of its column) running \`packages/cli/dist/bin.js\`, timed from spawn to exit (wall) and by its own \`process.cpuUsage()\` at exit (CPU: user + system of all its threads, loaded with \`--import\`), with its own \`TMPDIR\` (where the CLI keeps the cache: \`os.tmpdir()/node-compile-cache\`); _off_ sets \`NODE_DISABLE_COMPILE_CACHE=1\`; _first run_ starts from an empty cache; _warm_ reuses the cache an untimed earlier run of the same command wrote. Rounds interleave every Node and mode. \`generate\` of @semtrace/openinference runs its own \`generate\` script in a temporary mirror of the repo (output restored before each run); the validate inputs are the CLI benchmark's OpenInference spans (\`cli-data.mjs\`, 2% with a type error, so validate exits 1), and every Node must print the same report. Re-run with \`npm run bench:node-versions -w @semtrace/bench -- --write\` after a build (it installs the Nodes of \`.ci/node-versions\` as CI does, if missing).`,
  ].join("\n");
  process.stdout.write(`\n${body}\n\n`);
  if (values.write) {
    updateSection(join(repoRoot, "BENCHMARKS.md"), "node-versions", body);
    log(`BENCHMARKS.md updated (section "Node.js versions"); ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  log(`1-min load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)}`);
} catch (error) {
  log(`bench failed: ${/** @type {Error} */ (error).message}`);
  process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
