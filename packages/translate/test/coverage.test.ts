/**
 * Every item of the mapping, both ways, table-driven: span kinds, tool / agent / retrieval / embedding / chain
 * spans, providers, deprecated GenAI keys, media, reasoning, tool results, system instructions, finish reasons,
 * prompt variables, and what is reported instead of dropped. Every translated span validates against its target
 * registry with zero errors (GenAI's JSON attributes against the upstream schemas too).
 */
import { describe, expect, it } from "vitest";
import { TRANSLATION_RULES, toGenAI, toOpenInference } from "../src/index.js";
import { expectValidGenAI, expectValidOpenInference } from "./helpers.js";

type Attrs = Record<string, unknown>;
const json = (v: unknown) => JSON.stringify(v);

interface Case {
  readonly name: string;
  readonly input: Attrs;
  /** Expected translated attributes (a subset; JSON strings compared parsed). */
  readonly expect: Attrs;
  /** Keys reported as unmapped, exactly. */
  readonly unmapped?: readonly string[];
  readonly spanName?: string;
}

function expectSubset(actual: Attrs, expected: Attrs): void {
  for (const [key, value] of Object.entries(expected)) {
    const got = actual[key];
    if (typeof value === "string" && typeof got === "string" && /^[[{]/.test(value))
      expect(JSON.parse(got), key).toEqual(JSON.parse(value));
    else expect(got, key).toEqual(value);
  }
}

const TO_GENAI: readonly Case[] = [
  {
    name: "a TOOL span",
    input: {
      "openinference.span.kind": "TOOL",
      "tool.name": "get_weather",
      "tool.description": "Weather now",
      "tool.id": "call_1",
      "input.value": json({ city: "Paris" }),
      "input.mime_type": "application/json",
      "output.value": json({ c: 18 }),
      "output.mime_type": "application/json",
      "tool.parameters": json({ type: "object" }),
    },
    expect: {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "get_weather",
      "gen_ai.tool.description": "Weather now",
      "gen_ai.tool.call.id": "call_1",
      "gen_ai.tool.call.arguments": json({ city: "Paris" }),
      "gen_ai.tool.call.result": json({ c: 18 }),
    },
    unmapped: ["input.mime_type", "output.mime_type", "tool.parameters"],
    spanName: "execute_tool get_weather",
  },
  {
    name: "a TOOL span whose input is not JSON",
    input: { "openinference.span.kind": "TOOL", "tool.name": "echo", "input.value": "plain words" },
    expect: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "echo" },
    unmapped: ["input.value"],
  },
  {
    name: "an AGENT span",
    input: { "openinference.span.kind": "AGENT", "agent.name": "planner", "session.id": "s-1", "user.id": "u-1" },
    expect: {
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "planner",
      "gen_ai.conversation.id": "s-1",
      "user.id": "u-1",
    },
    unmapped: [],
    spanName: "invoke_agent planner",
  },
  {
    name: "a RETRIEVER span",
    input: {
      "openinference.span.kind": "RETRIEVER",
      "input.value": "cats",
      "retrieval.documents.0.document.id": "d1",
      "retrieval.documents.0.document.score": 0.9,
      "retrieval.documents.0.document.content": "Cats purr.",
      "retrieval.documents.1.document.id": "d2",
      "retrieval.documents.1.document.score": 0.5,
    },
    expect: {
      "gen_ai.operation.name": "retrieval",
      "gen_ai.retrieval.query.text": "cats",
      "gen_ai.retrieval.documents": json([
        { id: "d1", score: 0.9 },
        { id: "d2", score: 0.5 },
      ]),
    },
    unmapped: ["retrieval.documents.0.document.content"],
    spanName: "retrieval",
  },
  {
    name: "an EMBEDDING span with its settings",
    input: {
      "openinference.span.kind": "EMBEDDING",
      "embedding.model_name": "text-embedding-3-small",
      "embedding.invocation_parameters": json({ dimensions: 256, user: "x" }),
      "llm.system": "openai",
      "embedding.embeddings.0.embedding.vector": [0.1, 0.2],
    },
    expect: {
      "gen_ai.operation.name": "embeddings",
      "gen_ai.request.model": "text-embedding-3-small",
      "gen_ai.response.model": "text-embedding-3-small",
      "gen_ai.embeddings.dimension.count": 256,
      "gen_ai.provider.name": "openai",
    },
    unmapped: ["embedding.invocation_parameters#user", "embedding.embeddings.0.embedding.vector"],
    spanName: "embeddings text-embedding-3-small",
  },
  {
    name: "a CHAIN span",
    input: { "openinference.span.kind": "CHAIN", "input.value": "q" },
    expect: { "gen_ai.operation.name": "invoke_workflow" },
    unmapped: ["input.value"],
    spanName: "invoke_workflow",
  },
  {
    name: "a RERANKER span (no operation)",
    input: { "openinference.span.kind": "RERANKER", "reranker.query": "q", "reranker.top_k": 3 },
    expect: {},
    unmapped: ["openinference.span.kind", "reranker.query", "reranker.top_k"],
  },
  {
    name: "cost, metadata and tags",
    input: {
      "openinference.span.kind": "LLM",
      "llm.system": "anthropic",
      "llm.provider": "anthropic",
      "llm.cost.total": 0.01,
      "llm.cost.prompt": 0.004,
      metadata: json({ a: 1 }),
      "tag.tags": ["x"],
    },
    expect: { "gen_ai.provider.name": "anthropic" },
    unmapped: ["llm.cost.total", "llm.cost.prompt", "metadata", "tag.tags"],
  },
  {
    name: "Azure OpenAI",
    input: { "openinference.span.kind": "LLM", "llm.provider": "azure", "llm.system": "openai" },
    expect: { "gen_ai.provider.name": "azure.ai.openai" },
    unmapped: [],
  },
  {
    name: "Anthropic on Bedrock (the model family has no GenAI key)",
    input: { "openinference.span.kind": "LLM", "llm.provider": "aws", "llm.system": "anthropic" },
    expect: { "gen_ai.provider.name": "aws.bedrock" },
    unmapped: ["llm.system"],
  },
  {
    name: "a provider no row knows passes as it is",
    input: { "openinference.span.kind": "LLM", "llm.provider": "acme-cloud" },
    expect: { "gen_ai.provider.name": "acme-cloud" },
    unmapped: [],
  },
  {
    name: "usage with cache and reasoning, a total that adds up",
    input: {
      "openinference.span.kind": "LLM",
      "llm.system": "openai",
      "llm.model_name": "o3",
      "llm.token_count.prompt": 100,
      "llm.token_count.completion": 50,
      "llm.token_count.total": 150,
      "llm.token_count.prompt_details.cache_read": 20,
      "llm.token_count.prompt_details.cache_write": 10,
      "llm.token_count.completion_details.reasoning": 30,
    },
    expect: {
      "gen_ai.usage.input_tokens": 100,
      "gen_ai.usage.output_tokens": 50,
      "gen_ai.usage.cache_read.input_tokens": 20,
      "gen_ai.usage.cache_write.input_tokens": 10,
      "gen_ai.usage.reasoning.output_tokens": 30,
      "gen_ai.request.model": "o3",
      "gen_ai.response.model": "o3",
    },
    unmapped: [],
    spanName: "chat o3",
  },
  {
    name: "a total that does not add up, a count of the wrong type",
    input: {
      "openinference.span.kind": "LLM",
      "llm.system": "openai",
      "llm.token_count.prompt": "100",
      "llm.token_count.completion": 50,
      "llm.token_count.total": 150,
    },
    expect: { "gen_ai.usage.output_tokens": 50 },
    unmapped: ["llm.token_count.prompt", "llm.token_count.total"],
  },
  {
    name: "request and response models that differ",
    input: {
      "openinference.span.kind": "LLM",
      "llm.system": "openai",
      "llm.model_name": "gpt-4o-2024-08-06",
      "llm.invocation_parameters": json({
        model: "gpt-4o",
        top_p: 0.9,
        n: 2,
        stop: ["END"],
        reasoning_effort: "low",
        frequency_penalty: 0.5,
        presence_penalty: 0.1,
        top_k: 5,
      }),
    },
    expect: {
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.response.model": "gpt-4o-2024-08-06",
      "gen_ai.request.top_p": 0.9,
      "gen_ai.request.choice.count": 2,
      "gen_ai.request.stop_sequences": ["END"],
      "gen_ai.request.reasoning.level": "low",
      "gen_ai.request.frequency_penalty": 0.5,
      "gen_ai.request.presence_penalty": 0.1,
      "gen_ai.request.top_k": 5,
    },
    unmapped: [],
  },
  {
    name: "media, reasoning and a data URI",
    input: {
      "openinference.span.kind": "LLM",
      "llm.system": "openai",
      "llm.finish_reason": "length",
      "llm.input_messages.0.message.role": "user",
      "llm.input_messages.0.message.contents.0.message_content.type": "image",
      "llm.input_messages.0.message.contents.0.message_content.image.image.url": "data:image/png;base64,iVBORw0KGgo=",
      "llm.input_messages.0.message.contents.1.message_content.type": "audio",
      "llm.input_messages.0.message.contents.1.message_content.audio.audio.url": "https://example.com/a.wav",
      "llm.input_messages.0.message.contents.1.message_content.audio.audio.mime_type": "audio/wav",
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.contents.0.message_content.type": "reasoning",
      "llm.output_messages.0.message.contents.0.message_content.text": "Thinking…",
      "llm.output_messages.0.message.contents.1.message_content.type": "text",
      "llm.output_messages.0.message.contents.1.message_content.text": "A cat.",
    },
    expect: {
      "gen_ai.input.messages": json([
        {
          role: "user",
          parts: [
            { type: "blob", modality: "image", mime_type: "image/png", content: "iVBORw0KGgo=" },
            { type: "uri", modality: "audio", mime_type: "audio/wav", uri: "https://example.com/a.wav" },
          ],
        },
      ]),
      "gen_ai.output.messages": json([
        {
          role: "assistant",
          parts: [
            { type: "reasoning", content: "Thinking…" },
            { type: "text", content: "A cat." },
          ],
          finish_reason: "length",
        },
      ]),
      "gen_ai.response.finish_reasons": ["length"],
    },
    unmapped: [],
  },
  {
    name: "a content part GenAI has no part for, a message without a role",
    input: {
      "openinference.span.kind": "LLM",
      "llm.system": "openai",
      "llm.input_messages.0.message.role": "user",
      "llm.input_messages.0.message.contents.0.message_content.type": "hologram",
      "llm.input_messages.0.message.contents.0.message_content.text": "?",
      "llm.input_messages.1.message.content": "orphan",
    },
    expect: { "gen_ai.input.messages": json([{ role: "user", parts: [] }]) },
    unmapped: ["llm.input_messages.0.message.contents.0", "llm.input_messages.1.message.role"],
  },
  {
    name: "prompt template version and variables",
    input: {
      "openinference.span.kind": "LLM",
      "llm.system": "openai",
      "llm.prompt_template.version": "v2",
      "llm.prompt_template.variables": json({ city: "Lyon", n: 3, "bad key!": 1 }),
    },
    expect: { "gen_ai.prompt.version": "v2", "gen_ai.prompt.variable.city": "Lyon", "gen_ai.prompt.variable.n": "3" },
    unmapped: ["llm.prompt_template.variables#bad key!"],
  },
];

describe("OpenInference → GenAI", () => {
  it.each(TO_GENAI)("$name", ({ input, expect: expected, unmapped, spanName }) => {
    const result = toGenAI(input);
    expectSubset(result.attributes, expected);
    if (unmapped) expect(result.unmapped.map((u) => u.key).sort()).toEqual([...unmapped].sort());
    for (const u of result.unmapped) expect(u.reason.length, u.key).toBeGreaterThan(5);
    if (spanName !== undefined) expect(result.spanName).toBe(spanName);
    if (
      result.attributes["gen_ai.operation.name"] !== undefined &&
      result.attributes["gen_ai.provider.name"] !== undefined
    )
      expectValidGenAI(result.attributes);
    expect(Object.keys(result.attributes).every((k) => k.startsWith("gen_ai.") || k === "user.id")).toBe(true);
  });
});

const TO_OI: readonly Case[] = [
  {
    name: "deprecated keys with their replacement's meaning",
    input: {
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "az.ai.openai",
      "gen_ai.usage.prompt_tokens": 7,
      "gen_ai.usage.completion_tokens": 3,
      "gen_ai.usage.cache_creation.input_tokens": 2,
      "gen_ai.request.model": "gpt-4o",
    },
    expect: {
      "openinference.span.kind": "LLM",
      "llm.provider": "azure",
      "llm.system": "openai",
      "llm.token_count.prompt": 7,
      "llm.token_count.completion": 3,
      "llm.token_count.total": 10,
      "llm.token_count.prompt_details.cache_write": 2,
      "llm.model_name": "gpt-4o",
      "llm.invocation_parameters": json({ model: "gpt-4o" }),
    },
    unmapped: [],
  },
  {
    name: "the current key wins over the deprecated one",
    input: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "anthropic", "gen_ai.system": "openai" },
    expect: { "llm.provider": "anthropic", "llm.system": "anthropic" },
  },
  {
    name: "system instructions, tool calls and several tool results in one message",
    input: {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.system_instructions": json([{ type: "text", content: "Be brief." }]),
      "gen_ai.input.messages": json([
        { role: "user", parts: [{ type: "text", content: "Weather?" }] },
        {
          role: "assistant",
          parts: [
            { type: "tool_call", id: "a", name: "w", arguments: { city: "Paris" } },
            { type: "tool_call", id: "b", name: "w", arguments: { city: "Lyon" } },
          ],
        },
        {
          role: "tool",
          parts: [
            { type: "tool_call_response", id: "a", response: "18C" },
            { type: "tool_call_response", id: "b", response: { c: 20 } },
          ],
        },
      ]),
      "gen_ai.output.messages": json([
        { role: "assistant", parts: [{ type: "text", content: "Mild." }], finish_reason: "stop" },
      ]),
      "gen_ai.response.finish_reasons": ["stop", "length"],
    },
    expect: {
      "llm.input_messages.0.message.role": "system",
      "llm.input_messages.0.message.content": "Be brief.",
      "llm.input_messages.1.message.content": "Weather?",
      "llm.input_messages.2.message.tool_calls.0.tool_call.id": "a",
      "llm.input_messages.2.message.tool_calls.1.tool_call.function.arguments": json({ city: "Lyon" }),
      "llm.input_messages.3.message.role": "tool",
      "llm.input_messages.3.message.tool_call_id": "a",
      "llm.input_messages.3.message.content": "18C",
      "llm.input_messages.4.message.tool_call_id": "b",
      "llm.input_messages.4.message.content": json({ c: 20 }),
      "llm.output_messages.0.message.content": "Mild.",
      "llm.finish_reason": "stop",
      "input.mime_type": "application/json",
    },
    unmapped: ["gen_ai.response.finish_reasons"],
  },
  {
    name: "structured (non-string) message values, as SDKs that record them write",
    input: {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.input.messages": [{ role: "user", parts: [{ type: "text", content: "hi" }] }] as unknown,
    },
    expect: { "llm.input_messages.0.message.content": "hi" },
    unmapped: [],
  },
  {
    name: "a blob image, a file part OpenInference cannot hold, malformed tool definitions",
    input: {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.input.messages": json([
        {
          role: "user",
          parts: [
            { type: "blob", modality: "image", mime_type: "image/png", content: "AAAA" },
            { type: "file", modality: "image", file_id: "f1" },
            { type: "text", content: "and?" },
          ],
        },
      ]),
      "gen_ai.tool.definitions": "not json",
    },
    expect: {
      "llm.input_messages.0.message.contents.0.message_content.type": "image",
      "llm.input_messages.0.message.contents.0.message_content.image.image.url": "data:image/png;base64,AAAA",
      "llm.input_messages.0.message.contents.1.message_content.text": "and?",
    },
    unmapped: ["gen_ai.input.messages[0].parts[1]", "gen_ai.tool.definitions"],
  },
  {
    name: "an execute_tool span",
    input: {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "w",
      "gen_ai.tool.call.id": "c1",
      "gen_ai.tool.type": "function",
      "gen_ai.tool.call.arguments": json({ a: 1 }),
      "gen_ai.tool.call.result": "sunny",
    },
    expect: {
      "openinference.span.kind": "TOOL",
      "tool.name": "w",
      "tool.id": "c1",
      "input.value": json({ a: 1 }),
      "input.mime_type": "application/json",
      "output.value": "sunny",
      "output.mime_type": "text/plain",
    },
    unmapped: ["gen_ai.tool.type"],
  },
  {
    name: "a retrieval span",
    input: {
      "gen_ai.operation.name": "retrieval",
      "gen_ai.retrieval.query.text": "cats",
      "gen_ai.data_source.id": "kb",
      "gen_ai.retrieval.documents": json([{ id: "d1", score: 0.8 }]),
    },
    expect: {
      "openinference.span.kind": "RETRIEVER",
      "input.value": "cats",
      "retrieval.documents.0.document.id": "d1",
      "retrieval.documents.0.document.score": 0.8,
    },
    unmapped: ["gen_ai.data_source.id"],
  },
  {
    name: "an invoke_agent span with what OpenInference cannot hold",
    input: {
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.provider.name": "openai",
      "gen_ai.agent.name": "a",
      "gen_ai.agent.id": "id-1",
      "gen_ai.conversation.id": "c",
      "gen_ai.prompt.variable.x": "1",
    },
    expect: {
      "openinference.span.kind": "AGENT",
      "agent.name": "a",
      "session.id": "c",
      "llm.prompt_template.variables": json({ x: "1" }),
    },
    unmapped: ["gen_ai.agent.id"],
  },
  {
    name: "an operation with no span kind",
    input: { "gen_ai.operation.name": "search_memory", "gen_ai.memory.store.id": "m" },
    expect: { "openinference.span.kind": "UNKNOWN" },
    unmapped: ["gen_ai.operation.name", "gen_ai.memory.store.id"],
  },
];

