/**
 * `semtrace stats <file | dir | ->...`: what the spans of trace exports add up to — spans by kind and name, latency
 * percentiles, error rate and error types, token usage and cost by model and provider, time to first chunk, the
 * slowest traces — as a text table or JSON, and with `--html <file>` a self-contained page with the span tree of the
 * slowest and erroring traces, validation findings inline, charts and filters.
 *
 * It reads the same inputs as `validate`, with the same readers, caps and messages, in one streaming pass whose
 * memory is bounded by the caps, not by the input. `--html` reads the inputs a second time for the spans of the
 * traces it shows (stdin is saved to a temporary file for that).
 *
 * Exit codes: 0 done; 2 a usage error, an input that could not be read or had malformed records (the stats still
 * cover every readable span), or no spans at all (unless `--allow-empty`).
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import type { RegistryValidator } from "@semtrace/runtime";
import { SIGNAL_EXIT, onStopSignals } from "../validate/command.js";
import type { InputFormat } from "../validate/input.js";
import {
  DEFAULT_LISTED_PER_KIND,
  INPUT_LIMIT_OPTIONS,
  INPUT_LIMITS_HELP,
  groupDigits,
  inputLimitsFrom,
  parseCount,
  parseSize,
  type Limits,
} from "../validate/limits.js";
import { printable } from "../validate/printable.js";
import { BUILT_IN_REGISTRIES, RegistryError, loadRegistries, prepareCommand } from "../validate/registries.js";
import { SPEC_OPTIONS, specFlags, specOptionsHelp } from "../spec-flags.js";
import { ReportCollector, rejectionText, where } from "../validate/report.js";
import { DEFAULT_STATS_CAPS, StatsAggregator, type StatsCaps } from "./aggregate.js";
import { renderPage } from "./html/page.js";
import { KeptTraces } from "./kept.js";
import { NO_PRICER, loadPricer } from "./pricing.js";
import { listInputs, readSpans, type StatsInput } from "./read.js";
import { renderText } from "./text.js";

export interface StatsIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  /** Where `-` reads from (default `process.stdin`). */
  stdin?: Readable;
}

/** Spans of one trace shown on the HTML page, by default. */
export const DEFAULT_MAX_TRACE_SPANS = 1000;
/** Bytes the kept traces' spans may take on the page, as JSON (an equal share for each trace). */
export const DEFAULT_MAX_PAGE_BYTES = 16 * 1024 * 1024;

export const STATS_HELP = `Usage: semtrace stats [options] <file | dir | ->...

What the spans of trace exports add up to: spans by kind and name, duration
percentiles, error rate and error types, token usage and cost by model and
provider (priced from the price table where spans carry no cost), time to
first chunk, the slowest and the erroring traces.

Inputs: the same as 'semtrace validate' (OTLP/JSON documents and JSON Lines,
OTLP protobuf, gzip of these, plain span arrays; directories; '-' for stdin).

Options:
  -f, --reporter <name>       text (default) or json
  -o, --output <file>         Write the report to <file> instead of stdout
      --html <file>           Also write one self-contained HTML page (no
                              network, works from file://): the span tree of
                              the slowest and the erroring traces with their
                              validation findings, charts of latency and cost,
                              filters. Reads the inputs twice (stdin is saved
                              to a temporary file for that)
  -r, --registry <name|dir>   With --html: registry to validate against;
                              repeatable (default: the built-in ones installed,
                              openinference and genai)
      --no-validate           With --html: show no validation findings
      --no-prices             Price nothing from the price table (costs the
                              spans carry are still added up)
      --format <format>       auto (default), json or protobuf: skip detection
      --allow-empty           Exit 0 when the inputs hold no spans at all
  -h, --help                  Show this help

${specOptionsHelp(30)}
Caps (each keeps memory bounded whatever the input):
      --max-names <n>         Rows of the by-kind and by-name tables: the first
                              n seen; later ones are summed as "other"
                              (default ${DEFAULT_STATS_CAPS.maxNames})
      --max-models <n>        Rows of the by-model table (default ${DEFAULT_STATS_CAPS.maxModels})
      --max-error-types <n>   Rows of the error-types table (default ${DEFAULT_STATS_CAPS.maxErrorTypes})
      --max-open-traces <n>   Traces added up at once; past it the one touched
                              least recently is taken as complete (default
                              ${groupDigits(DEFAULT_STATS_CAPS.maxOpenTraces)})
      --slowest <n>           Slowest traces listed, and kept in full on the
                              page (default ${DEFAULT_STATS_CAPS.slowest})
      --error-traces <n>      Erroring traces listed (one of each error type
                              first), kept in full on the page (default ${DEFAULT_STATS_CAPS.errorTraces})
      --max-trace-spans <n>   Spans of one trace shown on the page (default
                              ${groupDigits(DEFAULT_MAX_TRACE_SPANS)})
      --max-page-bytes <n>    Bytes of span data on the page, shared equally by
                              its traces; a trace's spans past its share are
                              counted, not shown (default ${DEFAULT_MAX_PAGE_BYTES / 1024 / 1024}M)
      --max-listed-per-kind <n>
                              Rejected records listed per kind of problem, and
                              notes per kind (default ${DEFAULT_LISTED_PER_KIND})
${INPUT_LIMITS_HELP}

Percentiles come from a DDSketch: within 1% of the true value; min, max,
counts and sums are exact.

Exit codes: 0 done; 2 usage error, unreadable or malformed input (the stats
still cover every readable span, and the rejected records are listed on
stderr), or no spans found (unless --allow-empty).
`;

