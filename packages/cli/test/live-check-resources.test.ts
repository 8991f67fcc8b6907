/**
 * What a client can make `semtrace live-check` hold, measured on the built receiver in a process of its own: peak
 * RSS (its own VmHWM: see `helpers/measure-hook.mjs`) and the longest event-loop delay, one test per cap (issue 10, items 14–18). The bounds are
 * generous (a shared machine); the receiver before these caps exceeded each of them many times over (see
 * BENCHMARKS.md, "live-check under hostile input").
 */
import { existsSync } from "node:fs";
import http from "node:http";
import { connect } from "node:net";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { jsonDepthFor } from "../src/validate/limits.js";
import { DEFAULT_LIVE_LIMITS } from "../src/validate/live/limits.js";
import { builtBin, canMeasureRss, startLiveProcess } from "./helpers/live-process.js";
import { peakBoundMiB } from "./helpers/measured.js";
import { protobufField } from "./helpers/otlp-requests.js";

const MiB = 1024 * 1024;

if (!canMeasureRss)
  console.warn("live-check resource tests skipped: /proc/<pid>/status is not available to read peak RSS");
const measurable = describe.runIf(canMeasureRss);

function post(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  agent: http.Agent | false = false,
): Promise<{ status?: number; error?: string }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: hostname,
        port,
        path: pathname,
        method: "POST",
        agent,
        headers: { "content-length": body.length, ...headers },
      },
      (res) => {
        res.resume();
        res.once("end", () => resolve({ status: res.statusCode! }));
      },
    );
    req.once("error", (error) => resolve({ error: error.message }));
    req.end(body);
  });
}

const field = protobufField;
/** `bytes` of 2-byte empty fields `tag 00`. */
function emptyFields(tag: number, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < b.length; i += 2) b[i] = tag;
  return b;
}

function varintLength(n: number): number {
  let length = 1;
  for (; n >= 0x80; n = Math.floor(n / 128)) length++;
  return length;
}

function writeVarint(b: Buffer, pos: number, n: number): number {
  for (; n >= 0x80; n = Math.floor(n / 128)) b[pos++] = (n % 128) | 0x80;
  b[pos++] = n;
  return pos;
}

/**
 * An AnyValue nested `levels` deep (`arrayValue { values: [ … { boolValue: true } ] }`), every length right, written
 * from the outside in (nesting by concatenation would copy the bytes once per level).
 */
function nestedValue(levels: number): Buffer {
  // sizes[i]: bytes of the AnyValue nested i levels above the innermost one.
  const sizes = [2];
  for (let i = 1; i <= levels; i++) {
    const array = 1 + varintLength(sizes[i - 1]!) + sizes[i - 1]!;
    sizes.push(1 + varintLength(array) + array);
  }
  const b = Buffer.alloc(sizes[levels]!);
  let pos = 0;
  for (let i = levels; i >= 1; i--) {
    b[pos++] = 0x2a;
    pos = writeVarint(b, pos, 1 + varintLength(sizes[i - 1]!) + sizes[i - 1]!);
    b[pos++] = 0x0a;
    pos = writeVarint(b, pos, sizes[i - 1]!);
  }
  b[pos] = 0x10;
  b[pos + 1] = 0x01;
  return b;
}

