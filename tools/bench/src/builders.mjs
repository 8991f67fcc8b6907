/**
 * Builder benchmark: the attributes of a typical chat span (system + user + assistant with one tool
 * call, token counts) built three ways in one process:
 *   - a flat object literal written by hand (the floor),
 *   - our generated `buildLLMAttributes` (@semtrace/openinference, built dist),
 *   - `getLLMAttributes` of @arizeai/openinference-core (the anchor).
 * Goals: ours ≤ 4× the literal, and ≥ 10× faster than getLLMAttributes.
 */
import { getLLMAttributes } from "@arizeai/openinference-core";
import { buildLLMAttributes } from "@semtrace/openinference";
import { compare, fmtNs } from "./micro.mjs";

export const chatInput = {
  provider: "openai",
  system: "openai",
  modelName: "gpt-4o-2024-08-06",
  inputMessages: [
    { role: "system", content: "You are a helpful weather assistant." },
    { role: "user", content: "What's the weather in Paris today?" },
  ],
  outputMessages: [
    {
      role: "assistant",
      toolCalls: [{ id: "call_abc123", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
    },
  ],
  tokenCount: { prompt: 52, completion: 18, total: 70 },
};

/** What a careful developer writes by hand for the same span: every key spelled out. */
export function handWritten(i) {
  const system = i.inputMessages[0];
  const user = i.inputMessages[1];
  const call = i.outputMessages[0].toolCalls[0];
  return {
    "llm.provider": i.provider,
    "llm.system": i.system,
    "llm.model_name": i.modelName,
    "llm.input_messages.0.message.role": system.role,
    "llm.input_messages.0.message.content": system.content,
    "llm.input_messages.1.message.role": user.role,
    "llm.input_messages.1.message.content": user.content,
    "llm.output_messages.0.message.role": i.outputMessages[0].role,
    "llm.output_messages.0.message.tool_calls.0.tool_call.id": call.id,
    "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": call.function.name,
    "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": call.function.arguments,
    "llm.token_count.prompt": i.tokenCount.prompt,
    "llm.token_count.completion": i.tokenCount.completion,
    "llm.token_count.total": i.tokenCount.total,
  };
}

export function runBuilderBench({ quick = false } = {}) {
  // Same attributes from all three (checked, so the comparison is fair).
  const a = JSON.stringify(Object.entries(handWritten(chatInput)).sort());
  const b = JSON.stringify(Object.entries(buildLLMAttributes(chatInput)).sort());
  const c = JSON.stringify(Object.entries(getLLMAttributes(chatInput)).sort());
  if (a !== b || b !== c) throw new Error(`builder bench: the three candidates disagree:\n${a}\n${b}\n${c}`);
  const results = compare(
    [
      { name: "hand-written object literal", fn: handWritten, arg: chatInput },
      { name: "buildLLMAttributes (@semtrace/openinference)", fn: buildLLMAttributes, arg: chatInput },
      { name: "getLLMAttributes (@arizeai/openinference-core)", fn: getLLMAttributes, arg: chatInput },
    ],
    quick ? { rounds: 3, sliceMs: 80 } : {},
  );
  const [literal, ours, theirs] = results;
  const vsLiteral = ours.nsPerOp / literal.nsPerOp;
  const vsTheirs = theirs.nsPerOp / ours.nsPerOp;
  return {
    rows: results.map((r) => [r.name, fmtNs(r.nsPerOp), fmtNs(r.min), `${(1e9 / r.nsPerOp / 1e6).toFixed(2)} M/s`]),
    vsLiteral,
    vsTheirs,
    goals: { literal: vsLiteral <= 4, theirs: vsTheirs >= 10 },
    attributes: Object.keys(handWritten(chatInput)).length,
  };
}
