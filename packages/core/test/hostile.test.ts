/**
 * Every exported entry point of @semtrace/core against hostile values: nothing throws into the caller, the
 * user's function still runs and its result comes back (the very value), every span started ends, no thenable
 * is `then`-ed by semtrace, and what core swallowed is reported through `diag` once per cause, not per call.
 */
import { DiagLogLevel, SpanStatusCode, context, diag } from "@opentelemetry/api";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_PRICES,
  PricingSpanExporter,
  SemtraceContextSpanProcessor,
  SpanValidationError,
  ValidatingSpanProcessor,
  clearTraceContext,
  computeCost,
  configure,
  currentSpan,
  findPrice,
  getTraceContext,
  redactAttributes,
  resetConfig,
  setDefaultPrices,
  setTraceContext,
  startActiveSpan,
  startSpan,
  traceAgent,
  traceChain,
  traceEmbedding,
  traceEvaluator,
  traceGuardrail,
  traceLLM,
  tracePrompt,
  traceReranker,
  traceRetriever,
  traceOperation,
  traceTool,
  traced,
  withContext,
  withSpan,
  type SemtraceSpan,
} from "../src/index.js";
import { configFromEnv } from "../src/config.js";
import { resetSwallowed } from "../src/swallowed.js";
import { localProvider, setupTracing } from "./support/otel.js";

/** Spans started and ended, whoever started them. */
const balance = { started: 0, ended: 0 };
const counting: SpanProcessor = {
  onStart: () => void balance.started++,
  onEnd: () => void balance.ended++,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
const t = setupTracing([counting]);

// ---------------------------------------------------------------------------------------------------------------
// Hostile values

const TRAPS = [
  "get",
  "set",
  "has",
  "ownKeys",
  "getOwnPropertyDescriptor",
  "getPrototypeOf",
  "setPrototypeOf",
  "defineProperty",
  "deleteProperty",
  "isExtensible",
  "preventExtensions",
  "apply",
  "construct",
] as const;
const throwEverywhere = Object.fromEntries(
  TRAPS.map((trap) => [
    trap,
    () => {
      throw new Error(`hostile ${trap} trap`);
    },
  ]),
) as ProxyHandler<object>;

/** Keys core (or anything it calls) may read off a value; each getter throws. */
const READ_KEYS = [
  "then",
  "name",
  "length",
  "value",
  "message",
  "code",
  "context",
  "span",
  "getValue",
  "models",
  "version",
  "input",
  "output",
  "total",
  "cacheRead",
  "tags",
  "metadata",
  "sessionId",
  "userId",
  "promptTemplate",
  "attributes",
  "config",
  "tracer",
  "links",
  "prices",
  "mode",
  "logger",
  "registries",
  "minSeverity",
  "processInput",
  "processOutput",
  "aggregate",
  "captureInput",
  "captureOutput",
  "streamTimeoutMs",
  "maxSpanChars",
  "hideInputs",
  "constructor",
  "toJSON",
  "next",
  "pipe",
  "on",
  "once",
];

/** A thenable whose `then` runs work, counted: semtrace must never call it. */
const thens = { count: 0 };
const workOnThen = {
  then(onOk?: (v: string) => unknown, onErr?: (e: unknown) => unknown) {
    thens.count++;
    return Promise.resolve("ran").then(onOk, onErr);
  },
};

function nested(depth: number, array: boolean): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < depth; i++) v = array ? [v] : { v };
  return v;
}

