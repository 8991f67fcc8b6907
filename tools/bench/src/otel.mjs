/** What the tracing benchmarks share on the OpenTelemetry side. */

/** Counts ended spans and drops them: the same, cheapest processor for every candidate (exporting cost does not hide tracing cost). */
export class CountingProcessor {
  ended = 0;
  onStart() {}
  onEnd() {
    this.ended++;
  }
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}
