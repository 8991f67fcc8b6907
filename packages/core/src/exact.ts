/**
 * `Exact<Shape, T>`: `T` with every field `Shape` does not declare typed `never`, through nested objects and
 * arrays, so that `record(input)` rejects a misspelled field even when `input` is a variable (TypeScript checks
 * excess fields only of object literals). Open structures (an index signature, such as the token-count details
 * the spec leaves open) accept any field; `unknown` fields (JSON values) accept anything. For a union `Shape`,
 * `T` must be exact for one of its members.
 *
 * Used as `<I extends Shape>(input: I & Exact<Shape, I>)`, `I` inferred from the argument.
 */
export type Exact<Shape, T> = unknown extends Shape
  ? T
  : T extends null | undefined
    ? T
    : T extends readonly unknown[]
      ? ExactArray<NonNullable<Shape>, T>
      : T extends (...args: never[]) => unknown
        ? T
        : T extends object
          ? ExactObject<NonNullable<Shape>, T>
          : T;

type ExactArray<Shape, T extends readonly unknown[]> = Shape extends readonly (infer Element)[]
  ? { [I in keyof T]: Exact<Element, T[I]> }
  : T;

type ExactObject<Shape, T> = Shape extends object
  ? string extends keyof Shape
    ? T
    : { [P in keyof T]: P extends keyof Shape ? Exact<Shape[P], T[P]> : never }
  : T;
