/**
 * Help texts group the digits of their defaults with `groupDigits` rather than `toLocaleString("en-US")`, whose first
 * call loads ICU's number formatting (~25 ms of a cold start): the two must write every number alike.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupDigits } from "../src/validate/limits.js";

describe("groupDigits", () => {
  it.each([0, 7, 999, 1000, 65_536, 1_000_000, 1_048_576, 123_456_789, Number.MAX_SAFE_INTEGER])(
    "%i as toLocaleString('en-US') writes it",
    (n) => {
      expect(groupDigits(n)).toBe(n.toLocaleString("en-US"));
    },
  );

  it("any safe whole number", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        (n) => groupDigits(n) === n.toLocaleString("en-US"),
      ),
    );
  });
});