describe("GenAI → OpenInference", () => {
  it.each(TO_OI)("$name", ({ input, expect: expected, unmapped }) => {
    const result = toOpenInference(input);
    expectSubset(result.attributes, expected);
    if (unmapped) expect(result.unmapped.map((u) => u.key).sort()).toEqual([...unmapped].sort());
    expectValidOpenInference(result.attributes);
    expect(result.spanName).toBeUndefined();
  });
});

describe("never throws", () => {
  const hostile: readonly [string, unknown][] = [
    [
      "a proxy whose every read throws",
      new Proxy(
        {},
        {
          get: () => {
            throw new Error("boom");
          },
          ownKeys: () => {
            throw new Error("boom");
          },
        },
      ),
    ],
    [
      "messages that are not an array",
      { "gen_ai.operation.name": "chat", "gen_ai.input.messages": json({ role: "user" }) },
    ],
    [
      "parts that are not objects",
      { "gen_ai.operation.name": "chat", "gen_ai.input.messages": json([{ role: "user", parts: [null, 3, "x"] }]) },
    ],
    [
      "an index past any real list",
      { "openinference.span.kind": "LLM", "llm.input_messages.99999999999.message.role": "user" },
    ],
    [
      "deeply nested arguments",
      {
        "openinference.span.kind": "LLM",
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "f",
        "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": "[".repeat(5000) + "]".repeat(5000),
      },
    ],
    [
      "prompt variables named __proto__",
      { "openinference.span.kind": "LLM", "llm.prompt_template.variables": '{"__proto__":{"polluted":1}}' },
    ],
  ];
  it.each(hostile)("%s", (_, input) => {
    expect(() => toGenAI(input as Attrs)).not.toThrow();
    expect(() => toOpenInference(input as Attrs)).not.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reports a failure it could not avoid instead of throwing", () => {
    const throwing = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("boom");
        },
        get: () => undefined,
      },
    );
    const result = toGenAI(throwing);
    expect(result.unmapped).toEqual([
      { key: "*", rule: TRANSLATION_RULES.FAILED, reason: "translation stopped: boom" },
    ]);
  });
});

