/** The mock server on its own, over plain `fetch` (no SDK): the wire shapes the OpenAI SDK relies on. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MOCK_CREATED,
  MOCK_EMBEDDING_DIMENSIONS,
  startMockOpenAIServer,
  type MockOpenAIServer,
} from "@semtrace/real-spans";

let server: MockOpenAIServer;
beforeAll(async () => {
  server = await startMockOpenAIServer();
});
afterAll(async () => {
  await server.close();
});

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.baseURL}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer test" },
    body: JSON.stringify(body),
  });
}

/** The `data:` payloads of an SSE body, `[DONE]` included. */
function sseData(text: string): string[] {
  return text
    .split("\n\n")
    .filter((block) => block.length > 0)
    .map((block) => {
      expect(block.startsWith("data: ")).toBe(true);
      return block.slice("data: ".length);
    });
}

const tool = {
  type: "function",
  function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
};

describe("startMockOpenAIServer", () => {
  it("listens on 127.0.0.1 on a free port and serves /v1", () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    expect(server.baseURL).toBe(`${server.origin}/v1`);
  });

  it("answers a chat completion with ids, model, created, finish_reason and detailed usage", async () => {
    const res = await post("/chat/completions", {
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Hi there" }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-mock-\d+$/),
      object: "chat.completion",
      created: MOCK_CREATED,
      model: "gpt-4o-mini",
      choices: [
        { index: 0, message: { role: "assistant", content: "Mock reply to: Hi there" }, finish_reason: "stop" },
      ],
    });
    const usage = body.usage;
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(server.exchanges.at(-1)).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      body: { model: "gpt-4o-mini" },
    });
    expect(server.exchanges.at(-1)!.headers.authorization).toBe("Bearer test");
  });

  it("calls the first tool when the request has tools, and answers once the tool result is in", async () => {
    const first = (await (
      await post("/chat/completions", { model: "m", messages: [{ role: "user", content: "Weather?" }], tools: [tool] })
    ).json()) as any;
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    const message = first.choices[0].message;
    expect(message.content).toBeNull();
    expect(message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_mock_\d+$/),
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      },
    ]);

    const followUp = (await (
      await post("/chat/completions", {
        model: "m",
        tools: [tool],
        messages: [
          { role: "user", content: "Weather?" },
          message,
          { role: "tool", tool_call_id: message.tool_calls[0].id, content: "sunny" },
        ],
      })
    ).json()) as any;
    expect(followUp.choices[0]).toMatchObject({ finish_reason: "stop", message: { content: "The tool said: sunny" } });
  });

  it("streams SSE chunks ending in [DONE], with a usage-only chunk when stream_options.include_usage", async () => {
    const res = await post("/chat/completions", {
      model: "m",
      messages: [{ role: "user", content: "one two three" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const data = sseData(await res.text());
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as any);
    expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.id === chunks[0].id)).toBe(true);
    expect(chunks[0].choices[0].delta.role).toBe("assistant");
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Mock reply to: one two three");
    expect(chunks.at(-2).choices[0].finish_reason).toBe("stop");
    const last = chunks.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage.total_tokens).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);

    const plain = sseData(
      await (
        await post("/chat/completions", { model: "m", messages: [{ role: "user", content: "x" }], stream: true })
      ).text(),
    );
    expect(plain.slice(0, -1).every((d) => !("usage" in JSON.parse(d)))).toBe(true);
  });

  it("streams a tool call as an id+name delta followed by argument pieces", async () => {
    const data = sseData(
      await (
        await post("/chat/completions", {
          model: "m",
          messages: [{ role: "user", content: "x" }],
          tools: [tool],
          stream: true,
        })
      ).text(),
    );
    const deltas = data.slice(0, -1).flatMap((d) => (JSON.parse(d) as any).choices[0].delta.tool_calls ?? []);
    expect(deltas[0]).toMatchObject({
      index: 0,
      id: expect.stringMatching(/^call_mock_/),
      function: { name: "get_weather" },
    });
    expect(deltas.map((d: any) => d.function.arguments).join("")).toBe('{"city":"Paris"}');
    expect(deltas.length).toBeGreaterThan(2);
  });

  it("answers embeddings as float arrays, or as base64 float32 that decodes to the same numbers", async () => {
    const input = ["alpha", "beta"];
    const floats = (await (
      await post("/embeddings", { model: "text-embedding-3-small", input, encoding_format: "float" })
    ).json()) as any;
    const base64 = (await (
      await post("/embeddings", { model: "text-embedding-3-small", input, encoding_format: "base64" })
    ).json()) as any;
    expect(floats).toMatchObject({
      object: "list",
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 3, total_tokens: 3 },
    }); // ceil(5/4) + ceil(4/4)
    expect(floats.data).toHaveLength(2);
    for (const [i, item] of floats.data.entries()) {
      expect(item).toMatchObject({ object: "embedding", index: i });
      expect(item.embedding).toHaveLength(MOCK_EMBEDDING_DIMENSIONS);
      const encoded = base64.data[i].embedding as string;
      expect(typeof encoded).toBe("string");
      const bytes = Buffer.from(encoded, "base64");
      const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
      expect(decoded).toEqual(item.embedding);
    }
    expect(floats.data[0].embedding).not.toEqual(floats.data[1].embedding);
  });

  it("answers the Responses API: a function_call while the tool has no output yet, then a message", async () => {
    const tools = [
      {
        type: "function",
        name: "get_weather",
        parameters: { type: "object", properties: { city: { type: "string" } } },
      },
    ];
    const input = [{ role: "user", content: "Weather in Paris?" }];
    const first = (await (
      await post("/responses", { model: "gpt-4o-mini", instructions: "Be brief.", input, tools })
    ).json()) as {
      object: string;
      instructions: string;
      output: { type: string; name?: string; call_id?: string; arguments?: string }[];
      usage: { total_tokens: number };
    };
    expect(first.object).toBe("response");
    expect(first.instructions).toBe("Be brief.");
    expect(first.output).toHaveLength(1);
    expect(first.output[0]).toMatchObject({ type: "function_call", name: "get_weather" });
    expect(JSON.parse(first.output[0]!.arguments!)).toHaveProperty("city");
    expect(first.usage.total_tokens).toBeGreaterThan(0);
    const second = (await (
      await post("/responses", {
        model: "gpt-4o-mini",
        input: [
          ...input,
          first.output[0],
          { type: "function_call_output", call_id: first.output[0]!.call_id, output: "{}" },
        ],
        tools,
      })
    ).json()) as { output: { type: string; role?: string; content?: { type: string; text: string }[] }[] };
    expect(second.output[0]).toMatchObject({
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "It is sunny in Paris." }],
    });
    expect((await post("/responses", { model: "gpt-4o-mini", input: [] })).status).toBe(400);
  });

  it("answers unknown routes with 404 and malformed bodies with 400, in the OpenAI error shape", async () => {
    const missing = await post("/nope", {});
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.type).toBe("invalid_request_error");
    const bad = await fetch(`${server.baseURL}/chat/completions`, { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    const empty = await post("/chat/completions", { model: "m", messages: [] });
    expect(empty.status).toBe(400);
  });

  it("close() resolves, after which the port refuses connections", async () => {
    const other = await startMockOpenAIServer();
    await post("/chat/completions", { model: "m", messages: [{ role: "user", content: "x" }] }); // keep-alive sockets on `server`
    await fetch(`${other.baseURL}/embeddings`, { method: "POST", body: JSON.stringify({ input: "x" }) });
    await other.close();
    await other.close(); // idempotent
    await expect(fetch(`${other.baseURL}/embeddings`, { method: "POST", body: "{}" })).rejects.toThrow();
  });
});
