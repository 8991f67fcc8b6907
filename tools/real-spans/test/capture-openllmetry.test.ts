/**
 * The OpenLLMetry capture: Traceloop's `@traceloop/instrumentation-openai`, patched onto the real `openai` SDK,
 * produces one span per chat call against the mock server, records exactly its committed fixture, and leaves
 * `openai` unpatched afterwards.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  captureOpenLLMetrySpans,
  fixtureText,
  OPENLLMETRY_FIXTURE_PATH,
  OPENLLMETRY_INSTRUMENTATION,
  openllmetryPackageVersions,
  openllmetryScenarios,
  toFixture,
} from "../src/index.js";

describe("captureOpenLLMetrySpans", () => {
  it("captures OpenLLMetry's chat spans (tools, streaming, images), identical to the fixture, and unpatches openai", async () => {
    const capture = await captureOpenLLMetrySpans();
    expect([...capture.byScenario.keys()]).toEqual([
      "chat",
      "chat_tools",
      "chat_stream",
      "chat_stream_tools",
      "chat_image",
    ]);
    expect(capture.spans).toHaveLength(6);
    const chat = capture.byScenario.get("chat")![0]!;
    expect(chat.name).toBe("chat gpt-4o-mini");
    expect(chat.instrumentationScope.name).toBe(OPENLLMETRY_INSTRUMENTATION);
    expect(chat.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
    });
    expect(typeof chat.attributes["gen_ai.input.messages"]).toBe("string");
    expect(fixtureText(toFixture(capture, openllmetryScenarios, openllmetryPackageVersions()))).toBe(
      readFileSync(OPENLLMETRY_FIXTURE_PATH, "utf8"),
    );
    const openai = (await import("openai-6")) as unknown as typeof import("openai");
    expect((openai.OpenAI.Chat.Completions.prototype.create as { __wrapped?: boolean }).__wrapped).toBeUndefined();
  }, 60_000);
});
