/**
 * The GenAI validator's test cases, shared by its tests (test/validators.test.ts) and by the CLI's parity test
 * (the validator printed as JavaScript from a spec directory must find exactly what the generated one finds):
 * good spans of every modelled operation and the mutation table of a chat span.
 */
import type { Finding, ValidateOptions } from "../src/index.js";

export type Attrs = Record<string, unknown>;

/** A chat call as an OpenAI-style instrumentation following the current conventions records it. */
export const CHAT: Attrs = {
  "gen_ai.operation.name": "chat",
  "gen_ai.provider.name": "openai",
  "gen_ai.request.model": "gpt-4o-mini",
  "gen_ai.request.temperature": 0.2,
  "gen_ai.request.max_tokens": 64,
  "gen_ai.request.seed": 7,
  "gen_ai.response.id": "chatcmpl-123",
  "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
  "gen_ai.response.finish_reasons": ["stop"],
  "gen_ai.usage.input_tokens": 25,
  "gen_ai.usage.output_tokens": 12,
  "gen_ai.usage.cache_read.input_tokens": 16,
  "gen_ai.conversation.id": "conv_1",
  "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] }]),
  "gen_ai.output.messages": JSON.stringify([
    { role: "assistant", parts: [{ type: "text", content: "Sunny." }], finish_reason: "stop" },
  ]),
  "server.address": "api.openai.com",
  "server.port": 443,
  "openai.response.system_fingerprint": "fp_1",
};

export const GOOD: Record<string, Attrs> = {
  chat: CHAT,
  generate_content: {
    ...CHAT,
    "gen_ai.operation.name": "generate_content",
    "gen_ai.provider.name": "gcp.gemini",
    "gen_ai.request.top_k": 40,
  },
  text_completion: { ...CHAT, "gen_ai.operation.name": "text_completion" },
  embeddings: {
    "gen_ai.operation.name": "embeddings",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "text-embedding-3-small",
    "gen_ai.request.encoding_formats": ["base64"],
    "gen_ai.embeddings.dimension.count": 512,
    "gen_ai.response.model": "text-embedding-3-small",
    "gen_ai.usage.input_tokens": 9,
  },
  retrieval: {
    "gen_ai.operation.name": "retrieval",
    "gen_ai.data_source.id": "vs_1",
    "gen_ai.retrieval.top_k": 3,
    "gen_ai.retrieval.query.text": "refund policy",
    "gen_ai.retrieval.documents": JSON.stringify([{ id: "doc_1", score: 0.9 }]),
  },
  create_agent: {
    "gen_ai.operation.name": "create_agent",
    "gen_ai.provider.name": "azure.ai.inference",
    "gen_ai.agent.name": "Triage",
    "gen_ai.agent.id": "asst_1",
    "gen_ai.request.model": "gpt-4o",
  },
  invoke_agent: {
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.provider.name": "aws.bedrock",
    "gen_ai.agent.name": "Triage",
    "gen_ai.response.finish_reasons": ["stop"],
    "gen_ai.usage.input_tokens": 100,
    "gen_ai.usage.output_tokens": 20,
    "gen_ai.usage.cache_write.input_tokens": 50,
  },
  execute_tool: {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": "get_weather",
    "gen_ai.tool.call.id": "call_1",
    "gen_ai.tool.type": "function",
    "gen_ai.tool.call.arguments": '{"city":"Paris"}',
    "gen_ai.tool.call.result": '{"sky":"clear"}',
  },
  invoke_workflow: { "gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": "ticket_pipeline" },
};

export const set = (extra: Attrs) => (a: Attrs) => ({ ...a, ...extra });
export const drop =
  (...keys: string[]) =>
  (a: Attrs) =>
    Object.fromEntries(Object.entries(a).filter(([k]) => !keys.includes(k)));
export const rename = (from: string, to: string) => (a: Attrs) =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k === from ? to : k, v]));

export interface Mutation {
  readonly name: string;
  readonly mutate: (a: Attrs) => Attrs;
  readonly options?: ValidateOptions;
  readonly want: readonly string[];
  readonly severity?: Finding["severity"];
}

