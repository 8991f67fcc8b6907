/**
 * Parity with @arizeai/openinference-core: for the same input, our generated builders produce
 * exactly the attributes its get*Attributes helpers produce (same keys, same values). Inputs are
 * written in the upstream types; ours accept them unchanged.
 */
import {
  getAnnotationAttributes,
  getDocumentAttributes,
  getEmbeddingAttributes,
  getEvaluationAttributes,
  getInputAttributes,
  getLLMAttributes,
  getMetadataAttributes,
  getOutputAttributes,
  getRetrieverAttributes,
  getToolAttributes,
} from "@arizeai/openinference-core";
import { describe, expect, it } from "vitest";
import {
  buildContextAttributes,
  buildEmbeddingAttributes,
  buildFeedbackAttributes,
  buildInputAttributes,
  buildLLMAttributes,
  buildOutputAttributes,
  buildRetrieverAttributes,
  buildToolAttributes,
  documentAttributes,
} from "../src/index.js";

type Attrs = Record<string, unknown>;

const chat = {
  provider: "OpenAI",
  system: "OpenAI",
  modelName: "gpt-4o-2024-08-06",
  requestModelName: "gpt-4o",
  responseModelName: "gpt-4o-2024-08-06",
  invocationParameters: { temperature: 0.2, max_tokens: 512, tool_choice: "auto" },
  inputMessages: [
    { role: "system", content: "You are a weather bot." },
    {
      role: "user",
      contents: [
        { type: "text" as const, text: "What's the weather where this photo was taken?" },
        { type: "image" as const, image: { url: "https://example.com/photo.jpg" } },
      ],
    },
    {
      role: "assistant",
      toolCalls: [
        { id: "call_1", function: { name: "get_weather", arguments: { city: "Paris" } } },
        {
          id: "call_2",
          function: { name: "get_time", arguments: '{"tz":"Europe/Paris"}' },
          reasoningSignature: "sig-1",
        },
      ],
    },
    { role: "tool", toolCallId: "call_1", content: '{"temp": 21}' },
  ],
  outputMessages: [
    {
      role: "assistant",
      content: "It is 21°C in Paris.",
      contents: [
        { type: "reasoning" as const, text: "The tool said 21.", signature: "s", data: "d", encryptedContent: "e" },
      ],
    },
  ],
  tokenCount: { prompt: 120, completion: 14, total: 134, promptDetails: { audio: 0, cacheRead: 64, cacheWrite: 8 } },
  tools: [
    { jsonSchema: { type: "function", function: { name: "get_weather", parameters: { type: "object" } } } },
    { jsonSchema: '{"type":"function"}' },
  ],
};

const documents = [
  { id: "doc-1", content: "Paris is the capital of France.", score: 0.92, metadata: { source: "wiki" } },
  { id: 7, content: "France is in Europe.", score: 0.5, metadata: '{"source":"atlas"}' },
  { content: "No id or score." },
];

const annotations = [
  {
    name: "correctness",
    score: 1,
    label: "correct",
    explanation: "Matches the reference.",
    annotatorKind: "LLM",
    identifier: "eval-1",
    metadata: { judge: "gpt-4o" },
  },
  { name: "tone", label: "friendly" },
];

type Case = [name: string, theirs: () => Attrs, ours: () => Attrs];

