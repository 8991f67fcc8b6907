/**
 * Case conversion and naming presets, as exact strings. Every expectation here is written by hand
 * from the documented rules (words split on non-alphanumerics and camel humps; a leading digit or a
 * reserved word gets `_`), never computed by the code under test.
 */
import { describe, expect, it } from "vitest";
import { camelCase, pascalCase, safeIdentifier, screamingSnake, words } from "../src/naming/case.js";
import { attributeConstName, enumMemberConstName, isNamingPreset } from "../src/naming/presets.js";
import type { NamingPreset } from "../src/model/resolved.js";

type Case<G, W = string> = [name: string, c: { given: G; want: W }];

describe("words", () => {
  const cases: Case<string, string[]>[] = [
    ["dots and underscores", { given: "llm.token_count.prompt", want: ["llm", "token", "count", "prompt"] }],
    ["camel humps", { given: "camelHumps", want: ["camel", "Humps"] }],
    ["acronym before a word", { given: "HTTPServer", want: ["HTTP", "Server"] }],
    ["digit before a hump", { given: "v2Api", want: ["v2", "Api"] }],
    ["runs of separators", { given: "--a..b__c--", want: ["a", "b", "c"] }],
    ["non-ASCII letters are separators", { given: "café.naïve", want: ["caf", "na", "ve"] }],
    ["emoji only", { given: "🚀", want: [] }],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(words(given)).toEqual(want);
  });
});

describe("screamingSnake", () => {
  const cases: Case<string>[] = [
    ["dotted key", { given: "llm.token_count.prompt", want: "LLM_TOKEN_COUNT_PROMPT" }],
    ["otel key", { given: "http.request.method", want: "HTTP_REQUEST_METHOD" }],
    ["gen_ai key", { given: "gen_ai.usage.input_tokens", want: "GEN_AI_USAGE_INPUT_TOKENS" }],
    ["leading underscore dropped: _OTHER", { given: "_OTHER", want: "OTHER" }],
    ["camel humps", { given: "camelHumps", want: "CAMEL_HUMPS" }],
    ["acronym then word", { given: "HTTPServer", want: "HTTP_SERVER" }],
    ["digit then hump", { given: "v2Api", want: "V2_API" }],
    ["mime type", { given: "application/json", want: "APPLICATION_JSON" }],
    ["leading digit", { given: "1st.place", want: "_1ST_PLACE" }],
    ["digits only", { given: "200", want: "_200" }],
    ["unicode stripped", { given: "café.naïve", want: "CAF_NA_VE" }],
    ["only unicode", { given: "ü", want: "_" }],
    ["empty", { given: "", want: "_" }],
    ["reserved words are safe in upper case", { given: "class", want: "CLASS" }],
    ["__proto__", { given: "__proto__", want: "PROTO" }],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(screamingSnake(given)).toBe(want);
  });
});

describe("camelCase", () => {
  const cases: Case<string>[] = [
    ["list key", { given: "llm.input_messages", want: "llmInputMessages" }],
    ["template key", { given: "http.request.header", want: "httpRequestHeader" }],
    ["upper-case words are lowered", { given: "LLM.Model", want: "llmModel" }],
    ["camel humps kept as words", { given: "camelHumps.value", want: "camelHumpsValue" }],
    ["acronym", { given: "HTTPServer", want: "httpServer" }],
    ["reserved word: class", { given: "class", want: "_class" }],
    ["reserved word: default", { given: "default", want: "_default" }],
    ["reserved word: function", { given: "function", want: "_function" }],
    ["reserved word: await", { given: "await", want: "_await" }],
    ["reserved word: new", { given: "new", want: "_new" }],
    ["not reserved: constructor", { given: "constructor", want: "constructor" }],
    ["__proto__", { given: "__proto__", want: "proto" }],
    ["reserved word only as a whole", { given: "class.name", want: "className" }],
    ["leading digit", { given: "1a.b", want: "_1aB" }],
    ["digit segment", { given: "a.0.b", want: "a0B" }],
    ["unicode stripped", { given: "naïve.key", want: "naVeKey" }],
    ["empty", { given: "", want: "_" }],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(camelCase(given)).toBe(want);
  });
});

describe("pascalCase", () => {
  const cases: Case<string>[] = [
    ["object id", { given: "openinference.message", want: "OpeninferenceMessage" }],
    ["underscores", { given: "message_content", want: "MessageContent" }],
    ["existing capitals kept", { given: "HTTPServer", want: "HTTPServer" }],
    ["camel humps", { given: "camelHumps", want: "CamelHumps" }],
    ["lower-case acronym is not upper-cased", { given: "llm.system", want: "LlmSystem" }],
    ["reserved global: Infinity", { given: "infinity", want: "_Infinity" }],
    ["reserved global: NaN", { given: "na.n", want: "_NaN" }],
    ["leading digit", { given: "9lives", want: "_9lives" }],
    ["unicode stripped", { given: "ü.x", want: "X" }],
    ["reserved word changes case: class", { given: "class", want: "Class" }],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(pascalCase(given)).toBe(want);
  });
});

