/**
 * The progress line `semtrace validate` draws on a terminal: a bar when the total input size is known (files),
 * a running count otherwise (stdin). Drawn on stderr, at most every `intervalMs`, and cleared at the end.
 */
export interface Progress {
  readonly spans: number;
  /** Input bytes read so far (compressed bytes for gzip, so the bar follows the files' sizes). */
  readonly bytes: number;
  /** Total input bytes, when every input is a file. */
  readonly total?: number;
}

const MIB = 1048576;
const BAR = 24;

export function progressLine(p: Progress): string {
  const spans = p.spans.toLocaleString("en-US");
  if (p.total === undefined || p.total <= 0)
    return `validating… ${spans} spans, ${(p.bytes / MIB).toFixed(1)} MiB read`;
  const done = Math.min(1, p.bytes / p.total);
  const filled = Math.round(done * BAR);
  return `validating… [${"█".repeat(filled)}${"░".repeat(BAR - filled)}] ${String(Math.floor(done * 100)).padStart(3)}% ${(p.bytes / MIB).toFixed(1)} of ${(p.total / MIB).toFixed(1)} MiB, ${spans} spans`;
}

/** A throttled drawer: `draw` repaints the line when `intervalMs` has passed; `clear` erases it. */
export function progressDrawer(
  write: (s: string) => void,
  intervalMs = 100,
): { draw(p: Progress): void; clear(): void } {
  let last = 0;
  let drawn = false;
  return {
    draw(p) {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      drawn = true;
      write(`\r\u001b[2K${progressLine(p)}`);
    },
    clear() {
      if (drawn) write("\r\u001b[2K");
    },
  };
}
