import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { genaiRegistry } from "@semtrace/genai";
import { openinferenceRegistry } from "@semtrace/openinference";
import { describe, expect, it } from "vitest";
import {
  SemtraceContextSpanProcessor,
  SpanValidationError,
  ValidatingSpanProcessor,
  startSpan,
  traceChain,
  withContext,
} from "../src/index.js";
import { localProvider } from "./support/otel.js";

function run(processor: ValidatingSpanProcessor) {
  const { provider, exporter } = localProvider([processor]);
  const tracer = provider.getTracer("t");
  traceChain(() => 1, { tracer, name: "good" })();
  const bad = startSpan("LLM", "bad", { tracer });
  bad.setCustom("llm.token_count.prompt" as `${string}.${string}`, "ten");
  bad.end();
  tracer.startSpan("GET /").end();
  return { provider, exporter };
}

describe("ValidatingSpanProcessor", () => {
  it("collect: keeps findings of invalid spans only, skipping non-OpenInference spans", () => {
    const p = new ValidatingSpanProcessor({ mode: "collect", minSeverity: "error" });
    run(p);
    expect(p.results.map((r) => r.spanName)).toEqual(["bad"]);
    expect(p.results[0]!.findings.map((f) => `${f.rule} ${f.key}`)).toContain("value.type llm.token_count.prompt");
    p.clear();
    expect(p.results).toEqual([]);
  });

  it("registries: OpenTelemetry GenAI spans of another instrumentation are checked against their own conventions", () => {
    const both = new ValidatingSpanProcessor({
      mode: "collect",
      minSeverity: "error",
      registries: [openinferenceRegistry, genaiRegistry],
    });
    const onlyOpenInference = new ValidatingSpanProcessor({ mode: "collect", minSeverity: "error" });
    const { provider } = localProvider([both, onlyOpenInference]);
    const tracer = provider.getTracer("genai-instrumentation");
    tracer
      .startSpan("chat gpt-4o", {
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.usage.input_tokens": "12",
        },
      })
      .end();
    tracer
      .startSpan("chat ok", {
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o",
        },
      })
      .end();
    run(both);
    expect(both.results.map((r) => r.spanName)).toEqual(["chat gpt-4o", "bad"]);
    expect(both.results[0]!.findings.map((f) => `${f.rule} ${f.key}`)).toEqual([
      "value.type gen_ai.usage.input_tokens",
      "attribute.required gen_ai.provider.name",
    ]);
    // The default (OpenInference only) skips spans without its span kind.
    expect(onlyOpenInference.results).toEqual([]);
  });

  it("log: reports through the logger", () => {
    const lines: string[] = [];
    run(new ValidatingSpanProcessor({ mode: "log", minSeverity: "error", logger: (m) => lines.push(m) }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('span "bad"');
  });

  it("throw: throws from onEnd (swallowed by semtrace handles) and rejects the next forceFlush", async () => {
    const p = new ValidatingSpanProcessor({ mode: "throw", minSeverity: "error" });
    const { provider, exporter } = run(p);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toContain("good");
    const flushed = await provider.forceFlush().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect([flushed].flat()[0]).toBeInstanceOf(SpanValidationError);
    await expect(p.forceFlush()).resolves.toBeUndefined();
    // A raw OTel span ended by the user's own code does see the error.
    const raw = provider.getTracer("t").startSpan("raw", { attributes: { "openinference.span.kind": "NOPE" } });
    expect(() => raw.end()).toThrow(SpanValidationError);
    trace.disable();
  });

  it("judges spans by the rule every validator applies: HTTP spans with context keys are left alone, a kind-less typo is caught", () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const lenient = new ValidatingSpanProcessor({
        mode: "collect",
        minSeverity: "info",
        registries: [openinferenceRegistry, genaiRegistry],
      });
      const strict = new ValidatingSpanProcessor({
        mode: "collect",
        minSeverity: "error",
        registries: [openinferenceRegistry, genaiRegistry],
        strict: true,
      });
      const legacy = new ValidatingSpanProcessor({
        mode: "collect",
        minSeverity: "error",
        includeNonOpenInference: true,
      });
      const { provider } = localProvider([new SemtraceContextSpanProcessor(), lenient, strict, legacy]);
      const tracer = provider.getTracer("app");
      withContext(
        {
          sessionId: "s-1",
          userId: "u-1",
          metadata: { tenant: "acme" },
          tags: ["beta"],
          promptTemplate: { template: "Hi {name}", version: "v1" },
        },
        () => {
          tracer.startSpan("GET /chat", { attributes: { "http.request.method": "GET" } }).end();
          tracer.startSpan("typo", { attributes: { "llm.modle_name": "gpt-4o" } }).end();
          tracer
            .startSpan("openllmetry chat", {
              attributes: {
                "gen_ai.operation.name": "chat",
                "gen_ai.provider.name": "openai",
                "llm.request.type": "chat",
                "llm.is_streaming": false,
              },
            })
            .end();
        },
      );
      const found = (p: ValidatingSpanProcessor) =>
        p.results.map(
          (r) =>
            `${r.spanName}: ${r.findings
              .filter((f) => f.rule !== "attribute.recommended")
              .map((f) => `${f.severity} ${f.rule} ${f.key}`)
              .join(", ")}`,
        );
      expect(found(lenient)).toEqual([
        "typo: error key.unknown llm.modle_name, error span-kind.missing openinference.span.kind",
        "openllmetry chat: info key.foreign llm.request.type",
      ]);
      expect(found(strict)).toEqual([
        "GET /chat: error span-kind.missing openinference.span.kind",
        "typo: error key.unknown llm.modle_name, error span-kind.missing openinference.span.kind",
      ]);
      // `includeNonOpenInference` (deprecated) means strict.
      expect(legacy.results.map((r) => r.spanName)).toEqual(["GET /chat", "typo", "openllmetry chat"]);
    } finally {
      manager.disable();
      context.disable();
    }
  });
});
