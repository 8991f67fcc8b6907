/**
 * `import "@semtrace/testing/vitest"` (e.g. in a Vitest `setupFiles` entry) registers the matchers with
 * Vitest's `expect` and adds their types to `Assertion`.
 */
import { expect } from "vitest";
import { semtraceMatchers, type SemtraceMatchers } from "./matchers.js";

expect.extend(semtraceMatchers);

// Vitest 3 reads custom matchers from `Assertion`; Vitest 4 re-exports `Assertion` from @vitest/expect, so an
// augmentation of it under "vitest" no longer merges there, and `Matchers` is the interface it reads instead.
declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  // biome-ignore lint/suspicious/noExplicitAny: declaration merging needs vitest's own type parameter, default included.
  interface Assertion<T = any> extends SemtraceMatchers<void> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  // biome-ignore lint/suspicious/noExplicitAny: declaration merging needs vitest's own type parameter, default included.
  interface Matchers<T = any> extends SemtraceMatchers<void> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends SemtraceMatchers<void> {}
}

export { semtraceMatchers, type SemtraceMatchers };
