/** Runs tasks one at a time, in the order they are queued (live-check decodes and validates one request at a time). */
export class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task`; resolves or rejects as it does, once every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => {});
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  idle(): Promise<unknown> {
    return this.tail;
  }
}
