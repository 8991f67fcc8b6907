/**
 * `semtrace translate`: real spans (the upstream OpenAI instrumentations, live against the mock server) exported
 * with OpenTelemetry's own serializers, in every format validate reads, translated both ways. The output is read
 * back with validate's reader: the format it was read in, every span valid against the target registry with zero
 * errors, everything but the translated attributes and names kept. Bad inputs are named with their file and
 * place, nothing is half-written, and peak RSS stays flat on inputs far larger than it.
 */
import {
  closeSync,
  createWriteStream,
  existsSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, gunzipSync } from "node:zlib";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { captureGenAISpans } from "@semtrace/real-spans";
import { validateAttributes as validateGenAI } from "@semtrace/genai";
import { validateAttributes as validateOpenInference } from "@semtrace/openinference";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { readInput } from "../src/validate/input.js";
import type { InputSpan } from "../src/validate/otlp.js";
import { realSpanFiles, type FormatFiles } from "./helpers/formats.js";
import { builtBin, measure, peakBoundMiB } from "./helpers/measured.js";
import { tempDir } from "./helpers/tmp.js";

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** The spans of a file, read with validate's reader (any rejection fails the test). */
async function spansOf(file: string): Promise<InputSpan[]> {
  const spans: InputSpan[] = [];
  for await (const event of readInput(file)) {
    if (event.kind === "rejected") throw new Error(`${file}: ${event.reason}`);
    spans.push(...event.spans);
  }
  return spans;
}

function formatOf(bytes: Buffer): string {
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const raw = gzip ? gunzipSync(bytes) : bytes;
  const text = raw.toString("latin1");
  const kind =
    raw[0] === 0x7b || raw[0] === 0x5b
      ? text.trimEnd().includes("\n") && !/\n\s/.test(text.trimEnd())
        ? "json lines"
        : text.includes("\n  ")
          ? "pretty json"
          : "json"
      : "protobuf";
  return `${kind}${gzip ? " gzip" : ""}`;
}

const errors = (findings: readonly { severity: string; rule: string; key?: string }[]) =>
  findings.filter((f) => f.severity === "error").map((f) => `${f.rule} ${f.key}`);
const rest = ({ attributes: _a, name: _n, ...others }: InputSpan) => others;

let oi: FormatFiles;
let genaiJson: string;
let genaiPb: string;
let dir: string;
beforeAll(async () => {
  oi = await realSpanFiles();
  dir = tempDir("translate");
  const { spans } = await captureGenAISpans();
  genaiJson = join(dir, "genai.json");
  writeFileSync(genaiJson, Buffer.from(JsonTraceSerializer.serializeRequest(spans)!));
  genaiPb = join(dir, "genai.pb");
  writeFileSync(genaiPb, Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!));
});

const FORMATS = [
  "otlp.json",
  "otlp-pretty.json",
  "otlp.jsonl",
  "otlp.pb",
  "plain.json",
  "otlp.json.gz",
  "otlp-pretty.json.gz",
  "otlp.jsonl.gz",
  "otlp.pb.gz",
];

