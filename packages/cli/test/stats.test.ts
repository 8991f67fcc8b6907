/**
 * `semtrace stats`: what spans add up to (tables by kind, name and model, percentiles, errors, tokens and cost, time
 * to first chunk, slowest and erroring traces), its caps, and its handling of inputs (the same as validate's).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { computeCost } from "@semtrace/core";
import { describe, expect, it } from "vitest";
import type { NameRow, OtherRow } from "../src/stats/aggregate.js";
import { hexId, jsonl, stats, statsJson, type SpanSpec } from "./helpers/stats-spans.js";
import { tempDir } from "./helpers/tmp.js";

function file(name: string, text: string | Buffer, dir = tempDir("stats")): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const A = "a".repeat(32);
const B = "b".repeat(32);
const C = "c".repeat(32);

/** An agent turn (OpenInference): a CHAIN root, two LLM calls (one carrying its own cost), a failing tool. */
const openinferenceTrace: SpanSpec[] = [
  {
    traceId: A,
    spanId: hexId(2, 8),
    parent: hexId(1, 8),
    name: "chat",
    startMs: 100,
    durationMs: 300,
    attributes: {
      "openinference.span.kind": "LLM",
      "llm.model_name": "gpt-4o-mini",
      "llm.provider": "openai",
      "llm.token_count.prompt": 100,
      "llm.token_count.completion": 20,
      "llm.token_count.total": 120,
    },
  },
  {
    traceId: A,
    spanId: hexId(3, 8),
    parent: hexId(1, 8),
    name: "chat",
    startMs: 500,
    durationMs: 400,
    attributes: {
      "openinference.span.kind": "LLM",
      "llm.model_name": "gpt-4o-mini",
      "llm.provider": "openai",
      "llm.token_count.prompt": 200,
      "llm.token_count.completion": 50,
      "llm.token_count.total": 250,
      "llm.cost.total": 0.5,
    },
  },
  {
    traceId: A,
    spanId: hexId(4, 8),
    parent: hexId(1, 8),
    name: "search",
    startMs: 400,
    durationMs: 50,
    attributes: { "openinference.span.kind": "TOOL" },
    status: { code: 2, message: "rate limited" },
    events: [
      {
        name: "exception",
        atMs: 50,
        attributes: { "exception.type": "RateLimitError", "exception.message": "429 Too Many Requests" },
      },
    ],
  },
  {
    traceId: A,
    spanId: hexId(1, 8),
    name: "agent",
    startMs: 0,
    durationMs: 1000,
    attributes: { "openinference.span.kind": "CHAIN" },
  },
];
/** A GenAI agent (OpenTelemetry conventions): the agent span rolls up its chat's usage; the chat streams. */
const genaiTrace: SpanSpec[] = [
  {
    traceId: B,
    spanId: hexId(6, 8),
    parent: hexId(5, 8),
    name: "chat claude-sonnet-4-5",
    startMs: 10,
    durationMs: 2000,
    kind: 3,
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-sonnet-4-5",
      "gen_ai.usage.input_tokens": 1000,
      "gen_ai.usage.output_tokens": 100,
      "gen_ai.response.time_to_first_chunk": 0.25,
    },
  },
  {
    traceId: B,
    spanId: hexId(5, 8),
    name: "invoke_agent support",
    startMs: 0,
    durationMs: 3000,
    attributes: {
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.usage.input_tokens": 1000,
      "gen_ai.usage.output_tokens": 100,
    },
  },
];
/** A span of neither convention, alone in its trace. */
const otherTrace: SpanSpec[] = [
  { traceId: C, spanId: hexId(7, 8), name: "GET /health", startMs: 0, durationMs: 5, kind: 2 },
];

