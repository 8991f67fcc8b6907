/**
 * The app under test: traced with semtrace through @semtrace/node's `register()`. In CI its test run is pointed at
 * a file with SEMTRACE_TRACES_FILE (OTLP/JSON Lines, each span written as it ends), no code change. With
 * `--buggy`, one call sets a token count by hand, as a string: the bug CI should catch.
 */
import { trace } from "@opentelemetry/api";
import { currentSpan, traceAgent, traceLLM } from "@semtrace/core";
import { register } from "@semtrace/node";

const tracing = register({ serviceName: "shop", exporter: "none", validate: false });

const chat = traceLLM(async function chat(prompt: string) {
  currentSpan("LLM")?.setModel("gpt-4o-mini", { provider: "openai" }).setUsage({ input: 10, output: 3 });
  return `echo: ${prompt}`;
});
const agent = traceAgent(async function agent(question: string) {
  return chat(question);
});

await agent("hello");
if (process.argv.includes("--buggy")) {
  // Raw OpenTelemetry, bypassing semtrace's types: a count written as a string.
  const span = trace.getTracer("legacy").startSpan("legacy-llm-call");
  span.setAttributes({
    "openinference.span.kind": "LLM",
    "llm.model_name": "gpt-4o-mini",
    "llm.token_count.prompt": "10",
  });
  span.end();
}
await tracing.shutdown();
