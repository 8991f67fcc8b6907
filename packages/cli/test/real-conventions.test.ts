/**
 * Real spans of other projects' instrumentations (recorded by tools/real-spans against the mock OpenAI server),
 * validated with both built-in registries: not one false error. OpenInference's own instrumentation, the
 * OpenTelemetry GenAI instrumentation (each release), and OpenLLMetry's (`@traceloop/instrumentation-openai`).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { GENAI_RELEASES, loadFixture, loadGenAIFixture, loadOpenLLMetryFixture, type SpansFixture } from "@semtrace/real-spans";
import { describe, expect, it } from "vitest";
import { runValidateCommand } from "../src/validate/command.js";
import { tempDir } from "./helpers/tmp.js";

const fixtures: [string, SpansFixture][] = [
  ["@arizeai/openinference-instrumentation-openai", loadFixture()],
  ...GENAI_RELEASES.map((r): [string, SpansFixture] => [`@opentelemetry/instrumentation-openai ${r}`, loadGenAIFixture(r)]),
  ["@traceloop/instrumentation-openai (OpenLLMetry)", loadOpenLLMetryFixture()],
];

describe("real spans of other projects, both built-in registries: zero false errors", () => {
  it.each(fixtures)("%s", async (_, fixture) => {
    const spans = Object.values(fixture.scenarios).flatMap((s) => s.spans);
    const file = join(tempDir("conventions"), "spans.json");
    writeFileSync(file, JSON.stringify(spans.map((s, i) => ({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: (i + 1).toString(16).padStart(16, "0"), name: s.name, attributes: s.attributes }))));
    let stdout = "";
    const code = await runValidateCommand(["--reporter", "json", file], { stdout: (s) => (stdout += s), stderr: () => {}, cwd: "/", progress: false, color: false });
    const report = JSON.parse(stdout);
    const errors = report.findings.filter((f: { severity: string }) => f.severity === "error").map((f: { spanName: string; rule: string; key: string }) => `${f.spanName}: ${f.rule} ${f.key}`);
    // Errors that are the instrumentation's, not false ones: the GenAI instrumentation writes the deprecated
    // gen_ai.system and not gen_ai.provider.name; OpenLLMetry writes gen_ai.usage.total_tokens, which the
    // OpenTelemetry registry does not define (an open question: see the i11 report).
    const known = /(attribute\.required gen_ai\.provider\.name|key\.unknown gen_ai\.usage\.total_tokens)$/;
    expect(errors.filter((e: string) => !known.test(e))).toEqual([]);
    expect(report.summary.spans).toBe(spans.length);
    expect(report.summary.other).toBe(0);
    expect([0, 1]).toContain(code);
  });
});
