/**
 * Renames never lose data: the generated builders keep a renamed attribute's old input field as a deprecated
 * alias that writes the new key, and report a field they do not know through @semtrace/runtime's hook.
 */
import { onUnknownBuilderInput, type UnknownBuilderInput } from "@semtrace/runtime";
import { afterEach, describe, expect, it } from "vitest";
import {
  buildEmbeddingsAttributes,
  buildInvokeAgentAttributes,
  type InvokeAgentAttributesInput,
} from "../src/index.js";

afterEach(() => {
  onUnknownBuilderInput(undefined);
});

describe("renamed attributes' builder fields", () => {
  it.each([
    [{ usage: { promptTokens: 12 } }, { "gen_ai.usage.input_tokens": 12 }],
    [{ usage: { completionTokens: 7 } }, { "gen_ai.usage.output_tokens": 7 }],
    [{ usage: { cacheCreation: { inputTokens: 3 } } }, { "gen_ai.usage.cache_write.input_tokens": 3 }],
    [{ openai: { request: { seed: 42 } } }, { "gen_ai.request.seed": 42 }],
    // Both given: the new field wins, in either order of the input's properties.
    [{ usage: { promptTokens: 1, inputTokens: 2 } }, { "gen_ai.usage.input_tokens": 2 }],
    [{ usage: { inputTokens: 2, promptTokens: 1 } }, { "gen_ai.usage.input_tokens": 2 }],
  ] as const)("%j → %j", (input, want) => {
    expect(buildInvokeAgentAttributes(input as InvokeAgentAttributesInput)).toEqual(want);
  });

  it("the old field writes the new key in every builder that has it", () => {
    expect(buildEmbeddingsAttributes({ usage: { promptTokens: 5 } })).toEqual({ "gen_ai.usage.input_tokens": 5 });
  });
});

describe("unknown input fields", () => {
  it("are reported once each through the runtime's hook, the rest still written", () => {
    const seen: UnknownBuilderInput[] = [];
    onUnknownBuilderInput((r) => seen.push(r));
    const input = {
      request: { model: "gpt-4o", temprature: 0.2 },
      usage: { inputTokens: 3 },
    } as unknown as InvokeAgentAttributesInput;
    expect(buildInvokeAgentAttributes(input)).toEqual({
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.input_tokens": 3,
    });
    buildInvokeAgentAttributes(input);
    expect(seen).toEqual([{ builder: "buildInvokeAgentAttributes", field: "request.temprature" }]);
  });
});
