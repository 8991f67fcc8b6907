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
  claimSpan,
  createValidator,
  describeValue,
  judgeWith,
  safeJsonStringify,
  toJsonAttribute,
  validateWith,
  type AttributeRecord,
  type Claim,
  type Finding,
  type KeyCheck,
  type RegistryValidator,
  type RuleId,
  type Severity,
  type SpanJudgement,
  type SpanLike,
  type ValidateOptions,
  type Validator,
} from "@semtrace/runtime/internal";

import type { ValidationContext as Context } from "@semtrace/runtime/internal";
/**
 * The scratch context a registry's `checkKey` writes findings to. A type only: `export { type ValidationContext }`
 * of a class comes out of the declaration bundler as a value export the JavaScript lacks.
 */
export type ValidationContext = Context;
