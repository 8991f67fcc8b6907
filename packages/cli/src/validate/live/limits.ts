/**
 * What `semtrace live-check` lets one client make it hold, and for how long: every resource a request can grow
 * (body bytes, decoded spans and attribute values, bytes held across connections, connections, kept rejections,
 * time spent sending headers or a body) has a cap here, with its default and its flag.
 */
import { DEFAULT_MAX_DEPTH } from "../otlp.js";
import { DEFAULT_FINDINGS_PER_RULE, DEFAULT_LIMITS, parseSize } from "../limits.js";

export interface LiveLimits {
  /** Largest request body, compressed or not, and largest decompressed body (bytes). Past it: 413. */
  readonly maxBodyBytes: number;
  /** Most spans one request may carry. Past it: 413. */
  readonly maxRequestSpans: number;
  /** Most attribute values one request may carry, nested ones (array elements, map entries) included. Past it: 413. */
  readonly maxRequestAttributes: number;
  /**
   * Most attribute values one span may carry, nested ones included. Past it: 413. A span is decoded and validated
   * in one step, so this bounds how long one step holds the event loop.
   */
  readonly maxSpanValues: number;
  /** How deeply attribute values (`arrayValue`, `kvlistValue`) may nest; the JSON of a body, at most `jsonDepthFor` of it. Past it: 400. */
  readonly maxDepth: number;
  /** Most body bytes held at once across all connections (received, decompressed, waiting to be checked). Past it: 503 with Retry-After. */
  readonly maxInflightBytes: number;
  /** Most connections open at once, OTLP/HTTP and OTLP/gRPC together. Past it, a new connection is answered 503 (gRPC: UNAVAILABLE) with a retry delay and closed. */
  readonly maxConnections: number;
  /** Most gRPC calls in progress at once on one connection (HTTP/2 `SETTINGS_MAX_CONCURRENT_STREAMS`). Past it, the client's HTTP/2 stack waits; a stream it opens anyway is refused. */
  readonly maxStreams: number;
  /** Rejected requests of each kind whose reason the report lists; the others are counted. */
  readonly maxListedPerKind: number;
  /** Findings of each rule the text, junit, github and sarif reports list (and keep for the report); the others are counted. */
  readonly maxFindingsPerRule: number;
  /**
   * The longest JSON text (characters) of an attribute whose content is checked against its shape (GenAI messages…);
   * longer text is checked for its syntax only (`content.not-checked`). Checking builds the parsed value.
   */
  readonly maxContentChars: number;
  /** Time a client has to send a request's headers (ms). Past it: 408, and the connection is closed. */
  readonly headerTimeoutMs: number;
  /** Time a client has to send a request's body once its headers are in (ms). Past it: 408, and the connection is closed. */
  readonly bodyTimeoutMs: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxRequestSpans: 100_000,
  maxRequestAttributes: 1_000_000,
  maxSpanValues: 200_000,
  maxDepth: DEFAULT_MAX_DEPTH,
  maxInflightBytes: 64 * 1024 * 1024,
  maxConnections: 128,
  maxStreams: 100,
  maxListedPerKind: 100,
  maxFindingsPerRule: DEFAULT_FINDINGS_PER_RULE,
  maxContentChars: DEFAULT_LIMITS.maxContentChars!,
  headerTimeoutMs: 10_000,
  bodyTimeoutMs: 30_000,
};

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The flag of each limit, how its value reads (a count; bytes, with an optional binary unit as in `64M`; or seconds),
 * and the smallest and largest values it takes.
 */
export const LIMIT_FLAGS: readonly {
  readonly flag: string;
  readonly key: keyof LiveLimits;
  readonly unit: "count" | "bytes" | "seconds";
  readonly min: number;
  readonly max?: number;
}[] = [
  { flag: "max-body-bytes", key: "maxBodyBytes", unit: "bytes", min: 1 },
  { flag: "max-request-spans", key: "maxRequestSpans", unit: "count", min: 1 },
  { flag: "max-request-attributes", key: "maxRequestAttributes", unit: "count", min: 1 },
  { flag: "max-span-values", key: "maxSpanValues", unit: "count", min: 1 },
  // As validate's: the conversion recurses once per level.
  { flag: "max-depth", key: "maxDepth", unit: "count", min: 1, max: 10_000 },
  { flag: "max-inflight-bytes", key: "maxInflightBytes", unit: "bytes", min: 1 },
  { flag: "max-connections", key: "maxConnections", unit: "count", min: 1 },
  // HTTP/2 settings are 31-bit.
  { flag: "max-streams", key: "maxStreams", unit: "count", min: 1, max: 2 ** 31 - 1 },
  { flag: "max-listed-per-kind", key: "maxListedPerKind", unit: "count", min: 0 },
  { flag: "max-findings-per-rule", key: "maxFindingsPerRule", unit: "count", min: 0 },
  { flag: "max-content-chars", key: "maxContentChars", unit: "count", min: 0, max: 1e9 },
  { flag: "header-timeout", key: "headerTimeoutMs", unit: "seconds", min: 0.001 },
  { flag: "body-timeout", key: "bodyTimeoutMs", unit: "seconds", min: 0.001 },
];

