/**
 * Translation benchmark: a typical chat span (the builders benchmark's: system + user + assistant with one tool
 * call, token counts) translated by @semtrace/translate, side by side in one process with building the same
 * translated attributes from typed input with the target registry's generated builder:
 *   - OpenInference → GenAI: toGenAI(span) against buildInferenceAttributes (@semtrace/genai) + the operation;
 *   - GenAI → OpenInference: toOpenInference(span) against buildLLMAttributes (@semtrace/openinference).
 * Goal: translating costs ≤ 2× building.
 */
import { buildInferenceAttributes } from "@semtrace/genai";
import { buildInputAttributes, buildLLMAttributes, buildOutputAttributes } from "@semtrace/openinference";
import { toGenAI, toOpenInference } from "@semtrace/translate";
import { chatInput, handWritten } from "./builders.mjs";
import { compare, fmtNs } from "./micro.mjs";

const openinferenceSpan = { "openinference.span.kind": "LLM", ...handWritten(chatInput) };

const genaiInput = {
  provider: { name: "openai" },
  request: { model: chatInput.modelName },
  response: { model: chatInput.modelName },
  usage: { inputTokens: 52, outputTokens: 18 },
  input: {
    messages: [
      { role: "system", parts: [{ type: "text", content: chatInput.inputMessages[0].content }] },
      { role: "user", parts: [{ type: "text", content: chatInput.inputMessages[1].content }] },
    ],
  },
  output: {
    messages: [
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "call_abc123", name: "get_weather", arguments: { city: "Paris" } }],
        finish_reason: "tool_call",
      },
    ],
  },
};
const buildGenAI = (input) => {
  const out = buildInferenceAttributes(input);
  out["gen_ai.operation.name"] = "chat";
  return out;
};
const genaiSpan = buildGenAI(genaiInput);
const llmInput = {
  llm: { ...chatInput, invocationParameters: { model: chatInput.modelName }, finishReason: "tool_call" },
  input: { value: genaiInput.input.messages },
  output: { value: genaiInput.output.messages },
};
/** The OpenInference builders for the same span: the LLM attributes, its input and output, the kind. */
const buildOpenInference = (i) => {
  const out = buildLLMAttributes(i.llm);
  Object.assign(out, buildInputAttributes(i.input), buildOutputAttributes(i.output));
  out["openinference.span.kind"] = "LLM";
  return out;
};
const toGenAIAttributes = (span) => toGenAI(span).attributes;
const toOpenInferenceAttributes = (span) => toOpenInference(span).attributes;

/** Same attributes from both sides, JSON compared parsed (checked, so the comparison is fair). */
function same(a, b, what) {
  const norm = (o) =>
    JSON.stringify(
      Object.entries(o)
        .map(([k, v]) => [k, typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v])
        .sort(([x], [y]) => (x < y ? -1 : 1)),
    );
  if (norm(a) !== norm(b))
    throw new Error(`translate bench (${what}): translation and builder disagree:\n${norm(a)}\n${norm(b)}`);
}

export function runTranslateBench({ quick = false } = {}) {
  same(toGenAIAttributes(openinferenceSpan), buildGenAI(genaiInput), "to GenAI");
  same(toOpenInferenceAttributes(genaiSpan), buildOpenInference(llmInput), "to OpenInference");
  // CPU time per op: a shared machine's other processes disturb it less than wall time.
  const options = quick ? { rounds: 3, sliceMs: 80, clock: "cpu" } : { clock: "cpu" };
  const toG = compare(
    [
      { name: "buildInferenceAttributes (@semtrace/genai), typed input", fn: buildGenAI, arg: genaiInput },
      {
        name: "toGenAI (@semtrace/translate), from the OpenInference span",
        fn: toGenAIAttributes,
        arg: openinferenceSpan,
      },
    ],
    options,
  );
  const toO = compare(
    [
      {
        name: "buildLLMAttributes + buildInputAttributes + buildOutputAttributes (@semtrace/openinference), typed input",
        fn: buildOpenInference,
        arg: llmInput,
      },
      {
        name: "toOpenInference (@semtrace/translate), from the GenAI span",
        fn: toOpenInferenceAttributes,
        arg: genaiSpan,
      },
    ],
    options,
  );
  const row = (r) => [r.name, fmtNs(r.nsPerOp), fmtNs(r.min), `${(1e9 / r.nsPerOp / 1e6).toFixed(2)} M/s`];
  const toGenAIRatio = toG[1].nsPerOp / toG[0].nsPerOp;
  const toOpenInferenceRatio = toO[1].nsPerOp / toO[0].nsPerOp;
  // The fastest slice is the least disturbed by other processes on a shared machine: its ratio is judged too.
  const toGenAIMinRatio = toG[1].min / toG[0].min;
  const toOpenInferenceMinRatio = toO[1].min / toO[0].min;
  return {
    rows: [...toG.map(row), ...toO.map(row)],
    toGenAIRatio,
    toOpenInferenceRatio,
    toGenAIMinRatio,
    toOpenInferenceMinRatio,
    goals: {
      toGenAI: Math.max(toGenAIRatio, toGenAIMinRatio) <= 2,
      toOpenInference: Math.max(toOpenInferenceRatio, toOpenInferenceMinRatio) <= 2,
    },
    attributes: { openinference: Object.keys(openinferenceSpan).length, genai: Object.keys(genaiSpan).length },
  };
}
