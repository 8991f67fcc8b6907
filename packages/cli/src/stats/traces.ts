/**
 * Traces, from spans that arrive in any order and interleaved: a summary per open trace (spans, errors, extent, root,
 * tokens, cost), in a table of at most `maxOpen` traces. Exporters write a trace's spans close together, so when the
 * table is full the trace touched least recently is taken as complete: it is finished (counted, offered to the
 * slowest and the erroring traces kept) and dropped. If more of its spans come later, it is counted again as a new
 * trace, and that is reported (`split`), with the flag that raises the bound.
 */

import { detached } from "./detached.js";

/** What is kept of a trace. */
export interface TraceSummary {
  readonly traceId: string;
  spans: number;
  errors: number;
  /** Earliest start and latest end of its spans (ns since the epoch; NaN until a span with times is seen). */
  startNs: number;
  endNs: number;
  /** Its root span (no parent), when seen. */
  rootName: string | undefined;
  rootKind: string | undefined;
  rootDurationNs: number | undefined;
  tokens: number;
  cost: number;
  /** The error type of its first failed span. */
  errorType: string | undefined;
  /** While open: its neighbours in the order of last touch (see `OpenTraces`). */
  older: TraceSummary | undefined;
  newer: TraceSummary | undefined;
}

export function newTrace(traceId: string): TraceSummary {
  return {
    traceId: detached(traceId),
    spans: 0,
    errors: 0,
    startNs: Number.NaN,
    endNs: Number.NaN,
    rootName: undefined,
    rootKind: undefined,
    rootDurationNs: undefined,
    tokens: 0,
    cost: 0,
    errorType: undefined,
    older: undefined,
    newer: undefined,
  };
}

/** A trace's duration: its root span's when it has one, else from its first start to its last end (ns; NaN without times). */
export function traceDurationNs(t: TraceSummary): number {
  return t.rootDurationNs ?? t.endNs - t.startNs;
}

/**
 * Ids of traces finished early, remembered (the last `cap` of them) to tell when one comes back: a ring of ids and a
 * set. (A Map or Set used as a queue, deleting from its front, costs more and more to iterate from its start.)
 */
class RecentIds {
  private readonly ring: (string | undefined)[];
  private next = 0;
  private readonly ids = new Set<string>();
  constructor(cap: number) {
    this.ring = new Array<string | undefined>(cap);
  }
  add(id: string): void {
    const old = this.ring[this.next];
    if (old !== undefined) this.ids.delete(old);
    this.ring[this.next] = id;
    this.ids.add(id);
    this.next = (this.next + 1) % this.ring.length;
  }
  has(id: string): boolean {
    return this.ids.has(id);
  }
}

export class OpenTraces {
  private readonly open = new Map<string, TraceSummary>();
  /**
   * The least and the most recently touched open traces, ends of a doubly linked list through the summaries
   * themselves (touching and finishing are O(1), and an open trace costs one object and one map entry).
   */
  private oldest: TraceSummary | undefined;
  private newest: TraceSummary | undefined;
  private readonly finishedEarly: RecentIds;
  /** Traces that came back after being finished early (counted twice). */
  split = 0;
  /** Traces finished early because the table was full. */
  evicted = 0;

  constructor(
    private readonly maxOpen: number,
    private readonly finish: (trace: TraceSummary) => void,
  ) {
    this.finishedEarly = new RecentIds(maxOpen);
  }

  /** The summary of `traceId`, now the most recently touched. */
  touch(traceId: string): TraceSummary {
    const newest = this.newest;
    if (newest !== undefined && newest.traceId === traceId) return newest;
    let trace = this.open.get(traceId);
    if (trace) this.unlink(trace);
    else {
      if (this.evicted > 0 && this.finishedEarly.has(traceId)) this.split++;
      if (this.open.size >= this.maxOpen) this.evictOldest();
      trace = newTrace(traceId);
      this.open.set(trace.traceId, trace);
    }
    trace.older = this.newest;
    if (this.newest) this.newest.newer = trace;
    this.newest = trace;
    this.oldest ??= trace;
    return trace;
  }

