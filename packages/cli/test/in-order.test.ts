import { describe, expect, it } from "vitest";
import { InOrder } from "../src/validate/in-order.js";

/** A promise and the function that resolves it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("InOrder", () => {
  it("applies work in the order it was pushed, however the promises settle", async () => {
    const order: string[] = [];
    const queue = new InOrder(10);
    const a = deferred<() => void>();
    const b = deferred<() => void>();
    await queue.push(a.promise);
    await queue.push(b.promise);
    await queue.push(() => order.push("c (plain)"));
    b.resolve(() => order.push("b"));
    await Promise.resolve();
    expect(order).toEqual([]); // b waits for a
    a.resolve(() => order.push("a"));
    await queue.finish();
    expect(order).toEqual(["a", "b", "c (plain)"]);
  });

  it("push waits while more than the window is pending", async () => {
    const queue = new InOrder(2);
    const pending = [deferred<() => void>(), deferred<() => void>(), deferred<() => void>()];
    await queue.push(pending[0]!.promise);
    await queue.push(pending[1]!.promise);
    let third = false;
    const pushed = queue.push(pending[2]!.promise).then(() => (third = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(third).toBe(false);
    pending[0]!.resolve(() => {});
    await pushed;
    expect(third).toBe(true);
    pending[1]!.resolve(() => {});
    pending[2]!.resolve(() => {});
    await queue.finish();
  });

  it("a failed piece of work fails finish, after what came before it is applied", async () => {
    const applied: number[] = [];
    const queue = new InOrder(10);
    const failing = deferred<() => void>();
    await queue.push(() => applied.push(1));
    await queue.push(failing.promise);
    await queue.push(() => applied.push(3));
    failing.reject(new Error("worker died"));
    await expect(queue.finish()).rejects.toThrow("worker died");
    expect(applied).toEqual([1]);
  });
});
