/**
 * `semtrace translate --to genai|openinference <file>... -o <file>`: the spans of exported traces in the other
 * convention, for backfilling stored traces. It reads what `validate` reads, with validate's reader and caps
 * (OTLP/JSON documents, JSON Lines as the Collector's file exporter writes them, OTLP protobuf, gzip of any; '-'
 * for stdin, directories walked), and writes the format it read: each input is rewritten as it streams by
 * (`rewrite.ts`), spans replaced by their translation and every other byte kept. The output goes to a temporary
 * file beside the target, renamed into place only when every input was read whole: never half-written.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { lstat, rename, rm } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { createGzip, type Gzip } from "node:zlib";
import { lineEvents, readRecords, type InputEvent, type InputFormat } from "../validate/input.js";
import { INPUT_LIMIT_OPTIONS, INPUT_LIMITS_HELP, inputLimitsFrom, parseSize, type Limits } from "../validate/limits.js";
import { expandInput } from "../validate/walk.js";
import { HeldTooLarge, JsonRewriter, ProtobufRewriter } from "./rewrite.js";
import {
  rewriteJsonSpan,
  rewriteProtobufSpan,
  translateInputSpan,
  type Target,
  type Translator,
  type Unmapped,
} from "./spans.js";

const DEFAULT_MAX_HELD_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_LISTED_UNMAPPED = 100;

export const TRANSLATE_HELP = `Usage: semtrace translate --to genai|openinference <file>... -o <file> [options]

Translates the spans of trace exports between the OpenInference and OpenTelemetry
GenAI conventions, for backfilling stored traces. Reads what 'semtrace validate'
reads (OTLP/JSON documents; JSON Lines as the OpenTelemetry Collector's file
exporter writes them; OTLP protobuf; gzip of any of these; '-' for stdin; a
directory is read recursively) and writes the format it read: JSON stays JSON
(documents or lines), protobuf stays protobuf, gzip stays gzip. Spans of the other
convention are translated (GenAI spans renamed as GenAI names them; deprecated
GenAI keys read for their replacement's meaning); spans already in the target,
and spans of neither convention, are written as they are. Everything else
(resources, scopes, ids, times, events, links, status, unknown fields) is kept.
Attributes with no counterpart stay on their spans and are listed on stderr with
their rule id (translation.no-counterpart, translation.value, …).

Options:
      --to <convention>       genai or openinference (required).
  -o, --output <file>         Where to write (required); '-' for stdout. A file is
                              written to a temporary file beside it and renamed
                              into place at the end: nothing is half-written.
      --keep-source           Keep the source convention's attributes too (both
                              sets on every span, as the exporter's emit: "both").
      --gzip, --no-gzip       Compress the output with gzip, or not (default: as
                              the inputs are).
      --input-format <format> auto (default), json or protobuf: skip detection.
      --max-held-bytes <n>    Most input held at once (default 64M): a protobuf
                              ResourceSpans message is held until it ends (the
                              lengths around a translated span change), JSON only
                              between spans; more is an error.
      --max-listed <n>        Attributes with no counterpart listed (default ${DEFAULT_MAX_LISTED_UNMAPPED});
                              the rest are counted.
${INPUT_LIMITS_HELP}
  -h, --help                  Show this help.

Exit codes: 0 translated; 1 an input could not be read whole (its file and place
are named; nothing is written); 2 usage error.
`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  stdin?: NodeJS.ReadableStream;
  /** For stdout output (-o -): where the bytes go (default: process.stdout). */
  stdoutStream?: NodeJS.WritableStream;
}

interface Options {
  readonly to: Target;
  readonly output: string;
  readonly keepSource: boolean;
  readonly gzip: boolean | undefined;
  readonly format: InputFormat;
  readonly inputs: readonly string[];
  readonly limits: Limits;
  readonly maxHeldBytes: number;
  readonly maxListed: number;
}

