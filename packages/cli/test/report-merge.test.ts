import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { runValidateCommand } from "../src/validate/command.js";
import { REPORTERS } from "../src/validate/report.js";
import { realSpanFiles, type FormatFiles } from "./helpers/formats.js";
import { tempDir } from "./helpers/tmp.js";

async function run(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: "/" });
  return { code, stdout, stderr };
}

async function validate(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runValidateCommand(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: "/",
    progress: false,
    color: false,
  });
  return { code, stdout, stderr };
}

const s = (key: string, v: string) => ({ key, value: { stringValue: v } });
const i = (key: string, v: number) => ({ key, value: { intValue: String(v) } });
const request = (spans: object[]) =>
  JSON.stringify({
    resourceSpans: [
      { resource: { attributes: [s("service.name", "shop")] }, scopeSpans: [{ scope: { name: "app" }, spans }] },
    ],
  });
const span = (n: number, name: string, attributes: object[]) => ({
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: n.toString(16).padStart(16, "0"),
  name,
  attributes,
});

let real: FormatFiles;
let dir: string;
let shardB: string;

beforeAll(async () => {
  real = await realSpanFiles();
  dir = tempDir("merge");
  // The second shard: an HTTP span with the session (an other span), a bad LLM span, a GenAI chat span.
  shardB = join(dir, "b.jsonl");
  writeFileSync(
    shardB,
    [
      request([span(1, "GET /chat", [s("http.request.method", "GET"), s("session.id", "s-1")])]),
      request([span(2, "bad llm", [s("openinference.span.kind", "LLM"), s("llm.token_count.prompt", "many")])]),
      request([
        span(3, "chat gpt-4o", [
          s("gen_ai.operation.name", "chat"),
          s("gen_ai.provider.name", "openai"),
          s("gen_ai.request.model", "gpt-4o"),
          i("gen_ai.usage.input_tokens", 3),
        ]),
      ]),
    ].join("\n") + "\n",
  );
}, 60_000);

describe("semtrace report merge", () => {
  it("the json reports of two shards merge into what one run over both inputs reports, in every reporter (coverage too)", async () => {
    const a = join(dir, "a.json");
    const b = join(dir, "b.json");
    for (const [input, out] of [
      [real.files["otlp.jsonl"]!, a],
      [shardB, b],
    ] as const) {
      const shard = await validate(["--reporter", "json", "--coverage", "--output", out, input]);
      expect(shard.stderr).toBe("");
    }
    for (const reporter of REPORTERS) {
      // --coverage is for the text and json reports (the others have no place for it).
      const coverage = reporter === "text" || reporter === "json" ? ["--coverage"] : [];
      const whole = await validate(["--reporter", reporter, ...coverage, real.files["otlp.jsonl"]!, shardB]);
      expect(whole.stderr, reporter).toBe("");
      const merged = await run(["report", "merge", "--reporter", reporter, a, b]);
      expect(merged.stderr, reporter).toBe("");
      expect(merged.stdout, reporter).toBe(whole.stdout);
      expect(merged.code, reporter).toBe(whole.code);
      expect(merged.code).toBe(1);
    }
    const json = JSON.parse((await run(["report", "merge", "-f", "json", a, b])).stdout);
    expect(json.summary).toMatchObject({
      spans: real.spans.length + 3,
      other: 1,
      judged: { openinference: real.spans.length + 1, genai: 1 },
      errors: 1,
    });
    expect(json.coverage.map((c: { registry: string }) => c.registry)).toEqual(["openinference", "genai"]);
  });

  it("carries the rejected records of the runs (exit 2) and caps the listing like validate", async () => {
    const broken = join(dir, "broken.jsonl");
    writeFileSync(
      broken,
      `${request([span(9, "chain", [s("openinference.span.kind", "CHAIN")])])}\n{"resourceSpans":\n{nope\n`,
    );
    const report = join(dir, "broken.json");
    expect((await validate(["-f", "json", "-o", report, broken])).code).toBe(2);
    const merged = await run(["report", "merge", "--max-listed-per-kind", "1", report, report]);
    expect(merged.code).toBe(2);
    expect(merged.stdout.trimEnd().split("\n").at(-1)).toBe(
      "2 spans (judged: 2 openinference, 0 genai; 0 other), 0 errors, 0 warnings, 4 infos, 4 records rejected",
    );
    expect(merged.stderr).toContain(`semtrace report merge: ${broken}:2: invalid JSON`);
    expect(merged.stderr).toContain("… and 3 more");
  });

  it("no span judged in any report exits 2 unless --allow-empty", async () => {
    const http = join(dir, "http.jsonl");
    writeFileSync(http, `${request([span(1, "GET /", [s("http.request.method", "GET")])])}\n`);
    const report = join(dir, "http.json");
    expect((await validate(["-f", "json", "--allow-empty", "-o", report, http])).code).toBe(0);
    const merged = await run(["report", "merge", report, report]);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toContain("none of the 2 span(s) of the 2 report(s) was judged by a registry");
    expect((await run(["report", "merge", "--allow-empty", report])).code).toBe(0);
  });

  it("a report that is missing, not JSON, or not a semtrace json report: exit 2 naming the file and the place", async () => {
    const notJson = join(dir, "not.json");
    writeFileSync(notJson, "{ nope");
    const wrong = join(dir, "wrong.json");
    writeFileSync(
      wrong,
      JSON.stringify({
        summary: { spans: 1 },
        findings: [{ traceId: "t", spanId: "s", spanName: "n", key: "k", rule: "r", severity: "fatal", message: "m" }],
        rejected: [],
      }),
    );
    const cases: [string[], string][] = [
      [[join(dir, "missing.json")], `semtrace report merge: ${join(dir, "missing.json")}: cannot read: ENOENT`],
      [[notJson], `semtrace report merge: ${notJson}: invalid JSON: `],
      [
        [wrong],
        `semtrace report merge: ${wrong}: not a semtrace json report (semtrace validate --reporter json): findings[0].severity: expected "error", "warning" or "info"`,
      ],
      [["--reporter", "xml", wrong], "--reporter must be one of text, json, junit, github, sarif, not 'xml'"],
      [["--max-report-bytes", "10", wrong], `${wrong}: the report is `],
      [[], "no reports given"],
    ];
    for (const [argv, message] of cases) {
      const result = await run(["report", "merge", ...argv]);
      expect(result.code, message).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe("");
    }
    const unknown = await run(["report", "split"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown subcommand 'split': the one there is is 'merge'");
    const help = await run(["report", "merge", "--help"]);
    expect(help.code).toBe(0);
    for (const flag of [
      "--reporter",
      "--output",
      "--fail-on",
      "--allow-empty",
      "--max-report-bytes",
      "--max-findings-per-rule",
      "--max-listed-per-kind",
    ])
      expect(help.stdout).toContain(flag);
  });
});
