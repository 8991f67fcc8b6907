/**
 * `semtrace live-check`: an OTLP/HTTP trace receiver (`POST /v1/traces`, JSON or protobuf, optionally
 * gzip) that validates spans as they arrive and reports like `semtrace validate` when it stops.
 *
 * Findings go to a `Collector` as they arrive, as in `semtrace validate`: the command uses `collectorFor`,
 * so with the text and json reporters its memory stays bounded however many findings a session produces.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { gunzip } from "node:zlib";
import { promisify } from "node:util";
import type { RegistryValidator, Severity } from "@semtrace/runtime";
import { checkSpans } from "./batch.js";
import { parseBody } from "./input.js";
import { ProtobufError, ShapeError } from "./otlp.js";
import { prepareCommand, SPEC_LIMIT_OPTIONS, SPEC_LIMITS_HELP, specLimitFlags } from "./registries.js";
import { REPORTERS, ReportCollector, collectorFor, finishReport, type Collector, type ReporterName, type Report } from "./report.js";
import { noneJudged } from "./command.js";
import { SpanTally } from "./tally.js";
import type { Source } from "./input.js";

const gunzipAsync = promisify(gunzip);

export const LIVE_CHECK_HELP = `Usage: semtrace live-check [options]

Receive spans over OTLP/HTTP (POST /v1/traces; application/json or
application/x-protobuf; Content-Encoding: gzip accepted), validate them as they
arrive, and report when stopped (SIGINT/SIGTERM, --timeout or --exit-after).

Options:
      --host <host>           Address to listen on (default 127.0.0.1)
      --port <port>           Port to listen on (default 4318; 0 picks a free one)
      --timeout <seconds>     Stop after this many seconds
      --exit-after <n>        Stop once n spans have been received
      --max-body-bytes <n>    Largest request body, compressed or not (default
                              16777216); larger requests get 413
  -r, --registry <name|dir>   Registry to validate against; repeatable: a built-in
                              name (openinference, genai) or a spec directory, as
                              for 'semtrace validate' (default: both built-in
                              registries)
      --strict                Every span must declare a span kind of a loaded
                              registry (default: other spans are counted, not
                              reported; see 'semtrace validate --help')
      --allow-empty           Exit 0 when no span any registry judges arrived
${SPEC_LIMITS_HELP}
  -f, --reporter <name>       text (default), json, junit, github or sarif
  -o, --output <file>         Write the report to <file> instead of stdout
      --fail-on <severity>    Exit 1 when a finding is at or above: error (default),
                              warning or info
  -h, --help                  Show this help

Malformed requests get 400 with the reason and count as rejected records.
Exit codes: as 'semtrace validate' (0 clean, 1 findings, 2 usage error,
rejected requests, or spans arrived but none was judged by a registry).
`;

const options = {
  host: { type: "string" },
  port: { type: "string" },
  timeout: { type: "string" },
  "exit-after": { type: "string" },
  "max-body-bytes": { type: "string" },
  registry: { type: "string", short: "r", multiple: true },
  reporter: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  "fail-on": { type: "string" },
  strict: { type: "boolean" },
  "allow-empty": { type: "boolean" },
  ...SPEC_LIMIT_OPTIONS,
  help: { type: "boolean", short: "h" },
} as const;

export interface LiveCheckSettings {
  readonly host: string;
  readonly port: number;
  readonly timeoutSeconds?: number;
  readonly exitAfter?: number;
  readonly maxBodyBytes: number;
  readonly registries: readonly string[];
  readonly reporter: ReporterName;
  readonly output?: string;
  readonly failOn: Severity;
  /** Every span must declare a kind of a loaded registry. */
  readonly strict?: boolean;
  /** Exit 0 when spans arrived but no registry judged any. */
  readonly allowEmpty?: boolean;
  /** `--max-yaml-*` as given, for spec directories among the registries. */
  readonly specLimits?: Readonly<Record<string, string>>;
}

function count(text: string | undefined, flag: string, min: number): number | string | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) < min) return `--${flag} expects a number ≥ ${min}, found '${text}'`;
  return Number(text);
}

