/** Applying asynchronous results in the order their work was started, with a bounded number in flight. */

/**
 * Applies work in the order it was pushed: plain functions at once (when nothing is ahead of them), pending
 * ones when they resolve. `push` waits while more than `window` are pending.
 */
export class InOrder {
  private readonly items: { done: boolean; apply?: () => void; error?: unknown }[] = [];
  private wake: (() => void) | undefined;
  constructor(private readonly window: number) {}

  async push(work: (() => void) | Promise<() => void>): Promise<void> {
    if (typeof work === "function") this.items.push({ done: true, apply: work });
    else {
      const item: { done: boolean; apply?: () => void; error?: unknown } = { done: false };
      this.items.push(item);
      work.then(
        (apply) => {
          item.done = true;
          item.apply = apply;
          this.wake?.();
        },
        (error: unknown) => {
          item.done = true;
          item.error = error ?? new Error("validation failed");
          this.wake?.();
        },
      );
    }
    this.applyReady();
    while (this.items.length > this.window) {
      await this.next();
      this.applyReady();
    }
  }

  /** Waits for everything pushed and applies it. */
  async finish(): Promise<void> {
    this.applyReady();
    while (this.items.length > 0) {
      await this.next();
      this.applyReady();
    }
  }

  /** Drops what is still pending (after an error). */
  abandon(): void {
    this.items.length = 0;
  }

  private next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
      if (this.items[0]?.done) this.wake();
    });
  }

  private applyReady(): void {
    while (this.items.length > 0 && this.items[0]!.done) {
      const item = this.items.shift()!;
      if (item.error !== undefined) throw item.error;
      item.apply!();
    }
  }
}
