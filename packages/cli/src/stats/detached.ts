/**
 * Strings kept past their span. V8 cuts the strings `JSON.parse` returns out of the text it parsed (a "sliced"
 * string points into it), so keeping a span's trace id or name keeps its whole line or document piece alive: 100,000
 * open traces held 160 MB of lines that way. What stats keeps beyond a span is copied first.
 */

/** A copy of `s` that refers to nothing else (it holds its own characters). */
export function detached(s: string): string {
  // The concatenation is flattened into a new string of its own before the slice is cut from it.
  return s.length === 0 ? s : (" " + s).slice(1);
}