export function parseLiveCheckArgs(argv: string[]): LiveCheckSettings | { help: true } | string {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (error) {
    return (error as Error).message;
  }
  if (values.help) return { help: true };
  const port = count(values.port, "port", 0) ?? 4318;
  const timeout = count(values.timeout, "timeout", 0);
  const exitAfter = count(values["exit-after"], "exit-after", 1);
  const maxBody = count(values["max-body-bytes"], "max-body-bytes", 1) ?? 16 * 1024 * 1024;
  for (const v of [port, timeout, exitAfter, maxBody]) if (typeof v === "string") return v;
  if ((port as number) > 65535 || !Number.isInteger(port)) return `--port expects 0..65535, found '${values.port}'`;
  const reporter = values.reporter ?? "text";
  if (!(REPORTERS as readonly string[]).includes(reporter)) return `unknown reporter '${reporter}': expected one of ${REPORTERS.join(", ")}`;
  const failOn = values["fail-on"] ?? "error";
  if (!["error", "warning", "info"].includes(failOn)) return `unknown --fail-on '${failOn}': expected one of error, warning, info`;
  return {
    host: values.host ?? "127.0.0.1",
    port: port as number,
    ...(timeout !== undefined ? { timeoutSeconds: timeout as number } : {}),
    ...(exitAfter !== undefined ? { exitAfter: exitAfter as number } : {}),
    maxBodyBytes: maxBody as number,
    registries: values.registry ?? [],
    reporter: reporter as ReporterName,
    ...(values.output !== undefined ? { output: values.output } : {}),
    failOn: failOn as Severity,
    ...(values.strict ? { strict: true } : {}),
    ...(values["allow-empty"] ? { allowEmpty: true } : {}),
    ...specLimitFlags(values),
  };
}

/**
 * A running receiver. `R` is what `done` resolves with: the full `Report` by default, or the collector given
 * to `startLiveCheck`.
 */
export interface LiveCheck<R = Report> {
  /** `http://host:port/v1/traces` */
  readonly url: string;
  /** Stops receiving (as SIGINT does); resolves when the server has closed. */
  stop(): Promise<void>;
  /**
   * Resolves once stopped: with the report (every finding, in arrival order, and where each came from), or
   * with the collector given to `startLiveCheck`, ready for `collector.write(…)`. Nothing reaches the
   * collector after that.
   */
  readonly done: Promise<R>;
}

export interface LiveCheckOptions<C extends Collector = Collector> {
  /**
   * Receives the spans count, every finding and every rejected request as they come. Default: a
   * `ReportCollector`, which keeps everything. `collectorFor(reporter)` gives one with bounded memory for the
   * text and json reporters (what the `semtrace live-check` command uses).
   */
  readonly collector?: C;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > max) throw new HttpError(413, `request body of ${declared} bytes is over the limit of ${max} bytes`);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new HttpError(413, `request body is over the limit of ${max} bytes`);
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

/**
 * Starts the receiver; stops on `stop()`, the timeout or the span count (`settings.exitAfter`). Without a
 * collector, `done` resolves with the full `Report`; with one, with that collector (see `LiveCheckOptions`).
 */
