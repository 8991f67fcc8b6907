/**
 * `validateWith` / `createValidator` with hand-written registry validators (what generated code
 * does, in miniature): index gaps, span kinds (missing, mismatch, unknown, from the options),
 * unknown keys and suggestions, combining registries; and the value checks generated code calls.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isJsonText } from "../src/checks.js";
import {
  type KeyPlan,
  ValidationContext,
  checkArrayOrJsonText,
  checkEnum,
  checkJson,
  checkJsonOrStructured,
  checkType,
  createValidator,
  enterIndex,
  hasKeyUnder,
  planKey,
  reportNoValue,
  validateWith,
  type Finding,
  type KeyCheck,
  type RegistryValidator,
  type ValueType,
} from "../src/internal.js";

/**
 * A tiny "shop" registry: `shop.kind` (CHECKOUT | BROWSE), `shop.id` (string, required on
 * CHECKOUT), `shop.items.<i>.sku` (string). Owns `shop`.
 */
const shop: RegistryValidator = {
  name: "shop",
  spanKindKey: "shop.kind",
  spanKinds: ["CHECKOUT", "BROWSE"],
  owns: (key) => key === "shop" || key.startsWith("shop."),
  checkKey(key, value, ctx) {
    switch (key) {
      case "shop.kind":
        if (checkType(key, value, "string", ctx)) checkEnum(key, value, new Set(["CHECKOUT", "BROWSE"]), true, ctx);
        return true;
      case "shop.id":
        checkType(key, value, "string", ctx);
        return true;
    }
    if (key.startsWith("shop.items.")) {
      const next = enterIndex(key, 11, ctx, "shop.items.");
      if (next < 0) return false;
      if (key.slice(next) === "sku") checkType(key, value, "string", ctx);
      else ctx.report({ key, rule: "index.unknown-field", severity: "error", message: "unknown field" });
      return true;
    }
    return false;
  },
  checkRequirements(attributes, kind, ctx) {
    if (kind === "CHECKOUT" && attributes["shop.id"] === undefined)
      ctx.report({ key: "shop.id", rule: "attribute.required", severity: "error", message: "required" });
  },
  suggestions: ["shop.kind", "shop.id", "shop.items.<i>.sku"],
};

/** A second registry without span kinds: `acme.n` (int), owns `acme`. */
const acme: RegistryValidator = {
  name: "acme",
  spanKinds: [],
  owns: (key) => key === "acme" || key.startsWith("acme."),
  checkKey(key, value, ctx) {
    if (key !== "acme.n") return false;
    checkType(key, value, "int", ctx);
    return true;
  },
  checkRequirements() {
    throw new Error("never called: acme has no span-kind attribute");
  },
  suggestions: ["acme.n"],
};

const rules = (findings: readonly Finding[]) => findings.map((f) => `${f.rule} ${f.key}`);
const base = { "shop.kind": "CHECKOUT", "shop.id": "s1" };

