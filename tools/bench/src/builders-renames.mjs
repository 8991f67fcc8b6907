/**
 * What renames cost a builder: `node tools/bench/src/builders-renames.mjs [--base <git revision>] [--quick] [--write]`.
 *
 * The benchmark's chat span (builders.mjs) through `buildLLMAttributes` of two builds in one process: the
 * @semtrace/openinference of `--base` (default: the merge base with main; its source and its runtime's taken with
 * `git archive`) and this tree's, both bundled alike by esbuild (alias fields for renamed attributes, the unknown-field check:
 * first 32 calls, then one in 256, only while a hook is set), each in its own timing loop, taking turns, in both
 * orders. Three rows: with the hook set (as @semtrace/core sets it), without, with again. Goal: at most 10% slower.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { onUnknownBuilderInput } from "@semtrace/runtime";
import { chatInput } from "./builders.mjs";
import { log, repoRoot } from "./cli-floor.mjs";
import { compare, fmtNs } from "./micro.mjs";
import { updateSection } from "./report.mjs";

const { values } = parseArgs({
  options: { base: { type: "string" }, quick: { type: "boolean" }, write: { type: "boolean" } },
});
const git = (...args) => execFileSync("git", args, { cwd: repoRoot, encoding: "utf8" }).trim();
const base = values.base ?? git("merge-base", "HEAD", "main");
const label = `${values.base ?? "merge base with main"} (${base.slice(0, 10)})`;

/**
 * `buildLLMAttributes` of @semtrace/openinference bundled by esbuild from its source and its runtime's: at `rev`
 * (taken with `git archive`), or from this tree. Both sides are bundled alike, so only the code differs.
 */
async function bundledBuilder(rev) {
  const dir = mkdtempSync(join(tmpdir(), "semtrace-bench-renames-"));
  try {
    const src = rev === undefined ? repoRoot : dir;
    if (rev !== undefined)
      execFileSync(
        "sh",
        ["-c", `git archive ${rev} packages/openinference/src packages/runtime/src | tar -x -C "${dir}"`],
        { cwd: repoRoot },
      );
    const out = join(dir, "bundle.mjs");
    await build({
      entryPoints: [join(src, "packages/openinference/src/index.ts")],
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      outfile: out,
      logLevel: "error",
      alias: {
        "@semtrace/runtime/internal": join(src, "packages/runtime/src/internal.ts"),
        "@semtrace/runtime": join(src, "packages/runtime/src/index.ts"),
      },
    });
    return (await import(out)).buildLLMAttributes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const before = await bundledBuilder(base);
// The hook lives on a global symbol: the one set below through @semtrace/runtime reaches this bundle's copy too.
const buildLLMAttributes = await bundledBuilder(undefined);
const same =
  JSON.stringify(Object.entries(before(chatInput)).sort()) ===
  JSON.stringify(Object.entries(buildLLMAttributes(chatInput)).sort());
if (!same) throw new Error("the two builders write different attributes for the benchmark's span");

// CPU time per call: on a shared machine, time spent descheduled is not counted.
const options = values.quick ? { rounds: 3, sliceMs: 80, clock: "cpu" } : { rounds: 15, sliceMs: 150, clock: "cpu" };
const warn = () => {};
const rows = [];
const loads = [];
const control = await bundledBuilder(base);
const runs = [
  ["hook set (as with @semtrace/core loaded)", warn, buildLLMAttributes],
  ["no hook", undefined, buildLLMAttributes],
  ["hook set, again", warn, buildLLMAttributes],
  ["control: the base against a second bundle of itself (the noise floor)", warn, control],
];
for (const [name, hook, candidate] of runs) {
  onUnknownBuilderInput(hook);
  loads.push(loadavg()[0]);
  // Both orders, since the candidate timed first in a round runs measurably differently on a loaded machine (an
  // A/A run of one build against itself read 0.92×): the ratio is the geometric mean of the two orders'.
  const [a1, b1] = compare(
    [
      { name: "base", fn: before, arg: chatInput },
      { name: "this tree", fn: candidate, arg: chatInput },
    ],
    options,
  );
  const [b2, a2] = compare(
    [
      { name: "this tree", fn: candidate, arg: chatInput },
      { name: "base", fn: before, arg: chatInput },
    ],
    options,
  );
  const ratio = Math.sqrt((b1.nsPerOp / a1.nsPerOp) * (b2.nsPerOp / a2.nsPerOp));
  rows.push({
    name,
    base: (a1.nsPerOp + a2.nsPerOp) / 2,
    ours: (b1.nsPerOp + b2.nsPerOp) / 2,
    ratio,
    orders: [b1.nsPerOp / a1.nsPerOp, b2.nsPerOp / a2.nsPerOp],
  });
  log(
    `${name}: base ${fmtNs(a1.nsPerOp)} / ${fmtNs(a2.nsPerOp)}, this tree ${fmtNs(b1.nsPerOp)} / ${fmtNs(b2.nsPerOp)}, ${ratio.toFixed(2)}×`,
  );
}
onUnknownBuilderInput(undefined);

const ratios = rows.slice(0, 3).map((r) => r.ratio);
const when = new Date().toISOString().slice(0, 16).replace("T", " ");
const body = [
  "## Builders: rename aliases and the unknown-field check (issue 14)",
  "",
  `_${when} UTC · ${cpus()[0]?.model.trim() ?? "unknown CPU"} · ${cpus().length} cores · Node ${process.version} · 1-min load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} (a shared machine: absolute times are noisy; the ratios are side by side in one process)_`,
  "",
  `The benchmark's chat span through \`buildLLMAttributes\`: the ${label} build of @semtrace/openinference against this tree's (deprecated alias fields for renamed attributes; the check of unknown input fields on the first 32 calls, then one in 256, only while a hook is set), both bundled alike by esbuild from their source, each in its own timing loop, ${options.rounds} rounds of ${options.sliceMs} ms, CPU time per call, median, in both orders (the ratio is the geometric mean of the two) (\`node tools/bench/src/builders-renames.mjs --write\`).`,
  "",
  "| Run | base | this tree | Ratio (base first / this tree first) | Ratio |",
  "| --- | ---: | ---: | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.name} | ${fmtNs(r.base)} | ${fmtNs(r.ours)} | ${r.orders.map((x) => `${x.toFixed(2)}×`).join(" / ")} | ${r.ratio.toFixed(2)}× |`,
  ),
  "",
  `Goal: at most 10% slower (≤ 1.10×) — ${Math.max(...ratios) <= 1.1 ? "met" : "NOT met"} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×). The steady-state cost is one counter increment per call.`,
].join("\n");
process.stdout.write(`${body}\n`);
if (values.write) updateSection(join(repoRoot, "BENCHMARKS.md"), "builder-renames", body);
