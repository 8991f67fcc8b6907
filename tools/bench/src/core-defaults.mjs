/**
 * `traceLLM` with its defaults — the global tracer provider, the default price table on, `SemtraceContextSpanProcessor`
 * registered, inside a request's `withContext` — against raw OpenTelemetry writing exactly the same attributes, in
 * the same order:
 * `tracer.startActiveSpan` + `span.setAttributes` of one object literal (the context's values at hand, the cost
 * computed inline from the token counts and the model's prices), on a provider without semtrace's processor.
 *
 * Both candidates run side by side in one fresh process (`runDefaultsBench` spawns one per run), so nothing
 * else has run in it: V8 optimises the SDK's stores into a span's attribute object for the key orders it has
 * seen, and other benchmarks' spans (other keys, other orders) would slow both candidates unevenly. Time is the
 * process's CPU time per call (`process.cpuUsage`), which a loaded machine disturbs less than wall time.
 *
 *   node tools/bench/src/core-defaults.mjs [--quick]     one run, printed as JSON
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { buildLLMAttributes } from "@semtrace/openinference";
import { DEFAULT_PRICES, SemtraceContextSpanProcessor, findPrice, traceLLM, withContext } from "@semtrace/core";
import { chatInput } from "./builders.mjs";
import { compare } from "./micro.mjs";
import { CountingProcessor } from "./otel.mjs";

const self = fileURLToPath(import.meta.url);

/** One run in this process: { raw, ours: { nsPerOp, min }, attributes }. */
function runOnce({ quick }) {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const counter = new CountingProcessor();
  // Raw code keeps its tracer; semtrace's defaults use the globally registered provider, as an application does.
  const rawTracer = new BasicTracerProvider({ spanProcessors: [counter] }).getTracer("bench");
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SemtraceContextSpanProcessor(), counter] }),
  );
  const request = { sessionId: "session-1", userId: "user-1", metadata: { tenant: "acme" }, tags: ["bench"] };
  const call = (_input) => undefined;

  const price = findPrice(chatInput.modelName, DEFAULT_PRICES);
  if (price === undefined) throw new Error(`no default price for ${chatInput.modelName}`);
  const round = (v) => Math.round(v * 1e12) / 1e12;
  // Every key spelled out, in the order semtrace writes them: kind, context, the builder's order, cost.
  const sameAttributes = (i) => {
    const system = i.inputMessages[0];
    const user = i.inputMessages[1];
    const out = i.outputMessages[0];
    const toolCall = out.toolCalls[0];
    const prompt = round(i.tokenCount.prompt * price.input * 1e-6);
    const completion = round(i.tokenCount.completion * price.output * 1e-6);
    return {
      "openinference.span.kind": "LLM",
      "session.id": request.sessionId,
      "user.id": request.userId,
      metadata: '{"tenant":"acme"}',
      "tag.tags": request.tags,
      "llm.system": i.system,
      "llm.provider": i.provider,
      "llm.model_name": i.modelName,
      "llm.input_messages.0.message.role": system.role,
      "llm.input_messages.0.message.content": system.content,
      "llm.input_messages.1.message.role": user.role,
      "llm.input_messages.1.message.content": user.content,
      "llm.output_messages.0.message.role": out.role,
      "llm.output_messages.0.message.tool_calls.0.tool_call.id": toolCall.id,
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": toolCall.function.name,
      "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": toolCall.function.arguments,
      "llm.token_count.prompt": i.tokenCount.prompt,
      "llm.token_count.completion": i.tokenCount.completion,
      "llm.token_count.total": i.tokenCount.total,
      "llm.cost.prompt": prompt,
      "llm.cost.completion": completion,
      "llm.cost.total": round(prompt + completion),
      "llm.cost.prompt_details.input": prompt,
      "llm.cost.completion_details.output": completion,
    };
  };
  const raw = (i) =>
    rawTracer.startActiveSpan("chat", (span) => {
      span.setAttributes(sameAttributes(i));
      const r = call(i);
      span.end();
      return r;
    });
  const ours = traceLLM(call, { name: "chat", processInput: (i) => buildLLMAttributes(i) });

  // Both write the same attributes, values and order included (checked on a provider of their own).
  const recorded = (run, processors) => {
    let attributes;
    const provider = new BasicTracerProvider({
      spanProcessors: [
        ...processors,
        {
          onStart() {},
          onEnd: (s) => (attributes = s.attributes),
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
    });
    withContext(request, () => run(provider.getTracer("check")));
    return JSON.stringify(Object.entries(attributes ?? {}));
  };
  const a = recorded(
    (t) => t.startActiveSpan("chat", (s) => (s.setAttributes(sameAttributes(chatInput)), s.end())),
    [],
  );
  const b = recorded(
    (t) => traceLLM(call, { name: "chat", tracer: t, processInput: (i) => buildLLMAttributes(i) })(chatInput),
    [new SemtraceContextSpanProcessor()],
  );
  if (a !== b) throw new Error(`core-defaults bench: raw and traceLLM record different attributes:\n${a}\n${b}`);

  const [r, o] = withContext(request, () =>
    compare(
      [
        { name: "raw", fn: raw, arg: chatInput },
        { name: "ours", fn: ours, arg: chatInput },
      ],
      quick ? { rounds: 5, sliceMs: 80, clock: "cpu" } : { rounds: 15, sliceMs: 100, clock: "cpu" },
    ),
  );
  return {
    raw: { nsPerOp: r.nsPerOp, min: r.min },
    ours: { nsPerOp: o.nsPerOp, min: o.min },
    attributes: JSON.parse(a).length,
    spansEnded: counter.ended,
  };
}

/**
 * `runs` fresh processes, one after the other; returns every run and the median run's figures (by ratio), with
 * the spread of the ratios.
 */
export function runDefaultsBench({ quick = false, runs = quick ? 2 : 5 } = {}) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, [self, ...(quick ? ["--quick"] : [])], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`core-defaults bench run ${i + 1} failed:\n${child.stderr}`);
    const run = JSON.parse(child.stdout);
    all.push({ ...run, ratio: run.ours.nsPerOp / run.raw.nsPerOp });
  }
  const sorted = [...all].sort((x, y) => x.ratio - y.ratio);
  return {
    runs: all,
    median: sorted[Math.floor(sorted.length / 2)],
    lowest: sorted[0].ratio,
    highest: sorted[sorted.length - 1].ratio,
  };
}

if (process.argv[1] === self)
  process.stdout.write(`${JSON.stringify(runOnce({ quick: process.argv.includes("--quick") }))}\n`);