const HUGE = "x".repeat(100_000_000);
const cyclic: Record<string, unknown> = { name: "cyclic" };
cyclic["self"] = cyclic;
const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, {
  name: "no prototype",
  inner: Object.create(null),
});
const throwingGetters = Object.defineProperties(
  {},
  Object.fromEntries(
    READ_KEYS.map((key) => [
      key,
      {
        enumerable: true,
        get() {
          throw new Error(`hostile getter ${key}`);
        },
      },
    ]),
  ),
);
const throwingToJSON = {
  toJSON() {
    throw new Error("hostile toJSON");
  },
};
const throwingConversions = {
  toString() {
    throw new Error("hostile toString");
  },
  valueOf() {
    throw new Error("hostile valueOf");
  },
  [Symbol.toPrimitive]() {
    throw new Error("hostile toPrimitive");
  },
};
const frozen = Object.freeze({ name: "frozen", list: Object.freeze([1, 2, 3]), inner: Object.freeze({ a: 1 }) });
const revocable = Proxy.revocable({}, {});
revocable.revoke();
const thenGetterThrows = Object.defineProperty({}, "then", {
  get() {
    throw new Error("hostile then getter");
  },
});

const HOSTILE: readonly (readonly [string, unknown])[] = [
  ["a proxy whose every trap throws", new Proxy({}, throwEverywhere)],
  ["a function proxy whose every trap throws", new Proxy(function target() {}, throwEverywhere)],
  ["a revoked proxy", revocable.proxy],
  ["a 100 MB string", HUGE],
  ["a cyclic object", cyclic],
  ["a BigInt", 2n ** 100n],
  ["a symbol", Symbol("hostile")],
  ["a null-prototype object", nullProto],
  ["an object whose getters throw", throwingGetters],
  ["an object whose toJSON throws", throwingToJSON],
  ["an object whose toString, valueOf and Symbol.toPrimitive throw", throwingConversions],
  ["a frozen object", frozen],
  ["NaN", Number.NaN],
  ["-Infinity", Number.NEGATIVE_INFINITY],
  ["an object nested 100 000 deep", nested(100_000, false)],
  ["an array nested 100 000 deep", nested(100_000, true)],
  ["null", null],
  ["undefined", undefined],
  ["a thenable whose then runs work", workOnThen],
  ["an object whose then getter throws", thenGetterThrows],
];

// ---------------------------------------------------------------------------------------------------------------
// Entry points

/** The user's function: counts its calls and returns what it was given. */
const calls = { count: 0 };
function echo<T>(value: T): T {
  calls.count++;
  return value;
}

/** `got` is the very value `h` (no formatting of hostile values in failure messages). */
function same(got: unknown, h: unknown, what = "the user's value"): void {
  expect(Object.is(got, h), `${what} came back as is`).toBe(true);
}

async function collectAsync<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of stream) out.push(x);
  return out;
}

/** `callsUser`: how often the entry calls the user's function (default 1); `thensOfItsOwn`: how often the entry's own code `then`s a thenable h (traced and untraced calls alike). */
type Entry = readonly [
  name: string,
  run: (h: any) => unknown,
  options?: { readonly callsUser?: number; readonly thensOfItsOwn?: number },
];

const WRAPPERS = {
  traceLLM,
  traceAgent,
  traceTool,
  traceChain,
  traceRetriever,
  traceReranker,
  traceEmbedding,
  traceGuardrail,
  traceEvaluator,
  tracePrompt,
  traceOperation,
};

