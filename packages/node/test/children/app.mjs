// A small app set up with `register()`: `node app.mjs <options as JSON>`. It makes an LLM span inside a session
// (with @semtrace/core), a plain span inside the same session (an HTTP handler's, say), and an LLM span with a
// type error, then lets the event loop empty: `register()` flushes on `beforeExit`.
import { trace } from "@opentelemetry/api";
import { currentSpan, traceLLM, withContext } from "@semtrace/core";
import { register } from "../../dist/index.js";

const registration = register(JSON.parse(process.argv[2] ?? "{}"));
process.stdout.write(
  `${JSON.stringify({ exporter: registration.exporter, file: registration.file, validate: registration.validate })}\n`,
);
const answer = traceLLM(async function answer(question) {
  currentSpan("LLM")?.setModel("gpt-4o-mini", { provider: "openai" }).setUsage({ input: 3, output: 2 });
  return `echo: ${question}`;
});
await withContext({ sessionId: "s-1", userId: "u-1" }, async () => {
  await answer("hello");
  trace
    .getTracer("app")
    .startSpan("GET /health", { attributes: { "http.request.method": "GET" } })
    .end();
});
trace
  .getTracer("app")
  .startSpan("bad llm", { attributes: { "openinference.span.kind": "LLM", "llm.token_count.prompt": "many" } })
  .end();
