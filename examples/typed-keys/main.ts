/**
 * Typed keys: the registry's keys as constants, its enum values as typed objects, and a record typed by the
 * registry, so a misspelled key or a value of the wrong type is a compile error, not a broken dashboard.
 */
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
} from "@semtrace/genai";
import {
  LLM_MODEL_NAME,
  LLM_TOKEN_COUNT_PROMPT,
  OpenInferenceSpanKindValues,
  SemanticConventions,
  validateAttributes,
  type Attributes,
} from "@semtrace/openinference";

const attributes: Attributes = {
  [SemanticConventions.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKindValues.LLM,
  [LLM_MODEL_NAME]: "gpt-4o-mini",
  [LLM_TOKEN_COUNT_PROMPT]: 12,
};
// @ts-expect-error: a token count is an int, not a string.
const wrongType: Attributes = { [LLM_TOKEN_COUNT_PROMPT]: "12" };
// @ts-expect-error: `llm.modle_name` is not a key of the registry.
const typo: Attributes = { "llm.modle_name": "gpt-4o-mini" };

console.log(
  `${LLM_MODEL_NAME} ${ATTR_GEN_AI_REQUEST_MODEL} ${ATTR_GEN_AI_OPERATION_NAME}=${GEN_AI_OPERATION_NAME_VALUE_CHAT}`,
);
console.log(`valid: ${validateAttributes(attributes).filter((f) => f.severity === "error").length} errors`);
// At run time, for data that did not come through the types (JavaScript callers, JSON):
for (const f of validateAttributes({ ...wrongType, ...typo, "openinference.span.kind": "LLM" }).filter(
  (f) => f.severity === "error",
)) {
  console.log(`error ${f.rule} ${f.key}`);
}
