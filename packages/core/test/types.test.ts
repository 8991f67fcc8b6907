/**
 * Type-level guarantees, compiled by `tsc --noEmit` (the package's test script runs it first): every misuse
 * below is a compile error (`@ts-expect-error` fails the build when the line compiles), every right use
 * compiles with the type the user expects. The runtime half of each rule is tested where it lives.
 */
import type { AttributeValue } from "@opentelemetry/api";
import { describe, expectTypeOf, it } from "vitest";
import {
  currentSpan,
  startActiveSpan,
  startSpan,
  traceAgent,
  traceLLM,
  traceOperation,
  traceTool,
  withSpan,
  type CustomKey,
  type EmbeddingSpan,
  type LLMSpan,
  type SemtraceSpan,
} from "../src/index.js";

/** Type-level only: the bodies below never run. */
const never = (fn: () => void): void => void fn;

describe("a wrapped function reaches its typed handle", () => {
  it("currentSpan(kind) returns the handle typed by kind", () => {
    expectTypeOf(currentSpan("LLM")).toEqualTypeOf<LLMSpan | undefined>();
    expectTypeOf(currentSpan("llm")).toEqualTypeOf<LLMSpan | undefined>();
    expectTypeOf(currentSpan("EMBEDDING")).toEqualTypeOf<EmbeddingSpan | undefined>();
    expectTypeOf(currentSpan("TOOL")).toEqualTypeOf<SemtraceSpan<"TOOL"> | undefined>();
    expectTypeOf(currentSpan("operation")).toEqualTypeOf<SemtraceSpan<"OPERATION"> | undefined>();
    expectTypeOf(currentSpan()).toEqualTypeOf<SemtraceSpan | undefined>();
    never(() => {
      currentSpan("LLM")?.setUsage({ input: 1, output: 2 });
      // @ts-expect-error a TOOL span has no usage
      currentSpan("TOOL")?.setUsage({ input: 1 });
      // @ts-expect-error not a span kind
      currentSpan("LMM");
    });
  });

  it("processOutput gets the span's handle, typed by the wrapper's kind", () => {
    traceLLM(async (q: string) => ({ text: q, tokens: 3 }), {
      processOutput: (out, span) => {
        expectTypeOf(out).toEqualTypeOf<{ text: string; tokens: number }>();
        expectTypeOf(span).toEqualTypeOf<LLMSpan>();
        span.setUsage({ input: 1, output: out.tokens });
        return { "output.value": out.text };
      },
    });
    withSpan("embedding", (x: string) => [x.length], {
      processOutput: (_out, span) => void expectTypeOf(span).toEqualTypeOf<EmbeddingSpan>(),
    });
    never(() => {
      // @ts-expect-error a tool span's handle has no usage
      traceTool((x: number) => x, { processOutput: (_out, span) => void span.setUsage({ input: 1 }) });
      // @ts-expect-error what processOutput returns is checked like `attributes`: a typo in an owned namespace
      traceTool((x: number) => x, { processOutput: () => ({ "llm.modle_name": "x" }) });
      // @ts-expect-error and a registry key's value type
      traceTool((x: number) => x, { processOutput: (x) => ({ "output.value": x }) });
      // @ts-expect-error processInput too
      traceTool((q: string) => q, { processInput: (q) => ({ "input.valeu": q }) });
    });
    // Keys of your own are welcome in both.
    traceTool((q: string) => q, {
      processInput: (q) => ({ "input.value": q, "mycompany.query_length": q.length }),
      processOutput: (out) => ({ "output.value": out, "mycompany.empty": out === "" }),
    });
  });

  it("the callback forms pass the typed handle", () => {
    startActiveSpan("LLM", "chat", (span) => expectTypeOf(span).toEqualTypeOf<LLMSpan>());
    expectTypeOf(startSpan("embedding", "embed")).toEqualTypeOf<EmbeddingSpan>();
  });
});

