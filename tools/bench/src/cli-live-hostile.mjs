#!/usr/bin/env node
/**
 * `semtrace live-check` under hostile clients (issue 10, items 14–18): what each attack costs the receiver in time,
 * memory and event-loop delay, with its default limits.
 *
 *   node tools/bench/src/cli-live-hostile.mjs [--baseline <other dist/bin.js>] [--malformed 200000] [--write]
 *
 * Every scenario starts a fresh `node packages/cli/dist/bin.js live-check --port 0 --reporter json` (built-in
 * OpenInference registry) with a preloaded hook that measures its event-loop delay (`monitorEventLoopDelay`, 10 ms
 * resolution) and prints it with its peak RSS (VmHWM, the kernel's high-water mark) when it exits; the client runs in
 * this process. `--baseline` runs the same scenarios against another build side by side (e.g. the receiver before
 * these limits), each bounded by a deadline. --write rewrites the "live-check under hostile input" section of
 * BENCHMARKS.md.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { table, updateSection } from "./report.mjs";

const { values } = parseArgs({
  options: { baseline: { type: "string" }, malformed: { type: "string" }, write: { type: "boolean" } },
});
const MALFORMED = Number(values.malformed ?? 200_000);
const LOAD_BEFORE = os.loadavg()[0];
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const bin = join(repoRoot, "packages/cli/dist/bin.js");
const log = (s) => process.stderr.write(`${s}\n`);
if (!existsSync(bin)) {
  log("packages/cli/dist/bin.js is missing: build first (npm run build).");
  process.exit(1);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const MiB = 1024 * 1024;

// --- the receiver process ---------------------------------------------------------------------------------------

// Measures the receiver's event-loop delay (SIGUSR2 to SIGINT) and peak RSS from inside it; shared with the resource tests.
const HOOK = pathToFileURL(join(repoRoot, "packages/cli/test/helpers/measure-hook.mjs")).href;

async function start(binPath, args = []) {
  const child = spawn(
    process.execPath,
    ["--import", HOOK, binPath, "live-check", "--port", "0", "--no-grpc", "--reporter", "json", ...args],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "1" } },
  );
  let stderr = "";
  child.stdout.resume();
  child.stderr.setEncoding("utf8");
  const exited = new Promise((r) => child.once("exit", (code, signal) => r(code ?? signal)));
  const url = await new Promise((resolve, reject) => {
    child.stderr.on("data", (s) => {
      stderr += s;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1\/traces)/.exec(stderr);
      if (m) resolve(new URL(m[1]));
    });
    void exited.then((code) => reject(new Error(`live-check exited ${code}: ${stderr}`)));
  });
  child.kill("SIGUSR2");
  await sleep(100);
  return {
    url,
    /** Current RSS (MiB), from /proc/<pid>/status. */
    rssMiB: () =>
      Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? NaN) / 1024,
    async stop() {
      child.kill("SIGINT");
      // A receiver stuck in a long synchronous task cannot handle SIGINT: give it a while, then kill it.
      const killer = setTimeout(() => child.kill("SIGKILL"), 120_000);
      const code = await exited;
      clearTimeout(killer);
      return {
        code,
        peakMiB: Number(/PEAK-RSS-KB:(\d+)/.exec(stderr)?.[1] ?? NaN) / 1024,
        loopMaxMs: Number(/LOOP-MAX-MS:([\d.]+)/.exec(stderr)?.[1] ?? NaN),
        stderr,
      };
    },
  };
}

/**
 * One POST; resolves with { status, ms } or { error } (deadline: `timeoutMs`).
 * @param {URL} url
 * @param {Buffer} body
 * @param {Record<string, string>} headers
 * @param {{ agent?: import("node:http").Agent | false; timeoutMs?: number }} [options]
 */
function post(url, body, headers, { agent, timeoutMs = 180_000 } = {}) {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        agent,
        headers: { "content-length": body.length, ...headers },
      },
      (res) => {
        res.resume();
        res.once("end", () => resolve({ status: res.statusCode, ms: performance.now() - started }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.once("error", (error) => resolve({ error: error.message, ms: performance.now() - started }));
    req.end(body);
  });
}

