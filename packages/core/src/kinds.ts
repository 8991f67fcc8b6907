import {
  buildAgentAttributes,
  buildChainAttributes,
  buildEmbeddingAttributes,
  buildEvaluatorAttributes,
  buildLLMAttributes,
  buildPromptAttributes,
  buildRerankerAttributes,
  buildRetrieverAttributes,
  buildToolAttributes,
  type AgentAttributesInput,
  type Attributes,
  type ChainAttributesInput,
  type EmbeddingAttributesInput,
  type EvaluatorAttributesInput,
  type LLMAttributesInput,
  type OpenInferenceSpanKindValues,
  type PromptAttributesInput,
  type RerankerAttributesInput,
  type RetrieverAttributesInput,
  type ToolAttributesInput,
} from "@semtrace/openinference";

/** An OpenInference span kind: `"LLM"`, `"TOOL"`, … (upper case, as recorded). */
export type SpanKindName = OpenInferenceSpanKindValues;

/** A span kind as callers may write it: `"LLM"` or `"llm"`. */
export type SpanKindInput = OpenInferenceSpanKindValues | Lowercase<OpenInferenceSpanKindValues>;

/** `"llm"` → `"LLM"`. */
export type NormalizeKind<K extends SpanKindInput> = Uppercase<K> & OpenInferenceSpanKindValues;

/** The generated builder input of each span kind (`span.record(…)`); kinds without a builder take none. */
export interface KindInputs {
  LLM: LLMAttributesInput;
  EMBEDDING: EmbeddingAttributesInput;
  CHAIN: ChainAttributesInput;
  RETRIEVER: RetrieverAttributesInput;
  RERANKER: RerankerAttributesInput;
  TOOL: ToolAttributesInput;
  AGENT: AgentAttributesInput;
  EVALUATOR: EvaluatorAttributesInput;
  PROMPT: PromptAttributesInput;
  GUARDRAIL: never;
  UNKNOWN: never;
}

export const KIND_BUILDERS: { readonly [K in OpenInferenceSpanKindValues]?: (input: never) => Attributes } = {
  LLM: buildLLMAttributes,
  EMBEDDING: buildEmbeddingAttributes,
  CHAIN: buildChainAttributes,
  RETRIEVER: buildRetrieverAttributes,
  RERANKER: buildRerankerAttributes,
  TOOL: buildToolAttributes,
  AGENT: buildAgentAttributes,
  EVALUATOR: buildEvaluatorAttributes,
  PROMPT: buildPromptAttributes,
};

const KINDS: Readonly<Record<string, OpenInferenceSpanKindValues>> = {
  llm: "LLM",
  embedding: "EMBEDDING",
  chain: "CHAIN",
  retriever: "RETRIEVER",
  reranker: "RERANKER",
  tool: "TOOL",
  agent: "AGENT",
  guardrail: "GUARDRAIL",
  evaluator: "EVALUATOR",
  prompt: "PROMPT",
  unknown: "UNKNOWN",
};

/** Normalises a kind; anything unrecognised becomes `"UNKNOWN"`. */
export function normalizeKind(kind: unknown): OpenInferenceSpanKindValues {
  return (typeof kind === "string" && KINDS[kind.toLowerCase()]) || "UNKNOWN";
}
