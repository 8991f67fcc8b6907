/**
 * `semtrace validate <file | dir | ->...`: validates the spans of OTLP exports (or plain span arrays)
 * against semantic-convention registries and reports the findings.
 *
 * Exit codes: 0 no finding at or above `--fail-on`; 1 findings at or above it; 2 a usage error, an input that
 * could not be read or had malformed records (the report still covers every readable span), or no spans at all
 * (unless `--allow-empty`).
 */
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import { parseArgs } from "node:util";
import type { RegistryValidator, Severity } from "@semtrace/runtime";
import { LineBatcher, checkLines, checkSpans, lineAt, type BatchResult } from "./batch.js";
import { contentBytes, readRecords, type InputEvent, type InputFormat, type Source } from "./input.js";
import {
  DEFAULT_FINDINGS_PER_RULE,
  DEFAULT_LIMITS,
  DEFAULT_LISTED_PER_KIND,
  INPUT_LIMIT_OPTIONS,
  INPUT_LIMITS_HELP,
  groupDigits,
  inputLimitsFrom,
  parseCount,
  type Limits,
} from "./limits.js";
import { PoolError, ValidationPool, workerScript } from "./pool.js";
import { InOrder } from "./in-order.js";
import { printable } from "./printable.js";
import { progressDrawer, type Progress } from "./progress.js";
import { prepareCommand, type RegistrySource } from "./registries.js";
import { SPEC_OPTIONS, specFlags, specOptionsHelp } from "../spec-flags.js";
import {
  REPORTERS,
  ReportCollector,
  SEVERITY_RANK,
  collectorFor,
  finishReport,
  type Collector,
  type Report,
  type ReporterName,
} from "./report.js";
import { SpanTally } from "./tally.js";
import { expandInput, type InputFile } from "./walk.js";

export interface ValidateIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  /** Where `-` reads from (default `process.stdin`). */
  stdin?: Readable;
  /** Show a progress line on stderr (default: stderr is a TTY and `CI` is unset). */
  progress?: boolean;
  /** Colour the text report (default: stdout is a TTY, `NO_COLOR` unset, no `--output`). */
  color?: boolean;
}

export const VALIDATE_HELP = `Usage: semtrace validate [options] <file | dir | ->...

Validate the spans of trace exports against semantic-convention registries.

Inputs (the format of each is detected from its bytes):
  OTLP/JSON ExportTraceServiceRequest documents, one per file or one per line
  (JSON Lines, as the OpenTelemetry Collector file exporter writes them);
  OTLP protobuf (a binary ExportTraceServiceRequest); gzip of any of these;
  a JSON array of { name, attributes, traceId?, spanId? } spans (or one per line).
  A directory is read recursively, following symbolic links: files ending in
  .json, .jsonl, .ndjson, .pb, .binpb, .bin, .otlp, .protobuf (optionally
  followed by .gz); every other entry is listed as skipped. '-' reads stdin.

Options:
  -r, --registry <name|dir>   Registry to validate against; repeatable. A built-in
                              name (openinference, genai) or a spec directory
                              (loaded like 'semtrace generate --spec').
                              Default: both built-in registries
      --strict                Every span must declare a span kind of a loaded
                              registry (default: spans no registry judges, such
                              as HTTP or database spans, are other spans:
                              counted, not reported)
      --coverage              Add which attributes and span kinds of each
                              registry the spans carried, and how often, to the
                              text or json report
  -f, --reporter <name>       text (default), json, junit, github or sarif
  -o, --output <file>         Write the report to <file> instead of stdout
      --fail-on <severity>    Exit 1 when a finding is at or above: error (default),
                              warning or info
      --allow-empty           Exit 0 when the inputs hold no spans, or no span
                              any registry judges (default: exit 2, as nothing
                              was checked: the AI instrumentation did not run)
      --input-format <format> auto (default), json or protobuf: skip detection
                              ('--format' is its old, deprecated name)
  -j, --jobs <n>              Worker threads that parse and validate JSON Lines
                              (default: the number of CPUs, at most 4); 1 keeps
                              everything in one thread. Inputs under 64 MiB
                              are validated in one thread, which is faster
                              for them. The report is the same for any n.
  -h, --help                  Show this help

${specOptionsHelp(30)}
Limits (sizes in bytes, or with a unit: 64M, 1G; each keeps memory bounded
whatever the input):
${INPUT_LIMITS_HELP}
      --max-content-chars <n> Longest JSON text of an attribute whose content is
                              checked against its shape (GenAI messages, ...);
                              longer text: syntax only (default ${groupDigits(DEFAULT_LIMITS.maxContentChars ?? 0)})
      --max-findings-per-rule <n>
                              Findings listed per rule by the text, junit,
                              github and sarif reporters; the rest are counted
                              (default ${DEFAULT_FINDINGS_PER_RULE}; json lists every finding)
      --max-listed-per-kind <n>
                              Rejected records listed per kind of problem, and
                              notes per kind (skipped files, ...); the rest are
                              counted (default ${DEFAULT_LISTED_PER_KIND})

A progress bar is drawn on stderr when it is a terminal and CI is unset; never
when piped or in CI logs. Control characters from the traces are shown escaped.

Which registry judges a span: the registries whose span kind it declares; with
no kind, those owning a namespace one of its keys lies in (context keys such as
session.id aside), which then report the kind missing. Spans no registry judges
are other spans, counted in every report's summary.

Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 usage error,
unreadable or malformed input (the report still covers every readable span and
counts the rejected records), or no spans found, or none judged by a registry
(unless --allow-empty).
`;

