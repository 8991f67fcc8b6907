/**
 * `conventions: "openinference" | "genai" | "both"`: the same wrappers and handles write GenAI natively (translated
 * when the span ends), and the validating processor judges each span by what it declares. Real SDK, real exporter.
 */
import { genaiRegistry, validateAttributes as validateGenAI } from "@semtrace/genai";
import { openinferenceRegistry } from "@semtrace/openinference";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  SemtraceContextSpanProcessor,
  ValidatingSpanProcessor,
  configure,
  resetConfig,
  traceAgent,
  traceLLM,
  traceTool,
  withContext,
} from "../src/index.js";
import { setupTracing } from "./support/otel.js";

const validating = new ValidatingSpanProcessor({
  mode: "collect",
  minSeverity: "error",
  registries: [openinferenceRegistry, genaiRegistry],
});
const t = setupTracing([new SemtraceContextSpanProcessor(), validating]);
beforeEach(() => {
  t.reset();
  validating.clear();
});
afterEach(() => resetConfig());

const chat = (conventions: "openinference" | "genai" | "both") =>
  traceLLM(async (prompt: string) => ({ text: `echo: ${prompt}`, model: "gpt-4o-mini" }), {
    name: "chat-call",
    config: { conventions },
    processInput: (prompt) => ({
      "llm.provider": "openai",
      "llm.system": "openai",
      "llm.input_messages.0.message.role": "user",
      "llm.input_messages.0.message.content": prompt,
      "llm.invocation_parameters": JSON.stringify({ model: "gpt-4o-mini", temperature: 0.1 }),
    }),
    processOutput: (response, span) => {
      span.setModel(response.model).setUsage({ input: 8, output: 5 });
      span.record({ outputMessages: [{ role: "assistant", content: response.text }] });
    },
  });

describe("conventions", () => {
  it("genai: GenAI keys only (and what has no counterpart), the GenAI span name, valid with zero errors", async () => {
    await withContext({ sessionId: "s-1", userId: "u-1", tags: ["beta"] }, () => chat("genai")("hi"));
    const span = t.span("chat gpt-4o-mini");
    const a = span.attributes;
    expect(a).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.request.temperature": 0.1,
      "gen_ai.response.model": "gpt-4o-mini",
      "gen_ai.usage.input_tokens": 8,
      "gen_ai.usage.output_tokens": 5,
      "gen_ai.conversation.id": "s-1",
      "user.id": "u-1",
      "tag.tags": ["beta"],
    });
    expect(JSON.parse(a["gen_ai.input.messages"] as string)).toEqual([
      { role: "user", parts: [{ type: "text", content: "hi" }] },
    ]);
    expect(JSON.parse(a["gen_ai.output.messages"] as string)).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "echo: hi" }], finish_reason: "stop" },
    ]);
    // Carried keys are not written in OpenInference; cost (no GenAI counterpart) stays as it was.
    for (const key of [
      "openinference.span.kind",
      "llm.model_name",
      "session.id",
      "llm.input_messages.0.message.role",
      "llm.token_count.prompt",
    ])
      expect(a[key], key).toBeUndefined();
    expect(a["llm.cost.total"]).toBeGreaterThan(0);
    expect(validateGenAI(a as never).filter((f) => f.severity === "error")).toEqual([]);
    expect(validating.results).toEqual([]);
  });

  it("both: both attribute sets on one span, valid against both registries", async () => {
    await chat("both")("hi");
    const a = t.span("chat-call").attributes;
    expect(a).toMatchObject({
      "openinference.span.kind": "LLM",
      "llm.model_name": "gpt-4o-mini",
      "gen_ai.operation.name": "chat",
      "gen_ai.response.model": "gpt-4o-mini",
    });
    expect(validating.results).toEqual([]);
  });

  it("each span is judged by what it declares: both → both registries, openinference → OpenInference alone", async () => {
    // An agent span that names no provider: GenAI requires gen_ai.provider.name on invoke_agent, OpenInference nothing.
    const agent = (conventions: "openinference" | "both") =>
      traceAgent(async () => 1, {
        name: `agent-${conventions}`,
        config: { conventions },
        attributes: { "agent.name": "planner" },
      })();
    await agent("both");
    expect(validating.results.map((r) => [r.spanName, r.findings.map((f) => `${f.rule} ${f.key}`)])).toEqual([
      ["agent-both", ["attribute.required gen_ai.provider.name"]],
    ]);
    validating.clear();
    await agent("openinference");
    expect(validating.results).toEqual([]);
  });

  it("openinference (the default) writes no GenAI key", async () => {
    await chat("openinference")("hi");
    expect(Object.keys(t.span("chat-call").attributes).filter((k) => k.startsWith("gen_ai."))).toEqual([]);
  });

  it("configure() sets it for every span: tools and agents, nested, with the operation as the initial attribute", async () => {
    configure({ conventions: "genai" });
    const tool = traceTool((city: string) => JSON.stringify({ city, sky: "clear" }), {
      name: "get_weather",
      processInput: (city) => ({ "input.value": JSON.stringify({ city }), "input.mime_type": "application/json" }),
    });
    await traceAgent(async () => tool("Paris"), { name: "planner", attributes: { "agent.name": "planner" } })();
    expect(t.span("execute_tool get_weather").attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "get_weather",
      "gen_ai.tool.call.arguments": '{"city":"Paris"}',
    });
    expect(t.span("invoke_agent planner").attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "planner",
    });
    // GenAI requires the provider on invoke_agent spans: an agent span that names none is told so, by name.
    expect(validating.results.map((r) => [r.spanName, r.findings.map((f) => `${f.rule} ${f.key}`)])).toEqual([
      ["invoke_agent planner", ["attribute.required gen_ai.provider.name"]],
    ]);
    validating.clear();
    await traceAgent(async () => 1, {
      name: "named",
      attributes: { "agent.name": "named", "llm.provider": "openai" },
    })();
    expect(t.span("invoke_agent named").attributes["gen_ai.provider.name"]).toBe("openai");
    expect(validating.results).toEqual([]);
  });

  it("an unknown value is ignored and reported (openinference applies)", async () => {
    await traceLLM(async () => "ok", { name: "odd", config: { conventions: "zipkin" as never } })();
    expect(t.span("odd").attributes["openinference.span.kind"]).toBe("LLM");
  });
});

describe("semtrace's own spans through TranslatingSpanExporter", () => {
  it("reach a GenAI backend complete, and an OpenInference one as they were", async () => {
    const { TranslatingSpanExporter } = await import("@semtrace/translate");
    const { InMemorySpanExporter } = await import("@opentelemetry/sdk-trace-base");
    await chat("openinference")("hi");
    const [span] = t.spans();
    for (const emit of ["genai", "openinference", "both"] as const) {
      const sink = new InMemorySpanExporter();
      await new Promise((resolve) => new TranslatingSpanExporter(sink, { emit }).export([span!], resolve));
      const [out] = sink.getFinishedSpans();
      if (emit === "openinference") expect(out).toBe(span);
      else expect(validateGenAI(out!.attributes as never).filter((f) => f.severity === "error")).toEqual([]);
      if (emit === "genai") expect(out!.name).toBe("chat gpt-4o-mini");
    }
  });
});
