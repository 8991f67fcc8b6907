/**
 * The rows of a stats table (by kind, by name, by model), each with its counts and a latency sketch. A table keeps
 * at most `cap` rows: the first `cap` keys seen get a row, and every later one is summed into one "other" row, so a
 * span name or model that varies on every span (an id in it) costs one row, not memory per span.
 */
import { detached } from "./detached.js";
import { Quantiles, round3, type Percentiles } from "./sketch.js";
import type { Tokens } from "./facts.js";

/** What a row adds up. */
export class RowStats {
  spans = 0;
  errors = 0;
  readonly durationMs = new Quantiles();
  /** Spans whose usage was added (model calls with token counts). */
  withTokens = 0;
  input = 0;
  output = 0;
  total = 0;
  cost = 0;
  /** Model calls priced from the span's own cost, from the price table, or not at all (tokens but no price). */
  costFromSpans = 0;
  costFromTable = 0;
  unpriced = 0;
  readonly timeToFirstChunkMs = new Quantiles();

  addTokens(tokens: Tokens): void {
    this.withTokens++;
    this.input += tokens.input ?? 0;
    this.output += tokens.output ?? 0;
    this.total += tokens.total ?? 0;
  }

  merge(other: RowStats): void {
    this.spans += other.spans;
    this.errors += other.errors;
    this.durationMs.merge(other.durationMs);
    this.withTokens += other.withTokens;
    this.input += other.input;
    this.output += other.output;
    this.total += other.total;
    this.cost += other.cost;
    this.costFromSpans += other.costFromSpans;
    this.costFromTable += other.costFromTable;
    this.unpriced += other.unpriced;
    this.timeToFirstChunkMs.merge(other.timeToFirstChunkMs);
  }

  /** The row as JSON: counts, error rate, latency percentiles, tokens and cost. */
  toJSON(): RowJson {
    return {
      spans: this.spans,
      errors: this.errors,
      errorRate: rate(this.errors, this.spans),
      durationMs: this.durationMs.summary(),
      tokens: { spans: this.withTokens, input: this.input, output: this.output, total: this.total },
      cost: {
        total: roundCost(this.cost),
        fromSpans: this.costFromSpans,
        fromPriceTable: this.costFromTable,
        unpriced: this.unpriced,
      },
      timeToFirstChunkMs: this.timeToFirstChunkMs.summary(),
    };
  }
}

export interface RowJson {
  readonly spans: number;
  readonly errors: number;
  readonly errorRate: number;
  readonly durationMs: Percentiles;
  readonly tokens: { readonly spans: number; readonly input: number; readonly output: number; readonly total: number };
  readonly cost: {
    readonly total: number;
    readonly fromSpans: number;
    readonly fromPriceTable: number;
    readonly unpriced: number;
  };
  readonly timeToFirstChunkMs: Percentiles;
}

export function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1e6) / 1e6;
}

/** Costs to a millionth of a dollar (sums of many small costs otherwise show float noise). */
export function roundCost(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** A table with at most `cap` rows, keyed by a string; the rest in `other`. */
export class CappedTable<K> {
  private readonly rows = new Map<string, { key: K; stats: RowStats }>();
  /** Spans of keys past the cap, summed. */
  readonly other = new RowStats();
  /** Distinct keys summed into `other` (counted up to a limit: beyond it, "more than"). */
  private otherKeys = new Set<string>();
  otherKeysOverflow = false;

  constructor(readonly cap: number) {}

  /** The row of `id` (creating it while there is room), or `other`. */
  row(id: string, key: () => K): RowStats {
    const found = this.rows.get(id);
    if (found) return found.stats;
    if (this.rows.size < this.cap) {
      const stats = new RowStats();
      this.rows.set(detached(id), { key: key(), stats });
      return stats;
    }
    if (!this.otherKeysOverflow && !this.otherKeys.has(id)) {
      this.otherKeys.add(detached(id));
      if (this.otherKeys.size > OTHER_KEYS_COUNTED) {
        this.otherKeysOverflow = true;
        this.otherKeys = new Set();
      }
    }
    return this.other;
  }

  /** How many distinct keys went to `other` (a lower bound when `otherKeysOverflow`). */
  get otherKeyCount(): number {
    return this.otherKeysOverflow ? OTHER_KEYS_COUNTED : this.otherKeys.size;
  }

  /** The rows, most spans first (then by key, for a stable order). */
  sorted(): { key: K; stats: RowStats; id: string }[] {
    return [...this.rows]
      .map(([id, r]) => ({ id, ...r }))
      .sort((a, b) => b.stats.spans - a.stats.spans || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/** Distinct keys of the "other" row counted exactly, at most (the set is bounded too). */
const OTHER_KEYS_COUNTED = 10_000;

export { round3 };