const options = {
  registry: { type: "string", short: "r", multiple: true },
  reporter: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  "fail-on": { type: "string" },
  "allow-empty": { type: "boolean" },
  strict: { type: "boolean" },
  coverage: { type: "boolean" },
  "input-format": { type: "string" },
  format: { type: "string" },
  jobs: { type: "string", short: "j" },
  ...INPUT_LIMIT_OPTIONS,
  "max-content-chars": { type: "string" },
  "max-findings-per-rule": { type: "string" },
  "max-listed-per-kind": { type: "string" },
  ...SPEC_OPTIONS,
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Default worker threads: one per CPU, at most 4. Each worker holds a heap of its own (~25 MiB): with 4, a 1 GB
 * file stays near 220 MiB of RSS; with 8, over 300 MiB for little gain, as the main thread's reading becomes
 * the bottleneck. `--jobs` asks for more.
 */
export function defaultJobs(): number {
  return Math.min(4, Math.max(1, availableParallelism()));
}

const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];
const FORMATS: readonly InputFormat[] = ["auto", "json", "protobuf"];

export interface ValidateSettings {
  /** As given with `--registry`; empty: the built-in registries. */
  readonly registries: readonly string[];
  readonly reporter: ReporterName;
  readonly output?: string;
  readonly failOn: Severity;
  readonly allowEmpty: boolean;
  readonly strict: boolean;
  readonly coverage: boolean;
  readonly format: InputFormat;
  /** Said on stderr when the command starts (a deprecated spelling). */
  readonly notes?: readonly string[];
  readonly jobs: number;
  readonly limits: Limits;
  readonly findingsPerRule: number;
  readonly listedPerKind: number;
  readonly inputs: readonly string[];
  /** The flags that say how spec directories among the registries are read, as given. */
  readonly specFlags?: Readonly<Record<string, unknown>>;
}

