/**
 * `safeJsonStringify` / `toJsonAttribute`: the documented table of awkward inputs, then a property
 * over everything fast-check can generate plus hand-made hostile objects: it never throws, and
 * always returns JSON text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeJsonStringify, toJsonAttribute } from "../src/index.js";

const circular = (): unknown => {
  const a: Record<string, unknown> = { x: 1 };
  a["self"] = a;
  return a;
};
const circularArray = (): unknown => {
  const a: unknown[] = [1];
  a.push({ back: a });
  return a;
};
const shared = (): unknown => {
  const o = { v: 1 };
  return { a: o, b: [o, o] };
};
const nested = (depth: number): unknown => {
  let v: unknown = "bottom";
  for (let i = 0; i < depth; i++) v = { d: v };
  return v;
};
const throwingGetter = () =>
  Object.defineProperty({ y: 1 }, "x", {
    enumerable: true,
    get() {
      throw new Error("getter");
    },
  });
const revokedProxy = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const trapProxy = (): object =>
  new Proxy(
    { a: 1 },
    {
      ownKeys() {
        throw new Error("ownKeys");
      },
    },
  );

const TABLE: readonly (readonly [name: string, input: () => unknown, json: string])[] = [
  [
    "plain object",
    () => ({ a: 1, b: "x", c: true, d: null, e: [1, "2"] }),
    '{"a":1,"b":"x","c":true,"d":null,"e":[1,"2"]}',
  ],
  ["string (top level)", () => "already text", '"already text"'],
  ["circular object", circular, '{"x":1,"self":"[Circular]"}'],
  ["circular through an array", circularArray, '[1,{"back":"[Circular]"}]'],
  ["the same object twice is not circular", shared, '{"a":{"v":1},"b":[{"v":1},{"v":1}]}'],
  ["BigInt in an object", () => ({ n: 12345678901234567890n }), '{"n":"12345678901234567890"}'],
  ["BigInt at the top level", () => -5n, '"-5"'],
  ["Error", () => new Error("boom"), '{"name":"Error","message":"boom"}'],
  [
    "Error subclass with an Error cause",
    () => new Error("outer", { cause: new TypeError("inner") }),
    '{"name":"Error","message":"outer","cause":{"name":"TypeError","message":"inner"}}',
  ],
  [
    "Error with a plain cause",
    () => new RangeError("r", { cause: { code: 42 } }),
    '{"name":"RangeError","message":"r","cause":{"code":42}}',
  ],
  [
    "Error whose cause is itself",
    () => {
      const e = new Error("loop");
      (e as { cause?: unknown }).cause = e;
      return e;
    },
    '{"name":"Error","message":"loop","cause":"[Circular]"}',
  ],
  ["Error with a BigInt name", () => Object.assign(new Error("m"), { name: 7n }), '{"name":"7","message":"m"}'],
  [
    "undefined, function, symbol in an object are omitted",
    () => ({ u: undefined, f: () => 1, s: Symbol("s"), k: 1 }),
    '{"k":1}',
  ],
  [
    "undefined, function, symbol in an array become null",
    () => [undefined, () => 1, Symbol("s"), 2],
    "[null,null,null,2]",
  ],
  ["undefined at the top level", () => undefined, "null"],
  ["function at the top level", () => () => 1, "null"],
  ["symbol at the top level", () => Symbol("x"), "null"],
  ["NaN and ±Infinity", () => [NaN, Infinity, -Infinity, -0], "[null,null,null,0]"],
  // Integer-like keys come first, as in any JavaScript object.
  [
    "Map (keys stringified)",
    () =>
      new Map<unknown, unknown>([
        ["a", 1],
        [2, "b"],
        [{}, true],
        ["u", undefined],
      ]),
    '{"2":"b","a":1,"[object Object]":true}',
  ],
  ["Set", () => new Set([1, "a", undefined]), '[1,"a",null]'],
  ["Date (its toJSON)", () => new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), '"2024-01-02T03:04:05.000Z"'],
  ["typed arrays", () => ({ u8: new Uint8Array([1, 2]), big: new BigInt64Array([3n]) }), '{"u8":[1,2],"big":["3"]}'],
  ["a throwing getter", throwingGetter, '{"y":1,"x":"[Unserializable]"}'],
  [
    "a throwing toJSON",
    () => ({
      a: {
        toJSON() {
          throw new Error("no");
        },
      },
      b: 1,
    }),
    '{"a":"[Unserializable]","b":1}',
  ],
  [
    "a toJSON returning its own object",
    () => {
      const o = {
        toJSON() {
          return o;
        },
      };
      return o;
    },
    '"[Circular]"',
  ],
  ["a revoked proxy", () => ({ p: revokedProxy(), ok: 1 }), '{"p":"[Unserializable]","ok":1}'],
  ["a proxy whose ownKeys trap throws", () => [trapProxy(), 1], '["[Unserializable]",1]'],
  [
    "an array with a throwing index getter",
    () =>
      Object.defineProperty([1, 2], 0, {
        get() {
          throw new Error("i");
        },
      }),
    '["[Unserializable]",2]',
  ],
  ["nesting deeper than 64", () => nested(70), `${'{"d":'.repeat(64)}"[Too deep]"${"}".repeat(64)}`],
  [
    "__proto__ as an own key",
    () => JSON.parse('{"__proto__":{"polluted":true},"a":1}') as unknown,
    '{"__proto__":{"polluted":true},"a":1}',
  ],
  ["__proto__ as a Map key", () => new Map([["__proto__", 1]]), '{"__proto__":1}'],
  ["null-prototype object", () => Object.assign(Object.create(null) as object, { a: 1 }), '{"a":1}'],
  ["symbol keys are ignored", () => ({ [Symbol("s")]: 1, a: 2 }), '{"a":2}'],
  [
    "non-enumerable properties are ignored",
    () => Object.defineProperty({ a: 1 }, "hidden", { value: 2, enumerable: false }),
    '{"a":1}',
  ],
  ["boxed primitives", () => [new String("s"), new Number(1), new Boolean(false)], '["s",1,false]'],
];

describe("safeJsonStringify", () => {
  it.each(TABLE)("%s", (_, input, json) => {
    expect(safeJsonStringify(input())).toBe(json);
  });

  it("never pollutes Object.prototype", () => {
    safeJsonStringify(JSON.parse('{"__proto__":{"polluted":true}}'));
    safeJsonStringify(new Map([["__proto__", { polluted: true }]]));
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});

describe("toJsonAttribute", () => {
  it("passes strings through (they are JSON text already) and serialises anything else safely", () => {
    expect(toJsonAttribute('{"a":1}')).toBe('{"a":1}');
    expect(toJsonAttribute("not json")).toBe("not json");
    expect(toJsonAttribute({ a: 1n })).toBe('{"a":"1"}');
    expect(toJsonAttribute(undefined)).toBe("null");
    expect(toJsonAttribute(circular())).toBe('{"x":1,"self":"[Circular]"}');
  });
});

/** Values that throw from every hook JSON.stringify or a serialiser might touch. */
const HOSTILE: readonly (() => unknown)[] = [
  revokedProxy,
  trapProxy,
  throwingGetter,
  () =>
    new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error("proto");
        },
      },
    ),
  () =>
    new Proxy([], {
      get() {
        throw new Error("get");
      },
    }),
  () =>
    new Proxy(
      { a: 1 },
      {
        getOwnPropertyDescriptor() {
          throw new Error("desc");
        },
      },
    ),
  () => ({
    toJSON: () => {
      throw new Error("toJSON");
    },
  }),
  () => ({ toJSON: () => 10n }),
  () => ({
    get toJSON() {
      throw new Error("toJSON getter");
    },
  }),
  () => ({
    [Symbol.toPrimitive]() {
      throw new Error("prim");
    },
    toString() {
      throw new Error("str");
    },
  }),
  () =>
    new Map([
      [
        {
          toString() {
            throw new Error("key");
          },
        },
        1,
      ],
    ]),
  () => {
    const s = new Set([1]);
    (s as unknown as { [Symbol.iterator]: () => never })[Symbol.iterator] = () => {
      throw new Error("iter");
    };
    return s;
  },
  () =>
    Object.defineProperty(new Error("e"), "cause", {
      get() {
        throw new Error("cause");
      },
    }),
  () =>
    Object.defineProperty(new Error("e"), "message", {
      get() {
        throw new Error("msg");
      },
    }),
  () => Object.defineProperty(new Error("e"), "name", { get: () => circular() }),
  circular,
  circularArray,
  () => nested(200),
  () => new Array(5),
  () => new DataView(new ArrayBuffer(4)),
  () => Object.create(throwingGetter()) as object,
];

