/**
 * @semtrace/runtime: what semtrace-generated packages share at run time. The generated `@semtrace/<registry>`
 * packages re-export what their users need; this entry holds what is the same for every registry: validation
 * findings and their rules, combining registry validators, and the safe JSON serialiser builders use.
 *
 * The code lives in `@semtrace/runtime/internal` (which also holds what only generated code calls); this entry
 * re-exports the public part from there, so an application that loads both gets one copy.
 */
export {
  RULES,
  createValidator,
  describeValue,
  onUnknownBuilderInput,
  safeJsonStringify,
  toJsonAttribute,
  validateWith,
  type AttributeRecord,
  type Finding,
  type KeyCheck,
  type RegistryValidator,
  type RuleId,
  type Severity,
  type SpanLike,
  type UnknownBuilderInput,
  type UnknownBuilderInputHook,
  type ValidateOptions,
  type ValidationContext,
  type Validator,
} from "@semtrace/runtime/internal";
