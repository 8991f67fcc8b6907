/**
 * Spans written as an OpenTelemetry exporter writes them (OTLP/JSON, ids in hex, times as decimal nanosecond
 * strings), for the `semtrace stats` tests, and a runner of the command that captures its output.
 */
import type { Readable } from "node:stream";
import { runStatsCommand } from "../../src/stats/command.js";
import type { StatsReport } from "../../src/stats/aggregate.js";

/** 2023-11-14T22:13:20Z in nanoseconds. */
export const T0_NS = 1_700_000_000_000_000_000n;

export interface SpanSpec {
  readonly traceId: string;
  readonly spanId: string;
  readonly parent?: string;
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  /** Milliseconds after T0 (fractions allowed). */
  readonly startMs?: number;
  readonly durationMs?: number;
  readonly status?: { readonly code: number | string; readonly message?: string };
  readonly events?: readonly {
    readonly name: string;
    readonly atMs?: number;
    readonly attributes?: Readonly<Record<string, string>>;
  }[];
  readonly kind?: number | string;
}

export const nanos = (ms: number): string => String(T0_NS + BigInt(Math.round(ms * 1e6)));

function anyValue(v: string | number | boolean | readonly string[]): Record<string, unknown> {
  if (Array.isArray(v)) return { arrayValue: { values: v.map((s) => ({ stringValue: s })) } };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "number") return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: v as string };
}

export function keyValues(
  attributes: Readonly<Record<string, string | number | boolean | readonly string[]>>,
): { key: string; value: Record<string, unknown> }[] {
  return Object.entries(attributes).map(([key, v]) => ({ key, value: anyValue(v) }));
}

export function otlpSpan(s: SpanSpec): Record<string, unknown> {
  const start = s.startMs ?? 0;
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parent ? { parentSpanId: s.parent } : {}),
    name: s.name,
    kind: s.kind ?? 1,
    ...(s.durationMs !== undefined
      ? { startTimeUnixNano: nanos(start), endTimeUnixNano: nanos(start + s.durationMs) }
      : {}),
    attributes: keyValues(s.attributes ?? {}),
    ...(s.events
      ? {
          events: s.events.map((e) => ({
            name: e.name,
            ...(e.atMs !== undefined ? { timeUnixNano: nanos(start + e.atMs) } : {}),
            attributes: keyValues(e.attributes ?? {}),
          })),
        }
      : {}),
    status: s.status ?? {},
  };
}

/** One ExportTraceServiceRequest of these spans. */
export function request(spans: readonly SpanSpec[]): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: keyValues({ "service.name": "test" }) },
        scopeSpans: [{ scope: { name: "test" }, spans: spans.map(otlpSpan) }],
      },
    ],
  };
}

/** JSON Lines: one request per group of spans. */
export function jsonl(groups: readonly (readonly SpanSpec[])[]): string {
  return groups.map((g) => JSON.stringify(request(g))).join("\n") + "\n";
}

export interface StatsRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function stats(argv: string[], options: { cwd?: string; stdin?: Readable } = {}): Promise<StatsRun> {
  let stdout = "";
  let stderr = "";
  const code = await runStatsCommand(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: options.cwd ?? "/",
    ...(options.stdin ? { stdin: options.stdin } : {}),
  });
  return { code, stdout, stderr };
}

/** `semtrace stats --reporter json`, parsed; fails the test when the command does not exit 0. */
export async function statsJson(
  argv: string[],
  options: { cwd?: string; stdin?: Readable; expectCode?: number } = {},
): Promise<StatsReport & { stderr: string }> {
  const run = await stats(["--reporter", "json", ...argv], options);
  if (run.code !== (options.expectCode ?? 0)) throw new Error(`semtrace stats exited ${run.code}: ${run.stderr}`);
  return { ...(JSON.parse(run.stdout) as StatsReport), stderr: run.stderr };
}

/** A hex id of `bytes` bytes from a number (distinct numbers, distinct ids). */
export function hexId(n: number, bytes: number): string {
  return n.toString(16).padStart(bytes * 2, "0");
}
