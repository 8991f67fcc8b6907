/**
 * Span names, keys and values come from the traces, and the text and GitHub reports print them: raw, an ESC or OSC
 * sequence in a span name would drive the terminal (recolour it, retitle it, hide text, write a link), and a line
 * break would forge report lines or workflow commands. They are shown escaped instead.
 */

/**
 * C0 controls (tab and line breaks included), DEL, C1 controls, the Unicode line and paragraph separators, and the
 * bidirectional overrides and isolates (which can make text read differently from what it is).
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escape(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `s` with every control character written as an escape (`\n`, `\x1b`, `\u202e`); other text unchanged. */
export function printable(s: string): string {
  UNPRINTABLE.lastIndex = 0;
  return UNPRINTABLE.test(s) ? s.replace(UNPRINTABLE, escape) : s;
}