// --- the attacks ----------------------------------------------------------------------------------------------------

function length(n) {
  const out = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  return [...out, n];
}
const field = (tag, body) => Buffer.concat([Buffer.from([tag, ...length(body.length)]), body]);
function repeated(pair, bytes) {
  const b = Buffer.alloc(bytes - (bytes % 2));
  for (let i = 0; i < b.length; i += 2) b[i] = pair;
  return b;
}
/** An AnyValue nested `levels` deep (arrayValue in arrayValue … boolValue), every length right, built from the inside out. */
function nested(levels) {
  const parts = [];
  let size = 2;
  for (let i = 0; i < levels; i++) {
    const arrayHead = [0x0a, ...length(size)];
    const valueHead = [0x2a, ...length(arrayHead.length + size)];
    parts.push(Buffer.from([...valueHead, ...arrayHead]));
    size += valueHead.length + arrayHead.length;
  }
  return Buffer.concat([...parts.reverse(), Buffer.from([0x10, 0x01])]);
}
const attribute = (value) =>
  field(
    0x0a,
    field(0x12, field(0x12, field(0x4a, Buffer.concat([field(0x0a, Buffer.from("k")), field(0x12, value)])))),
  );
const DEEP_JSON = 8 * MiB - 64;

const PROTOBUF = { "content-type": "application/x-protobuf", "content-encoding": "gzip" };
const JSON_GZIP = { "content-type": "application/json", "content-encoding": "gzip" };

/** The issue's bomb: 16 MiB of empty spans (2 bytes each), a 24 KB gzip; and its twins. */
const bombs = [
  ["protobuf: 8.4 M empty spans", gzipSync(field(0x0a, field(0x12, repeated(0x12, 16 * MiB - 32)))), PROTOBUF],
  [
    "protobuf: 8.4 M empty attributes in one span",
    gzipSync(field(0x0a, field(0x12, field(0x12, repeated(0x4a, 16 * MiB - 32))))),
    PROTOBUF,
  ],
  [
    "JSON: 5.6 M empty spans",
    gzipSync(`{"resourceSpans":[{"scopeSpans":[{"spans":[${Array(5_500_000).fill("{}").join(",")}]}]}]}`),
    JSON_GZIP,
  ],
  ["protobuf: an attribute value nested 1.6 M levels deep", gzipSync(attribute(nested(1_600_000))), PROTOBUF],
  [
    "JSON: an attribute value nested 8 M levels deep",
    gzipSync(
      `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":${"[".repeat(DEEP_JSON)}${"]".repeat(DEEP_JSON)}}]}]}]}]}`,
    ),
    JSON_GZIP,
  ],
  [
    "protobuf: one span with 1 M attributes",
    gzipSync(
      field(
        0x0a,
        field(
          0x12,
          field(
            0x12,
            Buffer.concat(
              Array.from({ length: 1_000_000 }, (_, i) =>
                field(0x4a, Buffer.concat([field(0x0a, Buffer.from(`k${i}`)), field(0x12, Buffer.from([0x10, 0x01]))])),
              ),
            ),
          ),
        ),
      ),
    ),
    PROTOBUF,
  ],
];

async function bomb(binPath, name, body, headers) {
  const live = await start(binPath);
  const answer = await post(live.url, body, headers);
  const result = await live.stop();
  return { name, gzipKiB: body.length / 1024, ...answer, ...result };
}

/** A realistic request at the body limit (55,000 LLM spans, 15.7 MiB of OTLP/JSON), with small requests sent meanwhile. */
function bigRequest() {
  const spans = Array.from({ length: 55_000 }, (_, i) => ({
    traceId: "5b8efff798038103d269b633813fc60c",
    spanId: i.toString(16).padStart(16, "0"),
    name: `chat ${i}`,
    attributes: [
      { key: "openinference.span.kind", value: { stringValue: "LLM" } },
      { key: "llm.model_name", value: { stringValue: "gpt-4o-mini" } },
      { key: "llm.token_count.prompt", value: { intValue: String(i) } },
    ],
  }));
  return Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }));
}

