/**
 * Which semtrace spans are still open, per span processor that saw them start, so that the processor can end
 * them when its tracer provider shuts down (or flushes, if asked): a stream nobody reads, or a call still
 * running when a serverless invocation ends, would otherwise never be exported.
 *
 * Cheap by construction, since it runs for every span: the handle is linked into its processor's list while
 * open (a few field writes, no hashing, no weak references), and a processor learns that a starting span is
 * semtrace's from a flag set around `tracer.startSpan` (the SDK calls `onStart` synchronously inside it). The
 * same flag tells semtrace that the processor already stamped the trace context, without marking the span.
 */
import { state } from "./global-state.js";

/** What the list needs of a span handle. */
export interface Trackable {
  /** @internal */ openPrev: Trackable | undefined;
  /** @internal */ openNext: Trackable | undefined;
  /** @internal */ openList: OpenSpans | undefined;
  /** Ends the span early, with an event naming why. */
  interrupt(reason: InterruptReason): void;
}

/** Why a span was ended before its function, promise or stream finished. */
export type InterruptReason = "shutdown" | "flush";

/** A doubly linked list of the open handles one processor saw start. */
export class OpenSpans {
  private head: Trackable | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(handle: Trackable): void {
    handle.openList = this;
    handle.openPrev = undefined;
    handle.openNext = this.head;
    if (this.head !== undefined) this.head.openPrev = handle;
    this.head = handle;
    this.count++;
  }

  remove(handle: Trackable): void {
    if (handle.openList !== this) return;
    const { openPrev: prev, openNext: next } = handle;
    if (prev !== undefined) prev.openNext = next;
    else this.head = next;
    if (next !== undefined) next.openPrev = prev;
    handle.openList = handle.openPrev = handle.openNext = undefined;
    this.count--;
  }

  /** Ends every open span (oldest last, so children end before the parents they nest in). Returns how many. */
  interruptAll(reason: InterruptReason): number {
    let ended = 0;
    // Ending a span removes it from the list: take the head until the list is empty (bounded by its size,
    // in case a handle refuses to leave).
    for (let left = this.count; left > 0 && this.head !== undefined; left--) {
      const handle = this.head;
      handle.interrupt(reason);
      if (this.head === handle) this.remove(handle);
      ended++;
    }
    return ended;
  }
}

/*
 * The handshake between semtrace's `tracer.startSpan` call and the context processor's `onStart` lives in the
 * process-wide state (./global-state.ts: `starting`, `stamped`, `claimedBy`), so a processor of one copy of the
 * package sees the spans another copy starts.
 */

/** @internal Called by semtrace around `tracer.startSpan`. */
export function beginStart(): void {
  state.starting = true;
  state.stamped = false;
  state.claimedBy = undefined;
}

/** @internal A processor stamped the trace context on the starting span. */
export function markStamped(): void {
  if (state.starting) state.stamped = true;
}

/** @internal Whether a processor stamped the trace context on the span started last (read after {@link endStart}). */
export function stampedAtStart(): boolean {
  return state.stamped;
}

/** @internal The list the processor that saw the start wants the handle in (once). */
export function endStart(): OpenSpans | undefined {
  state.starting = false;
  const list = state.claimedBy;
  state.claimedBy = undefined;
  return list;
}

/** @internal True inside semtrace's `tracer.startSpan` call: the span a processor sees start is semtrace's. */
export function startingSemtraceSpan(): boolean {
  return state.starting;
}

/** @internal A processor claims the starting span for its list. */
export function claim(list: OpenSpans): void {
  if (state.starting && state.claimedBy === undefined) state.claimedBy = list;
}