/** Parses the arguments; returns a usage message string on error. */
export function parseValidateArgs(argv: string[]): ValidateSettings | { help: true } | string {
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
    return `unknown reporter '${reporter}': expected one of ${REPORTERS.join(", ")}`;
  const failOn = values["fail-on"] ?? "error";
  if (!(SEVERITIES as readonly string[]).includes(failOn))
    return `unknown --fail-on '${failOn}': expected one of ${SEVERITIES.join(", ")}`;
  if (values["input-format"] !== undefined && values.format !== undefined)
    return "--format is the old name of --input-format: give one of them";
  const formatFlag = values.format !== undefined ? "--format" : "--input-format";
  const format = values["input-format"] ?? values.format ?? "auto";
  if (!(FORMATS as readonly string[]).includes(format))
    return `unknown ${formatFlag} '${format}': expected one of ${FORMATS.join(", ")}`;
  if (values.coverage && !["text", "json"].includes(reporter))
    return `--coverage is written by the text and json reporters, not ${reporter}`;
  const jobs = values.jobs ?? String(defaultJobs());
  if (!/^[1-9]\d{0,2}$/.test(jobs)) return `--jobs expects a whole number from 1 to 999, found '${jobs}'`;
  const limits = inputLimitsFrom(values);
  if (typeof limits === "string") return limits;
  const numbers = {
    maxContentChars:
      values["max-content-chars"] === undefined
        ? DEFAULT_LIMITS.maxContentChars!
        : parseCount(values["max-content-chars"], "--max-content-chars", 0, 1e9),
    findingsPerRule:
      values["max-findings-per-rule"] === undefined
        ? DEFAULT_FINDINGS_PER_RULE
        : parseCount(values["max-findings-per-rule"], "--max-findings-per-rule", 0, 1e9),
    listedPerKind:
      values["max-listed-per-kind"] === undefined
        ? DEFAULT_LISTED_PER_KIND
        : parseCount(values["max-listed-per-kind"], "--max-listed-per-kind", 0, 1e9),
  };
  for (const value of Object.values(numbers)) if (typeof value === "string") return value;
  const n = numbers as { [K in keyof typeof numbers]: number };
  if (positionals.length === 0) return "no input: give one or more files, directories, or '-' for stdin";
  if (positionals.filter((p) => p === "-").length > 1) return "'-' (stdin) can be given only once";
  return {
    registries: values.registry ?? [],
    reporter: reporter as ReporterName,
    ...(values.output !== undefined ? { output: values.output } : {}),
    failOn: failOn as Severity,
    allowEmpty: values["allow-empty"] === true,
    strict: values.strict === true,
    coverage: values.coverage === true,
    format: format as InputFormat,
    ...(values.format !== undefined
      ? { notes: ["--format is deprecated: it is now --input-format (-f is short for --reporter)"] }
      : {}),
    jobs: Number(jobs),
    limits: { ...limits, maxContentChars: n.maxContentChars },
    findingsPerRule: n.findingsPerRule,
    listedPerKind: n.listedPerKind,
    inputs: positionals,
    ...specFlags(values),
  };
}

