/**
 * Emits a compiled mapping as code: the plan as a constant and one function per direction, each a call into
 * @semtrace/runtime's translation engine with that plan.
 */
import type { TranslationPlan } from "@semtrace/runtime/internal";
import {
  array,
  call,
  constant,
  literal,
  object,
  ret,
  type CodeFile,
  type Expr,
  type GeneratedFile,
  type MappingHeader,
} from "@semtrace/spec/internal";

/** Plain data (what a plan holds) as a literal expression; undefined properties are left out. */
export function dataLiteral(value: unknown): Expr {
  if (Array.isArray(value)) return array(value.map(dataLiteral));
  if (typeof value === "object" && value !== null) {
    return object(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([name, v]) => ({ name, value: dataLiteral(v) })),
    );
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return literal(value);
  throw new Error(`a plan holds only JSON data, found ${typeof value}`);
}

export function emitMapping(header: MappingHeader, plan: TranslationPlan): GeneratedFile[] {
  const params = [{ name: "attributes", type: "Readonly<Record<string, unknown>>" }];
  const file: CodeFile = {
    kind: "code",
    path: "translate.ts",
    doc: `${header.brief}\n\nGenerated from the \`${header.name}\` mapping, checked against both registries.`,
    declarations: [
      {
        kind: "import",
        from: "@semtrace/runtime/internal",
        names: [
          { name: "currentGenAIKeys" },
          { name: "translateToGenAI" },
          { name: "translateToOpenInference" },
          { name: "Translation", typeOnly: true },
          { name: "TranslatedValue", typeOnly: true },
          { name: "TranslationPlan", typeOnly: true },
        ],
      },
      constant("PLAN", dataLiteral(plan), {
        type: "TranslationPlan",
        doc: "The mapping, compiled: every key exists in its registry with the type given.",
      }),
      {
        kind: "function",
        name: "toGenAI",
        exported: true,
        params,
        returnType: "Translation",
        doc:
          "OpenInference span attributes → OpenTelemetry GenAI (`gen_ai.*`) attributes. Returns the translated attributes alone, " +
          "the span name GenAI gives such a span, and every OpenInference attribute with no GenAI counterpart (with the reason). Never throws.",
        body: [ret(call("translateToGenAI", ["PLAN", "attributes"]))],
      },
      {
        kind: "function",
        name: "toOpenInference",
        exported: true,
        params,
        returnType: "Translation",
        doc:
          "OpenTelemetry GenAI attributes (current keys, and deprecated ones with their replacement's meaning) → OpenInference attributes. " +
          "Returns the translated attributes alone and every GenAI attribute with no OpenInference counterpart (with the reason). Never throws.",
        body: [ret(call("translateToOpenInference", ["PLAN", "attributes"]))],
      },
      {
        kind: "function",
        name: "currentGenAI",
        exported: true,
        params,
        returnType: "Record<string, TranslatedValue>",
        doc:
          "The current GenAI keys a span written with deprecated ones lacks (`gen_ai.provider.name` from `gen_ai.system`, " +
          "`gen_ai.usage.input_tokens` from `gen_ai.usage.prompt_tokens`, …), values renamed; empty when it lacks none. Never throws.",
        body: [ret(call("currentGenAIKeys", ["PLAN", "attributes"]))],
      },
      { kind: "export-from", from: "@semtrace/runtime/internal", names: ["TRANSLATION_RULES"] },
      {
        kind: "export-from",
        from: "@semtrace/runtime/internal",
        names: ["Translation", "UnmappedAttribute", "TranslatedValue", "TranslationRuleId"],
        typeOnly: true,
      },
    ],
  };
  const index: CodeFile = {
    kind: "code",
    path: "index.ts",
    doc: `Everything generated from the \`${header.name}\` mapping.`,
    declarations: [{ kind: "export-from", from: "./translate.js" }],
  };
  return [file, index];
}
