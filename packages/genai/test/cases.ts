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
  "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: "Sunny." }], finish_reason: "stop" }]),
  "server.address": "api.openai.com",
  "server.port": 443,
  "openai.response.system_fingerprint": "fp_1",
};

export const GOOD: Record<string, Attrs> = {
  chat: CHAT,
  generate_content: { ...CHAT, "gen_ai.operation.name": "generate_content", "gen_ai.provider.name": "gcp.gemini", "gen_ai.request.top_k": 40 },
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
  create_agent: { "gen_ai.operation.name": "create_agent", "gen_ai.provider.name": "azure.ai.inference", "gen_ai.agent.name": "Triage", "gen_ai.agent.id": "asst_1", "gen_ai.request.model": "gpt-4o" },
  invoke_agent: {
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.provider.name": "aws.bedrock",
    "gen_ai.agent.name": "Triage",
    "gen_ai.response.finish_reasons": ["stop"],
    "gen_ai.usage.input_tokens": 100,
    "gen_ai.usage.output_tokens": 20,
    "gen_ai.usage.cache_write.input_tokens": 50,
  },
  execute_tool: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "get_weather", "gen_ai.tool.call.id": "call_1", "gen_ai.tool.type": "function", "gen_ai.tool.call.arguments": '{"city":"Paris"}', "gen_ai.tool.call.result": '{"sky":"clear"}' },
  invoke_workflow: { "gen_ai.operation.name": "invoke_workflow", "gen_ai.workflow.name": "ticket_pipeline" },
};

export const set = (extra: Attrs) => (a: Attrs) => ({ ...a, ...extra });
export const drop = (...keys: string[]) => (a: Attrs) => Object.fromEntries(Object.entries(a).filter(([k]) => !keys.includes(k)));
export const rename = (from: string, to: string) => (a: Attrs) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k === from ? to : k, v]));

export interface Mutation {
  readonly name: string;
  readonly mutate: (a: Attrs) => Attrs;
  readonly options?: ValidateOptions;
  readonly want: readonly string[];
  readonly severity?: Finding["severity"];
}