describe("OpenInference exports → GenAI, written in the format read", () => {
  it.each(FORMATS)("%s", async (format) => {
    const output = join(dir, `out-${format}`);
    const result = await run(["translate", "--to", "genai", oi.files[format]!, "-o", output]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(`^${oi.spans.length} spans read, ${oi.spans.length} translated to genai → `),
    );
    // Every attribute without a counterpart is listed with its rule id and where it was first seen.
    expect(result.stderr).toMatch(
      /\n {2}input\.value {2}translation\.no-counterpart {2}\d+ spans?, first at .*out-|\n {2}input\.value {2}translation\.no-counterpart {2}\d+ spans?, first at [^\n]*(:\d+| \(byte \d+\)): /,
    );
    expect(formatOf(readFileSync(output))).toBe(formatOf(readFileSync(oi.files[format]!)));
    const before = await spansOf(oi.files[format]!);
    const after = await spansOf(output);
    expect(after).toHaveLength(before.length);
    after.forEach((span, i) => {
      expect(errors(validateGenAI(span.attributes as never)), JSON.stringify(span.attributes)).toEqual([]);
      expect(span.attributes["gen_ai.operation.name"]).toMatch(/^(chat|embeddings)$/);
      expect(span.name).toBe(
        `${String(span.attributes["gen_ai.operation.name"])} ${String(span.attributes["gen_ai.request.model"])}`,
      );
      // Ids, parent, kind, times, status and events are what they were; what has no counterpart stays.
      expect(rest(span)).toEqual(rest(before[i]!));
      expect(span.attributes["input.value"]).toBe(before[i]!.attributes["input.value"]);
      // OpenInference keys left are the ones listed as having no counterpart (a key with a lost part stays whole).
      for (const key of Object.keys(span.attributes).filter((k) => k.startsWith("llm.")))
        expect(result.stderr).toContain(`  ${key}`);
    });
  });

  it("a pretty-printed document keeps every byte outside its spans (resource, scope, layout)", async () => {
    const output = join(dir, "kept.json");
    expect((await run(["translate", "--to", "genai", oi.files["otlp-pretty.json"]!, "-o", output])).code).toBe(0);
    type Doc = { resourceSpans: { resource: unknown; scopeSpans: { scope: unknown; spans: unknown[] }[] }[] };
    const input = JSON.parse(readFileSync(oi.files["otlp-pretty.json"]!, "utf8")) as Doc;
    const out = JSON.parse(readFileSync(output, "utf8")) as Doc;
    expect(out.resourceSpans.map((r) => [r.resource, r.scopeSpans.map((s) => s.scope)])).toEqual(
      input.resourceSpans.map((r) => [r.resource, r.scopeSpans.map((s) => s.scope)]),
    );
    expect(readFileSync(output, "utf8").slice(0, 200)).toBe(
      readFileSync(oi.files["otlp-pretty.json"]!, "utf8").slice(0, 200),
    );
  });

  it("--keep-source writes both sets on every span, valid against both registries; -o - writes to stdout", async () => {
    const chunks: Buffer[] = [];
    const stdoutStream = new (await import("node:stream")).Writable({
      write: (c: Buffer, _e, done) => (chunks.push(c), done()),
    });
    let stderr = "";
    const { runTranslateCommand } = await import("../src/translate/command.js");
    const code = await runTranslateCommand(["--to", "genai", "--keep-source", oi.files["otlp.jsonl"]!, "-o", "-"], {
      stdout: () => {},
      stderr: (s) => (stderr += s),
      cwd: process.cwd(),
      stdoutStream,
    });
    expect(code, stderr).toBe(0);
    const output = join(dir, "both.jsonl");
    writeFileSync(output, Buffer.concat(chunks));
    for (const span of await spansOf(output)) {
      expect(errors(validateGenAI(span.attributes as never))).toEqual([]);
      expect(errors(validateOpenInference(span.attributes as never))).toEqual([]);
      expect(span.attributes["openinference.span.kind"]).toBeDefined();
      expect(span.attributes["gen_ai.operation.name"]).toBeDefined();
    }
  });

  it("--gzip / --no-gzip choose the output's compression; several inputs make one output", async () => {
    const output = join(dir, "two.jsonl");
    const result = await run([
      "translate",
      "--to",
      "genai",
      "--no-gzip",
      oi.files["otlp.jsonl.gz"]!,
      oi.files["otlp.jsonl"]!,
      "-o",
      output,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(formatOf(readFileSync(output))).toBe("json lines");
    expect(await spansOf(output)).toHaveLength(2 * oi.spans.length);
    const gz = join(dir, "two.pb.gz");
    expect(
      (await run(["translate", "--to", "genai", "--gzip", oi.files["otlp.pb"]!, oi.files["otlp.pb.gz"]!, "-o", gz]))
        .code,
    ).toBe(0);
    expect(formatOf(readFileSync(gz))).toBe("protobuf gzip");
    expect(await spansOf(gz)).toHaveLength(2 * oi.spans.length);
  });
});

describe("GenAI exports → OpenInference", () => {
  it.each([
    ["json", () => genaiJson],
    ["protobuf", () => genaiPb],
  ] as const)("the real OpenTelemetry GenAI instrumentation's spans (%s)", async (_, file) => {
    const output = join(dir, `genai-oi-${_}`);
    const result = await run(["translate", "--to", "openinference", file(), "-o", output]);
    expect(result.code, result.stderr).toBe(0);
    const before = await spansOf(file());
    const after = await spansOf(output);
    expect(after).toHaveLength(before.length);
    after.forEach((span, i) => {
      expect(errors(validateOpenInference(span.attributes as never)), JSON.stringify(span.attributes)).toEqual([]);
      expect(span.attributes["openinference.span.kind"]).toMatch(/^(LLM|EMBEDDING)$/);
      expect(Object.keys(span.attributes).filter((k) => k.startsWith("gen_ai.") && k !== "gen_ai.response.id")).toEqual(
        [],
      );
      expect(span.attributes["server.address"]).toBe("127.0.0.1");
      expect(rest(span)).toEqual(rest(before[i]!));
    });
  });

  it.each(["otlp.pb", "otlp-pretty.json"])(
    "spans already in the target are written byte for byte (%s)",
    async (format) => {
      const output = join(dir, `same-${format}`);
      const result = await run(["translate", "--to", "openinference", oi.files[format]!, "-o", output]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/ 0 translated to openinference/);
      expect(readFileSync(output).equals(readFileSync(oi.files[format]!))).toBe(true);
    },
  );
});

describe("bad inputs: named with their file and place, nothing written", () => {
  const span = (attributes: string) =>
    `{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"x","attributes":[${attributes}]}`;
  const request = (s: string) => `{"resourceSpans":[{"scopeSpans":[{"spans":[${s}]}]}]}`;
  const cases: readonly [string, string | Buffer | (() => Buffer), RegExp, string?][] = [
    ["invalid JSON on a line", `${request(span(""))}\n{"resourceSpans": [\n`, /bad: line 2|bad:2 .*invalid JSON/],
    [
      "a malformed span",
      `${request(span('{"key":"a","value":{"intValue":"1e9999"}}'))}\n`,
      /bad:1 \(byte \d+\): wrong shape: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value/,
    ],
    [
      "invalid protobuf",
      Buffer.from([0x0a, 0x03, 0x12, 0x05, 0x03]),
      /bad \(byte \d+\): invalid protobuf ExportTraceServiceRequest/,
      "otlp.pb",
    ],
    ["broken gzip", Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]), /bad: .*gzip/],
    ["protobuf after JSON", Buffer.from([0x0a, 0x00]), /bad: protobuf, but the output is json as the inputs before it/],
    [
      "gzip after plain, without --gzip / --no-gzip",
      () => readFileSync(oi.files["otlp.json.gz"]!),
      /bad: json \(gzip\), but the output is json as the inputs before it; give --gzip or --no-gzip/,
    ],
  ];
  it.each(cases)("%s", async (_, content, message, first = "otlp.json") => {
    const file = join(dir, "bad");
    writeFileSync(file, typeof content === "function" ? content() : content);
    const output = join(dir, "bad-out.jsonl");
    writeFileSync(output, "previous content\n");
    const result = await run(["translate", "--to", "genai", oi.files[first]!, file, "-o", output]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/nothing was written/);
    expect(readFileSync(output, "utf8")).toBe("previous content\n");
  });

  it("usage errors exit 2; a missing input is named before anything is written", async () => {
    expect((await run(["translate", oi.files["otlp.json"]!, "-o", "x"])).stderr).toMatch(/missing --to/);
    expect((await run(["translate", "--to", "zipkin", oi.files["otlp.json"]!, "-o", "x"])).code).toBe(2);
    expect((await run(["translate", "--to", "genai", oi.files["otlp.json"]!])).stderr).toMatch(/missing -o/);
    expect((await run(["translate", "--to", "genai", "-o", "x"])).stderr).toMatch(/no input/);
    expect(
      (await run(["translate", "--to", "genai", "--max-depth", "0", oi.files["otlp.json"]!, "-o", "x"])).code,
    ).toBe(2);
    expect(
      (await run(["translate", "--to", "genai", "--gzip", "--no-gzip", oi.files["otlp.json"]!, "-o", "x"])).code,
    ).toBe(2);
    const missing = await run(["translate", "--to", "genai", join(dir, "nope.json"), "-o", join(dir, "never.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.json: cannot read/);
    expect(existsSync(join(dir, "never.json"))).toBe(false);
  });

  it("validate's caps apply: a gzip bomb stops at --max-document-bytes; a ResourceSpans over --max-held-bytes is named", async () => {
    // A document that opens, then 64 MiB of blanks: 64 KiB of gzip.
    const bomb = join(dir, "bomb.json.gz");
    await pipeline(
      Readable.from(
        (function* () {
          yield Buffer.from('{"resourceSpans": [\n');
          for (let i = 0; i < 64; i++) yield Buffer.alloc(1024 * 1024, 0x20);
        })(),
      ),
      createGzip(),
      createWriteStream(bomb),
    );
    const bombed = await run([
      "translate",
      "--to",
      "genai",
      "--max-document-bytes",
      "1M",
      oi.files["otlp.json.gz"]!,
      bomb,
      "-o",
      join(dir, "never.json"),
    ]);
    expect(bombed.code, bombed.stderr).toBe(1);
    expect(bombed.stderr).toMatch(
      /bomb\.json\.gz:2 \(byte 1048576\): JSON document \(from line 1\) larger than 1048576 bytes \(--max-document-bytes\)/,
    );
    expect(existsSync(join(dir, "never.json"))).toBe(false);
    const held = await run([
      "translate",
      "--to",
      "genai",
      "--max-held-bytes",
      "1k",
      oi.files["otlp.pb"]!,
      "-o",
      join(dir, "never.pb"),
    ]);
    expect(held.code, held.stderr).toBe(1);
    expect(held.stderr).toMatch(
      /otlp\.pb: more than 1024 bytes \(--max-held-bytes\) would have to be held at once from byte 0/,
    );
    expect(existsSync(join(dir, "never.pb"))).toBe(false);
  });
});

describe("streaming: peak RSS of a child process on inputs far larger than it", () => {
  // Real exports batch spans: requests of 512 spans, as the SDK's BatchSpanProcessor sends them.
  function largeInputs(): { json: string; pb: string; spans: number } {
    const batch = Array.from({ length: 512 }, (_, i) => oi.spans[i % oi.spans.length]!);
    const json = JsonTraceSerializer.serializeRequest(batch)!;
    const pb = ProtobufTraceSerializer.serializeRequest(batch)!;
    const files = { json: join(dir, "large.jsonl"), pb: join(dir, "large.pb") };
    const target = 160 * 1024 * 1024;
    let spans = 0;
    const fj = openSync(files.json, "w");
    const fp = openSync(files.pb, "w");
    for (let written = 0; written < target; written += json.length + 1) {
      writeSync(fj, json);
      writeSync(fj, "\n");
      writeSync(fp, pb);
      spans += batch.length;
    }
    closeSync(fj);
    closeSync(fp);
    return { ...files, spans };
  }

  it.skipIf(!existsSync(builtBin))(
    "a 160 MiB JSON Lines file and its protobuf twin translate within a bounded peak",
    async () => {
      const { json, pb, spans } = largeInputs();
      for (const [file, output] of [
        [json, join(dir, "large-out.jsonl")],
        [pb, join(dir, "large-out.pb")],
      ] as const) {
        const measured = await measure(["translate", "--to", "genai", file, "-o", output]);
        expect(measured.status, measured.stderr).toBe(0);
        expect(measured.stderr).toMatch(new RegExp(`^${spans} spans read, ${spans} translated`));
        process.stderr.write(
          `translate ${file}: ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB, ${spans} spans, peak RSS ${measured.peakMiB.toFixed(0)} MiB, ${measured.seconds.toFixed(1)} s\n`,
        );
        expect(statSync(output).size).toBeGreaterThan(statSync(file).size / 2);
        // The input is 160 MiB, its JSON.parse alone would take several times that: the CLI holds one line (or one
        // ResourceSpans of 512 spans) and what the translation of a span allocates.
        expect(measured.peakMiB, `${file}: ${measured.peakMiB} MiB`).toBeLessThan(peakBoundMiB(200));
      }
    },
    600_000,
  );
});
