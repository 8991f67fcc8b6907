#!/usr/bin/env node
/**
 * Generator benchmarks (`npm run bench` at the root builds first, then runs this).
 *
 *   node tools/bench/src/run.mjs [--quick] [--no-write]
 *
 * Measures cold wall time of the built `semtrace generate` (a fresh `node` process per sample) for
 *   1. regenerating every package of the repo (spec/<name>/manifest.yaml with codegen.package → that package's
 *      `generate` script, run in a temporary mirror so committed files are never touched),
 *   2. the upstream OpenTelemetry semantic conventions 1.44.0 registry (../shared/conformance/..., if present),
 *   3. synthetic registries of 100 (fixed-cost baseline), 1k, 5k and 20k attributes,
 * plus per-stage timings in-process. Prints markdown and rewrites the "Generator" section of BENCHMARKS.md.
 *
 * --quick     one run per benchmark, no per-stage runs on synthetic registries (a smoke test, ~30 s)
 * --no-write  print only; leave BENCHMARKS.md alone
 * Exit code 1 when a generator run fails; missed goals are reported, not fatal.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fmtMs, parseSummary, runNode, runNodeParallel, stats } from "./measure.mjs";
import { generateTargets, mirrorTarget } from "./packages.mjs";
import { table, updateSection } from "./report.mjs";
import { writeSynthetic } from "./synthetic.mjs";

const { values: flags } = parseArgs({ options: { quick: { type: "boolean" }, "no-write": { type: "boolean" } } });
const quick = flags.quick ?? false;

const GOALS = { packagesMs: 1500, otelMs: 5000, scalingRatio: 1.5 };
const REPS = quick
  ? { packages: 1, otel: 1, synthetic: 1, otelStageRuns: 2 }
  : { packages: 5, otel: 3, synthetic: 3, otelStageRuns: 3 };
const SIZES = [100, 1000, 5000, 20000];
const BASELINE = 100;
const STAGE_SIZES = quick ? [] : [1000, 20000];
/** Relative to the repo root; SEMTRACE_BENCH_OTEL_MODEL overrides it (e.g. another checkout of the registry). */
const OTEL_MODEL = process.env.SEMTRACE_BENCH_OTEL_MODEL ?? "../shared/conformance/otel-semconv-1.44.0/model";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const here = fileURLToPath(new URL(".", import.meta.url));
const log = (s) => process.stderr.write(`${s}\n`);
const rel = (p) => relative(repoRoot, p) || ".";

const cliPackage = join(repoRoot, "packages/cli");
const cliBin = join(cliPackage, JSON.parse(readFileSync(join(cliPackage, "package.json"), "utf8")).bin.semtrace);
const codegenDist = join(repoRoot, "tools/codegen/dist/index.js");
for (const file of [cliBin, codegenDist]) {
  if (!existsSync(file)) {
    log(`${rel(file)} is missing: build first (npm run build, or npm run bench at the root, which builds).`);
    process.exit(1);
  }
}

/**
 * Cold means cold: on Node ≥ 22.1 the CLI keeps compiled code in os.tmpdir()/node-compile-cache, which every earlier
 * run (and any other semtrace run on the machine) warms. Off here; node-versions.mjs measures it on and off.
 */
const COLD = { NODE_DISABLE_COMPILE_CACHE: "1" };

const loadStart = os.loadavg()[0];
const started = Date.now();
const tmp = mkdtempSync(join(os.tmpdir(), "semtrace-bench-"));
const rows = [];
const packageStages = [];
const pass = (ok) => (ok ? "✅ pass" : "❌ fail");

/**
 * n timed cold runs of the CLI; returns stats plus the last run's stdout summary.
 * @param {string} label
 * @param {number} n
 * @param {readonly string[]} args
 * @param {{ cwd?: string; before?: () => void }} [options]
 */
function timeCli(label, n, args, { cwd = repoRoot, before } = {}) {
  const samples = [];
  let summary;
  for (let i = 0; i < n; i++) {
    before?.();
    const r = runNode(cliBin, args, { cwd, env: COLD });
    samples.push(r.ms);
    summary = parseSummary(r.stdout);
    log(`  ${label} #${i + 1}: ${fmtMs(r.ms)}`);
  }
  return { ...stats(samples), summary };
}

