/**
 * `semtrace stats` keeps memory bounded by its caps, not by the input: the built CLI in a child process on 500,000
 * spans where every span has a name, a model, an error type and a trace of its own (every table and the trace table
 * past their caps), with and without the HTML page, and on traces of huge spans that the page keeps (its span data
 * capped by --max-page-bytes); peak RSS (the child's own maxRSS) under 300 MB.
 */
import { createWriteStream, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import type { StatsReport } from "../src/stats/aggregate.js";
import { builtBin, measure } from "./helpers/measured.js";
import { hexId, jsonl, nanos, type SpanSpec } from "./helpers/stats-spans.js";
import { tempDir } from "./helpers/tmp.js";

const LIMIT_MIB = 300;
const SPANS = 500_000;
const dir = tempDir("stats-resources");
let input: string;

/** Spans each unlike any other: its own trace, name, model and error type. */
function* uniqueSpans(): Generator<string> {
  const perLine = 100;
  for (let line = 0; line < SPANS / perLine; line++) {
    const spans = [];
    for (let k = 0; k < perLine; k++) {
      const i = line * perLine + k;
      spans.push({
        traceId: hexId(i + 1, 16),
        spanId: hexId(i + 1, 8),
        name: `op-${i}`,
        kind: 3,
        startTimeUnixNano: nanos(i),
        endTimeUnixNano: nanos(i + 1 + (i % 1000)),
        status: { code: 2, message: `failure ${i}` },
        attributes: [
          { key: "openinference.span.kind", value: { stringValue: "LLM" } },
          { key: "llm.model_name", value: { stringValue: `model-${i}` } },
          { key: "llm.token_count.prompt", value: { intValue: "10" } },
          { key: "llm.token_count.completion", value: { intValue: "2" } },
          { key: "error.type", value: { stringValue: `Error${i}` } },
        ],
      });
    }
    yield `${JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] })}\n`;
  }
}

beforeAll(async () => {
  expect(existsSync(builtBin), `${builtBin} is missing: run \`npm run build\` first (turbo's test task does)`).toBe(
    true,
  );
  input = join(dir, "unique.jsonl.gz");
  await pipeline(Readable.from(uniqueSpans()), createGzip({ level: 1 }), createWriteStream(input));
}, 120_000);

describe("peak RSS of semtrace stats (under 300 MB)", () => {
  it("500,000 spans, each with its own trace, name, model and error type: every table capped, traces finished as they go", {
    timeout: 300_000,
  }, async () => {
    const run = await measure(["stats", "--reporter", "json", input]);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as StatsReport;
    expect(report.summary).toMatchObject({ spans: SPANS, traces: SPANS, errors: SPANS, tracesWithErrors: SPANS });
    expect(report.byName).toHaveLength(51);
    expect(report.byName.at(-1)).toMatchObject({ other: true, spans: SPANS - 50, keys: 10_000, keysAtLeast: true });
    expect(report.byModel).toHaveLength(51);
    expect(report.errors.types).toHaveLength(50);
    expect(report.errors.otherTypes.spans).toBe(SPANS - 50);
    expect(report.summary.tokens.total).toBe(SPANS * 12);
    expect(report.slowestTraces).toHaveLength(10);
    expect(report.notes.join("\n")).not.toMatch(/counted twice/);
    expect(run.peakMiB).toBeLessThan(LIMIT_MIB);
  });

  it("the same with --html: the second pass holds the kept traces only", { timeout: 300_000 }, async () => {
    const page = join(dir, "unique.html");
    const run = await measure(["stats", "--html", page, "--slowest", "50", "--error-traces", "50", input]);
    expect(run.status, run.stderr).toBe(0);
    expect(statSync(page).size).toBeLessThan(2_000_000);
    expect(run.peakMiB).toBeLessThan(LIMIT_MIB);
  });

  it("--html on traces of huge spans: the page's span data stays within --max-page-bytes (default 16 MiB), the rest counted", {
    timeout: 300_000,
  }, async () => {
    // 10 failing traces of 150 spans, each span 120 attributes of 1,000 characters: ~180 MB of span data the page
    // would hold without the cap (its JSON and the page built from it again as much).
    const traces = 10;
    const spansPerTrace = 150;
    const value = "x".repeat(1000);
    const attributes = Object.fromEntries(Array.from({ length: 120 }, (_, k) => [`app.field_${k}`, value]));
    function* lines(): Generator<string> {
      for (let t = 0; t < traces; t++) {
        const traceId = hexId(t + 1, 16);
        for (let k = 0; k < spansPerTrace; k++) {
          const span: SpanSpec = {
            traceId,
            spanId: hexId(t * 1000 + k + 1, 8),
            ...(k > 0 ? { parent: hexId(t * 1000 + 1, 8) } : {}),
            name: `step-${k}`,
            startMs: t * 10_000 + k,
            durationMs: k === 0 ? 5000 : 10,
            attributes,
            ...(k === 1 ? { status: { code: 2, message: "failed" } } : {}),
          };
          yield jsonl([[span]]);
        }
      }
    }
    const huge = join(dir, "huge.jsonl.gz");
    await pipeline(Readable.from(lines()), createGzip({ level: 1 }), createWriteStream(huge));
    const page = join(dir, "huge.html");
    const run = await measure(["stats", "--reporter", "json", "--html", page, huge]);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as StatsReport;
    expect(report.summary).toMatchObject({ spans: traces * spansPerTrace, traces, tracesWithErrors: traces });
    const size = statSync(page).size;
    expect(size).toBeGreaterThan(15 * 1024 * 1024);
    expect(size).toBeLessThan(17 * 1024 * 1024);
    // Every kept trace got its share: some spans shown, the rest counted.
    const data = JSON.parse(
      /<script type="application\/json" id="semtrace-data">(.*?)<\/script>/s.exec(readFileSync(page, "utf8"))![1]!,
    ) as { traces: { spans: unknown[]; overPageBudget: number }[] };
    expect(data.traces).toHaveLength(traces);
    for (const t of data.traces) {
      expect(t.spans.length).toBeGreaterThan(0);
      expect(t.spans.length + t.overPageBudget).toBe(spansPerTrace);
    }
    expect(run.peakMiB).toBeLessThan(LIMIT_MIB);
  });
});