export const MUTATIONS: readonly Mutation[] = [
  {
    name: "wrong type: a string token count",
    mutate: set({ "gen_ai.usage.input_tokens": "25" }),
    want: ["value.type gen_ai.usage.input_tokens"],
    severity: "error",
  },
  {
    name: "wrong type: a fractional top_k (int since the GenAI registry; double in 1.44)",
    mutate: set({ "gen_ai.request.top_k": 2.5 }),
    want: ["value.type gen_ai.request.top_k"],
    severity: "error",
  },
  {
    name: "an integral top_k written as a double by an older producer is fine",
    mutate: set({ "gen_ai.request.top_k": 40.0 }),
    want: [],
  },
  {
    name: "wrong type: finish_reasons as a string",
    mutate: set({ "gen_ai.response.finish_reasons": "stop" }),
    want: ["value.type gen_ai.response.finish_reasons"],
    severity: "error",
  },
  {
    name: "array mixed types (stop_sequences)",
    mutate: set({ "gen_ai.request.stop_sequences": ["END", 3] }),
    want: ["value.array-mixed gen_ai.request.stop_sequences"],
    severity: "error",
  },
  {
    name: "broken JSON in gen_ai.input.messages",
    mutate: set({ "gen_ai.input.messages": '[{"role":"user"' }),
    want: ["value.json gen_ai.input.messages"],
    severity: "error",
  },
  {
    name: "structured messages (an array of maps, as an OTLP arrayValue of kvlistValues) are accepted",
    mutate: set({
      "gen_ai.output.messages": [
        { role: "assistant", parts: [{ type: "text", content: "Sunny." }], finish_reason: "stop" },
      ] as unknown as string,
    }),
    want: [],
  },
  {
    name: "structured tool-call arguments (a map) are accepted",
    mutate: set({ "gen_ai.tool.call.arguments": { city: "Paris" } as unknown as string }),
    want: [],
  },
  {
    name: "plain text as a tool's result is accepted (upstream types gen_ai.tool.call.result `any`)",
    mutate: set({ "gen_ai.tool.call.result": "18°C and cloudy in Paris" }),
    want: [],
  },
  { name: "any value as a tool's result: a number, a map", mutate: set({ "gen_ai.tool.call.result": 18 }), want: [] },
  {
    name: "a number is neither JSON text nor a structured value",
    mutate: set({ "gen_ai.output.messages": 42 }),
    want: ["value.type gen_ai.output.messages"],
    severity: "error",
  },
  {
    name: "typo'd key inside gen_ai",
    mutate: rename("gen_ai.request.model", "gen_ai.request.modle"),
    want: ["key.unknown gen_ai.request.modle"],
    severity: "error",
  },
  // Kept with the deprecated token-usage metric it breaks down (spec/genai/registry/deprecated.yaml, its rationale).
  {
    name: "deprecated metric attribute (gen_ai.token.type) on a span",
    mutate: set({ "gen_ai.token.type": "input" }),
    want: ["key.deprecated gen_ai.token.type"],
    severity: "warning",
  },
  {
    name: "proposed key (gen_ai.guardrail.policy.id) is unknown",
    mutate: set({ "gen_ai.guardrail.policy.id": "p1" }),
    want: ["key.unknown gen_ai.guardrail.policy.id"],
    severity: "error",
  },
  {
    name: "interim key (gen_ai.usage.video.input_tokens) is unknown",
    mutate: set({ "gen_ai.usage.video.input_tokens": 3 }),
    want: ["key.unknown gen_ai.usage.video.input_tokens"],
    severity: "error",
  },
  {
    name: "deprecated gen_ai.system next to gen_ai.provider.name",
    mutate: set({ "gen_ai.system": "openai" }),
    want: ["key.deprecated gen_ai.system"],
    severity: "warning",
  },
  {
    name: "deprecated gen_ai.system instead of gen_ai.provider.name (as instrumentations on 1.3x write it)",
    mutate: rename("gen_ai.provider.name", "gen_ai.system"),
    want: ["key.deprecated gen_ai.system", "attribute.required gen_ai.provider.name"],
  },
  {
    name: "renamed usage key (prompt_tokens)",
    mutate: rename("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"),
    want: ["key.deprecated gen_ai.usage.prompt_tokens", "attribute.recommended gen_ai.usage.input_tokens"],
  },
  {
    name: "renamed cache key (cache_creation, the 1.44 name)",
    mutate: set({ "gen_ai.usage.cache_creation.input_tokens": 4 }),
    want: ["key.deprecated gen_ai.usage.cache_creation.input_tokens"],
    severity: "warning",
  },
  {
    name: "deprecated gen_ai.openai.request.seed",
    mutate: set({ "gen_ai.openai.request.seed": 7 }),
    want: ["key.deprecated gen_ai.openai.request.seed"],
  },
  { name: "obsolete gen_ai.prompt", mutate: set({ "gen_ai.prompt": "Hello" }), want: ["key.deprecated gen_ai.prompt"] },
  {
    name: "OpenLLMetry's gen_ai.usage.total_tokens (not upstream; recorded as deprecated)",
    mutate: set({ "gen_ai.usage.total_tokens": 33 }),
    want: ["key.deprecated gen_ai.usage.total_tokens"],
    severity: "warning",
  },
  {
    name: "a string gen_ai.usage.total_tokens is also the wrong type",
    mutate: set({ "gen_ai.usage.total_tokens": "33" }),
    want: ["value.type gen_ai.usage.total_tokens", "key.deprecated gen_ai.usage.total_tokens"],
  },
  {
    name: "missing required gen_ai.provider.name",
    mutate: drop("gen_ai.provider.name"),
    want: ["attribute.required gen_ai.provider.name"],
    severity: "error",
  },
  {
    name: "missing recommended gen_ai.response.model",
    mutate: drop("gen_ai.response.model"),
    want: ["attribute.recommended gen_ai.response.model"],
    severity: "info",
  },
  {
    name: "missing settings the request did not make are not reported",
    mutate: drop(
      "gen_ai.request.temperature",
      "gen_ai.request.max_tokens",
      "gen_ai.request.seed",
      "gen_ai.usage.cache_read.input_tokens",
    ),
    want: [],
  },
  {
    name: "missing gen_ai.operation.name",
    mutate: drop("gen_ai.operation.name"),
    want: ["span-kind.missing gen_ai.operation.name"],
    severity: "error",
  },
  {
    name: "open enum: an operation without a span definition (search_memory) gets no requirement checks",
    mutate: set({ "gen_ai.operation.name": "search_memory" }),
    want: [],
  },
  {
    name: "open enum: a provider-specific operation name",
    mutate: set({ "gen_ai.operation.name": "rerank" }),
    want: ["value.enum gen_ai.operation.name"],
    severity: "info",
  },
  {
    name: "open enum: an unlisted provider",
    mutate: set({ "gen_ai.provider.name": "acme-ai" }),
    want: ["value.enum gen_ai.provider.name"],
    severity: "info",
  },
  {
    name: "open enum: the deprecated spelling xai of the provider",
    mutate: set({ "gen_ai.provider.name": "xai" }),
    want: ["value.enum gen_ai.provider.name"],
    severity: "info",
  },
  {
    name: "kind mismatch with the caller's expectation",
    mutate: (a) => a,
    options: { kind: "embeddings" },
    want: ["span-kind.mismatch gen_ai.operation.name"],
    severity: "error",
  },
  {
    name: "kind given by the caller when the span has none",
    mutate: drop("gen_ai.operation.name"),
    options: { kind: "chat" },
    want: [],
  },
  {
    name: "template key: prompt variables are strings",
    mutate: set({ "gen_ai.prompt.variable.city": 5 }),
    want: ["value.type gen_ai.prompt.variable.city"],
    severity: "error",
  },
  {
    name: "template key: any variable name is valid",
    mutate: set({ "gen_ai.prompt.variable.city": "Lyon", "gen_ai.prompt.name": "describe-city" }),
    want: [],
  },
  {
    name: "keys outside gen_ai pass (error.type, openai.*, other registries)",
    mutate: set({ "error.type": "timeout", "openai.request.service_tier": "auto", "llm.model_name": "x" }),
    want: [],
  },
];

