/**
 * The check of unknown builder input fields: reported once per builder and field, list elements and nested groups
 * followed, open (template) groups accepted, sampled after the first 32 calls, a throwing hook contained, the number
 * of distinct reports capped.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  inputChecker,
  MAX_REPORTED_INPUTS,
  onUnknownBuilderInput,
  type InputShape,
  type UnknownBuilderInput,
} from "../src/internal.js";

const SHAPE: InputShape = [
  ["model", 1],
  ["usage", [["inputTokens", 1]]],
  [
    "messages",
    {
      list: [
        ["role", 1],
        ["content", 1],
      ],
    },
  ],
  [
    "metadata",
    [
      ["*", 1],
      ["owner", 1],
    ],
  ],
  ["__proto__", 1],
];

let seen: UnknownBuilderInput[] = [];
afterEach(() => {
  onUnknownBuilderInput(undefined);
  seen = [];
});

function listen(): void {
  onUnknownBuilderInput((r) => seen.push(r));
}

describe("inputChecker", () => {
  it("reports unknown fields at every level once, by path, list elements as []", () => {
    listen();
    const check = inputChecker("buildTestAttributes", SHAPE);
    const input = {
      model: "m",
      modle: "typo",
      usage: { inputTokens: 1, promptTokens: 2 },
      messages: [
        { role: "user", text: "hi" },
        { role: "x", text: "again" },
      ],
      metadata: { anything: 1 },
    };
    check(input);
    check(input);
    expect(seen).toEqual([
      { builder: "buildTestAttributes", field: "modle" },
      { builder: "buildTestAttributes", field: "usage.promptTokens" },
      { builder: "buildTestAttributes", field: "messages[].text" },
    ]);
  });

  it("reports nothing without a hook, for known inputs, or for non-objects", () => {
    const check = inputChecker("buildQuietAttributes", SHAPE);
    check({ nope: 1 });
    listen();
    check({ model: "m", usage: null, messages: "not a list", metadata: { owner: "me" } });
    check(JSON.parse('{"__proto__": 1, "constructor": 2}'));
    expect(seen).toEqual([{ builder: "buildQuietAttributes", field: "constructor" }]);
    seen = [];
    check(null);
    check("a string");
    expect(seen).toEqual([]);
  });

  it("checks the first 32 calls, then one in 256", () => {
    listen();
    const check = inputChecker("buildSampledAttributes", SHAPE);
    for (let i = 0; i < 32; i++) check({ model: "m" });
    check({ late: 1 }); // call 33: not checked
    expect(seen).toEqual([]);
    for (let i = 34; i < 256; i++) check({ model: "m" });
    check({ late: 1 }); // call 256: checked
    expect(seen).toEqual([{ builder: "buildSampledAttributes", field: "late" }]);
  });

  it("contains a throwing hook, and stops at the cap of distinct reports", () => {
    onUnknownBuilderInput(() => {
      throw new Error("hook failed");
    });
    expect(() => inputChecker("buildThrowingAttributes", SHAPE)({ x: 1 })).not.toThrow();
    listen();
    const check = inputChecker("buildManyAttributes", []);
    for (let i = 0; i < 32; i++) check(Object.fromEntries(Array.from({ length: 100 }, (_, j) => [`f${i}_${j}`, 1])));
    expect(seen.length).toBeLessThanOrEqual(MAX_REPORTED_INPUTS);
    expect(seen.length).toBeGreaterThan(MAX_REPORTED_INPUTS - 10);
  });

  it("onUnknownBuilderInput returns the previous hook", () => {
    const first = () => undefined;
    expect(onUnknownBuilderInput(first)).toBeUndefined();
    expect(onUnknownBuilderInput(undefined)).toBe(first);
  });
});
