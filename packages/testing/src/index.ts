/**
 * @semtrace/testing: test matchers on the semtrace validators, and a harness that collects spans.
 *
 * ```ts
 * import { expect } from "vitest";
 * import "@semtrace/testing/vitest"; // or: expect.extend(semtraceMatchers)
 * expect(span).toBeValidSpan({ kind: "LLM" });
 * ```
 */
export {
  semtraceMatchers,
  spanProblems,
  toAllBeValidSpans,
  toBeValidSpan,
  toHaveAttributes,
  type MatcherResult,
  type SemtraceMatchers,
  type SpanInput,
  type SpanMatcherOptions,
} from "./matchers.js";
export { collectSpans, type CollectedSpans, type CollectOptions } from "./harness.js";
