/**
 * The GenAI capture: the OpenTelemetry project's OpenAI instrumentation, patched onto the real `openai` SDK, produces
 * one `gen_ai.*` span per SDK call against the mock server, and leaves `openai` unpatched afterwards; every release
 * this Node runs records exactly its committed fixture, and a release this Node does not run is refused by name.
 */
import { readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";
import {
  captureGenAISpans,
  defaultGenAIRelease,
  fixtureText,
  GENAI_RELEASES,
  genaiFixturePath,
  genaiPackageVersions,
  genaiRelease,
  genaiReleasesForThisNode,
  genaiScenarios,
  toFixture,
} from "../src/index.js";

const runnable = genaiReleasesForThisNode();

describe("captureGenAISpans", () => {
  it("runs by default the newest release this Node supports", () => {
    expect(runnable.length).toBeGreaterThan(0);
    expect(defaultGenAIRelease()).toBe(runnable[0]);
    expect(GENAI_RELEASES.filter((r) => genaiRelease(r).supportedHere)).toEqual(runnable);
  });

  describe.each(runnable)("release %s (runs on this Node)", (release) => {
    it("captures gen_ai spans for chat, tools, streaming and embeddings, identical to its fixture", async () => {
      const capture = await captureGenAISpans(genaiScenarios, { release });
      expect(capture.release).toBe(release);
      expect(capture.instrumentationVersion).toBe(genaiRelease(release).version);
      expect([...capture.byScenario.keys()]).toEqual([
        "chat",
        "chat_tools",
        "chat_stream",
        "chat_stream_tools",
        "embeddings",
        "chat_image",
      ]);
      expect(capture.spans).toHaveLength(7);
      const chat = capture.byScenario.get("chat")![0]!;
      expect(chat.name).toBe("chat gpt-4o-mini");
      expect(chat.instrumentationScope).toEqual({
        name: "@opentelemetry/instrumentation-openai",
        version: genaiRelease(release).version,
      });
      expect(chat.attributes["gen_ai.operation.name"]).toBe("chat");
      expect(chat.attributes["gen_ai.request.model"]).toBe("gpt-4o-mini");
      expect(typeof chat.attributes["gen_ai.usage.input_tokens"]).toBe("number");
      expect(capture.byScenario.get("embeddings")![0]!.attributes["gen_ai.operation.name"]).toBe("embeddings");
      const live = fixtureText(toFixture(capture, genaiScenarios, genaiPackageVersions(release)));
      expect(
        readFileSync(genaiFixturePath(release), "utf8"),
        "the fixture is stale: run `npm run record -w @semtrace/real-spans`",
      ).toBe(live);
    }, 60_000);

    it("unpatches openai when done", async () => {
      await captureGenAISpans(genaiScenarios.slice(0, 1), { release });
      const { OpenAI } = await import("openai-6");
      expect((OpenAI.Chat.Completions.prototype.create as { __wrapped?: boolean }).__wrapped).not.toBe(true);
    }, 60_000);
  });

  it.each(GENAI_RELEASES)(
    "release %s runs exactly where its engines.node allows, and is refused by name elsewhere",
    async (release) => {
      const info = genaiRelease(release);
      expect(info.supportedHere).toBe(semver.satisfies(process.versions.node, info.nodeRange));
      if (info.supportedHere) return;
      await expect(captureGenAISpans(genaiScenarios, { release })).rejects.toThrow(
        `real-spans: ${info.describe()} does not support Node ${process.version}; this Node runs ${runnable.join(", ")}`,
      );
    },
  );
});
