/**
 * A small OpenAI-compatible HTTP server on 127.0.0.1 for driving the real `openai` SDK in tests.
 *
 * It implements what the SDK calls for the scenarios in `capture.ts`:
 * - `POST /v1/chat/completions`: a normal completion; a `tool_calls` completion when the request has `tools` and
 *   its last message is not a `tool` result; `stream: true` → server-sent events (`data: {chunk}\n\n` … `data: [DONE]`),
 *   with a final usage-only chunk when `stream_options.include_usage` is true. Content parts (`text`, `image_url`)
 *   are accepted in user messages.
 * - `POST /v1/embeddings`: one vector per input, as float arrays, or as base64 little-endian float32 when
 *   `encoding_format: "base64"` (which the SDK sends by default since v4.x and decodes itself).
 * - `POST /v1/responses` (the Responses API, not streamed): a `function_call` output item when the request has
 *   function `tools` and its input has no `function_call_output` yet, else an assistant `message` with one
 *   `output_text`.
 *
 * Everything it returns is deterministic: ids count up per server (`chatcmpl-mock-1`, `call_mock_1`, …), `created` is a
 * fixed timestamp, token counts are computed from the request, and vector components are multiples of 1/64 so the
 * float and the base64 (float32) paths decode to the same numbers. Every exchange is recorded in `exchanges`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** `created` of every response (2024-01-01T00:00:00Z), so recorded spans are deterministic. */
export const MOCK_CREATED = 1_704_067_200;
export const MOCK_SYSTEM_FINGERPRINT = "fp_mock_0001";
export const MOCK_EMBEDDING_DIMENSIONS = 8;

/** Token usage of a chat completion, in the wire shape the OpenAI API returns. */
export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

/** What the server answered: a JSON body, or the SSE chunks of a stream (without the final `[DONE]`). */
export type MockResponse =
  | { readonly status: number; readonly kind: "json"; readonly body: unknown }
  | { readonly status: number; readonly kind: "sse"; readonly chunks: readonly unknown[] };

export interface RecordedExchange {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON request body (`undefined` when there was none or it was not JSON). */
  readonly body: unknown;
  readonly response: MockResponse;
}

export interface MockOpenAIServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** `http://127.0.0.1:<port>/v1`, the `baseURL` for the OpenAI client. */
  readonly baseURL: string;
  readonly port: number;
  /** Every request answered so far, in order. */
  readonly exchanges: RecordedExchange[];
  /** Stops accepting connections, drops idle keep-alive sockets, resolves when the server is closed. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------------
// Request shapes (only what the mock reads)

interface ChatMessage {
  role?: string;
  content?: string | null | { type?: string; text?: string; image_url?: { url?: string } }[];
  tool_calls?: unknown[];
  tool_call_id?: string;
}

interface ChatTool {
  type?: string;
  function?: { name?: string; parameters?: { properties?: Record<string, unknown> } };
}

interface ChatRequest {
  model?: string;
  messages?: ChatMessage[];
  tools?: ChatTool[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

interface ResponsesRequest {
  model?: string;
  instructions?: string | null;
  input?: string | { type?: string; role?: string; content?: unknown }[];
  tools?: { type?: string; name?: string; parameters?: { properties?: Record<string, unknown> } }[];
}

interface EmbeddingsRequest {
  model?: string;
  input?: string | string[] | number[] | number[][];
  encoding_format?: "float" | "base64";
}

// ---------------------------------------------------------------------------------------------------------------------

/** A rough but deterministic token count: one token per 4 characters, at least 1. */
function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function messageText(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  if (Array.isArray(message.content)) {
    return message.content.map((part) => (part.type === "text" ? (part.text ?? "") : "")).join(" ");
  }
  return "";
}

function hasImage(message: ChatMessage): boolean {
  return Array.isArray(message.content) && message.content.some((part) => part.type === "image_url");
}

