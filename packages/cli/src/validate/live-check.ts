/**
 * `semtrace live-check`: an OTLP/HTTP trace receiver (`POST /v1/traces`, JSON or protobuf, optionally
 * gzip) that validates spans as they arrive and reports like `semtrace validate` when it stops.
 *
 * Findings go to a `Collector` as they arrive, as in `semtrace validate`: the command uses `collectorFor`,
 * so with the text and json reporters its memory stays bounded however many findings a session produces.
 * Everything a client can make it hold is capped (`live/limits.ts`); requests are decoded and validated one at a
 * time, in slices of a few milliseconds (`live/request.ts`), so the receiver stays responsive under any request.
 */
import { parseArgs } from "node:util";
import type { RegistryValidator, Severity } from "@semtrace/runtime";
import { ProtobufError, ShapeError } from "./otlp.js";
import { prepareCommand } from "./registries.js";
import { SPEC_OPTIONS, specFlags, specOptionsHelp } from "../spec-flags.js";
import {
  REPORTERS,
  ReportCollector,
  collectorFor,
  finishReport,
  type Collector,
  type ReporterName,
  type Report,
} from "./report.js";
import { HttpError, parseOrigin } from "./live/http-policy.js";
import { JsonBodyError, lineAndColumn } from "./live/json-request.js";
import { DEFAULT_LIVE_LIMITS, LIMIT_FLAGS, limitsFromFlags, limitsHelp, type LiveLimits } from "./live/limits.js";
import { RequestCapError } from "./live/request-caps.js";
import { OneAtATime } from "./live/one-at-a-time.js";
import { checkRequest, type BodyFormat } from "./live/request.js";
import { OtlpReceiver } from "./live/server.js";
import { SessionResources } from "./live/body.js";
import { GrpcReceiver } from "./live/grpc-server.js";
import { noneJudged } from "./command.js";
import { SpanTally } from "./tally.js";

export const LIVE_CHECK_HELP = `Usage: semtrace live-check [options]

Receive spans over OTLP/HTTP (POST /v1/traces; application/json or
application/x-protobuf; Content-Encoding: gzip accepted) and OTLP/gRPC
(TraceService/Export; grpc-encoding gzip accepted), validate them as they
arrive, and report when stopped (SIGINT/SIGTERM, --timeout or --exit-after).

Options:
      --host <host>           Address to listen on (default 127.0.0.1)
      --port <port>           OTLP/HTTP port (default 4318; 0 picks a free one)
      --grpc-port <port>      OTLP/gRPC port (default 4317; 0 picks a free one)
      --no-grpc               Receive OTLP/HTTP only
      --timeout <seconds>     Stop after this many seconds
      --exit-after <n>        Stop once n spans have been received
      --allow-origin <origin> Accept requests from web pages of this origin
                              (http://localhost:3000; repeatable; * for any).
                              Without it, requests that carry an Origin header
                              (sent by browsers) get 403
  -r, --registry <name|dir>   Registry to validate against; repeatable: a built-in
                              name (openinference, genai) or a spec directory, as
                              for 'semtrace validate' (default: both built-in
                              registries)
      --strict                Every span must declare a span kind of a loaded
                              registry (default: other spans are counted, not
                              reported; see 'semtrace validate --help')
      --allow-empty           Exit 0 when no span any registry judges arrived
  -f, --reporter <name>       text (default), json, junit, github or sarif
  -o, --output <file>         Write the report to <file> instead of stdout
      --fail-on <severity>    Exit 1 when a finding is at or above: error (default),
                              warning or info
  -h, --help                  Show this help

${specOptionsHelp(30)}
${limitsHelp()}
Malformed requests get 400 (too large: 413; unsupported media type: 415; too
slow: 408) with the reason, and count as rejected records. Requests turned away
while the limits above are reached get 503 with Retry-After (exporters retry
them) and are listed on stderr, not rejected.
Exit codes: as 'semtrace validate' (0 clean, 1 findings, 2 usage error,
rejected requests, or spans arrived but none was judged by a registry).
`;

const options = {
  host: { type: "string" },
  port: { type: "string" },
  "grpc-port": { type: "string" },
  "no-grpc": { type: "boolean" },
  timeout: { type: "string" },
  "exit-after": { type: "string" },
  "allow-origin": { type: "string", multiple: true },
  ...Object.fromEntries(LIMIT_FLAGS.map(({ flag }) => [flag, { type: "string" }] as const)),
  registry: { type: "string", short: "r", multiple: true },
  reporter: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  "fail-on": { type: "string" },
  strict: { type: "boolean" },
  "allow-empty": { type: "boolean" },
  ...SPEC_OPTIONS,
  help: { type: "boolean", short: "h" },
} as const;