export interface CollectOptions {
  cwd: string;
  format?: InputFormat;
  limits?: Limits;
  stdin?: Readable;
  onProgress?: (progress: Progress) => void;
  /**
   * Worker threads for JSON Lines (default 1: everything in this thread). Needs `registrySources` (how the
   * workers load the same registries) and the built worker script; without them validation stays here.
   */
  jobs?: number;
  registrySources?: readonly RegistrySource[];
  /** The worker script (default: the built `validate-worker.js`; see `workerScript`). */
  workerScript?: URL;
  /** Input size (bytes) from which workers are started (default `DEFAULT_POOL_AFTER_BYTES`). */
  poolAfterBytes?: number;
  /** Stops reading (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** What was read: how many inputs, and the first of those that held no span (with why). */
export interface CollectSummary {
  readonly files: number;
  readonly withoutSpans: readonly string[];
  readonly withoutSpansCount: number;
}

/** Bytes of JSON Lines handed to a worker at once. */
const BATCH_BYTES = 512 * 1024;

/**
 * Below this input size one thread is faster: starting workers (loading the registries, warming up the JIT in
 * each) costs ~0.2 s. Measured on 2 cores: 40 MB of JSON Lines take 0.6 s in one thread and 0.7 s with two
 * workers; 100 MB about the same either way; 200 MB 1.9 s against 1.3 s.
 * `SEMTRACE_POOL_AFTER_BYTES` overrides it for the command.
 */
export const DEFAULT_POOL_AFTER_BYTES = 64 * 1024 * 1024;

/** Validates the inputs and collects the report (no rendering). Keeps every finding; see `collectInto`. */
export async function collectReport(
  inputs: readonly string[],
  registries: readonly RegistryValidator[],
  options: CollectOptions,
): Promise<Report> {
  const collector = new ReportCollector();
  await collectInto(collector, inputs, registries, options);
  return collector.report();
}

/** How many inputs without spans are named in the "no spans" message. */
const NAMED_WITHOUT_SPANS = 10;

/**
 * Validates the inputs, handing every finding, rejected record and note to `collector` in input order. JSON Lines
 * go in batches of 512 KiB to `checkLines` in this thread or, with `jobs` > 1 and more than a batch to do, to a
 * pool of worker threads; results are applied in input order either way, so the report does not depend on `jobs`.
 */
export async function collectInto(
  collector: Collector,
  inputs: readonly string[],
  registries: readonly RegistryValidator[],
  options: CollectOptions,
): Promise<CollectSummary> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  // A batch keeps what the collector would keep of it, and counts the rest.
  collector.tally ??= new SpanTally(registries);
  const tally = collector.tally;
  const checkOptions = {
    limits,
    findingsPerRule: collector.findingsPerRule,
    listedPerKind: collector.listedPerKind,
    strict: tally.strict,
    coverage: tally.countsCoverage,
  };
  let bytes = 0;
  const onBytes = (n: number) => {
    bytes += n;
  };
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const script = jobs > 1 && options.registrySources ? (options.workerScript ?? workerScript()) : undefined;
  const poolAfter = options.poolAfterBytes ?? DEFAULT_POOL_AFTER_BYTES;
  let linesSeen = 0;
  let pool: ValidationPool | undefined;
  // Work in input order; at most `window` batches in flight, so memory stays bounded whatever the input size.
  const queue = new InOrder(Math.max(2, jobs * 3));
  // Every input is listed first, so the progress bar knows the total size (unknown with stdin or a pipe).
  const expanded: InputFile[][] = [];
  const seen = new Set<string>();
  const walkEvents = {
    skipped: (note: Parameters<Collector["note"]>[0]) => collector.note(note),
    rejected: (r: Parameters<Collector["reject"]>[0]) => collector.reject(r),
  };
  for (const input of inputs) expanded.push(await expandInput(input, options.cwd, walkEvents, seen));
  const files = expanded.flat();
  const sizes = files.map((f) => f.size);
  const total = sizes.every((size) => size !== undefined) ? sizes.reduce<number>((a, b) => a + b!, 0) : undefined;
  // The work to do is the decompressed size (gzip files record theirs), known before reading when every input is a file.
  let workload: number | undefined;
  if (total !== undefined && total < poolAfter && script) {
    workload = 0;
    for (const f of files) workload += await contentBytes(resolve(options.cwd, f.name), f.size!);
  } else workload = total;
  const progress = () =>
    options.onProgress?.({ spans: collector.spans, bytes, ...(total !== undefined ? { total } : {}) });

  const applyBatch = (result: BatchResult, file: string) => {
    collector.spans += result.spans;
    for (const r of result.rejected)
      collector.reject({ source: { file, line: r.line, offset: r.offset }, reason: r.reason, category: r.category });
    for (const o of result.omitted) collector.countRejected(o.category, o.count);
    for (const n of result.notes)
      collector.note({ category: n.category, text: n.text, source: { file, line: n.line, offset: n.offset } });
    const sources = new Map<number, Source>();
    for (let i = 0; i < result.findings.length; i++) {
      const index = result.findingLines[i]!;
      let source = sources.get(index);
      if (!source) sources.set(index, (source = { file, ...lineAt(result, index) }));
      collector.add(result.findings[i]!, source, false);
    }
    for (const o of result.omittedFindings) collector.countFindings(o.rule, o.severity, o.count);
    tally.merge(result.tally);
    collector.spansWithFindings += result.spansWithFindings;
    progress();
  };
  const applySpans = (event: Extract<InputEvent, { kind: "spans" }>, file: string) => {
    collector.spans += event.spans.length;
    for (const note of event.notes ?? [])
      if (note.category !== "empty") collector.note({ ...note, source: event.source });
    const positions = event.positions;
    let lastIndex = -1;
    let lastSource: Source = event.source;
    checkSpans(
      event.spans,
      registries,
      (finding, index) => {
        const first = index !== lastIndex;
        if (first) {
          lastIndex = index;
          if (positions) {
            const line = positions[index * 2]!;
            lastSource = { file, ...(Number.isNaN(line) ? {} : { line }), offset: positions[index * 2 + 1]! };
          }
        }
        collector.add(finding, lastSource, first);
      },
      tally,
      limits.maxContentChars,
    );
    progress();
  };
  const dispatch = async (batcher: LineBatcher) => {
    // Workers pay off for big inputs: the files' decompressed size when known, else (stdin) the JSON Lines seen so far.
    linesSeen += batcher.size;
    if (script && (pool || (workload ?? 0) >= poolAfter || linesSeen >= poolAfter)) {
      pool ??= new ValidationPool(script, jobs, { registries: options.registrySources! });
      const file = batcher.file;
      await queue.push(pool.run(batcher.take()).then((result) => () => applyBatch(result, file)));
    } else {
      const result = checkLines(batcher.file, batcher.takeLines(), registries, batcher.options);
      await queue.push(() => applyBatch(result, batcher.file));
    }
  };

