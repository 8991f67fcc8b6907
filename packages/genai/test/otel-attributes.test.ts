/**
 * What the builders return goes straight onto an OpenTelemetry span: assignable to `@opentelemetry/api`'s
 * `Attributes` (checked by `tsc` over this file, part of `npm test`), and recorded by the real SDK as built —
 * including `gen_ai.tool.call.result`, which the spec types `any`.
 */
import type { Attributes as OtelAttributes } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as genai from "../src/index.js";

type BuilderName = Extract<keyof typeof genai, `build${string}Attributes`>;

describe("builders' results on OpenTelemetry spans", () => {
  it("every builder returns a type OpenTelemetry's Attributes accepts", () => {
    expectTypeOf<ReturnType<(typeof genai)[BuilderName]>>().toExtend<OtelAttributes>();
    expectTypeOf<genai.Attributes>().toExtend<OtelAttributes>();
  });

  it.each([
    ["a structured result", { temperature_c: 18 }, '{"temperature_c":18}'],
    ["a plain-text result", "18°C and cloudy", undefined],
  ])("the real SDK records an execute_tool span's attributes as built (%s)", (_label, result, expected) => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const attributes: OtelAttributes = {
      ...genai.buildSpanKindAttributes("execute_tool"),
      ...genai.buildExecuteToolAttributes({ tool: { name: "get_weather", call: { id: "call_1", result } } }),
    };
    const span = provider.getTracer("test").startSpan("execute_tool get_weather", { attributes });
    span.end();
    const [recorded] = exporter.getFinishedSpans();
    expect(recorded?.attributes).toEqual(attributes);
    const value = recorded?.attributes[genai.ATTR_GEN_AI_TOOL_CALL_RESULT];
    expect(typeof value).toBe("string");
    if (expected !== undefined) expect(value).toBe(expected);
    expect(genai.validateAttributes(recorded!.attributes).filter((f) => f.severity === "error")).toEqual([]);
  });
});