describe("safeIdentifier", () => {
  const cases: Case<string>[] = [
    ["plain", { given: "ok", want: "ok" }],
    ["class", { given: "class", want: "_class" }],
    ["yield", { given: "yield", want: "_yield" }],
    ["let", { given: "let", want: "_let" }],
    ["enum", { given: "enum", want: "_enum" }],
    ["undefined", { given: "undefined", want: "_undefined" }],
    ["arguments", { given: "arguments", want: "_arguments" }],
    ["eval", { given: "eval", want: "_eval" }],
    ["NaN", { given: "NaN", want: "_NaN" }],
    ["case matters: Class", { given: "Class", want: "Class" }],
    ["case matters: CLASS", { given: "CLASS", want: "CLASS" }],
    ["leading digit", { given: "0x", want: "_0x" }],
    ["leading underscore kept", { given: "_OTHER", want: "_OTHER" }],
    ["dollar", { given: "$x", want: "$x" }],
    ["empty", { given: "", want: "_" }],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(safeIdentifier(given)).toBe(want);
  });
});

describe("naming presets", () => {
  const attributeCases: Case<[NamingPreset, string]>[] = [
    ["otel: ATTR_ prefix", { given: ["otel", "http.request.method"], want: "ATTR_HTTP_REQUEST_METHOD" }],
    ["otel: reserved-word key", { given: ["otel", "class"], want: "ATTR_CLASS" }],
    ["otel: digit segment", { given: ["otel", "a.0.b"], want: "ATTR_A_0_B" }],
    ["otel: template key", { given: ["otel", "gen_ai.request.header"], want: "ATTR_GEN_AI_REQUEST_HEADER" }],
    ["openinference: no prefix", { given: ["openinference", "llm.model_name"], want: "LLM_MODEL_NAME" }],
    ["openinference: reserved-word key", { given: ["openinference", "class"], want: "CLASS" }],
    ["openinference: digit segment", { given: ["openinference", "a.0.b"], want: "A_0_B" }],
    [
      "openinference: span kind",
      { given: ["openinference", "openinference.span.kind"], want: "OPENINFERENCE_SPAN_KIND" },
    ],
  ];
  it.each(attributeCases)("attributeConstName %s", (_, { given: [preset, key], want }) => {
    expect(attributeConstName(preset, key)).toBe(want);
  });

  const memberCases: Case<[NamingPreset, string, string]>[] = [
    [
      "otel: KEY_VALUE_MEMBER",
      { given: ["otel", "gen_ai.operation.name", "chat"], want: "GEN_AI_OPERATION_NAME_VALUE_CHAT" },
    ],
    ["otel: _OTHER", { given: ["otel", "http.request.method", "_OTHER"], want: "HTTP_REQUEST_METHOD_VALUE_OTHER" }],
    ["otel: reserved-word member", { given: ["otel", "x.kind", "class"], want: "X_KIND_VALUE_CLASS" }],
    ["otel: camel-hump member", { given: ["otel", "x.kind", "toolCall"], want: "X_KIND_VALUE_TOOL_CALL" }],
    ["openinference: member only", { given: ["openinference", "openinference.span.kind", "LLM"], want: "LLM" }],
    ["openinference: mime type", { given: ["openinference", "input.mime_type", "text/plain"], want: "TEXT_PLAIN" }],
    ["openinference: _OTHER", { given: ["openinference", "x.kind", "_OTHER"], want: "OTHER" }],
    ["openinference: reserved-word member", { given: ["openinference", "x.kind", "default"], want: "DEFAULT" }],
    ["openinference: numeric member id", { given: ["openinference", "x.code", "404"], want: "_404" }],
    ["openinference: unicode member id", { given: ["openinference", "x.kind", "ünïcode"], want: "N_CODE" }],
  ];
  it.each(memberCases)("enumMemberConstName %s", (_, { given: [preset, key, member], want }) => {
    expect(enumMemberConstName(preset, key, member)).toBe(want);
  });

  const presetCases: Case<string, boolean>[] = [
    ["otel", { given: "otel", want: true }],
    ["openinference", { given: "openinference", want: true }],
    ["wrong case", { given: "OTel", want: false }],
    ["unknown", { given: "semconv", want: false }],
  ];
  it.each(presetCases)("isNamingPreset %s", (_, { given, want }) => {
    expect(isNamingPreset(given)).toBe(want);
  });
});