/**
 * fast-check itself inspects generated values (a revoked proxy breaks it), so the arbitrary
 * generates a plan and the property builds the hostile values from it.
 */
type Plan =
  | { readonly value: unknown }
  | { readonly hostile: number }
  | { readonly array: Plan[] }
  | { readonly object: [string, Plan][] };

function build(plan: Plan): unknown {
  if ("value" in plan) return plan.value;
  if ("hostile" in plan) return HOSTILE[plan.hostile]!();
  if ("array" in plan) return plan.array.map(build);
  const out: Record<string, unknown> = {};
  for (const [k, v] of plan.object)
    Object.defineProperty(out, k, { value: build(v), enumerable: true, writable: true, configurable: true });
  return out;
}

describe("safeJsonStringify never throws and always returns JSON text", () => {
  const value = fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
    maxDepth: 4,
  });

  it("for anything fast-check generates", () => {
    fc.assert(
      fc.property(value, (v) => {
        const out = safeJsonStringify(v);
        expect(typeof out).toBe("string");
        expect(() => JSON.parse(out)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it("for anything with hostile objects injected at any depth", () => {
    const plan: fc.Arbitrary<Plan> = fc.letrec<{ node: Plan }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        value.map((v) => ({ value: v })),
        fc.nat({ max: HOSTILE.length - 1 }).map((i) => ({ hostile: i })),
        fc.array(tie("node"), { maxLength: 3 }).map((array) => ({ array })),
        fc.array(fc.tuple(fc.string(), tie("node")), { maxLength: 3 }).map((object) => ({ object })),
      ),
    })).node;
    fc.assert(
      fc.property(plan, (p) => {
        const v = build(p);
        const out = safeJsonStringify(v);
        expect(() => JSON.parse(out)).not.toThrow();
        expect(typeof toJsonAttribute(v)).toBe("string");
      }),
      { numRuns: 1000 },
    );
  });
});