/** What a session listens on, when it stops, what it checks against, how it reports; and its limits (defaults: `DEFAULT_LIVE_LIMITS`). */
export interface LiveCheckSettings extends Partial<LiveLimits> {
  readonly host: string;
  /** The OTLP/HTTP port (0: a free one). */
  readonly port: number;
  /** The OTLP/gRPC port (0: a free one); without it, no gRPC receiver (the command's default is 4317). */
  readonly grpcPort?: number;
  readonly timeoutSeconds?: number;
  readonly exitAfter?: number;
  readonly maxBodyBytes: number;
  /** Web origins whose requests are accepted (`*`: any); requests with any other `Origin` get 403. */
  readonly allowOrigins?: readonly string[];
  readonly registries: readonly string[];
  readonly reporter: ReporterName;
  readonly output?: string;
  readonly failOn: Severity;
  /** Every span must declare a kind of a loaded registry. */
  readonly strict?: boolean;
  /** Exit 0 when spans arrived but no registry judged any. */
  readonly allowEmpty?: boolean;
  /** The flags that say how spec directories among the registries are read, as given. */
  readonly specFlags?: Readonly<Record<string, unknown>>;
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
  const grpcPort = count(values["grpc-port"], "grpc-port", 0) ?? 4317;
  const timeout = count(values.timeout, "timeout", 0);
  const exitAfter = count(values["exit-after"], "exit-after", 1);
  for (const v of [port, grpcPort, timeout, exitAfter]) if (typeof v === "string") return v;
  if ((port as number) > 65535 || !Number.isInteger(port)) return `--port expects 0..65535, found '${values.port}'`;
  if ((grpcPort as number) > 65535 || !Number.isInteger(grpcPort))
    return `--grpc-port expects 0..65535, found '${values["grpc-port"]}'`;
  if (values["no-grpc"] && values["grpc-port"] !== undefined) return "--grpc-port and --no-grpc together: choose one";
  if (!values["no-grpc"] && grpcPort === port && port !== 0)
    return `--port and --grpc-port are both ${port}: OTLP/HTTP and OTLP/gRPC need a port each`;
  // A timer of more than 2^31 - 1 ms would fire at once.
  if (timeout !== undefined && (timeout as number) > 2_147_483)
    return `--timeout expects at most 2147483 seconds (about 24 days), found '${values.timeout}'`;
  const limits = limitsFromFlags(values);
  if (typeof limits === "string") return limits;
  const allowOrigins: string[] = [];
  for (const value of values["allow-origin"] ?? []) {
    const origin = parseOrigin(value);
    if (origin === undefined)
      return `--allow-origin expects an origin such as http://localhost:3000 (scheme://host[:port], no path), null or *, found '${value}'`;
    allowOrigins.push(origin);
  }
  const reporter = values.reporter ?? "text";
  if (!(REPORTERS as readonly string[]).includes(reporter))
    return `unknown reporter '${reporter}': expected one of ${REPORTERS.join(", ")}`;
  const failOn = values["fail-on"] ?? "error";
  if (!["error", "warning", "info"].includes(failOn))
    return `unknown --fail-on '${failOn}': expected one of error, warning, info`;
  return {
    host: values.host ?? "127.0.0.1",
    port: port as number,
    ...(values["no-grpc"] ? {} : { grpcPort: grpcPort as number }),
    ...(timeout !== undefined ? { timeoutSeconds: timeout as number } : {}),
    ...(exitAfter !== undefined ? { exitAfter: exitAfter as number } : {}),
    ...limits,
    allowOrigins,
    registries: values.registry ?? [],
    reporter: reporter as ReporterName,
    ...(values.output !== undefined ? { output: values.output } : {}),
    failOn: failOn as Severity,
    ...(values.strict ? { strict: true } : {}),
    ...(values["allow-empty"] ? { allowEmpty: true } : {}),
    ...specFlags(values),
  };
}

/**
 * A running receiver. `R` is what `done` resolves with: the full `Report` by default, or the collector given
 * to `startLiveCheck`.
 */
