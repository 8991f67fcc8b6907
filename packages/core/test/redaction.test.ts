import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REDACTION_TABLE } from "../src/redaction-table.js";
import {
  REDACTED,
  configure,
  resetConfig,
  startActiveSpan,
  startSpan,
  traceChain,
  type TraceConfig,
} from "../src/index.js";
import type { LLMAttributesInput } from "@semtrace/openinference";
import { deriveRedactionTable } from "./support/spec-redaction.js";
import { expectValid, setupTracing } from "./support/otel.js";

const t = setupTracing();
beforeEach(() => t.reset());
afterEach(() => resetConfig());

const IMAGE = "https://example.com/cat.png";
const LLM_INPUT: LLMAttributesInput = {
  modelName: "gpt-4o",
  invocationParameters: { temperature: 0 },
  inputMessages: [
    { role: "system", content: "be brief" },
    {
      role: "user",
      contents: [
        { type: "text", text: "what is this?" },
        { type: "image", image: { url: IMAGE } },
      ],
    },
  ],
  outputMessages: [
    {
      role: "assistant",
      content: "a cat",
      toolCalls: [{ id: "c1", function: { name: "lookup", arguments: '{"q":"cat"}' } }],
    },
  ],
  tools: [{ name: "lookup", description: "Looks up", jsonSchema: { type: "object" } }],
  prompts: [{ text: "complete: " }],
  choices: [{ text: "done" }],
  tokenCount: { prompt: 10, completion: 3, total: 13 },
};

/** Records a full LLM span under `config` and returns its attributes. */
function llmSpan(config?: TraceConfig): Record<string, unknown> {
  const name = `llm-${Math.random()}`;
  startActiveSpan(
    "LLM",
    name,
    (span) => {
      span.record(LLM_INPUT);
      span.setInput({ question: "what is this?" });
      span.setOutput("a cat");
    },
    config ? { config } : {},
  );
  return { ...t.span(name).attributes };
}

describe("the redaction table", () => {
  it("matches what spec/openinference says (cannot drift)", async () => {
    const derived = await deriveRedactionTable();
    expect(derived.annotatedTemplates).toEqual([]);
    const normalised = JSON.parse(JSON.stringify(REDACTION_TABLE)) as unknown;
    if (JSON.stringify(normalised) !== JSON.stringify(derived.rules)) {
      console.log("Expected REDACTION_TABLE (src/redaction-table.ts):\n" + JSON.stringify(derived.rules, null, 2));
    }
    expect(normalised).toEqual(derived.rules);
    expect(Object.keys(normalised as object)).toEqual(Object.keys(derived.rules));
  });
});

