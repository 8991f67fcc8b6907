/**
 * The GenAI capture: the OpenTelemetry project's OpenAI instrumentation, patched onto the real `openai` SDK, produces
 * one `gen_ai.*` span per SDK call against the mock server, and leaves `openai` unpatched afterwards.
 */
import { describe, expect, it } from "vitest";
import { captureGenAISpans, type GenAICaptureResult } from "../src/index.js";

describe("captureGenAISpans", () => {
  let capture: GenAICaptureResult;

  it("captures gen_ai spans for chat, tools, streaming and embeddings", async () => {
    capture = await captureGenAISpans();
    expect([...capture.byScenario.keys()]).toEqual(["chat", "chat_tools", "chat_stream", "chat_stream_tools", "embeddings", "chat_image"]);
    expect(capture.spans).toHaveLength(7);
    const chat = capture.byScenario.get("chat")![0]!;
    expect(chat.name).toBe("chat gpt-4o-mini");
    expect(chat.attributes["gen_ai.operation.name"]).toBe("chat");
    expect(chat.attributes["gen_ai.request.model"]).toBe("gpt-4o-mini");
    expect(typeof chat.attributes["gen_ai.usage.input_tokens"]).toBe("number");
    expect(capture.byScenario.get("embeddings")![0]!.attributes["gen_ai.operation.name"]).toBe("embeddings");
    expect(capture.instrumentationVersion).toMatch(/^\d+\.\d+\.\d+/);
  }, 60_000);

  it("unpatches openai when done", async () => {
    const { OpenAI } = await import("openai");
    expect((OpenAI.Chat.Completions.prototype.create as { __wrapped?: boolean }).__wrapped).not.toBe(true);
  });
});