const cases: Case[] = [
  [
    "LLM: full chat with multimodal input, tool calls, reasoning output, usage and tools",
    () => getLLMAttributes(chat),
    () => buildLLMAttributes(chat),
  ],
  [
    "LLM: model name falls back to the response model",
    () => getLLMAttributes({ responseModelName: "m-resp", requestModelName: "m-req" }),
    () => buildLLMAttributes({ responseModelName: "m-resp", requestModelName: "m-req" }),
  ],
  [
    "LLM: model name falls back to the request model",
    () => getLLMAttributes({ requestModelName: "m-req" }),
    () => buildLLMAttributes({ requestModelName: "m-req" }),
  ],
  ["LLM: empty input", () => getLLMAttributes({}), () => buildLLMAttributes({})],
  [
    "embedding: model and vectors",
    () =>
      getEmbeddingAttributes({
        modelName: "text-embedding-3-small",
        embeddings: [{ text: "hello", vector: [0.1, 0.2] }, { vector: [0.3] }],
      }),
    () =>
      buildEmbeddingAttributes({
        modelName: "text-embedding-3-small",
        embeddings: [{ text: "hello", vector: [0.1, 0.2] }, { vector: [0.3] }],
      }),
  ],
  // Our Document type says `id: string` (the spec's type); a number is still passed through unchanged, as upstream does.
  [
    "retriever: documents with string/number ids and object/string metadata",
    () => getRetrieverAttributes({ documents }),
    () => buildRetrieverAttributes({ documents: documents as never }),
  ],
  [
    "document under a prefix",
    () => getDocumentAttributes(documents[0]!, 3, "reranker.output_documents"),
    () => documentAttributes(documents[0] as { id: string; content: string }, "reranker.output_documents.3."),
  ],
  [
    "tool: name, description and JSON parameters",
    () =>
      getToolAttributes({
        name: "get_weather",
        description: "Weather by city",
        parameters: { type: "object", properties: { city: { type: "string" } } },
      }),
    () =>
      buildToolAttributes({
        name: "get_weather",
        description: "Weather by city",
        parameters: { type: "object", properties: { city: { type: "string" } } },
      }),
  ],
  ["input: a plain string", () => getInputAttributes("hello"), () => buildInputAttributes({ value: "hello" })],
  [
    "input: value with an explicit MIME type",
    () => getInputAttributes({ value: '{"q":1}', mimeType: "application/json" as never }),
    () => buildInputAttributes({ value: '{"q":1}', mimeType: "application/json" }),
  ],
  ["output: a plain string", () => getOutputAttributes("world"), () => buildOutputAttributes({ value: "world" })],
  [
    "output: value with an explicit MIME type",
    () => getOutputAttributes({ value: "[1,2]", mimeType: "application/json" as never }),
    () => buildOutputAttributes({ value: "[1,2]", mimeType: "application/json" }),
  ],
  [
    "metadata",
    () => getMetadataAttributes({ tenant: "acme", flags: ["a", "b"], nested: { n: 1 } }),
    () => buildContextAttributes({ metadata: { tenant: "acme", flags: ["a", "b"], nested: { n: 1 } } }),
  ],
  [
    "annotations on the span",
    () => getAnnotationAttributes({ annotations }),
    () => buildFeedbackAttributes({ annotations }),
  ],
  [
    "annotations on the trace",
    () => getAnnotationAttributes({ annotations, scope: "trace" }),
    () => buildFeedbackAttributes({ trace: { annotations } }),
  ],
  [
    "annotations on the session",
    () => getAnnotationAttributes({ annotations, scope: "session" }),
    () => buildFeedbackAttributes({ session: { annotations } }),
  ],
  [
    "evaluations on the span",
    () => getEvaluationAttributes({ evaluations: annotations }),
    () => buildFeedbackAttributes({ evaluations: annotations }),
  ],
  [
    "evaluations on the session",
    () => getEvaluationAttributes({ evaluations: annotations, scope: "session" }),
    () => buildFeedbackAttributes({ session: { evaluations: annotations } }),
  ],
];

describe("builders match @arizeai/openinference-core", () => {
  it.each(cases)("%s", (_, theirs, ours) => {
    const want = theirs();
    const got = ours();
    expect(got).toEqual(want);
    // Same keys, not just same values for shared keys.
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  });

  it("the full chat case really exercises every part (guards against an empty comparison)", () => {
    const got = buildLLMAttributes(chat) as Attrs;
    expect(Object.keys(got).length).toBeGreaterThan(35);
    expect(got["llm.provider"]).toBe("openai");
    expect(got["llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments"]).toBe('{"city":"Paris"}');
    expect(got["llm.input_messages.1.message.contents.1.message_content.image.image.url"]).toBe(
      "https://example.com/photo.jpg",
    );
    expect(got["llm.token_count.prompt_details.cache_read"]).toBe(64);
  });
});

