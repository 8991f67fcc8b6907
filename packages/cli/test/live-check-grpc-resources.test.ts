/**
 * What a client can make `semtrace live-check`'s OTLP/gRPC receiver hold, measured on the built receiver in a process
 * of its own (peak RSS, its own VmHWM; the longest event-loop delay): one test per cap, as `live-check-resources.test.ts`
 * does for OTLP/HTTP, with bounds as generous (a shared machine).
 */
import { existsSync } from "node:fs";
import { connect as connectHttp2, constants } from "node:http2";
import { connect } from "node:net";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIVE_LIMITS } from "../src/validate/live/limits.js";
import { answerOf, EXPORT, frame, grpcCall, openSession, type GrpcAnswer } from "./helpers/grpc.js";
import { builtBin, canMeasureRss, startLiveProcess } from "./helpers/live-process.js";
import { peakBoundMiB } from "./helpers/measured.js";
import { protobufField } from "./helpers/otlp-requests.js";

const MiB = 1024 * 1024;
const RESOURCE_EXHAUSTED = 8;
const UNAVAILABLE = 14;
const field = protobufField;

if (!canMeasureRss)
  console.warn("live-check gRPC resource tests skipped: /proc/<pid>/status is not available to read peak RSS");
const measurable = describe.runIf(canMeasureRss);

