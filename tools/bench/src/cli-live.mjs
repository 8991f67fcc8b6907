/**
 * Load on `semtrace live-check` over loopback: a bounded load generator (a fixed number of OTLP/HTTP POSTs, half
 * OTLP/JSON and half protobuf, `concurrency` in flight) against a fresh live-check process on 127.0.0.1 (port 0).
 * Reports sustained spans/s (first request sent → last response received) and the live-check process's RSS
 * (/proc/<pid>/status VmRSS, and VmHWM for the peak) after the last request, before it is stopped with SIGINT.
 * live-check hands its findings to the same collectors as `semtrace validate` (`collectorFor`): with the json
 * reporter they are serialised as they arrive and spooled to a temporary file, with text only per-rule counts and
 * the first 100 findings of each rule are kept, so the RSS measures the receiver rather than the findings so far.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { request as otlpRequest } from "./cli-data.mjs";

// --- a minimal protobuf encoder for the OTLP trace messages the requests use ----------------------------------------

function varint(n, out) {
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}
const tag = (field, wire, out) => varint((field << 3) | wire, out);
function bytesField(field, bytes, out) {
  tag(field, 2, out);
  varint(bytes.length, out);
  for (const b of bytes) out.push(b);
}
const str = (field, s, out) => bytesField(field, Buffer.from(s, "utf8"), out);
const msg = (field, encode, out) => {
  const inner = [];
  encode(inner);
  bytesField(field, inner, out);
};
function anyValue(v, out) {
  if (v.stringValue !== undefined) str(1, v.stringValue, out);
  else if (v.boolValue !== undefined) tag(2, 0, out), varint(v.boolValue ? 1 : 0, out);
  else if (v.intValue !== undefined) tag(3, 0, out), varint(v.intValue, out);
  else if (v.doubleValue !== undefined) {
    tag(4, 1, out);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v.doubleValue);
    for (const x of b) out.push(x);
  } else if (v.arrayValue)
    msg(
      5,
      (o) => {
        for (const x of v.arrayValue.values) msg(1, (oo) => anyValue(x, oo), o);
      },
      out,
    );
}
const keyValue = (kv, out) => (str(1, kv.key, out), msg(2, (o) => anyValue(kv.value, o), out));
/** An OTLP/JSON-shaped ExportTraceServiceRequest → its protobuf encoding. */
export function encodeRequest(req) {
  const out = [];
  for (const rs of req.resourceSpans)
    msg(
      1,
      (o) => {
        for (const ss of rs.scopeSpans)
          msg(
            2,
            (o2) => {
              for (const span of ss.spans)
                msg(
                  2,
                  (o3) => {
                    bytesField(1, Buffer.from(span.traceId, "hex"), o3);
                    bytesField(2, Buffer.from(span.spanId, "hex"), o3);
                    str(5, span.name, o3);
                    for (const kv of span.attributes) msg(9, (o4) => keyValue(kv, o4), o3);
                  },
                  o2,
                );
            },
            o,
          );
      },
      out,
    );
  return Buffer.from(out);
}

/** The summary of a text report, from its last line ("N spans, N errors, N warnings, N infos[, N records rejected]"). */
function textSummary(stdout) {
  const line = stdout.trimEnd().split("\n").at(-1) ?? "";
  const n = (word) => Number(new RegExp(`(\\d+) ${word}s?\\b`).exec(line)?.[1] ?? 0);
  if (!/ spans?, /.test(line)) throw new Error(`live-check: no summary line in the text report: ${line.slice(0, 200)}`);
  return { spans: n("span"), errors: n("error"), warnings: n("warning"), infos: n("info"), rejected: n("record") };
}

function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  return { rssMiB: kb("VmRSS") / 1024, hwmMiB: kb("VmHWM") / 1024 };
}

/** Runs one load test; resolves with the figures. */
export async function liveCheckLoad({
  bin,
  requests = 10_000,
  spansPerRequest = 10,
  concurrency = 12,
  distinct = 200,
  reporter = "json",
}) {
  if (reporter !== "json" && reporter !== "text")
    throw new Error(`liveCheckLoad: reporter must be json or text, not ${reporter}`);
  // A pool of distinct bodies (each sent as JSON and as protobuf), reused round-robin.
  const bodies = [];
  for (let k = 0; k < distinct; k++) {
    const req = otlpRequest(k * spansPerRequest, spansPerRequest);
    bodies.push({ json: Buffer.from(JSON.stringify(req)), protobuf: encodeRequest(req) });
  }
  const child = spawn(process.execPath, [bin, "live-check", "--port", "0", "--no-grpc", "--reporter", reporter], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "1" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s) => (stdout += s));
  const exited = new Promise((r) => child.once("exit", (code) => r(code)));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`live-check did not start: ${stderr}`)), 30_000);
    child.stderr.setEncoding("utf8").on("data", (s) => {
      stderr += s;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1\/traces)/.exec(stderr);
      if (m) clearTimeout(timer), resolve(new URL(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`live-check exited ${code}: ${stderr}`)));
  });
  const idle = procStatus(child.pid);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (body, type) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: url.port,
          path: url.pathname,
          method: "POST",
          agent,
          headers: { "content-type": type, "content-length": body.length },
        },
        (res) => {
          res.resume();
          res.once("end", () =>
            res.statusCode === 200 ? resolve(undefined) : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.once("error", reject);
      req.end(body);
    });
  let next = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    for (let n = next++; n < requests; n = next++) {
      const b = bodies[n % bodies.length];
      const protobuf = n % 2 === 1;
      bytes += protobuf ? b.protobuf.length : b.json.length;
      await post(protobuf ? b.protobuf : b.json, protobuf ? "application/x-protobuf" : "application/json");
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const after = procStatus(child.pid);
  agent.destroy();
  child.kill("SIGINT");
  const code = await exited;
  const summary = reporter === "json" ? JSON.parse(stdout).summary : textSummary(stdout);
  if (summary.spans !== requests * spansPerRequest)
    throw new Error(`live-check counted ${summary.spans} spans, expected ${requests * spansPerRequest}`);
  if (code !== 1 || summary.rejected !== 0)
    throw new Error(`live-check exited ${code} with ${summary.rejected} rejected: ${stderr.slice(0, 2000)}`);
  return {
    requests,
    spansPerRequest,
    concurrency,
    seconds,
    requestsPerSecond: requests / seconds,
    spansPerSecond: (requests * spansPerRequest) / seconds,
    meanBodyBytes: bytes / requests,
    idleRssMiB: idle.rssMiB,
    rssMiB: after.rssMiB,
    peakRssMiB: after.hwmMiB,
    summary,
  };
}