describe("beyond @arizeai/openinference-core", () => {
  it("writes completion details, cost, finish reason, message name and every content part type", () => {
    const got = buildLLMAttributes({
      finishReason: "tool_calls",
      tokenCount: { completionDetails: { reasoning: 30, audio: 2 }, promptDetails: { cacheInput: 4, video_frames: 9 } },
      cost: {
        prompt: 0.001,
        completion: 0.002,
        total: 0.003,
        promptDetails: { input: 0.001, cacheRead: 0.0001 },
        completionDetails: { output: 0.002, reasoning: 0.0005 },
      },
      outputMessages: [
        {
          role: "assistant",
          name: "weather-bot",
          contents: [
            { type: "audio", audio: { url: "https://example.com/a.wav", mimeType: "audio/wav", transcript: "hi" } },
            { type: "video", video: { url: "https://example.com/v.mp4" } },
            { type: "tool_use", toolCall: { id: "call_9", function: { name: "f", arguments: { x: 1 } } } },
          ],
        },
      ],
    }) as Attrs;
    expect(got).toEqual({
      "llm.finish_reason": "tool_calls",
      "llm.token_count.completion_details.reasoning": 30,
      "llm.token_count.completion_details.audio": 2,
      "llm.token_count.prompt_details.cache_input": 4,
      "llm.token_count.prompt_details.video_frames": 9,
      "llm.cost.prompt": 0.001,
      "llm.cost.completion": 0.002,
      "llm.cost.total": 0.003,
      "llm.cost.prompt_details.input": 0.001,
      "llm.cost.prompt_details.cache_read": 0.0001,
      "llm.cost.completion_details.output": 0.002,
      "llm.cost.completion_details.reasoning": 0.0005,
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.name": "weather-bot",
      "llm.output_messages.0.message.contents.0.message_content.type": "audio",
      "llm.output_messages.0.message.contents.0.message_content.audio.audio.url": "https://example.com/a.wav",
      "llm.output_messages.0.message.contents.0.message_content.audio.audio.mime_type": "audio/wav",
      "llm.output_messages.0.message.contents.0.message_content.audio.audio.transcript": "hi",
      "llm.output_messages.0.message.contents.1.message_content.type": "video",
      "llm.output_messages.0.message.contents.1.message_content.video.video.url": "https://example.com/v.mp4",
      "llm.output_messages.0.message.contents.2.message_content.type": "tool_use",
      "llm.output_messages.0.message.contents.2.tool_call.id": "call_9",
      "llm.output_messages.0.message.contents.2.tool_call.function.name": "f",
      "llm.output_messages.0.message.contents.2.tool_call.function.arguments": '{"x":1}',
    });
  });

  it("detects the MIME type of input and output values", () => {
    expect(buildInputAttributes({ value: "plain" })).toEqual({
      "input.value": "plain",
      "input.mime_type": "text/plain",
    });
    expect(buildInputAttributes({ value: { q: "capital of France", k: 3 } })).toEqual({
      "input.value": '{"q":"capital of France","k":3}',
      "input.mime_type": "application/json",
    });
    expect(buildOutputAttributes({ value: [1, 2] })).toEqual({
      "output.value": "[1,2]",
      "output.mime_type": "application/json",
    });
  });

  it("writes context: session, user, tags, metadata and prompt template", () => {
    expect(
      buildContextAttributes({
        sessionId: "s-1",
        userId: "u-1",
        tags: ["a", "b"],
        metadata: { k: 1 },
        promptTemplate: { template: "Hi {name}", variables: { name: "Ada" }, version: "v3" },
      }),
    ).toEqual({
      "session.id": "s-1",
      "user.id": "u-1",
      "tag.tags": ["a", "b"],
      metadata: '{"k":1}',
      "llm.prompt_template.template": "Hi {name}",
      "llm.prompt_template.variables": '{"name":"Ada"}',
      "llm.prompt_template.version": "v3",
    });
  });
});