describe("semtrace stats", () => {
  it("adds up spans by kind, name and model, with errors, tokens, cost, time to first chunk and traces", async () => {
    const input = file("spans.jsonl", jsonl([openinferenceTrace, genaiTrace, otherTrace]));
    const r = await statsJson([input]);
    const claude = computeCost("claude-sonnet-4-5", { input: 1000, output: 100 })!.total!;
    const mini = computeCost("gpt-4o-mini", { input: 100, output: 20 })!.total!;
    expect(claude).toBeGreaterThan(0);
    expect(r.summary).toMatchObject({
      spans: 7,
      traces: 3,
      tracesWithErrors: 1,
      errors: 1,
      errorRate: Number((1 / 7).toFixed(6)),
      rejected: 0,
      start: "2023-11-14T22:13:20.000Z",
      end: "2023-11-14T22:13:23.000Z",
    });
    // Only model calls add usage: the agent span's roll-up is not counted twice.
    expect(r.summary.tokens).toEqual({ spans: 3, input: 1300, output: 170, total: 120 + 250 + 1100 });
    expect(r.summary.cost.total).toBeCloseTo(mini + 0.5 + claude, 6);
    expect(r.summary.cost).toMatchObject({ fromSpans: 1, fromPriceTable: 2, unpriced: 0, currency: "USD" });
    expect(r.summary.timeToFirstChunkMs).toEqual({ count: 1, p50: 250, p95: 250, max: 250 });
    expect(r.notes.join("\n")).toMatch(
      /usage on 1 span that is not a model call \(invoke_agent\): 1,100 tokens, not added/,
    );

    expect(r.byKind.map((k) => ["kind" in k ? k.kind : "other", k.spans, k.errors])).toEqual([
      // Most spans first, then by convention and kind.
      ["LLM", 2, 0],
      ["chat", 1, 0],
      ["invoke_agent", 1, 0],
      ["CHAIN", 1, 0],
      ["TOOL", 1, 1],
      ["other", 1, 0],
    ]);
    const chat = r.byName.find((n) => "name" in n && n.name === "chat") as NameRow;
    expect(chat).toMatchObject({
      kind: "LLM",
      convention: "openinference",
      spans: 2,
      durationMs: { count: 2, max: 400 },
      tokens: { spans: 2, input: 300, output: 70, total: 370 },
    });
    expect(chat.cost.total).toBeCloseTo(mini + 0.5, 6);
    expect(r.byModel).toEqual([
      expect.objectContaining({
        provider: "openai",
        model: "gpt-4o-mini",
        spans: 2,
        tokens: { spans: 2, input: 300, output: 70, total: 370 },
        cost: { total: Number((mini + 0.5).toFixed(6)), fromSpans: 1, fromPriceTable: 1, unpriced: 0 },
      }),
      expect.objectContaining({
        provider: "anthropic",
        model: "claude-sonnet-4-5",
        spans: 1,
        timeToFirstChunkMs: { count: 1, p50: 250, p95: 250, max: 250 },
      }),
    ]);
    expect(r.errors).toEqual({
      spans: 1,
      rate: Number((1 / 7).toFixed(6)),
      types: [
        {
          type: "RateLimitError",
          spans: 1,
          example: { message: "429 Too Many Requests", traceId: A, spanId: hexId(4, 8), spanName: "search" },
        },
      ],
      otherTypes: { spans: 0, types: 0 },
      exceptionEvents: 1,
      exceptionsWithoutError: 0,
    });
    // A trace lasts as long as its root span.
    expect(r.slowestTraces.map((t) => [t.traceId, t.durationMs, t.root?.name, t.spans, t.errors])).toEqual([
      [B, 3000, "invoke_agent support", 2, 0],
      [A, 1000, "agent", 4, 1],
      [C, 5, "GET /health", 1, 0],
    ]);
    expect(r.errorTraces).toEqual([
      expect.objectContaining({
        traceId: A,
        errorType: "RateLimitError",
        tokens: 370,
        start: "2023-11-14T22:13:20.000Z",
      }),
    ]);
  });

  it("percentiles are within 1% of the exact ones, max exact, over 20,000 spans in any order", async () => {
    // Durations spread over five orders of magnitude, shuffled.
    const durations = Array.from({ length: 20_000 }, (_, i) => Math.round(0.5 * 1.0007 ** i * 1000) / 1000);
    const shuffled = durations
      .map((d, i) => [d, (i * 7919) % 20_000] as const)
      .sort((a, b) => a[1] - b[1])
      .map(([d]) => d);
    const groups: SpanSpec[][] = [];
    for (let g = 0; g < 200; g++)
      groups.push(
        shuffled.slice(g * 100, g * 100 + 100).map((d, k) => ({
          traceId: hexId(g * 100 + k + 1, 16),
          spanId: hexId(g * 100 + k + 1, 8),
          name: "op",
          durationMs: d,
        })),
      );
    const r = await statsJson([file("many.jsonl", jsonl(groups))]);
    const sorted = [...durations].sort((a, b) => a - b);
    const exact = (q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;
    expect(r.summary.durationMs.count).toBe(20_000);
    expect(r.summary.durationMs.max).toBe(sorted.at(-1));
    for (const [q, got] of [
      [0.5, r.summary.durationMs.p50],
      [0.95, r.summary.durationMs.p95],
    ] as const) {
      expect(Math.abs(got - exact(q)) / exact(q)).toBeLessThanOrEqual(0.0101);
    }
  });

  it('caps each table and sums the long tail as "other" (names, models, error types)', async () => {
    const spans: SpanSpec[] = [];
    for (let i = 0; i < 12; i++) {
      spans.push({
        traceId: hexId(i + 1, 16),
        spanId: hexId(i + 1, 8),
        name: `job-${i % 6}`,
        durationMs: 10 + i,
        attributes: {
          "openinference.span.kind": "LLM",
          "llm.model_name": `model-${i % 4}`,
          "llm.token_count.prompt": 10,
          "llm.token_count.completion": 1,
        },
        status: { code: 2 },
        events: [{ name: "exception", atMs: 1, attributes: { "exception.type": `E${i % 5}` } }],
      });
    }
    const r = await statsJson([
      "--max-names",
      "2",
      "--max-models",
      "3",
      "--max-error-types",
      "2",
      "--no-prices",
      file("tail.jsonl", jsonl([spans])),
    ]);
    expect(r.byName.map((n) => ("other" in n ? `other:${(n as OtherRow).keys}` : (n as NameRow).name))).toEqual([
      "job-0",
      "job-1",
      "other:4",
    ]);
    expect(r.byName.reduce((a, n) => a + n.spans, 0)).toBe(12);
    expect((r.byName.at(-1) as OtherRow).durationMs.count).toBe(8);
    expect(r.byModel.map((m) => ("other" in m ? `other:${(m as OtherRow).keys}` : m.model))).toEqual([
      "model-0",
      "model-1",
      "model-2",
      "other:1",
    ]);
    expect(r.byModel.reduce((a, m) => a + m.tokens.total, 0)).toBe(12 * 11);
    expect(r.errors.types.map((t) => [t.type, t.spans])).toEqual([
      ["E0", 3],
      ["E1", 3],
    ]);
    expect(r.errors.otherTypes).toEqual({ spans: 6, types: 3 });
    expect(r.method.caps).toMatchObject({ maxNames: 2, maxModels: 3, maxErrorTypes: 2 });
    expect(r.notes.join("\n")).toMatch(/unpriced: model-0 \(3\).*--no-prices/);
  });

  it("keeps the slowest traces in a bounded heap and one erroring trace of each type first", async () => {
    const types = ["X", "X", "X", "Y", "X", "Z"];
    const traces = types.map((type, i): SpanSpec[] => [
      {
        traceId: hexId(i + 1, 16),
        spanId: hexId(i + 1, 8),
        name: `t${i}`,
        durationMs: (i + 1) * 10,
        status: { code: 2 },
        attributes: { "error.type": type },
      },
    ]);
    const r = await statsJson(["--slowest", "2", "--error-traces", "3", file("errors.jsonl", jsonl(traces))]);
    expect(r.slowestTraces.map((t) => t.root?.name)).toEqual(["t5", "t4"]);
    expect(r.errorTraces.map((t) => `${t.root?.name}:${t.errorType}`)).toEqual(["t0:X", "t3:Y", "t5:Z"]);
  });

  it("finishes the trace touched least recently past --max-open-traces, and says when one comes back", async () => {
    const span = (trace: string, id: number, parent?: number): SpanSpec => ({
      traceId: trace,
      spanId: hexId(id, 8),
      ...(parent ? { parent: hexId(parent, 8) } : {}),
      name: `s${id}`,
      startMs: id,
      durationMs: 1,
    });
    // A's spans are far apart: B and C come in between.
    const input = file("interleaved.jsonl", jsonl([[span(A, 1)], [span(B, 2)], [span(C, 3)], [span(A, 4, 1)]]));
    const bounded = await statsJson(["--max-open-traces", "2", input]);
    expect(bounded.summary.traces).toBe(4);
    expect(bounded.notes.join("\n")).toMatch(
      /1 trace had spans far apart in the input \(more than 2 other traces in between\) and were counted twice; raise --max-open-traces/,
    );
    const enough = await statsJson(["--max-open-traces", "3", input]);
    expect(enough.summary.traces).toBe(3);
    expect(enough.notes.join("\n")).not.toMatch(/counted twice/);
  });

  it("says what it cannot count: spans without times, ending before they start, without a trace id", async () => {
    const text = [
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  { traceId: A, spanId: hexId(1, 8), name: "untimed" },
                  {
                    traceId: A,
                    spanId: hexId(2, 8),
                    name: "backwards",
                    startTimeUnixNano: "1700000001000000000",
                    endTimeUnixNano: "1700000000000000000",
                  },
                ],
              },
            ],
          },
        ],
      }),
      JSON.stringify([{ name: "plain", attributes: {} }]),
    ].join("\n");
    const r = await statsJson([file("odd.jsonl", text)]);
    expect(r.summary.spans).toBe(3);
    expect(r.summary.durationMs.count).toBe(0);
    expect(r.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^2 spans without a start or end time/),
        expect.stringMatching(/^1 span ending before it starts/),
        expect.stringMatching(/^1 span without a trace id/),
      ]),
    );
  });

  it("prints aligned text tables, control characters escaped", async () => {
    const spans: SpanSpec[] = [
      {
        traceId: A,
        spanId: hexId(1, 8),
        name: "evil\u001b]0;pwned\u0007name",
        durationMs: 1234,
        attributes: {
          "openinference.span.kind": "LLM",
          "llm.model_name": "gpt-4o",
          "llm.token_count.prompt": 1000,
          "llm.token_count.completion": 100,
        },
      },
    ];
    const run = await stats([file("text.jsonl", jsonl([spans]))]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/\u001b|\u0007/);
    expect(run.stdout).toContain("evil\\x1b]0;pwned\\x07name");
    expect(run.stdout).toMatch(/^1 span in 1 trace, 2023-11-14T22:13:20.000Z → 2023-11-14T22:13:21.234Z$/m);
    expect(run.stdout).toMatch(/^KIND +CONVENTION +SPANS +ERRORS +ERROR% +P50 +P95 +MAX +TOKENS +COST$/m);
    expect(run.stdout).toMatch(/^LLM +openinference +1 +0 +0\.0% +1\.2\d s +1\.2\d s +1\.23 s +1,100 +\$0\.0035$/m);
    expect(run.stdout).toMatch(/^openai|^\(unknown\) +gpt-4o +1 +0 /m);
  });

  it("reads every format validate reads, with the same results (real spans through the OpenTelemetry serializers)", async () => {
    const { realSpanFiles } = await import("./helpers/formats.js");
    const { files } = await realSpanFiles();
    const reports = new Map<string, string>();
    for (const [name, path] of Object.entries(files)) {
      if (name.startsWith("plain")) continue; // plain spans carry no times
      const r = await statsJson([path]);
      reports.set(name, JSON.stringify({ ...r, stderr: undefined }));
    }
    const first = [...reports.values()][0]!;
    for (const [name, text] of reports) expect(text, name).toBe(first);
    expect(JSON.parse(first).summary.spans).toBe(8);
  });

  it("reads stdin and directories; a rejected record is listed on stderr, exit 2, the rest still counted", async () => {
    const dir = tempDir("stats-dir");
    mkdirSync(join(dir, "nested"));
    file("a.jsonl", jsonl([otherTrace]), dir);
    file("b.jsonl", `${jsonl([genaiTrace])}{"resourceSpans": [oops\n`, join(dir, "nested"));
    file("notes.txt", "not a trace file", dir);
    const run = await stats(["--reporter", "json", dir]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ spans: 3, rejected: 1 });
    expect(run.stderr).toMatch(/semtrace stats: .*nested\/b\.jsonl:2: invalid JSON/);
    expect(run.stderr).toMatch(/note: .*notes\.txt: skipped: its name does not end in/);
    const piped = await statsJson(["-"], { stdin: Readable.from([Buffer.from(jsonl([openinferenceTrace]))]) });
    expect(piped.summary.spans).toBe(4);
  });

  it("exits 2 when nothing held a span (unless --allow-empty), naming the inputs", async () => {
    const empty = file("empty.jsonl", "");
    const run = await stats([empty]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /semtrace stats: no spans found \(the input: .*empty\.jsonl \(empty\)\); pass --allow-empty/,
    );
    expect((await stats(["--allow-empty", empty])).code).toBe(0);
  });

  const usage: [string[], RegExp][] = [
    [["--reporter", "xml", "x"], /unknown reporter 'xml': expected text or json/],
    [["--max-names", "0", "x"], /--max-names expects a whole number from 1 to 100000, found '0'/],
    [["--max-open-traces", "many", "x"], /--max-open-traces expects a whole number/],
    [["--html", "p.html", "--max-page-bytes", "lots", "x"], /--max-page-bytes expects a size in bytes/],
    [
      ["--registry", "genai", "x"],
      /--registry applies to the validation findings of the HTML page: give --html <file> too/,
    ],
    [["--max-record-bytes", "1Q", "x"], /--max-record-bytes expects a size in bytes/],
    [[], /no input/],
    [["-", "-"], /'-' \(stdin\) can be given only once/],
    [["--bogus", "x"], /Unknown option '--bogus'/],
  ];
  it.each(usage)("usage error %j: exit 2 and why", async (argv, message) => {
    const run = await stats(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/Run 'semtrace stats --help' for usage/);
  });

  it("--help lists every cap with its default; --output writes the report whole, or says why not", async () => {
    const help = await stats(["--help"]);
    expect(help.code).toBe(0);
    for (const flag of [
      "--max-names",
      "--max-models",
      "--max-error-types",
      "--max-open-traces",
      "--slowest",
      "--error-traces",
      "--max-trace-spans",
      "--max-page-bytes",
      "--max-listed-per-kind",
      "--max-record-bytes",
      "--max-span-values",
      "--max-document-spans",
      "--max-document-bytes",
      "--max-depth",
      "--max-yaml-bytes",
    ]) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toMatch(/--max-open-traces <n>[\s\S]*default\s+10,000/);
    const dir = tempDir("stats-out");
    const input = file("in.jsonl", jsonl([otherTrace]), dir);
    const out = join(dir, "report.json");
    expect((await stats(["--reporter", "json", "--output", out, input])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).summary.spans).toBe(1);
    const bad = await stats(["--output", join(dir, "missing", "report.txt"), input]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot write .*missing\/report\.txt/);
  });
});
