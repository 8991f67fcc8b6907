/**
 * Core wrappers, handles and decorators: `traceLLM` wraps a function (same type, sync stays sync), `currentSpan`
 * gives the span's handle typed by kind, `startActiveSpan` is the callback form, and `@traced` decorates methods.
 * The LLM span is priced from the default price table at its end.
 */
import { currentSpan, startActiveSpan, traceLLM, traceTool, traced } from "@semtrace/core";
import { attributeLines, setupTracing } from "../shared/tracing.js";

const { spans } = setupTracing();

// A stand-in for a provider SDK: the example makes no network call.
const fakeCompletion = async (prompt: string) => ({
  model: "gpt-4o-mini-2024-07-18",
  text: `echo: ${prompt}`,
  usage: { prompt_tokens: 1200, completion_tokens: 300 },
});

const chat = traceLLM(async function chat(prompt: string) {
  const response = await fakeCompletion(prompt);
  currentSpan("LLM")
    ?.setModel(response.model, { provider: "openai" })
    .setUsage({ input: response.usage.prompt_tokens, output: response.usage.completion_tokens });
  return response.text;
});

const search = traceTool((query: string) => [`doc about ${query}`], {
  attributes: { "tool.description": "Search the docs" },
});

class Agent {
  @traced("AGENT")
  async answer(question: string): Promise<string> {
    const docs = search(question);
    return chat(`${question} (${docs.length} docs)`);
  }
}

console.log(await new Agent().answer("semtrace"));
await startActiveSpan("CHAIN", "summarise", async (span) => {
  span.set("input.value", "three notes");
  span.setCustom("mycompany.batch", 3);
});

for (const span of spans()) {
  console.log(
    `${span.name} ${String(span.attributes["openinference.span.kind"])} parent=${spans().find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId)?.name ?? "-"}`,
  );
  for (const line of attributeLines(span, [
    "llm.model_name",
    "llm.token_count.total",
    "llm.cost.total",
    "tool.description",
    "mycompany.batch",
  ]))
    console.log(line);
}