export async function startLiveCheck(settings: LiveCheckSettings, registries: readonly RegistryValidator[], options?: LiveCheckOptions<never>): Promise<LiveCheck<Report>>;
export async function startLiveCheck<C extends Collector>(settings: LiveCheckSettings, registries: readonly RegistryValidator[], options: LiveCheckOptions<C> & { readonly collector: C }): Promise<LiveCheck<C>>;
export async function startLiveCheck<C extends Collector>(settings: LiveCheckSettings, registries: readonly RegistryValidator[], options?: LiveCheckOptions<C>): Promise<LiveCheck<Report | C>>;
export async function startLiveCheck(settings: LiveCheckSettings, registries: readonly RegistryValidator[], options: LiveCheckOptions = {}): Promise<LiveCheck<Report | Collector>> {
  const collector = options.collector ?? new ReportCollector();
  collector.tally ??= new SpanTally(registries, { strict: settings.strict === true });
  const result = (): Report | Collector => (options.collector ? collector : (collector as ReportCollector).report());
  // Once the server has closed, late events (a request cut off by `closeAllConnections`) are dropped: the
  // collector may already be writing its report, or have released its temporary file.
  let closed = false;
  let requests = 0;
  let stopping: Promise<void> | undefined;
  let resolveDone!: (result: Report | Collector) => void;
  const done = new Promise<Report | Collector>((r) => (resolveDone = r));

  const respond = (res: ServerResponse, status: number, protobufBody: boolean, message?: string) => {
    if (res.headersSent) return;
    if (status === 200) {
      res.writeHead(200, { "content-type": protobufBody ? "application/x-protobuf" : "application/json" });
      res.end(protobufBody ? Buffer.alloc(0) : "{}");
    } else {
      res.writeHead(status, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify({ code: status, message }));
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/v1/traces") return respond(res, 404, false, `not found: only POST /v1/traces is served`);
    if (req.method !== "POST") return respond(res, 405, false, `method ${req.method} not allowed: use POST`);
    const n = ++requests;
    const source: Source = { file: `<request ${n}>` };
    const type = String(req.headers["content-type"] ?? "").toLowerCase();
    const protobufBody = type.includes("protobuf");
    try {
      if (!protobufBody && !type.includes("json")) throw new HttpError(415, `unsupported content-type '${type}': expected application/json or application/x-protobuf`);
      let body = await readBody(req, settings.maxBodyBytes);
      const encoding = String(req.headers["content-encoding"] ?? "identity").toLowerCase();
      if (encoding === "gzip") {
        try {
          body = await gunzipAsync(body, { maxOutputLength: settings.maxBodyBytes });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "ERR_BUFFER_TOO_LARGE") throw new HttpError(413, `decompressed body is over the limit of ${settings.maxBodyBytes} bytes`);
          throw new HttpError(400, `invalid gzip body: ${(error as Error).message}`);
        }
      } else if (encoding !== "identity") throw new HttpError(415, `unsupported content-encoding '${encoding}': expected gzip or none`);
      let received;
      try {
        received = parseBody(body, protobufBody ? "protobuf" : "json");
      } catch (error) {
        if (error instanceof ProtobufError) throw new HttpError(400, `${error.message} (at byte ${error.offset})`);
        if (error instanceof ShapeError) throw new HttpError(400, `wrong shape: ${error.message}`);
        throw new HttpError(400, `invalid ${protobufBody ? "protobuf" : "JSON"} body: ${(error as Error).message}`);
      }
      if (closed) throw new HttpError(503, "live-check has stopped");
      collector.spans += received.length;
      checkSpans(received, registries, (finding) => collector.add(finding, source), collector.tally);
      respond(res, 200, protobufBody);
      if (settings.exitAfter !== undefined && collector.spans >= settings.exitAfter) void stop();
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (status !== 404 && status !== 405 && !closed) collector.reject({ source, reason: `${status}: ${message}` });
      respond(res, status, false, message);
      if (status === 413) req.resume();
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => respond(res, 500, false, (error as Error).message));
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => {
      server.off("error", reject);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const timer = settings.timeoutSeconds !== undefined ? setTimeout(() => void stop(), settings.timeoutSeconds * 1000) : undefined;

  function stop(): Promise<void> {
    stopping ??= new Promise<void>((resolveStop) => {
      if (timer) clearTimeout(timer);
      server.close(() => {
        closed = true;
        resolveDone(result());
        resolveStop();
      });
      server.closeIdleConnections();
      // Requests in flight get a moment to finish, then everything is closed.
      setTimeout(() => server.closeAllConnections(), 1000).unref();
    });
    return stopping;
  }

  return { url: `http://${host}:${address.port}/v1/traces`, stop, done };
}

export interface LiveCheckIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  /** Colour the text report (default: stdout is a TTY, `NO_COLOR` unset, no `--output`). */
  color?: boolean;
  /** Called once the receiver listens; `live.done` resolves with the collector before the report is written. */
  onListening?: (live: LiveCheck<Collector>) => void;
}

export async function runLiveCheckCommand(argv: string[], io: LiveCheckIo): Promise<number> {
  const prepared = await prepareCommand("live-check", parseLiveCheckArgs(argv), LIVE_CHECK_HELP, io);
  if (typeof prepared === "number") return prepared;
  const { settings, registries } = prepared;
  // Text and json keep memory bounded however many findings arrive (see `collectorFor`).
  const collector = collectorFor(settings.reporter);
  let live: LiveCheck<Collector>;
  try {
    live = await startLiveCheck(settings, registries, { collector });
  } catch (error) {
    collector.dispose();
    io.stderr(`semtrace live-check: cannot listen on ${settings.host}:${settings.port}: ${(error as Error).message}\n`);
    return 2;
  }
  io.stderr(`semtrace live-check: listening on ${live.url}\n`);
  const onSignal = () => void live.stop();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    io.onListening?.(live);
    await live.done;
  } catch (error) {
    collector.dispose();
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const code = finishReport("live-check", collector, settings, io);
  return collector.spans > 0 && !settings.allowEmpty ? (noneJudged("live-check", collector, registries, io) ?? code) : code;
}