export const MUTATIONS: readonly Mutation[] = [
  { name: "wrong type: a string token count", mutate: set({ "gen_ai.usage.input_tokens": "25" }), want: ["value.type gen_ai.usage.input_tokens"], severity: "error" },
  { name: "wrong type: a fractional top_k (int since the GenAI registry; double in 1.44)", mutate: set({ "gen_ai.request.top_k": 2.5 }), want: ["value.type gen_ai.request.top_k"], severity: "error" },
  { name: "an integral top_k written as a double by an older producer is fine", mutate: set({ "gen_ai.request.top_k": 40.0 }), want: [] },
  { name: "wrong type: finish_reasons as a string", mutate: set({ "gen_ai.response.finish_reasons": "stop" }), want: ["value.type gen_ai.response.finish_reasons"], severity: "error" },
  { name: "array mixed types (stop_sequences)", mutate: set({ "gen_ai.request.stop_sequences": ["END", 3] }), want: ["value.array-mixed gen_ai.request.stop_sequences"], severity: "error" },
  { name: "broken JSON in gen_ai.input.messages", mutate: set({ "gen_ai.input.messages": '[{"role":"user"' }), want: ["value.json gen_ai.input.messages"], severity: "error" },
  {
    name: "structured messages (an array of maps, as an OTLP arrayValue of kvlistValues) are accepted",
    mutate: set({ "gen_ai.output.messages": [{ role: "assistant", parts: [{ type: "text", content: "Sunny." }], finish_reason: "stop" }] as unknown as string }),
    want: [],
  },
  { name: "structured tool-call arguments (a map) are accepted", mutate: set({ "gen_ai.tool.call.arguments": { city: "Paris" } as unknown as string }), want: [] },
  { name: "plain text as a tool's result is accepted (upstream types gen_ai.tool.call.result `any`)", mutate: set({ "gen_ai.tool.call.result": "18°C and cloudy in Paris" }), want: [] },
  { name: "any value as a tool's result: a number, a map", mutate: set({ "gen_ai.tool.call.result": 18 }), want: [] },
  { name: "a number is neither JSON text nor a structured value", mutate: set({ "gen_ai.output.messages": 42 }), want: ["value.type gen_ai.output.messages"], severity: "error" },
  { name: "typo'd key inside gen_ai", mutate: rename("gen_ai.request.model", "gen_ai.request.modle"), want: ["key.unknown gen_ai.request.modle"], severity: "error" },
  { name: "removed key (gen_ai.token.type) is unknown", mutate: set({ "gen_ai.token.type": "input" }), want: ["key.unknown gen_ai.token.type"], severity: "error" },
  { name: "proposed key (gen_ai.guardrail.policy.id) is unknown", mutate: set({ "gen_ai.guardrail.policy.id": "p1" }), want: ["key.unknown gen_ai.guardrail.policy.id"], severity: "error" },
  { name: "interim key (gen_ai.usage.video.input_tokens) is unknown", mutate: set({ "gen_ai.usage.video.input_tokens": 3 }), want: ["key.unknown gen_ai.usage.video.input_tokens"], severity: "error" },
  { name: "deprecated gen_ai.system next to gen_ai.provider.name", mutate: set({ "gen_ai.system": "openai" }), want: ["key.deprecated gen_ai.system"], severity: "warning" },
  {
    name: "deprecated gen_ai.system instead of gen_ai.provider.name (as instrumentations on 1.3x write it)",
    mutate: rename("gen_ai.provider.name", "gen_ai.system"),
    want: ["key.deprecated gen_ai.system", "attribute.required gen_ai.provider.name"],
  },
  { name: "renamed usage key (prompt_tokens)", mutate: rename("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"), want: ["key.deprecated gen_ai.usage.prompt_tokens", "attribute.recommended gen_ai.usage.input_tokens"] },
  { name: "renamed cache key (cache_creation, the 1.44 name)", mutate: set({ "gen_ai.usage.cache_creation.input_tokens": 4 }), want: ["key.deprecated gen_ai.usage.cache_creation.input_tokens"], severity: "warning" },
  { name: "deprecated gen_ai.openai.request.seed", mutate: set({ "gen_ai.openai.request.seed": 7 }), want: ["key.deprecated gen_ai.openai.request.seed"] },
  { name: "obsolete gen_ai.prompt", mutate: set({ "gen_ai.prompt": "Hello" }), want: ["key.deprecated gen_ai.prompt"] },
  { name: "missing required gen_ai.provider.name", mutate: drop("gen_ai.provider.name"), want: ["attribute.required gen_ai.provider.name"], severity: "error" },
  { name: "missing recommended gen_ai.response.model", mutate: drop("gen_ai.response.model"), want: ["attribute.recommended gen_ai.response.model"], severity: "info" },
  { name: "missing settings the request did not make are not reported", mutate: drop("gen_ai.request.temperature", "gen_ai.request.max_tokens", "gen_ai.request.seed", "gen_ai.usage.cache_read.input_tokens"), want: [] },
  { name: "missing gen_ai.operation.name", mutate: drop("gen_ai.operation.name"), want: ["span-kind.missing gen_ai.operation.name"], severity: "error" },
  { name: "open enum: an operation without a span definition (search_memory) gets no requirement checks", mutate: set({ "gen_ai.operation.name": "search_memory" }), want: [] },
  { name: "open enum: a provider-specific operation name", mutate: set({ "gen_ai.operation.name": "rerank" }), want: ["value.enum gen_ai.operation.name"], severity: "info" },
  { name: "open enum: an unlisted provider", mutate: set({ "gen_ai.provider.name": "acme-ai" }), want: ["value.enum gen_ai.provider.name"], severity: "info" },
  { name: "open enum: the deprecated spelling xai of the provider", mutate: set({ "gen_ai.provider.name": "xai" }), want: ["value.enum gen_ai.provider.name"], severity: "info" },
  { name: "kind mismatch with the caller's expectation", mutate: (a) => a, options: { kind: "embeddings" }, want: ["span-kind.mismatch gen_ai.operation.name"], severity: "error" },
  { name: "kind given by the caller when the span has none", mutate: drop("gen_ai.operation.name"), options: { kind: "chat" }, want: [] },
  { name: "template key: prompt variables are strings", mutate: set({ "gen_ai.prompt.variable.city": 5 }), want: ["value.type gen_ai.prompt.variable.city"], severity: "error" },
  { name: "template key: any variable name is valid", mutate: set({ "gen_ai.prompt.variable.city": "Lyon", "gen_ai.prompt.name": "describe-city" }), want: [] },
  { name: "keys outside gen_ai pass (error.type, openai.*, other registries)", mutate: set({ "error.type": "timeout", "openai.request.service_tier": "auto", "llm.model_name": "x" }), want: [] },
];
