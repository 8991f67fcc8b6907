/**
 * The CommonJS builds of `openai` and the instrumentation, in a file of its own: vitest runs each test file in a fresh
 * worker, and the require-hook path depends on what the process has required before (see the last test).
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  captureOpenAISpans,
  defaultScenarios,
  fixtureText,
  loadFixture,
  packageVersions,
  spanToFixture,
  toFixture,
  type CaptureResult,
} from "@semtrace/real-spans";

let cjs: CaptureResult;
beforeAll(async () => {
  cjs = await captureOpenAISpans(defaultScenarios, { moduleFormat: "cjs" });
});

describe("captureOpenAISpans({ moduleFormat: 'cjs' })", () => {
  it("the instrumentation's require hook patches the CommonJS openai required after it", () => {
    expect(cjs.moduleFormat).toBe("cjs");
    expect(cjs.patchedBy).toBe("require-hook");
  });

  it("records exactly what the ES module build records (the committed fixture)", () => {
    expect(fixtureText(toFixture(cjs, defaultScenarios, packageVersions()))).toBe(fixtureText(loadFixture()));
  });

  it("an ESM capture and a second CJS capture in the same process still record the same spans", async () => {
    const esm = await captureOpenAISpans();
    expect(esm.patchedBy).toBe("manuallyInstrument");
    const again = await captureOpenAISpans(defaultScenarios, { moduleFormat: "cjs" });
    // @opentelemetry/instrumentation 0.46 (CJS only, so the ESM and CJS instrumentations share one copy) keeps one
    // require-in-the-middle hook per process, and that hook caches every module it has returned and never offers it to
    // an instrumentation again: openai, required by the first capture, comes back from that cache, so
    // manuallyInstrument does the patching.
    expect(again.patchedBy).toBe("manuallyInstrument");
    for (const [name, spans] of esm.byScenario) {
      expect(again.byScenario.get(name)!.map(spanToFixture), name).toEqual(spans.map(spanToFixture));
      expect(cjs.byScenario.get(name)!.map(spanToFixture), name).toEqual(spans.map(spanToFixture));
    }
  });
});
