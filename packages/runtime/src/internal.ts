/**
 * @semtrace/runtime/internal: everything the runtime implements, including the helpers generated builders and
 * validators call. Not an API for applications: names and signatures follow the generator and change with it
 * (a generated package depends on the runtime version it was generated for). Applications import
 * `@semtrace/runtime`, which re-exports the public part from here, so both entries share one copy of the code.
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
  type KeyCheck,
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
export {
  DEFAULT_MAX_CONTENT_CHARS,
  MAX_CONTENT_FINDINGS,
  checkContentEnum,
  checkContentList,
  checkContentListProperty,
  checkContentObjectProperty,
  checkContentProperties,
  checkContentValue,
  checkJsonContent,
  checkLegacyFormat,
  contentPath,
  isJsonObject,
  reportContentDiscriminator,
  reportContentMissing,
  reportContentType,
  type ContentCheck,
} from "./content.js";
export { claimSpan, isContextKey, type Claim } from "./claim.js";
export { closest, editDistance } from "./suggest.js";
export { CACHED_ELEMENTS, elementKeys, internalize } from "./keys.js";
export { specialise } from "./specialise.js";
export {
  inputChecker,
  onUnknownBuilderInput,
  MAX_REPORTED_INPUTS,
  type InputShape,
  type InputField,
  type UnknownBuilderInput,
  type UnknownBuilderInputHook,
} from "./unknown-inputs.js";
export * from "./translate/index.js";
