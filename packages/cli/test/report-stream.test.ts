import { describe, expect, it } from "vitest";
import { JsonCollector, ReportCollector, TextCollector, render, type Collector } from "../src/validate/report.js";

const severities = ["error", "warning", "info"] as const;

function fill<T extends Collector>(c: T, n: number): T {
  c.spans = n;
  for (let i = 0; i < n; i++) {
    c.add(
      {
        traceId: `t${i}`,
        spanId: `s${i}`,
        spanName: i % 7 === 0 ? "" : `span "${i}" ✓ 𝄞 \u2028`,
        key: `k.${i % 5}`,
        rule: `rule.${i % 3}`,
        severity: severities[i % 3]!,
        message: `bad \\ value\n${"é".repeat(i % 11)}\ud800`,
      },
      { file: "f.jsonl" },
    );
  }
  c.reject({ source: { file: "f.jsonl" }, reason: "invalid JSON" });
  return c;
}

describe("streaming collectors", () => {
  it("json: byte-for-byte the rendered report, in memory and spooled to a temporary file", () => {
    for (const n of [0, 1, 5, 3000]) {
      const full = fill(new ReportCollector("json"), n);
      const expected = render(full.report(), "json", { color: false, failOn: "error" });
      for (const spoolAt of [1, 1000, 8 * 1024 * 1024]) {
        const out: string[] = [];
        fill(new JsonCollector(spoolAt), n).write((s) => out.push(s));
        expect(out.join("")).toBe(expected);
      }
    }
  });

  it("text: the rendered report when under the per-rule limit; counts the rest past it", () => {
    const full = fill(new ReportCollector("text"), 30);
    const out: string[] = [];
    fill(new TextCollector(), 30).write((s) => out.push(s), { color: false });
    expect(out.join("")).toBe(render(full.report(), "text", { color: false, failOn: "error" }));
    const capped: string[] = [];
    const c = fill(new TextCollector(4), 30);
    c.write((s) => capped.push(s), { color: false });
    const text = capped.join("");
    expect(text).toMatch(/^rule\.0 \(10\)\n/m);
    expect(text).toContain("  … and 6 more (use --reporter json for all of them)");
    expect(text.trimEnd().split("\n").at(-1)).toBe("30 spans, 10 errors, 10 warnings, 10 infos, 1 record rejected");
    expect(c.fails("error")).toBe(true);
  });
});