export interface LiveCheck<R = Report> {
  /** `http://host:port/v1/traces` */
  readonly url: string;
  /** `http://host:port` of the OTLP/gRPC receiver (the endpoint gRPC exporters take), when it runs. */
  readonly grpcUrl?: string;
  /** Stops receiving (as SIGINT does); resolves when the server has closed. */
  stop(): Promise<void>;
  /**
   * Resolves once stopped: with the report (every finding, in arrival order, and where each came from), or
   * with the collector given to `startLiveCheck`, ready for `collector.write(…)`. Nothing reaches the
   * collector after that.
   */
  readonly done: Promise<R>;
  /**
   * Requests turned away without being rejected records (503 at the limits, which exporters retry; 403 for web
   * pages without `--allow-origin`), one line each kind; the command prints them to stderr at the end.
   */
  notes(): string[];
}

export interface LiveCheckOptions<C extends Collector = Collector> {
  /**
   * Receives the spans count, every finding and every rejected request as they come. Default: a
   * `ReportCollector`, which keeps every finding and the first `maxListedPerKind` rejected requests of each kind.
   * `collectorFor(reporter, caps)` gives one with bounded memory for the text and json reporters (what the
   * `semtrace live-check` command uses); a collector given keeps its own caps.
   */
  readonly collector?: C;
}

/** Requests in progress get this long to finish once the receiver stops; then their connections are closed. */
const STOP_GRACE_MS = 1000;

/** Why a body that arrived whole is refused: 413 past a cap, 400 for anything malformed. */
function refusal(error: unknown, body: Uint8Array, format: BodyFormat): unknown {
  if (error instanceof RequestCapError) return new HttpError(413, error.message);
  if (error instanceof JsonBodyError) {
    const { line, column } = lineAndColumn(body, error.offset);
    return new HttpError(
      400,
      `invalid JSON body: ${error.message} at byte ${error.offset} (line ${line}, column ${column})`,
      {},
      error.message.startsWith("invalid UTF-8") ? "invalid UTF-8" : "invalid JSON",
    );
  }
  if (error instanceof ProtobufError)
    return new HttpError(400, `${error.message} (at byte ${error.offset})`, {}, "invalid protobuf");
  if (error instanceof ShapeError) return new HttpError(400, `wrong shape: ${error.message}`, {}, "wrong shape");
  if (error instanceof RangeError && format === "protobuf")
    return new HttpError(400, `not a protobuf ExportTraceServiceRequest: ${error.message}`, {}, "invalid protobuf");
  return error;
}

/**
 * Starts the receiver; stops on `stop()`, the timeout or the span count (`settings.exitAfter`). Without a
 * collector, `done` resolves with the full `Report`; with one, with that collector (see `LiveCheckOptions`).
 */