  const withoutSpans: string[] = [];
  let withoutSpansCount = 0;
  try {
    for (const { name: file } of files) {
      const path = file === "-" ? "-" : resolve(options.cwd, file);
      const shown = file === "-" ? "<stdin>" : file;
      const batcher = new LineBatcher(shown, BATCH_BYTES, checkOptions);
      const spansBefore = collector.spans;
      let why = "no spans";
      let problems = 0;
      const records = readRecords(path, {
        format: options.format ?? "auto",
        limits,
        ...(options.stdin ? { stdin: options.stdin } : {}),
        onBytes,
      });
      for await (const event of records) {
        options.signal?.throwIfAborted();
        if (event.kind === "line") {
          if (batcher.add(event.line)) await dispatch(batcher);
          continue;
        }
        if (!batcher.empty) await dispatch(batcher);
        if (event.kind === "rejected") {
          problems++;
          const rejection = {
            source: { ...event.source, file: shown },
            reason: event.reason,
            ...(event.category ? { category: event.category } : {}),
          };
          await queue.push(() => collector.reject(rejection));
          continue;
        }
        const empty = event.notes?.find((n) => n.category === "empty");
        if (empty) why = empty.text;
        await queue.push(() => applySpans(event, shown));
      }
      if (!batcher.empty) await dispatch(batcher);
      // Whether this input held spans is known once its work is applied.
      await queue.push(() => {
        if (collector.spans > spansBefore) return;
        withoutSpansCount++;
        if (withoutSpans.length < NAMED_WITHOUT_SPANS)
          withoutSpans.push(`${shown} (${problems > 0 ? "rejected" : why})`);
      });
    }
    await queue.finish();
  } finally {
    queue.abandon();
    await pool?.close();
  }
  return { files: files.length, withoutSpans, withoutSpansCount };
}

export function exitCode(report: Report, failOn: Severity): number {
  if ((report.totals?.rejected ?? report.rejected.length) > 0) return 2;
  if (report.totals) {
    const t = report.totals;
    return (t.errors > 0 && SEVERITY_RANK.error >= SEVERITY_RANK[failOn]) ||
      (t.warnings > 0 && SEVERITY_RANK.warning >= SEVERITY_RANK[failOn]) ||
      (t.infos > 0 && SEVERITY_RANK.info >= SEVERITY_RANK[failOn])
      ? 1
      : 0;
  }
  return report.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}

/** `SEMTRACE_POOL_AFTER_BYTES`: a whole number of bytes, or nothing (the default threshold). */
function poolAfterFromEnv(): { poolAfterBytes?: number } {
  const text = process.env["SEMTRACE_POOL_AFTER_BYTES"];
  return text !== undefined && /^\d+$/.test(text) ? { poolAfterBytes: Number(text) } : {};
}

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * While validating, a stop signal first removes what the run keeps on disk (the json reporter's spool, GBs on a
 * big run), then takes its default course (the process ends, by that signal) unless someone else listens for it;
 * then the run stops and `runValidateCommand` returns 128 + the signal's number.
 */
