#!/usr/bin/env node
/**
 * `semtrace stats` on the CLI benchmark's OTLP JSON Lines file (the same generator as cli-validate.mjs: 200,000
 * realistic OpenInference spans in traces of 10, with times, failures and first-token events), against the floor of
 * reading the file line by line and `JSON.parse`-ing every line, alternated in the same run.
 *
 *   node tools/bench/src/cli-stats.mjs [--spans 200000] [--runs 3] [--write]
 *
 * Rows: the floor, `stats` (json report; the goal: ≤ 1.3× the floor), and `stats --html` (a second pass that
 * validates every span and keeps the slowest and erroring traces for the page). Every sample is a fresh `node`
 * process of the built bin. --write rewrites the "cli-stats" section of BENCHMARKS.md.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeJsonl } from "./cli-data.mjs";
import { builtBin, log, parseOnly, repoRoot, run } from "./cli-floor.mjs";
import { stats } from "./measure.mjs";
import { table, updateSection } from "./report.mjs";

const { values } = parseArgs({
  options: { spans: { type: "string" }, runs: { type: "string" }, write: { type: "boolean" } },
});
const SPANS = Number(values.spans ?? 200_000);
const RUNS = Number(values.runs ?? 3);
const BATCH = 50;
const GOAL = 1.3;
const LOAD_BEFORE = os.loadavg()[0];
const bin = builtBin();

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mib = (bytes) => `${(bytes / 1048576).toFixed(0)} MiB`;

const tmp = mkdtempSync(join(os.tmpdir(), "semtrace-bench-stats-"));
try {
  log(`generating ${SPANS.toLocaleString("en-US")} spans …`);
  const file = join(tmp, "spans.jsonl");
  await writeJsonl(file, { spans: SPANS, batch: BATCH, gzip: true });
  const rows = [];
  const goals = [];
  let report;
  let pageBytes = 0;
  for (const [label, input] of [
    ["JSONL", file],
    ["JSONL, gzip", `${file}.gz`],
  ]) {
    const floor = [];
    const plain = [];
    const html = [];
    for (let r = 0; r < RUNS; r++) {
      floor.push(parseOnly(input, SPANS));
      const s = run([bin, "stats", "--reporter", "json", input]);
      if (s.status !== 0) throw new Error(`semtrace stats exited ${s.status}: ${s.stderr.slice(0, 2000)}`);
      // Every run, from either input, must print the same report.
      report ??= s.stdout;
      if (s.stdout !== report) throw new Error(`semtrace stats printed a different report on ${label} run ${r + 1}`);
      plain.push(s);
      const page = join(tmp, "page.html");
      const h = run([bin, "stats", "--reporter", "json", "--html", page, input]);
      if (h.status !== 0) throw new Error(`semtrace stats --html exited ${h.status}: ${h.stderr.slice(0, 2000)}`);
      if (h.stdout !== report) throw new Error("semtrace stats --html printed a different report");
      pageBytes = statSync(page).size;
      html.push(h);
      log(
        `${label} run ${r + 1}: parse ${Math.round(floor.at(-1)?.ms ?? Number.NaN)} ms / ${Math.round(floor.at(-1)?.rss ?? Number.NaN)} MiB, stats ${Math.round(s.ms)} ms / ${Math.round(s.rss)} MiB, --html ${Math.round(h.ms)} ms / ${Math.round(h.rss)} MiB`,
      );
    }
    const base = stats(floor.map((x) => x.ms)).median;
    const bytes = statSync(input).size;
    const peak = (samples) => `${Math.round(Math.max(...samples.map((x) => x.rss)))} MiB`;
    rows.push([label, mib(bytes), "readline + JSON.parse only", seconds(base), "1.00×", "—", peak(floor)]);
    for (const [what, samples] of /** @type {[string, typeof plain][]} */ ([
      ["semtrace stats", plain],
      ["semtrace stats --html (two passes, every span validated)", html],
    ])) {
      const t = stats(samples.map((x) => x.ms)).median;
      rows.push([
        "",
        "",
        what,
        seconds(t),
        `${(t / base).toFixed(2)}×`,
        Math.round(SPANS / (t / 1000)).toLocaleString("en-US"),
        peak(samples),
      ]);
    }
    const ratio = stats(plain.map((x) => x.ms)).median / base;
    goals.push([
      `${label}: semtrace stats ≤ ${GOAL}× JSON.parse of every line`,
      `${ratio.toFixed(2)}×`,
      ratio <= GOAL ? "✅ pass" : "❌ fail",
    ]);
  }
  const summary = JSON.parse(String(report)).summary;
  if (summary.spans !== SPANS) throw new Error(`semtrace stats counted ${summary.spans} spans`);

  const load = LOAD_BEFORE.toFixed(2);
  const cpu = os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ") ?? "unknown CPU";
  const busy = Number(load) > os.cpus().length * 0.5;
  const body = `## CLI: semtrace stats

_${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ${cpu} · ${os.cpus().length} cores · Node ${process.version} · 1-min load average ${load} before the runs_

\`semtrace stats\` on the CLI benchmark's file (${SPANS.toLocaleString("en-US")} spans in ${summary.traces.toLocaleString("en-US")} traces, ${(SPANS / BATCH).toLocaleString("en-US")} lines of ${BATCH}-span ExportTraceServiceRequests), against reading the same file with \`readline\` and \`JSON.parse\`-ing every line (the floor for a JSON Lines reader in one thread), alternated in the same run. \`stats\` runs in one thread.${busy ? ` **Measured on a busy machine** (load average ${load} on ${os.cpus().length} cores, other work running): both sides slow down, but not equally, so re-run on an idle machine before relying on the ratio.` : ""}

${table(["Input", "Size", "Run", "Wall time (median)", "vs JSON.parse", "Spans/s", "Peak RSS"], rows, ["", "r", "", "r", "r", "r", "r"])}

${table(["Goal", "Measured", "Result"], goals, ["", "r", ""])}

- The report: ${summary.errors.toLocaleString("en-US")} failed spans (${(summary.errorRate * 100).toFixed(2)}%), span duration p50 ${summary.durationMs.p50} ms / p95 ${summary.durationMs.p95} ms, ${summary.tokens.total.toLocaleString("en-US")} tokens, cost $${summary.cost.total.toFixed(2)} — the same bytes from every run and both inputs, with and without \`--html\`.
- The page (\`--html\`, default caps: the 10 slowest and 10 erroring traces in full): ${(pageBytes / 1024).toFixed(0)} KiB.

**Method.** \`tools/bench/src/cli-stats.mjs\`: the generator of \`cli-data.mjs\` writes the file and its gzip into a temporary folder; then, ${RUNS} times for each input, a fresh \`node\` process doing only readline + \`JSON.parse\`, one running the built \`packages/cli/dist/bin.js stats --reporter json\`, and one adding \`--html <file>\`. Wall time is the median, process start and module loading included; peak RSS is the child's \`process.resourceUsage().maxRSS\` (maximum over runs). \`stats\` reads with validate's readers (JSON Lines split on the bytes, not decoded through \`readline\`). Re-run with \`npm run bench:stats -w @semtrace/bench -- --write\` after a build.
`;
  process.stdout.write(`${body}\n`);
  if (values.write) updateSection(join(repoRoot, "BENCHMARKS.md"), "cli-stats", body);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
