#!/usr/bin/env node
/**
 * Per-stage timing of the generator, in-process. Run as a child process (so "module load" is a true cold import):
 *
 *   node stages.mjs <dist/index.js> <naming|""> <spec dir>[:runs] [<spec dir>[:runs] ...]
 *
 * Runs the pipeline `runs` times (default 3) on each spec in turn, all in this one process, and prints one JSON
 * line: { import, specs: [{ spec, runs: [{ load, validate, resolve, emit, print, total }], counts }] }.
 * The very first run is cold (first call of every stage, JIT not warmed up); later runs are warm. Run with
 * --expose-gc to collect garbage (untimed) between stages.
 */
import { performance } from "node:perf_hooks";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";

const [dist, namingArg, ...specArgs] = process.argv.slice(2);
if (!dist || specArgs.length === 0) {
  console.error('usage: node stages.mjs <dist/index.js> <naming|""> <spec dir>[:runs] ...');
  process.exit(2);
}

let t = performance.now();
/** With --expose-gc: collect between stages (untimed) so one stage's garbage is not charged to the next. */
const settle = () => {
  if (globalThis.gc) {
    globalThis.gc();
    t = performance.now();
  }
};
const lap = () => {
  const now = performance.now();
  const ms = now - t;
  t = now;
  return ms;
};

const cg = await import(pathToFileURL(dist).href);
const importMs = lap();

const specs = [];
for (const arg of specArgs) {
  const m = /** @type {RegExpExecArray} */ (/^(.*?)(?::(\d+))?$/.exec(arg)); // matches every argument
  specs.push({ spec: m[1], ...(await time(m[1], Number(m[2] ?? 3))) });
}
process.stdout.write(`${JSON.stringify({ import: importMs, specs })}\n`);

async function time(spec, runs) {
  const results = [];
  let counts;
  for (let i = 0; i < runs; i++) {
    settle();
    lap();
    const { registry: raw, diagnostics } = await cg.loadRegistry(spec);
    const load = lap();
    settle();
    const naming = cg.namingFor(raw, namingArg || undefined);
    const problems = cg.validateRegistry(raw, naming);
    const validate = lap();
    settle();
    const errors = [...diagnostics, ...problems].filter((d) => d.severity === "error");
    if (errors.length > 0) {
      console.error(`${errors.length} errors in ${spec}, first: ${cg.formatDiagnostic(errors[0])}`);
      process.exit(1);
    }
    const registry = cg.resolveRegistry(raw, { naming, fallbackName: basename(raw.root) || "registry" });
    const resolve = lap();
    settle();
    const structures = cg.emitRegistry(registry);
    const emit = lap();
    settle();
    const files = cg.printFiles(structures, { registry: registry.name, command: "bench" });
    const print = lap();
    results.push({ load, validate, resolve, emit, print, total: load + validate + resolve + emit + print });
    counts = {
      attributes: registry.attributes.filter((a) => a.emitted).length,
      files: files.size,
      bytes: [...files.values()].reduce((n, s) => n + s.length, 0),
    };
  }
  return { runs: results, counts };
}
