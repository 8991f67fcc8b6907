/**
 * The everyday tracing patterns users come from, end to end on the real SDK: an LLM call with
 * model, provider and usage; an agent span with custom attributes; a tool span; nested operations
 * inheriting the customer's context; events with attributes; links. Every span validates.
 */
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { beforeEach, expect, it } from "vitest";
import {
  SemtraceContextSpanProcessor,
  startActiveSpan,
  startSpan,
  traceAgent,
  traceTool,
  withContext,
} from "../src/index.js";
import { expectValid, parentOf, setupTracing } from "./support/otel.js";

const t = setupTracing([new SemtraceContextSpanProcessor()]);
beforeEach(() => t.reset());

it("a customer request: agent → tool and LLM, with context, events and a link", async () => {
  const lookupOrder = traceTool(async (orderId: string) => ({ orderId, status: "shipped" }), { name: "lookup_order" });

  const callModel = (question: string, order: unknown) =>
    startActiveSpan("LLM", "chat", async (span) => {
      span.setModel("gpt-4o-mini", { provider: "OpenAI", system: "openai" });
      span.setInput({ question, order });
      span.addEvent("prompt.rendered", { "prompt.tokens": 42 });
      span.setUsage({ input: 42, output: 9, total: 51 });
      span.setOutput("Your order has shipped.");
      return "Your order has shipped.";
    });

  const agent = traceAgent(
    async (question: string) => {
      trace.getActiveSpan()?.setAttribute("mycompany.channel", "web");
      const order = await lookupOrder("A-17");
      return callModel(question, order);
    },
    { name: "support-agent" },
  );

  // A span from earlier work (e.g. the request that queued this one), linked from a later one.
  const queued = startSpan("CHAIN", "enqueue");
  queued.end();

  const answer = await withContext(
    { sessionId: "sess-9", userId: "cust-42", metadata: { plan: "pro" }, tags: ["support"] },
    async () => {
      const result = await agent("Where is my order?");
      const audit = startSpan("CHAIN", "audit", { links: [{ context: queued.span.spanContext() }] });
      audit.end();
      return result;
    },
  );
  expect(answer).toBe("Your order has shipped.");

  const agentSpan = t.span("support-agent");
  const toolSpan = t.span("lookup_order");
  const llmSpan = t.span("chat");
  const audit = t.span("audit");

  // Nesting: the tool and the LLM call are children of the agent.
  expect(parentOf(toolSpan)).toBe(agentSpan.spanContext().spanId);
  expect(parentOf(llmSpan)).toBe(agentSpan.spanContext().spanId);
  // The customer's context reaches every span inside withContext, nested ones included.
  for (const s of [agentSpan, toolSpan, llmSpan, audit]) {
    expect(s.attributes).toMatchObject({
      "session.id": "sess-9",
      "user.id": "cust-42",
      metadata: '{"plan":"pro"}',
      "tag.tags": ["support"],
    });
  }
  expect(t.span("enqueue").attributes["session.id"]).toBeUndefined();
  // Custom attributes on the agent, typed conventions on the LLM call.
  expect(agentSpan.attributes["mycompany.channel"]).toBe("web");
  expect(agentSpan.attributes["openinference.span.kind"]).toBe("AGENT");
  expect(toolSpan.attributes["openinference.span.kind"]).toBe("TOOL");
  expect(llmSpan.attributes).toMatchObject({
    "llm.model_name": "gpt-4o-mini",
    "llm.provider": "openai",
    "llm.token_count.total": 51,
    "input.mime_type": "application/json",
  });
  // Events with attributes, and the link.
  expect(llmSpan.events.map((e) => [e.name, e.attributes])).toEqual([["prompt.rendered", { "prompt.tokens": 42 }]]);
  expect(audit.links.map((l) => l.context.spanId)).toEqual([t.span("enqueue").spanContext().spanId]);
  expect(llmSpan.status.code).toBe(SpanStatusCode.OK);
  expectValid(t.spans());
});
