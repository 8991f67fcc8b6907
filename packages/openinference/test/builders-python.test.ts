/**
 * Coverage of the Python SDK's helpers (openinference-instrumentation `get_*_attributes`). Python
 * cannot run here, so each row states, from reading that source, the call and the attributes it
 * returns; our builder must return the same for the equivalent input.
 */
import { describe, expect, it } from "vitest";
import {
  buildContextAttributes,
  buildEmbeddingAttributes,
  buildFeedbackAttributes,
  buildInputAttributes,
  buildLLMAttributes,
  buildOutputAttributes,
  buildRerankerAttributes,
  buildRetrieverAttributes,
  buildSpanKindAttributes,
  buildToolAttributes,
} from "../src/index.js";

type Row = [python: string, ours: () => unknown, want: Record<string, unknown>];

const rows: Row[] = [
  [
    'get_llm_attributes(provider="OpenAI", system="OpenAI", model_name="gpt-4o", invocation_parameters={"temperature": 0})',
    () =>
      buildLLMAttributes({
        provider: "OpenAI",
        system: "OpenAI",
        modelName: "gpt-4o",
        invocationParameters: { temperature: 0 },
      }),
    {
      "llm.provider": "openai",
      "llm.system": "openai",
      "llm.model_name": "gpt-4o",
      "llm.invocation_parameters": '{"temperature":0}',
    },
  ],
  [
    "get_llm_attributes(invocation_parameters='{\"a\":1}')  # a string is kept as is",
    () => buildLLMAttributes({ invocationParameters: '{"a":1}' }),
    { "llm.invocation_parameters": '{"a":1}' },
  ],
  [
    'get_llm_attributes(input_messages=[{"role": "user", "contents": [{"type": "text", "text": "hi"}, {"type": "image", "image": {"url": "u"}}]}, {"role": "tool", "tool_call_id": "c1", "content": "42"}])',
    () =>
      buildLLMAttributes({
        inputMessages: [
          {
            role: "user",
            contents: [
              { type: "text", text: "hi" },
              { type: "image", image: { url: "u" } },
            ],
          },
          { role: "tool", toolCallId: "c1", content: "42" },
        ],
      }),
    {
      "llm.input_messages.0.message.role": "user",
      "llm.input_messages.0.message.contents.0.message_content.type": "text",
      "llm.input_messages.0.message.contents.0.message_content.text": "hi",
      "llm.input_messages.0.message.contents.1.message_content.type": "image",
      "llm.input_messages.0.message.contents.1.message_content.image.image.url": "u",
      "llm.input_messages.1.message.role": "tool",
      "llm.input_messages.1.message.content": "42",
      "llm.input_messages.1.message.tool_call_id": "c1",
    },
  ],
  [
    'get_llm_attributes(output_messages=[{"role": "assistant", "tool_calls": [{"id": "c1", "reasoning_signature": "s", "function": {"name": "f", "arguments": {"x": 1}}}]}])',
    () =>
      buildLLMAttributes({
        outputMessages: [
          {
            role: "assistant",
            toolCalls: [{ id: "c1", reasoningSignature: "s", function: { name: "f", arguments: { x: 1 } } }],
          },
        ],
      }),
    {
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.tool_calls.0.tool_call.id": "c1",
      "llm.output_messages.0.message.tool_calls.0.tool_call.reasoning_signature": "s",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "f",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": '{"x":1}',
    },
  ],
  [
    'get_llm_attributes(token_count={"prompt": 10, "completion": 5, "total": 15, "prompt_details": {"cache_read": 4, "cache_write": 1, "audio": 0}})',
    () =>
      buildLLMAttributes({
        tokenCount: { prompt: 10, completion: 5, total: 15, promptDetails: { cacheRead: 4, cacheWrite: 1, audio: 0 } },
      }),
    {
      "llm.token_count.prompt": 10,
      "llm.token_count.completion": 5,
      "llm.token_count.total": 15,
      "llm.token_count.prompt_details.cache_read": 4,
      "llm.token_count.prompt_details.cache_write": 1,
      "llm.token_count.prompt_details.audio": 0,
    },
  ],
  [
    'get_llm_attributes(tools=[{"json_schema": {"type": "function"}, "name": "f", "description": "does f"}])',
    () => buildLLMAttributes({ tools: [{ jsonSchema: { type: "function" }, name: "f", description: "does f" }] }),
    {
      "llm.tools.0.tool.json_schema": '{"type":"function"}',
      "llm.tools.0.tool.name": "f",
      "llm.tools.0.tool.description": "does f",
    },
  ],
  [
    'get_embedding_attributes(model_name="e", embeddings=[{"text": "t", "vector": [1.5]}])',
    () => buildEmbeddingAttributes({ modelName: "e", embeddings: [{ text: "t", vector: [1.5] }] }),
    {
      "embedding.model_name": "e",
      "embedding.embeddings.0.embedding.text": "t",
      "embedding.embeddings.0.embedding.vector": [1.5],
    },
  ],
  [
    'get_retriever_attributes(documents=[{"content": "c", "id": "d1", "metadata": {"k": "v"}, "score": 0.5}])',
    () => buildRetrieverAttributes({ documents: [{ content: "c", id: "d1", metadata: { k: "v" }, score: 0.5 }] }),
    {
      "retrieval.documents.0.document.content": "c",
      "retrieval.documents.0.document.id": "d1",
      "retrieval.documents.0.document.metadata": '{"k":"v"}',
      "retrieval.documents.0.document.score": 0.5,
    },
  ],
  [
    'get_reranker_attributes(query="q", model_name="r", top_k=2, input_documents=[{"id": "a"}], output_documents=[{"id": "b", "score": 0.9}])',
    () =>
      buildRerankerAttributes({
        query: "q",
        modelName: "r",
        topK: 2,
        inputDocuments: [{ id: "a" }],
        outputDocuments: [{ id: "b", score: 0.9 }],
      }),
    {
      "reranker.query": "q",
      "reranker.model_name": "r",
      "reranker.top_k": 2,
      "reranker.input_documents.0.document.id": "a",
      "reranker.output_documents.0.document.id": "b",
      "reranker.output_documents.0.document.score": 0.9,
    },
  ],
  [
    'get_tool_attributes(name="f", description="d", parameters={"type": "object"})',
    () => buildToolAttributes({ name: "f", description: "d", parameters: { type: "object" } }),
    { "tool.name": "f", "tool.description": "d", "tool.parameters": '{"type":"object"}' },
  ],
  [
    'get_context_attributes(session_id="s", user_id="u", metadata={"k": 1}, tags=["a"])',
    () => buildContextAttributes({ sessionId: "s", userId: "u", metadata: { k: 1 }, tags: ["a"] }),
    { "session.id": "s", "user.id": "u", metadata: '{"k":1}', "tag.tags": ["a"] },
  ],
  [
    "get_metadata_attributes(metadata='{\"k\":1}')  # a string is kept as is",
    () => buildContextAttributes({ metadata: '{"k":1}' }),
    { metadata: '{"k":1}' },
  ],
  ['get_span_kind_attributes("llm")', () => buildSpanKindAttributes("llm"), { "openinference.span.kind": "LLM" }],
  [
    'get_input_attributes("hello")',
    () => buildInputAttributes({ value: "hello" }),
    { "input.value": "hello", "input.mime_type": "text/plain" },
  ],
  [
    'get_input_attributes({"q": 1})',
    () => buildInputAttributes({ value: { q: 1 } }),
    { "input.value": '{"q":1}', "input.mime_type": "application/json" },
  ],
  [
    "get_output_attributes([1, 2])",
    () => buildOutputAttributes({ value: [1, 2] }),
    { "output.value": "[1,2]", "output.mime_type": "application/json" },
  ],
  [
    'get_output_attributes(\'{"a":1}\', mime_type="application/json")',
    () => buildOutputAttributes({ value: '{"a":1}', mimeType: "application/json" }),
    { "output.value": '{"a":1}', "output.mime_type": "application/json" },
  ],
  [
    'get_annotation_attributes(annotations=[{"name": "n", "score": 1, "metadata": {"m": 1}}], scope="trace")',
    () => buildFeedbackAttributes({ trace: { annotations: [{ name: "n", score: 1, metadata: { m: 1 } }] } }),
    {
      "trace.annotations.0.annotation.name": "n",
      "trace.annotations.0.annotation.score": 1,
      "trace.annotations.0.annotation.metadata": '{"m":1}',
    },
  ],
  [
    'get_evaluation_attributes(evaluations=[{"name": "n", "label": "ok", "annotator_kind": "HUMAN", "identifier": "i"}], scope="session")',
    () =>
      buildFeedbackAttributes({
        session: { evaluations: [{ name: "n", label: "ok", annotatorKind: "HUMAN", identifier: "i" }] },
      }),
    {
      "session.evaluations.0.evaluation.name": "n",
      "session.evaluations.0.evaluation.label": "ok",
      "session.evaluations.0.evaluation.annotator_kind": "HUMAN",
      "session.evaluations.0.evaluation.identifier": "i",
    },
  ],
];

describe("every Python get_*_attributes helper has a builder that writes the same attributes", () => {
  it.each(rows)("%s", (_, ours, want) => {
    expect(ours()).toEqual(want);
  });
});
