import { context, trace } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";
import {
  SemtraceContextSpanProcessor,
  getTraceContext,
  setTraceContext,
  traceChain,
  traceLLM,
  withContext,
} from "../src/index.js";
import { expectValid, setupTracing } from "./support/otel.js";

const t = setupTracing([new SemtraceContextSpanProcessor()]);
beforeEach(() => t.reset());

describe("withContext", () => {
  it("stamps session, user, metadata, tags and prompt template on every span inside", async () => {
    const step = traceLLM(async () => "ok", { name: "step" });
    await withContext(
      {
        sessionId: "s-1",
        userId: "u-1",
        metadata: { tenant: "acme" },
        tags: ["beta"],
        promptTemplate: { template: "Hi {name}", variables: { name: "Ann" }, version: "v1" },
      },
      () => step(),
    );
    expect(t.span("step").attributes).toMatchObject({
      "session.id": "s-1",
      "user.id": "u-1",
      metadata: '{"tenant":"acme"}',
      "tag.tags": ["beta"],
      "llm.prompt_template.template": "Hi {name}",
      "llm.prompt_template.variables": '{"name":"Ann"}',
      "llm.prompt_template.version": "v1",
    });
    expectValid(t.spans());
  });

  it("merges nested calls: inner wins per key, tags and metadata merge", () => {
    withContext(
      {
        sessionId: "outer",
        userId: "u",
        metadata: { a: 1, b: 1 },
        tags: ["x", "y"],
        attributes: { "agent.name": "outer-agent" },
      },
      () =>
        withContext({ sessionId: "inner", metadata: { b: 2, c: 3 }, tags: ["y", "z"] }, () => {
          expect(getTraceContext()).toMatchObject({ sessionId: "inner", userId: "u", tags: ["x", "y", "z"] });
          traceChain(() => 1, { name: "nested" })();
        }),
    );
    expect(t.span("nested").attributes).toMatchObject({
      "session.id": "inner",
      "user.id": "u",
      metadata: '{"a":1,"b":2,"c":3}',
      "tag.tags": ["x", "y", "z"],
      "agent.name": "outer-agent",
    });
  });

  it("the processor stamps spans of other instrumentations (plain OTel tracer)", () => {
    withContext({ sessionId: "s-3", tags: ["third-party"] }, () => {
      trace.getTracer("some-http-instrumentation").startActiveSpan("GET /", (span) => span.end());
    });
    expect(t.span("GET /").attributes).toMatchObject({ "session.id": "s-3", "tag.tags": ["third-party"] });
  });

  it("explicit span attributes win over the context", () => {
    withContext({ sessionId: "ctx" }, () =>
      traceChain(() => 1, { name: "explicit", attributes: { "session.id": "mine" } })(),
    );
    expect(t.span("explicit").attributes["session.id"]).toBe("mine");
  });

  it("keeps 100 concurrent sessions isolated", async () => {
    const leaf = traceLLM(
      async (i: number) => {
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        return i;
      },
      { name: "leaf" },
    );
    const handler = traceChain(
      async (i: number) => {
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        await leaf(i);
        await withContext({ tags: [`inner-${i}`] }, () => leaf(i));
      },
      { name: "handler" },
    );
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        withContext({ sessionId: `session-${i}`, userId: `user-${i}`, tags: [`t-${i}`] }, () => handler(i)),
      ),
    );
    const spans = t.spans();
    expect(spans).toHaveLength(300);
    for (const span of spans) {
      const i =
        span.name === "handler"
          ? JSON.parse(String(span.attributes["input.value"]))
          : Number(span.attributes["output.value"]);
      expect(span.attributes["session.id"]).toBe(`session-${i}`);
      expect(span.attributes["user.id"]).toBe(`user-${i}`);
      const tags = span.attributes["tag.tags"] as string[];
      expect(tags[0]).toBe(`t-${i}`);
      expect(tags.length === 1 || tags[1] === `inner-${i}`).toBe(true);
    }
    // Every leaf's parent is its own session's handler.
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    for (const leafSpan of spans.filter((s) => s.name === "leaf")) {
      const parent = byId.get(leafSpan.parentSpanContext!.spanId)!;
      expect(parent.attributes["session.id"]).toBe(leafSpan.attributes["session.id"]);
    }
  });

  it("setTraceContext works with contexts managed by the caller", () => {
    const ctx = setTraceContext(context.active(), { sessionId: "manual" });
    context.with(ctx, () => traceChain(() => 1, { name: "manual" })());
    expect(t.span("manual").attributes["session.id"]).toBe("manual");
    expect(getTraceContext()).toBeUndefined();
  });
});