/** A call on a connection of its own; a connection the server refuses or cuts is an answer too. */
function call(
  url: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<GrpcAnswer | { error: string }> {
  return grpcCall(url, { body, headers }).catch((error: Error) => ({ error: error.message }));
}

measurable("live-check over OTLP/gRPC: peak RSS and event-loop delay under each attack", () => {
  it("is built (npm run build; turbo's test task builds first)", () => {
    expect(existsSync(builtBin), `${builtBin} is missing`).toBe(true);
  });

  it("the 24 KB gzip protobuf bomb (16 MiB of empty spans) and a 16 KiB message declaring 4 GiB: RESOURCE_EXHAUSTED each, peak RSS under 250 MiB", async () => {
    const empty = Buffer.alloc(16 * MiB - 32);
    for (let i = 0; i < empty.length; i += 2) empty[i] = 0x12;
    const spanBomb = gzipSync(field(0x0a, field(0x12, empty)));
    const gzipBomb = gzipSync(Buffer.alloc(1024 * MiB));
    expect(spanBomb.length).toBeLessThan(24 * 1024);
    const live = await startLiveProcess(["--reporter", "json"]);
    const grpc = live.grpcUrl!;
    const answers = [
      await call(grpc, frame(spanBomb, true), { "grpc-encoding": "gzip" }),
      await call(grpc, frame(gzipBomb, true), { "grpc-encoding": "gzip" }),
      await call(grpc, Buffer.concat([Buffer.from([0, 0xff, 0xff, 0xff, 0xff]), Buffer.alloc(16 * 1024)])),
    ];
    const { code, stdout, stderr, peakMiB } = await live.stop();
    expect(answers.map((a) => ("code" in a ? a.code : a.error))).toEqual([
      RESOURCE_EXHAUSTED,
      RESOURCE_EXHAUSTED,
      RESOURCE_EXHAUSTED,
    ]);
    expect(code).toBe(2);
    expect(JSON.parse(stdout).summary).toMatchObject({ spans: 0, rejected: 3 });
    expect(stderr).toContain("the request carries more than 100,000 spans, the cap per request (--max-request-spans)");
    expect(stderr).toContain("decompressed request message is over the limit of 16,777,216 bytes (--max-body-bytes)");
    expect(stderr).toContain(
      "request message of 4,294,967,295 bytes is over the limit of 16,777,216 bytes (--max-body-bytes)",
    );
    expect(peakMiB).toBeLessThan(peakBoundMiB(250));
    // The loop delay is not asserted: wall time is the machine's load as much as ours (the HTTP twins of these
    // attacks are timed in BENCHMARKS.md, live-check under attack).
  }, 180_000);

  it("64 connections sending 16 MiB messages at once (1 GiB offered): --max-inflight-bytes lets 4 be held, the others get RESOURCE_EXHAUSTED with RetryInfo; peak RSS under 300 MiB", async () => {
    const live = await startLiveProcess(["--reporter", "json"]);
    // An empty ResourceSpans and an unknown field: a valid request of 16 MiB.
    const message = frame(Buffer.concat([field(0x0a, Buffer.alloc(0)), field(0x7a, Buffer.alloc(16 * MiB - 64))]));
    const answers = await Promise.all(Array.from({ length: 64 }, () => call(live.grpcUrl!, message)));
    const { peakMiB, stderr } = await live.stop();
    // Each gets its answer (none a reset or a broken connection).
    expect(answers.filter((a) => !("code" in a) || (a.code !== 0 && a.code !== RESOURCE_EXHAUSTED))).toEqual([]);
    const ok = answers.filter((a) => "code" in a && a.code === 0).length;
    expect(ok).toBeGreaterThanOrEqual(DEFAULT_LIVE_LIMITS.maxInflightBytes / (16 * MiB));
    const busy = answers.filter((a): a is GrpcAnswer => "code" in a && a.code === RESOURCE_EXHAUSTED);
    expect(busy.length).toBeGreaterThan(40);
    for (const answer of busy) expect(answer.retryDelaySeconds).toBe(1);
    expect(stderr).toMatch(
      /\d+ gRPC calls answered RESOURCE_EXHAUSTED with RetryInfo while request bodies held --max-inflight-bytes/,
    );
    expect(peakMiB).toBeLessThan(peakBoundMiB(300));
  }, 180_000);

  it("1,000 slowloris connections (the HTTP/2 preface, then a header block that never ends): --max-connections held and closed at --header-timeout, the rest refused; peak RSS under 150 MiB", async () => {
    const live = await startLiveProcess(["--reporter", "json", "--header-timeout", "2"]);
    const { port } = new URL(live.grpcUrl!);
    // The client preface, an empty SETTINGS frame, then the first bytes of a HEADERS frame (stream 1) that never completes.
    const preface = Buffer.concat([
      Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
      Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]),
      Buffer.from([0, 0x40, 0, 1, 0x04, 0, 0, 0, 1, 0x83]),
    ]);
    const sockets = await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          new Promise<{ closed: Promise<void> }>((resolve) => {
            const socket = connect(Number(port), "127.0.0.1");
            socket.on("error", () => {});
            socket.on("data", () => {});
            const closed = new Promise<void>((r) => socket.once("close", () => r()));
            socket.once("connect", () => {
              socket.write(preface);
              resolve({ closed });
            });
          }),
      ),
    );
    await Promise.all(sockets.map((s) => s.closed));
    // Held ones are closed at --header-timeout (plus the linger), refused ones at once: all of them, or the test's
    // own timeout fails it. The time it takes is the machine's load as much as ours, so it is not asserted.
    // A well-behaved exporter is served afterwards.
    expect(await call(live.grpcUrl!, frame(Buffer.alloc(0)))).toMatchObject({ code: 0 });
    const { stdout, stderr, peakMiB } = await live.stop();
    expect(JSON.parse(stdout).summary, stderr).toMatchObject({ spans: 0, rejected: 0 });
    // At most --max-connections at a time were held, each until --header-timeout; a connection the server accepted
    // only after others had gone (a loaded machine accepts 1,000 at once slowly) may be held in their place.
    const slow = Number(
      /(\d+) gRPC connections closed after --header-timeout \(2 s\) without a complete call/.exec(stderr)?.[1],
    );
    const refused = Number(
      /(\d+) gRPC connections answered UNAVAILABLE with RetryInfo while --max-connections \(128\) were open/.exec(
        stderr,
      )?.[1],
    );
    expect(slow, stderr).toBeGreaterThanOrEqual(DEFAULT_LIVE_LIMITS.maxConnections);
    expect(slow + refused, stderr).toBe(1000);
    expect(peakMiB).toBeLessThan(peakBoundMiB(150));
  }, 180_000);

  it("an RST flood (20 connections × 2,000 calls opened and reset at once): every reset call counted, the first listed; peak RSS under 200 MiB, and a good call answered after", async () => {
    const live = await startLiveProcess(["--reporter", "json"]);
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const session = await openSession(live.grpcUrl!);
        session.on("error", () => {});
        for (let i = 0; i < 2000; i++) {
          const stream = session.request(
            { ":method": "POST", ":path": EXPORT, "content-type": "application/grpc" },
            { endStream: false },
          );
          stream.on("error", () => {});
          stream.close(constants.NGHTTP2_CANCEL);
        }
        await new Promise((r) => setTimeout(r, 1000));
        session.destroy();
      }),
    );
    // The receiver still answers.
    const session = connectHttp2(live.grpcUrl!);
    const stream = session.request(
      { ":method": "POST", ":path": EXPORT, "content-type": "application/grpc" },
      { endStream: false },
    );
    const answer = answerOf(stream);
    stream.end(frame(Buffer.alloc(0)));
    expect((await answer).code).toBe(0);
    session.close();
    const { stdout, peakMiB } = await live.stop();
    const report = JSON.parse(stdout) as {
      summary: { rejected: number };
      rejected: { category: string; reason: string }[];
    };
    expect(report.summary.rejected).toBeGreaterThan(0);
    // Each is listed with its connection and stream, up to --max-listed-per-kind of each kind.
    for (const r of report.rejected) expect(r.reason).toMatch(/\(gRPC connection \d+, stream \d+\)$/);
    for (const category of new Set(report.rejected.map((r) => r.category)))
      expect(report.rejected.filter((r) => r.category === category).length).toBeLessThanOrEqual(
        DEFAULT_LIVE_LIMITS.maxListedPerKind,
      );
    // Node 20 peaks near 105 MiB; Node 22's and 24's HTTP/2 and heap sizing leave more garbage between collections
    // (126–178 MiB on Node 22, 173–185 on 24), and not in proportion to the calls: 1,000 / 2,000 / 4,000 calls per
    // connection peaked at 130 / 141–178 / 126 MiB on Node 22. Retention per call would show as growth with them.
    expect(peakMiB).toBeLessThan(peakBoundMiB(200));
    // The loop delay is not asserted (wall time is the machine's load as much as ours): Node's HTTP/2 hands a read's
    // frames to JavaScript in one go, a 64 KiB read being ~1,000 reset calls (1.3 s was seen at load 27 on 2 cores).
  }, 180_000);

  it("over --max-connections, 1,000 exporters at once: UNAVAILABLE with RetryInfo (or closed at once past as many again); peak RSS under 150 MiB", async () => {
    const live = await startLiveProcess(["--reporter", "json", "--max-connections", "8"]);
    const sessions = await Promise.all(Array.from({ length: 8 }, () => openSession(live.grpcUrl!)));
    const answers = await Promise.all(Array.from({ length: 1000 }, () => call(live.grpcUrl!, frame(Buffer.alloc(0)))));
    for (const s of sessions) s.close();
    const { peakMiB } = await live.stop();
    // Answered UNAVAILABLE with RetryInfo while refused connections linger (up to as many again), else closed at
    // once: the call is then refused unprocessed (REFUSED_STREAM, which gRPC clients retry) or its connection cut.
    // (On Node 24 under load every call here was refused unprocessed: the lingering ones were all taken.)
    const unavailable = answers.filter((a): a is GrpcAnswer => "code" in a && a.code === UNAVAILABLE);
    for (const a of unavailable) expect(a.retryDelaySeconds).toBe(1);
    const cut = answers.filter((a) => "error" in a);
    for (const a of cut)
      expect((a as { error: string }).error).toMatch(/REFUSED_STREAM|ECONNRESET|socket hang up|closed|GOAWAY/i);
    expect(unavailable.length + cut.length).toBe(1000);
    expect(peakMiB).toBeLessThan(peakBoundMiB(150));
  }, 180_000);
});

