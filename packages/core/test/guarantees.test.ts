import { SpanStatusCode, context, trace } from "@opentelemetry/api";
import type { SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import { startActiveSpan, startSpan, traceChain, traceLLM, withContext } from "../src/index.js";
import { localProvider } from "./support/otel.js";

/** A processor whose every method throws. */
const throwingProcessor: SpanProcessor = {
  onStart() {
    throw new Error("onStart");
  },
  onEnd() {
    throw new Error("onEnd");
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

const throwingExporter: SpanExporter = {
  export() {
    throw new Error("export");
  },
  shutdown: () => Promise.resolve(),
};

afterEach(() => {
  trace.disable();
  context.disable();
});

describe("tracing never throws into user code", () => {
  it("works with no registered provider (no-op spans)", async () => {
    const fn = traceLLM(async (x: number) => x + 1);
    await expect(fn(1)).resolves.toBe(2);
    expect(traceChain((a: string) => a)("same")).toBe("same");
    expect(startActiveSpan("TOOL", "x", (span) => span.setInput("i").setOutput("o").kind)).toBe("TOOL");
    const s = startSpan("LLM", "m");
    s.setUsage({ input: 1, output: 1 }).setModel("gpt-4o");
    s.end();
    expect(withContext({ sessionId: "s" }, () => 5)).toBe(5);
  });

  it("non-recording spans (no provider, sampled out) do not even serialise inputs and outputs", () => {
    let serialised = 0;
    const value = { toJSON: () => ++serialised };
    expect(traceChain((v: typeof value) => v)(value)).toBe(value);
    const { provider } = localProvider();
    const sampledOut = new BasicTracerProvider({
      sampler: { shouldSample: () => ({ decision: 0 }), toString: () => "off" },
    });
    expect(traceChain((v: typeof value) => v, { tracer: sampledOut.getTracer("t") })(value)).toBe(value);
    expect(serialised).toBe(0);
    traceChain((v: typeof value) => v, { tracer: provider.getTracer("t") })(value);
    expect(serialised).toBe(2);
  });

  it("a throwing processor and exporter do not change the function's behaviour", async () => {
    const provider = new BasicTracerProvider({
      spanProcessors: [throwingProcessor, new SimpleSpanProcessor(throwingExporter)],
    });
    const tracer = provider.getTracer("t");
    const fn = traceChain((a: number, b: number) => a * b, { tracer });
    expect(fn(6, 7)).toBe(42);
    const asyncFn = traceLLM(async () => "ok", { tracer });
    await expect(asyncFn()).resolves.toBe("ok");
    const err = new Error("user");
    const failing = traceChain(
      () => {
        throw err;
      },
      { tracer },
    );
    expect(() => failing()).toThrow(err);
    const gen = traceLLM(
      function* () {
        yield 1;
        yield 2;
      },
      { tracer },
    );
    expect([...gen()]).toEqual([1, 2]);
  });

  it("a tracer whose startSpan throws: the function runs untraced", () => {
    const tracer = {
      startSpan: () => {
        throw new Error("broken tracer");
      },
      startActiveSpan: () => {
        throw new Error("broken");
      },
    } as unknown as import("@opentelemetry/api").Tracer;
    expect(traceChain((x: number) => x * 2, { tracer })(4)).toBe(8);
    expect(startActiveSpan("LLM", "n", () => "ran", { tracer })).toBe("ran");
    expect(() => startSpan("LLM", "n", { tracer }).end()).not.toThrow();
  });

  it("circular, BigInt and hostile inputs and outputs are serialised safely", () => {
    const { exporter, provider } = localProvider();
    const tracer = provider.getTracer("t");
    const circular: Record<string, unknown> = { id: 1n };
    circular["self"] = circular;
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("trap");
        },
        get: () => {
          throw new Error("trap");
        },
      },
    );
    const fn = traceChain((a: unknown, b: unknown) => ({ a, b, big: 2n ** 70n }), { tracer, name: "safe" });
    const out = fn(circular, hostile);
    expect(out.a).toBe(circular);
    const span = exporter.getFinishedSpans()[0]!;
    expect(span.attributes["input.value"]).toContain("[Circular]");
    expect(span.attributes["output.value"]).toContain('"1180591620717411303424"');
    expect(span.status.code).toBe(SpanStatusCode.OK);
  });

  it("processInput/processOutput/aggregate that throw are ignored", async () => {
    const { exporter, provider } = localProvider();
    const tracer = provider.getTracer("t");
    const fn = traceChain((x: number) => x, {
      tracer,
      processInput: () => {
        throw new Error("in");
      },
      processOutput: () => {
        throw new Error("out");
      },
    });
    expect(fn(3)).toBe(3);
    const gen = traceLLM(
      async function* () {
        yield 1;
      },
      {
        tracer,
        aggregate: () => {
          throw new Error("agg");
        },
      },
    );
    const seen: number[] = [];
    for await (const x of gen()) seen.push(x);
    expect(seen).toEqual([1]);
    expect(exporter.getFinishedSpans()).toHaveLength(2);
  });

  it("huge strings are recorded without failing (and can be budgeted)", () => {
    const { exporter, provider } = localProvider();
    const tracer = provider.getTracer("t");
    const huge = "z".repeat(5_000_000);
    expect(traceChain((s: string) => s.length, { tracer, name: "huge" })(huge)).toBe(5_000_000);
    expect(
      traceChain((s: string) => s.length, { tracer, name: "budgeted", config: { maxSpanChars: 1000 } })(huge),
    ).toBe(5_000_000);
    const [a, b] = exporter.getFinishedSpans();
    expect(String(a!.attributes["input.value"]).length).toBe(5_000_000);
    expect(String(b!.attributes["input.value"]).length).toBeLessThan(1100);
  });

  it("errors that are not Error objects are recorded and re-thrown as is", async () => {
    const { exporter, provider } = localProvider();
    const tracer = provider.getTracer("t");
    const thrown = { code: 42 };
    expect(() =>
      traceChain(
        () => {
          throw thrown;
        },
        { tracer },
      )(),
    ).toThrow();
    await expect(
      traceChain(
        async () => {
          throw "text";
        },
        { tracer },
      )(),
    ).rejects.toBe("text");
    for (const s of exporter.getFinishedSpans()) expect(s.status.code).toBe(SpanStatusCode.ERROR);
  });
});
