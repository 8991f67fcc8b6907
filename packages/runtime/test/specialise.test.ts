import { describe, expect, it } from "vitest";
import { specialise } from "../src/index.js";

const generic = (out: Record<string, unknown>, K: { f0: string }, input: { a?: unknown } | null) => {
  if (input?.a == null) return false;
  out[K.f0] = input.a;
  return true;
};
const body = 'if (input == null || input.a == null) return false; out[K.f0] = input.a; out.dep = D.tag; return true;';

describe("specialise", () => {
  it("compiles a writer with the table's keys as literals and the helpers in D", () => {
    const table = { f0: 'llm.input_messages.0.message.role' };
    const w = specialise(body, table, { tag: "deps-seen" }, generic);
    expect(w).not.toBe(generic);
    expect(w.toString()).toContain('out["llm.input_messages.0.message.role"] = input.a');
    const out: Record<string, unknown> = {};
    // The table argument is ignored by the literal stores: a different table cannot change the keys.
    expect(w(out, { f0: "other" }, { a: "user" })).toBe(true);
    expect(out).toEqual({ "llm.input_messages.0.message.role": "user", dep: "deps-seen" });
  });

  it("keys that look like code stay string literals", () => {
    const w = specialise(body, { f0: '"); throw new Error("x"); ("' }, { tag: 1 }, generic);
    const out: Record<string, unknown> = {};
    w(out, { f0: "" }, { a: 1 });
    expect(Object.keys(out)).toEqual(['"); throw new Error("x"); ("', "dep"]);
  });

  it("falls back to the generic writer when code generation is not possible", () => {
    expect(specialise("this is not JavaScript (", { f0: "k" }, {}, generic)).toBe(generic);
    const original = globalThis.Function;
    try {
      // A Content-Security-Policy without 'unsafe-eval' makes the Function constructor throw.
      (globalThis as { Function: unknown }).Function = function blocked() {
        throw new EvalError("Code generation from strings disallowed");
      };
      expect(specialise(body, { f0: "k" }, {}, generic)).toBe(generic);
    } finally {
      (globalThis as { Function: unknown }).Function = original;
    }
  });
});
