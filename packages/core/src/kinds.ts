/**
 * Span kinds, taken from the generated registry package: the kinds are `openinference.span.kind`'s members
 * (`OpenInferenceSpanKindValues`), their initial attributes come from the generated `buildSpanKindAttributes`, and each
 * kind's `record()` input is its generated builder's. A kind added to the spec flows in with the next generation;
 * the one table written here (kind → builder) fails to compile until it names the new kind's builder, and a test
 * holds it to the generator's own plan (test/kinds.test.ts).
 */
import {
  OpenInferenceSpanKindValues,
  buildAgentAttributes,
  buildChainAttributes,
  buildEmbeddingAttributes,
  buildEvaluatorAttributes,
  buildLLMAttributes,
  buildPromptAttributes,
  buildRerankerAttributes,
  buildRetrieverAttributes,
  buildSpanKindAttributes,
  buildToolAttributes,
  type Attributes,
} from "@semtrace/openinference";

/** The OpenInference span kinds, as the registry defines them. */
type RegistryKind = OpenInferenceSpanKindValues;

/**
 * A semtrace span kind: an OpenInference kind (`"LLM"`, `"TOOL"`, …, recorded as `openinference.span.kind`), or
 * `"OPERATION"`: a span of the application's own business logic that records no kind at all, only the
 * attributes it is given and the trace context, so validators count it among the other (non-AI) spans.
 */
export type SpanKindName = RegistryKind | "OPERATION";

/** A span kind as callers may write it: `"LLM"` or `"llm"`. */
export type SpanKindInput = SpanKindName | Lowercase<SpanKindName>;

/** `"llm"` → `"LLM"`. */
export type NormalizeKind<K extends SpanKindInput> = Uppercase<K> & SpanKindName;

/**
 * The generated builder of each registry kind (`span.record(…)`); `undefined` for kinds whose spec group has no
 * attributes of its own, so the generator made no builder. Exhaustive over the registry's kinds.
 */
export const KIND_BUILDERS = {
  LLM: buildLLMAttributes,
  EMBEDDING: buildEmbeddingAttributes,
  CHAIN: buildChainAttributes,
  RETRIEVER: buildRetrieverAttributes,
  RERANKER: buildRerankerAttributes,
  TOOL: buildToolAttributes,
  AGENT: buildAgentAttributes,
  GUARDRAIL: undefined,
  EVALUATOR: buildEvaluatorAttributes,
  PROMPT: buildPromptAttributes,
  UNKNOWN: undefined,
} as const satisfies { readonly [K in RegistryKind]: ((input: never) => Attributes) | undefined };

/** The builder input of each span kind (`span.record(…)`): its generated builder's; kinds without a builder take none. */
export type KindInputs = {
  readonly [K in SpanKindName]: K extends RegistryKind
    ? (typeof KIND_BUILDERS)[K] extends (input: infer I) => Attributes
      ? I
      : never
    : never;
};

const REGISTRY_KINDS = Object.values(OpenInferenceSpanKindValues) as readonly RegistryKind[];

/** Every kind's name in lower case → the kind. */
const BY_LOWER_CASE: ReadonlyMap<string, SpanKindName> = new Map(
  [...REGISTRY_KINDS, "OPERATION" as const].map((kind) => [kind.toLowerCase(), kind]),
);

/** The longest kind name: anything longer is unknown without lower-casing a copy of it. */
const LONGEST_KIND = Math.max(...[...BY_LOWER_CASE.keys()].map((kind) => kind.length));

/** Normalises a kind; anything unrecognised becomes `"UNKNOWN"`. */
export function normalizeKind(kind: unknown): SpanKindName {
  if (typeof kind !== "string" || kind.length > LONGEST_KIND) return "UNKNOWN";
  return BY_LOWER_CASE.get(kind.toLowerCase()) ?? "UNKNOWN";
}

/** The attributes each kind's span starts with (samplers and processors see them in `onStart`); an operation has none. */
export const KIND_ATTRIBUTES: Readonly<Record<SpanKindName, Readonly<Attributes> | undefined>> = Object.freeze(
  Object.fromEntries([
    ...REGISTRY_KINDS.map((kind) => [kind, Object.freeze(buildSpanKindAttributes(kind))]),
    ["OPERATION", undefined],
  ]) as Record<SpanKindName, Attributes | undefined>,
);