describe("hiding (spec/README.md §2.5)", () => {
  it("changes nothing by default, and the span is valid", () => {
    const a = llmSpan();
    expect(a["llm.input_messages.0.message.content"]).toBe("be brief");
    expect(a["llm.input_messages.1.message.contents.1.message_content.image.image.url"]).toBe(IMAGE);
    expect(a["input.value"]).toBe('{"question":"what is this?"}');
    expectValid(t.spans());
  });

  it("hideInputs: input.value masked, mime type, input messages and tools removed", () => {
    const a = llmSpan({ hideInputs: true });
    expect(a["input.value"]).toBe(REDACTED);
    expect(a).not.toHaveProperty("input.mime_type");
    expect(Object.keys(a).filter((k) => k.startsWith("llm.input_messages.") || k.startsWith("llm.tools."))).toEqual([]);
    expect(a["output.value"]).toBe("a cat");
    expect(a["llm.output_messages.0.message.content"]).toBe("a cat");
    expect(a["llm.model_name"]).toBe("gpt-4o");
  });

  it("hideOutputs: output.value masked, output messages removed", () => {
    const a = llmSpan({ hideOutputs: true });
    expect(a["output.value"]).toBe(REDACTED);
    expect(a).not.toHaveProperty("output.mime_type");
    expect(Object.keys(a).filter((k) => k.startsWith("llm.output_messages."))).toEqual([]);
    expect(a["input.value"]).not.toBe(REDACTED);
  });

  it("hideInputMessages / hideOutputMessages remove every indexed key under them", () => {
    const a = llmSpan({ hideInputMessages: true, hideOutputMessages: true });
    expect(
      Object.keys(a).filter((k) => k.startsWith("llm.input_messages.") || k.startsWith("llm.output_messages.")),
    ).toEqual([]);
    expect(a["input.value"]).toBe('{"question":"what is this?"}');
  });

  it("hideInputText masks only the text of input messages and their text parts", () => {
    const a = llmSpan({ hideInputText: true });
    expect(a["llm.input_messages.0.message.content"]).toBe(REDACTED);
    expect(a["llm.input_messages.0.message.role"]).toBe("system");
    expect(a["llm.input_messages.1.message.contents.0.message_content.text"]).toBe(REDACTED);
    expect(a["llm.input_messages.1.message.contents.0.message_content.type"]).toBe("text");
    expect(a["llm.input_messages.1.message.contents.1.message_content.image.image.url"]).toBe(IMAGE);
    expect(a["llm.output_messages.0.message.content"]).toBe("a cat");
  });

  it("hideOutputText masks the text of output messages", () => {
    const a = llmSpan({ hideOutputText: true });
    expect(a["llm.output_messages.0.message.content"]).toBe(REDACTED);
    expect(a["llm.input_messages.0.message.content"]).toBe("be brief");
  });

  it("hideInputImages removes image parts of input messages", () => {
    const a = llmSpan({ hideInputImages: true });
    expect(a).not.toHaveProperty("llm.input_messages.1.message.contents.1.message_content.image.image.url");
    expect(a["llm.input_messages.1.message.contents.0.message_content.text"]).toBe("what is this?");
  });

  it("hideLLMTools, hideInvocationParameters, hidePrompts, hideChoices", () => {
    const a = llmSpan({ hideLLMTools: true, hideInvocationParameters: true, hidePrompts: true, hideChoices: true });
    expect(Object.keys(a).filter((k) => k.startsWith("llm.tools."))).toEqual([]);
    expect(a["llm.invocation_parameters"]).toBe(REDACTED);
    expect(a["llm.prompts.0.prompt.text"]).toBe(REDACTED);
    expect(a["llm.choices.0.completion.text"]).toBe(REDACTED);
  });

  it("hideEmbeddingVectors removes vectors (never turns them into strings); hideEmbeddingText masks text", () => {
    const span = startSpan("EMBEDDING", "embed", { config: { hideEmbeddingVectors: true, hideEmbeddingText: true } });
    span.record({
      modelName: "text-embedding-3-small",
      embeddings: [
        { text: "hello", vector: [0.1, 0.2] },
        { text: "world", vector: [0.3] },
      ],
    });
    span.end();
    const a = t.span("embed").attributes;
    expect(a["embedding.embeddings.0.embedding.text"]).toBe(REDACTED);
    expect(a["embedding.embeddings.1.embedding.text"]).toBe(REDACTED);
    expect(a).not.toHaveProperty("embedding.embeddings.0.embedding.vector");
    expect(a).not.toHaveProperty("embedding.embeddings.1.embedding.vector");
    expectValid(t.spans());
  });

  it("hideContent hides every sensitivity: content attribute, including documents", () => {
    const span = startSpan("RETRIEVER", "docs", { config: { hideContent: true } });
    span.record({ documents: [{ id: "d1", content: "secret", score: 0.5, metadata: { a: 1 } }] });
    span.setInput("query");
    span.end();
    const a = t.span("docs").attributes;
    expect(a["retrieval.documents.0.document.content"]).toBe(REDACTED);
    expect(a["retrieval.documents.0.document.id"]).toBe("d1");
    expect(a["retrieval.documents.0.document.score"]).toBe(0.5);
    expect(a["input.value"]).toBe(REDACTED);
  });

  it("a long base64 data URI in image.url is masked (OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH)", () => {
    const big = `data:image/png;base64,${"A".repeat(100)}`;
    const span = startSpan("LLM", "img", { config: { base64ImageMaxLength: 50 } });
    span.record({
      inputMessages: [
        {
          role: "user",
          contents: [
            { type: "image", image: { url: big } },
            { type: "image", image: { url: IMAGE } },
          ],
        },
      ],
    });
    span.end();
    const a = t.span("img").attributes;
    expect(a["llm.input_messages.0.message.contents.0.message_content.image.image.url"]).toBe(REDACTED);
    expect(a["llm.input_messages.0.message.contents.1.message_content.image.image.url"]).toBe(IMAGE);
    // Default limit: 32 000.
    const span2 = startSpan("LLM", "img2");
    span2.record({
      inputMessages: [
        { role: "user", contents: [{ type: "image", image: { url: `data:image/png;base64,${"A".repeat(40_000)}` } }] },
      ],
    });
    span2.end();
    expect(t.span("img2").attributes["llm.input_messages.0.message.contents.0.message_content.image.image.url"]).toBe(
      REDACTED,
    );
  });

  it("reads the OPENINFERENCE_HIDE_* environment variables; options win over them", () => {
    process.env["OPENINFERENCE_HIDE_INPUTS"] = "true";
    process.env["OPENINFERENCE_HIDE_EMBEDDING_VECTORS"] = "true";
    try {
      resetConfig();
      expect(llmSpan()["input.value"]).toBe(REDACTED);
      expect(llmSpan({ hideInputs: false })["input.value"]).not.toBe(REDACTED);
      configure({ hideOutputs: true });
      const a = llmSpan();
      expect(a["input.value"]).toBe(REDACTED);
      expect(a["output.value"]).toBe(REDACTED);
    } finally {
      delete process.env["OPENINFERENCE_HIDE_INPUTS"];
      delete process.env["OPENINFERENCE_HIDE_EMBEDDING_VECTORS"];
    }
  });

  it("applies to the default input/output capture of wrappers", () => {
    configure({ hideInputs: true, hideOutputs: true });
    traceChain((s: string) => s + "!", { name: "wrapped" })("secret");
    expect(t.span("wrapped").attributes).toMatchObject({ "input.value": REDACTED, "output.value": REDACTED });
  });
});

describe("size budget", () => {
  it("truncates large values but never drops span kind, model or usage", () => {
    const span = startSpan("LLM", "budget", { config: { maxSpanChars: 100 } });
    span.setInput("x".repeat(80));
    span.setOutput("y".repeat(80));
    span.setModel("gpt-4o-mini");
    span.setUsage({ input: 1000, output: 10 });
    span.end();
    const a = t.span("budget").attributes;
    expect(a["input.value"]).toBe("x".repeat(80));
    expect(String(a["output.value"]).startsWith("y".repeat(20 - "text/plain".length))).toBe(true);
    expect(String(a["output.value"]).endsWith("…[truncated]")).toBe(true);
    expect(a).toMatchObject({
      "openinference.span.kind": "LLM",
      "llm.model_name": "gpt-4o-mini",
      "llm.token_count.prompt": 1000,
      "llm.token_count.total": 1010,
    });
    expect(a["llm.cost.total"]).toBeGreaterThan(0);
  });
});
