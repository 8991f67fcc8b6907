import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { diag, DiagLogLevel, type DiagLogger } from "@opentelemetry/api";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { runValidateCommand } from "@semtrace/cli/internal";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { FileSpanExporter } from "../src/index.js";

const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const appendChild = fileURLToPath(new URL("./children/append.mjs", import.meta.url));

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "semtrace-node-"));
}

function lines(file: string): string[] {
  return readFileSync(file, "utf8").split("\n").slice(0, -1);
}

/** Spans made with the real SDK, exported one by one through `exporter` as they end. */
async function emit(
  exporter: FileSpanExporter,
  make: (tracer: ReturnType<BasicTracerProvider["getTracer"]>) => void,
): Promise<ReadableSpan[]> {
  const ended: ReadableSpan[] = [];
  const provider = new BasicTracerProvider({
    spanProcessors: [
      {
        onStart() {},
        onEnd: (s: ReadableSpan) => void ended.push(s),
        forceFlush: async () => {},
        shutdown: async () => {},
      },
      new SimpleSpanProcessor(exporter),
    ],
  });
  make(provider.getTracer("file-exporter-test"));
  await provider.shutdown();
  return ended;
}

function exportNow(exporter: FileSpanExporter, spans: ReadableSpan[]): ExportResult {
  let result: ExportResult | undefined;
  exporter.export(spans, (r) => (result = r));
  return result!;
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

const logged: string[] = [];
const logger: DiagLogger = {
  error: (m) => logged.push(`error ${m}`),
  warn: (m) => logged.push(`warn ${m}`),
  info() {},
  debug() {},
  verbose() {},
};
afterEach(() => {
  diag.disable();
  logged.length = 0;
});

beforeAll(() => {
  expect(existsSync(dist), `${dist} is missing: run \`npm run build\` first (turbo's test task does)`).toBe(true);
});

describe("FileSpanExporter", () => {
  it("appends one OTLP/JSON ExportTraceServiceRequest per export, a line each, that semtrace validate reads", async () => {
    const file = join(scratch(), "nested", "dir", "spans.jsonl");
    const spans = await emit(new FileSpanExporter({ path: file }), (tracer) => {
      tracer
        .startSpan("chat", {
          attributes: {
            "openinference.span.kind": "LLM",
            "llm.model_name": "gpt-4o-mini",
            "llm.provider": "openai",
            "llm.system": "openai",
            "llm.token_count.prompt": 3,
          },
        })
        .end();
      tracer.startSpan("GET /", { attributes: { "http.request.method": "GET", "session.id": "s-1" } }).end();
    });
    const written = lines(file);
    expect(written).toHaveLength(2);
    // Byte for byte what the OTLP/HTTP JSON exporter would send for each export (the Collector's file exporter writes the same shape).
    for (const [i, line] of written.entries())
      expect(line).toBe(Buffer.from(JsonTraceSerializer.serializeRequest([spans[i]!])!).toString("utf8"));
    const first = JSON.parse(written[0]!);
    expect(first.resourceSpans[0].scopeSpans[0].spans[0]).toMatchObject({
      traceId: spans[0]!.spanContext().traceId,
      spanId: spans[0]!.spanContext().spanId,
      name: "chat",
    });

    const { code, stdout, stderr } = await validate(["--reporter", "json", file]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary).toMatchObject({
      spans: 2,
      other: 1,
      judged: { openinference: 1, genai: 0 },
      errors: 0,
      rejected: 0,
    });
  });

  it("appends to what the file holds; one export of several spans is one line", async () => {
    const file = join(scratch(), "spans.jsonl");
    writeFileSync(file, "earlier line\n");
    const exporter = new FileSpanExporter({ path: file });
    const spans = await emit(new FileSpanExporter({ path: join(scratch(), "other.jsonl") }), (tracer) => {
      for (let i = 0; i < 3; i++) tracer.startSpan(`s${i}`).end();
    });
    expect(exportNow(exporter, spans)).toEqual({ code: ExportResultCode.SUCCESS });
    expect(exportNow(exporter, [])).toEqual({ code: ExportResultCode.SUCCESS });
    await exporter.shutdown();
    const written = lines(file);
    expect(written[0]).toBe("earlier line");
    expect(written).toHaveLength(2);
    expect(JSON.parse(written[1]!).resourceSpans[0].scopeSpans[0].spans.map((s: { name: string }) => s.name)).toEqual([
      "s0",
      "s1",
      "s2",
    ]);
  });

  it("a file it cannot open, or a write after shutdown: the export fails naming the file, through diag, and nothing throws", async () => {
    diag.setLogger(logger, DiagLogLevel.WARN);
    const dir = scratch();
    const blocked = join(dir, "blocked");
    writeFileSync(blocked, "a file, not a folder");
    const exporter = new FileSpanExporter({ path: join(blocked, "spans.jsonl") });
    const spans = await emit(new FileSpanExporter({ path: join(dir, "ok.jsonl") }), (tracer) =>
      tracer.startSpan("s").end(),
    );
    const result = exportNow(exporter, spans);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toContain(`cannot open ${join(blocked, "spans.jsonl")} for appending`);
    expect(logged.some((l) => l.startsWith("error ") && l.includes(join(blocked, "spans.jsonl")))).toBe(true);
    await expect(exporter.shutdown()).resolves.toBeUndefined();

    const ok = new FileSpanExporter({ path: join(dir, "later.jsonl") });
    await ok.shutdown();
    await ok.shutdown();
    const late = exportNow(ok, spans);
    expect(late.code).toBe(ExportResultCode.FAILED);
    expect(late.error?.message).toContain("shut down");
    expect(readFileSync(join(dir, "later.jsonl"), "utf8")).toBe("");
  });

  it.runIf(existsSync("/dev/full"))(
    "a full disk (/dev/full): the export fails, naming the file and the error",
    async () => {
      diag.setLogger(logger, DiagLogLevel.WARN);
      const full = "/dev/full";
      const exporter = new FileSpanExporter({ path: full });
      const spans = await emit(new FileSpanExporter({ path: join(scratch(), "ok.jsonl") }), (tracer) =>
        tracer.startSpan("s").end(),
      );
      const result = exportNow(exporter, spans);
      expect(result.code).toBe(ExportResultCode.FAILED);
      expect(result.error?.message).toMatch(/cannot append to \/dev\/full: ENOSPC/);
      await exporter.shutdown();
    },
  );
});

describe("several processes appending to one file", () => {
  function runWriter(file: string, writer: number, exports: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [appendChild, file, String(writer), String(exports), String(writer * 7919 + 1)],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`writer ${writer} exited ${code}: ${stderr}`)),
      );
    });
  }

  it("4 processes × 150 exports of 100 B to 256 KiB: every line whole, none lost, each writer's in its order", {
    timeout: 120_000,
  }, async () => {
    const file = join(scratch(), "shared", "spans.jsonl");
    mkdirSync(join(file, ".."), { recursive: true });
    const writers = 4;
    const exports = 150;
    await Promise.all(Array.from({ length: writers }, (_, w) => runWriter(file, w, exports)));
    const written = lines(file);
    expect(written).toHaveLength(writers * exports);
    const seen = Array.from({ length: writers }, () => [] as number[]);
    let large = 0;
    for (const line of written) {
      if (line.length > 65_536) large++;
      const span = JSON.parse(line).resourceSpans[0].scopeSpans[0].spans[0];
      const payload: string = span.attributes.find((a: { key: string }) => a.key === "payload").value.stringValue;
      const [writer, seq, filler] = payload.split(":") as [string, string, string];
      expect(span.name).toBe(`w${writer}`);
      // The filler is one letter repeated: a line mixed with another writer's would break it.
      expect(filler).toBe(String.fromCharCode(97 + (Number(seq) % 26)).repeat(filler.length));
      seen[Number(writer)]!.push(Number(seq));
    }
    for (const seqs of seen) expect(seqs).toEqual(Array.from({ length: exports }, (_, i) => i));
    expect(large).toBeGreaterThan(writers * exports * 0.1);

    const { code, stdout } = await validate(["--reporter", "json", "--allow-empty", file]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary).toMatchObject({
      spans: writers * exports,
      other: writers * exports,
      rejected: 0,
    });
  });
});
