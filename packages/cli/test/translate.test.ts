/**
 * `semtrace translate`: real spans (the upstream OpenAI instrumentations, live against the mock server) exported
 * with OpenTelemetry's own OTLP/JSON serializer, in every JSON form validate reads, translated both ways; the
 * output validates against the target registry with zero errors and keeps everything but the attributes it
 * translates; bad inputs are named with their place, nothing is half-written; the input cap bounds memory.
 */
import { createWriteStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { captureGenAISpans } from "@semtrace/real-spans";
import { validateAttributes as validateGenAI } from "@semtrace/genai";
import { validateAttributes as validateOpenInference } from "@semtrace/openinference";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { realSpanFiles, type FormatFiles } from "./helpers/formats.js";
import { builtBin, measure } from "./helpers/measured.js";
import { tempDir } from "./helpers/tmp.js";

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

type Kv = { key: string; value: Record<string, unknown> };
type Request = { resourceSpans: { resource?: unknown; scopeSpans: { scope?: unknown; spans: (Record<string, unknown> & { attributes?: Kv[] })[] }[] }[] };

function plain(value: Record<string, unknown>): unknown {
  if ("stringValue" in value) return value.stringValue;
  if ("intValue" in value) return Number(value.intValue);
  if ("doubleValue" in value) return value.doubleValue;
  if ("boolValue" in value) return value.boolValue;
  if ("arrayValue" in value) return ((value.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(plain);
  return undefined;
}

function spansOf(output: string): Record<string, unknown>[] {
  return output.trim().split("\n").flatMap((line) => (JSON.parse(line) as Request).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
}

const attributesOf = (span: Record<string, unknown>) => Object.fromEntries(((span.attributes ?? []) as Kv[]).map((kv) => [kv.key, plain(kv.value)]));
const errors = (findings: readonly { severity: string; rule: string; key?: string }[]) => findings.filter((f) => f.severity === "error").map((f) => `${f.rule} ${f.key}`);

let oi: FormatFiles;
let genaiFile: string;
let dir: string;
beforeAll(async () => {
  oi = await realSpanFiles();
  dir = tempDir("translate");
  const { spans } = await captureGenAISpans();
  genaiFile = join(dir, "genai.json");
  writeFileSync(genaiFile, Buffer.from(JsonTraceSerializer.serializeRequest(spans)!));
});

describe("OpenInference exports → GenAI", () => {
  it.each(["otlp.json", "otlp-pretty.json", "otlp.jsonl", "otlp.json.gz", "otlp.jsonl.gz"])("%s", async (format) => {
    const output = join(dir, `${format}.genai.jsonl`);
    const result = await run(["translate", "--to", "genai", oi.files[format]!, "-o", output]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^${oi.spans.length} spans, ${oi.spans.length} translated to genai → `));
    expect(result.stderr).toMatch(/input\.value \(\d+\): The raw request/);
    const spans = spansOf(readFileSync(output, "utf8"));
    expect(spans).toHaveLength(oi.spans.length);
    const input = spansOf(format.endsWith(".jsonl") || format.endsWith(".jsonl.gz") ? readFileSync(oi.files["otlp.jsonl"]!, "utf8") : `${readFileSync(oi.files["otlp.json"]!, "utf8")}\n`);
    spans.forEach((span, i) => {
      const attributes = attributesOf(span);
      expect(errors(validateGenAI(attributes as never)), JSON.stringify(attributes)).toEqual([]);
      expect(attributes["gen_ai.operation.name"]).toMatch(/^(chat|embeddings)$/);
      expect(span.name).toBe(`${String(attributes["gen_ai.operation.name"])} ${String(attributes["gen_ai.request.model"])}`);
      // Everything but the attributes and the name is what it was.
      const { attributes: _a, name: _n, ...rest } = span;
      const { attributes: _b, name: _m, ...before } = input[i]!;
      expect(rest).toEqual(before);
      // What has no counterpart stays.
      expect(attributes["input.value"]).toBe(attributesOf(input[i]!)["input.value"]);
    });
  });

  it("--keep-source writes both sets on every span, valid against both registries; -o - writes to stdout", async () => {
    const result = await run(["translate", "--to", "genai", "--keep-source", oi.files["otlp.json"]!, "-o", "-"]);
    expect(result.code, result.stderr).toBe(0);
    for (const span of spansOf(result.stdout)) {
      const attributes = attributesOf(span);
      expect(errors(validateGenAI(attributes as never))).toEqual([]);
      expect(errors(validateOpenInference(attributes as never))).toEqual([]);
      expect(attributes["openinference.span.kind"]).toBeDefined();
    }
  });
});

describe("GenAI exports → OpenInference", () => {
  it("the real OpenTelemetry GenAI instrumentation's spans", async () => {
    const output = join(dir, "genai.oi.jsonl");
    const result = await run(["translate", "--to", "openinference", genaiFile, "-o", output]);
    expect(result.code, result.stderr).toBe(0);
    for (const span of spansOf(readFileSync(output, "utf8"))) {
      const attributes = attributesOf(span);
      expect(errors(validateOpenInference(attributes as never)), JSON.stringify(attributes)).toEqual([]);
      expect(attributes["openinference.span.kind"]).toMatch(/^(LLM|EMBEDDING)$/);
      expect(Object.keys(attributes).filter((k) => k.startsWith("gen_ai.") && k !== "gen_ai.response.id")).toEqual([]);
      expect(attributes["server.address"]).toBe("127.0.0.1");
    }
  });
});

describe("bad inputs: named with their place, nothing written", () => {
  const cases: readonly [string, string | Buffer, RegExp][] = [
    ["invalid JSON on a line", '{"resourceSpans":[]}\n{"resourceSpans": [\n', /bad\.jsonl: line 2: invalid JSON/],
    ["not a trace export", '{"hello": 1}\n', /line 1: the record: expected an OTLP ExportTraceServiceRequest/],
    ["a malformed span", '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"x","attributes":[{"key":"a","value":{"intValue":"1e9999"}}]}]}]}]}\n', /line 1: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value/],
    ["protobuf", Buffer.from([0x0a, 0x03, 0x01, 0x02, 0x03]), /not OTLP\/JSON .*protobuf exports are not read/],
    ["broken gzip", Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]), /invalid gzip/],
  ];
  it.each(cases)("%s", async (_, content, message) => {
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, content);
    const output = join(dir, "bad-out.jsonl");
    writeFileSync(output, "previous content\n");
    const result = await run(["translate", "--to", "genai", oi.files["otlp.json"]!, file, "-o", output]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/nothing was written/);
    expect(readFileSync(output, "utf8")).toBe("previous content\n");
  });

  it("usage errors exit 2", async () => {
    expect((await run(["translate", oi.files["otlp.json"]!, "-o", "x"])).stderr).toMatch(/missing --to/);
    expect((await run(["translate", "--to", "zipkin", oi.files["otlp.json"]!, "-o", "x"])).code).toBe(2);
    expect((await run(["translate", "--to", "genai", oi.files["otlp.json"]!])).stderr).toMatch(/missing -o/);
    expect((await run(["translate", "--to", "genai", "-o", "x"])).stderr).toMatch(/no input/);
    expect((await run(["translate", "--to", "genai", "--max-depth", "0", oi.files["otlp.json"]!, "-o", "x"])).code).toBe(2);
  });

  it("an input over --max-document-bytes is refused before it is read, gzip bombs too", async () => {
    const result = await run(["translate", "--to", "genai", "--max-document-bytes", "1k", oi.files["otlp.json"]!, "-o", join(dir, "never.jsonl")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/over --max-document-bytes \(1024\)/);
    expect(existsSync(join(dir, "never.jsonl"))).toBe(false);
    const bomb = join(dir, "bomb.json.gz");
    await pipeline(Readable.from((function* () { for (let i = 0; i < 64; i++) yield Buffer.alloc(1024 * 1024, 0x20); })()), createGzip(), createWriteStream(bomb));
    const bombed = await run(["translate", "--to", "genai", "--max-document-bytes", "1M", bomb, "-o", join(dir, "never.jsonl")]);
    expect(bombed.stderr).toMatch(/over --max-document-bytes \(1048576 bytes\) decompressed/);
    expect(existsSync(join(dir, "never.jsonl"))).toBe(false);
  });

  it.skipIf(!existsSync(builtBin))("peak RSS stays bounded by the cap on a 256 MiB gzip bomb (child process)", async () => {
    // Written as a stream: a peak in this process would show in the child's (Linux keeps the high-water mark across exec).
    const bomb = join(dir, "bomb256.json.gz");
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    await pipeline(Readable.from((function* () { for (let i = 0; i < 256; i++) yield chunk; })()), createGzip(), createWriteStream(bomb));
    const measured = await measure(["translate", "--to", "genai", "--max-document-bytes", "8M", bomb, "-o", join(dir, "never.jsonl")]);
    expect(measured.status).toBe(1);
    expect(measured.stderr).toMatch(/over --max-document-bytes/);
    // The CLI alone peaks near 45 MiB; the cap (8 MiB) and the chunks in flight add little.
    expect(measured.peakMiB).toBeLessThan(120);
  });
});
