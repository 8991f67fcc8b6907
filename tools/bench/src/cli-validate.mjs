#!/usr/bin/env node
/**
 * `semtrace validate` on a large OTLP JSON Lines file, against the floor of reading the same file line by line
 * and `JSON.parse`-ing every line (no validation), in the same run.
 *
 *   node tools/bench/src/cli-validate.mjs [--spans 200000] [--runs 3] [--write]
 *
 * Generates realistic OpenInference spans (LLM chat turns with messages, tool calls and token counts; chains;
 * embeddings with vectors; retrievers with documents; ~2% carrying a type error) as the Collector's file exporter
 * writes them (one ExportTraceServiceRequest of 50 spans a line) into a temporary folder, plus its gzip. Every
 * sample is a fresh `node` process of the built bin; peak RSS is the child's `process.resourceUsage().maxRSS`.
 * --write rewrites the "CLI" section of BENCHMARKS.md.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { writeJsonl } from "./cli-data.mjs";
import { builtBin, log, parseOnly, repoRoot, run } from "./cli-floor.mjs";
import { liveCheckLoad } from "./cli-live.mjs";
import { stats } from "./measure.mjs";
import { table, updateSection } from "./report.mjs";

const { values } = parseArgs({
  options: {
    spans: { type: "string" },
    runs: { type: "string" },
    write: { type: "boolean" },
    "big-mib": { type: "string" },
    requests: { type: "string" },
  },
});
const BIG_MIB = Number(values["big-mib"] ?? 1024); // 0 skips the large-file run
const REQUESTS = Number(values.requests ?? 10_000);
const SPANS = Number(values.spans ?? 200_000);
const RUNS = Number(values.runs ?? 3);
const BATCH = 50;
// Taken before the runs: during them the benchmark's own processes (2 worker threads) raise it.
const LOAD_BEFORE = os.loadavg()[0];
const bin = builtBin();
// What `semtrace validate` picks by default (read from the built CLI, so the two cannot drift).
const { defaultJobs } = await import(pathToFileURL(join(repoRoot, "packages/cli/dist/internal.js")).href);
const JOBS = defaultJobs();

const tmp = mkdtempSync(join(os.tmpdir(), "semtrace-bench-cli-"));
try {
  log(`generating ${SPANS.toLocaleString("en-US")} spans …`);
  const file = join(tmp, "spans.jsonl");
  await writeJsonl(file, { spans: SPANS, batch: BATCH, gzip: true });
  const sizes = { jsonl: statSync(file).size, gz: statSync(`${file}.gz`).size };
  const rows = [];
  const notes = [];
  const goals = [];
  for (const [label, input] of [
    ["JSONL", file],
    ["JSONL, gzip", `${file}.gz`],
  ]) {
    const parse = [];
    const pooled = [];
    const single = [];
    /** @type {{ spans: number; errors: number; warnings: number; infos: number } | undefined} */
    let summary;
    let firstReport;
    const validate = (jobs) => {
      const v = run([bin, "validate", "--reporter", "json", ...(jobs ? ["--jobs", String(jobs)] : []), input]);
      if (v.status !== 1) throw new Error(`semtrace validate exited ${v.status}: ${v.stderr.slice(0, 2000)}`);
      // Every run, whatever --jobs, must print the same report.
      firstReport ??= v.stdout;
      if (v.stdout !== firstReport)
        throw new Error(`semtrace validate ${jobs ? `--jobs ${jobs}` : ""} printed a different report`);
      summary = JSON.parse(v.stdout).summary;
      if (summary?.spans !== SPANS) throw new Error(`semtrace validate counted ${summary?.spans} spans`);
      return v;
    };
    for (let r = 0; r < RUNS; r++) {
      const p = parseOnly(input, SPANS);
      parse.push(p);
      const v = validate(undefined);
      pooled.push(v);
      const v1 = validate(1);
      single.push(v1);
      log(
        `${label} run ${r + 1}: parse ${Math.round(p.ms)} ms / ${Math.round(p.rss)} MiB, validate ${Math.round(v.ms)} ms / ${Math.round(v.rss)} MiB, --jobs 1 ${Math.round(v1.ms)} ms / ${Math.round(v1.rss)} MiB`,
      );
    }
    const pt = stats(parse.map((x) => x.ms));
    const bytes = label === "JSONL" ? sizes.jsonl : sizes.gz;
    rows.push([
      label,
      `${(bytes / 1048576).toFixed(0)} MiB`,
      "readline + JSON.parse only",
      `${(pt.median / 1000).toFixed(2)} s`,
      "1.00×",
      "—",
      `${Math.round(Math.max(...parse.map((x) => x.rss)))} MiB`,
    ]);
    for (const [what, samples] of /** @type {[string, typeof pooled][]} */ ([
      [`semtrace validate (default: --jobs ${JOBS})`, pooled],
      ["semtrace validate --jobs 1", single],
    ])) {
      const t = stats(samples.map((x) => x.ms));
      rows.push([
        "",
        "",
        what,
        `${(t.median / 1000).toFixed(2)} s`,
        `${(t.median / pt.median).toFixed(2)}×`,
        Math.round(SPANS / (t.median / 1000)).toLocaleString("en-US"),
        `${Math.round(Math.max(...samples.map((x) => x.rss)))} MiB`,
      ]);
    }
    const ratio = stats(pooled.map((x) => x.ms)).median / pt.median;
    goals.push([
      `${label}: semtrace validate ≤ 1.3× JSON.parse of every line`,
      `${ratio.toFixed(2)}×`,
      ratio <= 1.3 ? "✅ pass" : "❌ fail",
    ]);
    if (summary === undefined) throw new Error(`${label}: no run reported a summary`);
    notes.push(
      `${label}: ${summary.errors.toLocaleString("en-US")} errors, ${summary.warnings.toLocaleString("en-US")} warnings, ${summary.infos.toLocaleString("en-US")} infos reported (the same report from every run)`,
    );
  }
  // --- a ≥ 1 GiB file: bounded memory --------------------------------------------------------------------------
  const bigRows = [];
  if (BIG_MIB > 0) {
    const need = BIG_MIB * 1048576;
    const free = os.freemem();
    const perSpan = sizes.jsonl / SPANS;
    const bigSpans = Math.ceil(need / perSpan / BATCH) * BATCH;
    const bigFile = join(tmp, "big.jsonl");
    log(
      `generating ${bigSpans.toLocaleString("en-US")} spans (≥ ${BIG_MIB} MiB; ${Math.round(free / 1048576)} MiB RAM free) …`,
    );
    await writeJsonl(bigFile, { spans: bigSpans, batch: BATCH, distinct: 400 });
    const bigBytes = statSync(bigFile).size;
    const p = parseOnly(bigFile);
    bigRows.push([
      "readline + JSON.parse only",
      `${(bigBytes / 1048576).toFixed(0)} MiB`,
      `${(p.ms / 1000).toFixed(2)} s`,
      "—",
      `${Math.round(p.rss)} MiB`,
    ]);
    for (const [reporter, jobs] of [
      ["json", undefined],
      ["text", undefined],
      ["json", 1],
    ]) {
      const out = join(tmp, `report.${reporter}`);
      const v = run([
        bin,
        "validate",
        "--reporter",
        reporter,
        ...(jobs ? ["--jobs", String(jobs)] : []),
        "--output",
        out,
        bigFile,
      ]);
      if (v.status !== 1) throw new Error(`semtrace validate exited ${v.status}: ${v.stderr.slice(0, 2000)}`);
      const findings = reporter === "json" ? JSON.parse(readFileSync(out, "utf8")).findings.length : NaN;
      bigRows.push([
        `semtrace validate --reporter ${reporter}${jobs ? ` --jobs ${jobs}` : ` (--jobs ${JOBS})`}`,
        `${(bigBytes / 1048576).toFixed(0)} MiB`,
        `${(v.ms / 1000).toFixed(2)} s`,
        reporter === "json" ? `${findings.toLocaleString("en-US")} findings written` : "counts + first 100 per rule",
        `${Math.round(v.rss)} MiB`,
      ]);
      log(
        `${BIG_MIB} MiB, ${reporter}${jobs ? ` --jobs ${jobs}` : ""}: ${Math.round(v.ms)} ms / ${Math.round(v.rss)} MiB`,
      );
      rmSync(out, { force: true });
    }
    rmSync(bigFile, { force: true });
  }

  // --- live-check under load -------------------------------------------------------------------------------------
  log(`live-check: ${REQUESTS.toLocaleString("en-US")} requests …`);
  const live = await liveCheckLoad({ bin, requests: REQUESTS, spansPerRequest: 10, concurrency: 12 });
  log(`live-check: ${Math.round(live.spansPerSecond)} spans/s, RSS ${Math.round(live.rssMiB)} MiB`);

  const load = LOAD_BEFORE.toFixed(2);
  const cpu = os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ") ?? "unknown CPU";
  const body = `## CLI

_${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ${cpu} · ${os.cpus().length} cores · Node ${process.version} · 1-min load average ${load} before the runs_

\`semtrace validate\` on ${SPANS.toLocaleString("en-US")} spans (${(SPANS / BATCH).toLocaleString("en-US")} lines of ${BATCH}-span ExportTraceServiceRequests), against reading the same file with \`readline\` and \`JSON.parse\`-ing every line (the floor for a JSON Lines reader in one thread), in the same run. \`semtrace validate\` uses every CPU by default (\`--jobs ${JOBS}\` here), so its row is the wall time a user waits; the \`--jobs 1\` row is the one-thread cost.${Number(load) > os.cpus().length * 0.5 ? ` **Measured on a busy machine** (load average ${load} on ${os.cpus().length} cores, other benchmarks running): both sides slow down, but not equally, so re-run on an idle machine before relying on the ratio.` : ""}

${table(["Input", "Size", "Run", "Wall time (median)", "vs JSON.parse", "Spans/s", "Peak RSS"], rows, ["", "r", "", "r", "r", "r", "r"])}

${table(["Goal", "Measured", "Result"], goals, ["", "r", ""])}

${notes.map((n) => `- ${n}`).join("\n")}

${
  bigRows.length > 0
    ? `**Memory on a large file** (the issue's bound: RSS under 300 MB on 1 GB of JSON Lines). One run each, same generator (${BIG_MIB} MiB target; batches repeat with fresh span ids), report written with \`--output\` to the temporary folder. Each worker thread has its own JavaScript heap, so peak RSS grows with \`--jobs\` (the \`--jobs 1\` row is the one-thread figure); at most ${JOBS * 3} batches of 512 KiB are in flight whatever the file size:

${table(["Run", "Size", "Wall time", "Report", "Peak RSS"], bigRows, ["", "r", "r", "", "r"])}
`
    : ""
}
**live-check under load**: ${live.requests.toLocaleString("en-US")} OTLP/HTTP POSTs of ${live.spansPerRequest} spans each (half OTLP/JSON, half protobuf; mean body ${(live.meanBodyBytes / 1024).toFixed(1)} KiB) from a bounded generator on loopback, ${live.concurrency} in flight over keep-alive, to a fresh \`semtrace live-check --port 0 --reporter json\` process:

${table(["Requests", "Spans", "Wall time", "Requests/s", "Spans/s", "RSS idle", "RSS after the last request", "Peak RSS"], [[live.requests.toLocaleString("en-US"), (live.requests * live.spansPerRequest).toLocaleString("en-US"), `${live.seconds.toFixed(2)} s`, Math.round(live.requestsPerSecond).toLocaleString("en-US"), Math.round(live.spansPerSecond).toLocaleString("en-US"), `${Math.round(live.idleRssMiB)} MiB`, `${Math.round(live.rssMiB)} MiB`, `${Math.round(live.peakRssMiB)} MiB`]], ["r", "r", "r", "r", "r", "r", "r", "r"])}

(${live.summary.errors.toLocaleString("en-US")} errors and ${live.summary.infos.toLocaleString("en-US")} infos reported, 0 rejected; RSS from \`/proc/<pid>/status\` VmRSS/VmHWM; live-check hands findings to the same collectors as validate, so with the json reporter they are spooled to a temporary file as they arrive and its memory does not grow with the number of findings.)

**Method.** \`tools/bench/src/cli-validate.mjs\`: generates realistic OpenInference spans (60% LLM chat turns with messages, tool calls and token counts, 20% chains, 10% embeddings with vectors, 10% retrievers with documents; 2% with a type error) into a temporary folder, then alternates ${RUNS} runs of each: a fresh \`node\` process running the built \`packages/cli/dist/bin.js validate --reporter json\` (default OpenInference registry, stdout captured) with its default worker pool (${JOBS} worker threads on this machine, started for inputs of 64 MiB or more, gzip counted decompressed, as both inputs here are: JSON Lines are parsed and validated in batches of 512 KiB, results applied in input order) and again with \`--jobs 1\` (everything in the main thread), and a fresh process doing only readline + \`JSON.parse\` in one thread. Every validate run must print the same report byte for byte, or the benchmark fails. Wall time is the median, including process start and module loading; peak RSS is the child's \`process.resourceUsage().maxRSS\` (maximum over runs). The text and json reporters keep memory bounded: text keeps per-rule counts and the first 100 findings of each rule; json serialises each finding as it comes and spools it to a temporary file (byte-identical output); junit, github and sarif keep every finding. Re-run with \`npm run bench:cli -w @semtrace/bench -- --write\` after a build.
`;
  process.stdout.write(`${body}\n`);
  if (values.write) updateSection(join(repoRoot, "BENCHMARKS.md"), "cli", body);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