function parse(argv: string[]): Options | string | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        to: { type: "string" },
        output: { type: "string", short: "o" },
        "keep-source": { type: "boolean" },
        gzip: { type: "boolean" },
        "no-gzip": { type: "boolean" },
        "input-format": { type: "string" },
        "max-held-bytes": { type: "string" },
        "max-listed": { type: "string" },
        ...INPUT_LIMIT_OPTIONS,
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (values.to !== "genai" && values.to !== "openinference")
    return values.to === undefined
      ? "missing --to genai|openinference"
      : `unknown --to '${values.to}': expected genai or openinference`;
  if (!values.output) return "missing -o <file> (or -o - for stdout)";
  if (positionals.length === 0) return "no input: give one or more trace files or directories, or '-' for stdin";
  if (values.gzip && values["no-gzip"]) return "--gzip and --no-gzip exclude each other";
  const format = values["input-format"] ?? "auto";
  if (format !== "auto" && format !== "json" && format !== "protobuf")
    return `unknown --input-format '${format}': expected auto, json or protobuf`;
  const limits = inputLimitsFrom(values);
  if (typeof limits === "string") return limits;
  const maxHeldBytes =
    values["max-held-bytes"] === undefined
      ? DEFAULT_MAX_HELD_BYTES
      : parseSize(values["max-held-bytes"], "--max-held-bytes");
  if (typeof maxHeldBytes === "string") return maxHeldBytes;
  const maxListed = values["max-listed"] === undefined ? DEFAULT_MAX_LISTED_UNMAPPED : Number(values["max-listed"]);
  if (!Number.isSafeInteger(maxListed) || maxListed < 0)
    return `--max-listed expects a whole number, found '${values["max-listed"]}'`;
  return {
    to: values.to,
    output: values.output,
    keepSource: values["keep-source"] ?? false,
    gzip: values.gzip ? true : values["no-gzip"] ? false : undefined,
    format,
    inputs: positionals,
    limits,
    maxHeldBytes,
    maxListed,
  };
}

/** An input that cannot be translated whole: named with its file and place. */
class InputFailure extends Error {}

/** Attributes with no counterpart, by key (indexes folded), with where each was first seen. */
class UnmappedList {
  readonly byKey = new Map<string, { rule: string; reason: string; spans: number; first: string }>();
  omitted = 0;

  constructor(private readonly max: number) {}

  add(unmapped: readonly Unmapped[], where: string): void {
    for (const u of unmapped) {
      const key = u.key.replace(/\.\d+(?=\.|$)/g, ".<i>").replace(/\[\d+\]/g, "[i]");
      const seen = this.byKey.get(key);
      if (seen) seen.spans++;
      else if (this.byKey.size < this.max)
        this.byKey.set(key, { rule: u.rule, reason: u.reason, spans: 1, first: where });
      else this.omitted++;
    }
  }
}

/** The output: a temporary file renamed into place at the end (or stdout), gzip-compressed when asked. */
class Output {
  private stream: WriteStream | NodeJS.WritableStream | undefined;
  private gzip: Gzip | undefined;
  private sink: NodeJS.WritableStream | undefined;
  bytes = 0;
  private failure: Error | undefined;

  constructor(
    private readonly target: string | undefined,
    private readonly temporary: string | undefined,
    private readonly stdout: NodeJS.WritableStream,
  ) {}

  /** Opens the output (once the first input's compression is known). */
  open(gzip: boolean): void {
    if (this.sink) return;
    this.stream = this.temporary ? createWriteStream(this.temporary, { flags: "wx" }) : this.stdout;
    (this.stream as NodeJS.WritableStream).on("error", (error: Error) => (this.failure ??= error));
    if (gzip) {
      this.gzip = createGzip();
      this.gzip.on("error", (error: Error) => (this.failure ??= error));
      this.gzip.pipe(this.stream as NodeJS.WritableStream, { end: this.temporary !== undefined });
      this.sink = this.gzip;
    } else this.sink = this.stream;
  }

  get opened(): boolean {
    return this.sink !== undefined;
  }

  async write(bytes: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (bytes.length === 0) return;
    this.bytes += bytes.length;
    if (!this.sink!.write(bytes)) await new Promise<void>((resolve) => this.sink!.once("drain", () => resolve()));
  }

  async close(): Promise<void> {
    if (!this.sink) return;
    if (this.gzip) {
      await new Promise<void>((resolve) => this.gzip!.end(() => resolve()));
      if (!this.temporary) await new Promise<void>((resolve) => this.gzip!.once("end", () => resolve()));
    }
    if (this.temporary) {
      const stream = this.stream as WriteStream;
      if (!this.gzip) stream.end();
      if (!stream.closed) await new Promise<void>((resolve) => stream.once("close", () => resolve()));
    }
    if (this.failure) throw this.failure;
  }

  async commit(): Promise<void> {
    await this.close();
    if (this.temporary && this.target) await rename(this.temporary, this.target);
  }

