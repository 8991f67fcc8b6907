import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PRICES, computeCost, findPrice, startActiveSpan, type PriceTable } from "../src/index.js";
import { expectValid, setupTracing } from "./support/otel.js";

const t = setupTracing();
beforeEach(() => t.reset());

const TABLE: PriceTable = { version: "test-1", models: { "model-a": { input: 1, output: 2, cacheRead: 0.5, cacheWrite: 1.5 } } };

describe("price table", () => {
  it("ships a versioned default table with input/output prices per 1M tokens", () => {
    expect(typeof DEFAULT_PRICES.version).toBe("string");
    expect(Object.keys(DEFAULT_PRICES.models).length).toBeGreaterThanOrEqual(5);
    for (const price of Object.values(DEFAULT_PRICES.models)) {
      expect(price.input).toBeGreaterThan(0);
      expect(price.output).toBeGreaterThan(0);
    }
  });

  it("matches dated and provider-prefixed model names to the longest key", () => {
    expect(findPrice("gpt-4o-mini-2024-07-18", DEFAULT_PRICES)).toBe(DEFAULT_PRICES.models["gpt-4o-mini"]);
    expect(findPrice("gpt-4o-2024-08-06", DEFAULT_PRICES)).toBe(DEFAULT_PRICES.models["gpt-4o"]);
    expect(findPrice("openai/gpt-4o", DEFAULT_PRICES)).toBe(DEFAULT_PRICES.models["gpt-4o"]);
    expect(findPrice("unknown-model", DEFAULT_PRICES)).toBeUndefined();
  });

  it("prices usage with cache breakdown", () => {
    const cost = computeCost("model-a", { input: 1_000_000, output: 500_000, cacheRead: 200_000, cacheWrite: 100_000 }, TABLE)!;
    expect(cost.promptDetails).toEqual({ input: 0.7, cacheRead: 0.1, cacheWrite: 0.15 });
    expect(cost.prompt).toBeCloseTo(0.95, 12);
    expect(cost.completion).toBeCloseTo(1, 12);
    expect(cost.total).toBeCloseTo(1.95, 12);
    expect(computeCost("model-a", {}, TABLE)).toBeUndefined();
    expect(computeCost("nope", { input: 1 }, TABLE)).toBeUndefined();
  });

  it("a span prices its usage at the end with the given table", () => {
    startActiveSpan("LLM", "priced", (span) => {
      span.setModel("model-a");
      span.setUsage({ input: 2_000_000, output: 1_000_000 });
    }, { prices: TABLE });
    expect(t.span("priced").attributes).toMatchObject({ "llm.cost.prompt": 2, "llm.cost.completion": 2, "llm.cost.total": 4, "llm.cost.prompt_details.input": 2, "llm.cost.completion_details.output": 2 });
    expectValid(t.spans());
  });

  it("a cost given by the caller always wins", () => {
    startActiveSpan("LLM", "given", (span) => {
      span.setModel("model-a");
      span.setUsage({ input: 2_000_000, output: 1_000_000 });
      span.setCost({ total: 0.01 });
    }, { prices: TABLE });
    const a = t.span("given").attributes;
    expect(a["llm.cost.total"]).toBe(0.01);
    expect(a).not.toHaveProperty("llm.cost.prompt");
  });

  it("prices: false never prices; an unknown model is not priced", () => {
    startActiveSpan("LLM", "off", (span) => void span.setModel("model-a").setUsage({ input: 10, output: 10 }), { prices: false });
    startActiveSpan("LLM", "unknown", (span) => void span.setModel("mystery").setUsage({ input: 10, output: 10 }));
    expect(Object.keys(t.span("off").attributes).some((k) => k.startsWith("llm.cost."))).toBe(false);
    expect(Object.keys(t.span("unknown").attributes).some((k) => k.startsWith("llm.cost."))).toBe(false);
  });
});
