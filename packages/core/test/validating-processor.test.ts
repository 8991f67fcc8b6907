import { trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { SpanValidationError, ValidatingSpanProcessor, startSpan, traceChain } from "../src/index.js";
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
});
