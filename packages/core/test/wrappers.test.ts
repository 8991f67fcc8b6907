import { SpanStatusCode, trace } from "@opentelemetry/api";
import { describe, expect, expectTypeOf, it, beforeEach } from "vitest";
import {
  currentSpan,
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
  traceTool,
  withSpan,
  type LLMSpan,
  type SemtraceSpan,
} from "../src/index.js";
import { expectValid, parentOf, setupTracing } from "./support/otel.js";

const t = setupTracing();
beforeEach(() => t.reset());

describe("function wrappers", () => {
  it("keeps sync functions sync and records input and output with the generated builders", () => {
    const add = traceChain(function add(a: number, b: number) {
      return a + b;
    });
    const result = add(2, 3);
    expect(result).toBe(5);
    expectTypeOf(add).toEqualTypeOf<(a: number, b: number) => number>();
    const span = t.span("add");
    expect(span.attributes).toMatchObject({
      "openinference.span.kind": "CHAIN",
      "input.value": "[2,3]",
      "input.mime_type": "application/json",
      "output.value": "5",
      "output.mime_type": "application/json",
    });
    expect(span.status.code).toBe(SpanStatusCode.OK);
    expectValid(t.spans());
  });

  it("names a tool span's tool: tool.name is the span name unless the caller names it", () => {
    async function lookupWeather(city: string) {
      return `sunny in ${city}`;
    }
    return Promise.all([
      traceTool(lookupWeather)("Paris"),
      traceTool((q: string) => q, { name: "by-option" })("x"),
      traceTool((q: string) => q, { name: "span-name", attributes: { "tool.name": "from-attributes" } })("x"),
      traceTool((q: string) => q, {
        name: "span-name-2",
        processInput: (q) => ({ "tool.name": `from-input-${q}`, "input.value": q }),
      })("y"),
    ]).then(() => {
      startActiveSpan("TOOL", "callback-tool", () => 1);
      startSpan("TOOL", "manual-tool").end();
      traceChain(() => 1, { name: "not-a-tool" })();
      expect(t.span("lookupWeather").attributes["tool.name"]).toBe("lookupWeather");
      expect(t.span("by-option").attributes["tool.name"]).toBe("by-option");
      expect(t.span("span-name").attributes["tool.name"]).toBe("from-attributes");
      expect(t.span("span-name-2").attributes["tool.name"]).toBe("from-input-y");
      expect(t.span("callback-tool").attributes["tool.name"]).toBe("callback-tool");
      expect(t.span("manual-tool").attributes["tool.name"]).toBe("manual-tool");
      expect(t.span("not-a-tool").attributes["tool.name"]).toBeUndefined();
      expectValid(t.spans());
    });
  });

  it("records a single string argument as text/plain", () => {
    traceTool((q: string) => q.toUpperCase(), { name: "upper" })("hi");
    expect(t.span("upper").attributes).toMatchObject({
      "input.value": "hi",
      "input.mime_type": "text/plain",
      "output.value": "HI",
      "output.mime_type": "text/plain",
      "openinference.span.kind": "TOOL",
    });
  });

  it("keeps `this`", () => {
    class Counter {
      n = 1;
      inc = traceChain(
        function (this: Counter, by: number) {
          this.n += by;
          return this.n;
        },
        { name: "inc" },
      );
    }
    const c = new Counter();
    expect(c.inc(2)).toBe(3);
    const obj = {
      base: 10,
      get: traceTool(
        function (this: { base: number }) {
          return this.base;
        },
        { name: "get" },
      ),
    };
    expect(obj.get()).toBe(10);
  });

  it("ends async spans when the promise settles", async () => {
    const slow = traceLLM(
      async (prompt: string) => {
        await new Promise((r) => setTimeout(r, 5));
        return { text: `echo ${prompt}` };
      },
      { name: "slow" },
    );
    const p = slow("x");
    expect(t.spans()).toHaveLength(0);
    await expect(p).resolves.toEqual({ text: "echo x" });
    expect(t.span("slow").attributes["output.value"]).toBe('{"text":"echo x"}');
  });

  it("records errors, re-throws them unchanged, and sets ERROR", async () => {
    const boom = new TypeError("bad");
    const failing = traceTool(
      () => {
        throw boom;
      },
      { name: "failing" },
    );
    expect(() => failing()).toThrow(boom);
    try {
      failing();
    } catch (e) {
      expect(e).toBe(boom);
    }
    const rejecting = traceTool(
      async () => {
        throw boom;
      },
      { name: "rejecting" },
    );
    await expect(rejecting()).rejects.toBe(boom);
    for (const span of t.spans()) {
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "TypeError: bad" });
      expect(span.events.map((e) => e.name)).toEqual(["exception"]);
      expect(span.events[0]!.attributes!["exception.message"]).toBe("bad");
    }
  });

  it("does not override a status the function set", () => {
    traceChain(
      () => {
        currentSpan()!.setStatus({ code: SpanStatusCode.ERROR, message: "soft failure" });
        return 1;
      },
      { name: "soft" },
    )();
    expect(t.span("soft").status).toEqual({ code: SpanStatusCode.ERROR, message: "soft failure" });
  });

  it("nests spans: parent/child through the OTel context", async () => {
    const retrieve = traceRetriever(async (q: string) => [q], { name: "retrieve" });
    const llm = traceLLM(async (docs: string[]) => docs.join(), { name: "llm" });
    const agent = traceAgent(async (q: string) => llm(await retrieve(q)), { name: "agent" });
    await agent("q");
    const [a, r, l] = [t.span("agent"), t.span("retrieve"), t.span("llm")];
    expect(parentOf(r)).toBe(a.spanContext().spanId);
    expect(parentOf(l)).toBe(a.spanContext().spanId);
    expect(r.spanContext().traceId).toBe(a.spanContext().traceId);
    expect(parentOf(a)).toBeUndefined();
    expectValid(t.spans());
  });

  it("has a wrapper for every span kind", () => {
    const wrappers = {
      LLM: traceLLM,
      AGENT: traceAgent,
      TOOL: traceTool,
      CHAIN: traceChain,
      RETRIEVER: traceRetriever,
      RERANKER: traceReranker,
      EMBEDDING: traceEmbedding,
      GUARDRAIL: traceGuardrail,
      EVALUATOR: traceEvaluator,
      PROMPT: tracePrompt,
    };
    for (const [kind, wrap] of Object.entries(wrappers)) wrap(() => 1, { name: kind })();
    for (const kind of Object.keys(wrappers)) expect(t.span(kind).attributes["openinference.span.kind"]).toBe(kind);
    withSpan("tool", () => 1, { name: "lower" })();
    expect(t.span("lower").attributes["openinference.span.kind"]).toBe("TOOL");
  });

  it("types processInput and processOutput from the wrapped function", async () => {
    const fn = traceRetriever(
      async (query: string, k: number) => ({ docs: Array.from({ length: k }, (_, i) => `${query}-${i}`) }),
      {
        name: "typed",
        processInput: (query, k) => {
          expectTypeOf(query).toEqualTypeOf<string>();
          expectTypeOf(k).toEqualTypeOf<number>();
          return { "input.value": query, "input.mime_type": "text/plain" };
        },
        processOutput: (out) => {
          expectTypeOf(out).toEqualTypeOf<{ docs: string[] }>();
          return { "retrieval.documents.0.document.content": out.docs[0]!, "output.value": String(out.docs.length) };
        },
      },
    );
    await fn("q", 2);
    expect(t.span("typed").attributes).toMatchObject({
      "input.value": "q",
      "retrieval.documents.0.document.content": "q-0",
      "output.value": "2",
    });
    // @ts-expect-error processOutput must return registry attributes with the registry's value types
    traceChain(() => 1, { processOutput: (n) => ({ "input.value": n }) });
  });

  it("can turn off input and output capture", () => {
    traceChain((s: string) => s, { name: "quiet", captureInput: false, captureOutput: false })("secret");
    expect(Object.keys(t.span("quiet").attributes)).toEqual(["openinference.span.kind"]);
  });
});