describe("set and setCustom", () => {
  it("set takes registry keys with their value types", () => {
    never(() => {
      const span = startSpan("LLM", "s");
      span.set("llm.model_name", "gpt-4o");
      span.set("llm.input_messages.0.message.role", "user");
      span.set("llm.token_count.prompt_details.cache_read", 3);
      // @ts-expect-error wrong value type for a registry key
      span.set("llm.token_count.prompt", "10");
      // @ts-expect-error not a registry key
      span.set("llm.modle_name", "x");
      // @ts-expect-error an enum-typed key rejects other values
      span.set("openinference.span.kind", "NOT_A_KIND");
      // @ts-expect-error custom keys go through setCustom
      span.set("mycompany.request_id", "r-1");
    });
  });

  it("setCustom takes keys of your own, with or without a dot, and any attribute value", () => {
    never(() => {
      const span = startSpan("CHAIN", "s");
      span.setCustom("mycompany.request_id", "r-1");
      span.setCustom("channel", "web");
      span.setCustom("retries", 2);
      span.setCustom("tags_of_mine", ["a", "b"]);
      span.setCustom("user.email", "a@example.com"); // OpenTelemetry's key: `user.*` is shared, not owned
      const dynamic: string = "from.elsewhere";
      span.setCustom(dynamic, true); // checked at run time
    });
  });

  it("setCustom rejects registry keys (use set) and unknown keys in a namespace the registry owns", () => {
    never(() => {
      const span = startSpan("LLM", "s");
      // @ts-expect-error a registry key: use set(), which checks that its value is a string
      span.setCustom("llm.model_name", 42);
      // @ts-expect-error a registry key even with the right value type
      span.setCustom("llm.model_name", "gpt-4o");
      // @ts-expect-error a registry key outside the owned namespaces
      span.setCustom("session.id", "s-1");
      // @ts-expect-error a registry key without a dot
      span.setCustom("metadata", "{}");
      // @ts-expect-error an indexed registry key
      span.setCustom("llm.input_messages.0.message.content", "hi");
      // @ts-expect-error a typo inside the `llm` namespace
      span.setCustom("llm.modle_name", "x");
      // @ts-expect-error a typo inside `tool`
      span.setCustom("tool.nmae", "x");
      // @ts-expect-error an owned namespace's own name
      span.setCustom("llm", "x");
      // @ts-expect-error an object is not an attribute value
      span.setCustom("mycompany.payload", { a: 1 });
    });
    expectTypeOf<
      CustomKey<"llm.model_name">
    >().toEqualTypeOf<"llm.model_name is a key of the OpenInference registry: use set()">();
    expectTypeOf<CustomKey<"mycompany.x">>().toEqualTypeOf<"mycompany.x">();
  });
});

describe("record", () => {
  it("takes the kind's builder input; unknown fields of closed structures are errors, for variables too", () => {
    never(() => {
      const llm = startSpan("LLM", "s");
      llm.record({
        modelName: "gpt-4o",
        inputMessages: [{ role: "user", content: "Hi" }],
        tokenCount: { prompt: 3, promptDetails: { cacheRead: 1, myCategory: 2 } },
      });
      const ok = { modelName: "gpt-4o", invocationParameters: { temperature: 0.2, anything: [1, 2] } };
      llm.record(ok);
      // @ts-expect-error a misspelled top-level field in a literal
      llm.record({ modelNmae: "gpt-4o" });
      const typo = { modelName: "gpt-4o", temprature: 0.2 };
      // @ts-expect-error the same in a variable (TypeScript alone checks only literals)
      llm.record(typo);
      const nested = { inputMessages: [{ role: "user", contnet: "Hi" }] };
      // @ts-expect-error a misspelled field of a message, inside an array
      llm.record(nested);
      const deep = {
        outputMessages: [{ role: "assistant", toolCalls: [{ id: "c1", function: { name: "f", argumnets: "{}" } }] }],
      };
      // @ts-expect-error a misspelled field of a tool call's function
      llm.record(deep);
      const usage = { tokenCount: { promt: 3 } };
      // @ts-expect-error token counts are closed; only their details are open
      llm.record(usage);
      // @ts-expect-error a field of another kind's builder
      startSpan("TOOL", "t").record({ modelName: "x" });
      // @ts-expect-error kinds without a builder take nothing
      startSpan("GUARDRAIL", "g").record({});
    });
  });
});

describe("attributes on every wrapper and span", () => {
  it("take registry keys with their types and keys of your own", () => {
    traceLLM(() => 1, {
      attributes: { "llm.model_name": "gpt-4o", "mycompany.tenant": "acme", channel: "web", retries: 2 },
    });
    traceAgent(() => 1, { attributes: { "session.id": "s", "tag.tags": ["a"] } });
    traceOperation(() => 1, { attributes: { "order.id": "o-1", "order.items": 3 } });
    withSpan("tool", () => 1, { attributes: { "tool.name": "lookup", "mycompany.x": true } });
    startActiveSpan("CHAIN", "c", () => 1, { attributes: { "mycompany.step": "plan" } });
    startSpan("RETRIEVER", "r", { attributes: { "mycompany.index": "docs" } }).end();
    never(() => {
      // @ts-expect-error a registry key with the wrong value type
      traceLLM(() => 1, { attributes: { "llm.model_name": 42 } });
      // @ts-expect-error a typo inside a namespace the registry owns
      traceLLM(() => 1, { attributes: { "llm.modle_name": "x" } });
      // @ts-expect-error an enum-typed key
      traceAgent(() => 1, { attributes: { "openinference.span.kind": "NOPE" } });
      // @ts-expect-error the same rules on the callback form
      startActiveSpan("CHAIN", "c", () => 1, { attributes: { "input.valeu": "x" } });
      // @ts-expect-error and on manual spans
      startSpan("CHAIN", "c", { attributes: { "tool.nmae": "x" } });
      // @ts-expect-error custom values are OpenTelemetry attribute values
      traceOperation(() => 1, { attributes: { "order.payload": { nested: true } } });
    });
    expectTypeOf<{ "mycompany.x": AttributeValue }>().toMatchTypeOf<Record<string, AttributeValue>>();
  });

  it("wrappers keep the wrapped function's exact type", () => {
    const f = traceOperation(async function load(this: { id: string }, n: number) {
      return `${this.id}:${n}`;
    });
    expectTypeOf(f).toEqualTypeOf<(this: { id: string }, n: number) => Promise<string>>();
  });
});