/** Reads the limit flags' values (as `parseArgs` gives them) over the defaults; a string says what is wrong. */
export function limitsFromFlags(values: Readonly<Record<string, unknown>>): LiveLimits | string {
  const limits: Record<string, number> = { ...DEFAULT_LIVE_LIMITS };
  for (const { flag, key, unit, min, max } of LIMIT_FLAGS) {
    const text = values[flag];
    if (typeof text !== "string") continue;
    if (unit === "bytes") {
      const size = parseSize(text, `--${flag}`);
      if (typeof size === "string") return size;
      limits[key] = size;
      continue;
    }
    const value = Number(text);
    const integer = unit === "count";
    // Timers take at most 2^31 - 1 ms (a longer one would fire at once).
    const most = max ?? (integer ? Number.MAX_SAFE_INTEGER : MAX_TIMER_MS / 1000);
    if (!(integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(text) || value < min || value > most) {
      return `--${flag} expects ${integer ? "a whole number" : "a number of seconds"} from ${min} to ${most}, found '${text}'`;
    }
    limits[key] = unit === "seconds" ? Math.round(value * 1000) : value;
  }
  if (limits["maxInflightBytes"]! < limits["maxBodyBytes"]!) {
    return `--max-inflight-bytes (${limits["maxInflightBytes"]}) must be at least --max-body-bytes (${limits["maxBodyBytes"]}): one request of the largest size must fit`;
  }
  return limits as unknown as LiveLimits;
}

/** The help lines of the limit flags, with their defaults. */
export function limitsHelp(): string {
  const d = DEFAULT_LIVE_LIMITS;
  const mib = (n: number) => `${n / 1024 / 1024} MiB`;
  return `Limits (each request, connection and session is bounded; see the README):
      --max-body-bytes <size> Largest request body or gRPC message, compressed or
                              decompressed (default ${mib(d.maxBodyBytes)}; bytes, or 64M, 1G);
                              larger: 413 (gRPC: RESOURCE_EXHAUSTED)
      --max-request-spans <n> Most spans in one request (default ${d.maxRequestSpans}); more: 413
      --max-request-attributes <n>
                              Most attribute values in one request, array elements
                              and map entries included (default ${d.maxRequestAttributes}); more: 413
      --max-span-values <n>   Most attribute values in one span, counted alike
                              (default ${d.maxSpanValues}); more: 413 (a span is checked in
                              one step: this bounds how long it holds the receiver)
      --max-depth <n>         How deeply attribute values (arrayValue, kvlistValue)
                              may nest (default ${d.maxDepth}); deeper: 400
      --max-inflight-bytes <size>
                              Most body bytes held at once over all connections
                              (default ${mib(d.maxInflightBytes)}); past it: 503 with Retry-After
                              (gRPC: RESOURCE_EXHAUSTED with RetryInfo)
      --max-connections <n>   Most open connections, HTTP and gRPC together
                              (default ${d.maxConnections}); past it a new connection gets 503 with
                              Retry-After (gRPC: UNAVAILABLE with RetryInfo) and is closed
      --max-streams <n>       Most gRPC calls in progress on one connection
                              (default ${d.maxStreams}; HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS);
                              clients wait, and a stream opened anyway is refused
      --max-listed-per-kind <n>
                              Rejected requests listed in the report, per kind
                              of problem (default ${d.maxListedPerKind}); the others are counted
      --max-findings-per-rule <n>
                              Findings listed per rule by the text, junit, github
                              and sarif reports (default ${d.maxFindingsPerRule}); the others are
                              counted (json lists all, spooled to disk)
      --max-content-chars <n> Longest JSON text of an attribute whose content is
                              checked against its shape (GenAI messages, ...);
                              longer text: syntax only (default ${d.maxContentChars})
      --header-timeout <s>    Time to send a request's headers (default ${d.headerTimeoutMs / 1000}); then 408
                              (a gRPC connection without a call in progress
                              is closed after it)
      --body-timeout <s>      Time to send a request's body or gRPC message
                              (default ${d.bodyTimeoutMs / 1000}); then 408 (gRPC: DEADLINE_EXCEEDED)
`;
}
