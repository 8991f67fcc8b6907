/**
 * What the reports keep and print: the first findings of each rule and the first rejected records of each kind
 * (every reporter but json, which lists all findings), the rest counted and said; and text from the traces printed
 * escaped in the text and GitHub reports, so a span name cannot drive the terminal or forge a workflow command.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { runValidateCommand } from "../src/validate/command.js";
import { printable } from "../src/validate/printable.js";
import { ReportCollector, collectorFor, type Collector, type ReportFinding } from "../src/validate/report.js";
import { tempDir } from "./helpers/tmp.js";

const dir = tempDir("report-caps");

async function validate(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runValidateCommand(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: dir,
    progress: false,
    color: false,
  });
  return { code, stdout, stderr };
}

const finding = (i: number, rule: string, severity: ReportFinding["severity"]): ReportFinding => ({
  traceId: "t",
  spanId: `s${i}`,
  spanName: `span ${i}`,
  key: "k",
  rule,
  severity,
  message: `m${i}`,
});

/** 10 spans: each has an error of rule `a`, spans 0–3 also a warning of rule `b`; 7 rejected records of two kinds. */
function fill(c: Collector): Collector {
  c.spans = 12;
  for (let i = 0; i < 10; i++) {
    const source = { file: "f.jsonl", line: i + 1 };
    c.add(finding(i, "a", "error"), source);
    if (i < 4) c.add(finding(i, "b", "warning"), source);
  }
  for (let i = 0; i < 5; i++) c.reject({ source: { file: "f.jsonl", line: 100 + i }, reason: "invalid JSON: nope" });
  for (let i = 0; i < 2; i++)
    c.reject({ source: { file: "f.jsonl", line: 200 + i }, reason: "wrong shape: resourceSpans: expected an array" });
  return c;
}

function rendered(reporter: "text" | "junit" | "sarif" | "github" | "json"): string {
  let out = "";
  fill(collectorFor(reporter, { findingsPerRule: 2, listedPerKind: 1 })).write((s) => (out += s), {
    color: false,
    failOn: "error",
  });
  return out;
}

