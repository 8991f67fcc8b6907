/**
 * Says, through `diag`, when a process-wide call (`configure()`, `setDefaultPrices()`, a context processor) cannot
 * reach every copy of @semtrace/core loaded in the process: copies of another state version keep their own state
 * (./global-state.ts), so their spans escape it. Checked at those calls, not at load: an application registers its
 * `diag` logger after its imports have run.
 */
import { otherStateVersions, unsharedReason } from "./global-state.js";
import { swallowed } from "./swallowed.js";

/** Reports (once per process) that `where` applies only to this copy's state. Never throws. */
export function checkCopies(where: string): void {
  if (unsharedReason !== undefined) {
    swallowed(
      `${where} applies to this copy of @semtrace/core alone, because ${unsharedReason}: other copies in the process keep their own configuration, prices and spans`,
    );
  }
  const others = otherStateVersions();
  if (others.length > 0) {
    swallowed(
      `${where} does not reach the copies of @semtrace/core of another version loaded in this process (state version ${others.slice(0, 4).join(", ")}): they keep their own configuration, prices and spans, and currentSpan() does not see theirs; install a single version (npm ls @semtrace/core)`,
    );
  }
}
