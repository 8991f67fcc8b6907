/**
 * "Say why, once": the failures core used to swallow silently now say why through `diag`, once per cause, with
 * what happened and what the span lost — each triggered here for real, on the real SDK.
 */
import { trace, type Span, type Tracer } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { configFromEnv } from "../src/config.js";
import {
  DEFAULT_PRICES,
  currentSpan,
  setDefaultPrices,
  startActiveSpan,
  traceChain,
  traceLLM,
  traced,
} from "../src/index.js";
import { captureDiagWarnings } from "./support/diag.js";
import { setupTracing } from "./support/otel.js";

const t = setupTracing();

/** A tracer whose spans throw from `isRecording()`, otherwise the real SDK's. */
function tracerWithThrowingIsRecording(): Tracer {
  const real = trace.getTracer("says-why");
  return {
    startSpan(name, options, ctx) {
      const span = real.startSpan(name, options, ctx);
      return new Proxy(span, {
        get(target, key, receiver) {
          if (key === "isRecording")
            return () => {
              throw new Error("broken isRecording");
            };
          const value = Reflect.get(target, key, receiver) as unknown;
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }) as Span;
    },
    startActiveSpan: real.startActiveSpan.bind(real) as Tracer["startActiveSpan"],
  };
}

describe("what core swallows, it says once, with what the span lost", () => {
  const messages = captureDiagWarnings();
  const reports = (cause: string) => messages.filter((m) => m.includes(cause));

  it("a thrown value whose toString throws: the status says Unknown error, and diag says why (once for two calls)", () => {
    t.reset();
    const hostile = {
      toString() {
        throw new Error("hostile toString");
      },
    };
    const fail = traceChain(
      () => {
        throw hostile;
      },
      { name: "fails" },
    );
    for (let i = 0; i < 2; i++) expect(() => fail()).toThrow();
    expect(t.spans().map((s) => s.status.message)).toEqual(["Unknown error", "Unknown error"]);
    expect(reports('so the span\'s status says "Unknown error"')).toHaveLength(1);
    expect(reports('so the span\'s status says "Unknown error"')[0]).toContain("Error: hostile toString");
  });

  it("a span whose isRecording() throws: treated as not recording, said once", () => {
    const tracer = tracerWithThrowingIsRecording();
    expect(traceLLM((x: number) => x + 1, { tracer })(1)).toBe(2);
    expect(startActiveSpan("TOOL", "t", (span) => span.isRecording(), { tracer })).toBe(false);
    expect(reports("span.isRecording() threw, so the span is treated as not recording")).toHaveLength(1);
  });

  it("@traced given a decorator context whose kind throws: applied as a legacy decorator, said once", () => {
    const context = Object.defineProperty({}, "kind", {
      get() {
        throw new Error("hostile kind");
      },
    });
    const descriptor = { value: () => 1, writable: true, configurable: true };
    (traced("TOOL") as unknown as (t: unknown, c: unknown, d: unknown) => unknown)(() => 1, context, descriptor);
    expect(reports("@traced could not read its decorator context")).toHaveLength(1);
  });

  it("@traced on a class whose name getter throws: the span is named after the method, said once", () => {
    t.reset();
    class Agent {
      lookup(q: string) {
        return q.length;
      }
    }
    Object.defineProperty(Agent, "name", {
      get() {
        throw new Error("hostile class name");
      },
    });
    const descriptor = Object.getOwnPropertyDescriptor(Agent.prototype, "lookup")!;
    (traced("TOOL") as unknown as (t: object, k: string, d: PropertyDescriptor) => void)(
      Agent.prototype,
      "lookup",
      descriptor,
    );
    Object.defineProperty(Agent.prototype, "lookup", descriptor);
    expect(new Agent().lookup("abc")).toBe(3);
    expect(t.spans().map((s) => s.name)).toEqual(["lookup"]);
    expect(reports("@traced could not read the class name")).toHaveLength(1);
  });

  it("an environment that cannot be read: the settings from it are not applied, and diag says to use configure()", () => {
    const env = Object.getOwnPropertyDescriptor(process, "env")!;
    Object.defineProperty(process, "env", {
      configurable: true,
      get() {
        throw new Error("permission denied: env");
      },
    });
    try {
      expect(configFromEnv()).toEqual({});
    } finally {
      Object.defineProperty(process, "env", env);
    }
    expect(reports("an environment variable could not be read")).toHaveLength(1);
    expect(reports("an environment variable could not be read")[0]).toContain("pass them to configure() instead");
  });

  it("a price table whose version cannot be read: the unpriced model is still reported, without a version", () => {
    const table = {
      get version(): string {
        throw new Error("hostile version");
      },
      models: {},
    };
    setDefaultPrices(table);
    try {
      traceLLM(() => void currentSpan("LLM")?.setModel("no-such-model").setUsage({ input: 10, output: 5 }), {
        name: "unpriced",
      })();
    } finally {
      setDefaultPrices(DEFAULT_PRICES);
    }
    expect(reports("a price table's version could not be read")).toHaveLength(1);
    expect(reports("a model has no price in the price table")[0]).toContain("without a version");
  });
});
