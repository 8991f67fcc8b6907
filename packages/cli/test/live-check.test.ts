import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { OTLPTraceExporter as HttpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as HttpProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";
import {
  LIVE_CHECK_HELP,
  runLiveCheckCommand,
  startLiveCheck,
  type LiveCheckSettings,
} from "../src/validate/live-check.js";
import { loadRegistries } from "../src/validate/registries.js";
import { TextCollector } from "../src/validate/report.js";
import { runValidateCommand } from "../src/validate/command.js";
import { captureGenAISpans } from "@semtrace/real-spans";
import { realSpanFiles, writeFormats } from "./helpers/formats.js";
import { liveCheck } from "./helpers/live.js";
import { withoutSources } from "./helpers/reports.js";

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(spans, (result) =>
      result.code === 0 ? resolve() : reject(result.error ?? new Error(`export failed: ${result.code}`)),
    );
  });
}

async function validateFiles(...files: string[]) {
  const { code, stdout } = await validateText(["--reporter", "json", ...files]);
  return { code, stdout, report: JSON.parse(stdout) };
}

async function validateText(argv: string[]) {
  let stdout = "";
  const code = await runValidateCommand(argv, {
    stdout: (s) => (stdout += s),
    stderr: () => {},
    cwd: "/",
    progress: false,
    color: false,
  });
  return { code, stdout };
}

/** Runs `body` with os.tmpdir() pointing at a fresh, empty folder (where the json collector spools). */
async function withTmpdir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "semtrace-live-tmp-"));
  const saved = process.env["TMPDIR"];
  process.env["TMPDIR"] = dir;
  try {
    expect(tmpdir()).toBe(dir);
    return await body(dir);
  } finally {
    if (saved === undefined) delete process.env["TMPDIR"];
    else process.env["TMPDIR"] = saved;
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * OTLP/JSON requests of LLM spans that each carry 9 findings (2 errors, 7 infos), with names and values that
 * need escaping in JSON: `requests × perRequest × 9` findings in all.
 */
function requestsWithFindings(requests: number, perRequest: number) {
  const s = (key: string, v: string) => ({ key, value: { stringValue: v } });
  return Array.from({ length: requests }, (_, r) => ({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: Array.from({ length: perRequest }, (_, i) => {
              const n = r * perRequest + i;
              return {
                traceId: n.toString(16).padStart(32, "0"),
                spanId: (n + 1).toString(16).padStart(16, "0"),
                name: `chat "${n}" ✓ 𝄞 \u2028`,
                attributes: [
                  s("openinference.span.kind", "LLM"),
                  s("llm.token_count.prompt", `n=${n}`),
                  s("openinference.span.kind2", "x"),
                  s("llm.input_messages.0.message.role", `rôle\n${n}`),
                ],
              };
            }),
          },
        ],
      },
    ],
  }));
}

/** POSTs the requests one after another (so they arrive in order) as OTLP/JSON, every other one gzipped. */
async function postInOrder(url: string, requests: readonly object[]): Promise<void> {
  for (const [k, request] of requests.entries()) {
    const json = Buffer.from(JSON.stringify(request));
    const gzip = k % 2 === 1;
    const res = await fetch(url, {
      method: "POST",
      body: gzip ? gzipSync(json) : json,
      headers: { "content-type": "application/json", ...(gzip ? { "content-encoding": "gzip" } : {}) },
    });
    expect(res.status).toBe(200);
  }
}

/** Temporary folders of this file's tests, removed at the end. */
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "semtrace-live-"));
  scratch.push(dir);
  return dir;
}

