import { SpanStatusCode } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import {
  DEFAULT_MAX_STREAM_OUTPUT_CHARS,
  STREAM_ATTRIBUTES,
  STREAM_EVENTS,
  configure,
  resetConfig,
  startActiveSpan,
  traceChain,
  traceLLM,
} from "../src/index.js";
import { configFromEnv } from "../src/config.js";
import { expectValid, setupTracing } from "./support/otel.js";

const t = setupTracing();
beforeEach(() => t.reset());

const tick = () => new Promise((r) => setTimeout(r, 1));

function eventNames(name: string): string[] {
  return t.span(name).events.map((e) => e.name);
}

describe("streams", () => {
  it("sync generator: span ends when it completes, not before", () => {
    const gen = traceChain(function* numbers(n: number) {
      for (let i = 0; i < n; i++) yield i;
    });
    const it = gen(3);
    expectTypeOf(it).toEqualTypeOf<Generator<number, void, unknown>>();
    expect(t.spans()).toHaveLength(0);
    expect(it.next()).toEqual({ value: 0, done: false });
    expect(t.spans()).toHaveLength(0);
    expect([...it]).toEqual([1, 2]);
    const span = t.span("numbers");
    expect(span.status.code).toBe(SpanStatusCode.OK);
    expect(span.attributes[STREAM_ATTRIBUTES.CHUNKS]).toBe(3);
    expect(typeof span.attributes[STREAM_ATTRIBUTES.TIME_TO_FIRST_CHUNK_MS]).toBe("number");
    expect(eventNames("numbers")).toEqual([STREAM_EVENTS.FIRST_CHUNK]);
    expectValid(t.spans());
  });

  it("sync generator: early return() (break) ends the span", () => {
    const gen = traceChain(function* letters() {
      yield "a";
      yield "b";
      yield "c";
    });
    for (const x of gen()) if (x === "a") break;
    expect(eventNames("letters")).toEqual([STREAM_EVENTS.FIRST_CHUNK, STREAM_EVENTS.RETURNED]);
    expect(t.span("letters").attributes["output.value"]).toBe("a");
  });

  it("async generator: completes, keeps identity, aggregates string chunks into output", async () => {
    const gen = traceLLM(async function* tokens() {
      yield "Hel";
      await tick();
      yield "lo";
    });
    const it = gen();
    expect(Object.prototype.toString.call(it)).toBe("[object AsyncGenerator]");
    const out: string[] = [];
    for await (const c of it) {
      out.push(c);
      expect(t.spans()).toHaveLength(0);
    }
    expect(out).toEqual(["Hel", "lo"]);
    expect(t.span("tokens").attributes).toMatchObject({ "output.value": "Hello", "output.mime_type": "text/plain" });
  });

  it("async generator: an error in the stream is recorded and re-thrown", async () => {
    const err = new Error("stream broke");
    const gen = traceLLM(async function* broken() {
      yield 1;
      throw err;
    });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const c of gen()) seen.push(c);
      })(),
    ).rejects.toBe(err);
    expect(seen).toEqual([1]);
    const span = t.span("broken");
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events.map((e) => e.name)).toContain("exception");
  });

  it("async generator: early return() ends the span", async () => {
    const gen = traceLLM(async function* endless() {
      for (let i = 0; ; i++) yield i;
    });
    for await (const x of gen()) if (x === 2) break;
    expect(eventNames("endless")).toEqual([STREAM_EVENTS.FIRST_CHUNK, STREAM_EVENTS.RETURNED]);
    expect(t.span("endless").attributes[STREAM_ATTRIBUTES.CHUNKS]).toBe(3);
  });

  it("async generator aborted by an AbortSignal: the abort error is recorded", async () => {
    const controller = new AbortController();
    const gen = traceLLM(async function* abortable(signal: AbortSignal) {
      for (let i = 0; ; i++) {
        signal.throwIfAborted();
        yield i;
        await tick();
      }
    });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const x of gen(controller.signal)) {
          seen.push(x);
          if (x === 1) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(seen).toEqual([0, 1]);
    expect(t.span("abortable").status.code).toBe(SpanStatusCode.ERROR);
  });

  it("promise of an async iterable (an SDK stream object): instrumented in place, identity kept", async () => {
    class SdkStream {
      controller = new AbortController();
      async *[Symbol.asyncIterator]() {
        yield { delta: "a", usage: undefined as undefined | { input: number; output: number } };
        yield { delta: "b", usage: { input: 7, output: 2 } };
      }
    }
    const stream = new SdkStream();
    const create = traceLLM(async (_prompt: string) => stream, {
      name: "sdk",
      aggregate: (chunks) => {
        expectTypeOf(chunks).toEqualTypeOf<
          readonly { delta: string; usage: undefined | { input: number; output: number } }[]
        >();
        return { output: chunks.map((c) => c.delta).join(""), usage: chunks.at(-1)?.usage, model: "gpt-4o" };
      },
    });
    const got = await create("p");
    expect(got).toBe(stream);
    expect(got).toBeInstanceOf(SdkStream);
    expect(t.spans()).toHaveLength(0);
    const deltas: string[] = [];
    for await (const c of got) deltas.push(c.delta);
    expect(deltas).toEqual(["a", "b"]);
    const span = t.span("sdk");
    expect(span.attributes).toMatchObject({
      "output.value": "ab",
      "llm.token_count.prompt": 7,
      "llm.token_count.completion": 2,
      "llm.token_count.total": 9,
      "llm.model_name": "gpt-4o",
    });
    expect(span.attributes["llm.cost.total"]).toBeCloseTo((7 * 2.5 + 2 * 10) / 1e6, 12);
    expectValid(t.spans());
  });

  it("ReadableStream: ends when read to the end", async () => {
    const make = traceChain(function body() {
      return new ReadableStream<string>({
        start(c) {
          c.enqueue("x");
          c.enqueue("y");
          c.close();
        },
      });
    });
    const stream = make();
    expect(stream).toBeInstanceOf(ReadableStream);
    const chunks: string[] = [];
    for await (const c of stream as unknown as AsyncIterable<string>) chunks.push(c);
    expect(chunks).toEqual(["x", "y"]);
    expect(t.span("body").attributes).toMatchObject({ "output.value": "xy", [STREAM_ATTRIBUTES.CHUNKS]: 2 });
    expect(t.span("body").status.code).toBe(SpanStatusCode.OK);
  });

  it("ReadableStream: cancel() (abort by the reader) ends the span and cancels the source", async () => {
    let cancelled: unknown;
    const make = traceChain(async function cancellable() {
      return new ReadableStream<number>({
        pull(c) {
          c.enqueue(1);
        },
        cancel(reason) {
          cancelled = reason;
        },
      });
    });
    const reader = (await make()).getReader();
    await reader.read();
    await reader.cancel("user left");
    expect(cancelled).toBe("user left");
    expect(eventNames("cancellable")).toEqual([STREAM_EVENTS.FIRST_CHUNK, STREAM_EVENTS.CANCELLED]);
  });

  it("ReadableStream: an erroring source records the error", async () => {
    const err = new Error("source failed");
    const make = traceChain(function failing() {
      return new ReadableStream({
        pull() {
          throw err;
        },
      });
    });
    await expect(make().getReader().read()).rejects.toBe(err);
    expect(t.span("failing").status.code).toBe(SpanStatusCode.ERROR);
  });

  it("a stream nobody reads ends after the inactivity timeout", async () => {
    const gen = traceLLM(
      async function* ignored() {
        yield 1;
      },
      { streamTimeoutMs: 30 },
    );
    gen();
    expect(t.spans()).toHaveLength(0);
    await vi.waitFor(() => expect(t.spans()).toHaveLength(1), { timeout: 3000, interval: 10 });
    expect(eventNames("ignored")).toEqual([STREAM_EVENTS.TIMEOUT]);
    expect(t.span("ignored").status.code).toBe(SpanStatusCode.UNSET);
  });

  it("a slow but active stream is not cut by the timeout (the timer re-arms on activity)", async () => {
    // 8 gaps of 30 ms (240 ms in all) under a 150 ms inactivity timeout: the timer fires mid-stream and re-arms.
    const gen = traceLLM(
      async function* slow() {
        for (let i = 0; i < 8; i++) {
          await new Promise((r) => setTimeout(r, 30));
          yield i;
        }
      },
      { streamTimeoutMs: 150 },
    );
    const seen: number[] = [];
    for await (const x of gen()) seen.push(x);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(eventNames("slow")).toEqual([STREAM_EVENTS.FIRST_CHUNK]);
    expect(t.span("slow").status.code).toBe(SpanStatusCode.OK);
  });

  it("startActiveSpan returning a stream keeps the span open until it ends; children nest", async () => {
    const child = traceChain(async (x: number) => x * 2, { name: "child" });
    const stream = startActiveSpan("agent", "agent-stream", (span) => {
      span.record({ name: "streamer" });
      return (async function* () {
        yield await child(1);
        yield await child(2);
      })();
    });
    const out: number[] = [];
    for await (const x of stream) out.push(x);
    expect(out).toEqual([2, 4]);
    const parent = t.span("agent-stream");
    expect(
      t
        .spans()
        .filter((s) => s.name === "child")
        .every((c) => c.parentSpanContext?.spanId === parent.spanContext().spanId),
    ).toBe(true);
  });
});