function chatUsage(request: ChatRequest, completionText: string): ChatUsage {
  const messages = request.messages ?? [];
  // Images count as a fixed 85 tokens each (OpenAI's "low detail" price); tools count by their JSON.
  const prompt =
    messages.reduce((n, m) => n + 4 + tokens(messageText(m)) + (hasImage(m) ? 85 : 0), 0) +
    (request.tools ? tokens(JSON.stringify(request.tools)) : 0);
  const completion = tokens(completionText);
  const reasoning = Math.floor(completion / 2);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion + reasoning,
    total_tokens: prompt + completion + reasoning,
    // A quarter of the prompt "came from the cache", so cached_tokens is never 0 and is asserted for real.
    prompt_tokens_details: { cached_tokens: Math.floor(prompt / 4), audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** Arguments for the first tool of the request: a value for every declared property. */
function toolArguments(tool: ChatTool): string {
  const properties = tool.function?.parameters?.properties ?? {};
  const args: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) {
    const type = (schema as { type?: string; enum?: unknown[] }).type;
    const enumValues = (schema as { enum?: unknown[] }).enum;
    args[name] = enumValues?.[0] ?? (type === "number" || type === "integer" ? 1 : type === "boolean" ? true : "Paris");
  }
  return JSON.stringify(args);
}

/** The deterministic reply text for a chat request without a tool call to make. */
function replyText(request: ChatRequest): string {
  const messages = request.messages ?? [];
  const last = messages.at(-1);
  if (last?.role === "tool")
    return `The tool said: ${typeof last.content === "string" ? last.content : messageText(last)}`;
  if (last && hasImage(last)) return "The image shows a small grey cat sitting on a windowsill.";
  const text = last ? messageText(last) : "";
  return `Mock reply to: ${text}`.trim();
}

/** Vector components are k/64 with |k| < 64: exact in float32, so the base64 and float paths agree. */
function embeddingVector(text: string, dimensions: number): number[] {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    h = Math.imul(h ^ (i + 1), 16777619) >>> 0;
    out.push(((h % 127) - 63) / 64);
  }
  return out;
}

function float32Base64(vector: readonly number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  for (const [i, v] of vector.entries()) buf.writeFloatLE(v, i * 4);
  return buf.toString("base64");
}

function errorBody(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

// ---------------------------------------------------------------------------------------------------------------------

export interface MockOpenAIServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. The host is always 127.0.0.1. */
  readonly port?: number;
}

