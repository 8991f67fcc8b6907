/**
 * Acceptance: real spans from the upstream OpenAI instrumentation (@arizeai/openinference-instrumentation-openai
 * with the real `openai` SDK against a mock server on 127.0.0.1, captured by the OTel SDK's in-memory
 * exporter) validate with zero errors against the generated OpenInference validators.
 */
import { captureOpenAISpans, type CaptureResult } from "@semtrace/real-spans";
import { beforeAll, describe, expect, it } from "vitest";
import { validateSpan, type Finding } from "../src/index.js";

let capture: CaptureResult;

beforeAll(async () => {
  capture = await captureOpenAISpans();
}, 60_000);

describe("spans of the real OpenAI instrumentation", () => {
  it("cover chat, chat with tools, streaming chat, embeddings and image input", () => {
    const scenarios = [...capture.byScenario.keys()];
    for (const s of ["chat", "chat_tools", "chat_stream", "embeddings", "chat_image"]) expect(scenarios).toContain(s);
    expect(capture.spans.length).toBeGreaterThanOrEqual(6);
  });

  it("every span validates with zero errors", () => {
    const errors: (Finding & { span: string })[] = [];
    for (const [scenario, spans] of capture.byScenario) {
      for (const span of spans) {
        for (const f of validateSpan(span))
          if (f.severity === "error") errors.push({ ...f, span: `${scenario}/${span.name}` });
      }
    }
    expect(errors).toEqual([]);
  });

  it("is really validated: a typo'd key in a captured span is caught", () => {
    const span = capture.byScenario.get("chat")![0]!;
    const broken = { ...span.attributes, "llm.modle_name": span.attributes["llm.model_name"] };
    const rules = validateSpan({ name: span.name, attributes: broken }).map((f) => f.rule);
    expect(rules).toContain("key.unknown");
  });

  it("reports what the instrumentation leaves out as warnings or infos, never as errors (printed for reference)", () => {
    const summary = new Map<string, number>();
    for (const span of capture.spans)
      for (const f of validateSpan(span))
        summary.set(`${f.severity} ${f.rule} ${f.key}`, (summary.get(`${f.severity} ${f.rule} ${f.key}`) ?? 0) + 1);
    console.info(
      `[real-spans] findings over ${capture.spans.length} spans:\n${[...summary].map(([k, n]) => `  ${n}× ${k}`).join("\n") || "  none"}`,
    );
    expect([...summary.keys()].filter((k) => k.startsWith("error"))).toEqual([]);
  });
});
