/**
 * `semtrace translate --to genai|openinference <files…> -o <file>`: the spans of exported OTLP/JSON traces
 * (documents or JSON Lines, gzip too; what `validate` reads, within the same caps) in the other convention, for
 * backfilling stored traces. The output is OTLP/JSON Lines, one request per input record, written to a temporary
 * file beside the output and renamed into place only when every input was read: never half-written.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { lstat, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { DEFAULT_LIMITS, parseCount, parseSize } from "../validate/limits.js";
import { ShapeError } from "../validate/otlp.js";
import { translateRequest, type Target, type TranslateCounts, type Translator } from "./otlp-json.js";

export const TRANSLATE_HELP = `Usage: semtrace translate --to genai|openinference <file>... -o <file> [options]

Translates the spans of OTLP/JSON trace exports (a JSON document, or JSON Lines as
the OpenTelemetry Collector's file exporter writes them; gzip too) between the
OpenInference and OpenTelemetry GenAI conventions, and writes them as OTLP/JSON
Lines. Spans of the other convention are translated (GenAI spans renamed as GenAI
names them); spans already in the target convention, and spans of neither, are
written as they are. Attributes with no counterpart stay on their spans and are
listed on stderr. Resources, scopes, ids, times, events, links and status are kept.

Options:
  --to <convention>          genai or openinference (required).
  -o, --output <file>        Where to write (required); '-' for stdout. Written to a
                             temporary file and renamed into place at the end.
  --keep-source              Keep the source convention's attributes too (both sets
                             on every span, as the exporter's emit: "both").
  --max-document-bytes <n>   Largest input, decompressed (default 512M); a larger
                             one is an error.
  --max-record-bytes <n>     Largest JSON line (default 64M).
  --max-depth <n>            How deeply attribute values may nest (default 64).
  -h, --help                 Show this help.

Exit codes: 0 translated, 1 an input could not be read (nothing written), 2 usage error.
Protobuf exports are not read: export OTLP/JSON (the Collector's file exporter,
format json) to translate them.
`;

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
}

interface Options {
  readonly to: Target;
  readonly output: string;
  readonly keepSource: boolean;
  readonly inputs: readonly string[];
  readonly maxDocumentBytes: number;
  readonly maxRecordBytes: number;
  readonly maxDepth: number;
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
        "max-document-bytes": { type: "string" },
        "max-record-bytes": { type: "string" },
        "max-depth": { type: "string" },
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
  if (values.to !== "genai" && values.to !== "openinference") return values.to === undefined ? "missing --to genai|openinference" : `unknown --to '${values.to}': expected genai or openinference`;
  if (!values.output) return "missing -o <file> (or -o - for stdout)";
  if (positionals.length === 0) return "no input: give one or more OTLP/JSON files, or '-' for stdin";
  const numbers = {
    maxDocumentBytes: values["max-document-bytes"] === undefined ? DEFAULT_LIMITS.maxDocumentBytes : parseSize(values["max-document-bytes"], "--max-document-bytes"),
    maxRecordBytes: values["max-record-bytes"] === undefined ? DEFAULT_LIMITS.maxRecordBytes : parseSize(values["max-record-bytes"], "--max-record-bytes"),
    maxDepth: values["max-depth"] === undefined ? DEFAULT_LIMITS.maxDepth : parseCount(values["max-depth"], "--max-depth", 1, 10_000),
  };
  for (const value of Object.values(numbers)) if (typeof value === "string") return value;
  return { to: values.to, output: values.output, keepSource: values["keep-source"] ?? false, inputs: positionals, ...(numbers as { [K in keyof typeof numbers]: number }) };
}

/** An input's bytes, decompressed as they arrive, within the cap: a larger input is an error, never read in part. */
async function readBytes(file: string, o: Options, cwd: string): Promise<Buffer> {
  let source: Readable;
  if (file === "-") source = process.stdin;
  else {
    const full = path.resolve(cwd, file);
    const info = await stat(full);
    if (info.isDirectory()) throw new Error("is a directory: give the files in it");
    if (info.size > o.maxDocumentBytes) throw new Error(`${info.size} bytes, over --max-document-bytes (${o.maxDocumentBytes})`);
    source = createReadStream(full);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const over = () => new Error(`over --max-document-bytes (${o.maxDocumentBytes} bytes)${gzip ? " decompressed" : ""}`);
  let gzip = false;
  let stream: AsyncIterable<Buffer> = source;
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return Buffer.alloc(0);
  const head = first.value as Buffer;
  const rest = Readable.from((async function* () {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value as Buffer;
  })());
  stream = rest;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    gzip = true;
    const gunzip = createGunzip();
    rest.on("error", (error) => gunzip.destroy(error));
    stream = rest.pipe(gunzip);
  }
  try {
    for await (const chunk of stream) {
      size += chunk.length;
      if (size > o.maxDocumentBytes) {
        (stream as Readable).destroy?.();
        source.destroy();
        throw over();
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if ((error as Error).message.startsWith("over --max")) throw error;
    throw new Error(gzip ? `invalid gzip: ${(error as Error).message}` : (error as Error).message);
  }
  return Buffer.concat(chunks);
}

/** The input's records: one JSON document, or one per line when the first line is a JSON value by itself. */
function* records(text: string, o: Options): Generator<{ line: number; text: string }> {
  const lines = text.split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first < 0) return;
  let jsonLines = false;
  try {
    JSON.parse(lines[first]!);
    jsonLines = /^\s*[[{]/.test(lines[first]!);
  } catch {
    jsonLines = false;
  }
  if (!jsonLines) {
    yield { line: first + 1, text };
    return;
  }
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() === "") continue;
    if (Buffer.byteLength(lines[i]!) > o.maxRecordBytes) throw Object.assign(new Error(`line ${i + 1}: over --max-record-bytes (${o.maxRecordBytes} bytes)`), { line: i + 1 });
    yield { line: i + 1, text: lines[i]! };
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
    io.stderr(`semtrace translate: needs the package @semtrace/translate (npm install @semtrace/translate): ${(error as Error).message}\n`);
    return 1;
  }

  const toStdout = options.output === "-";
  const target = toStdout ? "" : path.resolve(io.cwd, options.output);
  if (!toStdout && (await lstat(target).then((s) => s.isDirectory(), () => false))) {
    io.stderr(`semtrace translate: -o ${options.output} is a directory; give a file\n`);
    return 2;
  }
  const temporary = toStdout ? "" : path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const out: string[] = [];
  const counts: TranslateCounts = { spans: 0, translated: 0, unmapped: new Map() };
  let failed = 0;
  let outBytes = 0;
  const stream = toStdout ? undefined : createWriteStream(temporary, { flags: "wx" });
  const write = async (text: string): Promise<void> => {
    outBytes += text.length;
    if (toStdout) out.push(text);
    else if (!stream!.write(text)) await new Promise<void>((resolve) => stream!.once("drain", () => resolve()));
  };

  try {
    for (const input of options.inputs) {
      const name = input === "-" ? "<stdin>" : input;
      let bytes: Buffer;
      try {
        bytes = await readBytes(input, options, io.cwd);
      } catch (error) {
        io.stderr(`${name}: ${(error as Error).message}\n`);
        failed++;
        continue;
      }
      const firstByte = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
      if (firstByte !== undefined && firstByte !== 0x7b && firstByte !== 0x5b) {
        io.stderr(`${name}: not OTLP/JSON (the first byte is 0x${firstByte.toString(16).padStart(2, "0")}); protobuf exports are not read: export OTLP/JSON to translate them\n`);
        failed++;
        continue;
      }
      const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      try {
        for (const record of records(text, options)) {
          let request: unknown;
          try {
            request = JSON.parse(record.text);
          } catch (error) {
            throw new Error(`line ${record.line}: invalid JSON: ${(error as Error).message}`);
          }
          const requests = Array.isArray(request) ? request : [request];
          for (const r of requests) {
            try {
              translateRequest(r, translator, options.to, options.keepSource, counts, options.maxDepth);
            } catch (error) {
              throw new Error(`line ${record.line}: ${error instanceof ShapeError ? error.message : String(error)}`);
            }
            await write(`${JSON.stringify(r)}\n`);
          }
        }
      } catch (error) {
        io.stderr(`${name}: ${(error as Error).message}\n`);
        failed++;
      }
    }
    if (stream) await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (failed > 0) {
      if (!toStdout) await rm(temporary, { force: true });
      io.stderr(`semtrace translate: ${failed} input${failed === 1 ? "" : "s"} could not be read; nothing was written.\n`);
      return 1;
    }
    if (counts.spans === 0) {
      if (!toStdout) await rm(temporary, { force: true });
      io.stderr("semtrace translate: no spans found in the inputs; nothing was written.\n");
      return 1;
    }
    if (toStdout) io.stdout(out.join(""));
    else await rename(temporary, target);
  } catch (error) {
    if (!toStdout) await rm(temporary, { force: true }).catch(() => {});
    io.stderr(`semtrace translate: ${(error as Error).message}; nothing was written.\n`);
    return 1;
  }

  const lines = [`${counts.spans} span${counts.spans === 1 ? "" : "s"}, ${counts.translated} translated to ${options.to}${toStdout ? "" : ` → ${options.output} (${outBytes} bytes)`}`];
  if (counts.unmapped.size > 0) {
    lines.push("Attributes with no counterpart (kept on their spans):");
    for (const [key, { count, reason }] of [...counts.unmapped].sort((a, b) => b[1].count - a[1].count)) lines.push(`  ${key} (${count}): ${reason}`);
  }
  io.stderr(`${lines.join("\n")}\n`);
  return 0;
}