/** Runs every handle method with `h` in each parameter. */
function handleMethods(): Entry[] {
  const methods: [string, (span: SemtraceSpan & Record<string, any>, h: any) => unknown][] = [
    ["set(h, h)", (s, h) => (s.set as (k: unknown, v: unknown) => unknown)(h, h)],
    ['set("input.value", h)', (s, h) => s.set("input.value", h)],
    ["setAttributes(h)", (s, h) => s.setAttributes(h)],
    ['setAttributes({ "output.value": h })', (s, h) => s.setAttributes({ "output.value": h })],
    ["setCustom(h, h)", (s, h) => s.setCustom(h, h)],
    ["record(h)", (s, h) => s.record(h)],
    ["setInput(h, h)", (s, h) => s.setInput(h, h)],
    ["setOutput(h, h)", (s, h) => s.setOutput(h, h)],
    ["setModel(h, h)", (s, h) => s["setModel"](h, h)],
    ["setUsage(h)", (s, h) => s["setUsage"](h)],
    ["setCost(h)", (s, h) => s["setCost"](h)],
    ["addEvent(h, h, h)", (s, h) => s.addEvent(h, h, h)],
    ["addLink(h)", (s, h) => s.addLink(h)],
    ["recordError(h)", (s, h) => s.recordError(h)],
    ["setStatus(h)", (s, h) => s.setStatus(h)],
    ["updateName(h)", (s, h) => s.updateName(h)],
    [
      "run(() => h)",
      (s, h) =>
        same(
          s.run(() => echo(h)),
          h,
        ),
    ],
  ];
  return methods.map(
    ([name, call]): Entry => [
      `span handle ${name}`,
      (h) => {
        const result = startActiveSpan("LLM", "handle", (span) => {
          call(span as SemtraceSpan & Record<string, any>, h);
          span.isRecording();
          span.spanContext();
          return echo("done");
        });
        expect(result).toBe("done");
      },
      { callsUser: name.startsWith("run") ? 2 : 1 },
    ],
  );
}

