/**
 * One app mixing both: context set with the real `@arizeai/openinference-core` helpers (setSession, setUser,
 * setMetadata, setTags, setPromptTemplate) is stamped on semtrace's spans and, by the context processor, on spans
 * of any instrumentation; context set with semtrace's `withContext` reaches spans of OpenInference's own tracer
 * (`OITracer`, what its instrumentations create spans with). Nested either way, the inner setting wins.
 */
import {
  OITracer,
  setAttributes,
  setMetadata,
  setPromptTemplate,
  setSession,
  setTags,
  setUser,
} from "@arizeai/openinference-core";
import { context, trace } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";
import { SemtraceContextSpanProcessor, traceChain, traceLLM, withContext } from "../src/index.js";
import { expectValid, setupTracing } from "./support/otel.js";

const t = setupTracing([new SemtraceContextSpanProcessor()]);
beforeEach(() => t.reset());

const oiContext = () =>
  setPromptTemplate(
    setTags(
      setMetadata(setUser(setSession(context.active(), { sessionId: "oi-session" }), { userId: "oi-user" }), {
        tenant: "acme",
      }),
      ["oi-tag"],
    ),
    { template: "Hi {name}", variables: { name: "Ann" }, version: "v2" },
  );

const OI_ATTRIBUTES = {
  "session.id": "oi-session",
  "user.id": "oi-user",
  metadata: '{"tenant":"acme"}',
  "tag.tags": ["oi-tag"],
  "llm.prompt_template.template": "Hi {name}",
  "llm.prompt_template.variables": '{"name":"Ann"}',
  "llm.prompt_template.version": "v2",
};

describe("openinference-core's context → semtrace", () => {
  it("semtrace's spans carry what setSession & co. set", async () => {
    await context.with(oiContext(), () => traceLLM(async () => "ok", { name: "llm" })());
    expect(t.span("llm").attributes).toMatchObject(OI_ATTRIBUTES);
    expectValid(t.spans());
  });

  it("the context processor stamps it on other instrumentations' spans, setAttributes included", () => {
    context.with(setAttributes(oiContext(), { "agent.name": "router" }), () =>
      trace.getTracer("http").startActiveSpan("GET /", (s) => s.end()),
    );
    expect(t.span("GET /").attributes).toMatchObject({ ...OI_ATTRIBUTES, "agent.name": "router" });
  });

  it("an OpenInference setting inside semtrace's withContext wins; the rest of both stays", () => {
    withContext({ sessionId: "semtrace-session", userId: "semtrace-user", tags: ["s"] }, () =>
      context.with(setSession(context.active(), { sessionId: "inner-oi" }), () =>
        traceChain(() => 1, { name: "inner" })(),
      ),
    );
    expect(t.span("inner").attributes).toMatchObject({
      "session.id": "inner-oi",
      "user.id": "semtrace-user",
      "tag.tags": ["s"],
    });
  });

  it("semtrace's withContext inside OpenInference's context wins where it sets, and keeps the rest", () => {
    context.with(oiContext(), () =>
      withContext({ sessionId: "semtrace-inner" }, () => traceChain(() => 1, { name: "nested" })()),
    );
    expect(t.span("nested").attributes).toMatchObject({ ...OI_ATTRIBUTES, "session.id": "semtrace-inner" });
  });
});

describe("semtrace's context → OpenInference's tracer", () => {
  it("OITracer spans inside withContext carry session, user, metadata, tags and prompt template", () => {
    const oi = new OITracer({ tracer: trace.getTracer("openinference-instrumentation") });
    withContext(
      {
        sessionId: "s-1",
        userId: "u-1",
        metadata: { plan: "pro" },
        tags: ["a", "b"],
        promptTemplate: { template: "T {x}", variables: { x: 1 }, version: "v1" },
      },
      () => oi.startActiveSpan("OpenAI Chat Completions", (span) => span.end()),
    );
    const attributes = t.span("OpenAI Chat Completions").attributes;
    expect(attributes).toMatchObject({
      "session.id": "s-1",
      "user.id": "u-1",
      metadata: '{"plan":"pro"}',
      // OITracer writes tags JSON-encoded, as upstream does (the registry accepts that spelling).
      "tag.tags": '["a","b"]',
      "llm.prompt_template.template": "T {x}",
      "llm.prompt_template.variables": '{"x":1}',
      "llm.prompt_template.version": "v1",
    });
  });
});