describe("rule ids of what was not carried", () => {
  it.each([
    [
      "no counterpart",
      () => toGenAI({ "openinference.span.kind": "LLM", "llm.cost.total": 1 }),
      "llm.cost.total",
      TRANSLATION_RULES.NO_COUNTERPART,
    ],
    [
      "a value of the wrong type",
      () => toGenAI({ "openinference.span.kind": "LLM", "llm.token_count.prompt": "12" }),
      "llm.token_count.prompt",
      TRANSLATION_RULES.VALUE,
    ],
    [
      "malformed messages",
      () => toOpenInference({ "gen_ai.operation.name": "chat", "gen_ai.input.messages": "{" }),
      "gen_ai.input.messages",
      TRANSLATION_RULES.VALUE,
    ],
    [
      "a fallback that says something else",
      () =>
        toGenAI({
          "openinference.span.kind": "EMBEDDING",
          "embedding.model_name": "a",
          "embedding.invocation_parameters": "{}",
        }),
      undefined,
      undefined,
    ],
  ] as const)("%s", (_, run, key, rule) => {
    const unmapped = run().unmapped;
    if (key === undefined) expect(unmapped).toEqual([]);
    else expect(unmapped.find((u) => u.key === key)?.rule).toBe(rule);
  });

  it("a conflict between places of one rule", () => {
    // gen_ai.response.model is carried to llm.model_name; a request model that differs goes to the invocation
    // parameters, so nothing is lost — but an OpenInference request model_name beside another invocation model is.
    const { unmapped } = toGenAI({
      "openinference.span.kind": "LLM",
      "llm.invocation_parameters": '{"model":"a"}',
      "llm.request.model_name": "b",
      "llm.model_name": "a",
    });
    expect(unmapped).toEqual([
      {
        key: "llm.request.model_name",
        rule: TRANSLATION_RULES.CONFLICT,
        reason: "differs from llm.invocation_parameters#model, which was carried to gen_ai.request.model",
      },
    ]);
  });
});