measurable("live-check resources: peak RSS and event-loop delay under each attack", () => {
  it("is built (npm run build; turbo's test task builds first)", () => {
    expect(existsSync(builtBin), `${builtBin} is missing`).toBe(true);
  });

  it("the 24 KB gzip protobuf bomb (16 MiB of empty spans), its attribute and JSON twins: 413 each, peak RSS under 250 MiB", async () => {
    const bombs: [Buffer, Record<string, string>][] = [
      [
        gzipSync(field(0x0a, field(0x12, emptyFields(0x12, 16 * MiB - 32)))),
        { "content-type": "application/x-protobuf", "content-encoding": "gzip" },
      ],
      [
        gzipSync(field(0x0a, field(0x12, field(0x12, emptyFields(0x4a, 16 * MiB - 32))))),
        { "content-type": "application/x-protobuf", "content-encoding": "gzip" },
      ],
      [
        gzipSync(`{"resourceSpans":[{"scopeSpans":[{"spans":[${Array(5_500_000).fill("{}").join(",")}]}]}]}`),
        { "content-type": "application/json", "content-encoding": "gzip" },
      ],
    ];
    expect(bombs[0]![0].length).toBeLessThan(24 * 1024);
    const live = await startLiveProcess(["--reporter", "json"]);
    for (const [body, headers] of bombs) expect(await post(live.url, body, headers)).toEqual({ status: 413 });
    const { code, stdout, peakMiB } = await live.stop();
    expect(code).toBe(2);
    expect(JSON.parse(stdout).summary).toMatchObject({ spans: 0, rejected: 3 });
    expect(peakMiB).toBeLessThan(peakBoundMiB(250));
    // How long the loop was held is a benchmark figure (BENCHMARKS.md, live-check under attack), not a timed test.
  }, 120_000);

  it("the largest request the caps let in (16 MiB of protobuf: 100,000 spans, 1,000,000 attribute values) is checked with peak RSS under 300 MiB", async () => {
    // Each span: its kind and 9 attributes `{ key: "k<i>", value: { stringValue: "v" } }`; spans × 10 values = the value cap.
    const attribute = (i: number) =>
      field(0x4a, Buffer.concat([field(0x0a, Buffer.from(`k${i}`)), field(0x12, field(0x0a, Buffer.from("v")))]));
    const kind = field(
      0x4a,
      Buffer.concat([
        field(0x0a, Buffer.from("openinference.span.kind")),
        field(0x12, field(0x0a, Buffer.from("LLM"))),
      ]),
    );
    const span = field(0x12, Buffer.concat([kind, ...Array.from({ length: 9 }, (_, i) => attribute(i))]));
    const { maxRequestSpans, maxRequestAttributes } = DEFAULT_LIVE_LIMITS;
    const body = field(0x0a, field(0x12, Buffer.concat(Array<Buffer>(maxRequestSpans).fill(span))));
    expect(body.length).toBeLessThan(DEFAULT_LIVE_LIMITS.maxBodyBytes);
    expect(maxRequestSpans * 10).toBe(maxRequestAttributes);
    const live = await startLiveProcess([]);
    const sentAt = performance.now();
    expect(await post(live.url, body, { "content-type": "application/x-protobuf" })).toEqual({ status: 200 });
    const requestMs = performance.now() - sentAt;
    const { code, stdout, peakMiB, loopMaxMs } = await live.stop();
    expect(code).toBe(0);
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(
      new RegExp(
        `^${maxRequestSpans} spans \\(judged: ${maxRequestSpans} openinference, 0 genai; 0 other\\), 0 errors, 0 warnings, \\d+ infos$`,
      ),
    );
    expect(peakMiB).toBeLessThan(peakBoundMiB(300));
    // Decoding and validation yield in slices: no stall comes near the request's own time (relative, so a busy
    // machine slows both alike; the absolute figures are BENCHMARKS.md's).
    expect(loopMaxMs).toBeLessThan(requestMs / 4);
  }, 120_000);

  it("one span at --max-span-values (200,000 attribute values) is checked with peak RSS under 300 MiB; one value more is refused at once", async () => {
    const { maxSpanValues } = DEFAULT_LIVE_LIMITS;
    const oneSpan = (values: number) => {
      const attributes = Array.from({ length: values }, (_, i) =>
        field(0x4a, Buffer.concat([field(0x0a, Buffer.from(`k${i}`)), field(0x12, Buffer.from([0x10, 0x01]))])),
      );
      return field(0x0a, field(0x12, field(0x12, Buffer.concat(attributes))));
    };
    const live = await startLiveProcess([]);
    expect(await post(live.url, oneSpan(maxSpanValues), { "content-type": "application/x-protobuf" })).toEqual({
      status: 200,
    });
    expect(await post(live.url, oneSpan(maxSpanValues + 1), { "content-type": "application/x-protobuf" })).toEqual({
      status: 413,
    });
    const { code, stderr, peakMiB } = await live.stop();
    expect(code).toBe(2);
    expect(stderr).toContain(
      `<request 2>: 413: resourceSpans[0].scopeSpans[0].spans[0]: a span carries more than ${maxSpanValues.toLocaleString("en-US")} values (attributes, events`,
    );
    expect(stderr).toContain("the cap per span (--max-span-values)");
    expect(peakMiB).toBeLessThan(peakBoundMiB(300));
    // A span is decoded and validated in one step, which the cap bounds; how long that step holds the loop is a
    // benchmark figure (BENCHMARKS.md, live-check under attack: one span with 1 M attributes), not a timed test.
  }, 120_000);

  it("attribute values nested past --max-depth (16 MiB of nesting, protobuf and JSON, gzip): 400 naming the cap, peak RSS under 150 MiB", async () => {
    const attribute = (value: Buffer) =>
      field(
        0x0a,
        field(0x12, field(0x12, field(0x4a, Buffer.concat([field(0x0a, Buffer.from("k")), field(0x12, value)])))),
      );
    const protobuf = attribute(nestedValue(1_600_000));
    expect(protobuf.length).toBeGreaterThan(12 * MiB);
    expect(protobuf.length).toBeLessThan(DEFAULT_LIVE_LIMITS.maxBodyBytes);
    const levels = 8 * MiB - 64;
    const json = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":${"[".repeat(levels)}${"]".repeat(levels)}}]}]}]}]}`;
    const live = await startLiveProcess(["--reporter", "json"]);
    expect(
      await post(live.url, gzipSync(protobuf), {
        "content-type": "application/x-protobuf",
        "content-encoding": "gzip",
      }),
    ).toEqual({ status: 400 });
    expect(
      await post(live.url, gzipSync(json), { "content-type": "application/json", "content-encoding": "gzip" }),
    ).toEqual({ status: 400 });
    const { code, stdout, stderr, peakMiB } = await live.stop();
    expect(code).toBe(2);
    expect(JSON.parse(stdout).summary).toMatchObject({ spans: 0, rejected: 2 });
    expect(stderr).toContain(
      `expected values nested at most ${DEFAULT_LIVE_LIMITS.maxDepth} deep (--max-depth), found deeper nesting`,
    );
    expect(stderr).toContain(`JSON nested deeper than ${jsonDepthFor(DEFAULT_LIVE_LIMITS.maxDepth)} levels`);
    expect(peakMiB).toBeLessThan(peakBoundMiB(150));
    // How long the loop was held is a benchmark figure (BENCHMARKS.md, live-check under attack), not a timed test.
  }, 120_000);

  it("64 connections sending 16 MiB bodies at once (1 GiB offered): --max-inflight-bytes lets 4 be held, the others read their 503; peak RSS under 300 MiB", async () => {
    const live = await startLiveProcess(["--reporter", "json"]);
    const body = Buffer.from(`{"resourceSpans":[],"pad":"${" ".repeat(16 * MiB - 64)}"}`);
    const answers = await Promise.all(
      Array.from({ length: 64 }, () => post(live.url, body, { "content-type": "application/json" })),
    );
    const { peakMiB, stderr } = await live.stop();
    // Each gets an answer: a refused client still writing its body reads its 503 (not EPIPE or ECONNRESET).
    expect(answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    const ok = answers.filter((a) => a.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(DEFAULT_LIVE_LIMITS.maxInflightBytes / (16 * MiB));
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(40);
    expect(stderr).toMatch(/\d+ requests answered 503 \(Retry-After\) while request bodies held --max-inflight-bytes/);
    expect(peakMiB).toBeLessThan(peakBoundMiB(300));
  }, 120_000);

  it("1,000 slowloris connections: --max-connections are held and cut at --header-timeout (408), the rest answered 503 at once; peak RSS under 150 MiB", async () => {
    const live = await startLiveProcess(["--reporter", "json", "--header-timeout", "2"]);
    const { port } = new URL(live.url);
    const sockets = await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          new Promise<{ socket: ReturnType<typeof connect>; answer: () => string; closed: Promise<void> }>(
            (resolve) => {
              const socket = connect(Number(port), "127.0.0.1");
              let answer = "";
              socket.setEncoding("utf8");
              socket.on("data", (d: string) => (answer += d));
              socket.on("error", () => {});
              const closed = new Promise<void>((r) => socket.once("close", () => r()));
              socket.once("connect", () => resolve({ socket, answer: () => answer, closed }));
            },
          ),
      ),
    );
    let dribbling = true;
    const dribble = (async () => {
      for (let i = 0; dribbling; i++) {
        for (const { socket } of sockets)
          if (socket.writable) socket.write(i === 0 ? "POST /v1/traces HTTP/1.1\r\n" : `x-${i}: ${i}\r\n`);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    await Promise.all(sockets.map((s) => s.closed));
    dribbling = false;
    await dribble;
    const answers = sockets.map((s) => s.answer());
    expect(answers.filter((a) => a.startsWith("HTTP/1.1 408 Request Timeout"))).toHaveLength(
      DEFAULT_LIVE_LIMITS.maxConnections,
    );
    // The others were answered 503 at once, or (past as many lingering answers again) closed at once.
    const busy = answers.filter((a) => a.startsWith("HTTP/1.1 503 Service Unavailable")).length;
    expect(busy).toBeGreaterThanOrEqual(DEFAULT_LIVE_LIMITS.maxConnections);
    expect(busy + answers.filter((a) => a === "").length).toBe(1000 - DEFAULT_LIVE_LIMITS.maxConnections);
    const { stdout, peakMiB } = await live.stop();
    expect(JSON.parse(stdout).summary.rejected).toBe(DEFAULT_LIVE_LIMITS.maxConnections);
    expect(peakMiB).toBeLessThan(peakBoundMiB(150));
  }, 120_000);

  it.each(["junit", "sarif"] as const)(
    "a session of 2,100,000 findings, --reporter %s: --max-findings-per-rule of each rule kept, the rest counted; peak RSS under 250 MiB",
    async (reporter) => {
      // 10 requests of 30,000 LLM spans with a type error: 1 error (value.type) and 6 infos apiece. Kept whole (the cap
      // raised past them), these findings took the receiver to 750 MiB; sarif could not even render them.
      const badLlm = {
        traceId: "0af7651916cd43dd8448eb211c80319c",
        spanId: "b7ad6b7169203331",
        name: "llm",
        attributes: [
          { key: "openinference.span.kind", value: { stringValue: "LLM" } },
          { key: "llm.token_count.prompt", value: { stringValue: "x" } },
        ],
      };
      const body = Buffer.from(
        JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: Array(30_000).fill(badLlm) }] }] }),
      );
      const live = await startLiveProcess(["--reporter", reporter]);
      for (let r = 0; r < 10; r++)
        expect(await post(live.url, body, { "content-type": "application/json" })).toEqual({ status: 200 });
      const { code, stdout, peakMiB } = await live.stop();
      expect(code).toBe(1);
      const cap = DEFAULT_LIVE_LIMITS.maxFindingsPerRule;
      if (reporter === "sarif") {
        const run = (
          JSON.parse(stdout) as {
            runs: {
              results: { ruleId: string }[];
              invocations: { toolExecutionNotifications: { message: { text: string } }[] }[];
            }[];
          }
        ).runs[0]!;
        expect(run.results.filter((r) => r.ruleId === "value.type")).toHaveLength(cap);
        expect(run.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text)).toContainEqual(
          expect.stringContaining(`${300_000 - cap} more error results of value.type are not listed`),
        );
      } else {
        expect(stdout.match(/<failure type="value\.type" message="error: /g)).toHaveLength(cap);
        expect(stdout).toContain(`<testcase classname="findings" name="value.type: ${300_000 - cap} more">`);
      }
      expect(peakMiB).toBeLessThan(peakBoundMiB(250));
    },
    120_000,
  );

  it("50,000 malformed requests: all counted, the first --max-listed-per-kind kept; RSS does not grow with them", async () => {
    const live = await startLiveProcess(["--reporter", "json"]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const body = Buffer.from('{"resourceSpans":[{"scopeSpans":{}}]}');
    const total = 50_000;
    let next = 0;
    let afterFirst = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let n = next++; n < total; n = next++) {
          expect((await post(live.url, body, { "content-type": "application/json" }, agent)).status).toBe(400);
          if (n === 5_000) afterFirst = live.memory().rssMiB;
        }
      }),
    );
    const atEnd = live.memory().rssMiB;
    agent.destroy();
    const { code, stdout, stderr } = await live.stop();
    expect(code).toBe(2);
    expect(JSON.parse(stdout).summary.rejected).toBe(total);
    expect(stderr.match(/<request \d+>: 400: wrong shape/g)).toHaveLength(DEFAULT_LIVE_LIMITS.maxListedPerKind);
    expect(stderr).toContain(
      `… and ${total - DEFAULT_LIVE_LIMITS.maxListedPerKind} more rejected records of this kind: wrong shape (--max-listed-per-kind)`,
    );
    // Keeping each of the 45,000 later ones (about 1.8 KB each, as before) would add some 80 MiB.
    expect(atEnd - afterFirst).toBeLessThan(40);
  }, 180_000);
});
