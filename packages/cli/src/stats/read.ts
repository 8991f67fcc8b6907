/**
 * Reading the spans of `semtrace stats`'s inputs with validate's readers: the same inputs (files, directories,
 * stdin), formats (OTLP/JSON documents and JSON Lines, protobuf, gzip, plain span arrays), caps and messages, and
 * the same bookkeeping of rejected records and notes (the first of each kind listed, the rest counted).
 */
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import { lineEvents, readRecords, type InputFormat, type Source } from "../validate/input.js";
import type { Limits } from "../validate/limits.js";
import type { InputSpan } from "../validate/otlp.js";
import type { Collector } from "../validate/report.js";
import { expandInput } from "../validate/walk.js";

/** One input to read: where its bytes are (a path, or `-`) and the name it is reported under. */
export interface StatsInput {
  readonly path: string;
  readonly shown: string;
}

export interface ReadOptions {
  readonly cwd: string;
  readonly format: InputFormat;
  readonly limits: Limits;
  readonly stdin?: Readable;
  readonly signal?: AbortSignal;
}

/** Expands files and directories as validate does (skipped entries and unreadable ones go to `book`). */
export async function listInputs(inputs: readonly string[], cwd: string, book: Collector): Promise<StatsInput[]> {
  const seen = new Set<string>();
  const events = {
    skipped: (note: Parameters<Collector["note"]>[0]) => book.note(note),
    rejected: (r: Parameters<Collector["reject"]>[0]) => book.reject(r),
  };
  const out: StatsInput[] = [];
  for (const input of inputs) {
    for (const file of await expandInput(input, cwd, events, seen)) {
      out.push(
        file.name === "-" ? { path: "-", shown: "<stdin>" } : { path: resolve(cwd, file.name), shown: file.name },
      );
    }
  }
  return out;
}

/** What reading found: the inputs that held no span (the first few named, with why) and how many. */
export interface ReadSummary {
  readonly withoutSpans: readonly string[];
  readonly withoutSpansCount: number;
}

/** Inputs without spans named in the "no spans" message, at most. */
const NAMED_WITHOUT_SPANS = 10;

/**
 * Reads every input in order, handing each batch of spans to `onSpans` (JSON Lines are parsed here, line by line).
 * Rejected records and notes go to `book` when given (the first pass); a second pass over the same inputs passes
 * none, as it finds the same ones again.
 */
export async function readSpans(
  inputs: readonly StatsInput[],
  options: ReadOptions,
  onSpans: (spans: readonly InputSpan[], source: Source) => void,
  book?: Collector,
): Promise<ReadSummary> {
  const withoutSpans: string[] = [];
  let withoutSpansCount = 0;
  for (const input of inputs) {
    let spans = 0;
    let why = "no spans";
    let problems = 0;
    const records = readRecords(input.path, {
      format: options.format,
      limits: options.limits,
      ...(options.stdin ? { stdin: options.stdin } : {}),
    });
    for await (const record of records) {
      options.signal?.throwIfAborted();
      const events = record.kind === "line" ? lineEvents(input.shown, record.line, options.limits) : [record];
      for (const event of events) {
        if (event.kind === "rejected") {
          problems++;
          book?.reject({
            source: { ...event.source, file: input.shown },
            reason: event.reason,
            ...(event.category ? { category: event.category } : {}),
          });
          continue;
        }
        for (const note of event.notes ?? []) {
          if (note.category === "empty") why = note.text;
          else book?.note({ ...note, source: { ...event.source, file: input.shown } });
        }
        if (event.spans.length === 0) continue;
        spans += event.spans.length;
        onSpans(event.spans, { ...event.source, file: input.shown });
      }
    }
    if (spans > 0) continue;
    withoutSpansCount++;
    if (withoutSpans.length < NAMED_WITHOUT_SPANS)
      withoutSpans.push(`${input.shown} (${problems > 0 ? "rejected" : why})`);
  }
  return { withoutSpans, withoutSpansCount };
}
