/**
 * `semtrace report merge <report.json>...`: one report from the json reports of several runs (the shards of a CI
 * matrix, several `live-check` instances behind a Collector's load-balancing exporter), in any reporter.
 *
 * A json report lists every finding with its source, every rejected record up to the cap of its kind and the count
 * of the rest, which registries judged how many spans, the other spans and the coverage: everything the other
 * reporters render. The merged report is what one run over all the inputs would have reported (findings in the
 * order of the reports given), and the exit code follows `validate`'s.
 */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Severity } from "@semtrace/runtime";
import type { RegistryCoverage } from "./coverage.js";
import type { Source } from "./input.js";
import { DEFAULT_FINDINGS_PER_RULE, DEFAULT_LISTED_PER_KIND, parseCount, parseSize } from "./limits.js";
import { printable } from "./printable.js";
import { REPORTERS, collectorFor, finishReport, type ReportFinding, type ReporterName } from "./report.js";
import { SpanTally, type TallyData } from "./tally.js";

export interface ReportMergeIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  color?: boolean;
}

const MIB = 1024 * 1024;
const DEFAULT_MAX_REPORT_BYTES = 256 * MIB;

export const REPORT_HELP = `Usage: semtrace report merge [options] <report.json>...

Merge the json reports of several runs of 'semtrace validate' or 'semtrace
live-check' (--reporter json) into one report, in any reporter: the shards of a
CI matrix, or several live-check instances behind an OpenTelemetry Collector's
load-balancing exporter.

Options:
  -f, --reporter <name>       text (default), json, junit, github or sarif
  -o, --output <file>         Write the report to <file> instead of stdout
      --fail-on <severity>    Exit 1 when a finding is at or above: error (default),
                              warning or info
      --allow-empty           Exit 0 when no span of any report was judged by a
                              registry (default: exit 2)
      --max-report-bytes <n>  Largest report read (each is read whole; default
                              ${DEFAULT_MAX_REPORT_BYTES / MIB}M)
      --max-findings-per-rule <n>
                              Findings listed per rule by the text, junit,
                              github and sarif reporters (default ${DEFAULT_FINDINGS_PER_RULE})
      --max-listed-per-kind <n>
                              Rejected records listed per kind (default ${DEFAULT_LISTED_PER_KIND})
  -h, --help                  Show this help

Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 usage
error, a report that cannot be read or is not a semtrace json report, records
rejected in the runs merged, or no span judged by a registry (unless
--allow-empty).
`;

const options = {
  reporter: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  "fail-on": { type: "string" },
  "allow-empty": { type: "boolean" },
  "max-report-bytes": { type: "string" },
  "max-findings-per-rule": { type: "string" },
  "max-listed-per-kind": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** A json report, as read back. */
export interface ReadReport {
  readonly spans: number;
  readonly findings: readonly { readonly finding: ReportFinding; readonly source: Source }[];
  readonly rejected: readonly { readonly source: Source; readonly reason: string; readonly category: string }[];
  readonly omittedRejections: readonly { readonly kind: string; readonly count: number }[];
  readonly tally?: TallyData;
}

class ShapeError extends Error {}

const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

function expectObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ShapeError(`${path}: expected an object`);
  return value as Record<string, unknown>;
}

function expectArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${path}: expected an array`);
  return value;
}

function expectString(value: unknown, path: string): string {
  if (typeof value !== "string") throw new ShapeError(`${path}: expected a string`);
  return value;
}

function expectCount(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw new ShapeError(`${path}: expected a count (an integer of 0 or more)`);
  return value;
}

function sourceOf(value: unknown, path: string): Source {
  const o = expectObject(value, path);
  return {
    file: expectString(o["file"], `${path}.file`),
    ...(o["line"] !== undefined ? { line: expectCount(o["line"], `${path}.line`) } : {}),
    ...(o["offset"] !== undefined ? { offset: expectCount(o["offset"], `${path}.offset`) } : {}),
  };
}

/** Counts keyed by name, read into an object without a prototype (names come from traces: `__proto__` is a name). */
function countsOf(value: unknown, path: string): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (const [k, n] of Object.entries(expectObject(value, path)))
    out[k] = expectCount(n, `${path}[${JSON.stringify(k)}]`);
  return out;
}

function coverageOf(value: unknown, path: string): RegistryCoverage[] {
  return expectArray(value, path).map((c, i) => {
    const o = expectObject(c, `${path}[${i}]`);
    return {
      registry: expectString(o["registry"], `${path}[${i}].registry`),
      spans: expectCount(o["spans"], `${path}[${i}].spans`),
      kinds: countsOf(o["kinds"], `${path}[${i}].kinds`),
      otherKinds: countsOf(o["otherKinds"], `${path}[${i}].otherKinds`),
      otherKindsOmitted: expectCount(o["otherKindsOmitted"], `${path}[${i}].otherKindsOmitted`),
      attributes: countsOf(o["attributes"], `${path}[${i}].attributes`),
    };
  });
}

/** Reads a json report's parsed text, checking its shape; throws a ShapeError naming the place. */
export function readReport(json: unknown): ReadReport {
  const root = expectObject(json, "the report");
  const summary = expectObject(root["summary"], "summary");
  const spans = expectCount(summary["spans"], "summary.spans");
  // The findings of one span share one source object, as in a run (the junit reporter groups a span's findings by it).
  let last: Source | undefined;
  const shared = (source: Source): Source => {
    if (last && last.file === source.file && last.line === source.line && last.offset === source.offset) return last;
    return (last = source);
  };
  const findings = expectArray(root["findings"], "findings").map((f, i) => {
    const path = `findings[${i}]`;
    const o = expectObject(f, path);
    const severity = o["severity"];
    if (!SEVERITIES.includes(severity as Severity))
      throw new ShapeError(`${path}.severity: expected "error", "warning" or "info"`);
    const finding: ReportFinding = {
      traceId: expectString(o["traceId"], `${path}.traceId`),
      spanId: expectString(o["spanId"], `${path}.spanId`),
      spanName: expectString(o["spanName"], `${path}.spanName`),
      key: expectString(o["key"], `${path}.key`),
      rule: expectString(o["rule"], `${path}.rule`),
      severity: severity as Severity,
      message: expectString(o["message"], `${path}.message`),
    };
    return {
      finding,
      source: shared(o["source"] === undefined ? { file: "<unknown>" } : sourceOf(o["source"], `${path}.source`)),
    };
  });
  const rejected = expectArray(root["rejected"] ?? [], "rejected").map((r, i) => {
    const o = expectObject(r, `rejected[${i}]`);
    return {
      source: sourceOf(o["source"], `rejected[${i}].source`),
      reason: expectString(o["reason"], `rejected[${i}].reason`),
      category: expectString(o["category"], `rejected[${i}].category`),
    };
  });
  const omittedRejections = expectArray(root["omittedRejections"] ?? [], "omittedRejections").map((r, i) => {
    const o = expectObject(r, `omittedRejections[${i}]`);
    return {
      kind: expectString(o["kind"], `omittedRejections[${i}].kind`),
      count: expectCount(o["count"], `omittedRejections[${i}].count`),
    };
  });
  let tally: TallyData | undefined;
  if (summary["judged"] !== undefined || summary["other"] !== undefined) {
    const judged = Object.entries(countsOf(summary["judged"] ?? {}, "summary.judged")).map(([registry, n]) => ({
      registry,
      spans: n,
    }));
    tally = {
      other: expectCount(summary["other"] ?? 0, "summary.other"),
      judged,
      ...(root["coverage"] !== undefined ? { coverage: coverageOf(root["coverage"], "coverage") } : {}),
    };
  }
  return { spans, findings, rejected, omittedRejections, ...(tally ? { tally } : {}) };
}

export async function runReportCommand(argv: string[], io: ReportMergeIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "-h" || sub === "--help") {
    io.stdout(REPORT_HELP);
    return 0;
  }
  if (sub !== "merge") {
    io.stderr(
      `semtrace report: ${sub === undefined ? "a subcommand is expected" : `unknown subcommand '${printable(sub)}'`}: the one there is is 'merge'\n${REPORT_HELP}`,
    );
    return 2;
  }
  return runReportMerge(rest, io);
}

function usage(io: ReportMergeIo, message: string): number {
  io.stderr(`semtrace report merge: ${message}\nRun 'semtrace report merge --help' for usage.\n`);
  return 2;
}

export async function runReportMerge(argv: string[], io: ReportMergeIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true }));
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  if (values["help"]) {
    io.stdout(REPORT_HELP);
    return 0;
  }
  const reporter = (values["reporter"] ?? "text") as string;
  if (!(REPORTERS as readonly string[]).includes(reporter))
    return usage(io, `--reporter must be one of ${REPORTERS.join(", ")}, not '${printable(reporter)}'`);
  const failOn = (values["fail-on"] ?? "error") as string;
  if (!SEVERITIES.includes(failOn as Severity))
    return usage(io, `--fail-on must be error, warning or info, not '${printable(failOn)}'`);
  if (positionals.length === 0) return usage(io, "no reports given");
  const maxBytes =
    values["max-report-bytes"] === undefined
      ? DEFAULT_MAX_REPORT_BYTES
      : parseSize(values["max-report-bytes"] as string, "--max-report-bytes");
  const findingsPerRule =
    values["max-findings-per-rule"] === undefined
      ? DEFAULT_FINDINGS_PER_RULE
      : parseCount(values["max-findings-per-rule"] as string, "--max-findings-per-rule", 0, 1e9);
  const listedPerKind =
    values["max-listed-per-kind"] === undefined
      ? DEFAULT_LISTED_PER_KIND
      : parseCount(values["max-listed-per-kind"] as string, "--max-listed-per-kind", 0, 1e9);
  for (const parsed of [maxBytes, findingsPerRule, listedPerKind])
    if (typeof parsed === "string") return usage(io, parsed);

  const reports: ReadReport[] = [];
  for (const name of positionals) {
    const path = resolve(io.cwd, name);
    try {
      const size = statSync(path).size;
      if (size > (maxBytes as number))
        return usage(io, `${printable(name)}: the report is ${size} bytes, more than --max-report-bytes (${maxBytes})`);
      reports.push(readReport(JSON.parse(readFileSync(path, "utf8"))));
    } catch (error) {
      const why =
        error instanceof ShapeError
          ? `not a semtrace json report (semtrace validate --reporter json): ${error.message}`
          : error instanceof SyntaxError
            ? `invalid JSON: ${error.message}`
            : `cannot read: ${(error as Error).message}`;
      io.stderr(`semtrace report merge: ${printable(name)}: ${why}\n`);
      return 2;
    }
  }

  const collector = collectorFor(reporter as ReporterName, {
    findingsPerRule: findingsPerRule as number,
    listedPerKind: listedPerKind as number,
  });
  const withTally = reports.every((r) => r.tally !== undefined);
  if (withTally) {
    const tally = new SpanTally([]);
    for (const r of reports) tally.merge(r.tally!);
    collector.tally = tally;
  }
  for (const r of reports) {
    collector.spans += r.spans;
    for (const { finding, source } of r.findings) collector.add(finding, source);
    for (const rejection of r.rejected) collector.reject(rejection);
    for (const o of r.omittedRejections) collector.countRejected(o.kind, o.count);
  }
  const code = finishReport(
    "report merge",
    collector,
    {
      reporter: reporter as ReporterName,
      failOn: failOn as Severity,
      ...(typeof values["output"] === "string" ? { output: values["output"] } : {}),
    },
    io,
  );
  if (values["allow-empty"] || !collector.tally) return code;
  if (collector.tally.judgedSpans(collector.spans) > 0) return code;
  io.stderr(
    `semtrace report merge: none of the ${collector.spans} span(s) of the ${reports.length} report(s) was judged by a registry, so nothing was validated; pass --allow-empty if that is expected\n`,
  );
  return 2;
}
