/**
 * Builders: one typed input per span kind, written as the flat dotted attributes OpenInference backends read
 * (lists flattened to `llm.input_messages.0.message.role`, token details nested, totals as given).
 */
import { buildLLMAttributes, buildRetrieverAttributes, validateAttributes } from "@semtrace/openinference";

const llm = buildLLMAttributes({
  modelName: "gpt-4o-mini",
  provider: "openai",
  inputMessages: [{ role: "user", content: "What is semtrace?" }],
  outputMessages: [{ role: "assistant", content: "Typed semantic conventions." }],
  tokenCount: { prompt: 12, completion: 5, total: 17, promptDetails: { cacheRead: 4 } },
});
for (const [key, value] of Object.entries(llm)) console.log(`${key} = ${JSON.stringify(value)}`);

const retriever = buildRetrieverAttributes({ documents: [{ id: "d1", content: "semtrace docs", score: 0.9 }] });
for (const [key, value] of Object.entries(retriever)) console.log(`${key} = ${JSON.stringify(value)}`);

const errors = validateAttributes({ "openinference.span.kind": "LLM", ...llm }).filter((f) => f.severity === "error");
console.log(`errors: ${errors.length}`);