const ENTRIES: readonly Entry[] = [
  ...Object.entries(WRAPPERS).map(
    ([name, wrap]): Entry => [`${name}(fn)(h): argument and result`, (h) => same(wrap(echo)(h), h)],
  ),
  ['withSpan("CHAIN", fn)(h)', (h) => same(withSpan("CHAIN", echo)(h), h)],
  ["withSpan(h, fn) (hostile kind)", (h) => same(withSpan(h, echo)("v"), "v")],
  ["withSpan(kind, fn, h) (hostile options)", (h) => same(withSpan("TOOL", echo, h)("v"), "v")],
  [
    "withSpan with every option hostile",
    (h) => {
      const options = Object.fromEntries(
        [
          "name",
          "tracer",
          "openTelemetrySpanKind",
          "attributes",
          "links",
          "startTime",
          "root",
          "config",
          "prices",
          "captureInput",
          "captureOutput",
          "streamTimeoutMs",
          "aggregate",
        ].map((k) => [k, h]),
      );
      same(withSpan("LLM", echo, options)("v"), "v");
    },
  ],
  [
    "processInput and processOutput returning h",
    (h) => same(traceChain(echo, { processInput: () => h, processOutput: () => h })("v"), "v"),
  ],
  [
    "a wrapper called with h as `this`",
    (h) => {
      function self(this: unknown) {
        echo(0);
        return this;
      }
      same(traceChain(self).call(h), self.call(h));
    },
    { callsUser: 2 },
  ],
  [
    "a @traced method called with h",
    (h) => {
      const decorate = traced("TOOL", h) as unknown as (
        m: (x: unknown) => unknown,
        ctx: object,
      ) => (x: unknown) => unknown;
      const method = decorate(echo, {
        kind: "method",
        name: "m",
        static: false,
        private: false,
        addInitializer() {},
        access: {},
        metadata: {},
      });
      same(method.call({}, h), h);
    },
  ],
  [
    "@traced under experimentalDecorators: (prototype, h, { value: method }) and a hostile target",
    (h) => {
      const decorate = traced("TOOL", h) as unknown as (
        target: unknown,
        key: unknown,
        descriptor: unknown,
      ) => PropertyDescriptor;
      const descriptor = decorate(h, h, { value: echo, writable: true, configurable: true }) as PropertyDescriptor;
      same((descriptor.value as (x: unknown) => unknown).call({}, h), h);
      decorate({}, "m", h);
      decorate({}, "m", { get: () => h });
    },
  ],
  [
    "traced(h) decorating a method",
    (h) => {
      const decorate = traced(h, { name: h }) as unknown as (
        m: (x: unknown) => unknown,
        ctx: object,
      ) => (x: unknown) => unknown;
      same(
        decorate(echo, {
          kind: "method",
          name: h as never,
          static: false,
          private: false,
          addInitializer() {},
          access: {},
          metadata: {},
        })("v"),
        "v",
      );
    },
  ],
  [
    "an async wrapper resolving to h (compared with the same call untraced)",
    async (h) => {
      const untraced = await settled(() => (async (x: unknown) => echo(x))(h));
      const traced = await settled(() => traceLLM(async (x: unknown) => echo(x))(h));
      expect(traced.ok).toBe(untraced.ok);
      if (untraced.ok && !isThenable(h)) same(traced.value, untraced.value);
    },
    { callsUser: 2, thensOfItsOwn: 2 },
  ],
  [
    "a generator yielding h",
    (h) => {
      const out = [
        ...traceChain(function* (x: unknown) {
          echo(x);
          yield x;
        })(h),
      ];
      expect(out).toHaveLength(1);
      same(out[0], h);
    },
  ],
  [
    "an async generator yielding h, aggregate receiving it (compared with the same stream untraced)",
    async (h) => {
      // An async generator's `yield` awaits its operand: a thenable is the generator's own to run, traced or not.
      async function* twice(x: unknown) {
        echo(x);
        yield x;
        yield x;
      }
      const untraced = await settled(() => collectAsync(twice(h)));
      const traced = await settled(() =>
        collectAsync(
          traceLLM(twice, { aggregate: (chunks) => ({ output: chunks[0], usage: chunks[1] as never, model: h }) })(h),
        ),
      );
      expect(traced.ok).toBe(untraced.ok);
      if (untraced.ok)
        for (const [i, v] of (untraced.value as unknown[]).entries()) same((traced.value as unknown[])[i], v);
    },
    { callsUser: 2, thensOfItsOwn: 4 },
  ],
  [
    "a sync generator yielding h, aggregate receiving it",
    (h) => {
      const out = [
        ...traceLLM(
          function* (x: unknown) {
            echo(x);
            yield x;
            yield x;
          },
          { aggregate: (chunks) => ({ output: chunks[0], usage: chunks[1] as never, model: h }) },
        )(h),
      ];
      same(out[1], h);
    },
  ],
  [
    "a ReadableStream of h",
    async (h) => {
      const stream = traceChain(
        () =>
          new ReadableStream({
            start(c) {
              echo(h);
              c.enqueue(h);
              c.close();
            },
          }),
      )();
      const out = await collectAsync(stream as unknown as AsyncIterable<unknown>);
      same(out[0], h);
    },
  ],
  [
    "a stream with hostile stream options",
    async (h) => {
      const out = await collectAsync(
        traceLLM(
          async function* () {
            echo(0);
            yield "a";
          },
          { aggregate: h, streamTimeoutMs: h, config: h },
        )(),
      );
      expect(out).toEqual(["a"]);
    },
  ],
  [
    "startActiveSpan(h, h, fn, h)",
    (h) =>
      same(
        startActiveSpan(h, h, () => echo(h), h),
        h,
      ),
  ],
  ...handleMethods(),
  [
    "startSpan(h, h, h).end(h)",
    (h) => {
      echo(startSpan(h, h, h)).end(h);
    },
  ],
  [
    'startSpan("LLM", "n", { parent: h })',
    (h) => {
      echo(startSpan("LLM", "n", { parent: h })).end();
    },
  ],
  [
    "currentSpan() inside a traced call with h",
    (h) => same(traceChain((x: unknown) => (currentSpan()?.setInput(x), echo(x)))(h), h),
  ],
  [
    "currentSpan(h) (a hostile kind) inside a traced call",
    (h) =>
      same(
        traceLLM(
          (x: unknown) => (
            (currentSpan(h as never) as SemtraceSpan | undefined)?.setInput(x), currentSpan("LLM")?.setUsage(h), echo(x)
          ),
        )(h),
        h,
      ),
  ],
  [
    "processOutput receiving the handle, calling every method with h",
    (h) =>
      same(
        traceLLM(echo, {
          processOutput: (_out: unknown, span: any) => (
            span.setModel(h), span.setUsage(h), span.setCost(h), span.setCustom(h, h), h
          ),
        })(h),
        h,
      ),
  ],
  [
    "withContext(h, fn)",
    (h) =>
      same(
        withContext(h, () => traceChain(echo)(h)),
        h,
      ),
  ],
  [
    "withContext with every field hostile",
    (h) => {
      const fields = {
        sessionId: h,
        userId: h,
        metadata: h,
        tags: [h, "t"],
        promptTemplate: { template: h, variables: h, version: h },
        attributes: h,
      };
      same(
        withContext(fields, () => withContext({ metadata: { a: 1 }, tags: h }, () => traceChain(echo)(h))),
        h,
      );
    },
  ],
  [
    "setTraceContext(h, h), getTraceContext(h), clearTraceContext(h)",
    (h) => {
      setTraceContext(h, h);
      setTraceContext(context.active(), h);
      getTraceContext(h);
      clearTraceContext(h);
      echo(0);
    },
  ],
  [
    "SemtraceContextSpanProcessor.onStart(h, h)",
    (h) => {
      const processor = new SemtraceContextSpanProcessor();
      processor.onStart(h, h);
      processor.onStart(h, setTraceContext(context.active(), { sessionId: "s" }));
      processor.onEnd();
      echo(0);
    },
  ],
  [
    "new SemtraceContextSpanProcessor(h), its spans ended at flush and shutdown",
    async (h) => {
      const processor = new SemtraceContextSpanProcessor(h);
      const options = new SemtraceContextSpanProcessor({ endOpenSpansOnShutdown: h, endOpenSpansOnFlush: h });
      const { provider } = localProvider([processor, options]);
      const tracer = provider.getTracer("hostile");
      const stream = traceLLM(
        function* (x: unknown) {
          echo(x);
          yield x;
        },
        { tracer, aggregate: () => h },
      )(h);
      stream.next();
      await provider.forceFlush();
      await provider.shutdown();
      for (const _ of stream);
    },
  ],
  [
    "PricingSpanExporter(exporter, h).export(h), spans with hostile attributes",
    async (h) => {
      const exported: unknown[] = [];
      // The wrapped exporter receives whatever the SDK handed over (priced copies in place of priced spans).
      const inner = {
        export: (spans: unknown, done: (r: { code: number }) => void) => (exported.push(spans), done({ code: 0 })),
        shutdown: () => Promise.resolve(),
      };
      const exporter = new PricingSpanExporter(inner as never, h);
      exporter.export(h, () => {});
      exporter.export(
        [
          h,
          { attributes: h },
          {
            attributes: {
              "llm.model_name": h,
              "llm.token_count.prompt": h,
              "gen_ai.usage.input_tokens": h,
              "gen_ai.response.model": h,
            },
          },
          { attributes: { "llm.model_name": "gpt-4o", "llm.token_count.prompt": 10 } },
        ],
        () => {},
      );
      await exporter.forceFlush();
      expect(exported).toHaveLength(2);
      same(exported[0], h, "a batch that is not an array");
      const batch = exported[1] as { attributes?: Record<string, unknown> }[];
      expect(batch).toHaveLength(4);
      same(batch[0], h, "a span that is not a span");
      expect(batch[3]!.attributes!["llm.cost.total"]).toBe(0.000025);
      echo(0);
    },
  ],
  [
    "computeCost(h, h, h), findPrice(h, h)",
    (h) => {
      computeCost(h, h, h);
      computeCost("gpt-4o", h);
      computeCost(h, { input: 1, output: 1 });
      computeCost("gpt-4o", { input: h, output: h, cacheRead: h });
      computeCost("gpt-4o", { input: 10, output: 10 }, { version: "v", models: { "gpt-4o": h } });
      computeCost(
        "gpt-4o",
        { input: 10, output: 10 },
        { version: "v", models: { "gpt-4o": { input: 1, output: 1, above: h } } },
      );
      computeCost(
        "gpt-4o",
        { input: 10, output: 10 },
        { version: h, models: { "gpt-4o": { input: 1, output: 1, above: { tokens: h, input: h, output: h } } } },
      );
      findPrice(h, h);
      findPrice(h);
      echo(0);
    },
  ],
  [
    "setDefaultPrices(h), then an LLM span with usage",
    (h) => {
      setDefaultPrices(h);
      try {
        same(
          startActiveSpan(
            "LLM",
            "priced",
            (span) => (span.setModel("gpt-4o").setUsage({ input: 10, output: 5 }), echo(h)),
          ),
          h,
        );
      } finally {
        setDefaultPrices(DEFAULT_PRICES);
      }
    },
  ],
  [
    "configure(h), then a traced call",
    (h) => {
      configure(h);
      try {
        same(traceChain(echo)(h), h);
      } finally {
        resetConfig();
      }
    },
  ],
  [
    "configure() with every option hostile, then a traced call",
    (h) => {
      configure(
        Object.fromEntries(
          [
            "hideInputs",
            "hideOutputs",
            "hideContent",
            "maxSpanChars",
            "maxStreamOutputChars",
            "base64ImageMaxLength",
          ].map((k) => [k, h]),
        ),
      );
      try {
        same(traceChain(echo)(h), h);
        configFromEnv();
      } finally {
        resetConfig();
      }
    },
  ],
  [
    "redactAttributes(h, h)",
    (h) => {
      redactAttributes(h, h);
      redactAttributes({ "input.value": h, "llm.input_messages.0.message.content": h }, { hideInputs: true });
      echo(0);
    },
  ],
  [
    "ValidatingSpanProcessor(h): onEnd(h), forceFlush()",
    async (h) => {
      const processor = new ValidatingSpanProcessor(h);
      processor.onEnd(h);
      processor.onEnd({ name: h, attributes: { "openinference.span.kind": h, "input.value": h } });
      await processor.forceFlush().catch(() => undefined);
      echo(0);
    },
  ],
  [
    "ValidatingSpanProcessor with every option hostile",
    (h) => {
      const processor = new ValidatingSpanProcessor({
        mode: h,
        minSeverity: h,
        registries: h,
        logger: h,
        includeNonOpenInference: h,
      });
      processor.onEnd({ name: "s", attributes: { "openinference.span.kind": "LLM" } });
      echo(0);
    },
  ],
  [
    "new SpanValidationError(h)",
    (h) => {
      expect(new SpanValidationError(h)).toBeInstanceOf(Error);
      echo(0);
    },
  ],
];