  async discard(): Promise<void> {
    try {
      await this.close();
    } catch {
      // Not reported: the output is being thrown away because of an earlier error, which is what is reported.
    }
    if (this.temporary) await rm(this.temporary, { force: true });
  }
}

function where(file: string, line: number | undefined, offset: number | undefined): string {
  if (line !== undefined && !Number.isNaN(line))
    return `${file}:${line}${offset !== undefined ? ` (byte ${offset})` : ""}`;
  return offset !== undefined ? `${file} (byte ${offset})` : file;
}

interface Counts {
  spans: number;
  translated: number;
}

/** Translates one input into the output. Throws `InputFailure` naming the file and place of what stops it. */
async function translateInput(
  file: string,
  o: Options,
  io: Io,
  translator: Translator,
  out: Output,
  unmapped: UnmappedList,
  counts: Counts,
  state: { format?: string },
): Promise<void> {
  const name = file === "-" ? "<stdin>" : file;
  const emit = o.keepSource ? "both" : o.to;
  let format: "json" | "protobuf" | undefined;
  let gzip = false;
  let json: JsonRewriter | undefined;
  let protobuf: ProtobufRewriter | undefined;
  let failure: Error | undefined;
  const write = (bytes: Buffer) => out.write(bytes);
  /** Bytes read before the format was known (while it was detected). */
  const early: Buffer[] = [];
  const start = (): void => {
    const kind = `${format}${gzip ? " (gzip)" : ""}`;
    if (state.format !== undefined && state.format !== kind) {
      // One output has one format: inputs in another are not converted (JSON and protobuf are rewritten in place).
      if (state.format.split(" ")[0] !== format)
        throw new InputFailure(
          `${name}: ${format}, but the output is ${state.format} as the inputs before it; translate them separately`,
        );
      if (o.gzip === undefined)
        throw new InputFailure(
          `${name}: ${kind}, but the output is ${state.format} as the inputs before it; give --gzip or --no-gzip, or translate them separately`,
        );
    }
    state.format ??= kind;
    out.open(o.gzip ?? gzip);
    if (format === "json") json = new JsonRewriter(o.maxHeldBytes, write);
    else protobuf = new ProtobufRewriter(o.maxHeldBytes, write);
    // The bytes read to detect the format came before the rewriter.
    for (const chunk of early.splice(0)) (json ?? protobuf)!.bytes(chunk);
  };
  const tap = {
    gzip: () => void (gzip = true),
    format: (f: "json" | "protobuf") => {
      format = f;
      try {
        start();
      } catch (error) {
        failure ??= error as Error;
      }
    },
    bytes: (chunk: Buffer) => {
      if (failure) return;
      try {
        const rewriter = json ?? protobuf;
        if (rewriter) rewriter.bytes(chunk);
        else early.push(chunk);
      } catch (error) {
        failure ??= error instanceof HeldTooLarge ? new InputFailure(`${name}: ${error.message}`) : (error as Error);
      }
    },
    frame: (level: 1 | 2, field: number, tagAt: number, s: number, e: number) =>
      protobuf?.frame(level, field, tagAt, s, e),
  };

  const handle = async (event: InputEvent): Promise<void> => {
    if (event.kind === "rejected") {
      const { source } = event;
      throw new InputFailure(`${where(name, source.line, source.offset)}: ${event.reason}`);
    }
    const { spans, positions, ends } = event;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i]!;
      const line = positions?.[2 * i];
      const offset = positions?.[2 * i + 1];
      const end = ends?.[i];
      if (offset === undefined || end === undefined || Number.isNaN(end)) {
        throw new InputFailure(
          `${where(name, line ?? event.source.line, offset ?? event.source.offset)}: a plain span read from the keys of the root object; semtrace translate rewrites OTLP exports and arrays of spans`,
        );
      }
      counts.spans++;
      const place = where(name, line, offset);
      const translated = translateInputSpan(span, translator, emit, (u) => unmapped.add(u, place));
      let replacement: Buffer | undefined;
      if (translated) {
        counts.translated++;
        const rewriter = json ?? protobuf!;
        if (json)
          replacement = Buffer.from(
            rewriteJsonSpan(rewriter.text({ offset, end }).toString("utf8"), translated),
            "utf8",
          );
        else {
          // The span's field: its tag and length, then its content (rewritten).
          const field = rewriter.text({ offset, end });
          let at = 1;
          while (field[at]! >= 0x80) at++;
          at++;
          replacement = rewriteProtobufSpan(field.subarray(at), translated);
        }
      }
      await (json ?? protobuf)!.span({ offset, end, replacement });
    }
  };

  try {
    for await (const record of readRecords(file, {
      format: o.format,
      limits: o.limits,
      tap,
      ...(io.stdin ? { stdin: io.stdin as never } : {}),
    })) {
      if (failure) throw failure;
      if (record.kind === "line") {
        for (const event of lineEvents(name, record.line, o.limits, { spanRanges: true })) await handle(event);
        await json?.flush(record.line.offset + record.line.bytes.length);
      } else await handle(record);
    }
    if (failure) throw failure;
    if (!format) return; // empty: nothing to write
    await (json ?? protobuf)!.flush();
  } catch (error) {
    if (error instanceof InputFailure) throw error;
    throw new InputFailure(`${name}: ${(error as Error).message}`);
  }
}

