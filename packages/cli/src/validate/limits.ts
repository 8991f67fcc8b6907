/**
 * The caps `semtrace validate` puts on what an input can make it hold: each has a default and a flag, and
 * BENCHMARKS.md's reliability section lists them with the peak RSS measured at each.
 */

import { DEFAULT_MAX_DEPTH } from "./otlp.js";

/** Limits on reading one input (see `readRecords`). */
export interface Limits {
  /** The largest span (bytes of its JSON text or protobuf message); a larger one is rejected. */
  readonly maxRecordBytes: number;
  /**
   * The most JSON values (objects, arrays, strings, numbers…) or OTLP values (attributes and their elements) one span
   * may hold; a denser one is rejected. `JSON.parse` needs up to ~70 bytes of memory per value (35 per byte of
   * `[{},{},…]`): this, not the bytes, is what bounds the memory of parsing a span.
   */
  readonly maxSpanValues: number;
  /** The most spans one document (a JSON document or line, a protobuf message) may hold; the rest is not read. */
  readonly maxDocumentSpans: number;
  /** The largest single JSON document or protobuf message (bytes, decompressed); the rest of a larger one is not read. */
  readonly maxDocumentBytes: number;
  /** How deeply OTLP values (`arrayValue`, `kvlistValue`) may nest; deeper records are rejected. */
  readonly maxDepth: number;
  /**
   * The longest JSON text (characters) of an attribute whose content is checked against its shape (GenAI messages…);
   * longer text is checked for its syntax only. Checking builds the parsed value: up to ~35 bytes per character.
   */
  readonly maxContentChars?: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxRecordBytes: 64 * 1024 * 1024,
  maxSpanValues: 1_000_000,
  maxDocumentSpans: 1_000_000,
  maxDocumentBytes: 512 * 1024 * 1024,
  maxDepth: DEFAULT_MAX_DEPTH,
  maxContentChars: 1024 * 1024,
};

/**
 * JSON Lines lines up to this size are parsed whole with `JSON.parse` (the fastest way); longer ones are cut into
 * spans first (`json-stream.ts`, on the line in memory), so the values cap applies and memory holds one span at a
 * time: a line of this size costs at most ~35 MiB to parse, whatever it holds.
 */
export const WHOLE_LINE_BYTES = 1024 * 1024;

/**
 * JSON Lines lines up to this size are held in memory (and may go to a worker thread, several at a time); longer
 * ones, rare, are read from the input as a stream, span by span, in the reading thread, so no line is ever held
 * whole past this size.
 */
export const HELD_LINE_BYTES = 8 * 1024 * 1024;

/** How many findings of each rule the text, junit, github and sarif reports list (the rest are counted). */
export const DEFAULT_FINDINGS_PER_RULE = 100;

/** How many rejected records of each kind (and skipped files) are listed (the rest are counted). */
export const DEFAULT_LISTED_PER_KIND = 100;

/**
 * JSON nesting a span may have once its OTLP values nest `maxDepth` deep: an `arrayValue` or `kvlistValue` level
 * costs at most four JSON levels (`{"kvlistValue":{"values":[{"key":…,"value":`), plus the span's own levels.
 */
export function jsonDepthFor(maxDepth: number): number {
  return 4 * maxDepth + 16;
}

const UNITS: Readonly<Record<string, number>> = {
  "": 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/**
 * A size given on the command line: a whole number of bytes, or one with a binary unit (`64M`, `512MiB`, `1g`).
 * Returns the number, or a message saying what was expected.
 */
export function parseSize(text: string, flag: string): number | string {
  const match = /^(\d{1,16})\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  const value = match && unit !== undefined ? Number(match[1]) * unit : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1)
    return `${flag} expects a size in bytes (e.g. 1048576, 64M or 1G), found '${text}'`;
  return value;
}

/** A whole number from `min` to `max` given on the command line, or a message saying what was expected. */
export function parseCount(text: string, flag: string, min: number, max: number): number | string {
  const value = /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(value >= min && value <= max)) return `${flag} expects a whole number from ${min} to ${max}, found '${text}'`;
  return value;
}

/** The flags of the input caps (`Limits`), for `parseArgs`: every command that reads trace files takes them. */
export const INPUT_LIMIT_OPTIONS = {
  "max-record-bytes": { type: "string" },
  "max-span-values": { type: "string" },
  "max-document-spans": { type: "string" },
  "max-document-bytes": { type: "string" },
  "max-depth": { type: "string" },
} as const;

const MIB = 1024 * 1024;

/**
 * A whole number with its thousands grouped (`1,000,000`), as `toLocaleString("en-US")` writes it, without loading
 * ICU's number formatting: that costs ~25 ms of CPU on the first call, which help texts built at module level would
 * add to every cold start.
 */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Their `--help` lines, with the defaults. */
export const INPUT_LIMITS_HELP = `      --max-record-bytes <n>  Largest span, JSON or protobuf: a larger one is
                              rejected (default ${DEFAULT_LIMITS.maxRecordBytes / MIB}M). Documents, and JSON
                              Lines lines over 8 MiB, are read span by span
      --max-span-values <n>   Most values one span may hold: JSON values, or
                              attributes and their elements (default ${groupDigits(DEFAULT_LIMITS.maxSpanValues)});
                              parsing costs memory per value, not per byte
      --max-document-spans <n>
                              Most spans one JSON document or line, or one
                              protobuf message, may hold; the rest of it is
                              not read (default ${groupDigits(DEFAULT_LIMITS.maxDocumentSpans)})
      --max-document-bytes <n>
                              Largest JSON document or protobuf message,
                              decompressed; the rest of a larger one is not
                              read (default ${DEFAULT_LIMITS.maxDocumentBytes / MIB}M)
      --max-depth <n>         How deeply OTLP values (arrayValue, kvlistValue)
                              may nest (default ${DEFAULT_LIMITS.maxDepth})`;

/** The input caps from parsed flags (defaults where not given), or a message saying what was expected. */
export function inputLimitsFrom(
  values: { readonly [K in keyof typeof INPUT_LIMIT_OPTIONS]?: string | undefined },
): Limits | string {
  const given = (
    flag: keyof typeof INPUT_LIMIT_OPTIONS,
    fallback: number,
    parse: (text: string, flag: string) => number | string,
  ) => {
    const text = values[flag];
    return text === undefined ? fallback : parse(text, `--${flag}`);
  };
  const limits = {
    maxRecordBytes: given("max-record-bytes", DEFAULT_LIMITS.maxRecordBytes, parseSize),
    maxSpanValues: given("max-span-values", DEFAULT_LIMITS.maxSpanValues, (t, f) => parseCount(t, f, 1, 1e9)),
    maxDocumentSpans: given("max-document-spans", DEFAULT_LIMITS.maxDocumentSpans, (t, f) => parseCount(t, f, 1, 1e9)),
    maxDocumentBytes: given("max-document-bytes", DEFAULT_LIMITS.maxDocumentBytes, parseSize),
    maxDepth: given("max-depth", DEFAULT_LIMITS.maxDepth, (t, f) => parseCount(t, f, 1, 10_000)),
  };
  for (const value of Object.values(limits)) if (typeof value === "string") return value;
  return limits as { [K in keyof typeof limits]: number };
}
