/** "Did you mean …?" for misspelt keys and ids; the distance search is shared with the runtime validators. */
import { closest } from "@semtrace/runtime/internal";

export { closest };

export function didYouMean(target: string, candidates: Iterable<string>): string {
  const best = closest(target, candidates);
  return best === undefined ? "" : ` (did you mean \`${best}\`?)`;
}