describe("caps: the first findings of each rule, the first rejected records of each kind, the rest counted", () => {
  it("text", () => {
    const text = rendered("text");
    expect(text).toContain(
      "a (10)\n  error   span 0 [t/s0]: m0\n  error   span 1 [t/s1]: m1\n  … and 8 more (use --reporter json for all of them)\n",
    );
    expect(text).toContain("b (4)\n  warning span 0 [t/s0]: m0\n  warning span 1 [t/s1]: m1\n  … and 2 more");
    expect(text).toContain(
      "rejected records (7)\n  f.jsonl:100: invalid JSON: nope\n  f.jsonl:200: wrong shape: resourceSpans: expected an array\n  … and 4 more rejected records of this kind: invalid JSON (--max-listed-per-kind)\n  … and 1 more rejected record of this kind: wrong shape (--max-listed-per-kind)\n",
    );
    expect(text.trimEnd().split("\n").at(-1)).toBe("12 spans, 10 errors, 4 warnings, 0 infos, 7 records rejected");
  });

  it("junit: a test case per span listed, one per rule and per kind left out (failing when the rule fails), passing spans counted", () => {
    const xml = rendered("junit");
    expect(XMLValidator.validate(xml)).toBe(true);
    const suite = new XMLParser({ ignoreAttributes: false }).parse(xml).testsuites.testsuite;
    const cases = suite.testcase as {
      "@_classname": string;
      "@_name": string;
      failure?: unknown;
      error?: unknown;
      "system-out"?: string;
    }[];
    expect(cases.filter((c) => c["@_classname"] === "t.s0" || c["@_classname"] === "t.s1")).toHaveLength(2);
    expect(cases.find((c) => c["@_name"] === "a: 8 more")?.failure).toBeDefined();
    expect(cases.find((c) => c["@_name"] === "b: 2 more")?.["system-out"]).toContain(
      "2 more warning findings of b are not listed (--max-findings-per-rule)",
    );
    expect(cases.find((c) => c["@_name"] === "invalid JSON: 4 more")?.error).toBeDefined();
    // 12 spans, 10 of them with findings.
    expect(cases.find((c) => c["@_classname"] === "spans")?.["@_name"]).toBe("2 span(s) without findings");
    expect(suite["@_failures"]).toBe("3"); // s0, s1 and the 8 more errors of `a`
    expect(suite["@_errors"]).toBe("4"); // 2 rejected records listed, 2 kinds with more
  });

  it("sarif: results listed, the rest in tool execution notifications tied to their rule", () => {
    const sarif = JSON.parse(rendered("sarif"));
    const run = sarif.runs[0];
    expect(run.results.filter((r: { ruleId: string }) => r.ruleId === "a")).toHaveLength(2);
    expect(run.results.filter((r: { ruleId: string }) => r.ruleId === "input.rejected")).toHaveLength(2);
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual(["a", "b", "input.rejected"]);
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: "note",
            message: {
              text: "8 more error results of a are not listed (--max-findings-per-rule); use --reporter json for all of them",
            },
            associatedRule: { id: "a" },
          },
          {
            level: "note",
            message: {
              text: "2 more warning results of b are not listed (--max-findings-per-rule); use --reporter json for all of them",
            },
            associatedRule: { id: "b" },
          },
          {
            level: "error",
            message: { text: "4 more rejected records of this kind: invalid JSON (--max-listed-per-kind)" },
            associatedRule: { id: "input.rejected" },
          },
          {
            level: "error",
            message: { text: "1 more rejected records of this kind: wrong shape (--max-listed-per-kind)" },
            associatedRule: { id: "input.rejected" },
          },
        ],
      },
    ]);
    for (const n of run.invocations[0].toolExecutionNotifications) expect(ids).toContain(n.associatedRule.id);
  });

  it("github: annotations listed, a notice per rule left out, an error per kind", () => {
    const lines = rendered("github").trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("::error file=f.jsonl,line=") && l.includes("title=a "))).toHaveLength(2);
    expect(lines).toContain(
      "::notice title=a%3A 8 more::8 more error findings of a are not annotated (--max-findings-per-rule); use --reporter json for all of them",
    );
    expect(lines).toContain(
      "::error title=rejected records::4 more rejected records of this kind: invalid JSON (--max-listed-per-kind)",
    );
    expect(lines.at(-1)).toBe("12 spans, 10 errors, 4 warnings, 0 infos, 7 records rejected");
  });

  it("json lists every finding (it spools them to disk), and counts the rejected records", () => {
    const report = JSON.parse(rendered("json"));
    expect(report.findings).toHaveLength(14);
    expect(report.summary).toEqual({ spans: 12, errors: 10, warnings: 4, infos: 0, rejected: 7 });
  });

  it("a collector without caps (collectReport's) keeps everything", () => {
    const report = (fill(new ReportCollector()) as ReportCollector).report();
    expect(report.findings).toHaveLength(14);
    expect(report.rejected).toHaveLength(7);
    expect(report.totals).toBeUndefined();
  });

  it("the flags reach the report; 0 lists none", async () => {
    const file = join(dir, "caps.jsonl");
    const span = {
      name: "s",
      attributes: [
        { key: "openinference.span.kind", value: { stringValue: "LLM" } },
        { key: "llm.token_count.prompt", value: { stringValue: "x" } },
      ],
    };
    writeFileSync(
      file,
      `${JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span, span, span] }] }] })}\nnope\nnope\n`,
    );
    const { code, stdout, stderr } = await validate([
      "--max-findings-per-rule",
      "0",
      "--max-listed-per-kind",
      "0",
      file,
    ]);
    expect(code).toBe(2);
    expect(stdout).toContain("value.type (3)\n  … and 3 more (use --reporter json for all of them)");
    expect(stderr).toBe(
      "semtrace validate: … and 2 more rejected records of this kind: invalid JSON (--max-listed-per-kind)\n",
    );
    for (const [flag, value] of [
      ["--max-findings-per-rule", "-1"],
      ["--max-listed-per-kind", "x"],
      ["--max-record-bytes", "12Q"],
      ["--max-depth", "0"],
      ["--max-span-values", "1.5"],
      ["--max-document-spans", ""],
    ]) {
      const bad = await validate([`${flag}=${value}`, file]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(`${flag} expects`);
    }
    expect((await validate(["--max-record-bytes", "2M", "--max-document-bytes", "1g", file])).code).toBe(2);
  });
});

describe("text from the traces is escaped in the text and GitHub reports (and on stderr)", () => {
  const hostile = "name\u001b]0;owned\u0007\u001b[31mred\r\n::error::forged\u202egnp.exe\u0000";

  it("printable escapes control characters, line breaks and bidi overrides, and nothing else", () => {
    expect(printable(hostile)).toBe("name\\x1b]0;owned\\x07\\x1b[31mred\\r\\n::error::forged\\u202egnp.exe\\x00");
    expect(printable("plain — é 𝄞 \\x")).toBe("plain — é 𝄞 \\x");
    expect(printable("\u0085\u009b\u2028\u2066")).toBe("\\x85\\x9b\\u2028\\u2066");
  });

  it("span names, keys and values reach the text and github reports escaped; rejected records on stderr too", async () => {
    const file = join(dir, "hostile.jsonl");
    const span = {
      name: hostile,
      attributes: [
        { key: "openinference.span.kind", value: { stringValue: "LLM" } },
        { key: "llm.token_count.prompt", value: { stringValue: hostile } },
        { key: `llm.bad\u001b[2J`, value: { stringValue: "x" } },
      ],
    };
    writeFileSync(
      file,
      `${JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] })}\n{"a": \u001b[2J}\n`,
    );
    for (const reporter of ["text", "github"]) {
      const { code, stdout, stderr } = await validate(["--reporter", reporter, file]);
      expect(code).toBe(2);
      for (const out of [stdout, stderr]) {
        expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
        expect(out.split("\n").some((line) => line.startsWith("::error::forged"))).toBe(false);
      }
      const shown = "name\\x1b]0;owned\\x07\\x1b[31mred\\r\\n::error::forged\\u202egnp.exe\\x00";
      expect(stdout).toContain(reporter === "github" ? shown.replaceAll(":", "%3A") : shown);
      expect(stdout).toContain("llm.bad\\x1b[2J");
      expect(stderr).toContain("\\x1b[2J");
    }
  });
});
