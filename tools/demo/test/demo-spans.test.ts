/**
 * The spans `npm run demo` writes (a support agent traced with @semtrace/core on the real OpenTelemetry SDK, and the
 * GenAI span of its model client with messages, system instructions and tool definitions) validate against both
 * built-in registries with no errors or warnings, content included, as `semtrace validate -r openinference -r genai`
 * checks them at the end of the demo.
 */
import { genaiRegistry } from "@semtrace/genai";
import { openinferenceRegistry } from "@semtrace/openinference";
import { createValidator } from "@semtrace/runtime";
import { describe, expect, it } from "vitest";
import { traceSupportAgent } from "../trace-and-validate.mjs";

const validator = createValidator(openinferenceRegistry, genaiRegistry);
const CONTENT = [
  "gen_ai.system_instructions",
  "gen_ai.input.messages",
  "gen_ai.output.messages",
  "gen_ai.tool.definitions",
];

describe("the demo's spans", () => {
  it("validate with no errors or warnings, their GenAI content included", async () => {
    const spans = await traceSupportAgent();
    expect(spans.map((s) => s.name).sort()).toEqual(
      ["chat gpt-4o-mini", "chat gpt-4o-mini", "lookup_order", "support-agent"].sort(),
    );
    const genai = spans.find((s) => s.attributes["gen_ai.operation.name"] === "chat")!;
    for (const key of CONTENT) expect(typeof genai.attributes[key], key).toBe("string");
    for (const span of spans) {
      const findings = validator.validateSpan(span).filter((f) => f.severity !== "info");
      expect({ span: span.name, findings }).toEqual({ span: span.name, findings: [] });
    }
    // The content is really checked: the same span with a message part that lost its `type` is an error there.
    const broken = JSON.parse(genai.attributes["gen_ai.input.messages"] as string) as {
      parts: Record<string, unknown>[];
    }[];
    delete broken[1]!.parts[0]!["type"];
    const findings = validator.validateSpan({
      attributes: { ...genai.attributes, "gen_ai.input.messages": JSON.stringify(broken) },
    });
    expect(findings.filter((f) => f.severity === "error").map((f) => `${f.rule} ${f.key}`)).toEqual([
      "content.required gen_ai.input.messages[1].parts[0].type",
    ]);
  });
});
