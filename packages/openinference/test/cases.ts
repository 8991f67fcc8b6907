/**
 * The OpenInference validator's mutation table, shared by its tests (test/validators.test.ts) and by the CLI's
 * parity test (the validator printed as JavaScript from a spec directory must find exactly what the generated
 * one finds): a valid LLM chat span (test/fixtures/llm-chat-span.json) and its mutations.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Finding, ValidateOptions } from "../src/index.js";

export type Attrs = Record<string, unknown>;

/** A valid LLM chat span: no findings. */
export const BASE = JSON.parse(
  readFileSync(fileURLToPath(new URL("fixtures/llm-chat-span.json", import.meta.url)), "utf8"),
) as Attrs;

export const set = (extra: Attrs) => (a: Attrs) => ({ ...a, ...extra });
export const drop =
  (...keys: string[]) =>
  (a: Attrs) =>
    Object.fromEntries(Object.entries(a).filter(([k]) => !keys.includes(k)));
export const rename = (from: string, to: string) => (a: Attrs) =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k.startsWith(from) ? to + k.slice(from.length) : k, v]));

export interface Mutation {
  readonly name: string;
  readonly mutate: (a: Attrs) => Attrs;
  readonly options?: ValidateOptions;
  /** Exactly the findings, in report order (key checks, index gaps, span kind, requirement levels). */
  readonly want: readonly string[];
  /** Severity of the first finding, where it matters. */
  readonly severity?: Finding["severity"];
  /** Why the JSON Schema cannot agree with the validator on this one (ajv is then expected to accept it). */
  readonly schemaCannot?: string;
}