export function onStopSignals(cleanUp: () => void, abort: AbortController): () => void {
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => {
      cleanUp();
      remove();
      abort.abort(new Error(`stopped by ${signal}`));
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const remove = () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
  return remove;
}

export const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * Exit 2, saying why, when spans were read but no registry judged any of them: the AI instrumentation did not run,
 * or wrote another convention (unless `--allow-empty`). Undefined when some span was judged.
 */
export function noneJudged(
  command: string,
  collector: Collector,
  registries: readonly RegistryValidator[],
  io: { stderr: (s: string) => void },
): number | undefined {
  if (!collector.tally || collector.tally.judgedSpans(collector.spans) > 0) return undefined;
  const kinds = registries.map((r) => (r.spanKindKey ? `\`${r.spanKindKey}\` (${r.name})` : r.name)).join(", ");
  io.stderr(
    `semtrace ${command}: none of the ${collector.spans} span(s) was judged by a registry: none declares a span kind of ${kinds} or carries one of their keys, so nothing was validated (did the AI instrumentation run?); pass --allow-empty if that is expected\n`,
  );
  return 2;
}

export async function runValidateCommand(argv: string[], io: ValidateIo): Promise<number> {
  const prepared = await prepareCommand("validate", parseValidateArgs(argv), VALIDATE_HELP, io);
  if (typeof prepared === "number") return prepared;
  const { settings, registries, sources } = prepared;
  const showProgress = io.progress ?? (process.stderr.isTTY === true && !process.env["CI"]);
  const drawer = showProgress ? progressDrawer(io.stderr) : undefined;
  const onProgress = drawer ? (p: Progress) => drawer.draw(p) : undefined;
  // Every reporter keeps memory bounded however many findings and rejected records there are (see `collectorFor`).
  for (const note of settings.notes ?? []) io.stderr(`semtrace validate: note: ${note}\n`);
  const collector = collectorFor(settings.reporter, {
    findingsPerRule: settings.findingsPerRule,
    listedPerKind: settings.listedPerKind,
  });
  collector.tally = new SpanTally(registries, { strict: settings.strict, coverage: settings.coverage });
  const abort = new AbortController();
  const removeSignalHandlers = onStopSignals(() => {
    collector.dispose();
    drawer?.clear();
  }, abort);
  let summary: CollectSummary;
  try {
    summary = await collectInto(collector, settings.inputs, registries, {
      cwd: io.cwd,
      format: settings.format,
      limits: settings.limits,
      jobs: settings.jobs,
      registrySources: sources,
      signal: abort.signal,
      ...poolAfterFromEnv(),
      ...(io.stdin ? { stdin: io.stdin } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
  } catch (error) {
    collector.dispose();
    drawer?.clear();
    if (abort.signal.aborted)
      return SIGNAL_EXIT[(abort.signal.reason as Error).message.replace("stopped by ", "")] ?? 130;
    if (!(error instanceof PoolError)) throw error;
    io.stderr(`semtrace validate: ${error.message}; run again with --jobs 1 to validate in one thread\n`);
    return 2;
  } finally {
    removeSignalHandlers();
  }
  drawer?.clear();
  const code = finishReport("validate", collector, settings, io);
  if (settings.allowEmpty) return code;
  if (collector.spans > 0) return noneJudged("validate", collector, registries, io) ?? code;
  const named = summary.withoutSpans.map(printable).join(", ");
  const more =
    summary.withoutSpansCount > summary.withoutSpans.length
      ? `, and ${summary.withoutSpansCount - summary.withoutSpans.length} more`
      : "";
  const where =
    summary.files === 0
      ? "no input files were found"
      : `${summary.files === 1 ? "the input" : `the ${summary.files} inputs`}: ${named}${more}`;
  io.stderr(
    `semtrace validate: no spans found (${where}), so nothing was validated; pass --allow-empty if that is expected\n`,
  );
  return 2;
}
