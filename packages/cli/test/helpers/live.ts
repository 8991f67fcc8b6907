/**
 * Driving `semtrace live-check` in tests: the command in-process, raw sockets for clients that misbehave on purpose.
 */
import { connect, type Socket } from "node:net";
import { runLiveCheckCommand, type LiveCheck } from "../../src/validate/live-check.js";
import type { Collector } from "../../src/validate/report.js";

/**
 * Runs `semtrace live-check` in-process on free ports (OTLP/HTTP and, unless `--no-grpc`, OTLP/gRPC: `live.grpcUrl`);
 * `drive` gets the receiver's OTLP/HTTP URL once it listens.
 */
export async function liveCheck(argv: string[], drive: (url: string, live: LiveCheck<Collector>) => Promise<void>) {
  let stdout = "";
  let stderr = "";
  let driving: Promise<void> | undefined;
  let failed: { error: unknown } | undefined;
  const code = await runLiveCheckCommand(
    [
      "--port",
      "0",
      ...(argv.includes("--no-grpc") || argv.includes("--grpc-port") ? [] : ["--grpc-port", "0"]),
      ...argv,
    ],
    {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      cwd: "/",
      color: false,
      onListening: (live) => {
        // A failing expectation in `drive` stops the receiver instead of leaving it waiting for the test timeout.
        driving = drive(live.url, live).catch((error: unknown) => {
          failed = { error };
          return live.stop();
        });
      },
    },
  );
  await driving;
  if (failed) throw failed.error;
  return { code, stdout, stderr };
}

/** A client on a raw TCP connection: what it writes is up to the test; `received` collects every byte it is sent. */
export interface RawClient {
  readonly socket: Socket;
  /** Everything received, as text. */
  text(): string;
  /** Resolves once the server has closed the connection (or it failed), with everything received. */
  readonly closed: Promise<string>;
  write(text: string | Buffer): void;
}

export async function rawClient(url: string): Promise<RawClient> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = "";
  socket.setEncoding("utf8");
  socket.on("data", (s: string) => (received += s));
  const closed = new Promise<string>((resolve) => {
    socket.once("close", () => resolve(received));
  });
  socket.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return { socket, text: () => received, closed, write: (t) => void socket.write(t) };
}

/** The head of a POST to /v1/traces (no body), as an exporter would send it. */
export function postHead(url: string, contentLength: number, contentType = "application/json"): string {
  const { host } = new URL(url);
  return `POST /v1/traces HTTP/1.1\r\nhost: ${host}\r\ncontent-type: ${contentType}\r\ncontent-length: ${contentLength}\r\n\r\n`;
}

/** A one-span OTLP/JSON request. */
export function oneSpanRequest(name = "s", kind = "CHAIN"): string {
  return JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          { spans: [{ name, attributes: [{ key: "openinference.span.kind", value: { stringValue: kind } }] }] },
        ],
      },
    ],
  });
}

export function postJson(url: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  return fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