describe("validateWith", () => {
  it.each([
    ["no list", {}, []],
    ["0 only", { "shop.items.0.sku": "a" }, []],
    ["0, 1, 2", { "shop.items.0.sku": "a", "shop.items.2.sku": "c", "shop.items.1.sku": "b" }, []],
    [
      "a gap",
      { "shop.items.0.sku": "a", "shop.items.1.sku": "b", "shop.items.3.sku": "d" },
      ["index.gap shop.items.2"],
    ],
    ["not starting at 0", { "shop.items.1.sku": "b" }, ["index.gap shop.items.0"]],
    [
      "one element with several fields counts once",
      { "shop.items.0.sku": "a", "shop.items.0.other": "x" },
      ["index.unknown-field shop.items.0.other"],
    ],
  ] as const)("index gaps: %s", (_, items, want) => {
    expect(rules(validateWith([shop], { ...base, ...items }))).toEqual(want);
  });

  it("index gaps: the message lists at most five missing indices", () => {
    const [gap] = validateWith([shop], { ...base, "shop.items.0.sku": "a", "shop.items.9.sku": "z" });
    expect(gap).toMatchObject({
      rule: "index.gap",
      key: "shop.items.1",
      expected: "indices 0..9",
      actual: "indices 0, 9",
    });
    expect(gap!.message).toBe(
      "`shop.items.<i>` indices should start at 0 with no gaps: missing 1, 2, 3, 4, 5, … (highest is 9)",
    );
    expect(gap!.severity).toBe("warning");
  });

  it.each([
    ["missing", {}, {}, ["span-kind.missing shop.kind"]],
    ["missing, given by the caller", {}, { kind: "CHECKOUT" }, []],
    ["missing, the caller's kind is unknown", {}, { kind: "PAY" }, ["span-kind.unknown shop.kind"]],
    ["present and as expected", { "shop.kind": "BROWSE" }, { kind: "BROWSE" }, []],
    ["mismatch", { "shop.kind": "BROWSE" }, { kind: "CHECKOUT" }, ["span-kind.mismatch shop.kind"]],
    ["present but unknown: only the value is reported", { "shop.kind": "PAY" }, {}, ["value.enum shop.kind"]],
    ["present but not a string", { "shop.kind": 3 }, {}, ["value.type shop.kind"]],
  ] as const)("span kind %s", (_, kind, options, want) => {
    expect(rules(validateWith([shop], { "shop.id": "s1", ...kind }, options))).toEqual(want);
  });

  /** A second registry with span kinds (as GenAI beside OpenInference): `pay.kind` (CHARGE | REFUND), `pay.amount` required on CHARGE. */
  const pay: RegistryValidator = {
    name: "pay",
    spanKindKey: "pay.kind",
    spanKinds: ["CHARGE", "REFUND"],
    owns: (key) => key === "pay" || key.startsWith("pay."),
    checkKey(key, value, ctx) {
      if (key === "pay.kind") return (checkType(key, value, "string", ctx), true);
      if (key === "pay.amount") return (checkType(key, value, "double", ctx), true);
      return false;
    },
    checkRequirements(attributes, kind, ctx) {
      if (kind === "CHARGE" && attributes["pay.amount"] === undefined)
        ctx.report({ key: "pay.amount", rule: "attribute.required", severity: "error", message: "required" });
    },
    suggestions: ["pay.kind", "pay.amount"],
  };

  it.each([
    ["a shop span is held to shop only", { "shop.kind": "BROWSE" }, {}, []],
    ["a pay span is held to pay only", { "pay.kind": "CHARGE" }, {}, ["attribute.required pay.amount"]],
    [
      "a span with pay keys but no kind: pay's kind is missing, shop's is not asked for",
      { "pay.amount": 3.5 },
      {},
      ["span-kind.missing pay.kind"],
    ],
    [
      "a span declaring both kinds is held to both",
      { "shop.kind": "CHECKOUT", "pay.kind": "CHARGE" },
      {},
      ["attribute.required shop.id", "attribute.required pay.amount"],
    ],
    [
      "a declared pay span with a shop key is not asked for shop's kind, nor is the key checked",
      { "pay.kind": "REFUND", "shop.id": 5 },
      {},
      [],
    ],
    [
      "a declared pay span with a key in shop's namespace that shop does not define: one info naming shop",
      { "pay.kind": "REFUND", "shop.tracking": 5 },
      {},
      ["key.foreign shop.tracking"],
    ],
    [
      "a span without a kind but with keys of both is asked for both kinds",
      { "pay.amount": 1, "shop.id": "s1" },
      {},
      ["span-kind.missing shop.kind", "span-kind.missing pay.kind"],
    ],
    ["the caller's kind picks the registry that knows it", {}, { kind: "REFUND" }, []],
    ["a bare span is an other span: no registry judges it", { "other.key": 1 }, {}, []],
    [
      "a bare span in strict mode: one finding naming both kinds",
      { "other.key": 1 },
      { strict: true },
      ["span-kind.missing shop.kind"],
    ],
    [
      "a caller's kind no registry knows is reported once",
      { "pay.amount": 1 },
      { kind: "SHIP" },
      ["span-kind.unknown shop.kind"],
    ],
  ] as const)("several registries with span kinds: %s", (_, attributes, options, want) => {
    expect(rules(validateWith([shop, pay], attributes, options))).toEqual(want);
  });

  it("runs the requirement levels of the span kind, and only of a known kind", () => {
    expect(rules(validateWith([shop], { "shop.kind": "CHECKOUT" }))).toEqual(["attribute.required shop.id"]);
    expect(rules(validateWith([shop], { "shop.kind": "BROWSE" }))).toEqual([]);
    expect(rules(validateWith([shop], {}, { kind: "CHECKOUT" }))).toEqual(["attribute.required shop.id"]);
  });

  it("unknown keys: an error with a suggestion inside an owned namespace, nothing outside", () => {
    const findings = validateWith([shop], { ...base, "shop.idd": "x", "other.key": 1, "shopping.cart": 1 });
    expect(findings).toEqual([
      {
        key: "shop.idd",
        rule: "key.unknown",
        severity: "error",
        message: "`shop.idd` is not defined by the shop registry (did you mean `shop.id`?)",
        expected: "shop.id",
        actual: "shop.idd",
      },
    ]);
    expect(validateWith([shop], { ...base, "shop.zzzzzzzzzzzzzz": 1 })[0]).not.toHaveProperty("expected");
  });

  it("skips undefined values, as the OpenTelemetry API drops them", () => {
    expect(rules(validateWith([shop], { ...base, "shop.nope": undefined, "shop.items.3.sku": undefined }))).toEqual([]);
  });

  it("accepts a missing attribute record (an other span; in strict mode its kind is missing)", () => {
    expect(rules(validateWith([shop], undefined as never))).toEqual([]);
    expect(rules(validateWith([shop], undefined as never, { strict: true }))).toEqual(["span-kind.missing shop.kind"]);
  });
});

