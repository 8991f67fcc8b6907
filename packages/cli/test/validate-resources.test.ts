/**
 * Every cap of `semtrace validate` under the hostile input that needs it: the built CLI runs in a child process on
 * small gzip files (and stdin) that expand to hundreds of megabytes, and its peak RSS (the child's own
 * `process.resourceUsage().maxRSS`, worker threads included) must stay under 300 MB while it reports the
 * problem by name, with the right exit code. Before these caps, the same inputs took 2.9 to 5 GB or ran out of memory.
 */
import { createWriteStream, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { builtBin, measure, peakBoundMiB } from "./helpers/measured.js";
import { tempDir } from "./helpers/tmp.js";

const dir = tempDir("resources");
const LIMIT_MIB = peakBoundMiB(300);

/** Writes the gzip of what `chunks` yields (repeated blocks compress to almost nothing, as in the attacks). */
async function gzipFile(name: string, chunks: () => Iterable<Buffer | string>, level = 9): Promise<string> {
  const file = join(dir, name);
  await pipeline(Readable.from(chunks()), createGzip({ level }), createWriteStream(file));
  return file;
}

function* repeat(block: Buffer | string, times: number): Generator<Buffer | string> {
  for (let i = 0; i < times; i++) yield block;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 127) {
    out.push((n % 128) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

const otlpSpan = (name: string, attributes: unknown[]) => ({
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  name,
  attributes,
});
const request = (spans: unknown[]) =>
  JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: "s" }, spans }] }] });
const chain = otlpSpan("chain", [{ key: "openinference.span.kind", value: { stringValue: "CHAIN" } }]);
/** An LLM span with a type error: 1 error and 6 infos (recommended attributes). */
const badLlm = otlpSpan("llm", [
  { key: "openinference.span.kind", value: { stringValue: "LLM" } },
  { key: "llm.token_count.prompt", value: { stringValue: "x" } },
]);

function summaryLine(stdout: string): string {
  return stdout.trimEnd().split("\n").at(-1)!;
}

beforeAll(() => {
  expect(existsSync(builtBin), `${builtBin} is missing: run \`npm run build\` first (turbo's test task does)`).toBe(
    true,
  );
});