function isThenable(value: unknown): boolean {
  try {
    return (
      (typeof value === "object" || typeof value === "function") &&
      value !== null &&
      typeof (value as { then?: unknown }).then === "function"
    );
  } catch {
    return false;
  }
}

async function settled(run: () => Promise<unknown>): Promise<{ ok: boolean; value?: unknown }> {
  try {
    return { ok: true, value: await run() };
  } catch {
    return { ok: false };
  }
}

// ---------------------------------------------------------------------------------------------------------------

const diagMessages: string[] = [];

beforeAll(() => {
  const record = (message: string) => void diagMessages.push(message);
  diag.setLogger(
    { error: record, warn: record, info: record, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  resetSwallowed();
});
afterAll(() => diag.disable());
beforeEach(() => {
  t.reset();
  calls.count = 0;
  thens.count = 0;
});
afterEach(() => {
  resetConfig();
  setDefaultPrices(DEFAULT_PRICES);
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe.each(HOSTILE)("%s", (_label, hostile) => {
  for (const [name, run, options] of ENTRIES)
    it(name, async () => {
      const before = { ...balance };
      await run(hostile);
      await settle();
      expect(calls.count, "the user's function ran").toBe(options?.callsUser ?? 1);
      expect(balance.started - before.started, "every span started has ended").toBe(balance.ended - before.ended);
      // A thenable is never `then`-ed by semtrace: only by the entry's own code (an async function adopting it).
      expect(thens.count, "thenables semtrace ran").toBe(hostile === workOnThen ? (options?.thensOfItsOwn ?? 0) : 0);
    });
});

describe("what core swallows is reported through diag, once per cause", () => {
  it("a second pass over every hostile value and entry point reports nothing new", async () => {
    const first = diagMessages.filter((m) => m.includes("@semtrace/core")).length;
    expect(first).toBeGreaterThan(10);
    for (const [, hostile] of HOSTILE) for (const [, run] of ENTRIES) await run(hostile);
    await settle();
    expect(diagMessages.filter((m) => m.includes("@semtrace/core")).length).toBe(first);
    // One message per cause: no two alike.
    const ours = diagMessages.filter((m) => m.includes("@semtrace/core"));
    const causes = ours.map((m) => m.slice(0, m.indexOf(" — tracing carried on")));
    expect(new Set(causes).size).toBe(ours.length);
  }, 60_000);
});

describe("the issue's cases", () => {
  beforeEach(() => resetSwallowed());

  it("configure() with a 100 MB string neither throws nor changes the configuration, and says so", () => {
    const messages: string[] = [];
    diag.setLogger(
      { error: () => {}, warn: (m) => void messages.push(m), info: () => {}, debug: () => {}, verbose: () => {} },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    try {
      configure({ maxSpanChars: 5 });
      expect(() => configure(HUGE as never)).not.toThrow();
      const { provider, exporter } = localProvider();
      traceChain((s: string) => s, { tracer: provider.getTracer("t"), name: "after" })("a long input");
      // The bad call changed nothing: the budget configured before still applies.
      expect(exporter.getFinishedSpans()[0]!.attributes["input.value"]).toBe("a lon…[truncated]");
      expect(messages.some((m) => m.includes("configure() was given a configuration that is not an object"))).toBe(
        true,
      );
    } finally {
      diag.disable();
    }
  });

  it("computeCost without a table prices from the default table, and never throws", () => {
    expect(() => computeCost("gpt-4o", { input: 1_000_000, output: 0 })).not.toThrow();
    expect(computeCost("gpt-4o", { input: 1_000_000, output: 0 })?.total).toBe(
      computeCost("gpt-4o", { input: 1_000_000, output: 0 }, DEFAULT_PRICES)?.total,
    );
    expect(findPrice("gpt-4o")).toBe(findPrice("gpt-4o", DEFAULT_PRICES));
    setDefaultPrices(false);
    expect(computeCost("gpt-4o", { input: 10, output: 10 })).toBeUndefined();
    expect(computeCost("gpt-4o", { input: 10, output: 10 }, null as never)).toBeUndefined();
  });

  it("invalid limits are ignored rather than corrupting values (a string maxSpanChars used to blank every value)", () => {
    configure({ maxSpanChars: "100" as never });
    const { provider, exporter } = localProvider();
    traceChain((s: string) => s, { tracer: provider.getTracer("t") })("kept whole");
    expect(exporter.getFinishedSpans()[0]!.attributes["input.value"]).toBe("kept whole");
  });

  it("setStatus() with something that is not a status keeps the status the user set", () => {
    const span = startSpan("CHAIN", "manual");
    span.setStatus({ code: SpanStatusCode.ERROR, message: "mine" });
    span.setStatus("not a status" as never);
    span.end();
    expect(t.span("manual").status).toEqual({ code: SpanStatusCode.ERROR, message: "mine" });
  });
});
