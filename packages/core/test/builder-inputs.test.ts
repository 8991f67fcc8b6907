/**
 * @semtrace/core routes the generated builders' reports of unknown input fields to OpenTelemetry's `diag`, once
 * per field, and leaves a hook the application set itself in place.
 */
import { diag, DiagLogLevel } from "@opentelemetry/api";
import { onUnknownBuilderInput } from "@semtrace/runtime";
import { buildLLMAttributes } from "@semtrace/openinference";
import { afterEach, describe, expect, it } from "vitest";
import { reportUnknownBuilderInputs } from "../src/builder-inputs.js";
import "../src/index.js";

afterEach(() => {
  diag.disable();
});

describe("unknown builder inputs", () => {
  it("reach diag.warn once per field when @semtrace/core is loaded", () => {
    const messages: string[] = [];
    diag.setLogger(
      { error: () => {}, warn: (m) => void messages.push(m), info: () => {}, debug: () => {}, verbose: () => {} },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    const input = { modelName: "gpt-4o", modelNmae: "typo\u001b[31m" } as unknown as Parameters<
      typeof buildLLMAttributes
    >[0];
    expect(buildLLMAttributes(input)).toEqual({ "llm.model_name": "gpt-4o" });
    buildLLMAttributes(input);
    expect(messages).toEqual([
      '@semtrace/core: buildLLMAttributes() was given the input field "modelNmae", which it does not know: its value was not written (misspelt, or renamed? the builder\'s input type lists its fields; reported once)',
    ]);
  });

  it("keeps an application's own hook", () => {
    const own = () => undefined;
    const core = onUnknownBuilderInput(own);
    try {
      expect(reportUnknownBuilderInputs()).toBe(false);
      expect(onUnknownBuilderInput(own)).toBe(own);
    } finally {
      onUnknownBuilderInput(core);
    }
  });
});
