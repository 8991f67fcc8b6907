/**
 * Redaction: the OPENINFERENCE_HIDE_* settings, globally with `configure` or per span with `config`, driven by the
 * spec's sensitivity annotations: hidden content strings become `__REDACTED__`, other hidden values are removed.
 */
import { configure, redactAttributes, traceLLM } from "@semtrace/core";
import { attributeLines, setupTracing } from "../shared/tracing.js";

const { spans } = setupTracing();
configure({ hideInputMessages: true });

const chat = traceLLM(
  async function chat(prompt: string) {
    return `echo: ${prompt}`;
  },
  {
    config: { hideOutputs: true },
    processInput: (prompt) => ({
      "llm.input_messages.0.message.role": "user",
      "llm.input_messages.0.message.content": prompt,
    }),
  },
);
await chat("my card number is 4242 4242 4242 4242");
console.log(attributeLines(spans()[0]!).join("\n"));

// The same rules for a record of your own (an event payload, a log line).
console.log(
  JSON.stringify(redactAttributes({ "input.value": "secret", "llm.model_name": "gpt-4o-mini" }, { hideInputs: true })),
);
