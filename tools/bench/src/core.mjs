/**
 * Core benchmark: one traced LLM call carrying a typical chat's attributes (builders.mjs's chat input), through
 *   - raw OpenTelemetry: `tracer.startActiveSpan` + `setAttributes` of the same flat attributes (the floor),
 *   - @semtrace/core: `traceLLM` with `processInput: buildLLMAttributes`, and `startActiveSpan("LLM") + span.record`,
 *   - @arizeai/openinference-core: `traceLLM` with `processInput: getLLMAttributes` (the anchor),
 * all on the same tracer provider (real SDK, AsyncLocalStorage context manager, one counting processor), in one
 * process. Also reported: the overhead of `withContext` + `SemtraceContextSpanProcessor`, and of redaction.
 * `traceLLM` with its defaults against raw OpenTelemetry writing the same attributes is core-defaults.mjs.
 * Goals: ours ≤ 1.25× raw; ≥ 2.5× faster than upstream.
 */
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { getLLMAttributes, traceLLM as theirTraceLLM } from "@arizeai/openinference-core";
import { buildLLMAttributes } from "@semtrace/openinference";
import {
  DEFAULT_PRICES,
  SemtraceContextSpanProcessor,
  computeCost,
  startActiveSpan,
  traceLLM,
  withContext,
} from "@semtrace/core";
import { chatInput, handWritten } from "./builders.mjs";
import { compare } from "./micro.mjs";
import { CountingProcessor } from "./otel.mjs";

export function runCoreBench({ quick = false } = {}) {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const counter = new CountingProcessor();
  const provider = new BasicTracerProvider({ spanProcessors: [counter] });
  const withCtxProvider = new BasicTracerProvider({ spanProcessors: [new SemtraceContextSpanProcessor(), counter] });
  const tracer = provider.getTracer("bench");
  const ctxTracer = withCtxProvider.getTracer("bench");
  trace.setGlobalTracerProvider(provider);

  const call = (_input) => undefined;
  const rawFlat = (i) => ({ "openinference.span.kind": "LLM", ...handWritten(i) });
  const raw = (i) =>
    tracer.startActiveSpan("chat", (span) => {
      span.setAttributes(rawFlat(i));
      const r = call(i);
      span.end();
      return r;
    });
  const ours = traceLLM(call, { name: "chat", tracer, prices: false, processInput: (i) => buildLLMAttributes(i) });
  const oursPriced = traceLLM(call, { name: "chat", tracer, processInput: (i) => buildLLMAttributes(i) });
  const oursRecord = (i) =>
    startActiveSpan(
      "LLM",
      "chat",
      (span) => {
        span.record(i);
        return call(i);
      },
      { tracer, prices: false },
    );
  const theirs = theirTraceLLM(call, { name: "chat", tracer, processInput: (i) => getLLMAttributes(i) });
  const oursRedacted = traceLLM(call, {
    name: "chat",
    tracer,
    prices: false,
    processInput: (i) => buildLLMAttributes(i),
    config: { hideInputText: true, hideOutputs: true },
  });
  const oursInCtx = traceLLM(call, {
    name: "chat",
    tracer: ctxTracer,
    prices: false,
    processInput: (i) => buildLLMAttributes(i),
  });
  const ctxValue = { sessionId: "session-1", userId: "user-1", metadata: { tenant: "acme" }, tags: ["bench"] };
  const inContext = (i) => withContext(ctxValue, () => oursInCtx(i));

  // Same span kind and chat attributes from raw, ours and theirs (checked, so the comparison is fair).
  const attrsOf = (fn) => {
    let captured;
    const p = new BasicTracerProvider({
      spanProcessors: [
        { onStart() {}, onEnd: (s) => (captured = s.attributes), forceFlush: async () => {}, shutdown: async () => {} },
      ],
    });
    const t = p.getTracer("check");
    fn(t);
    return JSON.stringify(Object.entries(captured ?? {}).sort());
  };
  const a = attrsOf((t) => t.startActiveSpan("chat", (s) => (s.setAttributes(rawFlat(chatInput)), s.end())));
  const b = attrsOf((t) =>
    traceLLM(call, { tracer: t, prices: false, processInput: (i) => buildLLMAttributes(i) })(chatInput),
  );
  const c = attrsOf((t) => theirTraceLLM(call, { tracer: t, processInput: (i) => getLLMAttributes(i) })(chatInput));
  if (a !== b || b !== c) throw new Error(`core bench: candidates record different attributes:\n${a}\n${b}\n${c}`);

  const usage = { input: chatInput.tokenCount.prompt, output: chatInput.tokenCount.completion };
  const priceOnly = () => buildLLMAttributes({ cost: computeCost(chatInput.modelName, usage, DEFAULT_PRICES) });

  const opts = quick ? { rounds: 3, sliceMs: 80 } : {};
  const results = compare(
    [
      { name: "raw OTel startActiveSpan + setAttributes", fn: raw, arg: chatInput },
      { name: "traceLLM + buildLLMAttributes (@semtrace/core)", fn: ours, arg: chatInput },
      { name: 'startActiveSpan("LLM") + span.record (@semtrace/core)', fn: oursRecord, arg: chatInput },
      { name: "traceLLM + getLLMAttributes (@arizeai/openinference-core)", fn: theirs, arg: chatInput },
      { name: "traceLLM with redaction (hideInputText, hideOutputs)", fn: oursRedacted, arg: chatInput },
      { name: "traceLLM with pricing (default price table, +5 llm.cost.* attributes)", fn: oursPriced, arg: chatInput },
      { name: "withContext + traceLLM, SemtraceContextSpanProcessor", fn: inContext, arg: chatInput },
      {
        name: "(part of pricing) computeCost + buildLLMAttributes({ cost }) alone, no span",
        fn: priceOnly,
        arg: undefined,
      },
    ],
    opts,
  );
  const [rRaw, rOurs, rRecord, rTheirs, rRedacted, rPriced, rCtx] = results;
  return {
    attributes: JSON.parse(a).length,
    results,
    vsRaw: rOurs.nsPerOp / rRaw.nsPerOp,
    recordVsRaw: rRecord.nsPerOp / rRaw.nsPerOp,
    vsTheirs: rTheirs.nsPerOp / rOurs.nsPerOp,
    redactionOverhead: rRedacted.nsPerOp / rOurs.nsPerOp,
    pricingOverhead: rPriced.nsPerOp / rOurs.nsPerOp,
    contextOverhead: rCtx.nsPerOp / rOurs.nsPerOp,
    spansEnded: counter.ended,
  };
}