/** The requests as the Collector's file exporter writes them: JSON Lines, one request a line. */
function writeJsonl(requests: readonly object[]): string {
  const file = join(scratchDir(), "requests.jsonl");
  writeFileSync(file, requests.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return file;
}

describe("semtrace live-check", () => {
  it("receives spans from the real OTLP/HTTP JSON and protobuf exporters (gzip too) and reports what validate reports (sources aside)", async () => {
    const real = await realSpanFiles();
    const spans = [...real.spans];
    // Then many findings (well past the json reporter's 64 KiB spool threshold), which validate reads from a file.
    const many = requestsWithFindings(40, 25);
    const manyFile = writeJsonl(many);
    const total = spans.length * 3 + 40 * 25;
    const { code, stdout, stderr } = await liveCheck(
      ["--reporter", "json", "--exit-after", String(total), "--timeout", "20"],
      async (url) => {
        await exportWith(new HttpJsonExporter({ url }), spans);
        await exportWith(new HttpProtoExporter({ url }), spans);
        await exportWith(new HttpProtoExporter({ url, compression: "gzip" as never }), spans);
        await postInOrder(url, many);
      },
    );
    expect(stderr).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/v1\/traces/);
    const files = await validateFiles(
      real.files["otlp.json"]!,
      real.files["otlp.pb"]!,
      real.files["otlp.pb.gz"]!,
      manyFile,
    );
    const live = JSON.parse(stdout);
    expect(withoutSources(live)).toEqual(withoutSources(files.report));
    // A finding's source is the request it came in; in order, one request per export.
    expect(live.findings[0].source).toEqual({ file: "<request 1>" });
    expect(live.findings.at(-1).source).toEqual({ file: `<request ${3 + 40}>` });
    expect(live.summary.spans).toBe(total);
    expect(live.findings.length).toBeGreaterThanOrEqual(40 * 25 * 9);
    expect(Buffer.byteLength(stdout)).toBeGreaterThan(1024 * 1024);
    expect(code).toBe(files.code);
    expect(code).toBe(1);
  }, 60_000);

  it("--max-content-chars: JSON content past it is checked for its syntax only, with an info; within it, checked", async () => {
    const messages = JSON.stringify([{ role: "user", parts: [{ type: "text" }] }]);
    const s = (key: string, v: string) => ({ key, value: { stringValue: v } });
    const request = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "1".padStart(32, "0"),
                  spanId: "2".padStart(16, "0"),
                  name: "chat",
                  attributes: [
                    s("gen_ai.operation.name", "chat"),
                    s("gen_ai.provider.name", "openai"),
                    s("gen_ai.request.model", "m"),
                    s("gen_ai.input.messages", messages),
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const run = async (extra: string[]) => {
      const { stdout } = await liveCheck(
        ["-r", "genai", "--reporter", "json", "--exit-after", "1", "--timeout", "20", ...extra],
        (url) => postInOrder(url, [request]),
      );
      return (JSON.parse(stdout) as { findings: { severity: string; rule: string; key: string }[] }).findings
        .filter((f) => f.rule.startsWith("content."))
        .map((f) => `${f.severity} ${f.rule} ${f.key}`);
    };
    expect(await run([])).toEqual(["error content.required gen_ai.input.messages[0].parts[0].content"]);
    expect(await run(["--max-content-chars", String(messages.length - 1)])).toEqual([
      "info content.not-checked gen_ai.input.messages",
    ]);
    expect(LIVE_CHECK_HELP).toContain("--max-content-chars");
  }, 60_000);

  it("GenAI spans of the real @opentelemetry/instrumentation-openai, through the real exporters, checked with both built-in registries: what validate reports", async () => {
    const { spans } = await captureGenAISpans();
    const formats = writeFormats(spans);
    const registries = ["-r", "openinference", "-r", "genai"];
    const { code, stdout } = await liveCheck(
      [...registries, "--reporter", "json", "--exit-after", String(spans.length * 2), "--timeout", "20"],
      async (url) => {
        await exportWith(new HttpJsonExporter({ url }), [...spans]);
        await exportWith(new HttpProtoExporter({ url, compression: "gzip" as never }), [...spans]);
      },
    );
    const files = await validateText([
      ...registries,
      "--reporter",
      "json",
      formats.files["otlp.json"]!,
      formats.files["otlp.pb.gz"]!,
    ]);
    expect(withoutSources(JSON.parse(stdout))).toEqual(withoutSources(JSON.parse(files.stdout)));
    expect(code).toBe(files.code);
    // The instrumentation still writes the deprecated provider key; no span is asked for OpenInference's kind.
    const rules = new Set(
      (JSON.parse(stdout) as { findings: { rule: string; key: string }[] }).findings.map((f) => `${f.rule} ${f.key}`),
    );
    expect(rules).toContain("key.deprecated gen_ai.system");
    expect(rules).toContain("attribute.required gen_ai.provider.name");
    expect([...rules].filter((r) => r.includes("openinference.span.kind"))).toEqual([]);
  }, 60_000);

  it("answers 413 / 400 / 415 / 404 with a reason, keeps running, and counts the rejected requests", async () => {
    const { code, stdout, stderr } = await liveCheck(
      ["--reporter", "json", "--max-body-bytes", "1000", "--timeout", "20"],
      async (url, live) => {
        const post = (body: string | Uint8Array, headers: Record<string, string>) =>
          fetch(url, { method: "POST", body, headers });
        const big = await post("x".repeat(5000), { "content-type": "application/json" });
        expect(big.status).toBe(413);
        const bomb = await post(gzipSync(Buffer.from(`{"resourceSpans":[],"pad":"${" ".repeat(100_000)}"}`)), {
          "content-type": "application/json",
          "content-encoding": "gzip",
        });
        expect(bomb.status).toBe(413);
        const bad = await post("{nope", { "content-type": "application/json" });
        expect(bad.status).toBe(400);
        expect(((await bad.json()) as { message: string }).message).toContain("invalid JSON body");
        const shape = await post('{"resourceSpans":{}}', { "content-type": "application/json" });
        expect(shape.status).toBe(400);
        expect(((await shape.json()) as { message: string }).message).toContain("resourceSpans: expected an array");
        const proto = await post(new Uint8Array([0x0a, 0xff, 0xff]), { "content-type": "application/x-protobuf" });
        expect(proto.status).toBe(400);
        expect((await post("{}", { "content-type": "text/plain" })).status).toBe(415);
        expect((await fetch(url.replace("/v1/traces", "/v1/logs"), { method: "POST", body: "{}" })).status).toBe(404);
        expect((await fetch(url)).status).toBe(405);
        const ok = await post(
          JSON.stringify({
            resourceSpans: [
              {
                scopeSpans: [
                  {
                    spans: [
                      { name: "s", attributes: [{ key: "openinference.span.kind", value: { stringValue: "CHAIN" } }] },
                    ],
                  },
                ],
              },
            ],
          }),
          { "content-type": "application/json" },
        );
        expect(ok.status).toBe(200);
        await live.stop();
      },
    );
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(report.summary).toMatchObject({ spans: 1, rejected: 6 });
    expect(stderr).toContain(
      "<request 1>: 413: request body of 5,000 bytes is over the limit of 1,000 bytes (--max-body-bytes)",
    );
  }, 30_000);

  it("stops after --timeout; usage errors exit 2; --help documents every flag", async () => {
    const started = Date.now();
    const { code, stdout } = await liveCheck(["--timeout", "0.2"], async () => {});
    expect(code).toBe(0);
    expect(stdout).toContain("0 spans, 0 errors, 0 warnings, 0 infos");
    // It ran until the timer, not less; that it stopped at all is the test's own timeout's to catch.
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    let err = "";
    expect(
      await runLiveCheckCommand(["--port", "nope"], { stdout: () => {}, stderr: (s) => (err += s), cwd: "/" }),
    ).toBe(2);
    expect(err).toContain("--port expects a number");
    let help = "";
    expect(await runLiveCheckCommand(["--help"], { stdout: (s) => (help += s), stderr: () => {}, cwd: "/" })).toBe(0);
    for (const flag of [
      "--host",
      "--port",
      "--timeout",
      "--exit-after",
      "--max-body-bytes",
      "--registry",
      "--reporter",
      "--output",
      "--fail-on",
      "--help",
    ])
      expect(help).toContain(flag);
  });
});

describe("semtrace live-check keeps memory bounded like validate", () => {
  it("json: spools the findings to a temporary file while receiving, writes them to --output byte for byte, and removes the spool", async () => {
    const many = requestsWithFindings(20, 25); // 4,500 findings, about 1 MiB of report
    const out = join(scratchDir(), "report.json");
    await withTmpdir(async (dir) => {
      const { code, stdout } = await liveCheck(["--reporter", "json", "--output", out], async (url, live) => {
        await postInOrder(url, many);
        // Every request has been answered, so every finding has reached the collector: it is on disk, not in memory.
        const spools = readdirSync(dir);
        expect(spools).toHaveLength(1);
        expect(spools[0]).toMatch(/^semtrace-report-/);
        expect(statSync(join(dir, spools[0]!, "findings.json")).size).toBeGreaterThan(900 * 1024);
        await live.stop();
      });
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(readdirSync(dir)).toEqual([]);
    });
    const files = await validateFiles(writeJsonl(many));
    expect(withoutSources(JSON.parse(readFileSync(out, "utf8")))).toEqual(withoutSources(files.report));
    expect(files.report.findings).toHaveLength(20 * 25 * 9);
  }, 30_000);

  it("json: a report that cannot be written exits 2 and still removes the spool", async () => {
    await withTmpdir(async (dir) => {
      const { code, stdout, stderr } = await liveCheck(
        ["--reporter", "json", "--output", join(dir, "missing", "report.json")],
        async (url, live) => {
          await postInOrder(url, requestsWithFindings(4, 25));
          expect(readdirSync(dir).filter((d) => d.startsWith("semtrace-report-"))).toHaveLength(1);
          await live.stop();
        },
      );
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toContain(`semtrace live-check: cannot write ${join(dir, "missing", "report.json")}`);
      expect(readdirSync(dir)).toEqual([]);
    });
  }, 30_000);

  it("text: lists the first 100 findings of each rule and counts the rest, as validate does", async () => {
    const many = requestsWithFindings(10, 25); // 250 spans, each with one finding of value.type and of key.unknown
    const { code, stdout } = await liveCheck(["--exit-after", "250", "--fail-on", "warning"], (url) =>
      postInOrder(url, many),
    );
    expect(code).toBe(1);
    const files = await validateText(["--fail-on", "warning", writeJsonl(many)]);
    expect(stdout).toBe(files.stdout);
    const lines = stdout.split("\n");
    const rule = lines.indexOf("value.type (250)");
    expect(rule).toBeGreaterThanOrEqual(0);
    expect(lines.slice(rule + 1, rule + 101).every((l) => l.startsWith("  error   chat "))).toBe(true);
    expect(lines[rule + 101]).toBe("  … and 150 more (use --reporter json for all of them)");
    expect(lines).toContain("attribute.recommended (1500)");
    expect(lines).toContain("  … and 1400 more (use --reporter json for all of them)");
    expect(lines.filter((l) => /^ {2}(error|warning|info) /.test(l))).toHaveLength(4 * 100);
    expect(stdout.trimEnd().split("\n").at(-1)).toBe(
      "250 spans (judged: 250 openinference, 0 genai; 0 other), 500 errors, 0 warnings, 1750 infos",
    );
  }, 30_000);

  it("--max-findings-per-rule: the text report lists as many of each rule as validate's with the flag, and sarif keeps as many", async () => {
    const many = requestsWithFindings(4, 5);
    const text = await liveCheck(["--exit-after", "20", "--max-findings-per-rule", "3"], (url) =>
      postInOrder(url, many),
    );
    expect(text.stdout).toBe((await validateText(["--max-findings-per-rule", "3", writeJsonl(many)])).stdout);
    expect(text.stdout.split("\n")).toContain("  … and 17 more (use --reporter json for all of them)");
    const sarif = await liveCheck(
      ["--exit-after", "20", "--reporter", "sarif", "--max-findings-per-rule", "3"],
      (url) => postInOrder(url, many),
    );
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string }[] }[] }).runs[0]!.results;
    const perRule = new Map<string, number>();
    for (const r of results) perRule.set(r.ruleId, (perRule.get(r.ruleId) ?? 0) + 1);
    expect(perRule.get("value.type")).toBe(3);
    expect(Math.max(...perRule.values())).toBeLessThanOrEqual(4); // 3 findings and one line counting the rest
  }, 30_000);

  it("as a library: resolves with the full report by default, or with the collector it is given", async () => {
    const registries = await loadRegistries(["openinference"], "/");
    const settings: LiveCheckSettings = {
      host: "127.0.0.1",
      port: 0,
      maxBodyBytes: 1 << 20,
      registries: ["openinference"],
      reporter: "text",
      failOn: "error",
    };
    const full = await startLiveCheck(settings, registries);
    await postInOrder(full.url, requestsWithFindings(2, 3));
    await full.stop();
    const report = await full.done;
    expect(report.spans).toBe(6);
    expect(report.findings).toHaveLength(6 * 9);
    expect(report.sources).toHaveLength(6 * 9);
    expect(report.sources[0]).toEqual({ file: "<request 1>" });
    expect(report.sources.at(-1)).toEqual({ file: "<request 2>" });
    expect(report.rejected).toEqual([]);

    const collector = new TextCollector(2);
    const live = await startLiveCheck({ ...settings, exitAfter: 6 }, registries, { collector });
    await postInOrder(live.url, requestsWithFindings(2, 3));
    const done = await live.done;
    expect(done).toBe(collector);
    expect([done.spans, done.errors, done.infos, done.fails("error")]).toEqual([6, 12, 42, true]);
    let text = "";
    done.write((s) => (text += s), { color: false });
    expect(text).toMatch(/^value\.type \(6\)\n( {2}error [^\n]*\n){2} {2}… and 4 more /m); // (U+2028 in the names: no `.`)
    // Stopped: nothing more reaches the collector.
    await expect(
      fetch(live.url, { method: "POST", body: "{}", headers: { "content-type": "application/json" } }),
    ).rejects.toThrow();
    expect(done.spans).toBe(6);
  }, 30_000);
});
