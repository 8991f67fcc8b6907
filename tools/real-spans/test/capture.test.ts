/**
 * What the real `@arizeai/openinference-instrumentation-openai` records when the real `openai` SDK runs against the
 * mock server. The assertions state what the instrumentation actually does (including where it departs from what one
 * might expect), so an upgrade that changes its output fails here and in the fixture check below.
 */
import { readFileSync } from "node:fs";
import { SpanKind, SpanStatusCode, type AttributeValue } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { beforeAll, describe, expect, it } from "vitest";
import {
  captureOpenAISpans,
  defaultScenarios,
  fixtureText,
  FIXTURE_PATH,
  IMAGE_URL,
  loadFixture,
  packageVersions,
  toFixture,
  type CaptureResult,
  type ChatUsage,
  type RecordedExchange,
  type Scenario,
} from "@semtrace/real-spans";

let esm: CaptureResult;
beforeAll(async () => {
  esm = await captureOpenAISpans();
});

function only(scenario: string): ReadableSpan {
  const spans = esm.byScenario.get(scenario)!;
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

function attrs(span: ReadableSpan): Record<string, AttributeValue> {
  return span.attributes as Record<string, AttributeValue>;
}

function requestOf(exchange: RecordedExchange): any {
  return exchange.body;
}

function sseChunks(exchange: RecordedExchange): any[] {
  expect(exchange.response.kind).toBe("sse");
  return [...(exchange.response as { chunks: readonly unknown[] }).chunks];
}

function jsonResponse(exchange: RecordedExchange): any {
  expect(exchange.response.kind).toBe("json");
  return (exchange.response as { body: unknown }).body;
}

/** The token-count attributes the instrumentation derives from a chat completion's `usage`. */
function expectTokenCounts(span: ReadableSpan, usage: ChatUsage): void {
  expect(attrs(span)).toMatchObject({
    "llm.token_count.prompt": usage.prompt_tokens,
    "llm.token_count.completion": usage.completion_tokens,
    "llm.token_count.total": usage.total_tokens,
    "llm.token_count.prompt_details.cache_read": usage.prompt_tokens_details.cached_tokens,
    "llm.token_count.prompt_details.audio": usage.prompt_tokens_details.audio_tokens,
    "llm.token_count.completion_details.reasoning": usage.completion_tokens_details.reasoning_tokens,
    "llm.token_count.completion_details.audio": usage.completion_tokens_details.audio_tokens,
  });
}

describe("captureOpenAISpans (ESM, default scenarios)", () => {
  it("produces one span per SDK call, grouped by scenario in run order", () => {
    expect([...esm.byScenario.keys()]).toEqual(defaultScenarios.map((s) => s.name));
    for (const scenario of defaultScenarios) {
      expect(esm.byScenario.get(scenario.name), scenario.name).toHaveLength(scenario.expectedSpans);
      expect(esm.exchangesByScenario.get(scenario.name), scenario.name).toHaveLength(scenario.expectedSpans);
    }
    expect(esm.spans).toHaveLength(defaultScenarios.reduce((n, s) => n + s.expectedSpans, 0));
    expect(esm.spans).toEqual([...esm.byScenario.values()].flat());
  });

  it("patches the ES module by manuallyInstrument (nothing hooks `import` without a loader)", () => {
    expect(esm.moduleFormat).toBe("esm");
    expect(esm.patchedBy).toBe("manuallyInstrument");
  });

  it("every span: INTERNAL kind, the instrumentation's scope, ended, no dropped attributes, separate traces", () => {
    for (const span of esm.spans) {
      expect(span.kind).toBe(SpanKind.INTERNAL);
      expect(span.ended).toBe(true);
      expect(span.instrumentationScope).toMatchObject({
        name: "@arizeai/openinference-instrumentation-openai",
        version: packageVersions()["@arizeai/openinference-instrumentation-openai"],
      });
      expect(span.droppedAttributesCount).toBe(0);
      expect(span.events).toEqual([]);
      expect(span.parentSpanContext).toBeUndefined();
    }
    expect(new Set(esm.spans.map((s) => s.spanContext().traceId)).size).toBe(esm.spans.length);
  });

  it("span names and openinference.span.kind: LLM for chat, EMBEDDING for embeddings", () => {
    for (const [scenario, spans] of esm.byScenario) {
      for (const span of spans) {
        if (scenario === "embeddings") {
          expect(span.name).toBe("OpenAI Embeddings");
          expect(attrs(span)["openinference.span.kind"]).toBe("EMBEDDING");
        } else {
          expect(span.name).toBe("OpenAI Chat Completions");
          expect(attrs(span)["openinference.span.kind"]).toBe("LLM");
        }
      }
    }
  });

  it("attribute values are strings, numbers or number arrays; only embedding vectors are arrays", () => {
    for (const span of esm.spans) {
      for (const [key, value] of Object.entries(attrs(span))) {
        if (Array.isArray(value)) {
          expect(key).toMatch(/^embedding\.embeddings\.\d+\.embedding\.vector$/);
          expect(value.every((n) => typeof n === "number")).toBe(true);
        } else {
          expect(["string", "number"], key).toContain(typeof value);
        }
      }
    }
  });

  it("chat spans: model, system, input/output JSON, invocation parameters, messages, finish reason and status OK", () => {
    const span = only("chat");
    const [exchange] = esm.exchangesByScenario.get("chat")!;
    const request = requestOf(exchange!);
    const response = jsonResponse(exchange!);
    const { messages: _messages, ...parameters } = request;
    expect(attrs(span)).toMatchObject({
      "llm.model_name": "gpt-4o-mini",
      "llm.system": "openai",
      "input.mime_type": "application/json",
      "input.value": JSON.stringify(request),
      "output.mime_type": "application/json",
      "output.value": JSON.stringify(response),
      // A JSON string of the whole request body minus `messages`: `model` is in it too.
      "llm.invocation_parameters": JSON.stringify(parameters),
      "llm.input_messages.0.message.role": "system",
      "llm.input_messages.0.message.content": "You are a terse assistant.",
      "llm.input_messages.1.message.role": "user",
      "llm.input_messages.1.message.content": "Say hello in French.",
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.content": response.choices[0].message.content,
      "llm.finish_reason": "stop",
    });
    expect(JSON.parse(attrs(span)["llm.invocation_parameters"] as string)).toEqual({
      model: "gpt-4o-mini",
      temperature: 0.2,
      max_completion_tokens: 64,
      seed: 7,
    });
    expect(span.status).toEqual({ code: SpanStatusCode.OK });
  });

  it("non-streaming chat spans carry the mock's usage as token counts (incl. cache_read and reasoning)", () => {
    for (const scenario of ["chat", "chat_tools", "chat_image", "chat_context"]) {
      const spans = esm.byScenario.get(scenario)!;
      const exchanges = esm.exchangesByScenario.get(scenario)!;
      for (const [i, span] of spans.entries()) expectTokenCounts(span, jsonResponse(exchanges[i]!).usage as ChatUsage);
    }
  });

  it("llm.provider is left out for a 127.0.0.1 baseURL (the instrumentation maps known hosts only)", () => {
    for (const scenario of ["chat", "chat_tools", "chat_stream", "embeddings", "chat_image"]) {
      for (const span of esm.byScenario.get(scenario)!) expect(attrs(span)).not.toHaveProperty("llm.provider");
    }
  });

  it("chat_tools turn 1: tool definitions as JSON schema strings, and the tool call in the output message", () => {
    const [first] = esm.byScenario.get("chat_tools")!;
    const [exchange] = esm.exchangesByScenario.get("chat_tools")!;
    const request = requestOf(exchange!);
    const call = jsonResponse(exchange!).choices[0].message.tool_calls[0];
    expect(attrs(first!)).toMatchObject({
      "llm.tools.0.tool.json_schema": JSON.stringify(request.tools[0]),
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.tool_calls.0.tool_call.id": call.id,
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "get_weather",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": call.function.arguments,
      "llm.finish_reason": "tool_calls",
    });
    // content is null in the response, so no content key at all
    expect(attrs(first!)).not.toHaveProperty("llm.output_messages.0.message.content");
    // the tools are also inside llm.invocation_parameters (the whole body minus messages)
    expect(JSON.parse(attrs(first!)["llm.invocation_parameters"] as string).tools).toEqual(request.tools);
  });

  it("chat_tools turn 2: the assistant tool_call message and the tool-role message as input messages", () => {
    const [, second] = esm.byScenario.get("chat_tools")!;
    const [firstExchange, secondExchange] = esm.exchangesByScenario.get("chat_tools")!;
    const call = jsonResponse(firstExchange!).choices[0].message.tool_calls[0];
    const toolMessage = requestOf(secondExchange!).messages[2];
    expect(toolMessage.role).toBe("tool");
    expect(attrs(second!)).toMatchObject({
      "llm.input_messages.0.message.role": "user",
      "llm.input_messages.1.message.role": "assistant",
      "llm.input_messages.1.message.tool_calls.0.tool_call.id": call.id,
      "llm.input_messages.1.message.tool_calls.0.tool_call.function.name": "get_weather",
      "llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments": call.function.arguments,
      "llm.input_messages.2.message.role": "tool",
      "llm.input_messages.2.message.tool_call_id": call.id,
      "llm.input_messages.2.message.content": toolMessage.content,
      "llm.output_messages.0.message.content": jsonResponse(secondExchange!).choices[0].message.content,
      "llm.finish_reason": "stop",
    });
    expect(attrs(second!)).not.toHaveProperty("llm.input_messages.1.message.content");
  });

  it("chat_stream: the streamed text assembled into output.value (text/plain) and the output message", () => {
    const span = only("chat_stream");
    const [exchange] = esm.exchangesByScenario.get("chat_stream")!;
    const chunks = sseChunks(exchange!);
    const streamed = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(streamed.split(" ").length).toBeGreaterThan(3);
    expect(attrs(span)).toMatchObject({
      "output.value": streamed,
      "output.mime_type": "text/plain",
      "llm.output_messages.0.message.role": "assistant",
      "llm.output_messages.0.message.content": streamed,
      "llm.finish_reason": "stop",
      "llm.invocation_parameters": JSON.stringify({
        model: "gpt-4o-mini",
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
  });

  it("chat_stream: no token counts although the stream carried usage, and the status stays UNSET", () => {
    const span = only("chat_stream");
    const [exchange] = esm.exchangesByScenario.get("chat_stream")!;
    const chunks = sseChunks(exchange!);
    expect(chunks.at(-1).usage.total_tokens).toBeGreaterThan(0); // the mock did send usage
    expect(Object.keys(attrs(span)).filter((k) => k.startsWith("llm.token_count"))).toEqual([]);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("chat_stream_tools: the tool call assembled from its streamed pieces; output.value is an empty string", () => {
    const span = only("chat_stream_tools");
    const [exchange] = esm.exchangesByScenario.get("chat_stream_tools")!;
    const deltas = sseChunks(exchange!).flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas.length).toBeGreaterThan(2);
    expect(attrs(span)).toMatchObject({
      "llm.output_messages.0.message.tool_calls.0.tool_call.id": deltas[0].id,
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "get_weather",
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": deltas
        .map((d: any) => d.function.arguments)
        .join(""),
      "llm.output_messages.0.message.content": "",
      "output.value": "",
      "output.mime_type": "text/plain",
      "llm.finish_reason": "tool_calls",
    });
  });

  it("embeddings: the SDK asked for base64; texts, decoded float vectors and embedding.model_name are recorded", () => {
    const span = only("embeddings");
    const [exchange] = esm.exchangesByScenario.get("embeddings")!;
    expect(requestOf(exchange!)).toEqual({
      model: "text-embedding-3-small",
      input: ["The quick brown fox", "jumps over the lazy dog"],
      encoding_format: "base64",
    });
    const vectors = jsonResponse(exchange!).data.map((d: { embedding: string }) => {
      const bytes = Buffer.from(d.embedding, "base64");
      return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    });
    expect(attrs(span)).toEqual({
      "openinference.span.kind": "EMBEDDING",
      "embedding.model_name": "text-embedding-3-small",
      "llm.system": "openai",
      "input.value": JSON.stringify(["The quick brown fox", "jumps over the lazy dog"]),
      "input.mime_type": "application/json",
      "embedding.embeddings.0.embedding.text": "The quick brown fox",
      "embedding.embeddings.1.embedding.text": "jumps over the lazy dog",
      "embedding.embeddings.0.embedding.vector": vectors[0],
      "embedding.embeddings.1.embedding.vector": vectors[1],
    });
    expect(span.status).toEqual({ code: SpanStatusCode.OK });
  });

  it("chat_image: content parts with the image URL under message_content.image.image.url", () => {
    const span = only("chat_image");
    expect(attrs(span)).toMatchObject({
      "llm.model_name": "gpt-4o",
      "llm.input_messages.0.message.role": "user",
      "llm.input_messages.0.message.contents.0.message_content.type": "text",
      "llm.input_messages.0.message.contents.0.message_content.text": "What is in this image?",
      "llm.input_messages.0.message.contents.1.message_content.type": "image",
      "llm.input_messages.0.message.contents.1.message_content.image.image.url": IMAGE_URL,
    });
    // content parts go to message.contents.*, never message.content; of the image only the URL is recorded (no `detail`)
    expect(attrs(span)).not.toHaveProperty("llm.input_messages.0.message.content");
    expect(Object.keys(attrs(span)).filter((k) => k.includes(".message_content.image."))).toEqual([
      "llm.input_messages.0.message.contents.1.message_content.image.image.url",
    ]);
  });

  it("chat_context: session, user, metadata, tags and prompt template from the context; tag.tags is a JSON string", () => {
    const span = only("chat_context");
    expect(attrs(span)).toMatchObject({
      "session.id": "session-1234",
      "user.id": "user-5678",
      metadata: JSON.stringify({ tenant: "acme", experiment: 3 }),
      // The spec (and Python) have tag.tags as string[]; the TypeScript core writes one JSON-encoded string.
      "tag.tags": JSON.stringify(["real-spans", "context"]),
      "llm.prompt_template.template": "Describe {city} in one sentence.",
      "llm.prompt_template.variables": JSON.stringify({ city: "Lyon" }),
      "llm.prompt_template.version": "v1",
    });
  });

  it("chat_context: a baseURL on api.openai.com gives llm.provider=openai, while the request still went to 127.0.0.1", () => {
    const span = only("chat_context");
    expect(attrs(span)["llm.provider"]).toBe("openai");
    const [exchange] = esm.exchangesByScenario.get("chat_context")!;
    expect(exchange!.path).toBe("/v1/chat/completions");
    expect(exchange!.headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

describe("captureOpenAISpans: isolation and failures", () => {
  it("leaves openai unpatched, the environment as it was, and can run again", async () => {
    const before = { NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    const one: Scenario = {
      name: "one",
      description: "",
      expectedSpans: 1,
      run: async ({ client }) => {
        expect(process.env.NO_PROXY).toContain("127.0.0.1");
        await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
      },
    };
    const first = await captureOpenAISpans([one]);
    const second = await captureOpenAISpans([one]);
    expect(first.spans).toHaveLength(1);
    expect(second.spans).toHaveLength(1);
    expect({ NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy }).toEqual(before);
    const { OpenAI } = await import("openai");
    expect((OpenAI.Chat.Completions.prototype.create as { __wrapped?: boolean }).__wrapped).toBeUndefined();
  });

  it("refuses any host but 127.0.0.1, and reports the failing scenario", async () => {
    const escape: Scenario = {
      name: "escape",
      description: "",
      expectedSpans: 1,
      run: async ({ client }) => {
        await client
          .withOptions({ baseURL: "http://example.invalid/v1" })
          .chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }] });
      },
    };
    await expect(captureOpenAISpans([escape])).rejects.toThrow(
      /scenario "escape" failed: Connection error\. ← @semtrace\/real-spans: refusing a request to http:\/\/example\.invalid;/,
    );
  });

  it("rejects duplicate scenario names and a wrong expectedSpans", async () => {
    const s = defaultScenarios[0]!;
    await expect(captureOpenAISpans([s, s])).rejects.toThrow(/duplicate scenario name/);
    await expect(captureOpenAISpans([{ ...s, expectedSpans: 2 }], { spanTimeoutMs: 200 })).rejects.toThrow(
      /waited 200 ms for 2 finished spans/,
    );
  });
});

describe("test/fixtures/openai-spans.json", () => {
  it("is what a live capture produces now (else: npm run record -w @semtrace/real-spans)", () => {
    const live = fixtureText(toFixture(esm, defaultScenarios, packageVersions()));
    expect(
      readFileSync(FIXTURE_PATH, "utf8"),
      "the fixture is stale: run `npm run record -w @semtrace/real-spans`",
    ).toBe(live);
  });

  it("loads, covers every scenario, and has no ids, timestamps or ports", () => {
    const fixture = loadFixture();
    expect(Object.keys(fixture.scenarios).sort()).toEqual(defaultScenarios.map((s) => s.name).sort());
    const text = readFileSync(FIXTURE_PATH, "utf8");
    expect(text).not.toMatch(/traceId|spanId|startTime|endTime|"duration"/);
    expect(text).not.toMatch(/127\.0\.0\.1:\d/);
  });
});