export const MUTATIONS: readonly Mutation[] = [
  {
    name: "wrong type: a string token count",
    mutate: set({ "llm.token_count.prompt": "25" }),
    want: ["value.type llm.token_count.prompt"],
    severity: "error",
  },
  {
    name: "wrong type: a double where an int is expected",
    mutate: set({ "llm.token_count.total": 37.5 }),
    want: ["value.type llm.token_count.total"],
  },
  {
    name: "wrong type: a number in a message",
    mutate: set({ "llm.input_messages.1.message.content": 42 }),
    want: ["value.type llm.input_messages.1.message.content"],
  },
  {
    name: "wrong type: a value on a list key",
    mutate: set({ "llm.input_messages": "[]" }),
    want: ["value.type llm.input_messages"],
  },
  {
    name: "wrong type: a value on the llm.cost namespace",
    mutate: set({ "llm.cost": 0.01 }),
    want: ["value.type llm.cost"],
  },
  {
    name: "wrong type: a template detail",
    mutate: set({ "llm.token_count.prompt_details.cache_read": "5" }),
    want: ["value.type llm.token_count.prompt_details.cache_read"],
  },
  {
    name: "a template accepts details it does not list",
    mutate: set({ "llm.token_count.prompt_details.image": 3, "llm.cost.completion_details.video": 0.5 }),
    want: [],
  },
  {
    name: "unknown kind (given by the caller)",
    mutate: drop("openinference.span.kind"),
    options: { kind: "BANANA" },
    want: ["span-kind.unknown openinference.span.kind"],
  },
  {
    name: "kind mismatch with the caller's expectation",
    mutate: (a) => a,
    options: { kind: "CHAIN" },
    want: ["span-kind.mismatch openinference.span.kind"],
  },
  {
    name: "typo'd key (llm.modle_name)",
    mutate: rename("llm.model_name", "llm.modle_name"),
    want: ["key.unknown llm.modle_name", "attribute.recommended llm.model_name"],
  },
  {
    name: "typo'd key next to the right one",
    mutate: set({ "llm.token_count.totl": 37 }),
    want: ["key.unknown llm.token_count.totl"],
  },
  {
    name: "object field without its list",
    mutate: set({ "message.role": "user" }),
    want: ["key.unknown message.role"],
  },
  {
    name: "index gap (a warning: contiguous indices are a SHOULD)",
    mutate: rename("llm.input_messages.1.", "llm.input_messages.2."),
    want: ["index.gap llm.input_messages.1"],
    severity: "warning",
  },
  {
    name: "index gap in a nested list",
    mutate: rename("llm.output_messages.0.message.tool_calls.0.", "llm.output_messages.0.message.tool_calls.1."),
    want: ["index.gap llm.output_messages.0.message.tool_calls.0"],
    severity: "warning",
  },
  {
    name: "leading-zero index",
    mutate: set({ "llm.input_messages.01.message.role": "user" }),
    want: ["key.unknown llm.input_messages.01.message.role"],
  },
  {
    name: "unknown field under an index",
    mutate: set({ "llm.input_messages.1.message.sentiment": "happy" }),
    want: ["index.unknown-field llm.input_messages.1.message.sentiment"],
  },
  {
    name: "unknown field in a nested structure",
    mutate: set({ "llm.output_messages.0.message.tool_calls.0.tool_call.function.description": "x" }),
    want: ["index.unknown-field llm.output_messages.0.message.tool_calls.0.tool_call.function.description"],
  },
  {
    name: "broken JSON (llm.invocation_parameters)",
    mutate: set({ "llm.invocation_parameters": "{temperature: 0.2" }),
    want: ["value.json llm.invocation_parameters"],
    severity: "error",
  },
  {
    name: "broken JSON in tool call arguments",
    mutate: set({ "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": '{"city": "Par' }),
    want: ["value.json llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments"],
  },
  {
    name: "missing required key (span kind)",
    mutate: drop("openinference.span.kind"),
    want: ["span-kind.missing openinference.span.kind"],
    severity: "error",
  },
  {
    name: "session.id missing on a span with session feedback (required_with)",
    mutate: (a) =>
      set({ "session.annotations.0.annotation.name": "helpful", "session.annotations.0.annotation.score": 1 })(
        drop("session.id")(a),
      ),
    want: ["attribute.required session.id"],
    severity: "error",
  },
  {
    name: "session.id missing without session feedback: its prose condition is not evaluated",
    mutate: drop("session.id"),
    want: [],
  },
  {
    name: "missing recommended key",
    mutate: drop("llm.model_name"),
    want: ["attribute.recommended llm.model_name"],
    severity: "info",
  },
  {
    name: "closed-enum violation (span kind)",
    mutate: set({ "openinference.span.kind": "llm" }),
    want: ["value.enum openinference.span.kind"],
    severity: "error",
  },
  {
    name: "open-enum value (llm.provider)",
    mutate: set({ "llm.provider": "acme-cloud" }),
    want: ["value.enum llm.provider"],
    severity: "info",
  },
  {
    name: "open-enum value in a message (message.role)",
    mutate: set({ "llm.input_messages.1.message.role": "narrator" }),
    want: ["value.enum llm.input_messages.1.message.role"],
    severity: "info",
  },
  {
    name: "array mixed types (tag.tags)",
    mutate: set({ "tag.tags": ["beta", 2] }),
    want: ["value.array-mixed tag.tags"],
    severity: "error",
  },
  { name: "array of the wrong type (tag.tags)", mutate: set({ "tag.tags": [1, 2] }), want: ["value.type tag.tags"] },
  {
    name: "tag.tags JSON-encoded, as TypeScript instrumentations write it: accepted (info)",
    mutate: set({ "tag.tags": '["beta"]' }),
    want: ["value.json-encoded tag.tags"],
    severity: "info",
  },
  {
    name: "a string that is no JSON array where an array is expected (tag.tags)",
    mutate: set({ "tag.tags": "beta" }),
    want: ["value.type tag.tags"],
    schemaCannot:
      "tag.tags also accepts a JSON-encoded string; whether the string parses is content (contentSchema), which JSON Schema validators do not check",
  },
  {
    name: "a string where an array is expected (embedding.vector)",
    mutate: set({ "embedding.embeddings.0.embedding.vector": "[0.1]" }),
    want: ["value.type embedding.embeddings.0.embedding.vector"],
  },
  {
    name: "Bedrock's llm.stop_reason (not OpenInference; recorded as deprecated, renamed to llm.finish_reason)",
    mutate: set({ "llm.stop_reason": "end_turn" }),
    want: ["key.deprecated llm.stop_reason"],
    severity: "warning",
  },
  {
    name: "a non-string llm.stop_reason is also the wrong type",
    mutate: set({ "llm.stop_reason": 1 }),
    want: ["value.type llm.stop_reason", "key.deprecated llm.stop_reason"],
  },
  {
    name: "Bedrock's message_content.image.format beside image.url (recorded as deprecated)",
    mutate: set({
      "llm.input_messages.1.message.contents.0.message_content.type": "image",
      "llm.input_messages.1.message.contents.0.message_content.image.image.url": "data:image/png;base64,iVBORw0KGgo=",
      "llm.input_messages.1.message.contents.0.message_content.image.format": "png",
    }),
    want: ["key.deprecated llm.input_messages.1.message.contents.0.message_content.image.format"],
    severity: "warning",
  },
  {
    name: "any other field beside the image is still unknown",
    mutate: set({ "llm.input_messages.1.message.contents.0.message_content.image.size": 3 }),
    want: ["index.unknown-field llm.input_messages.1.message.contents.0.message_content.image.size"],
  },
  {
    name: "keys outside the owned namespaces pass",
    mutate: set({
      "http.request.method": "POST",
      "mycompany.tenant.id": 7,
      "user.email": "a@b.c",
      "session.previous_id": "s0",
    }),
    want: [],
  },
  {
    name: "several problems at once",
    mutate: (a) =>
      set({
        "llm.modle_name": "x",
        "tag.tags": [true, "x"],
        "llm.input_messages.5.message.role": "user",
        "session.evaluations.0.evaluation.name": "tone",
        "session.evaluations.0.evaluation.label": "ok",
      })(drop("session.id")(a)),
    want: [
      "key.unknown llm.modle_name",
      "value.array-mixed tag.tags",
      "index.gap llm.input_messages.2",
      "attribute.required session.id",
    ],
  },
];
