/**
 * @semtrace/runtime: what semtrace-generated packages share at run time. Application code rarely
 * imports it directly; the generated `@semtrace/<registry>` packages re-export what users need.
 */
export { safeJsonStringify, toJsonAttribute } from "./json.js";
export { RULES, describeValue, type Finding, type RuleId, type Severity } from "./findings.js";
export {
  KeyPlan,
  ValidationContext,
  createValidator,
  judgeWith,
  planKey,
  validateWith,
  type AttributeRecord,
  type IndexSink,
  type RegistryValidator,
  type SpanJudgement,
  type SpanLike,
  type ValidateOptions,
  type Validator,
} from "./validator.js";
export {
  checkArrayOrJsonText,
  checkEnum,
  checkJson,
  checkJsonOrStructured,
  checkType,
  enterIndex,
  hasKeyUnder,
  isType,
  reportDeprecated,
  reportMissing,
  reportNoValue,
  reportUnknownField,
  type ValueType,
} from "./checks.js";
export { claimSpan, isContextKey, type Claim } from "./claim.js";
export { closest, editDistance } from "./suggest.js";
export { internalize } from "./keys.js";
export { specialise } from "./specialise.js";
