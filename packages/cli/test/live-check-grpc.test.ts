/**
 * live-check's OTLP/gRPC receiver: the real `@opentelemetry/exporter-trace-otlp-grpc` into it gives the same report
 * as the real OTLP/HTTP exporter gives for the same spans; it holds the limits OTLP/HTTP holds and answers as
 * OTLP/gRPC asks; and every call a client gets wrong on purpose (a truncated frame, another content type, a huge
 * declared length, a stalled message, a cancelled call) is refused with a status naming the problem, and reported
 * naming its connection and stream.
 */
import { connect, constants } from "node:http2";
import { gzipSync } from "node:zlib";
import { OTLPTraceExporter as GrpcExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { captureGenAISpans, captureOpenAISpans } from "@semtrace/real-spans";
import { describe, expect, it } from "vitest";
import { parseLiveCheckArgs } from "../src/validate/live-check.js";
import { answerOf, EXPORT, frame, grpcCall, openSession } from "./helpers/grpc.js";
import { liveCheck, sleep } from "./helpers/live.js";
import { encodeRequest } from "./helpers/otlp-proto.js";

function exportWith(exporter: SpanExporter, spans: readonly ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export([...spans], resolve));
}

/** A one-span request whose span declares an OpenInference kind. */
function oneSpan(name = "s"): Buffer {
  return encodeRequest({
    resourceSpans: [
      {
        scopeSpans: [
          { spans: [{ name, attributes: [{ key: "openinference.span.kind", value: { stringValue: "CHAIN" } }] }] },
        ],
      },
    ],
  });
}

const OK = 0;
const INVALID_ARGUMENT = 3;
const DEADLINE_EXCEEDED = 4;
const RESOURCE_EXHAUSTED = 8;
const UNIMPLEMENTED = 12;
const INTERNAL = 13;
const UNAVAILABLE = 14;

