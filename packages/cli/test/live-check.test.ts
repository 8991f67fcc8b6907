import { gzipSync } from "node:zlib";
import { OTLPTraceExporter as HttpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as HttpProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { runLiveCheckCommand, type LiveCheck } from "../src/validate/live-check.js";
import { runValidateCommand } from "../src/validate/command.js";
import { realSpanFiles } from "./helpers/formats.js";

/** Runs `semtrace live-check` in-process; `drive` gets the receiver's URL once it listens. */
async function liveCheck(argv: string[], drive: (url: string, live: LiveCheck) => Promise<void>) {
  let stdout = "";
  let stderr = "";
  let driving: Promise<void> | undefined;
  const code = await runLiveCheckCommand(["--port", "0", ...argv], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: "/",
    onListening: (live) => {
      driving = drive(live.url, live);
    },
  });
  await driving;
  return { code, stdout, stderr };
}

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(spans, (result) => (result.code === 0 ? resolve() : reject(result.error ?? new Error(`export failed: ${result.code}`))));
  });
}

async function validateFiles(...files: string[]) {
  let stdout = "";
  const code = await runValidateCommand(["--reporter", "json", ...files], { stdout: (s) => (stdout += s), stderr: () => {}, cwd: "/", progress: false, color: false });
  return { code, report: JSON.parse(stdout) };
}

describe("semtrace live-check", () => {
  it("receives spans from the real OTLP/HTTP JSON and protobuf exporters (gzip too) and reports what validate reports", async () => {
    const real = await realSpanFiles();
    const spans = [...real.spans];
    const { code, stdout, stderr } = await liveCheck(["--reporter", "json", "--exit-after", String(spans.length * 3), "--timeout", "20"], async (url) => {
      await exportWith(new HttpJsonExporter({ url }), spans);
      await exportWith(new HttpProtoExporter({ url }), spans);
      await exportWith(new HttpProtoExporter({ url, compression: "gzip" as never }), spans);
    });
    expect(stderr).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/v1\/traces/);
    const live = JSON.parse(stdout);
    const files = await validateFiles(real.files["otlp.json"]!, real.files["otlp.pb"]!, real.files["otlp.pb.gz"]!);
    expect(live).toEqual(files.report);
    expect(live.summary.spans).toBe(spans.length * 3);
    expect(code).toBe(files.code);
  }, 60_000);

  it("answers 413 / 400 / 415 / 404 with a reason, keeps running, and counts the rejected requests", async () => {
    const { code, stdout, stderr } = await liveCheck(["--reporter", "json", "--max-body-bytes", "1000", "--timeout", "20"], async (url, live) => {
      const post = (body: string | Uint8Array, headers: Record<string, string>) => fetch(url, { method: "POST", body, headers });
      const big = await post("x".repeat(5000), { "content-type": "application/json" });
      expect(big.status).toBe(413);
      const bomb = await post(gzipSync(Buffer.from(`{"resourceSpans":[],"pad":"${" ".repeat(100_000)}"}`)), { "content-type": "application/json", "content-encoding": "gzip" });
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
      const ok = await post(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: "s", attributes: [{ key: "openinference.span.kind", value: { stringValue: "CHAIN" } }] }] }] }] }), { "content-type": "application/json" });
      expect(ok.status).toBe(200);
      await live.stop();
    });
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(report.summary).toMatchObject({ spans: 1, rejected: 6 });
    expect(stderr).toContain("<request 1>: 413: request body of 5000 bytes is over the limit of 1000 bytes");
  }, 30_000);

  it("stops after --timeout; usage errors exit 2; --help documents every flag", async () => {
    const started = Date.now();
    const { code, stdout } = await liveCheck(["--timeout", "0.2"], async () => {});
    expect(code).toBe(0);
    expect(stdout).toContain("0 spans, 0 errors, 0 warnings, 0 infos");
    expect(Date.now() - started).toBeLessThan(5000);
    let err = "";
    expect(await runLiveCheckCommand(["--port", "nope"], { stdout: () => {}, stderr: (s) => (err += s), cwd: "/" })).toBe(2);
    expect(err).toContain("--port expects a number");
    let help = "";
    expect(await runLiveCheckCommand(["--help"], { stdout: (s) => (help += s), stderr: () => {}, cwd: "/" })).toBe(0);
    for (const flag of ["--host", "--port", "--timeout", "--exit-after", "--max-body-bytes", "--registry", "--reporter", "--output", "--fail-on", "--help"]) expect(help).toContain(flag);
  });
});
