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
  type OpenInferenceSpanKind,
  type PromptAttributesInput,
  type RerankerAttributesInput,
  type RetrieverAttributesInput,
  type ToolAttributesInput,
} from "@semtrace/openinference";

/**
 * A semtrace span kind: an OpenInference kind (`"LLM"`, `"TOOL"`, …, recorded as `openinference.span.kind`), or
 * `"OPERATION"`: a span of the application's own business logic that records no kind at all, only the
 * attributes it is given and the trace context, so validators count it among the other (non-AI) spans.
 */
export type SpanKindName = OpenInferenceSpanKind | "OPERATION";

/** A span kind as callers may write it: `"LLM"` or `"llm"`. */
export type SpanKindInput = SpanKindName | Lowercase<SpanKindName>;

/** `"llm"` → `"LLM"`. */
export type NormalizeKind<K extends SpanKindInput> = Uppercase<K> & SpanKindName;

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
  OPERATION: never;
}

export const KIND_BUILDERS: { readonly [K in SpanKindName]?: (input: never) => Attributes } = {
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

const KINDS: Readonly<Record<string, SpanKindName>> = {
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
  operation: "OPERATION",
};

/** Normalises a kind; anything unrecognised becomes `"UNKNOWN"`. */
export function normalizeKind(kind: unknown): SpanKindName {
  // The longest kind name is 9 characters: anything longer is unknown without lower-casing a copy of it.
  if (typeof kind !== "string" || kind.length > 16) return "UNKNOWN";
  const lower = kind.toLowerCase();
  // Own properties only: `"constructor"` is not a kind.
  return Object.prototype.hasOwnProperty.call(KINDS, lower) ? KINDS[lower]! : "UNKNOWN";
}