  private unlink(trace: TraceSummary): void {
    if (trace.older) trace.older.newer = trace.newer;
    else this.oldest = trace.newer;
    if (trace.newer) trace.newer.older = trace.older;
    else this.newest = trace.older;
    trace.older = trace.newer = undefined;
  }

  private evictOldest(): void {
    const oldest = this.oldest!;
    this.unlink(oldest);
    this.open.delete(oldest.traceId);
    this.evicted++;
    this.finishedEarly.add(oldest.traceId);
    this.finish(oldest);
  }

  /** Finishes every open trace (at the end of the input), least recently touched first. */
  finishAll(): void {
    for (let trace = this.oldest; trace; ) {
      const next = trace.newer;
      trace.older = trace.newer = undefined;
      this.finish(trace);
      trace = next;
    }
    this.open.clear();
    this.oldest = this.newest = undefined;
  }
}

/** The `n` largest items by `score` (ties: the earlier one stays), in a binary min-heap: O(log n) per offer. */
export class TopN<T> {
  private readonly heap: { item: T; score: number; seq: number }[] = [];
  private seq = 0;
  constructor(
    private readonly n: number,
    private readonly score: (item: T) => number,
  ) {}

  offer(item: T): void {
    if (this.n === 0) return;
    const entry = { item, score: this.score(item), seq: this.seq++ };
    if (Number.isNaN(entry.score)) return;
    const heap = this.heap;
    if (heap.length < this.n) {
      heap.push(entry);
      this.up(heap.length - 1);
    } else if (this.less(heap[0]!, entry)) {
      heap[0] = entry;
      this.down(0);
    }
  }

  /** Largest first (ties: in the order offered). */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => b.score - a.score || a.seq - b.seq).map((e) => e.item);
  }

  /** a ranks below b: smaller, or equal and offered later. */
  private less(a: { score: number; seq: number }, b: { score: number; seq: number }): boolean {
    return a.score < b.score || (a.score === b.score && a.seq > b.seq);
  }

  private up(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < heap.length && this.less(heap[l]!, heap[min]!)) min = l;
      if (r < heap.length && this.less(heap[r]!, heap[min]!)) min = r;
      if (min === i) return;
      [heap[i], heap[min]] = [heap[min]!, heap[i]!];
      i = min;
    }
  }
}

/**
 * Up to `n` erroring traces, covering as many error types as possible: the first erroring trace of each type is
 * kept, and once the list is full a trace of a type not yet shown replaces the latest trace of the type shown most.
 */
export class ErrorTraces {
  private readonly kept: TraceSummary[] = [];
  private readonly perType = new Map<string, number>();
  /** Every kept trace has a type of its own: the list can no longer change. */
  private settled = false;
  constructor(private readonly n: number) {}

  offer(trace: TraceSummary): void {
    if (this.n === 0 || trace.errors === 0) return;
    const type = trace.errorType ?? "";
    if (this.kept.length < this.n) {
      this.keep(trace, type);
      return;
    }
    if (this.settled || this.perType.has(type)) return;
    // Each scan either replaces a duplicate (at most n times in all) or settles the list.
    let most = "";
    let mostCount = 1;
    for (const [t, c] of this.perType) if (c > mostCount) [most, mostCount] = [t, c];
    if (mostCount <= 1) {
      this.settled = true;
      return;
    }
    for (let i = this.kept.length - 1; i >= 0; i--) {
      if ((this.kept[i]!.errorType ?? "") === most) {
        this.kept.splice(i, 1);
        this.perType.set(most, mostCount - 1);
        break;
      }
    }
    this.keep(trace, type);
  }

  private keep(trace: TraceSummary, type: string): void {
    this.kept.push(trace);
    this.perType.set(type, (this.perType.get(type) ?? 0) + 1);
  }

  list(): readonly TraceSummary[] {
    return this.kept;
  }
}