describe(`peak RSS of semtrace validate under hostile inputs (under ${LIMIT_MIB} MiB each)`, () => {
  it("a 219 KB gzip of a 150 MB protobuf with 30M spans: decoded as a stream, stopped at --max-document-spans (exit 2)", {
    timeout: 180_000,
  }, async () => {
    // ExportTraceServiceRequest { resourceSpans { scopeSpans { spans: 30M × Span { name: "s" } } } }
    const span = Buffer.from([0x12, 0x03, 0x2a, 0x01, 0x73]);
    const count = 30_000_000;
    const scope = Buffer.concat([Buffer.from([0x12]), varint(span.length * count)]);
    const head = Buffer.concat([Buffer.from([0x0a]), varint(scope.length + span.length * count), scope]);
    const block = Buffer.concat(Array.from({ length: 100_000 }, () => span));
    const file = await gzipFile("bomb.pb.gz", function* () {
      yield head;
      yield* repeat(block, count / 100_000);
    });
    expect(statSync(file).size).toBeLessThan(230_000);
    // --strict: each nameless, kind-less span is an error (without it, an other span; with it, not one left alone), so 1M findings are kept too.
    const run = await measure(["validate", "--strict", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${file} (byte `);
    expect(run.stderr).toContain(
      "protobuf ExportTraceServiceRequest: the message holds more than 1000000 spans (--max-document-spans): the first 1000000 were read, the rest was not",
    );
    expect(summaryLine(run.stdout)).toBe(
      "1000000 spans (judged: 0 openinference, 0 genai; 0 other), 1000000 errors, 0 warnings, 0 infos, 1 record rejected",
    );
    expect(run.peakMiB).toBeLessThan(LIMIT_MIB);
  });

  it("a 10 KB gzip of 2M malformed lines: counted, the first 100 listed, stderr bounded (exit 2)", {
    timeout: 180_000,
  }, async () => {
    const file = await gzipFile("malformed.jsonl.gz", function* () {
      yield `${request([chain])}\n`;
      yield* repeat("x\n".repeat(100_000), 20);
    });
    expect(statSync(file).size).toBeLessThan(12_000);
    const run = await measure(["validate", file]);
    expect(run.status).toBe(2);
    expect(summaryLine(run.stdout)).toBe(
      "1 span (judged: 1 openinference, 0 genai; 0 other), 0 errors, 0 warnings, 2 infos, 2000000 records rejected",
    );
    expect(run.stderr).toContain(`${file}:2: invalid JSON`);
    expect(run.stderr).toContain(`${file}:101: invalid JSON`);
    expect(run.stderr).not.toContain(`${file}:102: `);
    expect(run.stderr).toContain(
      "… and 1999900 more rejected records of this kind: invalid JSON (--max-listed-per-kind)",
    );
    expect(run.stderrBytes).toBeLessThan(64 * 1024);
    expect(run.peakMiB).toBeLessThan(LIMIT_MIB);
  });

  it("a 300 KB gzip of 150M '[' lines, and the same on stdin: the nesting cap, named at the first line past it (exit 2)", {
    timeout: 180_000,
  }, async () => {
    const lines = "[\n".repeat(1_000_000);
    const file = await gzipFile("brackets.json.gz", () => repeat(lines, 150));
    expect(statSync(file).size).toBeLessThan(400_000);
    const run = await measure(["validate", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `${file}:2: [0]: JSON nested deeper than 272 levels at line 273 (--max-depth 64 allows OTLP values nested 64 deep)`,
    );
    expect(run.peakMiB).toBeLessThan(LIMIT_MIB);

    const stdin = Readable.from(repeat(lines, 150));
    const piped = await measure(["validate", "-"], { stdin });
    expect(piped.status).toBe(2);
    expect(piped.stderr).toContain("<stdin>:2: [0]: JSON nested deeper than 272 levels at line 273");
    expect(piped.peakMiB).toBeLessThan(LIMIT_MIB);
  });

  it.each(["junit", "sarif", "github"])(
    "2.1M findings (66 MB of JSON Lines) with --reporter %s: the first 100 of each rule listed, the rest counted",
    { timeout: 180_000 },
    async (reporter) => {
      const line = `${request(Array.from({ length: 50 }, () => badLlm))}\n`;
      const file = join(dir, "findings.jsonl.gz");
      if (!existsSync(file)) await gzipFile("findings.jsonl.gz", () => repeat(line, 6000));
      const run = await measure(["validate", "--reporter", reporter, file]);
      expect(run.status).toBe(1);
      expect(run.stdoutBytes).toBeLessThan(2 * 1024 * 1024);
      if (reporter === "github") {
        expect(run.stdout.match(/^::error file=/gm)).toHaveLength(100);
        expect(run.stdout).toContain(
          "::notice title=value.type%3A 299900 more::299900 more error findings of value.type are not annotated (--max-findings-per-rule)",
        );
        expect(summaryLine(run.stdout)).toBe(
          "300000 spans (judged: 300000 openinference, 0 genai; 0 other), 300000 errors, 0 warnings, 1800000 infos",
        );
      } else if (reporter === "sarif") {
        const sarif = JSON.parse(run.stdout);
        expect(sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === "value.type")).toHaveLength(100);
        expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toContainEqual({
          level: "note",
          message: { text: expect.stringContaining("299900 more error results of value.type are not listed") },
          associatedRule: { id: "value.type" },
        });
      } else {
        expect(run.stdout).toContain('<testcase classname="findings" name="value.type: 299900 more">');
        expect(run.stdout).toMatch(/<testcase classname="spans" name="\d+ span\(s\) without findings"\/>|failures="/);
      }
      expect(run.peakMiB).toBeLessThan(LIMIT_MIB);
    },
  );

  it("a 110 MB JSON Lines line (the first, which decides the format) is read span by span; the lines after it are validated", {
    timeout: 180_000,
  }, async () => {
    const spans = 250_000;
    const text = JSON.stringify(chain);
    const file = await gzipFile("long-first-line.jsonl.gz", function* () {
      yield '{"resourceSpans":[{"scopeSpans":[{"spans":[';
      for (let i = 0; i < spans / 1000; i++)
        yield `${i === 0 ? "" : ","}${Array.from({ length: 1000 }, () => text).join(",")}${" ".repeat(300_000)}`;
      yield "]}]}]}\n";
      yield `${request([chain])}\n${request([chain, chain])}\n`;
    });
    const run = await measure(["validate", file]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    // A chain span makes two infos (its recommended input and output).
    expect(summaryLine(run.stdout)).toBe(
      `${spans + 3} spans (judged: ${spans + 3} openinference, 0 genai; 0 other), 0 errors, 0 warnings, ${2 * (spans + 3)} infos`,
    );
    expect(run.peakMiB).toBeLessThan(LIMIT_MIB);
  });

  it("a 60 MB line of 20M empty spans, and a span of 20M values: --max-document-spans and --max-span-values (exit 2)", {
    timeout: 180_000,
  }, async () => {
    const file = await gzipFile("dense.jsonl.gz", function* () {
      yield `${request([chain])}\n[{}`;
      yield* repeat(",{}".repeat(1_000_000), 20);
      yield `]\n{"name":"wide","attributes":[{"key":"k","value":{"arrayValue":{"values":[{}`;
      yield* repeat(",{}".repeat(1_000_000), 20);
      yield `]}}}]}\n${request([chain])}\n`;
    });
    const run = await measure(["validate", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `${file}:2: the JSON document (from line 2) holds more than 1000000 spans (--max-document-spans)`,
    );
    expect(run.stderr).toContain(
      `${file}:3: attributes: a value of 40000008 JSON values is more than the limit of 1000000 (--max-span-values); the span was skipped`,
    );
    expect(summaryLine(run.stdout)).toMatch(/^1000002 spans \(judged: 2 openinference, 0 genai; 1000000 other\), /);
    expect(run.peakMiB).toBeLessThan(LIMIT_MIB);
  });

  it("a 200 MB pretty-printed document is read span by span: every span validated", { timeout: 180_000 }, async () => {
    const spanText = JSON.stringify(badLlm, null, 2).replace(/^/gm, "        ");
    const count = 400_000;
    const file = await gzipFile(
      "pretty.json.gz",
      function* () {
        yield '{\n  "resourceSpans": [\n    {\n      "scopeSpans": [\n        {\n          "spans": [\n';
        for (let i = 0; i < count / 1000; i++)
          yield `${i === 0 ? "" : ",\n"}${Array.from({ length: 1000 }, () => spanText).join(",\n")}`;
        yield "\n          ]\n        }\n      ]\n    }\n  ]\n}\n";
      },
      6,
    );
    const run = await measure(["validate", file]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    expect(summaryLine(run.stdout)).toBe(
      `${count} spans (judged: ${count} openinference, 0 genai; 0 other), ${count} errors, 0 warnings, ${count * 6} infos`,
    );
    expect(run.peakMiB).toBeLessThan(LIMIT_MIB);
  });

  it("an endless document on stdin stops at --max-document-bytes (exit 2)", { timeout: 180_000 }, async () => {
    const span = `${JSON.stringify(chain)},\n`;
    let sent = 0;
    const endless = new Readable({
      read() {
        if (sent === 0) this.push('{"resourceSpans":[{"scopeSpans":[{"spans":[\n');
        sent++;
        this.push(span.repeat(1000));
      },
    });
    const run = await measure(["validate", "--max-document-bytes", "16M", "-"], { stdin: endless });
    endless.destroy();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /<stdin>:\d+: JSON document \(from line 1\) larger than 16777216 bytes \(--max-document-bytes\); the spans before this point were validated, the rest was not read/,
    );
    const spans = Number(
      /^(\d+) spans \(judged: \1 openinference, 0 genai; 0 other\), 0 errors, 0 warnings, \d+ infos, 1 record rejected$/.exec(
        summaryLine(run.stdout),
      )?.[1],
    );
    expect(spans).toBeGreaterThan(90_000);
    expect(run.peakMiB).toBeLessThan(LIMIT_MIB);
  });
});

describe("a stop signal removes the json reporter's spool", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "%s: the temporary folder is gone and the process ends by the signal",
    { timeout: 120_000 },
    async (signal) => {
      const tmp = tempDir("spool");
      const line = `${request(Array.from({ length: 50 }, () => badLlm))}\n`;
      const file = join(dir, `spool-${signal}.jsonl.gz`);
      await gzipFile(`spool-${signal}.jsonl.gz`, () => repeat(line, 20_000), 1);
      const spool = () => readdirSync(tmp).filter((name) => name.startsWith("semtrace-report-"));
      let pid = 0;
      const running = measure(["validate", "--reporter", "json", "--output", join(tmp, "report.json"), file], {
        env: { TMPDIR: tmp },
        onSpawn: (p) => (pid = p),
      });
      // Wait until findings are being spooled, then stop it.
      const deadline = Date.now() + 60_000;
      while (spool().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(spool()).toHaveLength(1);
      process.kill(pid, signal);
      const run = await running;
      expect(run.signal).toBe(signal);
      expect(spool()).toEqual([]);
    },
  );
});
