// biome-ignore-all lint/suspicious/noExplicitAny: wraps users' iterators and streams of any element type in place; their protocol methods are called through untyped slots.
/**
 * Streams: a traced function that returns a generator, an async iterable, a `ReadableStream` (or a promise of
 * one) keeps its span open until the stream completes, errors, is returned early or cancelled — or, when
 * nobody reads it, until `streamTimeoutMs` of inactivity (default 5 minutes) pass.
 *
 * Generators and async iterables are instrumented in place (the same object is returned, so `instanceof`
 * and extra methods such as an SDK stream's `controller` keep working); a `ReadableStream` is replaced by a
 * `ReadableStream` of the same chunks.
 */
import { context, type Context } from "@opentelemetry/api";
import type { Attributes } from "@semtrace/openinference";
import type { Usage } from "./cost.js";
import { shapeOf } from "./shape.js";
import { TRUNCATED, type SpanHandle } from "./span.js";
import { swallowed } from "./swallowed.js";

/** What {@link StreamOptions.aggregate} derives from the chunks once the stream completes. */
export interface StreamSummary {
  /** Written as `output.value` (string → text/plain, else JSON). */
  readonly output?: unknown;
  /** Written as `llm.token_count.*` (and priced, for LLM spans). */
  readonly usage?: Usage;
  /** Written as `llm.model_name`. */
  readonly model?: string;
  readonly attributes?: Attributes;
}

export interface StreamOptions<Chunk> {
  /**
   * Derives output, usage and attributes from every chunk once the stream completes (or ends early). Without it,
   * string chunks are concatenated into `output.value` and other chunks are not kept.
   */
  readonly aggregate?: (chunks: readonly Chunk[]) => StreamSummary | undefined;
  /** Inactivity after which an unfinished stream's span is ended (event `semtrace.stream.timeout`). Default 300 000. */
  readonly streamTimeoutMs?: number;
}

export const DEFAULT_STREAM_TIMEOUT_MS = 300_000;

export const STREAM_EVENTS = {
  FIRST_CHUNK: "semtrace.stream.first_chunk",
  RETURNED: "semtrace.stream.returned",
  CANCELLED: "semtrace.stream.cancelled",
  TIMEOUT: "semtrace.stream.timeout",
} as const;

/** Attributes semtrace writes on stream spans (outside the OpenInference namespaces). */
export const STREAM_ATTRIBUTES = {
  TIME_TO_FIRST_CHUNK_MS: "semtrace.stream.time_to_first_chunk_ms",
  CHUNKS: "semtrace.stream.chunks",
  /**
   * Characters of all the string chunks, set when `output.value` holds only their beginning (cut at
   * `maxStreamOutputChars` or `maxSpanChars`, and marked `…[truncated]`).
   */
  OUTPUT_CHARS: "semtrace.stream.output_chars",
} as const;

type StreamKind = "iterator" | "async-iterator" | "async-iterable" | "readable-stream" | "event-stream";

/** Which stream shape a value is, if any. Plain arrays, strings, Maps and Sets are values, not streams. */
export function streamKind(value: unknown): StreamKind | undefined {
  if (value === null || typeof value !== "object") return undefined;
  try {
    if (typeof ReadableStream !== "undefined" && value instanceof ReadableStream) return "readable-stream";
    const v = value as Record<string | symbol, unknown>;
    // A Node.js stream (or any emitter-based stream): consumed through pipe()/'data' as often as by iteration.
    if (typeof v["pipe"] === "function" && typeof v["once"] === "function" && typeof v["on"] === "function")
      return "event-stream";
    const hasNext = typeof v["next"] === "function";
    if (typeof v[Symbol.asyncIterator] === "function") return hasNext ? "async-iterator" : "async-iterable";
    if (hasNext && typeof v[Symbol.iterator] === "function" && !Array.isArray(value)) return "iterator";
  } catch (error) {
    swallowed(
      "a returned value could not be inspected for a stream shape (a hostile proxy?), so it was treated as a plain value",
      error,
    );
  }
  return undefined;
}

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}

/** Tracks one stream's chunks and ends the span once. */
class StreamTracker<Chunk> {
  private readonly start = now();
  private chunks = 0;
  /** Every chunk, for `aggregate`. */
  private readonly kept: Chunk[] | undefined;
  /** String chunks, up to `textLimit` characters in all; `undefined` once a chunk is not a string. */
  private texts: string[] | undefined;
  private readonly textLimit: number;
  private textKept = 0;
  private textSeen = 0;
  private last = now();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private done = false;

  constructor(
    private readonly handle: SpanHandle,
    private readonly options: StreamOptions<Chunk>,
  ) {
    // A span that records nothing (no provider, sampled out) keeps nothing.
    this.kept = handle.recording && typeof options.aggregate === "function" ? [] : undefined;
    this.texts = handle.recording && this.kept === undefined ? [] : undefined;
    this.textLimit = handle.streamTextLimit();
    this.arm(this.timeoutMs());
    handle.onEnd = () => this.clear();
    // Ended early (provider shutdown): record what the stream produced so far, with the reason's event.
    handle.onInterrupt = (event) => this.finish(false, event);
  }