async function largeRequest(binPath) {
  const body = bigRequest();
  const live = await start(binPath);
  const agent = new http.Agent({ keepAlive: true });
  await post(live.url, Buffer.from('{"resourceSpans":[]}'), { "content-type": "application/json" }, { agent });
  const sending = post(live.url, body, { "content-type": "application/json" });
  let done = false;
  void sending.then(() => (done = true));
  let slowest = 0;
  let side = 0;
  while (!done) {
    const r = await post(live.url, Buffer.from("{}"), { "content-type": "text/plain" }, { agent });
    slowest = Math.max(slowest, r.ms);
    side++;
    await sleep(20);
  }
  const answer = await sending;
  agent.destroy();
  const result = await live.stop();
  return { bodyMiB: body.length / MiB, ...answer, sideRequests: side, slowestSideMs: slowest, ...result };
}

/** 64 connections each sending a 16 MiB body at once (64 × 16 MiB = 1 GiB offered). */
async function manyBodies(binPath) {
  const live = await start(binPath);
  const body = Buffer.from(`{"resourceSpans":[],"pad":"${" ".repeat(16 * MiB - 64)}"}`);
  const answers = await Promise.all(
    Array.from({ length: 64 }, () => post(live.url, body, { "content-type": "application/json" }, { agent: false })),
  );
  const result = await live.stop();
  const count = (s) => answers.filter((a) => a.status === s).length;
  return { ok: count(200), busy: count(503), failed: answers.filter((a) => a.error).length, ...result };
}

/** 1,000 connections dribbling a header line each second for 15 s. */
async function slowloris(binPath) {
  const live = await start(binPath);
  const sockets = await Promise.all(
    Array.from(
      { length: 1000 },
      () =>
        new Promise((resolve) => {
          const s = /** @type {net.Socket & { answer: string }} */ (
            net.connect(Number(live.url.port), "127.0.0.1", () => resolve(s))
          );
          s.answer = "";
          s.setEncoding("utf8");
          s.on("data", (d) => (s.answer += d));
          s.on("error", () => {});
        }),
    ),
  );
  for (let second = 0; second < 15; second++) {
    for (const s of sockets)
      if (!s.destroyed && s.writable)
        s.write(second === 0 ? "POST /v1/traces HTTP/1.1\r\n" : `x-${second}: ${second}\r\n`);
    await sleep(1000);
  }
  const answered = (code) => sockets.filter((s) => s.answer.startsWith(`HTTP/1.1 ${code}`)).length;
  const stillOpen = sockets.filter((s) => !s.destroyed && !s.readableEnded).length;
  for (const s of sockets) s.destroy();
  const result = await live.stop();
  return { timedOut: answered(408), busy: answered(503), stillOpen, ...result };
}

/** Malformed requests over 16 keep-alive connections; RSS after the first 10% and at the end. */
async function malformed(binPath, total) {
  const live = await start(binPath);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const body = Buffer.from('{"resourceSpans":[{"scopeSpans":{}}]}');
  let next = 0;
  let early;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let n = next++; n < total; n = next++) {
        await post(live.url, body, { "content-type": "application/json" }, { agent });
        if (n === Math.floor(total / 10)) early = live.rssMiB();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const late = live.rssMiB();
  agent.destroy();
  const result = await live.stop();
  return { total, seconds, earlyMiB: early, lateMiB: late, ...result };
}

// --- run ------------------------------------------------------------------------------------------------------------

const bins = [["this build", bin], ...(values.baseline ? [["baseline", values.baseline]] : [])];
/** @type {Record<string, any>} */
const results = {};
for (const [label, path] of bins) {
  log(`${label}: ${path}`);
  const r = (results[label] = /** @type {{ bombs: unknown[]; [result: string]: any }} */ ({ bombs: [] }));
  for (const [name, body, headers] of bombs) {
    r.bombs.push(await bomb(path, name, body, headers));
    log(`  bomb ${name}: ${JSON.stringify(r.bombs.at(-1), (k, v) => (k === "stderr" ? undefined : v))}`);
  }
  r.large = await largeRequest(path);
  log(`  large: ${JSON.stringify({ ...r.large, stderr: undefined })}`);
  r.bodies = await manyBodies(path);
  log(`  64 × 16 MiB: ${JSON.stringify({ ...r.bodies, stderr: undefined })}`);
  r.slowloris = await slowloris(path);
  log(`  slowloris: ${JSON.stringify({ ...r.slowloris, stderr: undefined })}`);
  r.malformed = await malformed(path, MALFORMED);
  log(`  malformed: ${JSON.stringify({ ...r.malformed, stderr: undefined })}`);
}

