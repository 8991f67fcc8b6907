/**
 * migrate's facts from this repository's registries: the renamed constants and the builders' alias fields with
 * the fields they write now, as spec/genai and spec/openinference state them (deprecated + renamed_to).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readSpec } from "@semtrace/spec";
import { describe, expect, it } from "vitest";
import { packageFacts, type InputShape } from "../src/migrate/facts.js";
import { builtInRegistryDir } from "../src/migrate/registries.js";

const SPEC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../spec");

async function facts(name: string) {
  const { registry, diagnostics } = await readSpec(path.join(SPEC, name));
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return packageFacts(registry!, registry!.packageName!);
}

function aliases(shape: InputShape, prefix = ""): string[] {
  return [...shape.fields].flatMap(([name, child]) => [
    ...(child.rename ? [`${prefix}${name} → ${child.rename.to.join(".")}`] : []),
    ...aliases(child, `${prefix}${name}.`),
  ]);
}

describe("migrate facts", () => {
  it("genai: renamed attributes and enum members, and the builders' alias fields", async () => {
    const genai = await facts("genai");
    expect(genai.specifier).toBe("@semtrace/genai");
    expect(Object.fromEntries(genai.constantRenames)).toMatchObject({
      ATTR_GEN_AI_USAGE_PROMPT_TOKENS: "ATTR_GEN_AI_USAGE_INPUT_TOKENS",
      ATTR_GEN_AI_USAGE_COMPLETION_TOKENS: "ATTR_GEN_AI_USAGE_OUTPUT_TOKENS",
      ATTR_GEN_AI_OPENAI_REQUEST_SEED: "ATTR_GEN_AI_REQUEST_SEED",
    });
    const inference = genai.inputs.get("InferenceAttributesInput");
    expect(inference).toBeDefined();
    expect(aliases(inference!)).toEqual(
      expect.arrayContaining(["usage.promptTokens → usage.inputTokens", "openai.request.seed → request.seed"]),
    );
  });

  it("every rename points at a constant that is not itself renamed", async () => {
    for (const name of ["genai", "openinference"]) {
      const { constantRenames } = await facts(name);
      for (const to of constantRenames.values()) expect(constantRenames.has(to)).toBe(false);
    }
  });

  it("finds the built-in registries from source (the build copies them into dist/registries)", () => {
    expect(builtInRegistryDir("genai")).toBe(path.join(SPEC, "genai"));
  });
});
