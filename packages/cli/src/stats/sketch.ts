/**
 * Streaming percentiles: a DDSketch (Datadog's `@datadog/sketches-js`) per table row. Every quantile it returns is
 * within 1% of the true value (relative error), whatever the distribution, in bounded memory: at most `BINS` bins
 * (16 KiB) per sketch, the lowest collapsed past that, so a hostile spread of values cannot grow it. Count, sum,
 * min and max are exact.
 */
import { LogCollapsingLowestDenseDDSketch } from "@datadog/sketches-js";

/** The relative accuracy of every percentile (1%). */
export const RELATIVE_ACCURACY = 0.01;
/** Bins per sketch: at 1% they span values from 1 to 10^17 before the lowest are collapsed. */
const BINS = 2048;

/** A percentile summary, in the unit the values were given in (milliseconds here). */
export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/** Rounds to a microsecond when the unit is milliseconds: the sketch is not more exact than 1% anyway. */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export class Quantiles {
  private readonly sketch = new LogCollapsingLowestDenseDDSketch({
    relativeAccuracy: RELATIVE_ACCURACY,
    binLimit: BINS,
  });

  /** Adds a value (finite and ≥ 0; callers check). */
  add(value: number): void {
    this.sketch.accept(value);
  }

  merge(other: Quantiles): void {
    this.sketch.merge(other.sketch);
  }

  get count(): number {
    return this.sketch.count;
  }

  get max(): number {
    return this.sketch.count === 0 ? 0 : this.sketch.max;
  }

  get min(): number {
    return this.sketch.count === 0 ? 0 : this.sketch.min;
  }

  /** The value at quantile `q` (0 to 1), clamped to the exact min and max. */
  at(q: number): number {
    if (this.sketch.count === 0) return 0;
    return Math.min(this.sketch.max, Math.max(this.sketch.min, this.sketch.getValueAtQuantile(q)));
  }

  summary(): Percentiles {
    return { count: this.count, p50: round3(this.at(0.5)), p95: round3(this.at(0.95)), max: round3(this.max) };
  }

  /**
   * Counts per bucket of `edges` (ascending; bucket i is [edges[i], edges[i+1]), the last one closed): read from the
   * sketch's bins, so each value is placed within 1% of where it was.
   */
  histogram(edges: readonly number[]): number[] {
    const counts = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
    if (counts.length === 0 || this.sketch.count === 0) return counts;
    const place = (value: number, n: number) => {
      let i = 0;
      while (i < counts.length - 1 && value >= edges[i + 1]!) i++;
      counts[i]! += n;
    };
    const { store, mapping, zeroCount } = this.sketch;
    if (zeroCount > 0) place(0, zeroCount);
    for (let key = store.minKey; key <= store.maxKey; key++) {
      const n = store.bins[key - store.offset] ?? 0;
      if (n > 0) place(Math.min(this.sketch.max, Math.max(this.sketch.min, mapping.value(key))), n);
    }
    return counts;
  }
}
