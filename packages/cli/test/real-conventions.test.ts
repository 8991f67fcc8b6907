/**
 * Real spans of other projects' instrumentations (recorded by tools/real-spans against the mock OpenAI server),
 * validated with both built-in registries: not one false error. OpenInference's own instrumentation, the
 * OpenTelemetry GenAI instrumentation (each release), and OpenLLMetry's (`@traceloop/instrumentation-openai`).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  GENAI_RELEASES,
  loadFixture,
  loadGenAIFixture,
  loadOpenLLMetryFixture,
  loadReplayedFixtures,
  type SpansFixture,
} from "@semtrace/real-spans";
import { describe, expect, it } from "vitest";
import { runValidateCommand } from "../src/validate/command.js";
import { tempDir } from "./helpers/tmp.js";

// The one error that is the instrumentation's, not a false one: the GenAI instrumentation writes the deprecated
// gen_ai.system and not gen_ai.provider.name. OpenLLMetry's gen_ai.usage.total_tokens, which upstream does not define,
// is recorded in spec/genai/registry/recorded.yaml: a deprecation warning, never an error.
const GENAI_OWN_ERROR = /: attribute\.required gen_ai\.provider\.name$/;
const NONE = /$^/;

const fixtures: [string, SpansFixture, RegExp][] = [
  ["@arizeai/openinference-instrumentation-openai", loadFixture(), NONE],
  ...GENAI_RELEASES.map((r): [string, SpansFixture, RegExp] => [
    `@opentelemetry/instrumentation-openai ${r}`,
    loadGenAIFixture(r),
    GENAI_OWN_ERROR,
  ]),
  ["@traceloop/instrumentation-openai (OpenLLMetry)", loadOpenLLMetryFixture(), NONE],
];

type FixtureSpan = SpansFixture["scenarios"][string]["spans"][number];

/** Validates the spans as one file with both built-in registries; the json report and the exit code. */
async function validateSpans(spans: readonly Pick<FixtureSpan, "name" | "attributes">[]) {
  const file = join(tempDir("conventions"), "spans.json");
  writeFileSync(
    file,
    JSON.stringify(
      spans.map((s, i) => ({
        traceId: "0af7651916cd43dd8448eb211c80319c",
        spanId: (i + 1).toString(16).padStart(16, "0"),
        name: s.name,
        attributes: s.attributes,
      })),
    ),
  );
  let stdout = "";
  const code = await runValidateCommand(["--reporter", "json", file], {
    stdout: (s) => (stdout += s),
    stderr: () => {},
    cwd: "/",
    progress: false,
    color: false,
  });
  return { code, report: JSON.parse(stdout) };
}

describe("real spans of other projects, both built-in registries: zero false errors", () => {
  it.each(fixtures)("%s", async (_, fixture, instrumentationsOwn) => {
    const spans = Object.values(fixture.scenarios).flatMap((s) => s.spans);
    const { code, report } = await validateSpans(spans);
    const errors = report.findings
      .filter((f: { severity: string }) => f.severity === "error")
      .map((f: { spanName: string; rule: string; key: string }) => `${f.spanName}: ${f.rule} ${f.key}`);
    expect(errors.filter((e: string) => !instrumentationsOwn.test(e))).toEqual([]);
    expect(report.summary.spans).toBe(spans.length);
    expect(report.summary.other).toBe(0);
    expect(code).toBe(errors.length === 0 ? 0 : 1);
  });

  it("OpenLLMetry's gen_ai.usage.total_tokens is a deprecation warning naming input and output tokens, on each span that carries it", async () => {
    const spans = Object.values(loadOpenLLMetryFixture().scenarios).flatMap((s) => s.spans);
    const carrying = spans.filter((s) => "gen_ai.usage.total_tokens" in s.attributes).length;
    expect(carrying).toBeGreaterThan(0);
    const { code, report } = await validateSpans(spans);
    const findings = report.findings.filter((f: { key: string }) => f.key === "gen_ai.usage.total_tokens");
    expect(findings).toHaveLength(carrying);
    for (const f of findings) {
      expect(f.severity).toBe("warning");
      expect(f.message).toContain("gen_ai.usage.input_tokens");
    }
    expect(code).toBe(0);
  });
});

describe("spans replayed from other projects' tests (tools/real-spans/test/fixtures/replayed), both built-in registries: no error or warning but the documented ones", () => {
  it.each(loadReplayedFixtures().map((f) => [f.file, f] as const))("%s", async (_, fixture) => {
    expect(fixture.spans.length).toBeGreaterThan(0);
    for (const span of fixture.spans) {
      expect(span.source.commit).toMatch(/^[0-9a-f]{40}$/);
      for (const e of span.expected ?? [])
        expect(e.why.length, `${span.source.test}: ${e.rule} ${e.key} says why`).toBeGreaterThan(20);
      for (const key of span.representative ?? []) expect(span.attributes, span.source.test).toHaveProperty([key]);
    }
    const { code, report } = await validateSpans(fixture.spans);
    const got = fixture.spans.map(() => [] as string[]);
    for (const f of report.findings as { severity: string; rule: string; key: string; spanId: string }[]) {
      if (f.severity !== "info") got[Number.parseInt(f.spanId, 16) - 1]!.push(`${f.severity} ${f.rule} ${f.key}`);
    }
    const want = fixture.spans.map((s) => (s.expected ?? []).map((e) => `${e.severity} ${e.rule} ${e.key}`).sort());
    const label = (i: number) => `${fixture.spans[i]!.name} (${fixture.spans[i]!.source.test})`;
    expect(Object.fromEntries(got.map((g, i) => [`${i} ${label(i)}`, g.sort()]))).toEqual(
      Object.fromEntries(want.map((w, i) => [`${i} ${label(i)}`, w])),
    );
    expect(report.summary.spans).toBe(fixture.spans.length);
    expect(report.summary.other).toBe(0);
    const errors = want.flat().filter((w) => w.startsWith("error ")).length;
    expect(code).toBe(errors === 0 ? 0 : 1);
  });

  it("every replayed span of OpenInference's instrumentations is judged by the openinference registry", () => {
    for (const fixture of loadReplayedFixtures().filter((f) => f.file.startsWith("openinference-"))) {
      for (const span of fixture.spans)
        expect(span.attributes["openinference.span.kind"], `${fixture.file}: ${span.source.test}`).toBeTypeOf("string");
    }
  });
});