describe("combining registries", () => {
  const both = createValidator(shop, acme);

  it("each registry checks its own keys; keys outside both owned namespaces pass", () => {
    expect(
      rules(both.validateAttributes({ ...base, "acme.n": 1, "mycompany.x": "free", "http.method": "GET" })),
    ).toEqual([]);
    expect(rules(both.validateAttributes({ ...base, "acme.n": 1.5, "shop.id": 2 }))).toEqual([
      "value.type shop.id",
      "value.type acme.n",
    ]);
  });

  it("an unknown key is reported once, by the registry that owns it, with that registry's suggestions", () => {
    const findings = both.validateAttributes({ ...base, "acme.m": 1 });
    expect(findings.map((f) => [f.rule, f.key, f.expected, f.message])).toEqual([
      ["key.unknown", "acme.m", "acme.n", "`acme.m` is not defined by the acme registry (did you mean `acme.n`?)"],
    ]);
  });

  it("the span-kind rules come from the registries that define span kinds; a registry without kinds judges its own keys", () => {
    expect(rules(both.validateAttributes({ "acme.n": 1 }))).toEqual([]);
    expect(rules(both.validateAttributes({ "acme.n": 1.5 }))).toEqual(["value.type acme.n"]);
    expect(rules(both.validateAttributes({ "acme.n": 1 }, { strict: true }))).toEqual(["span-kind.missing shop.kind"]);
    expect(rules(createValidator(acme).validateAttributes({ "acme.n": 1 }))).toEqual([]);
  });

  it("validateSpan reads `attributes` and tolerates a span without them", () => {
    expect(rules(both.validateSpan({ name: "s", attributes: { ...base, "acme.n": "x" } }))).toEqual([
      "value.type acme.n",
    ]);
    expect(rules(both.validateSpan({ name: "s" }))).toEqual([]);
    expect(rules(both.validateSpan(undefined as never, { strict: true }))).toEqual(["span-kind.missing shop.kind"]);
  });

  it("a check that throws leaves nothing behind for the next call, and nested calls are independent", () => {
    const throwing: RegistryValidator = {
      ...acme,
      name: "throwing",
      checkKey: (key, _value, ctx) => {
        ctx.report({ key, rule: "value.type", severity: "error", message: "reported before throwing" });
        ctx.index("t.", 3);
        throw new Error("boom");
      },
    };
    expect(() => validateWith([throwing], { "acme.n": 1 })).toThrow("boom");
    expect(rules(validateWith([shop], base))).toEqual([]);
    let inner: Finding[] = [];
    const nesting: RegistryValidator = {
      ...acme,
      name: "nesting",
      checkKey: (key, _value, ctx) => {
        inner = validateWith([shop], { ...base, "shop.id": 5 });
        ctx.report({ key, rule: "value.type", severity: "error", message: "outer" });
        return true;
      },
    };
    expect(validateWith([nesting], { "acme.y": 1 }).map((f) => f.message)).toEqual(["outer"]);
    expect(rules(inner)).toEqual(["value.type shop.id"]);
    const first = validateWith([shop], { ...base, "shop.id": 5 });
    const second = validateWith([shop], { ...base, "shop.id": 6 });
    expect(first).not.toBe(second);
    expect(rules(first)).toEqual(["value.type shop.id"]);
  });

  it("the first registry that defines a key checks it", () => {
    const shadow: RegistryValidator = {
      ...acme,
      name: "shadow",
      owns: (key) => key.startsWith("shop."),
      checkKey: (key) => key === "shop.id",
    };
    expect(rules(createValidator(shadow, shop).validateAttributes({ ...base, "shop.id": 5 }))).toEqual([]);
    expect(rules(createValidator(shop, shadow).validateAttributes({ ...base, "shop.id": 5 }))).toEqual([
      "value.type shop.id",
    ]);
  });
});