// ----- the content of the JSON attributes (spec/genai/registry/content-shapes.yaml), test/content.test.ts -----

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A complete chat span, so the only findings are the content's. */
export const CONTENT_SPAN: Attrs = {
  "gen_ai.operation.name": "chat",
  "gen_ai.provider.name": "openai",
  "gen_ai.request.model": "gpt-4o-mini",
  "gen_ai.response.id": "chatcmpl-1",
  "gen_ai.response.model": "gpt-4o-mini",
  "gen_ai.response.finish_reasons": ["stop"],
  "gen_ai.usage.input_tokens": 30,
  "gen_ai.usage.output_tokens": 5,
};

/** Every part shape of a message, and a role of each kind. */
export const INPUT: Json = [
  { role: "system", parts: [{ type: "text", content: "Answer briefly." }] },
  {
    role: "user",
    name: "ana",
    parts: [
      { type: "text", content: "What is in this picture, and the weather in Paris?" },
      { type: "blob", modality: "image", mime_type: "image/png", content: "iVBORw0KGgo=" },
      { type: "uri", modality: "image", mime_type: null, uri: "https://example.com/cat.png" },
      { type: "file", modality: "audio", file_id: "file-abc" },
    ],
  },
  {
    role: "assistant",
    name: null,
    parts: [
      { type: "reasoning", content: "The user wants two things." },
      { type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } },
      {
        type: "server_tool_call",
        id: "srv_1",
        name: "web_search",
        server_tool_call: { type: "web_search", query: "Paris weather" },
      },
      {
        type: "server_tool_call_response",
        id: "srv_1",
        server_tool_call_response: { type: "web_search", results: [] },
      },
    ],
  },
  { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: { temperature: 21 } }] },
];
export const OUTPUT: Json = [
  { role: "assistant", parts: [{ type: "text", content: "A cat. 21 °C and sunny." }], finish_reason: "stop" },
];
export const SYSTEM: Json = [{ type: "text", content: "You are a helpful assistant." }];
export const TOOLS: Json = [
  {
    type: "function",
    name: "get_weather",
    description: "Weather of a city.",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
  { type: "web_search", name: "web_search" },
];
export const DOCUMENTS: Json = [{ id: "doc_1", score: 0.91 }];

/** A document for each content attribute that uses every shape it can hold. */
export const DOCS: Readonly<Record<string, Json>> = {
  "gen_ai.input.messages": INPUT,
  "gen_ai.output.messages": OUTPUT,
  "gen_ai.system_instructions": SYSTEM,
  "gen_ai.tool.definitions": TOOLS,
  "gen_ai.retrieval.documents": DOCUMENTS,
};

export type Form = "json" | "structured";
export const FORMS: readonly Form[] = ["json", "structured"];

/** The attribute value in one form: JSON text, or the structured value itself (a deep copy, so mutations stay local). */
export function encode(doc: unknown, form: Form): unknown {
  return form === "json" ? JSON.stringify(doc) : structuredClone(doc);
}

/** The span holding `doc` under `key` in one form. */
export function contentRecord(key: string, doc: unknown, form: Form): Attrs {
  return { ...CONTENT_SPAN, [key]: encode(doc, form) };
}

/** Applies `change` to a copy of `doc` at the property path `at` (`[1, "parts", 0]`). */
function mutate(
  doc: Json,
  at: readonly (string | number)[],
  change: (parent: Record<string, Json>, last: string) => void,
): Json {
  const copy = structuredClone(doc);
  let node = copy as unknown as Record<string | number, Json>;
  for (const step of at.slice(0, -1)) node = node[step] as unknown as Record<string | number, Json>;
  change(node as unknown as Record<string, Json>, String(at.at(-1)));
  return copy;
}
export const without = (doc: Json, at: readonly (string | number)[]) =>
  mutate(doc, at, (parent, last) => delete parent[last]);
export const setTo = (value: Json) => (doc: Json, at: readonly (string | number)[]) =>
  mutate(doc, at, (parent, last) => (parent[last] = value));

export interface ContentMutation {
  readonly key: string;
  /** Where, inside the document. */
  readonly at: readonly (string | number)[];
  readonly change: (doc: Json, at: readonly (string | number)[]) => Json;
  /** `severity rule path`: the one finding expected. */
  readonly finding: string;
}

export const IN = "gen_ai.input.messages";
export const OUT = "gen_ai.output.messages";
export const SYS = "gen_ai.system_instructions";
export const TOOL = "gen_ai.tool.definitions";
export const RET = "gen_ai.retrieval.documents";
const missing = (key: string, at: readonly (string | number)[]): ContentMutation => ({
  key,
  at,
  change: without,
  finding: `error content.required ${path(key, at)}`,
});
const wrongType = (key: string, at: readonly (string | number)[], value: Json): ContentMutation => ({
  key,
  at,
  change: setTo(value),
  finding: `error content.type ${path(key, at)}`,
});
function path(key: string, at: readonly (string | number)[]): string {
  return key + at.map((step) => (typeof step === "number" ? `[${step}]` : `.${step}`)).join("");
}

/** Every property a schema requires, removed, and a wrong type for each kind of property. */
export const CONTENT_MUTATIONS: readonly ContentMutation[] = [
  // ChatMessage
  missing(IN, [0, "role"]),
  missing(IN, [0, "parts"]),
  // TextPart; a part without `type` is checked as the generic part, which requires it
  missing(IN, [0, "parts", 0, "type"]),
  missing(IN, [0, "parts", 0, "content"]),
  // BlobPart, UriPart, FilePart
  missing(IN, [1, "parts", 1, "modality"]),
  missing(IN, [1, "parts", 1, "content"]),
  missing(IN, [1, "parts", 2, "modality"]),
  missing(IN, [1, "parts", 2, "uri"]),
  missing(IN, [1, "parts", 3, "modality"]),
  missing(IN, [1, "parts", 3, "file_id"]),
  // ReasoningPart, ToolCallRequestPart, ServerToolCallPart, ServerToolCallResponsePart, ToolCallResponsePart
  missing(IN, [2, "parts", 0, "content"]),
  missing(IN, [2, "parts", 1, "name"]),
  missing(IN, [2, "parts", 2, "name"]),
  missing(IN, [2, "parts", 2, "server_tool_call"]),
  missing(IN, [2, "parts", 2, "server_tool_call", "type"]),
  missing(IN, [2, "parts", 3, "server_tool_call_response"]),
  missing(IN, [2, "parts", 3, "server_tool_call_response", "type"]),
  missing(IN, [3, "parts", 0, "response"]),
  // OutputMessage
  missing(OUT, [0, "role"]),
  missing(OUT, [0, "parts"]),
  missing(OUT, [0, "finish_reason"]),
  missing(OUT, [0, "parts", 0, "content"]),
  // System instructions: parts
  missing(SYS, [0, "type"]),
  missing(SYS, [0, "content"]),
  // FunctionToolDefinition, GenericToolDefinition
  missing(TOOL, [0, "name"]),
  missing(TOOL, [1, "name"]),
  missing(TOOL, [1, "type"]),
  // RetrievalDocument
  missing(RET, [0, "id"]),
  missing(RET, [0, "score"]),
  // Wrong types: strings, arrays, objects, nullable strings, numbers, enums' own type, elements
  wrongType(IN, [0, "role"], 5),
  wrongType(IN, [0, "parts"], "Answer briefly."),
  wrongType(IN, [0, "parts", 0], "Answer briefly."),
  wrongType(IN, [0, "parts", 0, "type"], 7),
  wrongType(IN, [0, "parts", 0, "content"], ["Answer", "briefly"]),
  wrongType(IN, [1, "name"], 42),
  wrongType(IN, [1, "parts", 1, "mime_type"], false),
  wrongType(IN, [1, "parts", 1, "modality"], null),
  wrongType(IN, [2, "parts", 1, "name"], null),
  wrongType(IN, [2, "parts", 1, "id"], 1),
  wrongType(IN, [2, "parts", 2, "server_tool_call"], "web_search"),
  wrongType(IN, [0], [{ type: "text", content: "x" }]),
  wrongType(OUT, [0, "finish_reason"], 1),
  wrongType(TOOL, [0, "description"], 3),
  wrongType(RET, [0, "score"], "0.91"),
];

/** A document and the findings it gets (`severity rule path`), the same in both forms. */
export interface ContentExample {
  readonly name: string;
  readonly key: string;
  readonly doc: Json;
  readonly want: readonly string[];
}

const LEGACY = "warning content.legacy-format";

/** What the schemas leave open passes (an info for a value outside an open enum's well-known ones). */
export const OPEN_CONTENT: readonly ContentExample[] = [
  {
    name: "any role, extra properties, unknown part types, nulls where allowed",
    key: IN,
    doc: [
      { role: "developer", parts: [{ type: "text", content: "Be brief.", annotations: [] }], id: "msg_1" },
      {
        role: "user",
        parts: [
          { type: "image_url", image_url: { url: "https://example.com/a.png" } },
          { type: "text", content: "" },
        ],
      },
      {
        role: "assistant",
        parts: [
          { type: "tool_call", id: null, name: "f", arguments: null },
          { type: "tool_call", name: "g" },
        ],
      },
    ],
    want: [`info content.enum ${IN}[0].role`],
  },
  {
    name: "any finish reason, extra properties, no parts",
    key: OUT,
    doc: [{ role: "assistant", parts: [], finish_reason: "max_tokens", index: 0 }],
    want: [`info content.enum ${OUT}[0].finish_reason`],
  },
  {
    name: "unknown tool types, extra properties, null parameters",
    key: TOOL,
    doc: [
      { type: "function", name: "f", parameters: null, strict: true },
      { type: "code_interpreter", name: "python", container: {} },
    ],
    want: [],
  },
  { name: "no messages at all", key: IN, doc: [], want: [] },
];

/** Formats from before the schemas: one warning naming the format per value written in one. */
export const LEGACY_CONTENT: readonly ContentExample[] = [
  {
    name: "messages with content or tool_calls, OpenAI text parts",
    key: IN,
    doc: [
      { role: "system", content: "Answer briefly." },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }],
      },
      { role: "assistant", tool_calls: [{ id: "call_2", type: "function", function: { name: "g" } }] },
      { role: "user", parts: [{ type: "text", text: "Hello" }] },
    ],
    want: [`${LEGACY} ${IN}[0]`, `${LEGACY} ${IN}[1]`, `${LEGACY} ${IN}[2]`, `${LEGACY} ${IN}[3].parts[0]`],
  },
  {
    name: "choices",
    key: OUT,
    doc: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "Hi" } }],
    want: [`${LEGACY} ${OUT}[0]`],
  },
  {
    name: "OpenAI function tools",
    key: TOOL,
    doc: [{ type: "function", function: { name: "get_weather", parameters: {} } }],
    want: [`${LEGACY} ${TOOL}[0]`],
  },
  {
    name: "a message with neither parts nor an older format's properties is an error, not a warning",
    key: IN,
    doc: [{ role: "user", text: "Hi" }],
    want: [`error content.required ${IN}[0].parts`],
  },
];

/** Attribute values that are text but no document: the plain-text form `semtrace.plain_text` names, or errors. */
export const TEXT_CONTENT: readonly {
  readonly name: string;
  readonly key: string;
  readonly value: string;
  readonly want: readonly string[];
}[] = [
  {
    name: "system instructions as one plain string (the Responses API's `instructions`)",
    key: SYS,
    value: "Answer in one sentence.",
    want: [`${LEGACY} ${SYS}`],
  },
  { name: "empty system instructions", key: SYS, value: " ", want: [`${LEGACY} ${SYS}`] },
  {
    name: "plain text where no plain-text form is recorded (input messages)",
    key: IN,
    value: "Hello",
    want: [`error value.json ${IN}`],
  },
  { name: "broken JSON is no plain text", key: SYS, value: '[{"type": "text"', want: [`error value.json ${SYS}`] },
  {
    name: "a JSON string is no plain text: it is not the array of parts",
    key: SYS,
    value: '"Answer in one sentence."',
    want: [`error content.type ${SYS}`],
  },
];
