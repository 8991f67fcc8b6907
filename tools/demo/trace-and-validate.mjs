/**
 * Demo, part 2: the rest of the pipeline on built-in defaults. Traces a small support agent with
 * @semtrace/core (agent → tool + LLM call, with session context) on the real OpenTelemetry SDK,
 * writes the finished spans as a JSON file, and checks them with the real `semtrace validate`.
 * Prints the spans' attributes and the validator's report. No network: the "model" is a function.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { SemtraceContextSpanProcessor, startActiveSpan, traceAgent, traceTool, withContext } from "@semtrace/core";

export async function traceAndValidate() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SemtraceContextSpanProcessor(), new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);

  const lookupOrder = traceTool(async (orderId) => ({ orderId, status: "shipped", eta: "tomorrow" }), { name: "lookup_order" });
  const answer = (question, order) =>
    startActiveSpan("LLM", "chat gpt-4o-mini", async (span) => {
      span.setModel("gpt-4o-mini", { provider: "openai", system: "openai" });
      span.setInput({ question, order });
      const text = `Order ${order.orderId} has ${order.status} and arrives ${order.eta}.`;
      span.setUsage({ input: 48, output: 12, total: 60 });
      span.setOutput(text);
      return text;
    });
  const agent = traceAgent(async (question) => answer(question, await lookupOrder("A-17")), { name: "support-agent" });

  console.log("\n== Tracing a support agent with @semtrace/core (real OpenTelemetry SDK, in-memory exporter)");
  const reply = await withContext({ sessionId: "demo-session", userId: "customer-42", tags: ["demo"] }, () => agent("Where is my order?"));
  console.log(`  agent replied: ${reply}`);
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans().map((s) => ({
    name: s.name,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    attributes: s.attributes,
  }));
  for (const s of spans) {
    console.log(`  span "${s.name}" (${Object.keys(s.attributes).length} attributes)`);
    for (const [k, v] of Object.entries(s.attributes)) console.log(`    ${k} = ${JSON.stringify(v).slice(0, 90)}`);
  }
  await provider.shutdown();

  const dir = mkdtempSync(join(os.tmpdir(), "semtrace-demo-"));
  const file = join(dir, "spans.json");
  writeFileSync(file, JSON.stringify(spans, null, 2));
  const bin = fileURLToPath(new URL("../../packages/cli/bin/semtrace.js", import.meta.url));
  console.log(`\n== semtrace validate ${file}`);
  const run = spawnSync(process.execPath, [bin, "validate", file], { encoding: "utf8" });
  console.log((run.stdout + run.stderr).trimEnd().replace(/^/gm, "  "));
  console.log(`  exit code ${run.status} (0: no errors)`);
  return run.status === 0 ? 0 : 1;
}