const options = {
  reporter: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  html: { type: "string" },
  registry: { type: "string", short: "r", multiple: true },
  "no-validate": { type: "boolean" },
  "no-prices": { type: "boolean" },
  format: { type: "string" },
  "allow-empty": { type: "boolean" },
  "max-names": { type: "string" },
  "max-models": { type: "string" },
  "max-error-types": { type: "string" },
  "max-open-traces": { type: "string" },
  slowest: { type: "string" },
  "error-traces": { type: "string" },
  "max-trace-spans": { type: "string" },
  "max-page-bytes": { type: "string" },
  "max-listed-per-kind": { type: "string" },
  ...INPUT_LIMIT_OPTIONS,
  ...SPEC_OPTIONS,
  help: { type: "boolean", short: "h" },
} as const;

const REPORTERS = ["text", "json"] as const;
const FORMATS: readonly InputFormat[] = ["auto", "json", "protobuf"];

export interface StatsSettings {
  readonly reporter: (typeof REPORTERS)[number];
  readonly output?: string;
  readonly html?: string;
  /** Registries named with `-r` (validation needs `--html`); empty: the built-in ones installed. */
  readonly registries: readonly string[];
  readonly validate: boolean;
  readonly prices: boolean;
  readonly format: InputFormat;
  readonly allowEmpty: boolean;
  readonly caps: StatsCaps;
  readonly maxTraceSpans: number;
  readonly maxPageBytes: number;
  readonly listedPerKind: number;
  readonly limits: Limits;
  readonly inputs: readonly string[];
  readonly specFlags?: Readonly<Record<string, unknown>>;
}

