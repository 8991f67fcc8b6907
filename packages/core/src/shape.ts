/**
 * Which returned values semtrace may observe. Only real promises (`instanceof Promise`, subclasses such as an
 * SDK's API promise included): they have run already, and `then` only subscribes. Any other thenable — a
 * Mongoose query, a Knex or Drizzle builder — runs its work when `then`-ed, so it is not semtrace's to touch.
 */
import { swallowed } from "./swallowed.js";

/** `promise`: exactly a `Promise`; `promise-subclass`: a subclass; `thenable`: any other object with a `then` method. */
export type ResultShape = "promise" | "promise-subclass" | "thenable" | "value";

/**
 * Classifies `value` reading nothing but its prototype chain (for `instanceof`) and, for non-promises, `then`
 * (as `await` would). A value whose prototype or `then` cannot be read (a hostile or revoked proxy, a
 * throwing getter) is a plain value.
 */
export function shapeOf(value: unknown): ResultShape {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return "value";
  try {
    if (value instanceof Promise)
      return Object.getPrototypeOf(value) === Promise.prototype ? "promise" : "promise-subclass";
  } catch (error) {
    swallowed(
      "the prototype of a returned value could not be read (a hostile or revoked proxy?), so it was treated as a plain value",
      error,
    );
    return "value";
  }
  try {
    return typeof (value as { then?: unknown }).then === "function" ? "thenable" : "value";
  } catch (error) {
    swallowed("the `then` of a returned value could not be read, so it was treated as a plain value", error);
    return "value";
  }
}