describe("value checks", () => {
  const check = (value: unknown, type: ValueType) => {
    const ctx = new ValidationContext();
    const ok = checkType("k", value, type, ctx);
    return [ok, ...ctx.findings.map((f) => f.rule)];
  };

  it.each([
    ["a", "string", [true]],
    [1, "string", [false, "value.type"]],
    [3, "int", [true]],
    [3.5, "int", [false, "value.type"]],
    [3, "double", [true]],
    [Number.NaN, "double", [true]],
    [true, "boolean", [true]],
    ["true", "boolean", [false, "value.type"]],
    [["a", null, undefined], "string[]", [true]],
    [[1, 2], "int[]", [true]],
    [[1, 2.5], "int[]", [false, "value.array-mixed"]],
    [[1, 2.5], "double[]", [true]],
    [["a", 1], "string[]", [false, "value.array-mixed"]],
    [[1, 2], "string[]", [false, "value.type"]],
    ["a", "string[]", [false, "value.type"]],
    [{ a: 1 }, "any", [true]],
  ] as const)("checkType(%j, %s)", (value, type, want) => {
    expect(check(value, type)).toEqual(want);
  });

  it("checkArrayOrJsonText: an array, or the array JSON-encoded in a string (info)", () => {
    const ctx = new ValidationContext();
    const results = [["a"], '["a","b"]', "[]", '["a",1]', "a,b", "{", 3, '"a"'].map((v) =>
      checkArrayOrJsonText("k", v, "string[]", ctx),
    );
    expect(results).toEqual([true, true, true, false, false, false, false, false]);
    expect(ctx.findings.map((f) => `${f.severity} ${f.rule}`)).toEqual([
      "info value.json-encoded",
      "info value.json-encoded",
      "error value.type",
      "error value.type",
      "error value.type",
      "error value.type",
      "error value.type",
    ]);
  });

  it("checkEnum: error for closed enums, info for open ones", () => {
    const ctx = new ValidationContext();
    const members = new Set(["a", "b"]);
    checkEnum("k", "a", members, true, ctx);
    checkEnum("k", "c", members, true, ctx);
    checkEnum("k", "c", members, false, ctx);
    expect(ctx.findings.map((f) => [f.rule, f.severity, f.expected])).toEqual([
      ["value.enum", "error", 'one of "a", "b"'],
      ["value.enum", "info", 'one of "a", "b"'],
    ]);
  });

  it.each([
    ["JSON text", '[{"role":"user"}]', []],
    ["text that does not parse", '[{"role"', ["value.json"]],
    ["an array (OTLP arrayValue)", [{ role: "user" }], []],
    ["a map (OTLP kvlistValue)", { city: "Paris" }, []],
    ["a number", 3, ["value.type"]],
    ["a boolean", true, ["value.type"]],
    ["bytes", new Uint8Array([1]), ["value.type"]],
  ] as const)("checkJsonOrStructured: %s", (_, value, want) => {
    const ctx = new ValidationContext();
    checkJsonOrStructured("gen_ai.input.messages", value, ctx);
    expect(ctx.findings.map((f) => f.rule)).toEqual(want);
  });

  it("checkJson reports text that does not parse", () => {
    const ctx = new ValidationContext();
    for (const text of ['{"a":1}', "[]", "3", '"s"', "null", "{", "", "{'a':1}"]) checkJson("k", text, ctx);
    expect(ctx.findings.map((f) => f.actual)).toEqual(['"{"', '""', "\"{'a':1}\""]);
  });

  it("reportNoValue: a value on a key that only names a structure is a type error", () => {
    const ctx = new ValidationContext();
    reportNoValue("llm.cost", 1, "namespace", ctx);
    reportNoValue("llm.input_messages", "x", "list", ctx);
    expect(ctx.findings.map((f) => [f.rule, f.expected])).toEqual([
      ["value.type", "no value (a namespace)"],
      ["value.type", "no value (set the fields under `llm.input_messages.` instead)"],
    ]);
  });

  it.each([
    ["a.0.x", 2, 4, 0],
    ["a.12.x", 2, 5, 12],
    ["a.0", 2, -1, undefined],
    ["a.0.", 2, 4, 0],
    ["a.01.x", 2, -1, undefined],
    ["a.00.x", 2, -1, undefined],
    ["a.x.y", 2, -1, undefined],
    ["a..y", 2, -1, undefined],
    ["a.-1.y", 2, -1, undefined],
    ["a.1e3.y", 2, -1, undefined],
  ] as const)("enterIndex(%j, %i)", (key, pos, next, index) => {
    const ctx = new ValidationContext();
    expect(enterIndex(key, pos, ctx)).toBe(next);
    expect([...ctx.lists]).toEqual(index === undefined ? [] : [["a.", new Set([index])]]);
  });

  it("enterIndex records under the given prefix without slicing the key", () => {
    const ctx = new ValidationContext();
    enterIndex("list.3.f", 5, ctx, "list.");
    enterIndex("list.4.f", 5, ctx, "list.");
    expect(ctx.lists.get("list.")).toEqual(new Set([3, 4]));
  });

  it("hasKeyUnder: some key with a value under the prefix", () => {
    expect(hasKeyUnder({ "a.b.0.c": 1 }, "a.b.")).toBe(true);
    expect(hasKeyUnder({ "a.bc": 1, "a.b": 1 }, "a.b.")).toBe(false);
    expect(hasKeyUnder({ "a.b.0.c": undefined }, "a.b.")).toBe(false);
  });

  it("hasKeyUnder reuses the keys validateWith listed, for the same record only", () => {
    const attributes = { "a.b.0.c": 1 };
    const ctx = new ValidationContext();
    ctx.attributes = attributes;
    ctx.keys = ["x.y"];
    expect(hasKeyUnder(attributes, "a.b.", ctx)).toBe(false); // the listed keys are what counts
    expect(hasKeyUnder(attributes, "x.", ctx)).toBe(false); // …with the record's values
    expect(hasKeyUnder({ "a.b.0.c": 1 }, "a.b.", ctx)).toBe(true); // another record: its own keys
  });

  it("index records each (prefix, index) once, however often it repeats", () => {
    const ctx = new ValidationContext();
    for (const [p, i] of [
      ["a.", 0],
      ["a.", 0],
      ["b.", 0],
      ["a.", 0],
      ["a.", 2],
      ["b.", 1],
    ] as const)
      ctx.index(p, i);
    expect([...ctx.lists]).toEqual([
      ["a.", new Set([0, 2])],
      ["b.", new Set([0, 1])],
    ]);
  });

  it("planKey resolves a key once and replays its list indices on every use", () => {
    const cache = new Map<string, KeyPlan>();
    let resolved = 0;
    const deep: KeyCheck = () => {};
    const shallow: KeyCheck = () => {};
    const resolve = (key: string, plan: KeyPlan) => {
      resolved++;
      const next = enterIndex(key, 2, plan, "a.");
      if (next < 0) return undefined;
      return enterIndex(key, next + 2, plan) < 0 ? shallow : deep;
    };
    const seen: unknown[] = [];
    const sink = { index: (prefix: string, index: number) => seen.push([prefix, index]) };
    expect(planKey(cache, "a.1.b.2.c", resolve, sink)).toBe(deep);
    expect(planKey(cache, "a.1.b.2.c", resolve, sink)).toBe(deep);
    expect(planKey(cache, "a.x", resolve, sink)).toBeUndefined();
    expect(planKey(cache, "a.4.c", resolve, sink)).toBe(shallow);
    expect(resolved).toBe(3);
    expect(seen).toEqual([
      ["a.", 1],
      ["a.1.b.", 2],
      ["a.", 1],
      ["a.1.b.", 2],
      ["a.", 4],
    ]);
    // Long keys are not remembered, but resolve the same.
    const long = `a.0.${"x".repeat(300)}`;
    expect(planKey(cache, long, resolve, sink)).toBe(shallow);
    expect(cache.has(long)).toBe(false);
  });
});

