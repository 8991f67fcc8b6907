/**
 * Demo, part 2: the rest of the pipeline on built-in defaults. Traces a small support agent with
 * @semtrace/core (agent → tool + LLM call, with session context) on the real OpenTelemetry SDK; inside the
 * LLM call, a model client library records its own span with the OpenTelemetry GenAI conventions
 * (@semtrace/genai builders), as apps that mix instrumentations get. Writes the finished spans as a JSON
 * file and checks them with the real `semtrace validate` against both built-in registries. Prints the
 * spans' attributes and the validator's report. No network: the "model" is a function.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SpanKind, context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { SemtraceContextSpanProcessor, startActiveSpan, traceAgent, traceTool, withContext } from "@semtrace/core";
import { buildInferenceAttributes, buildSpanKindAttributes } from "@semtrace/genai";

/**
 * A model client library instrumented with the OpenTelemetry GenAI conventions: one CLIENT span per call, with the
 * content (system instructions, input and output messages, tool definitions) in the shapes of the GenAI JSON
 * schemas, which `semtrace validate` checks.
 */
function modelClient(prompt) {
  return trace.getTracer("demo-model-client").startActiveSpan("chat gpt-4o-mini", { kind: SpanKind.CLIENT }, (span) => {
    const text = `Order ${prompt.order.orderId} has ${prompt.order.status} and arrives ${prompt.order.eta}.`;
    // The cast: @semtrace/genai's builders return its whole Attributes type, whose `gen_ai.tool.call.result` is
    // `unknown` (any JSON value), which OpenTelemetry's Attributes does not accept.
    span.setAttributes(
      /** @type {import("@opentelemetry/api").Attributes} */ ({
        ...buildSpanKindAttributes("chat"),
        ...buildInferenceAttributes({
          provider: { name: "openai" },
          request: { model: "gpt-4o-mini", temperature: 0.2 },
          response: { id: "chatcmpl-demo-1", model: "gpt-4o-mini-2024-07-18", finishReasons: ["stop"] },
          usage: { inputTokens: 48, outputTokens: 12 },
          systemInstructions: [{ type: "text", content: "You are a support agent. Answer in one sentence." }],
          input: {
            messages: [
              { role: "user", parts: [{ type: "text", content: prompt.question }] },
              {
                role: "assistant",
                parts: [
                  {
                    type: "tool_call",
                    id: "call_1",
                    name: "lookup_order",
                    arguments: { orderId: prompt.order.orderId },
                  },
                ],
              },
              { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: prompt.order }] },
            ],
          },
          output: {
            messages: [{ role: "assistant", parts: [{ type: "text", content: text }], finish_reason: "stop" }],
          },
          tool: { definitions: [{ type: "function", name: "lookup_order" }] },
        }),
      }),
    );
    span.end();
    return text;
  });
}

/**
 * Traces the support agent on the real OpenTelemetry SDK and returns its finished spans as plain objects.
 * @param {{ log?: (line: string) => void }} [options]
 */
export async function traceSupportAgent({ log = () => {} } = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SemtraceContextSpanProcessor(), new SimpleSpanProcessor(exporter)],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);

  const lookupOrder = traceTool(async (orderId) => ({ orderId, status: "shipped", eta: "tomorrow" }), {
    name: "lookup_order",
  });
  const answer = (question, order) =>
    startActiveSpan("LLM", "chat gpt-4o-mini", async (span) => {
      span.setModel("gpt-4o-mini", { provider: "openai", system: "openai" });
      span.setInput({ question, order });
      const text = modelClient({ question, order });
      span.setUsage({ input: 48, output: 12, total: 60 });
      span.setOutput(text);
      return text;
    });
  const agent = traceAgent(async (question) => answer(question, await lookupOrder("A-17")), { name: "support-agent" });

  log("\n== Tracing a support agent with @semtrace/core (real OpenTelemetry SDK, in-memory exporter)");
  const reply = await withContext({ sessionId: "demo-session", userId: "customer-42", tags: ["demo"] }, () =>
    agent("Where is my order?"),
  );
  log(`  agent replied: ${reply}`);
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans().map((s) => ({
    name: s.name,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    attributes: s.attributes,
  }));
  for (const s of spans) {
    log(`  span "${s.name}" (${Object.keys(s.attributes).length} attributes)`);
    for (const [k, v] of Object.entries(s.attributes)) log(`    ${k} = ${JSON.stringify(v).slice(0, 90)}`);
  }
  await provider.shutdown();
  trace.disable();
  context.disable();
  return spans;
}

export async function traceAndValidate() {
  const spans = await traceSupportAgent({ log: console.log });

  const dir = mkdtempSync(join(os.tmpdir(), "semtrace-demo-"));
  const file = join(dir, "spans.json");
  writeFileSync(file, JSON.stringify(spans, null, 2));
  const bin = fileURLToPath(new URL("../../packages/cli/bin/semtrace.js", import.meta.url));
  console.log(`\n== semtrace validate --registry openinference --registry genai ${file}`);
  const run = spawnSync(
    process.execPath,
    [bin, "validate", "--registry", "openinference", "--registry", "genai", file],
    { encoding: "utf8" },
  );
  rmSync(dir, { recursive: true, force: true });
  console.log((run.stdout + run.stderr).trimEnd().replace(/^/gm, "  "));
  console.log(`  exit code ${run.status} (0: no errors)`);
  return run.status === 0 ? 0 : 1;
}