describe("live-check over OTLP/gRPC: the real exporter", () => {
  it("the real OTLP/gRPC exporter (plain and gzip) gives the report the real OTLP/HTTP exporter gives for the same spans", async () => {
    const batches = [(await captureOpenAISpans()).spans, (await captureGenAISpans()).spans];
    const report = async (send: (url: string, grpcUrl: string) => Promise<void>) => {
      const run = await liveCheck(["--reporter", "json"], async (url, live) => {
        await send(url, live.grpcUrl!);
        await live.stop();
      });
      return run;
    };
    const overHttp = await report(async (url) => {
      const exporter = new ProtoExporter({ url });
      for (const spans of batches) expect((await exportWith(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
      await exporter.shutdown();
    });
    for (const compression of ["none", "gzip"] as const) {
      const overGrpc = await report(async (_url, grpcUrl) => {
        const exporter = new GrpcExporter({ url: grpcUrl, compression: compression as never });
        for (const spans of batches) expect((await exportWith(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
        await exporter.shutdown();
      });
      expect(overGrpc.stdout).toBe(overHttp.stdout);
      expect(overGrpc.code).toBe(overHttp.code);
    }
    const summary = JSON.parse(overHttp.stdout).summary;
    expect(summary.spans).toBe(batches[0]!.length + batches[1]!.length);
    expect(summary.rejected).toBe(0);
  }, 120_000);

  it("OTLP/HTTP and OTLP/gRPC requests of one session are numbered in one sequence and reported together", async () => {
    const { code, stdout, stderr } = await liveCheck(["--reporter", "json", "--exit-after", "3"], async (url, live) => {
      expect((await grpcCall(live.grpcUrl!, { body: frame(oneSpan("a")) })).code).toBe(OK);
      expect(
        (
          await fetch(url, {
            method: "POST",
            body: oneSpan("b"),
            headers: { "content-type": "application/x-protobuf" },
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await grpcCall(live.grpcUrl!, {
            body: frame(gzipSync(oneSpan("c")), true),
            headers: { "grpc-encoding": "gzip" },
          })
        ).code,
      ).toBe(OK);
    });
    expect(stderr).toMatch(
      /listening on http:\/\/127\.0\.0\.1:\d+\/v1\/traces \(OTLP\/HTTP\) and http:\/\/127\.0\.0\.1:\d+ \(OTLP\/gRPC\)/,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary).toMatchObject({ spans: 3, rejected: 0 });
  }, 30_000);

  it("a success is an empty ExportTraceServiceResponse in one frame and grpc-status 0 in the trailers", async () => {
    await liveCheck([], async (_url, live) => {
      const answer = await grpcCall(live.grpcUrl!, { body: frame(oneSpan()) });
      expect(answer).toMatchObject({ httpStatus: 200, code: OK, rstCode: undefined });
      expect(answer.headers["content-type"]).toBe("application/grpc");
      expect(answer.body).toEqual(Buffer.alloc(5));
      await live.stop();
    });
  });
});

describe("live-check over OTLP/gRPC: refused calls name the problem, and their connection and stream", () => {
  const huge = Buffer.from([0, 0xff, 0xff, 0xff, 0xff]);
  const cases: [string, Record<string, string>, Buffer, number, string, string][] = [
    [
      "another content type (HTTP 415)",
      { "content-type": "application/json" },
      frame(oneSpan()),
      INVALID_ARGUMENT,
      "unsupported content-type 'application/json' on live-check's OTLP/gRPC port: expected application/grpc",
      "unsupported media type",
    ],
    [
      "another method",
      { ":path": "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export" },
      frame(oneSpan()),
      UNIMPLEMENTED,
      "unknown method POST /opentelemetry.proto.collector.metrics.v1.MetricsService/Export: live-check serves opentelemetry.proto.collector.trace.v1.TraceService/Export (traces only)",
      "invalid request",
    ],
    [
      "another message encoding",
      { "grpc-encoding": "snappy" },
      frame(oneSpan()),
      UNIMPLEMENTED,
      "unsupported grpc-encoding 'snappy': expected gzip or identity",
      "unsupported media type",
    ],
    [
      "a malformed grpc-timeout",
      { "grpc-timeout": "5 seconds" },
      frame(oneSpan()),
      INVALID_ARGUMENT,
      "malformed grpc-timeout '5 seconds': expected up to 8 digits and a unit",
      "invalid request",
    ],
    ["no message", {}, Buffer.alloc(0), INTERNAL, "the call ended without a request message", "malformed gRPC"],
    [
      "a frame header cut short",
      {},
      Buffer.from([0, 0, 0]),
      INTERNAL,
      "the call ended 3 bytes into the 5-byte message header: the message is truncated",
      "malformed gRPC",
    ],
    [
      "a truncated frame",
      {},
      frame(oneSpan()).subarray(0, 20),
      INTERNAL,
      `the call ended after 15 bytes of the ${oneSpan().length} bytes its message declared: the message is truncated`,
      "malformed gRPC",
    ],
    [
      "a huge declared length",
      {},
      huge,
      RESOURCE_EXHAUSTED,
      "request message of 4,294,967,295 bytes is over the limit of 16,777,216 bytes (--max-body-bytes)",
      "over a limit",
    ],
    [
      "an invalid compressed flag",
      {},
      Buffer.from([7, 0, 0, 0, 0]),
      INTERNAL,
      "invalid message header: compressed flag 7 (0 or 1 expected)",
      "malformed gRPC",
    ],
    [
      "a compressed message without grpc-encoding",
      {},
      frame(gzipSync(oneSpan()), true),
      INTERNAL,
      "the message is flagged compressed, but the call's grpc-encoding is identity",
      "malformed gRPC",
    ],
    [
      "two messages in a unary call",
      {},
      Buffer.concat([frame(oneSpan()), frame(oneSpan())]),
      INTERNAL,
      `a second message began at byte ${5 + oneSpan().length} of the call: Export is a unary call and takes one message`,
      "malformed gRPC",
    ],
    [
      "a message that is not gzip",
      { "grpc-encoding": "gzip" },
      frame(Buffer.from("not gzip"), true),
      INTERNAL,
      "invalid gzip message",
      "invalid gzip",
    ],
    [
      "bytes that are not an ExportTraceServiceRequest",
      {},
      frame(Buffer.from([0x08, 0x01])),
      INVALID_ARGUMENT,
      "not a protobuf ExportTraceServiceRequest: field 1 of ExportTraceServiceRequest has wire type 0 (varint); expected 2 (length-delimited) (at byte 0)",
      "invalid protobuf",
    ],
  ];
  it.each(cases)(
    "%s",
    async (_name, headers, body, code, message, category) => {
      const run = await liveCheck(["--reporter", "json"], async (_url, live) => {
        const answer = await grpcCall(live.grpcUrl!, { headers, body });
        expect(answer.code).toBe(code);
        expect(answer.message).toContain(message);
        expect(answer.retryDelaySeconds).toBeUndefined();
        if (category === "unsupported media type" && code === INVALID_ARGUMENT) expect(answer.httpStatus).toBe(415);
        if (code === UNIMPLEMENTED) expect(answer.headers["grpc-accept-encoding"]).toBe("identity,gzip");
        // The receiver goes on serving.
        expect((await grpcCall(live.grpcUrl!, { body: frame(oneSpan()) })).code).toBe(OK);
        await live.stop();
      });
      expect(run.code).toBe(2);
      const report = JSON.parse(run.stdout);
      expect(report.summary).toMatchObject({ spans: 1, rejected: 1 });
      expect(report.rejected[0].source).toEqual({ file: "<request 1>" });
      expect(report.rejected[0].category).toBe(category);
      expect(report.rejected[0].reason).toMatch(/^[A-Z_]+: .*\(gRPC connection 1, stream 1\)$/);
      expect(run.stderr).toContain(message);
    },
    30_000,
  );

  it("a span over a cap: RESOURCE_EXHAUSTED without RetryInfo (retrying cannot help), naming the span and the flag", async () => {
    const run = await liveCheck(["--reporter", "json", "--max-request-spans", "2"], async (_url, live) => {
      const three = encodeRequest({
        resourceSpans: [{ scopeSpans: [{ spans: [{ name: "a" }, { name: "b" }, { name: "c" }] }] }],
      });
      const answer = await grpcCall(live.grpcUrl!, { body: frame(three) });
      expect(answer.code).toBe(RESOURCE_EXHAUSTED);
      expect(answer.retryDelaySeconds).toBeUndefined();
      expect(answer.message).toBe(
        "resourceSpans[0].scopeSpans[0].spans[2]: the request carries more than 2 spans, the cap per request (--max-request-spans); send smaller batches (e.g. the SDK's maxExportBatchSize) or raise the cap",
      );
      await live.stop();
    });
    expect(run.stderr).toContain(
      "<request 1>: RESOURCE_EXHAUSTED: resourceSpans[0].scopeSpans[0].spans[2]: the request carries more than 2 spans",
    );
  });

  it("a gzip message that decompresses past --max-body-bytes: RESOURCE_EXHAUSTED, without holding more than the cap", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const run = await liveCheck(["--reporter", "json", "--max-body-bytes", "1M"], async (_url, live) => {
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const answer = await grpcCall(live.grpcUrl!, { body: frame(bomb, true), headers: { "grpc-encoding": "gzip" } });
      expect(answer.code).toBe(RESOURCE_EXHAUSTED);
      expect(answer.message).toBe(
        "decompressed request message is over the limit of 1,048,576 bytes (--max-body-bytes)",
      );
      await live.stop();
    });
    expect(JSON.parse(run.stdout).rejected[0].category).toBe("over a limit");
  });

  it("a message that stops coming: DEADLINE_EXCEEDED at --body-timeout, or at the call's grpc-timeout when sooner, with the bytes received", async () => {
    const run = await liveCheck(["--reporter", "json", "--body-timeout", "0.3"], async (_url, live) => {
      const half = frame(oneSpan()).subarray(0, 12);
      const slow = await grpcCall(live.grpcUrl!, { body: half, end: false });
      expect(slow.code).toBe(DEADLINE_EXCEEDED);
      expect(slow.message).toBe(
        `request message not complete within 0.3 s (--body-timeout): 7 bytes of the ${oneSpan().length} bytes its message declared received`,
      );
      const sooner = await grpcCall(live.grpcUrl!, { body: half, end: false, headers: { "grpc-timeout": "100m" } });
      expect(sooner.code).toBe(DEADLINE_EXCEEDED);
      expect(sooner.message).toContain(
        "the call's deadline (grpc-timeout 100m) passed before its message was complete",
      );
      await live.stop();
    });
    const report = JSON.parse(run.stdout);
    expect(report.rejected.map((r: { category: string }) => r.category)).toEqual(["timeout", "timeout"]);
    expect(report.rejected[1].reason).toMatch(/\(gRPC connection 2, stream 1\)$/);
  });

  it("a call the client cancels mid-message is reported with its RST_STREAM code, connection and stream", async () => {
    const run = await liveCheck(["--reporter", "json"], async (_url, live) => {
      const session = await openSession(live.grpcUrl!);
      const first = session.request(
        { ":method": "POST", ":path": EXPORT, "content-type": "application/grpc" },
        { endStream: false },
      );
      first.write(frame(oneSpan()).subarray(0, 10));
      await sleep(100);
      first.close(constants.NGHTTP2_CANCEL);
      await sleep(100);
      // The same connection goes on: its next call is stream 3.
      expect((await grpcCall(live.grpcUrl!, { body: frame(oneSpan()), session })).code).toBe(OK);
      session.close();
      await live.stop();
    });
    const report = JSON.parse(run.stdout);
    expect(report.rejected).toEqual([
      {
        source: { file: "<request 1>" },
        category: "client went away",
        reason: expect.stringMatching(
          /^the client cancelled the call \(RST_STREAM code 8\) after 5 bytes of the \d+ bytes its message declared \(gRPC connection 1, stream 1\)$/,
        ),
      },
    ]);
  });
});

describe("live-check over OTLP/gRPC: the limits it shares with OTLP/HTTP, answered as OTLP/gRPC asks", () => {
  it("past --max-inflight-bytes: RESOURCE_EXHAUSTED with RetryInfo (1 s), counted on stderr, not a rejected record", async () => {
    const run = await liveCheck(
      ["--reporter", "json", "--max-body-bytes", "1000", "--max-inflight-bytes", "1500"],
      async (url, live) => {
        const session = await openSession(live.grpcUrl!);
        // The first call declares 1,000 bytes and stalls: they are held.
        const holding = session.request(
          { ":method": "POST", ":path": EXPORT, "content-type": "application/grpc" },
          { endStream: false },
        );
        const held = answerOf(holding);
        holding.write(Buffer.from([0, 0, 0, 0x03, 0xe8]));
        await sleep(100);
        const busy = await grpcCall(live.grpcUrl!, { body: frame(Buffer.alloc(900)) });
        expect(busy.code).toBe(RESOURCE_EXHAUSTED);
        expect(busy.retryDelaySeconds).toBe(1);
        expect(busy.message).toBe(
          "live-check holds 1,000 bytes of request messages, its limit (--max-inflight-bytes 1500); retry later",
        );
        // OTLP/HTTP shares the budget.
        const http = await fetch(url, {
          method: "POST",
          body: Buffer.alloc(900),
          headers: { "content-type": "application/x-protobuf" },
        });
        expect(http.status).toBe(503);
        holding.close(constants.NGHTTP2_CANCEL);
        await held.catch(() => {});
        session.close();
        await sleep(100);
        expect((await grpcCall(live.grpcUrl!, { body: frame(oneSpan()) })).code).toBe(OK);
        await live.stop();
      },
    );
    expect(run.stderr).toContain(
      "1 gRPC call answered RESOURCE_EXHAUSTED with RetryInfo while request bodies held --max-inflight-bytes (1500)",
    );
    expect(JSON.parse(run.stdout).summary).toMatchObject({ spans: 1, rejected: 1 });
  });

  it("past --max-connections (OTLP/HTTP and gRPC together): UNAVAILABLE with RetryInfo, then the connection is closed", async () => {
    const run = await liveCheck(["--reporter", "json", "--max-connections", "2"], async (url, live) => {
      const a = await openSession(live.grpcUrl!);
      const b = await openSession(live.grpcUrl!);
      const c = await openSession(live.grpcUrl!);
      const refused = await grpcCall(live.grpcUrl!, { body: frame(oneSpan()), session: c });
      expect(refused.code).toBe(UNAVAILABLE);
      expect(refused.retryDelaySeconds).toBe(1);
      expect(refused.message).toBe("live-check has 2 connections open, its limit (--max-connections); retry later");
      await new Promise((resolve) => c.once("close", resolve));
      // An HTTP connection is over the shared cap too.
      expect(
        (await fetch(url, { method: "POST", body: oneSpan(), headers: { "content-type": "application/x-protobuf" } }))
          .status,
      ).toBe(503);
      expect((await grpcCall(live.grpcUrl!, { body: frame(oneSpan()), session: a })).code).toBe(OK);
      a.close();
      b.close();
      await live.stop();
    });
    expect(run.stderr).toContain(
      "1 gRPC connection answered UNAVAILABLE with RetryInfo while --max-connections (2) were open",
    );
    expect(JSON.parse(run.stdout).summary).toMatchObject({ spans: 1, rejected: 0 });
  });

  it("--max-streams is the connection's SETTINGS_MAX_CONCURRENT_STREAMS: more calls wait their turn, none is lost", async () => {
    const run = await liveCheck(["--reporter", "json", "--max-streams", "3"], async (_url, live) => {
      const session = await openSession(live.grpcUrl!);
      await new Promise((resolve) =>
        session.remoteSettings.maxConcurrentStreams === 3
          ? resolve(undefined)
          : session.once("remoteSettings", resolve),
      );
      expect(session.remoteSettings.maxConcurrentStreams).toBe(3);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => grpcCall(live.grpcUrl!, { body: frame(oneSpan(`s${i}`)), session })),
      );
      expect(answers.map((a) => a.code)).toEqual(Array(20).fill(OK));
      session.close();
      await live.stop();
    });
    expect(JSON.parse(run.stdout).summary).toMatchObject({ spans: 20, rejected: 0 });
  });

  it("a connection with no call in progress is closed after --header-timeout (slowloris, idle exporters); it is noted, not rejected", async () => {
    const run = await liveCheck(["--reporter", "json", "--header-timeout", "0.3"], async (_url, live) => {
      // The HTTP/2 preface and settings, then nothing.
      const silent = connect(live.grpcUrl!);
      silent.on("error", () => {});
      const closed = new Promise((resolve) => silent.once("close", resolve));
      const started = Date.now();
      await closed;
      // Closed by the timer, not at once; that it is closed at all is the test's own timeout's to catch.
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      // An exporter that was idle just reconnects.
      expect((await grpcCall(live.grpcUrl!, { body: frame(oneSpan()) })).code).toBe(OK);
      await live.stop();
    });
    expect(run.stderr).toContain("1 gRPC connection closed after --header-timeout (0.3 s) without a complete call");
    expect(JSON.parse(run.stdout).summary).toMatchObject({ spans: 1, rejected: 0 });
  });

  it("an RST flood (1,000 calls opened and reset at once on one connection) is reported per call and leaves the receiver serving", async () => {
    const run = await liveCheck(["--reporter", "json", "--max-listed-per-kind", "5"], async (_url, live) => {
      const session = await openSession(live.grpcUrl!);
      session.on("error", () => {});
      for (let i = 0; i < 1000; i++) {
        const stream = session.request(
          { ":method": "POST", ":path": EXPORT, "content-type": "application/grpc" },
          { endStream: false },
        );
        stream.on("error", () => {});
        stream.close(constants.NGHTTP2_CANCEL);
      }
      await sleep(500);
      session.destroy();
      expect((await grpcCall(live.grpcUrl!, { body: frame(oneSpan()) })).code).toBe(OK);
      await live.stop();
    });
    const report = JSON.parse(run.stdout);
    expect(report.summary.spans).toBe(1);
    // Every reset call that reached the receiver is one rejected record; the first few are listed.
    expect(report.rejected.length).toBeLessThanOrEqual(5);
    for (const r of report.rejected)
      expect(r.reason).toMatch(
        /^the client cancelled the call \(RST_STREAM code 8\) after 0 bytes \(gRPC connection 1, stream \d+\)$/,
      );
  }, 30_000);

  it("OTLP/HTTP sent to the gRPC port: the connection is closed, noted as an HTTP/2 error; the receiver goes on", async () => {
    const run = await liveCheck(["--reporter", "json"], async (url, live) => {
      const wrong = await fetch(`${live.grpcUrl!}/v1/traces`, {
        method: "POST",
        body: oneSpan(),
        headers: { "content-type": "application/x-protobuf" },
      }).then(
        (r) => r.status,
        (error: Error) => error.message,
      );
      expect(wrong).not.toBe(200);
      expect((await grpcCall(live.grpcUrl!, { body: frame(oneSpan()) })).code).toBe(OK);
      expect(
        (await fetch(url, { method: "POST", body: oneSpan(), headers: { "content-type": "application/x-protobuf" } }))
          .status,
      ).toBe(200);
      await live.stop();
    });
    expect(run.stderr).toMatch(/1 gRPC connection closed for HTTP\/2 errors \(connection 1: /);
    expect(JSON.parse(run.stdout).summary).toMatchObject({ spans: 2, rejected: 0 });
  });

  it("stopping: calls in progress finish, new ones get UNAVAILABLE with RetryInfo", async () => {
    await liveCheck([], async (_url, live) => {
      const session = await openSession(live.grpcUrl!);
      const inProgress = session.request(
        { ":method": "POST", ":path": EXPORT, "content-type": "application/grpc" },
        { endStream: false },
      );
      const answer = answerOf(inProgress);
      inProgress.write(frame(oneSpan()).subarray(0, 8));
      await sleep(50);
      const stopped = live.stop();
      inProgress.end(frame(oneSpan()).subarray(8));
      expect((await answer).code).toBe(OK);
      session.close();
      await stopped;
    });
  });
});

describe("live-check --grpc-port / --no-grpc", () => {
  it.each([
    [[], { grpcPort: 4317, port: 4318 }],
    [["--grpc-port", "0"], { grpcPort: 0 }],
  ] as const)("%j", (args, expected) => {
    expect(parseLiveCheckArgs([...args])).toMatchObject(expected);
  });
  it("--no-grpc: no gRPC receiver", () => {
    expect(parseLiveCheckArgs(["--no-grpc"])).not.toHaveProperty("grpcPort");
  });
  it.each([
    [["--grpc-port", "70000"], "--grpc-port expects 0..65535, found '70000'"],
    [["--grpc-port", "4317", "--no-grpc"], "--grpc-port and --no-grpc together: choose one"],
    [
      ["--port", "4000", "--grpc-port", "4000"],
      "--port and --grpc-port are both 4000: OTLP/HTTP and OTLP/gRPC need a port each",
    ],
    [["--max-streams", "0"], "--max-streams expects a whole number from 1 to 2147483647, found '0'"],
  ] as const)("%j is a usage error", (args, message) => {
    expect(parseLiveCheckArgs([...args])).toBe(message);
  });
});
