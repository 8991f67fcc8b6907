/**
 * `specialise`: a copy of a generated writer compiled from its own source with the key table's string fields
 * as literals, behaving exactly as the writer does.
 */
import { describe, expect, it } from "vitest";
import { elementKeys, internalize, specialise } from "../src/internal.js";

interface Keys {
  readonly prefix: string;
  readonly role: string;
  readonly items: Keys[];
  nested: Keys | undefined;
  write: typeof writeThing;
}

interface Helpers {
  readonly tag: string;
  readonly thingKeys: (prefix: string) => Keys;
  readonly elementKeys: typeof elementKeys;
}

/** A writer shaped like a generated one: everything it uses comes through its parameters (its copies see no module scope). */
function writeThing(
  out: Record<string, unknown>,
  keys: Keys,
  input: { role?: unknown; items?: unknown[] } | null,
  helpers: Helpers,
): boolean {
  if (input == null) return false;
  // A string that looks like a table read stays as written: "keys.role".
  out["keys.role"] = "keys.role";
  if (input.role != null) out[keys.role] = input.role;
  out[keys.prefix + "tag"] = helpers.tag;
  if (Array.isArray(input.items)) {
    for (let i = 0; i < input.items.length; i++) {
      const element = keys.items[i] ?? helpers.elementKeys(keys.items, i, keys.prefix + "items.", helpers.thingKeys);
      element.write(out, element, input.items[i] as { role?: unknown }, helpers);
    }
  }
  return true;
}

function thingKeys(prefix: string): Keys {
  return { prefix, role: internalize(`${prefix}role`), items: [], nested: undefined, write: writeThing };
}

const helpers: Helpers = { tag: "seen", thingKeys, elementKeys };

describe("specialise", () => {
  it("compiles the writer from its source, the table's string fields as literals", () => {
    const keys = thingKeys("llm.input_messages.0.");
    const specialised = specialise(writeThing, keys);
    expect(specialised).not.toBe(writeThing);
    const source = specialised.toString();
    expect(source).toContain('"llm.input_messages.0.role"');
    expect(source).toContain('"llm.input_messages.0." + "tag"');
    expect(source).toContain('"keys.role"');
    // Non-string fields are still read from the table at run time.
    expect(source).toContain("keys.items[i]");
  });

  it("behaves exactly as the writer, whatever table it is then given", () => {
    const input = { role: "user", items: [{ role: "a" }, { role: "b" }] };
    const keys = thingKeys("p.");
    const want: Record<string, unknown> = {};
    writeThing(want, keys, input, helpers);
    const got: Record<string, unknown> = {};
    specialise(writeThing, thingKeys("p."))(got, thingKeys("ignored."), input, helpers);
    expect(got).toEqual(want);
    expect(Object.keys(got)).toEqual([
      "keys.role",
      "p.role",
      "p.tag",
      "p.items.0.role",
      "p.items.0.tag",
      "p.items.1.role",
      "p.items.1.tag",
    ]);
  });

  it("keys that look like code stay string literals", () => {
    const keys = { ...thingKeys(""), role: '"); throw new Error("x"); ("' };
    const out: Record<string, unknown> = {};
    specialise(writeThing, keys)(out, keys, { role: 1 }, helpers);
    expect(out['"); throw new Error("x"); ("']).toBe(1);
  });

  it("reads the table parameter by whatever name the writer gives it (a minifier's, say)", () => {
    const minified = new Function(
      "return function w(e,t,n,r){if(n==null)return!1;e[t.role]=n.role;e[t.items]=r;return!0}",
    )() as typeof writeThing;
    const specialised = specialise(minified, thingKeys("m."));
    expect(specialised.toString()).toContain('e["m.role"]=n.role');
    expect(specialised.toString()).toContain("e[t.items]");
  });

  it("falls back to the writer itself when its source is not available or code generation is not allowed", () => {
    expect(specialise(writeThing.bind(null), thingKeys("p."))).toBeTypeOf("function");
    const bound = writeThing.bind(null);
    expect(specialise(bound, thingKeys("p."))).toBe(bound);
    const original = globalThis.Function;
    try {
      // A Content-Security-Policy without 'unsafe-eval' makes the Function constructor throw.
      (globalThis as { Function: unknown }).Function = function blocked() {
        throw new EvalError("Code generation from strings disallowed");
      };
      expect(specialise(writeThing, thingKeys("p."))).toBe(writeThing);
    } finally {
      (globalThis as { Function: unknown }).Function = original;
    }
  });
});

describe("elementKeys", () => {
  it("makes the table of `<list prefix><index>.` and keeps it for the first elements only", () => {
    const cache: Keys[] = [];
    expect(elementKeys(cache, 3, "l.", thingKeys).role).toBe("l.3.role");
    expect(cache[3]?.prefix).toBe("l.3.");
    expect(elementKeys(cache, 256, "l.", thingKeys).prefix).toBe("l.256.");
    expect(cache.length).toBe(4);
  });
});
