/**
 * The content helpers on their own, with a hand-written check of a small shape (`{ name: string, items: [{ n: int }] }`)
 * as generated code would call them: JSON paths built only for findings, the path stack restored between values,
 * the findings budget per value, and values that cannot be read.
 */
import { describe, expect, it } from "vitest";
import {
  checkContentListProperty,
  checkContentValue,
  checkJsonContent,
  isJsonObject,
  reportContentMissing,
  reportContentType,
  RULES,
  validateWith,
  type ValidationContext,
  type RegistryValidator,
} from "../src/internal.js";

function checkItem(value: unknown, ctx: ValidationContext): void {
  if (!isJsonObject(value)) return reportContentType("an object", value, ctx);
  const n = value["n"];
  if (n === undefined) reportContentMissing("n", "item", ctx);
  else if (!Number.isInteger(n)) checkContentValue(n, "n", "int", false, false, ctx);
}

function checkThing(value: unknown, ctx: ValidationContext): void {
  if (!isJsonObject(value)) return reportContentType("an object", value, ctx);
  const name = value["name"];
  if (name !== undefined && typeof name !== "string") checkContentValue(name, "name", "string", false, false, ctx);
  const items = value["items"];
  if (items === undefined) reportContentMissing("items", "thing", ctx);
  else checkContentListProperty(items, "items", checkItem, false, ctx);
}

const registry: RegistryValidator = {
  name: "test",
  spanKinds: [],
  // A registry without span kinds judges the spans carrying its keys (claim.ts), so it owns them.
  owns: (key) => key === "things" || key === "other",
  checkKey(key, value, ctx) {
    if (key !== "things" && key !== "other") return false;
    checkJsonContent(key, value, ctx, checkThing, true, true);
    return true;
  },
  checkRequirements: () => {},
  suggestions: [],
};
const run = (attributes: Record<string, unknown>) =>
  validateWith([registry], attributes).map((f) => `${f.rule} ${f.key}`);

describe("content helpers", () => {
  it("name each finding by its JSON path, in text and structured values alike", () => {
    const doc = [{ name: "a", items: [{ n: 1 }, { n: 1.5 }, {}] }, { name: 3, items: "x" }, 7];
    const want = [
      "content.type things[0].items[1].n",
      "content.required things[0].items[2].n",
      "content.type things[1].name",
      "content.type things[1].items",
      "content.type things[2]",
    ];
    expect(run({ things: JSON.stringify(doc) })).toEqual(want);
    expect(run({ things: doc })).toEqual(want);
  });

  it("restore the path between values: the next attribute's paths start at its own key", () => {
    expect(run({ things: [{ items: [{ n: "x" }] }], other: [{ items: [{}] }] })).toEqual([
      "content.type things[0].items[0].n",
      "content.required other[0].items[0].n",
    ]);
  });

  it("report at most 100 findings per value, then one content.truncated", () => {
    const findings = validateWith([registry], { things: Array.from({ length: 300 }, () => ({})) });
    expect(findings).toHaveLength(101);
    expect(findings.at(-1)).toMatchObject({
      rule: RULES.CONTENT_TRUNCATED,
      severity: "info",
      key: "things[100].items",
    });
  });

  it("never throw: a value whose getter throws is one finding at its path", () => {
    const trap = {
      get n(): number {
        throw new Error("no reading");
      },
    };
    const findings = validateWith([registry], { things: [{ items: [{ n: 1 }, trap] }] });
    expect(findings.map((f) => `${f.rule} ${f.key} ${f.message}`)).toEqual([
      "content.type things[0].items[1] `things[0].items[1]` could not be read: no reading",
    ]);
    // The context is usable afterwards.
    expect(run({ things: [{ items: [{}] }] })).toEqual(["content.required things[0].items[0].n"]);
  });

  it("JSON text that does not parse, and values that are neither text nor structured", () => {
    expect(run({ things: "[{" })).toEqual(["value.json things"]);
    expect(run({ things: 5, other: new Uint8Array([1]) })).toEqual(["value.type things", "value.type other"]);
  });

  it("check the content of JSON text up to maxContentChars; longer text for its syntax only, with an info", () => {
    const text = JSON.stringify([{ items: [{}] }]);
    expect(run({ things: text })).toEqual(["content.required things[0].items[0].n"]);
    const limited = validateWith([registry], { things: text }, { maxContentChars: text.length - 1 });
    expect(limited.map((f) => `${f.severity} ${f.rule} ${f.key}`)).toEqual(["info content.not-checked things"]);
    expect(limited[0]!.message).toBe(
      `\`things\` holds ${text.length} characters of JSON text, more than the ${text.length - 1} whose content is checked: only its syntax was checked`,
    );
    expect(validateWith([registry], { things: "[{" }, { maxContentChars: 1 }).map((f) => f.rule)).toEqual([
      "value.json",
      "content.not-checked",
    ]);
    // The option holds for one call: the next one has the default again.
    expect(run({ things: text })).toEqual(["content.required things[0].items[0].n"]);
  });
});