/** HPACK: a header field as a literal without indexing, new name (RFC 7541 §6.2.2); names and values under 127 bytes. */
function literal(name: string, value: string): Buffer {
  return Buffer.concat([
    Buffer.from([0x00, name.length]),
    Buffer.from(name),
    Buffer.from([value.length]),
    Buffer.from(value),
  ]);
}

/** An HTTP/2 frame (RFC 9113 §4.1). */
function h2frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(stream, 5);
  return Buffer.concat([header, payload]);
}

measurable("live-check over OTLP/gRPC: a client that ignores --max-streams", () => {
  it("1,000 calls opened at once on one connection, each holding 64 KiB of a 1 MiB message: past --max-streams they are refused (REFUSED_STREAM), the rest cut at --body-timeout; peak RSS under 200 MiB", async () => {
    const live = await startLiveProcess(["--reporter", "json", "--max-streams", "50", "--body-timeout", "3"]);
    const { port } = new URL(live.grpcUrl!);
    const block = Buffer.concat([
      literal(":method", "POST"),
      literal(":scheme", "http"),
      literal(":path", EXPORT),
      literal(":authority", `127.0.0.1:${port}`),
      literal("content-type", "application/grpc"),
      literal("te", "trailers"),
    ]);
    const message = Buffer.alloc(64 * 1024);
    message.writeUInt32BE(1024 * 1024, 1);
    const socket = connect(Number(port), "127.0.0.1");
    socket.on("error", () => {});
    let received = Buffer.alloc(0);
    socket.on("data", (d: Buffer) => (received = Buffer.concat([received, d])));
    const closed = new Promise<void>((r) => socket.once("close", () => r()));
    await new Promise((r) => socket.once("connect", r));
    const frames = [Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), h2frame(4, 0, 0, Buffer.alloc(0))];
    // HEADERS (END_HEADERS), then a DATA frame of 16 KiB (the default frame size) on each of 1,000 streams.
    for (let i = 0; i < 1000; i++)
      frames.push(h2frame(1, 0x4, 2 * i + 1, block), h2frame(0, 0, 2 * i + 1, message.subarray(0, 16 * 1024)));
    socket.write(Buffer.concat(frames));
    await closed;
    // The frames the server sent: RST_STREAM (type 3) with REFUSED_STREAM (7) for the streams past the limit.
    let refused = 0;
    for (let at = 0; at + 9 <= received.length; ) {
      const length = received.readUIntBE(at, 3);
      if (received[at + 3] === 3 && received.readUInt32BE(at + 9) === 7) refused++;
      at += 9 + length;
    }
    const { stdout, peakMiB } = await live.stop();
    expect(refused).toBeGreaterThanOrEqual(900);
    // The calls let in timed out (their messages never completed), each reported.
    expect(JSON.parse(stdout).summary.rejected).toBeLessThanOrEqual(100);
    expect(peakMiB).toBeLessThan(peakBoundMiB(200));
  }, 180_000);
});