// --- report ---------------------------------------------------------------------------------------------------------

const f = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "—";
const answer = (a) => (a.error ? `no answer (${a.error})` : `${a.status}`);
const rows = [];
for (const [label] of bins) {
  const r = results[label];
  for (const b of r.bombs)
    rows.push([
      label,
      `${b.name} (${f(b.gzipKiB)} KiB gzip)`,
      answer(b),
      `${f(b.ms / 1000, 2)} s`,
      `${f(b.loopMaxMs)} ms`,
      `${f(b.peakMiB)} MiB`,
    ]);
  rows.push([
    label,
    `a realistic request at the body limit (${f(r.large.bodyMiB, 1)} MiB JSON, 55,000 spans); ${r.large.sideRequests} small requests meanwhile, slowest answered in ${f(r.large.slowestSideMs)} ms`,
    answer(r.large),
    `${f(r.large.ms / 1000, 2)} s`,
    `${f(r.large.loopMaxMs)} ms`,
    `${f(r.large.peakMiB)} MiB`,
  ]);
  rows.push([
    label,
    `64 connections × 16 MiB bodies at once: ${r.bodies.ok} × 200, ${r.bodies.busy} × 503${r.bodies.failed ? `, ${r.bodies.failed} failed` : ""}`,
    "—",
    "—",
    `${f(r.bodies.loopMaxMs)} ms`,
    `${f(r.bodies.peakMiB)} MiB`,
  ]);
  rows.push([
    label,
    `1,000 slowloris connections for 15 s: ${r.slowloris.timedOut} × 408, ${r.slowloris.busy} × 503, ${r.slowloris.stillOpen} still open`,
    "—",
    "—",
    `${f(r.slowloris.loopMaxMs)} ms`,
    `${f(r.slowloris.peakMiB)} MiB`,
  ]);
  rows.push([
    label,
    `${f(r.malformed.total)} malformed requests (${f(r.malformed.total / r.malformed.seconds)}/s): RSS ${f(r.malformed.earlyMiB)} MiB after the first 10%, ${f(r.malformed.lateMiB)} MiB at the end`,
    "400",
    `${f(r.malformed.seconds, 1)} s`,
    `${f(r.malformed.loopMaxMs)} ms`,
    `${f(r.malformed.peakMiB)} MiB`,
  ]);
}
const body = `## live-check under hostile input

_${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ${os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ") ?? "cpu"} · ${os.cpus().length} cores · Node ${process.version} · 1-min load average ${LOAD_BEFORE.toFixed(2)} before the runs_

Each row is a fresh \`semtrace live-check --reporter json\` process with its default limits (see the reliability table), attacked from this process over loopback. *Loop delay* is the longest event-loop delay the receiver measured in itself (\`monitorEventLoopDelay\`): how long its timers, other connections and \`--timeout\` had to wait. *Peak RSS* is its own high-water mark (VmHWM; not \`process.resourceUsage().maxRSS\`, which a spawned process inherits from its parent: here, this benchmark's ~170 MiB of prepared bodies).${values.baseline ? " *baseline* is the same scenario against the build given with `--baseline`, side by side in the same run." : ""}

${table(["Build", "Attack", "Answer", "Answered in", "Loop delay (max)", "Peak RSS"], rows, ["", "", "", "r", "r", "r"])}

**Method.** \`tools/bench/src/cli-live-hostile.mjs\`; re-run with \`npm run bench:live-hostile -w @semtrace/bench -- --write\` after a build (\`--baseline <dist/bin.js>\` adds another build side by side).`;
log(body);
if (values.write) updateSection(join(repoRoot, "BENCHMARKS.md"), "live-hostile", body);