export async function runTranslateCommand(argv: string[], io: Io): Promise<number> {
  const options = parse(argv);
  if (options === "help") {
    io.stdout(TRANSLATE_HELP);
    return 0;
  }
  if (typeof options === "string") {
    io.stderr(`semtrace translate: ${options}\nRun 'semtrace translate --help' for usage.\n`);
    return 2;
  }
  let translator: Translator;
  try {
    translator = (await import("@semtrace/translate")) as unknown as Translator;
  } catch (error) {
    io.stderr(
      `semtrace translate: needs the package @semtrace/translate next to @semtrace/cli (npm install @semtrace/translate): ${(error as Error).message}\n`,
    );
    return 1;
  }

  const toStdout = options.output === "-";
  const target = toStdout ? undefined : path.resolve(io.cwd, options.output);
  if (
    target &&
    (await lstat(target).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    io.stderr(`semtrace translate: -o ${options.output} is a directory; give a file\n`);
    return 2;
  }
  // Every input is listed first: a missing file is said before anything is written.
  const files: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const walkEvents = {
    skipped: (note: { text: string; source?: { file: string } }) =>
      io.stderr(`${note.source?.file ?? ""}${note.source ? ": " : ""}${note.text} (skipped)\n`),
    rejected: (r: { source: { file: string }; reason: string }) => void problems.push(`${r.source.file}: ${r.reason}`),
  };
  for (const input of options.inputs)
    for (const f of await expandInput(input, io.cwd, walkEvents as never, seen))
      files.push(f.name === "-" ? "-" : path.resolve(io.cwd, f.name));
  if (problems.length > 0) {
    io.stderr(
      `${problems.join("\n")}\nsemtrace translate: ${problems.length} input${problems.length === 1 ? "" : "s"} could not be read; nothing was written.\n`,
    );
    return 1;
  }
  const temporary = target
    ? path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`)
    : undefined;
  const output = new Output(target, temporary, io.stdoutStream ?? process.stdout);
  const unmapped = new UnmappedList(options.maxListed);
  const counts: Counts = { spans: 0, translated: 0 };
  const state: { format?: string } = {};
  try {
    for (const file of files) await translateInput(file, options, io, translator, output, unmapped, counts, state);
    if (counts.spans === 0) {
      await output.discard();
      io.stderr("semtrace translate: no spans found in the inputs; nothing was written.\n");
      return 1;
    }
    await output.commit();
  } catch (error) {
    await output.discard();
    io.stderr(`${(error as Error).message}\nsemtrace translate: nothing was written.\n`);
    return 1;
  }

  const lines = [
    `${counts.spans} span${counts.spans === 1 ? "" : "s"} read, ${counts.translated} translated to ${options.to}${toStdout ? "" : ` → ${options.output}`} (${state.format ?? ""})`,
  ];
  if (unmapped.byKey.size > 0) {
    lines.push("Attributes with no counterpart in the target (kept on their spans):");
    for (const [key, u] of [...unmapped.byKey].sort((a, b) => b[1].spans - a[1].spans || (a[0] < b[0] ? -1 : 1))) {
      lines.push(`  ${key}  ${u.rule}  ${u.spans} span${u.spans === 1 ? "" : "s"}, first at ${u.first}: ${u.reason}`);
    }
    if (unmapped.omitted > 0) lines.push(`  … and ${unmapped.omitted} more (--max-listed)`);
  }
  io.stderr(`${lines.join("\n")}\n`);
  return 0;
}