describe("Promise subclasses (SDK API promises)", () => {
  /** As the OpenAI and Anthropic SDKs' API promises: a Promise subclass whose `then` hands out another promise's value. */
  class ApiPromise<T> extends Promise<T> {
    readonly #inner: Promise<T>;
    constructor(inner: Promise<T>) {
      super((resolve) => resolve(undefined as T));
      this.#inner = inner;
    }
    static override get [Symbol.species]() {
      return Promise;
    }
    override then<A = T, B = never>(
      onOk?: ((v: T) => A | PromiseLike<A>) | null,
      onErr?: ((e: unknown) => B | PromiseLike<B>) | null,
    ): Promise<A | B> {
      return this.#inner.then(onOk, onErr);
    }
    withResponse(): string {
      return "extra method";
    }
  }

  it("are returned unchanged (extra methods kept) and observed", async () => {
    const call = traceLLM((x: number) => new ApiPromise(Promise.resolve(x * 2)), { name: "api" });
    const p = call(21);
    expect(p).toBeInstanceOf(ApiPromise);
    expect(p.withResponse()).toBe("extra method");
    expect(await p).toBe(42);
    await tick();
    expect(t.span("api").attributes["output.value"]).toBe("42");
  });

  it("an async iterable they resolve to is instrumented in place", async () => {
    async function* gen() {
      yield "a";
      yield "b";
    }
    const call = traceLLM(() => new ApiPromise(Promise.resolve(gen())), { name: "api-stream" });
    const chunks: string[] = [];
    for await (const c of await call()) chunks.push(c);
    expect(chunks).toEqual(["a", "b"]);
    expect(t.span("api-stream").attributes["output.value"]).toBe("ab");
  });

  it("a rejection is recorded", async () => {
    const err = new Error("api down");
    const call = traceLLM(() => new ApiPromise(Promise.reject(err)), { name: "api-fail" });
    await expect(call()).rejects.toBe(err);
    await tick();
    expect(t.span("api-fail").status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe("Node.js streams", () => {
  it("a Readable piped elsewhere ends the span on 'end'", async () => {
    const { Readable, Writable } = await import("node:stream");
    const { pipeline } = await import("node:stream/promises");
    const make = traceChain(function nodeStream() {
      return Readable.from(["a", "b", "c"]);
    });
    const got: string[] = [];
    const readable = make();
    expect(readable).toBeInstanceOf(Readable);
    await pipeline(
      readable,
      new Writable({
        objectMode: true,
        write(chunk, _enc, cb) {
          got.push(String(chunk));
          cb();
        },
      }),
    );
    await tick();
    expect(got).toEqual(["a", "b", "c"]);
    expect(t.span("nodeStream").status.code).toBe(SpanStatusCode.OK);
  });

  it("a destroyed Readable records its error (and still throws to its own listeners)", async () => {
    const { Readable } = await import("node:stream");
    const err = new Error("disk gone");
    const make = traceChain(function brokenStream() {
      return new Readable({ read() {} });
    });
    const r = make();
    const seen = new Promise((resolve) => r.once("error", resolve));
    r.destroy(err);
    expect(await seen).toBe(err);
    await tick();
    expect(t.span("brokenStream").status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe("string streams keep only the output they record", () => {
  async function* words(n: number) {
    for (let i = 0; i < n; i++) yield "abcdef";
  }

  afterEach(() => resetConfig());

  it("maxSpanChars: the output is the stream's beginning, marked …[truncated], with the full length in semtrace.stream.output_chars", async () => {
    const stream = traceLLM(words, { name: "budgeted", config: { maxSpanChars: 10 }, captureInput: false });
    for await (const _ of stream(5));
    const span = t.span("budgeted");
    expect(span.attributes["output.value"]).toBe("abcdefabcd…[truncated]");
    expect(span.attributes[STREAM_ATTRIBUTES.OUTPUT_CHARS]).toBe(30);
    expect(span.attributes[STREAM_ATTRIBUTES.CHUNKS]).toBe(5);
    expect(span.status.code).toBe(SpanStatusCode.OK);
  });

  it("maxStreamOutputChars caps the output with no span budget; the default is 1 MiB characters", async () => {
    for await (const _ of traceLLM(words, { name: "capped", config: { maxStreamOutputChars: 8 } })(3));
    expect(t.span("capped").attributes["output.value"]).toBe("abcdefab…[truncated]");
    expect(t.span("capped").attributes[STREAM_ATTRIBUTES.OUTPUT_CHARS]).toBe(18);
    expect(DEFAULT_MAX_STREAM_OUTPUT_CHARS).toBe(1_048_576);
  });

  it("the budget other attributes spent is taken into account, and the marker appears once", async () => {
    const stream = traceChain((_q: string) => words(5), { name: "shared", config: { maxSpanChars: 20 } });
    for await (const _ of stream("hello"));
    const span = t.span("shared");
    // input.value "hello" (5) + input.mime_type "text/plain" (10) leave 5 characters for the output.
    expect(span.attributes["output.value"]).toBe("abcde…[truncated]");
    expect(span.attributes[STREAM_ATTRIBUTES.OUTPUT_CHARS]).toBe(30);
  });

  it("an output within the limits is whole, with no output_chars", async () => {
    for await (const _ of traceLLM(words, { name: "whole", config: { maxSpanChars: 1000 } })(3));
    expect(t.span("whole").attributes["output.value"]).toBe("abcdefabcdefabcdef");
    expect(t.span("whole").attributes[STREAM_ATTRIBUTES.OUTPUT_CHARS]).toBeUndefined();
  });

  it("a ReadableStream, a stream returned early and one cut by the timeout are capped alike", async () => {
    const readable = traceChain(
      () =>
        new ReadableStream<string>({
          start(c) {
            for (let i = 0; i < 4; i++) c.enqueue("abcdef");
            c.close();
          },
        }),
      { name: "readable", config: { maxStreamOutputChars: 4 } },
    );
    for await (const _ of readable() as unknown as AsyncIterable<string>);
    expect(t.span("readable").attributes["output.value"]).toBe("abcd…[truncated]");

    for await (const w of traceLLM(words, { name: "early", config: { maxStreamOutputChars: 4 } })(10)) if (w) break;
    expect(t.span("early").attributes["output.value"]).toBe("abcd…[truncated]");

    const it = traceLLM(words, { name: "idle", config: { maxStreamOutputChars: 4 }, streamTimeoutMs: 20 })(10);
    await it.next();
    await it.next();
    await vi.waitFor(() => expect(t.spans().some((s) => s.name === "idle")).toBe(true), {
      timeout: 3000,
      interval: 10,
    });
    expect(t.span("idle").attributes["output.value"]).toBe("abcd…[truncated]");
    expect(t.span("idle").attributes[STREAM_ATTRIBUTES.OUTPUT_CHARS]).toBe(12);
  });

  it("configure() and SEMTRACE_MAX_STREAM_OUTPUT_CHARS set it globally; Infinity lifts it", async () => {
    configure({ maxStreamOutputChars: 3 });
    for await (const _ of traceLLM(words, { name: "global" })(2));
    expect(t.span("global").attributes["output.value"]).toBe("abc…[truncated]");
    configure({ maxStreamOutputChars: Number.POSITIVE_INFINITY });
    for await (const _ of traceLLM(words, { name: "lifted" })(2));
    expect(t.span("lifted").attributes["output.value"]).toBe("abcdefabcdef");
    vi.stubEnv("SEMTRACE_MAX_STREAM_OUTPUT_CHARS", "2");
    try {
      expect(configFromEnv().maxStreamOutputChars).toBe(2);
      resetConfig();
      for await (const _ of traceLLM(words, { name: "env" })(2));
      expect(t.span("env").attributes["output.value"]).toBe("ab…[truncated]");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("a span that records nothing keeps nothing (aggregate is not even called)", async () => {
    const { BasicTracerProvider } = await import("@opentelemetry/sdk-trace-base");
    const sampledOut = new BasicTracerProvider({
      sampler: { shouldSample: () => ({ decision: 0 }), toString: () => "off" },
    });
    let aggregated = 0;
    const stream = traceLLM(words, { tracer: sampledOut.getTracer("t"), aggregate: () => (aggregated++, {}) });
    const seen: string[] = [];
    for await (const w of stream(3)) seen.push(w);
    expect(seen).toHaveLength(3);
    expect(aggregated).toBe(0);
  });
});