  private timeoutMs(): number {
    const ms = this.options.streamTimeoutMs;
    return typeof ms === "number" && ms >= 0 ? ms : DEFAULT_STREAM_TIMEOUT_MS;
  }

  private arm(ms: number): void {
    try {
      const t = setTimeout(() => this.onTimer(), ms);
      (t as { unref?: () => void }).unref?.();
      this.timer = t;
    } catch (error) {
      // No timers: the stream's own completion still ends the span.
      swallowed(
        "no timer could be set for a stream's inactivity timeout, so a stream nobody reads keeps its span open until it ends or the provider shuts down",
        error,
      );
    }
  }

  private onTimer(): void {
    if (this.done) return;
    const limit = this.timeoutMs();
    const idle = now() - this.last;
    if (idle < limit) {
      this.arm(limit - idle);
      return;
    }
    this.handle.addEvent(STREAM_EVENTS.TIMEOUT, { "semtrace.stream.timeout_ms": limit });
    this.finish(false);
  }

  private clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  touch(): void {
    this.last = now();
  }

  chunk(value: Chunk): void {
    if (this.done) return;
    this.last = now();
    if (this.chunks++ === 0) {
      const ttfc = this.last - this.start;
      this.handle.addEvent(STREAM_EVENTS.FIRST_CHUNK);
      this.handle.put(STREAM_ATTRIBUTES.TIME_TO_FIRST_CHUNK_MS, Math.round(ttfc * 1000) / 1000);
    }
    if (this.kept) this.kept.push(value);
    else if (this.texts) {
      if (typeof value === "string") this.keepText(value);
      else this.texts = undefined;
    }
  }

  /** Keeps string chunks only up to the limit, so a long stream does not hold all it ever said. */
  private keepText(text: string): void {
    this.textSeen += text.length;
    const room = this.textLimit - this.textKept;
    if (room <= 0 || text.length === 0) return;
    const piece = text.length <= room ? text : text.slice(0, room);
    const texts = this.texts!;
    texts.push(piece);
    this.textKept += piece.length;
    // Many small chunks: one string rather than an array entry per chunk.
    if (texts.length >= 1024) this.texts = [texts.join("")];
  }

  /** Completed (or returned early): summarise, set OK unless a status was set, end. */
  finish(ok: boolean, event?: string): void {
    if (this.done) return;
    this.done = true;
    this.clear();
    try {
      const h = this.handle;
      if (event) h.addEvent(event);
      h.put(STREAM_ATTRIBUTES.CHUNKS, this.chunks);
      if (this.kept && this.options.aggregate) {
        let summary: StreamSummary | undefined;
        try {
          summary = this.options.aggregate(this.kept);
        } catch (error) {
          swallowed("aggregate threw, so the stream's output was not recorded", error);
          summary = undefined;
        }
        if (summary) {
          if (summary.model !== undefined) h.setModel(summary.model);
          if (summary.usage !== undefined) h.setUsage(summary.usage);
          if (summary.attributes !== undefined) h.setAttributes(summary.attributes);
          if (summary.output !== undefined) h.setOutput(summary.output);
        }
      } else if (this.texts && this.texts.length > 0) {
        const text = this.texts.join("");
        this.texts = undefined;
        if (this.textSeen > this.textKept) {
          h.put(STREAM_ATTRIBUTES.OUTPUT_CHARS, this.textSeen);
          h.setOutput(text + TRUNCATED);
        } else h.setOutput(text);
      }
      if (ok) h.ok();
    } finally {
      this.handle.end();
    }
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    this.clear();
    this.handle.recordError(error);
    this.handle.end();
  }
}

function defineOwn(target: object, key: string | symbol, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}

/**
 * Instruments a stream so that the span ends with it. Returns the value to give the caller: the same object
 * for iterators and iterables, a new `ReadableStream` for readable streams; `undefined` when the value could
 * not be instrumented (a frozen object), in which case the caller ends the span itself.
 */
export function traceStream<T>(
  value: T,
  kind: StreamKind,
  handle: SpanHandle,
  options: StreamOptions<any>,
  ctx: Context,
): T | undefined {
  let tracker: StreamTracker<unknown>;
  try {
    tracker = new StreamTracker<unknown>(handle, options);
  } catch (error) {
    swallowed("the stream options could not be read, so the stream's span ended when it was returned", error);
    return undefined;
  }
  try {
    if (kind === "readable-stream")
      return wrapReadable(value as unknown as ReadableStream, tracker, ctx) as unknown as T;
    if (kind === "event-stream") {
      watchEmitter(value as unknown as Emitter, tracker);
      return value;
    }
    if (kind === "async-iterable") {
      const obj = value as unknown as AsyncIterable<unknown>;
      const original = obj[Symbol.asyncIterator];
      let started = false;
      defineOwn(obj, Symbol.asyncIterator, function (this: unknown) {
        const it = original.call(this);
        if (started) return it;
        started = true;
        return instrumentIterator(it as unknown as Record<string, any>, tracker, true, false, ctx);
      });
      return value;
    }
    instrumentIterator(value as unknown as Record<string, any>, tracker, kind === "async-iterator", true, ctx);
    return value;
  } catch (error) {
    swallowed(
      "a stream could not be instrumented (a frozen or hostile object?), so its span ended when it was returned",
      error,
    );
    tracker.finish(true);
    return undefined;
  }
}

