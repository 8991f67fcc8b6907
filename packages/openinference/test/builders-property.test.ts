/**
 * Property: whatever valid input the builders get, what they produce validates with zero findings.
 * fast-check generates LLM, embedding, retriever, reranker, tool and context inputs (messages with
 * every content-part type, tool calls, usage with open-ended details, documents, …); the span is the
 * builders' output plus the span kind and the always-recommended input/output, and it must come back
 * with no error, no warning and no info.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildContextAttributes,
  buildEmbeddingAttributes,
  buildInputAttributes,
  buildLLMAttributes,
  buildOutputAttributes,
  buildRerankerAttributes,
  buildRetrieverAttributes,
  buildSpanKindAttributes,
  buildToolAttributes,
  OpenInferenceLLMProviderValues,
  OpenInferenceLLMSystemValues,
  MessageRole,
  validateAttributes,
} from "../src/index.js";

const text = fc.string({ maxLength: 40 });
const id = fc.stringMatching(/^[a-z0-9_-]{1,12}$/);
const count = fc.nat({ max: 100_000 });
const money = fc.double({ min: 0, max: 100, noNaN: true });
const json = fc.jsonValue({ maxDepth: 2 });
const detailName = fc
  .stringMatching(/^[a-z][a-z_]{0,10}$/)
  .filter((k) => !["audio", "cache_read", "cache_write", "cache_input", "reasoning", "input", "output"].includes(k));
const someOf = <T>(values: Record<string, T>) => fc.constantFrom(...Object.values(values));

const toolCall = fc.record(
  {
    id,
    function: fc.record({
      name: id,
      arguments: fc.oneof(
        json.map((j) => ({ v: j })),
        fc.constant('{"a":1}'),
      ),
    }),
  },
  { requiredKeys: [] },
);
const contentPart = fc.oneof(
  fc.record({ type: fc.constant("text" as const), text }),
  fc.record({ type: fc.constant("image" as const), image: fc.record({ url: fc.webUrl() }) }),
  fc.record({
    type: fc.constant("audio" as const),
    audio: fc.record(
      { url: fc.webUrl(), mimeType: fc.constant("audio/wav"), transcript: text },
      { requiredKeys: ["url"] },
    ),
  }),
  fc.record({ type: fc.constant("video" as const), video: fc.record({ url: fc.webUrl() }) }),
  fc.record(
    { type: fc.constant("reasoning" as const), text, signature: id, data: id, encryptedContent: id },
    { requiredKeys: ["type"] },
  ),
  fc.record({ type: fc.constant("tool_use" as const), toolCall }),
);
const message = fc.record(
  {
    role: someOf(MessageRole),
    content: text,
    name: id,
    contents: fc.array(contentPart, { maxLength: 3 }),
    toolCallId: id,
    toolCalls: fc.array(toolCall, { maxLength: 2 }),
  },
  { requiredKeys: ["role"] },
);
const detail = (known: string[]) => fc.record(Object.fromEntries(known.map((k) => [k, count])), { requiredKeys: [] });
const llmInput = fc.record(
  {
    provider: someOf(OpenInferenceLLMProviderValues),
    system: someOf(OpenInferenceLLMSystemValues),
    modelName: id,
    requestModelName: id,
    responseModelName: id,
    invocationParameters: fc.dictionary(id, json, { maxKeys: 3 }),
    inputMessages: fc.array(message, { minLength: 1, maxLength: 3 }),
    outputMessages: fc.array(message, { minLength: 1, maxLength: 2 }),
    tools: fc.array(
      fc.record(
        { jsonSchema: fc.dictionary(id, json, { maxKeys: 2 }), name: id, description: text },
        { requiredKeys: ["jsonSchema"] },
      ),
      { maxLength: 2 },
    ),
    finishReason: fc.constantFrom("stop", "length", "tool_calls"),
    tokenCount: fc.record(
      {
        prompt: count,
        completion: count,
        total: count,
        promptDetails: fc
          .tuple(
            detail(["audio", "cacheRead", "cacheWrite", "cacheInput"]),
            fc.dictionary(detailName, count, { maxKeys: 2 }),
          )
          .map(([a, b]) => ({ ...b, ...a })),
        completionDetails: detail(["reasoning", "audio"]),
      },
      { requiredKeys: [] },
    ),
    cost: fc.record(
      {
        prompt: money,
        completion: money,
        total: money,
        promptDetails: fc.record({ input: money, cacheRead: money }, { requiredKeys: [] }),
        completionDetails: fc.record({ output: money, reasoning: money }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
  },
  // Recommended attributes always given, so that "zero findings" holds strictly (no recommended-missing infos).
  {
    requiredKeys: [
      "modelName",
      "provider",
      "system",
      "invocationParameters",
      "inputMessages",
      "outputMessages",
      "tokenCount",
    ],
  },
);
const document = fc.record(
  {
    id,
    content: text,
    score: fc.double({ min: 0, max: 1, noNaN: true }),
    metadata: fc.dictionary(id, json, { maxKeys: 2 }),
  },
  { requiredKeys: ["id", "content"] },
);
const context = fc.record(
  {
    sessionId: id,
    userId: id,
    tags: fc.array(id, { maxLength: 3 }),
    metadata: fc.dictionary(id, json, { maxKeys: 2 }),
    promptTemplate: fc.record({ template: text, variables: fc.dictionary(id, text, { maxKeys: 2 }), version: id }),
  },
  { requiredKeys: [] },
);
// null means "no value" to the builders, so it is not a value here.
const value = fc.oneof(
  text,
  json.filter((v) => v !== null),
);
const io = fc.record({ input: value, output: value });

function span(
  kind: Parameters<typeof buildSpanKindAttributes>[0],
  own: object,
  c: object,
  values: { input: unknown; output: unknown },
): Record<string, unknown> {
  return {
    ...buildSpanKindAttributes(kind),
    ...buildInputAttributes({ value: values.input }),
    ...buildOutputAttributes({ value: values.output }),
    ...buildContextAttributes(c),
    ...own,
  };
}

const kinds: [Parameters<typeof buildSpanKindAttributes>[0], fc.Arbitrary<object>][] = [
  ["llm", llmInput.map((i) => buildLLMAttributes(i as never))],
  [
    "embedding",
    fc
      .record({
        modelName: id,
        invocationParameters: fc.dictionary(id, json, { maxKeys: 2 }),
        embeddings: fc.array(
          fc.record({
            text,
            vector: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 4 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
      })
      .map((i) => buildEmbeddingAttributes(i)),
  ],
  [
    "retriever",
    fc
      .record({ documents: fc.array(document, { minLength: 1, maxLength: 3 }) })
      .map((i) => buildRetrieverAttributes(i)),
  ],
  [
    "reranker",
    fc
      .record({
        query: text,
        modelName: id,
        topK: fc.nat({ max: 50 }),
        inputDocuments: fc.array(document, { minLength: 1, maxLength: 3 }),
        outputDocuments: fc.array(document, { minLength: 1, maxLength: 3 }),
      })
      .map((i) => buildRerankerAttributes(i)),
  ],
  [
    "tool",
    fc
      .record(
        { name: id, description: text, parameters: fc.dictionary(id, json, { maxKeys: 3 }), id },
        { requiredKeys: ["name", "description", "parameters"] },
      )
      .map((i) => buildToolAttributes(i)),
  ],
];

describe("builder output always validates with zero findings", () => {
  it.each(kinds)("%s spans", (kind, own) => {
    fc.assert(
      fc.property(own, context, io, (attrs, c, values) => {
        const findings = validateAttributes(span(kind, attrs, c, values));
        expect(findings).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