/** Parses the arguments; returns a usage message string on error. */
export function parseStatsArgs(argv: string[]): StatsSettings | { help: true } | string {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const reporter = values.reporter ?? "text";
  if (!(REPORTERS as readonly string[]).includes(reporter))
    return `unknown reporter '${reporter}': expected text or json`;
  const format = values.format ?? "auto";
  if (!(FORMATS as readonly string[]).includes(format))
    return `unknown --format '${format}': expected one of ${FORMATS.join(", ")}`;
  const limits = inputLimitsFrom(values);
  if (typeof limits === "string") return limits;
  const count = (flag: keyof typeof values, fallback: number, min: number, max: number) => {
    const text = values[flag];
    return typeof text === "string" ? parseCount(text, `--${flag}`, min, max) : fallback;
  };
  const numbers = {
    maxNames: count("max-names", DEFAULT_STATS_CAPS.maxNames, 1, 100_000),
    maxModels: count("max-models", DEFAULT_STATS_CAPS.maxModels, 1, 100_000),
    maxErrorTypes: count("max-error-types", DEFAULT_STATS_CAPS.maxErrorTypes, 1, 100_000),
    maxOpenTraces: count("max-open-traces", DEFAULT_STATS_CAPS.maxOpenTraces, 1, 100_000_000),
    slowest: count("slowest", DEFAULT_STATS_CAPS.slowest, 0, 10_000),
    errorTraces: count("error-traces", DEFAULT_STATS_CAPS.errorTraces, 0, 10_000),
    maxTraceSpans: count("max-trace-spans", DEFAULT_MAX_TRACE_SPANS, 1, 1_000_000),
    listedPerKind: count("max-listed-per-kind", DEFAULT_LISTED_PER_KIND, 0, 1e9),
  };
  for (const value of Object.values(numbers)) if (typeof value === "string") return value;
  const maxPageBytes =
    values["max-page-bytes"] === undefined
      ? DEFAULT_MAX_PAGE_BYTES
      : parseSize(values["max-page-bytes"], "--max-page-bytes");
  if (typeof maxPageBytes === "string") return maxPageBytes;
  const num = numbers as { [K in keyof typeof numbers]: number };
  if (positionals.length === 0) return "no input: give one or more files, directories, or '-' for stdin";
  if (positionals.filter((p) => p === "-").length > 1) return "'-' (stdin) can be given only once";
  if (values.html === undefined && (values.registry?.length || values["no-validate"]))
    return `${values.registry?.length ? "--registry" : "--no-validate"} applies to the validation findings of the HTML page: give --html <file> too`;
  return {
    reporter: reporter as StatsSettings["reporter"],
    ...(values.output !== undefined ? { output: values.output } : {}),
    ...(values.html !== undefined ? { html: values.html } : {}),
    registries: values.registry ?? [],
    validate: values["no-validate"] !== true,
    prices: values["no-prices"] !== true,
    format: format as InputFormat,
    allowEmpty: values["allow-empty"] === true,
    caps: {
      maxNames: num.maxNames,
      maxKinds: num.maxNames,
      maxModels: num.maxModels,
      maxErrorTypes: num.maxErrorTypes,
      maxOpenTraces: num.maxOpenTraces,
      slowest: num.slowest,
      errorTraces: num.errorTraces,
    },
    maxTraceSpans: num.maxTraceSpans,
    maxPageBytes,
    listedPerKind: num.listedPerKind,
    limits,
    inputs: positionals,
    ...specFlags(values),
  };
}

