import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { buildLLMAttributes } from "@semtrace/openinference";
import { SemtraceContextSpanProcessor, traceLLM, withContext, computeCost } from "@semtrace/core";
import { chatInput, handWritten } from "../src/builders.mjs";
import { compare, fmtNs } from "../src/micro.mjs";

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
class Counting { ended = 0; onStart() {} onEnd() { this.ended++; } forceFlush() { return Promise.resolve(); } shutdown() { return Promise.resolve(); } }
const counter = new Counting();
const provider = new BasicTracerProvider({ spanProcessors: [counter] });
const ctxProvider = new BasicTracerProvider({ spanProcessors: [new SemtraceContextSpanProcessor(), counter] });
const tracer = provider.getTracer("bench");
const ctxTracer = ctxProvider.getTracer("bench");
trace.setGlobalTracerProvider(ctxProvider);
const ctxValue = { sessionId: "session-1", userId: "user-1", metadata: { tenant: "acme" }, tags: ["bench"] };
const call = () => undefined;
const ours = traceLLM(call, { name: "chat", processInput: (i) => buildLLMAttributes(i) });
let captured;
const p = new BasicTracerProvider({ spanProcessors: [new SemtraceContextSpanProcessor(), { onStart() {}, onEnd: (s) => (captured = s.attributes), forceFlush: async () => {}, shutdown: async () => {} }] });
withContext(ctxValue, () => traceLLM(call, { name: "chat", tracer: p.getTracer("c"), processInput: (i) => buildLLMAttributes(i) })(chatInput));
const flat = { ...captured };
const expected = { "openinference.span.kind": "LLM", ...handWritten(chatInput) };
const extra = Object.fromEntries(Object.entries(flat).filter(([k]) => !(k in expected)));
console.log("extra attributes written by defaults:", extra);
const rawAttrs = (i) => ({ "openinference.span.kind": "LLM", ...handWritten(i), ...extra });
const raw = (i) => tracer.startActiveSpan("chat", (span) => { span.setAttributes(rawAttrs(i)); const r = call(i); span.end(); return r; });
const runs = Number(process.argv[2] ?? 3);
withContext(ctxValue, () => {
  for (let r = 0; r < runs; r++) {
    const [a, b] = compare([{ name: "raw", fn: raw, arg: chatInput }, { name: "ours", fn: ours, arg: chatInput }], { rounds: 7, sliceMs: 100 });
    console.log(`raw ${fmtNs(a.nsPerOp)} ours ${fmtNs(b.nsPerOp)} ratio ${(b.nsPerOp / a.nsPerOp).toFixed(2)} (min ${(b.min / a.min).toFixed(2)})`);
  }
});