export async function startLiveCheck(
  settings: LiveCheckSettings,
  registries: readonly RegistryValidator[],
  options?: LiveCheckOptions<never>,
): Promise<LiveCheck<Report>>;
export async function startLiveCheck<C extends Collector>(
  settings: LiveCheckSettings,
  registries: readonly RegistryValidator[],
  options: LiveCheckOptions<C> & { readonly collector: C },
): Promise<LiveCheck<C>>;
export async function startLiveCheck<C extends Collector>(
  settings: LiveCheckSettings,
  registries: readonly RegistryValidator[],
  options?: LiveCheckOptions<C>,
): Promise<LiveCheck<Report | C>>;
export async function startLiveCheck(
  settings: LiveCheckSettings,
  registries: readonly RegistryValidator[],
  options: LiveCheckOptions = {},
): Promise<LiveCheck<Report | Collector>> {
  const limits: LiveLimits = { ...DEFAULT_LIVE_LIMITS, ...definedLimits(settings) };
  // A collector given keeps its own caps; the default one lists --max-listed-per-kind rejected requests of each kind.
  const collector = options.collector ?? new ReportCollector("json", { listedPerKind: limits.maxListedPerKind });
  collector.tally ??= new SpanTally(registries, { strict: settings.strict === true });
  const result = (): Report | Collector => (options.collector ? collector : (collector as ReportCollector).report());
  // Once stopped, late events (a request cut off at the end) are dropped: the collector may already be writing
  // its report, or have released its temporary file.
  let closed = false;
  let stopping: Promise<void> | undefined;
  let resolveDone!: (result: Report | Collector) => void;
  const done = new Promise<Report | Collector>((r) => (resolveDone = r));
  // One request is decoded and validated at a time: the memory of decoded spans is one request's (within the
  // per-request caps), and findings reach the collector in the order requests were received whole.
  const checking = new OneAtATime();

  const events = {
    receive: (body: Buffer, format: BodyFormat, request: number) =>
      checking.run(async () => {
        if (closed) throw new HttpError(503, "live-check has stopped");
        const source = { file: `<request ${request}>` };
        let spans: number;
        try {
          spans = await checkRequest(
            body,
            format,
            limits,
            registries,
            (finding) => {
              if (!closed) collector.add(finding, source);
            },
            collector.tally,
            limits.maxContentChars,
          );
        } catch (error) {
          throw refusal(error, body, format);
        }
        if (closed) return;
        collector.spans += spans;
        if (settings.exitAfter !== undefined && collector.spans >= settings.exitAfter) void stop();
      }),
    reject: (request: number, reason: string, category: string) => {
      if (!closed) collector.reject({ source: { file: `<request ${request}>` }, reason, category });
    },
  };
  // Both receivers number requests in one sequence, and share the body budget and the connection count.
  const resources = new SessionResources(limits);
  const receiver = new OtlpReceiver(
    { host: settings.host, port: settings.port, limits, allowOrigins: settings.allowOrigins ?? [] },
    events,
    resources,
  );
  const grpc =
    settings.grpcPort === undefined
      ? undefined
      : new GrpcReceiver({ host: settings.host, port: settings.grpcPort, limits }, events, resources);
  const url = await receiver.listen();
  let grpcUrl: string | undefined;
  try {
    grpcUrl = await grpc?.listen();
  } catch (error) {
    await receiver.stop(0);
    throw error;
  }
  const timer =
    settings.timeoutSeconds !== undefined ? setTimeout(() => void stop(), settings.timeoutSeconds * 1000) : undefined;

  function stop(): Promise<void> {
    stopping ??= (async () => {
      if (timer) clearTimeout(timer);
      await Promise.all([receiver.stop(STOP_GRACE_MS), grpc?.stop(STOP_GRACE_MS)]);
      // Requests received whole before the end are still checked and counted.
      await checking.idle();
      closed = true;
      resolveDone(result());
    })();
    return stopping;
  }

  return {
    url,
    ...(grpcUrl !== undefined ? { grpcUrl } : {}),
    stop,
    done,
    notes: () => [...receiver.turnedAwayNotes(), ...(grpc?.turnedAwayNotes() ?? [])],
  };
}

/** The limits a settings object sets (undefined ones fall back to the defaults). */
function definedLimits(settings: LiveCheckSettings): Partial<LiveLimits> {
  const out: Record<string, number> = {};
  for (const { key } of LIMIT_FLAGS) {
    const value = settings[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
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
  // Memory stays bounded however many findings a session brings: json spools them to disk, the other reporters keep
  // --max-findings-per-rule of each rule; every reporter lists at most --max-listed-per-kind rejected requests of each kind.
  const collector = collectorFor(settings.reporter, {
    listedPerKind: settings.maxListedPerKind ?? DEFAULT_LIVE_LIMITS.maxListedPerKind,
    findingsPerRule: settings.maxFindingsPerRule ?? DEFAULT_LIVE_LIMITS.maxFindingsPerRule,
  });
  let live: LiveCheck<Collector>;
  try {
    live = await startLiveCheck(settings, registries, { collector });
  } catch (error) {
    collector.dispose();
    const ports =
      settings.grpcPort === undefined
        ? `port ${settings.port}`
        : `ports ${settings.port} (OTLP/HTTP) and ${settings.grpcPort} (OTLP/gRPC; --grpc-port, or --no-grpc)`;
    io.stderr(`semtrace live-check: cannot listen on ${settings.host}, ${ports}: ${(error as Error).message}\n`);
    return 2;
  }
  io.stderr(
    `semtrace live-check: listening on ${live.url}${live.grpcUrl === undefined ? "" : ` (OTLP/HTTP) and ${live.grpcUrl} (OTLP/gRPC)`}\n`,
  );
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
  for (const note of live.notes()) io.stderr(`semtrace live-check: ${note}\n`);
  const code = finishReport("live-check", collector, settings, io);
  return collector.spans > 0 && !settings.allowEmpty
    ? (noneJudged("live-check", collector, registries, io) ?? code)
    : code;
}
