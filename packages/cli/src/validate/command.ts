/**
 * `semtrace validate <file | dir | ->...`: validates the spans of OTLP exports (or plain span arrays)
 * against semantic-convention registries and reports the findings.
 *
 * Exit codes: 0 no finding at or above `--fail-on`; 1 findings at or above it; 2 a usage error, or an
 * input that could not be read or had malformed records (the report still covers every readable span).
 */
import { readdir, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { parseArgs } from "node:util";
import type { RegistryValidator, Severity } from "@semtrace/runtime";
import { LineBatcher, checkLines, checkSpans, lineAt, type BatchResult } from "./batch.js";
import { contentBytes, readRecords, type InputFormat, type Source } from "./input.js";
import { PoolError, ValidationPool, workerScript } from "./pool.js";
import { InOrder } from "./in-order.js";
import { progressDrawer, type Progress } from "./progress.js";
import { prepareCommand, SPEC_LIMIT_OPTIONS, SPEC_LIMITS_HELP, specLimitFlags, type RegistrySource } from "./registries.js";
import { REPORTERS, ReportCollector, SEVERITY_RANK, collectorFor, finishReport, type Collector, type Rejection, type Report, type ReporterName } from "./report.js";

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
  A directory is read recursively: files ending in .json, .jsonl, .ndjson, .pb,
  .binpb, .bin, .otlp, .protobuf (optionally followed by .gz). '-' reads stdin.

Options:
  -r, --registry <name|dir>   Registry to validate against; repeatable. A built-in
                              name (openinference, genai) or a spec directory
                              (loaded like 'semtrace generate --spec').
                              Default: openinference
${SPEC_LIMITS_HELP}
  -f, --reporter <name>       text (default), json, junit, github or sarif
  -o, --output <file>         Write the report to <file> instead of stdout
      --fail-on <severity>    Exit 1 when a finding is at or above: error (default),
                              warning or info
      --format <format>       auto (default), json or protobuf: skip detection
  -j, --jobs <n>              Worker threads that parse and validate JSON Lines
                              (default: the number of CPUs, at most 4); 1 keeps
                              everything in one thread. Inputs under 64 MiB
                              are validated in one thread, which is faster
                              for them. The report is the same for any n.
  -h, --help                  Show this help

A progress bar is drawn on stderr when it is a terminal and CI is unset; never
when piped or in CI logs.

Exit codes: 0 no finding at or above --fail-on; 1 such findings; 2 usage error,
or unreadable or malformed input (the report still covers every readable span and
counts the rejected records).
`;

const options = {
  registry: { type: "string", short: "r", multiple: true },
  reporter: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  "fail-on": { type: "string" },
  format: { type: "string" },
  jobs: { type: "string", short: "j" },
  ...SPEC_LIMIT_OPTIONS,
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
const DIR_FILE = /\.(json|jsonl|ndjson|pb|binpb|bin|otlp|protobuf)(\.gz)?$/i;

export interface ValidateSettings {
  readonly registries: readonly string[];
  readonly reporter: ReporterName;
  readonly output?: string;
  readonly failOn: Severity;
  readonly format: InputFormat;
  readonly jobs: number;
  readonly inputs: readonly string[];
  /** `--max-yaml-*` as given, for spec directories among the registries. */
  readonly specLimits?: Readonly<Record<string, string>>;
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
  if (!(REPORTERS as readonly string[]).includes(reporter)) return `unknown reporter '${reporter}': expected one of ${REPORTERS.join(", ")}`;
  const failOn = values["fail-on"] ?? "error";
  if (!(SEVERITIES as readonly string[]).includes(failOn)) return `unknown --fail-on '${failOn}': expected one of ${SEVERITIES.join(", ")}`;
  const format = values.format ?? "auto";
  if (!(FORMATS as readonly string[]).includes(format)) return `unknown --format '${format}': expected one of ${FORMATS.join(", ")}`;
  const jobs = values.jobs ?? String(defaultJobs());
  if (!/^[1-9]\d{0,2}$/.test(jobs)) return `--jobs expects a whole number from 1 to 999, found '${jobs}'`;
  if (positionals.length === 0) return "no input: give one or more files, directories, or '-' for stdin";
  if (positionals.filter((p) => p === "-").length > 1) return "'-' (stdin) can be given only once";
  return {
    registries: values.registry && values.registry.length > 0 ? values.registry : ["openinference"],
    reporter: reporter as ReporterName,
    ...(values.output !== undefined ? { output: values.output } : {}),
    failOn: failOn as Severity,
    format: format as InputFormat,
    jobs: Number(jobs),
    inputs: positionals,
    ...specLimitFlags(values),
  };
}

/** An input to read: its name as shown in reports, and its size when it is a file (for the progress bar). */
interface InputFile {
  readonly name: string;
  readonly size?: number;
}

async function expand(input: string, cwd: string): Promise<{ files: InputFile[]; rejected?: Rejection }> {
  if (input === "-") return { files: [{ name: "-" }] };
  const path = resolve(cwd, input);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    return { files: [], rejected: { source: { file: input }, reason: `cannot read: ${(error as Error).message}` } };
  }
  if (!info.isDirectory()) return { files: [{ name: input, ...(info.isFile() ? { size: info.size } : {}) }] };
  const files: InputFile[] = [];
  const walk = async (dir: string, shown: string) => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = join(dir, entry.name);
      const display = join(shown, entry.name);
      if (entry.isDirectory()) await walk(full, display);
      else if (entry.isFile() && DIR_FILE.test(entry.name)) files.push({ name: display, ...(await sizeOf(full)) });
    }
  };
  await walk(path, input);
  return { files };
}

async function sizeOf(path: string): Promise<{ size?: number }> {
  try {
    return { size: (await stat(path)).size };
  } catch {
    return {};
  }
}

interface CollectOptions {
  cwd: string;
  format?: InputFormat;
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
export async function collectReport(inputs: readonly string[], registries: readonly RegistryValidator[], options: CollectOptions): Promise<Report> {
  const collector = new ReportCollector();
  await collectInto(collector, inputs, registries, options);
  return collector.report();
}

/**
 * Validates the inputs, handing every finding and rejected record to `collector` in input order. JSON Lines go
 * in batches of 512 KiB to `checkLines` in this thread or, with `jobs` > 1 and more than a batch to do, to a pool
 * of worker threads; results are applied in input order either way, so the report does not depend on `jobs`.
 */
export async function collectInto(collector: Collector, inputs: readonly string[], registries: readonly RegistryValidator[], options: CollectOptions): Promise<void> {
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
  const expanded = [];
  for (const input of inputs) expanded.push(await expand(input, options.cwd));
  const sizes = expanded.flatMap((e) => e.files.map((f) => f.size));
  const total = sizes.every((size) => size !== undefined) ? sizes.reduce<number>((a, b) => a + b!, 0) : undefined;
  // The work to do is the decompressed size (gzip files record theirs), known before reading when every input is a file.
  let workload: number | undefined;
  if (total !== undefined && total < poolAfter && script) {
    workload = 0;
    for (const { files } of expanded) for (const f of files) workload += await contentBytes(resolve(options.cwd, f.name), f.size!);
  } else workload = total;
  const progress = () => options.onProgress?.({ spans: collector.spans, bytes, ...(total !== undefined ? { total } : {}) });

  const applyBatch = (result: BatchResult, file: string) => {
    collector.spans += result.spans;
    for (const r of result.rejected) collector.rejected.push({ source: { file, line: r.line, offset: r.offset }, reason: r.reason });
    const sources = new Map<number, Source>();
    for (let i = 0; i < result.findings.length; i++) {
      const index = result.findingLines[i]!;
      let source = sources.get(index);
      if (!source) sources.set(index, (source = { file, ...lineAt(result, index) }));
      collector.add(result.findings[i]!, source);
    }
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
      const result = checkLines(batcher.file, batcher.takeLines(), registries);
      await queue.push(() => applyBatch(result, batcher.file));
    }
  };

  try {
    for (const { files, rejected: bad } of expanded) {
      if (bad) await queue.push(() => void collector.rejected.push(bad));
      for (const { name: file } of files) {
        const path = file === "-" ? "-" : resolve(options.cwd, file);
        const shown = file === "-" ? "<stdin>" : file;
        const batcher = new LineBatcher(shown, BATCH_BYTES);
        const records = readRecords(path, { format: options.format ?? "auto", ...(options.stdin ? { stdin: options.stdin } : {}), onBytes });
        for await (const event of records) {
          if (event.kind === "line") {
            if (batcher.add(event.line)) await dispatch(batcher);
            continue;
          }
          if (!batcher.empty) await dispatch(batcher);
          const source: Source = { ...event.source, file: shown };
          if (event.kind === "rejected") {
            await queue.push(() => void collector.rejected.push({ source, reason: event.reason }));
            continue;
          }
          const spans = event.spans;
          await queue.push(() => {
            collector.spans += spans.length;
            checkSpans(spans, registries, (finding) => collector.add(finding, source));
            progress();
          });
        }
        if (!batcher.empty) await dispatch(batcher);
      }
    }
    await queue.finish();
  } finally {
    queue.abandon();
    await pool?.close();
  }
}

export function exitCode(report: Report, failOn: Severity): number {
  if (report.rejected.length > 0) return 2;
  return report.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}

/** `SEMTRACE_POOL_AFTER_BYTES`: a whole number of bytes, or nothing (the default threshold). */
function poolAfterFromEnv(): { poolAfterBytes?: number } {
  const text = process.env["SEMTRACE_POOL_AFTER_BYTES"];
  return text !== undefined && /^\d+$/.test(text) ? { poolAfterBytes: Number(text) } : {};
}

export async function runValidateCommand(argv: string[], io: ValidateIo): Promise<number> {
  const prepared = await prepareCommand("validate", parseValidateArgs(argv), VALIDATE_HELP, io);
  if (typeof prepared === "number") return prepared;
  const { settings, registries, sources } = prepared;
  const showProgress = io.progress ?? (process.stderr.isTTY === true && !process.env["CI"]);
  const drawer = showProgress ? progressDrawer(io.stderr) : undefined;
  const onProgress = drawer ? (p: Progress) => drawer.draw(p) : undefined;
  // Text and json keep memory bounded however many findings there are (see `collectorFor`).
  const collector = collectorFor(settings.reporter);
  try {
    await collectInto(collector, settings.inputs, registries, { cwd: io.cwd, format: settings.format, jobs: settings.jobs, registrySources: sources, ...poolAfterFromEnv(), ...(io.stdin ? { stdin: io.stdin } : {}), ...(onProgress ? { onProgress } : {}) });
  } catch (error) {
    collector.dispose();
    if (!(error instanceof PoolError)) throw error;
    drawer?.clear();
    io.stderr(`semtrace validate: ${error.message}; run again with --jobs 1 to validate in one thread\n`);
    return 2;
  }
  drawer?.clear();
  return finishReport("validate", collector, settings, io);
}
