/**
 * The generated GenAI validator on real-looking gen_ai spans.
 *
 * 1. Good spans of every modelled operation (chat, embeddings, retrieval, create_agent, invoke_agent,
 *    execute_tool, invoke_workflow) have no findings at all.
 * 2. The mutation table (test/cases.ts): each mutation of the chat span yields exactly the findings listed (`rule key`), no more.
 * 3. Builders write what the validator accepts, and the constants have OpenTelemetry's names and values.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROMPT_VARIABLE,
  ATTR_GEN_AI_REQUEST_MODEL,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_PROVIDER_NAME_VALUE_MOONSHOT_AI,
  buildExecuteToolAttributes,
  buildInferenceAttributes,
  buildSpanKindAttributes,
  createValidator,
  genaiRegistry,
  validateAttributes,
  validateSpan,
  type Finding,
} from "../src/index.js";
import { CHAT, GOOD, MUTATIONS, set, type Attrs } from "./cases.js";

const rules = (findings: readonly Finding[]) => findings.map((f) => `${f.rule} ${f.key}`);

describe("good gen_ai spans", () => {
  it.each(Object.entries(GOOD))("%s: no findings", (_name, attributes) => {
    expect(validateAttributes(attributes)).toEqual([]);
  });

  it("covers every span kind the registry defines", () => {
    expect(Object.keys(GOOD).sort()).toEqual([...genaiRegistry.spanKinds].sort());
    expect(genaiRegistry.spanKindKey).toBe("gen_ai.operation.name");
  });

  it("validateSpan reads a span's attributes", () => {
    expect(validateSpan({ name: "chat gpt-4o-mini", attributes: CHAT })).toEqual([]);
  });
});

describe("mutations of a chat span", () => {
  it.each(MUTATIONS)("$name", ({ mutate, options, want, severity }) => {
    const findings = validateAttributes(mutate(CHAT), options);
    expect(rules(findings)).toEqual(want);
    if (severity !== undefined) expect(findings[0]?.severity).toBe(severity);
  });

  it("a deprecation names its replacement", () => {
    const [renamed] = validateAttributes(set({ "gen_ai.usage.completion_tokens": 12 })(CHAT));
    expect(renamed?.message).toContain("gen_ai.usage.output_tokens");
    const [uncategorized] = validateAttributes(set({ "gen_ai.system": "openai" })(CHAT));
    expect(uncategorized?.message).toContain("gen_ai.provider.name");
  });
});

describe("builders and constants", () => {
  it("build a chat span the validator accepts", () => {
    const attributes = {
      ...buildSpanKindAttributes("chat"),
      ...buildInferenceAttributes({
        provider: { name: "openai" },
        request: { model: "gpt-4o-mini", temperature: 0.2 },
        response: { id: "chatcmpl-1", model: "gpt-4o-mini", finishReasons: ["stop"] },
        usage: { inputTokens: 10, outputTokens: 3, cacheRead: { inputTokens: 4 } },
        input: { messages: [{ role: "user", parts: [{ type: "text", content: "Hi" }] }] },
      }),
    };
    expect(attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.usage.cache_read.input_tokens": 4,
      "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
    });
    expect(validateAttributes(attributes)).toEqual([]);
  });

  it("build a tool span; JSON arguments are serialised safely", () => {
    const circular: Record<string, unknown> = { city: "Paris" };
    circular["self"] = circular;
    const attributes = {
      ...buildSpanKindAttributes("execute_tool"),
      ...buildExecuteToolAttributes({ tool: { name: "get_weather", call: { id: "c1", arguments: circular } } }),
    };
    expect(attributes["gen_ai.tool.call.arguments"]).toBe('{"city":"Paris","self":"[Circular]"}');
    expect(validateAttributes(attributes)).toEqual([]);
  });

  it("use OpenTelemetry's JavaScript names and values", () => {
    expect(ATTR_GEN_AI_OPERATION_NAME).toBe("gen_ai.operation.name");
    expect(ATTR_GEN_AI_REQUEST_MODEL).toBe("gen_ai.request.model");
    expect(GEN_AI_OPERATION_NAME_VALUE_CHAT).toBe("chat");
    expect(GEN_AI_PROVIDER_NAME_VALUE_MOONSHOT_AI).toBe("moonshot_ai");
    expect(ATTR_GEN_AI_PROMPT_VARIABLE("city")).toBe("gen_ai.prompt.variable.city");
  });

  it("combine with another registry through createValidator", () => {
    expect(createValidator(genaiRegistry).validateAttributes(CHAT)).toEqual([]);
  });
});

describe("schema.json", () => {
  const schema = JSON.parse(readFileSync(new URL("../src/generated/schema.json", import.meta.url), "utf8")) as object;
  const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

  it.each(Object.entries(GOOD))(
    "compiles under ajv (2020-12, strict) and accepts the good %s span",
    (_name, attributes) => {
      expect(validate(attributes), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it.each([
    ["a string token count", { "gen_ai.usage.input_tokens": "25" }],
    ["finish reasons as a string", { "gen_ai.response.finish_reasons": "stop" }],
    ["messages as a number", { "gen_ai.input.messages": 42 }],
  ])("rejects %s, as the validator does", (_name, extra) => {
    const attributes = { ...CHAT, ...extra };
    expect(validate(attributes)).toBe(false);
    expect(validateAttributes(attributes).some((f) => f.rule === "value.type")).toBe(true);
  });

  it("accepts structured messages, as the validator does", () => {
    const attributes = {
      ...CHAT,
      "gen_ai.input.messages": [{ role: "user", parts: [{ type: "text", content: "Hi" }] }],
    };
    expect(validate(attributes)).toBe(true);
    expect(validateAttributes(attributes as unknown as Attrs)).toEqual([]);
  });
});