describe("safeJsonStringify: containers huge to walk but small to hold stop at the value budget", () => {
  const cases: [string, () => unknown][] = [
    ["a sparse array of 2^32 - 1 holes", () => new Array(2 ** 32 - 1)],
    ["a sparse array nested in an object", () => ({ a: { b: new Array(2 ** 31) } })],
    ["a typed array of 64M bytes", () => new Uint8Array(64 * 1024 * 1024)],
    ["a Set of 3M numbers", () => new Set(Array.from({ length: 3_000_000 }, (_, i) => i))],
  ];
  it.each(cases)('%s: the first million values, then "[Truncated]"', (_name, make) => {
    const out = safeJsonStringify(make());
    expect(out.length).toBeLessThan(12_000_000);
    expect(out).toContain('"[Truncated]"');
    expect(() => JSON.parse(out)).not.toThrow();
  });

  it("an array within the budget is whole", () => {
    const out = JSON.parse(safeJsonStringify(new Array(1000).fill(1))) as unknown[];
    expect(out).toHaveLength(1000);
    expect(out).not.toContain("[Truncated]");
  });

  it("an object whose keys pass the budget keeps the first ones and marks the rest", () => {
    // A dense array spends most of the budget, so the object after it crosses the limit within its own keys
    // (cheaper to build than an object of a million keys, which took 30 s on a loaded CI machine).
    const keys: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) keys[`k${i}`] = i;
    const out = JSON.parse(safeJsonStringify({ spent: new Array(999_500).fill(0), keys })) as {
      spent: unknown[];
      keys: Record<string, unknown>;
    };
    expect(out.spent).toHaveLength(999_500);
    expect(out.keys["k0"]).toBe(0);
    expect(out.keys["[Truncated]"]).toBe("[Truncated]");
    const kept = Object.keys(out.keys).length;
    expect(kept).toBeGreaterThan(1);
    expect(kept).toBeLessThan(1000);
  });
});
