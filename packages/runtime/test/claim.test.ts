/**
 * The claiming rule (`src/claim.ts`) on two miniature registries shaped like OpenInference and GenAI: which
 * registries judge a span, and what `judgeWith` reports for it. (The same table on the real generated registries,
 * through `semtrace validate`, is in packages/cli/test/claim-rule.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { checkType, claimSpan, judgeWith, type RegistryValidator, type ValidateOptions } from "../src/internal.js";

function registry(
  name: string,
  spanKindKey: string | undefined,
  kinds: string[],
  owned: string[],
  defined: Record<string, "string" | "int" | "string[]">,
  contextKeys: string[] = [],
): RegistryValidator {
  return {
    name,
    ...(spanKindKey ? { spanKindKey } : {}),
    spanKinds: kinds,
    contextKeys,
    owns: (key) => owned.some((ns) => key === ns || key.startsWith(`${ns}.`)),
    checkKey(key, value, ctx) {
      const type = defined[key];
      if (type === undefined) return false;
      checkType(key, value, type, ctx);
      return true;
    },
    checkRequirements() {},
    suggestions: Object.keys(defined),
  };
}

/** OpenInference in miniature: its kind, `llm.*`, and the context keys it marks. */
const oi = registry(
  "openinference",
  "openinference.span.kind",
  ["LLM", "CHAIN"],
  ["llm", "tag", "metadata", "input", "output", "openinference"],
  {
    "openinference.span.kind": "string",
    "llm.model_name": "string",
    "input.value": "string",
    "session.id": "string",
    "user.id": "string",
    metadata: "string",
    "tag.tags": "string[]",
  },
  ["session.id", "user.id", "metadata", "tag.tags"],
);
/** GenAI in miniature. */
const genai = registry("genai", "gen_ai.operation.name", ["chat"], ["gen_ai"], {
  "gen_ai.operation.name": "string",
  "gen_ai.request.model": "string",
});
/** A company registry without span kinds. */
const acme = registry("acme", undefined, [], ["acme"], { "acme.tenant": "string" });

const both = [oi, genai];
const names = (rs: readonly RegistryValidator[]) => rs.map((r) => r.name);
const summary = (attributes: Record<string, unknown>, options?: ValidateOptions, registries = both) => {
  const { findings, judges } = judgeWith(registries, attributes, options);
  return { judges: names(judges), findings: findings.map((f) => `${f.severity} ${f.rule} ${f.key}`) };
};

const context = { "session.id": "s-1", "user.id": "u-1", metadata: '{"tenant":"acme"}', "tag.tags": ["beta"] };

describe("which registries judge a span", () => {
  it.each([
    ["plain span", {}, [], []],
    ["HTTP span", { "http.request.method": "GET", "url.path": "/chat" }, [], []],
    ["HTTP span with context keys", { "http.request.method": "GET", ...context }, [], []],
    ["OpenInference span", { "openinference.span.kind": "LLM", "llm.model_name": "gpt-4o" }, ["openinference"], []],
    ["GenAI span", { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o" }, ["genai"], []],
    [
      "GenAI span with foreign llm.* keys (OpenLLMetry's own): one info naming OpenInference",
      { "gen_ai.operation.name": "chat", "llm.request.type": "chat", "llm.is_streaming": false, input: "x" },
      ["genai"],
      ["info key.foreign llm.request.type"],
    ],
    ["GenAI span with context keys: no info for them", { "gen_ai.operation.name": "chat", ...context }, ["genai"], []],
    [
      "span with both kinds",
      { "openinference.span.kind": "LLM", "gen_ai.operation.name": "chat" },
      ["openinference", "genai"],
      [],
    ],
    [
      "span with OpenInference keys and no kind",
      { "llm.model_name": "gpt-4o", ...context },
      ["openinference"],
      ["error span-kind.missing openinference.span.kind"],
    ],
    [
      "span with GenAI keys and no kind",
      { "gen_ai.request.model": "gpt-4o" },
      ["genai"],
      ["error span-kind.missing gen_ai.operation.name"],
    ],
    [
      "span with only a typo key inside an owned namespace",
      { "llm.modle_name": "gpt-4o" },
      ["openinference"],
      ["error key.unknown llm.modle_name", "error span-kind.missing openinference.span.kind"],
    ],
    ["a context key with a wrong value on an other span is not judged", { "tag.tags": 3 }, [], []],
    [
      "a context key with a wrong value on a judged span is",
      { "openinference.span.kind": "LLM", "tag.tags": 3 },
      ["openinference"],
      ["error value.type tag.tags"],
    ],
  ] as const)("%s", (_, attributes, judges, findings) => {
    expect(summary(attributes)).toEqual({ judges, findings });
    expect(names(claimSpan(both, attributes, Object.keys(attributes)).judges)).toEqual(judges);
  });

  it("strict: every span declares a kind of a loaded registry", () => {
    expect(summary({ "http.request.method": "GET" }, { strict: true })).toEqual({
      judges: [],
      findings: ["error span-kind.missing openinference.span.kind"],
    });
    expect(judgeWith(both, {}, { strict: true }).findings[0]!.message).toBe(
      "the span declares no span kind (strict): expected `openinference.span.kind` (openinference) or `gen_ai.operation.name` (genai)",
    );
    // A span judged by its keys already reports its own kind missing: not twice.
    expect(summary({ "llm.model_name": "x" }, { strict: true }).findings).toEqual([
      "error span-kind.missing openinference.span.kind",
    ]);
    expect(summary({ "gen_ai.operation.name": "chat" }, { strict: true }).findings).toEqual([]);
  });

  it("the caller's kind declares the registry that defines it", () => {
    expect(summary({}, { kind: "chat" })).toEqual({ judges: ["genai"], findings: [] });
    expect(summary({ "llm.model_name": "x" }, { kind: "LLM" })).toEqual({ judges: ["openinference"], findings: [] });
  });

  it("a registry without span kinds judges the spans that carry its keys, declared or not", () => {
    const registries = [oi, acme];
    expect(summary({ "acme.tenant": 1 }, undefined, registries)).toEqual({
      judges: ["acme"],
      findings: ["error value.type acme.tenant"],
    });
    expect(summary({ "openinference.span.kind": "LLM", "acme.tenant": "t" }, undefined, registries)).toEqual({
      judges: ["openinference", "acme"],
      findings: [],
    });
    expect(summary({ "openinference.span.kind": "LLM" }, undefined, registries).judges).toEqual(["openinference"]);
  });

  it("keys with undefined values claim nothing (the OpenTelemetry API drops them)", () => {
    expect(summary({ "llm.model_name": undefined })).toEqual({ judges: [], findings: [] });
  });

  it("the foreign-key info names at most three keys and counts the rest", () => {
    const { findings } = judgeWith(both, {
      "gen_ai.operation.name": "chat",
      "llm.a": 1,
      "llm.b": 1,
      "input.c": 1,
      "output.d": 1,
      "llm.e": 1,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toBe(
      "`llm.a`, `llm.b`, `input.c` and 2 more lie in namespaces of the openinference conventions without being their keys; the span is judged as genai, so they are not checked",
    );
    // Keys that convention defines (a mix of conventions) pass, whatever their value.
    expect(summary({ "gen_ai.operation.name": "chat", "llm.model_name": 5, "input.value": "hi" })).toEqual({
      judges: ["genai"],
      findings: [],
    });
  });
});