describe("isJsonText: exactly the text JSON.parse accepts", () => {
  const parses = (text: string) => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };

  it.each([
    '{"a":1}',
    ' [ 1 , -0.5e+3 , true , false , null , "s\\" \\u00e9\\n" ] ',
    "{}",
    "[]",
    "[[]]",
    '{"a":{"b":[{}]}}',
    "0",
    "-0",
    "1E9",
    '""',
    '"\ud800"',
    "",
    " ",
    "{",
    "}",
    "[1,]",
    "[,1]",
    '{"a":1,}',
    '{"a"}',
    "{a:1}",
    "{'a':1}",
    "01",
    "1.",
    ".5",
    "-",
    "+1",
    "1e",
    "1e+",
    "0x1",
    "NaN",
    "Infinity",
    "tru",
    "nul",
    '"a',
    '"\\x"',
    '"\\u12g4"',
    '"\t"',
    "\ufeff{}",
    "\u00a0{}",
    "[1]]",
    "[1} ",
    '{"a":1]',
    "1 2",
    "[1 2]",
    '{"a" 1}',
    '{"a":}',
  ])("%j", (text) => {
    expect(isJsonText(text)).toBe(parses(text));
  });

  it("deep nesting is left to JSON.parse", () => {
    const deep = `${"[".repeat(100)}${"]".repeat(100)}`;
    expect(isJsonText(deep)).toBe(false);
    const ctx = new ValidationContext();
    checkJson("k", deep, ctx);
    expect(ctx.findings).toEqual([]);
  });

  it("agrees with JSON.parse on generated JSON and on mutations of it", () => {
    const alphabet = [...'{}[],:"\\ \t\n-+.eE0123456789aeflnrstu/'];
    const mutated = fc
      .tuple(fc.json(), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...alphabet)), { maxLength: 4 }))
      .map(([text, edits]) => {
        let t = text;
        for (const [at, how, ch] of edits) {
          const p = t.length === 0 ? 0 : at % (t.length + 1);
          t =
            how % 3 === 0
              ? t.slice(0, p) + ch + t.slice(p)
              : how % 3 === 1
                ? t.slice(0, p) + t.slice(p + 1)
                : t.slice(0, p) + ch + t.slice(p + 1);
        }
        return t;
      });
    fc.assert(
      fc.property(
        fc.oneof(fc.json(), mutated, fc.string(), fc.string({ unit: fc.constantFrom(...alphabet) })),
        (text) => {
          expect(isJsonText(text)).toBe(parses(text));
        },
      ),
      { numRuns: 20000 },
    );
  });
});