/** In-process stage timings (stages.mjs in one fresh process): `specs` are [dir, runs] pairs, timed in order. */
function stageRun(naming, specs) {
  const r = runNode(join(here, "stages.mjs"), [codegenDist, naming, ...specs.map(([dir, runs]) => `${dir}:${runs}`)], {
    cwd: repoRoot,
    nodeArgs: ["--expose-gc"],
  });
  return JSON.parse(String(r.stdout.trim().split("\n").pop()));
}

try {
  // 1. Every package of the repo.
  log("1. regenerating every package (temporary mirror of each package's output)");
  const { targets, problems } = generateTargets(repoRoot);
  for (const p of problems) log(`  warning: ${p}`);
  if (targets.length === 0) {
    rows.push([
      "Regenerate every package",
      `< ${fmtMs(GOALS.packagesMs)}`,
      "n/a",
      "n/a",
      "",
      0,
      "❌ no spec/*/manifest.yaml names a package with a `generate` script",
    ]);
  } else {
    const mirrorRoot = join(tmp, "repo");
    const mirrors = targets.map((t) => mirrorTarget(repoRoot, mirrorRoot, t));
    const per = targets.map(() => /** @type {number[]} */ ([]));
    const summaries = [];
    const totals = [];
    for (let rep = 0; rep < REPS.packages; rep++) {
      let sum = 0;
      targets.forEach((t, i) => {
        mirrors[i].reset();
        const r = runNode(cliBin, ["generate", ...t.args], { cwd: mirrors[i].cwd, env: COLD });
        per[i].push(r.ms);
        summaries[i] = parseSummary(r.stdout);
        sum += r.ms;
      });
      totals.push(sum);
      log(`  all packages #${rep + 1}: ${fmtMs(sum)}`);
    }
    const total = stats(totals);
    // What `npm run generate` does: turbo starts every package's generate at once (its default concurrency is 10).
    const parallel = [];
    for (let rep = 0; rep < REPS.packages; rep++) {
      for (const m of mirrors) m.reset();
      const r = await runNodeParallel(
        targets.map((t, i) => ({ script: cliBin, args: ["generate", ...t.args], cwd: mirrors[i].cwd, env: COLD })),
      );
      parallel.push(r.ms);
      log(`  all packages at once #${rep + 1}: ${fmtMs(r.ms)}`);
    }
    const wall = stats(parallel);
    log("  per-stage timing (in-process)");
    targets.forEach((t, i) => {
      const naming = /--naming[= ](\S+)/.exec(t.args.join(" "))?.[1] ?? "";
      const run = stageRun(naming, [[t.specDir, 1]]);
      packageStages.push({ name: t.packageName, import: run.import, ...run.specs[0], cli: stats(per[i]) });
    });
    rows.push([
      `Regenerate every package (${targets.length}): every package's \`generate\` at once, as \`npm run generate\` (turbo) runs them; wall time`,
      `< ${fmtMs(GOALS.packagesMs)}`,
      fmtMs(wall.median),
      fmtMs(wall.min),
      "",
      wall.runs,
      problems.length
        ? `${pass(wall.median < GOALS.packagesMs)} (${problems.length} warning${problems.length > 1 ? "s" : ""}: ${problems.join("; ")})`
        : pass(wall.median < GOALS.packagesMs),
    ]);
    rows.push([
      `↳ the same, one process after the other (summed: the CPU cost, and the wall time on one core)`,
      "",
      fmtMs(total.median),
      fmtMs(total.min),
      "",
      total.runs,
      "",
    ]);
    targets.forEach((t, i) => {
      const s = stats(per[i]);
      const sum = summaries[i];
      const status = !sum
        ? "no summary line"
        : mirrors[i].committedFiles === 0
          ? `no ${t.outArg} in the repo: ${sum.written} files written`
          : sum.written + sum.removed === 0
            ? `${sum.unchanged} files, identical to the repo's ${t.outArg}`
            : `⚠️ the repo's ${t.outArg} is stale (${sum.written} changed, ${sum.removed} removed)`;
      rows.push([
        `↳ ${t.packageName} (${sum?.attributes ?? "?"} attributes): \`semtrace generate ${t.args.join(" ")}\``,
        "",
        fmtMs(s.median),
        fmtMs(s.min),
        "",
        s.runs,
        status,
      ]);
    });
  }

  // 2. Upstream OpenTelemetry registry.
  const otelSpec = resolve(repoRoot, OTEL_MODEL);
  let otelStages;
  if (!existsSync(otelSpec)) {
    log(`2. SKIPPED: the OpenTelemetry 1.44.0 registry is not at ${otelSpec} (${OTEL_MODEL} from the repo root)`);
    rows.push([
      `OTel semantic conventions 1.44.0, \`--naming otel\``,
      `< ${fmtMs(GOALS.otelMs)}`,
      "n/a",
      "n/a",
      "",
      0,
      `⏭️ skipped: ${OTEL_MODEL} not found`,
    ]);
  } else {
    log("2. OpenTelemetry semantic conventions 1.44.0");
    const out = join(tmp, "otel-out");
    const t = timeCli("otel 1.44", REPS.otel, ["generate", "--spec", otelSpec, "--out", out, "--naming", "otel"], {
      before: () => rmSync(out, { recursive: true, force: true }),
    });
    rows.push([
      `OTel semantic conventions 1.44.0 (${t.summary?.attributes ?? "?"} attributes), \`--naming otel\`, into an empty dir`,
      `< ${fmtMs(GOALS.otelMs)}`,
      fmtMs(t.median),
      fmtMs(t.min),
      t.summary ? fmtMs(t.median / (t.summary.attributes / 1000)) : "",
      t.runs,
      pass(t.median < GOALS.otelMs),
    ]);
    log("  per-stage timing (in-process)");
    const run = stageRun("otel", [[otelSpec, REPS.otelStageRuns]]);
    otelStages = { import: run.import, ...run.specs[0], cli: t };
  }

  // 3. Synthetic registries.
  log("3. synthetic registries");
  const synthetic = new Map();
  for (const size of SIZES) {
    const spec = join(tmp, `synthetic-${size}`);
    const { stats: shape } = writeSynthetic(spec, size);
    const out = join(tmp, `synthetic-${size}-out`);
    const t = timeCli(`synthetic ${size}`, REPS.synthetic, ["generate", "--spec", spec, "--out", out], {
      before: () => rmSync(out, { recursive: true, force: true }),
    });
    if (t.summary && t.summary.attributes !== size)
      log(`  warning: the CLI reports ${t.summary.attributes} attributes for the ${size}-attribute registry`);
    synthetic.set(size, { ...t, shape, spec });
  }
  const base = synthetic.get(BASELINE).median;
  const net = (size) => (synthetic.get(size).median - base) / (size - BASELINE);
  for (const [size, t] of synthetic) {
    const s = t.shape;
    const what =
      size === BASELINE
        ? `Synthetic ${size} attributes (fixed-cost baseline)`
        : `Synthetic ${size / 1000}k attributes (${s.files} files, ${s.enums} enums, ${s.templates} templates, ${s.deprecated} deprecated, ${s.objects} objects, ${s.spans} spans)`;
    rows.push([
      what,
      "",
      fmtMs(t.median),
      fmtMs(t.min),
      size === BASELINE ? "" : fmtMs(t.median / (size / 1000)),
      t.runs,
      size === BASELINE ? "" : `net ${fmtMs(net(size) * 1000)} per 1k above baseline`,
    ]);
  }
  // Per-attribute cost 20k vs 1k, three ways: raw (start-up included, so it always looks sublinear), net of the
  // baseline's fixed cost, and incremental (slope 5k→20k over slope 1k→5k, the most sensitive to an O(n²) term).
  const m = (size) => synthetic.get(size).median;
  const rawRatio = m(20000) / 20 / m(1000);
  const netRatio = net(20000) / net(1000);
  const slopeRatio = (m(20000) - m(5000)) / 15000 / ((m(5000) - m(1000)) / 4000);
  const worst = Math.max(netRatio, slopeRatio);
  rows.push([
    "Scaling: cost per attribute, 20k vs 1k (net of baseline / incremental)",
    `≤ ${GOALS.scalingRatio}×`,
    `${netRatio.toFixed(2)}× / ${slopeRatio.toFixed(2)}×`,
    "",
    "",
    "",
    `${worst <= GOALS.scalingRatio ? "✅ linear" : "⚠️ superlinear"} (raw per-1k ratio ${rawRatio.toFixed(2)}×, start-up included)`,
  ]);
  let scaling;
  if (STAGE_SIZES.length === 2) {
    log(`  per-stage timing, synthetic ${STAGE_SIZES.join(" then ")} (in-process, one process)`);
    scaling = stageRun("", [
      [synthetic.get(STAGE_SIZES[0]).spec, 3],
      [synthetic.get(STAGE_SIZES[1]).spec, 1],
    ]);
  }

  // Report.
  const cpus = os.cpus();
  let commit = "";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: repoRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {}
  const loadEnd = os.loadavg()[0];
  const machine = [
    `${new Date().toISOString().replace("T", " ").slice(0, 16)} UTC`,
    commit && `commit ${commit}`,
    cpus[0]?.model?.trim() ?? "unknown CPU",
    `${cpus.length} cores`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `Node ${process.version}`,
    `${os.platform()} ${os.release()}`,
    `1-min load average ${loadStart.toFixed(2)} → ${loadEnd.toFixed(2)} (start → end)`,
  ].filter(Boolean);

  const busy = Math.max(loadStart, loadEnd) > 0.75 * cpus.length;
  const md = [
    "## Generator",
    "",
    `_${machine.join(" · ")}${quick ? " · **--quick: one run each**" : ""}_`,
    "",
    ...(busy
      ? [
          `> ⚠️ The machine was busy (load average above ${(0.75 * cpus.length).toFixed(1)} on ${cpus.length} cores) during this run: treat the times as upper bounds; **Min** is the better estimate.`,
          "",
        ]
      : []),
    table(
      [
        "Benchmark (cold: fresh `node` process, built CLI)",
        "Goal",
        "Median",
        "Min",
        "Per 1k attributes",
        "Runs",
        "Result",
      ],
      rows,
      ["", "", "r", "r", "r", "r", ""],
    ),
  ];

  // Stage table: one cold column per package, then OTel cold, warm and share.
  const stageKeys = [
    ["import", "Module load (import tools/codegen/dist, yaml)"],
    ["load", "Load (read files, parse YAML with positions)"],
    ["validate", "Validate"],
    ["resolve", "Resolve"],
    ["emit", "Emit (code model)"],
    ["print", "Print (code model → text)"],
    ["total", "**Total in-process**"],
  ];
  const coldColumn = (st) => ({ ...st.runs[0], import: st.import, total: st.import + st.runs[0].total });
  const columns = packageStages.map((st) => ({
    title: `${st.name} (${st.counts.attributes} attrs), cold`,
    values: coldColumn(st),
    cli: st.cli,
  }));
  let warm = [];
  if (otelStages) {
    columns.push({
      title: `OTel 1.44.0 (${otelStages.counts.attributes} attrs), cold`,
      values: coldColumn(otelStages),
      cli: otelStages.cli,
    });
    warm = otelStages.runs.slice(1);
  }
  if (columns.length > 0) {
    const otelCold = otelStages ? coldColumn(otelStages) : undefined;
    const stageRows = stageKeys.map(([k, name]) => [
      name,
      ...columns.map((c) => (k === "total" ? `**${fmtMs(c.values[k])}**` : fmtMs(c.values[k]))),
      ...(otelStages
        ? [
            warm.length && k !== "import" ? fmtMs(stats(warm.map((r) => r[k])).median) : "",
            `${((100 * otelCold[k]) / otelCold.total).toFixed(0)}%`,
          ]
        : []),
    ]);
    stageRows.push([
      "_For comparison: the CLI cold run (Node start-up, CLI, writing files included), median / min_",
      ...columns.map((c) => `${fmtMs(c.cli.median)} / ${fmtMs(c.cli.min)}`),
      ...(otelStages ? ["", ""] : []),
    ]);
    md.push(
      "",
      "### Where the time goes: by stage, in-process",
      "",
      table(
        [
          "Stage",
          ...columns.map((c) => c.title),
          ...(otelStages ? [`OTel warm (median of ${warm.length})`, "OTel share of cold"] : []),
        ],
        stageRows,
        ["", ...columns.map(() => "r"), "r", "r"],
      ),
    );
  }
  if (scaling) {
    const [a, b] = STAGE_SIZES;
    // a: median of its warm runs (2 and 3); b: its single run, in the same already-warm process.
    const warmA = scaling.specs[0].runs.slice(1);
    const sa = {
      runs: [Object.fromEntries(Object.keys(warmA[0]).map((k) => [k, stats(warmA.map((r) => r[k])).median]))],
    };
    const sb = scaling.specs[1];
    const keys = [
      ["load", "Load"],
      ["validate", "Validate"],
      ["resolve", "Resolve"],
      ["emit", "Emit"],
      ["print", "Print"],
      ["total", "**Total**"],
    ];
    const perK = (s, k, n) => s.runs[0][k] / (n / 1000);
    const stageRows = keys.map(([k, name]) => {
      const r = perK(sb, k, b) / perK(sa, k, a);
      const share = sb.runs[0][k] / sb.runs[0].total;
      // Small stages are noisy at 1k; flag only those that matter at 20k (≥ 10% of the total).
      const flag = r > GOALS.scalingRatio && share >= 0.1 ? " ⚠️ superlinear" : "";
      return [
        name,
        fmtMs(sa.runs[0][k]),
        fmtMs(sb.runs[0][k]),
        `${fmtMs(perK(sa, k, a))} → ${fmtMs(perK(sb, k, b))}`,
        `${(share * 100).toFixed(0)}%`,
        `${r.toFixed(2)}×${flag}`,
      ];
    });
    md.push(
      "",
      `### Scaling by stage: synthetic ${a / 1000}k vs ${b / 1000}k (in-process, one process; ${a / 1000}k: median of warm runs 2-3, ${b / 1000}k: one run after them; GC between stages)`,
      "",
      table(
        ["Stage", `${a / 1000}k`, `${b / 1000}k`, "Per 1k attributes", `Share at ${b / 1000}k`, "Ratio per attribute"],
        stageRows,
        ["", "r", "r", "r", "r", "r"],
      ),
    );
  }
  md.push(
    "",
    '**Method.** Every sample spawns a fresh `node` on the built CLI (`packages/cli/dist/bin.js generate …`) and times it from spawn to exit, so Node start-up and module loading are included, with Node\'s compile cache off (`NODE_DISABLE_COMPILE_CACHE=1`; its effect on Node ≥ 22.1 is in "Node.js versions"); median and min over the runs shown (the machine may be shared: see the load average).',
    "_Packages_: each `spec/<name>/manifest.yaml` with `codegen.package` → that package's own `generate` script, run unchanged in a temporary mirror (registry and committed `src/generated` copied, output restored before every run, so the banner and the up-to-date check behave as in the repo and no committed file is written); the total is the sum over packages of one run each.",
    `_OTel_: \`${OTEL_MODEL}\` into an empty temporary directory.`,
    "_Synthetic_: `tools/bench/src/synthetic.mjs` (deterministic): v1 `groups:` files, one folder per namespace, keys `ns<k>.area<j>.attr_<i>`, ~60% primitives and arrays, ~20% enums with 3-8 members, ~8% templates, ~5% deprecated (mostly `renamed_to`), `object` groups with `list[...]`/`object[...]` attributes, one span group per area referencing 3-10 attributes. Scaling compares the cost per attribute at 20k with 1k: _net_ = (median − median of the 100-attribute baseline) / (N − 100), _incremental_ = slope 5k→20k / slope 1k→5k; either above 1.5 is flagged as superlinear (the raw per-1k ratio includes start-up and JIT warm-up, so it falls with size even when a stage is quadratic).",
    "_Stages_: `tools/bench/src/stages.mjs` imports `tools/codegen/dist` in a fresh `node --expose-gc` process and times `loadRegistry`, `validateRegistry`, `resolveRegistry`, `emitRegistry`, `printFiles`, collecting garbage between stages (untimed); writing to disk is not a stage there.",
    "Re-run with `npm run bench` (builds first; `npm run bench -w @semtrace/bench -- --quick` for one run each); profile a run with `node tools/bench/src/profile.mjs -- packages/cli/dist/bin.js generate --spec <dir> --out <tmp>`.",
  );
  const markdown = md.join("\n");
  process.stdout.write(`\n${markdown}\n\n`);
  if (!flags["no-write"]) {
    updateSection(join(repoRoot, "BENCHMARKS.md"), "generator", markdown);
    log(`BENCHMARKS.md updated (section "Generator"); bench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } else log(`bench took ${((Date.now() - started) / 1000).toFixed(0)} s (BENCHMARKS.md not written: --no-write)`);
} catch (error) {
  log(`bench failed: ${/** @type {Error} */ (error).message}`);
  process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