describe("callback and manual spans", () => {
  it("startActiveSpan gives a handle typed by kind and ends the span", async () => {
    const out = await startActiveSpan("LLM", "chat", async (span) => {
      expectTypeOf(span).toEqualTypeOf<LLMSpan>();
      span.setModel("gpt-4o-mini", { provider: "OpenAI" });
      span.setInput("hello");
      span.setUsage({ input: 10, output: 5, cacheRead: 2, reasoning: 1 });
      span.set("llm.finish_reason", "stop");
      span.set("llm.input_messages.0.message.role", "user");
      if (Math.random() > 2) {
        // Type-level only: never runs.
        // @ts-expect-error wrong value type for a registry key
        span.set("llm.token_count.prompt", "10");
        // @ts-expect-error not a registry key
        span.set("llm.modle_name", "x");
        // @ts-expect-error an enum-typed key rejects other types
        span.set("openinference.span.kind", "NOT_A_KIND");
        // @ts-expect-error a registry key is set with set(), which checks its value type
        span.setCustom("llm.model_name", 42);
      }
      span.setCustom("mycompany.request_id", "r-1");
      span.addEvent("retry", { attempt: 1 });
      span.setOutput("hi");
      return "done";
    });
    expect(out).toBe("done");
    const s = t.span("chat");
    expect(s.attributes).toMatchObject({
      "openinference.span.kind": "LLM",
      "llm.model_name": "gpt-4o-mini",
      "llm.provider": "openai",
      "llm.token_count.prompt": 10,
      "llm.token_count.completion": 5,
      "llm.token_count.total": 15,
      "llm.token_count.prompt_details.cache_read": 2,
      "llm.token_count.completion_details.reasoning": 1,
      "llm.finish_reason": "stop",
      "llm.input_messages.0.message.role": "user",
      "mycompany.request_id": "r-1",
      "input.value": "hello",
      "output.value": "hi",
    });
    expect(s.attributes["llm.cost.total"]).toBeGreaterThan(0);
    expect(s.events.map((e) => e.name)).toEqual(["retry"]);
    expect(s.status.code).toBe(SpanStatusCode.OK);
    expectValid(t.spans());
  });

  it("startActiveSpan records errors and re-throws", () => {
    const err = new Error("x");
    expect(() =>
      startActiveSpan("tool", "t", () => {
        throw err;
      }),
    ).toThrow(err);
    expect(t.span("t").status.code).toBe(SpanStatusCode.ERROR);
  });

  it("manual spans nest, link, record events, status and exceptions", () => {
    const root = startSpan("AGENT", "root");
    expectTypeOf(root).toEqualTypeOf<SemtraceSpan<"AGENT">>();
    root.record({ name: "planner" });
    const other = startSpan("CHAIN", "other", { root: true });
    other.end();
    const child = root.run(() =>
      startSpan("tool", "child", { links: [{ context: other.spanContext(), attributes: { reason: "follows" } }] }),
    );
    child.record({ name: "search", parameters: { q: "string" } });
    child.addEvent("cache-miss");
    child.recordError(new RangeError("out of range"));
    child.end();
    child.end(); // idempotent
    const sibling = startSpan("RETRIEVER", "sibling", { parent: root });
    sibling.setStatus({ code: SpanStatusCode.OK });
    sibling.end();
    root.end();
    const [r, c, s, o] = [t.span("root"), t.span("child"), t.span("sibling"), t.span("other")];
    expect(parentOf(c)).toBe(r.spanContext().spanId);
    expect(parentOf(s)).toBe(r.spanContext().spanId);
    expect(c.links[0]!.context.spanId).toBe(o.spanContext().spanId);
    expect(c.events.map((e) => e.name)).toEqual(["cache-miss", "exception"]);
    expect(c.status.code).toBe(SpanStatusCode.ERROR);
    expect(c.attributes).toMatchObject({ "tool.name": "search", "tool.parameters": '{"q":"string"}' });
    expect(r.attributes["agent.name"]).toBe("planner");
    expect(trace.getActiveSpan()).toBeUndefined();
    expectValid(t.spans());
  });
});

