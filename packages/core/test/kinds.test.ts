/**
 * Core's span kinds come from the generated registry package: the kinds from `OpenInferenceSpanKindValues`, their initial
 * attributes from `buildSpanKindAttributes`, and the one table core writes (kind → builder) must be the generator's
 * own plan for spec/openinference: every span kind with a builder gets exactly that generated function, the others
 * none. A spec change that adds a kind or renames a builder fails here (or at compile time), never silently.
 */
import { fileURLToPath } from "node:url";
import { buildRegistry } from "@semtrace/codegen";
import * as openinference from "@semtrace/openinference";
import { describe, expect, it } from "vitest";
import { planBuilders } from "../../../tools/spec/src/emit/builder-plan.js";
import { KIND_ATTRIBUTES, KIND_BUILDERS, normalizeKind } from "../src/kinds.js";

const SPEC = fileURLToPath(new URL("../../../spec/openinference", import.meta.url));

describe("kind → builder", () => {
  it("is the generator's plan: each span kind's generated builder, and none for kinds without one", async () => {
    const { registry, diagnostics } = await buildRegistry(SPEC);
    if (!registry)
      throw new Error(`spec/openinference does not build: ${diagnostics.map((d) => d.message).join("; ")}`);
    const planned = new Map(
      planBuilders(registry)
        .scopes.filter((s) => s.kind === "span")
        .map((s) => [s.kindValue!, s.functionName]),
    );
    expect(planned.size).toBeGreaterThan(0);

    const generated = openinference as unknown as Record<string, unknown>;
    const expected = Object.fromEntries(
      Object.values(openinference.OpenInferenceSpanKindValues).map((kind) => [
        kind,
        planned.has(kind) ? generated[planned.get(kind)!] : undefined,
      ]),
    );
    for (const fn of Object.values(expected)) if (fn !== undefined) expect(typeof fn).toBe("function");
    expect(KIND_BUILDERS).toEqual(expected);
    // Every planned span builder belongs to a kind of the enum.
    expect([...planned.keys()].filter((kind) => !(kind in KIND_BUILDERS))).toEqual([]);
  });
});

describe("kinds", () => {
  it("every kind of the registry starts with its generated kind attribute; an operation with none", () => {
    const kinds = Object.values(openinference.OpenInferenceSpanKindValues);
    expect(Object.keys(KIND_ATTRIBUTES).sort()).toEqual([...kinds, "OPERATION"].sort());
    for (const kind of kinds) expect(KIND_ATTRIBUTES[kind]).toEqual({ [openinference.OPENINFERENCE_SPAN_KIND]: kind });
    expect(KIND_ATTRIBUTES.OPERATION).toBeUndefined();
  });

  it.each([
    ["LLM", "LLM"],
    ["llm", "LLM"],
    ["Retriever", "RETRIEVER"],
    ["operation", "OPERATION"],
    ["unknown", "UNKNOWN"],
    ["constructor", "UNKNOWN"],
    ["__proto__", "UNKNOWN"],
    ["", "UNKNOWN"],
    ["x".repeat(1_000_000), "UNKNOWN"],
    [42, "UNKNOWN"],
    [undefined, "UNKNOWN"],
  ])("normalizeKind(%j) is %s", (input, kind) => {
    expect(normalizeKind(input)).toBe(kind);
  });

  it("normalises every kind of the registry, in either case", () => {
    for (const kind of Object.values(openinference.OpenInferenceSpanKindValues)) {
      expect(normalizeKind(kind)).toBe(kind);
      expect(normalizeKind(kind.toLowerCase())).toBe(kind);
    }
  });
});