/** The built-in registries that are installed (the default for the page's findings), and notes on the others. */
async function installedBuiltIns(
  cwd: string,
): Promise<{ registries: RegistryValidator[]; names: string[]; missing: string[] }> {
  const registries: RegistryValidator[] = [];
  const names: string[] = [];
  const missing: string[] = [];
  for (const name of BUILT_IN_REGISTRIES) {
    try {
      registries.push(...(await loadRegistries([name], cwd)));
      names.push(name);
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      missing.push(error.message.replace(/ \(.*$/s, ""));
    }
  }
  return { registries, names, missing };
}

/** Writes `text` to `path` through a temporary file next to it, so a failed write never leaves half a file. */
async function writeWhole(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export async function runStatsCommand(argv: string[], io: StatsIo): Promise<number> {
  const parsed = parseStatsArgs(argv);
  // Registries are loaded only for the page's findings: named ones through the shared start (usage errors for bad ones).
  const named =
    typeof parsed === "object" && !("help" in parsed) && parsed.html !== undefined && parsed.validate
      ? parsed.registries
      : [];
  const prepared = await prepareCommand(
    "stats",
    typeof parsed === "object" && !("help" in parsed) ? { ...parsed, registries: named } : parsed,
    STATS_HELP,
    io,
  );
  if (typeof prepared === "number") return prepared;
  const settings = prepared.settings as StatsSettings;
  let registries = prepared.registries;
  let registryNames: string[] = [...named];
  const pageNotes: string[] = [];
  if (settings.html !== undefined && settings.validate && named.length === 0) {
    const builtIns = await installedBuiltIns(io.cwd);
    registries = builtIns.registries;
    registryNames = builtIns.names;
    for (const m of builtIns.missing) pageNotes.push(`not validated against: ${m}`);
  }
  const pricer = settings.prices ? await loadPricer() : NO_PRICER;
  const book = new ReportCollector("text", { findingsPerRule: 0, listedPerKind: settings.listedPerKind });
  const abort = new AbortController();
  let spool: string | undefined;
  const cleanUp = () => {
    if (spool) void rm(spool, { recursive: true, force: true });
  };
  const removeSignalHandlers = onStopSignals(cleanUp, abort);
  try {
    let inputs = await listInputs(settings.inputs, io.cwd, book);
    if (settings.html !== undefined && inputs.some((i) => i.path === "-")) {
      // The page needs a second pass over the inputs: stdin is saved for it.
      spool = await mkdtemp(join(tmpdir(), "semtrace-stats-"));
      const saved = join(spool, "stdin");
      await pipeline(io.stdin ?? process.stdin, createWriteStream(saved));
      inputs = inputs.map((i): StatsInput => (i.path === "-" ? { path: saved, shown: "<stdin>" } : i));
    }
    const readOptions = {
      cwd: io.cwd,
      format: settings.format,
      limits: settings.limits,
      signal: abort.signal,
      ...(io.stdin ? { stdin: io.stdin } : {}),
    };
    const aggregator = new StatsAggregator(settings.caps, pricer);
    const summary = await readSpans(
      inputs,
      readOptions,
      (spans) => {
        for (let i = 0; i < spans.length; i++) aggregator.add(spans[i]!);
      },
      book,
    );
    aggregator.rejected = book.rejectedCount;
    const report = aggregator.report();
    const rendered = settings.reporter === "json" ? `${JSON.stringify(report, null, 2)}\n` : renderText(report);
    if (settings.output !== undefined) {
      try {
        await writeWhole(resolve(io.cwd, settings.output), rendered);
      } catch (error) {
        io.stderr(`semtrace stats: cannot write ${printable(settings.output)}: ${(error as Error).message}\n`);
        return 2;
      }
    } else io.stdout(rendered);

    if (settings.html !== undefined) {
      const reasons = new Map<string, ("slowest" | "errors")[]>();
      for (const t of report.slowestTraces) reasons.set(t.traceId, ["slowest"]);
      for (const t of report.errorTraces) reasons.set(t.traceId, [...(reasons.get(t.traceId) ?? []), "errors"]);
      const kept = new KeptTraces(reasons, settings.maxTraceSpans, settings.maxPageBytes, registries, pricer);
      await readSpans(inputs, readOptions, (spans) => kept.add(spans));
      const page = renderPage({
        report,
        histogram: aggregator.latencyHistogram(),
        traces: [...kept.traces.values()],
        findings: settings.validate
          ? {
              registries: registryNames,
              spans: kept.findings.spans,
              spansWithFindings: kept.findings.spansWithFindings,
              byRule: [...kept.findings.byRule]
                .map(([rule, r]) => ({ rule, ...r }))
                .sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : 1)),
            }
          : null,
        inputs: inputs.map((i) => i.shown),
        notes: pageNotes,
        maxTraceSpans: settings.maxTraceSpans,
        maxPageBytes: settings.maxPageBytes,
      });
      try {
        await writeWhole(resolve(io.cwd, settings.html), page);
      } catch (error) {
        io.stderr(`semtrace stats: cannot write ${printable(settings.html)}: ${(error as Error).message}\n`);
        return 2;
      }
    }
    for (const r of book.rejected) io.stderr(`semtrace stats: ${printable(rejectionText(r))}\n`);
    for (const o of book.omittedRejections())
      io.stderr(
        `semtrace stats: … and ${o.count} more rejected record${o.count === 1 ? "" : "s"} of this kind: ${o.kind} (--max-listed-per-kind)\n`,
      );
    for (const note of book.notes)
      io.stderr(
        `semtrace stats: note: ${printable(note.source ? `${where(note.source)}: ${note.text}` : note.text)}\n`,
      );
    for (const o of book.omittedNotes())
      io.stderr(`semtrace stats: note: … and ${o.count} more notes of this kind: ${o.kind} (--max-listed-per-kind)\n`);
    for (const note of pageNotes) io.stderr(`semtrace stats: note: ${note}\n`);
    if (book.rejectedCount > 0) return 2;
    if (aggregator.spans > 0 || settings.allowEmpty) return 0;
    const shownInputs = summary.withoutSpans.map(printable).join(", ");
    const more =
      summary.withoutSpansCount > summary.withoutSpans.length
        ? `, and ${summary.withoutSpansCount - summary.withoutSpans.length} more`
        : "";
    const whereFrom =
      inputs.length === 0
        ? "no input files were found"
        : `${inputs.length === 1 ? "the input" : `the ${inputs.length} inputs`}: ${shownInputs}${more}`;
    io.stderr(`semtrace stats: no spans found (${whereFrom}); pass --allow-empty if that is expected\n`);
    return 2;
  } catch (error) {
    if (abort.signal.aborted)
      return SIGNAL_EXIT[(abort.signal.reason as Error).message.replace("stopped by ", "")] ?? 130;
    throw error;
  } finally {
    removeSignalHandlers();
    if (spool) await rm(spool, { recursive: true, force: true });
  }
}