export async function startMockOpenAIServer(options: MockOpenAIServerOptions = {}): Promise<MockOpenAIServer> {
  const exchanges: RecordedExchange[] = [];
  let chatCount = 0;
  let toolCallCount = 0;

  function chatCompletion(request: ChatRequest): MockResponse {
    const id = `chatcmpl-mock-${++chatCount}`;
    const model = request.model ?? "gpt-4o-mini";
    const last = request.messages?.at(-1);
    const tool = request.tools?.[0];
    const callTool = tool !== undefined && last?.role !== "tool";

    const toolCall = callTool
      ? {
          id: `call_mock_${++toolCallCount}`,
          type: "function" as const,
          function: { name: tool.function?.name ?? "tool", arguments: toolArguments(tool) },
        }
      : undefined;
    const content = callTool ? null : replyText(request);
    const usage = chatUsage(request, content ?? toolCall!.function.arguments);
    const finishReason = callTool ? "tool_calls" : "stop";

    if (!request.stream) {
      return {
        status: 200,
        kind: "json",
        body: {
          id,
          object: "chat.completion",
          created: MOCK_CREATED,
          model,
          choices: [
            {
              index: 0,
              message: {
                role: "assistant",
                content,
                refusal: null,
                annotations: [],
                ...(toolCall ? { tool_calls: [toolCall] } : {}),
              },
              logprobs: null,
              finish_reason: finishReason,
            },
          ],
          usage,
          service_tier: "default",
          system_fingerprint: MOCK_SYSTEM_FINGERPRINT,
        },
      };
    }

    const includeUsage = request.stream_options?.include_usage === true;
    const chunk = (delta: unknown, finish: string | null) => ({
      id,
      object: "chat.completion.chunk",
      created: MOCK_CREATED,
      model,
      service_tier: "default",
      system_fingerprint: MOCK_SYSTEM_FINGERPRINT,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
    const chunks: unknown[] = [chunk({ role: "assistant", content: toolCall ? null : "", refusal: null }, null)];
    if (toolCall) {
      // Like the API: the first delta carries id, type and name; the arguments arrive in pieces.
      const args = toolCall.function.arguments;
      const cut = Math.ceil(args.length / 2);
      chunks.push(
        chunk(
          {
            tool_calls: [
              {
                index: 0,
                id: toolCall.id,
                type: "function",
                function: { name: toolCall.function.name, arguments: "" },
              },
            ],
          },
          null,
        ),
        chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, cut) } }] }, null),
        chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(cut) } }] }, null),
      );
    } else {
      // Word by word, keeping the separating spaces, so the pieces concatenate back to the full text.
      for (const piece of content!.match(/\S+\s*/g) ?? []) chunks.push(chunk({ content: piece }, null));
    }
    chunks.push(chunk({}, finishReason));
    if (includeUsage) {
      chunks.push({ ...chunk({}, null), choices: [], usage });
    }
    return { status: 200, kind: "sse", chunks };
  }

  let responseCount = 0;

  function responses(request: ResponsesRequest): MockResponse {
    const n = ++responseCount;
    const model = request.model ?? "gpt-4o-mini";
    const input =
      typeof request.input === "string"
        ? [{ type: "message", role: "user", content: request.input }]
        : (request.input ?? []);
    if (input.length === 0)
      return { status: 400, kind: "json", body: errorBody("'input' is required", "invalid_request_error") };
    const tool = request.tools?.find((t) => t.type === "function");
    const answered = input.some((item) => item.type === "function_call_output");
    const text = JSON.stringify(input);
    const output =
      tool !== undefined && !answered
        ? {
            type: "function_call",
            id: `fc_mock_${n}`,
            call_id: `call_mock_${++toolCallCount}`,
            name: tool.name ?? "tool",
            arguments: toolArguments({
              type: "function",
              function: { name: tool.name ?? "tool", ...(tool.parameters ? { parameters: tool.parameters } : {}) },
            }),
            status: "completed",
          }
        : {
            type: "message",
            id: `msg_mock_${n}`,
            status: "completed",
            role: "assistant",
            content: [{ type: "output_text", text: "It is sunny in Paris.", annotations: [] }],
          };
    const inputTokens = tokens(`${request.instructions ?? ""}${text}`);
    const outputTokens = tokens(JSON.stringify(output));
    return {
      status: 200,
      kind: "json",
      body: {
        id: `resp_mock_${n}`,
        object: "response",
        created_at: MOCK_CREATED,
        status: "completed",
        error: null,
        incomplete_details: null,
        instructions: request.instructions ?? null,
        model,
        output: [output],
        parallel_tool_calls: true,
        tool_choice: "auto",
        tools: request.tools ?? [],
        usage: {
          input_tokens: inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: inputTokens + outputTokens,
        },
      },
    };
  }

  function embeddings(request: EmbeddingsRequest): MockResponse {
    const inputs = typeof request.input === "string" ? [request.input] : (request.input ?? []);
    if (inputs.length === 0)
      return { status: 400, kind: "json", body: errorBody("'input' is required", "invalid_request_error") };
    const texts = inputs.map((input) => (typeof input === "string" ? input : JSON.stringify(input)));
    const base64 = request.encoding_format === "base64";
    const promptTokens = texts.reduce((n, t) => n + tokens(t), 0);
    return {
      status: 200,
      kind: "json",
      body: {
        object: "list",
        data: texts.map((text, index) => {
          const vector = embeddingVector(text, MOCK_EMBEDDING_DIMENSIONS);
          return { object: "embedding", index, embedding: base64 ? float32Base64(vector) : vector };
        }),
        model: request.model ?? "text-embedding-3-small",
        usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
      },
    };
  }

  function answer(method: string, path: string, body: unknown): MockResponse {
    if (method !== "POST")
      return { status: 405, kind: "json", body: errorBody(`Method ${method} not allowed`, "invalid_request_error") };
    if (body === undefined || typeof body !== "object" || body === null) {
      return {
        status: 400,
        kind: "json",
        body: errorBody("Request body must be a JSON object", "invalid_request_error"),
      };
    }
    switch (path) {
      case "/v1/chat/completions": {
        const request = body as ChatRequest;
        if (!Array.isArray(request.messages) || request.messages.length === 0) {
          return {
            status: 400,
            kind: "json",
            body: errorBody("'messages' must be a non-empty array", "invalid_request_error"),
          };
        }
        return chatCompletion(request);
      }
      case "/v1/embeddings":
        return embeddings(body as EmbeddingsRequest);
      case "/v1/responses":
        return responses(body as ResponsesRequest);
      default:
        return {
          status: 404,
          kind: "json",
          body: errorBody(`Unknown request URL: POST ${path}`, "invalid_request_error", "unknown_url"),
        };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw: Buffer[] = [];
    for await (const piece of req) raw.push(piece as Buffer);
    const text = Buffer.concat(raw).toString("utf8");
    let body: unknown;
    let response: MockResponse;
    try {
      body = text ? JSON.parse(text) : undefined;
      response = answer(req.method ?? "GET", new URL(req.url ?? "/", "http://127.0.0.1").pathname, body);
    } catch {
      response = {
        status: 400,
        kind: "json",
        body: errorBody("We could not parse the JSON body of your request.", "invalid_request_error"),
      };
    }
    exchanges.push({ method: req.method ?? "GET", path: req.url ?? "/", headers: { ...req.headers }, body, response });

    const common = {
      "x-request-id": `req_mock_${exchanges.length}`,
      "openai-processing-ms": "1",
      "openai-version": "2020-10-01",
    };
    if (response.kind === "json") {
      res.writeHead(response.status, { ...common, "content-type": "application/json" });
      res.end(JSON.stringify(response.body));
      return;
    }
    res.writeHead(response.status, {
      ...common,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
    });
    for (const chunk of response.chunks) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    res.end("data: [DONE]\n\n");
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify(errorBody(String(error), "server_error")));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    origin,
    baseURL: `${origin}/v1`,
    port,
    exchanges,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