describe("types", () => {
  it("wrappers have exactly the wrapped function's type, `this` included", () => {
    function method(this: { base: number }, x: number): number {
      return this.base + x;
    }
    const wrapped = withSpan("chain", method);
    expectTypeOf(wrapped).toEqualTypeOf<typeof method>();
    expect(wrapped.call({ base: 1 }, 2)).toBe(3);
    const gen = traceLLM(async function* (n: number) {
      yield n;
    });
    expectTypeOf(gen).parameters.toEqualTypeOf<[number]>();
    expectTypeOf(gen).returns.toEqualTypeOf<AsyncGenerator<number, void, unknown>>();
  });

  it("lower-case kinds give the same handle types", () => {
    startActiveSpan("llm", "lower-llm", (span) => {
      expectTypeOf(span).toEqualTypeOf<LLMSpan>();
    });
    startActiveSpan("embedding", "lower-emb", (span) => {
      expectTypeOf(span.kind).toEqualTypeOf<"EMBEDDING">();
      span.setUsage({ input: 3 });
      span.record({ modelName: "text-embedding-3-small" });
    });
    expect(t.span("lower-emb").attributes).toMatchObject({
      "openinference.span.kind": "EMBEDDING",
      "llm.token_count.prompt": 3,
      "llm.token_count.total": 3,
      "embedding.model_name": "text-embedding-3-small",
    });
  });
});