/** Replaces next/return/throw of an iterator (in place when `inPlace`, else on a wrapper object). */
function instrumentIterator(
  it: Record<string, any>,
  tracker: StreamTracker<unknown>,
  isAsync: boolean,
  inPlace: boolean,
  ctx: Context,
): Record<string, any> {
  const next = it["next"] as (...a: unknown[]) => any;
  const ret = it["return"] as ((...a: unknown[]) => any) | undefined;
  const thr = it["throw"] as ((...a: unknown[]) => any) | undefined;
  const onResult = (r: IteratorResult<unknown>): IteratorResult<unknown> => {
    try {
      if (r?.done) tracker.finish(true);
      else tracker.chunk(r?.value);
    } catch (error) {
      swallowed(
        "a stream's iterator result could not be read (a throwing getter?), so that chunk was not recorded",
        error,
      );
    }
    return r;
  };
  const onError = (e: unknown): never => {
    tracker.fail(e);
    throw e;
  };
  const settle = (call: () => any, after: (r: any) => any): any => {
    let r: any;
    try {
      // The stream's own code (a generator body) runs under the span, so spans it starts nest under it.
      r = context.with(ctx, call);
    } catch (e) {
      // Not reported: the stream's own error; onError records it on the span and throws it on to the reader.
      return onError(e);
    }
    if (isAsync) {
      const shape = shapeOf(r);
      if (shape === "promise" || shape === "promise-subclass") return r.then(after, onError);
      // Not a promise: the iterator's own business. Its chunk goes unseen; return() or the timeout ends the span.
      if (shape === "thenable") return r;
    }
    return after(r);
  };
  const target: Record<string, any> = inPlace ? it : Object.create(null);
  if (!inPlace) {
    target[isAsync ? (Symbol.asyncIterator as any) : (Symbol.iterator as any)] = function (this: unknown) {
      return this;
    };
  }
  defineOwn(target, "next", function (this: unknown, ...args: unknown[]) {
    tracker.touch();
    return settle(() => next.apply(it, args), onResult);
  });
  defineOwn(target, "return", function (this: unknown, ...args: unknown[]) {
    const done = (r: any) => {
      tracker.finish(true, STREAM_EVENTS.RETURNED);
      return r;
    };
    if (!ret) {
      const r = { done: true, value: args[0] };
      done(r);
      return isAsync ? Promise.resolve(r) : r;
    }
    return settle(() => ret.apply(it, args), done);
  });
  if (thr || !inPlace) {
    defineOwn(target, "throw", function (this: unknown, ...args: unknown[]) {
      if (!thr) {
        tracker.fail(args[0]);
        if (isAsync) return Promise.reject(args[0]);
        throw args[0];
      }
      return settle(() => thr.apply(it, args), onResult);
    });
  }
  return target;
}

interface Emitter {
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  readonly errored?: unknown;
  readonly readableAborted?: boolean;
}

/**
 * Emitter streams end their span on 'end' or 'close' (an error shows as `errored` at 'close'). Only those two
 * events are listened to: a 'data' listener would switch the stream to flowing mode, and an 'error' listener
 * would stop an unhandled stream error from being thrown, changing the program's behaviour. Chunks are not
 * observed, so there is no first-chunk time or output for these streams.
 */
function watchEmitter(stream: Emitter, tracker: StreamTracker<unknown>): void {
  stream.once("end", () => tracker.finish(true));
  stream.once("close", () => {
    let errored: unknown;
    let aborted = false;
    try {
      errored = stream.errored;
      aborted = stream.readableAborted === true;
    } catch (error) {
      swallowed(
        "a closed stream's errored or readableAborted could not be read, so its span ended as completed",
        error,
      );
    }
    if (errored != null) tracker.fail(errored);
    else tracker.finish(true, aborted ? STREAM_EVENTS.CANCELLED : undefined);
  });
}

function wrapReadable(source: ReadableStream, tracker: StreamTracker<unknown>, ctx: Context): ReadableStream {
  let reader: ReadableStreamDefaultReader | undefined;
  return new ReadableStream(
    {
      async pull(controller) {
        tracker.touch();
        reader ??= source.getReader();
        let r: { done: boolean; value?: unknown };
        try {
          const read = reader;
          r = await context.with(ctx, () => read.read());
        } catch (e) {
          // Not reported: the stream's own error; it is recorded on the span and handed on to the reader.
          tracker.fail(e);
          controller.error(e);
          return;
        }
        if (r.done) {
          tracker.finish(true);
          controller.close();
        } else {
          tracker.chunk(r.value);
          controller.enqueue(r.value);
        }
      },
      cancel(reason) {
        tracker.finish(true, STREAM_EVENTS.CANCELLED);
        return (reader ?? source).cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
