/**
 * The validation report and its renderings: text (grouped by rule), json, junit, github, sarif.
 */
import type { Severity } from "@semtrace/runtime";
import type { Source } from "./input.js";

export interface ReportFinding {
  readonly traceId: string;
  readonly spanId: string;
  readonly spanName: string;
  readonly key: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
}

export interface Rejection {
  readonly source: Source;
  readonly reason: string;
}

export interface Report {
  readonly spans: number;
  readonly findings: readonly ReportFinding[];
  /** Where each finding's span came from (same index as `findings`). */
  readonly sources: readonly Source[];
  readonly rejected: readonly Rejection[];
}

export const REPORTERS = ["text", "json", "junit", "github", "sarif"] as const;
export type ReporterName = (typeof REPORTERS)[number];

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

export function counts(report: Report): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of report.findings) {
    if (f.severity === "error") errors++;
    else if (f.severity === "warning") warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

/** `file:line` / `file@byte` / `file` */
export function where(source: Source): string {
  if (source.line !== undefined) return `${source.file}:${source.line}`;
  if (source.offset !== undefined) return `${source.file} (byte ${source.offset})`;
  return source.file;
}

export function rejectionText(r: Rejection): string {
  return `${where(r.source)}: ${r.reason}`;
}

export function render(report: Report, reporter: ReporterName, options: { color: boolean; failOn: Severity }): string {
  switch (reporter) {
    case "json":
      return `${JSON.stringify(jsonReport(report), null, 2)}\n`;
    case "junit":
      return junit(report, options.failOn);
    case "github":
      return github(report);
    case "sarif":
      return `${JSON.stringify(sarif(report), null, 2)}\n`;
    default:
      return text(report, options.color);
  }
}

export function jsonReport(report: Report) {
  const c = counts(report);
  return {
    summary: { spans: report.spans, errors: c.errors, warnings: c.warnings, infos: c.infos, rejected: report.rejected.length },
    findings: report.findings.map((f) => ({ traceId: f.traceId, spanId: f.spanId, spanName: f.spanName, key: f.key, rule: f.rule, severity: f.severity, message: f.message })),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function summaryLine(report: Report): string {
  const c = counts(report);
  const parts = [plural(report.spans, "span"), plural(c.errors, "error"), plural(c.warnings, "warning"), plural(c.infos, "info")];
  if (report.rejected.length > 0) parts.push(`${plural(report.rejected.length, "record")} rejected`);
  return parts.join(", ");
}

const COLORS: Record<Severity, string> = { error: "\u001b[31m", warning: "\u001b[33m", info: "\u001b[36m" };

function text(report: Report, color: boolean): string {
  const paint = (s: string, code: string) => (color ? `${code}${s}\u001b[0m` : s);
  const byRule = new Map<string, ReportFinding[]>();
  for (const f of report.findings) {
    const list = byRule.get(f.rule);
    if (list) list.push(f);
    else byRule.set(f.rule, [f]);
  }
  const rules = [...byRule.keys()].sort((a, b) => SEVERITY_RANK[byRule.get(b)![0]!.severity] - SEVERITY_RANK[byRule.get(a)![0]!.severity] || a.localeCompare(b));
  const out: string[] = [];
  for (const rule of rules) {
    const list = byRule.get(rule)!;
    out.push(paint(`${rule} (${list.length})`, "\u001b[1m"));
    for (const f of list) {
      const span = `${f.spanName || "<unnamed>"}${f.spanId ? ` [${f.traceId}/${f.spanId}]` : ""}`;
      out.push(`  ${paint(f.severity.padEnd(7), COLORS[f.severity])} ${span}: ${f.message}`);
    }
    out.push("");
  }
  if (report.rejected.length > 0) {
    out.push(paint(`rejected records (${report.rejected.length})`, "\u001b[1m"));
    for (const r of report.rejected) out.push(`  ${rejectionText(r)}`);
    out.push("");
  }
  const c = counts(report);
  const summary = summaryLine(report);
  out.push(color ? paint(summary, c.errors > 0 || report.rejected.length > 0 ? COLORS.error : c.warnings > 0 ? COLORS.warning : "\u001b[32m") : summary);
  return `${out.join("\n")}\n`;
}

function xml(s: string): string {
  // Characters XML 1.0 cannot hold at all are dropped; markup characters are escaped.
  return s.replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "").replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

function junit(report: Report, failOn: Severity): string {
  // One test case per span that has findings, plus one per rejected record; passing spans are counted.
  const bySpan = new Map<string, ReportFinding[]>();
  for (const f of report.findings) {
    const id = `${f.traceId}/${f.spanId}/${f.spanName}`;
    const list = bySpan.get(id);
    if (list) list.push(f);
    else bySpan.set(id, [f]);
  }
  const cases: string[] = [];
  let failures = 0;
  for (const list of bySpan.values()) {
    const first = list[0]!;
    const failing = list.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
    const other = list.filter((f) => SEVERITY_RANK[f.severity] < SEVERITY_RANK[failOn]);
    if (failing.length > 0) failures++;
    const body = [
      ...failing.map((f) => `      <failure type="${xml(f.rule)}" message="${xml(`${f.severity}: ${f.message}`)}">${xml(`${f.severity} ${f.rule} ${f.key}: ${f.message}`)}</failure>`),
      ...(other.length > 0 ? [`      <system-out>${xml(other.map((f) => `${f.severity} ${f.rule} ${f.key}: ${f.message}`).join("\n"))}</system-out>`] : []),
    ];
    cases.push(`    <testcase classname="${xml(first.traceId ? `${first.traceId}.${first.spanId}` : "span")}" name="${xml(first.spanName || "<unnamed>")}">\n${body.join("\n")}\n    </testcase>`);
  }
  for (const r of report.rejected) {
    cases.push(`    <testcase classname="input" name="${xml(where(r.source))}">\n      <error type="rejected" message="${xml(r.reason)}">${xml(rejectionText(r))}</error>\n    </testcase>`);
  }
  const passing = Math.max(0, report.spans - bySpan.size);
  if (passing > 0) cases.push(`    <testcase classname="spans" name="${passing} span(s) without findings"/>`);
  const tests = cases.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="semtrace validate" tests="${tests}" failures="${failures}" errors="${report.rejected.length}">`,
    `  <testsuite name="semtrace validate" tests="${tests}" failures="${failures}" errors="${report.rejected.length}" skipped="0">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

function ghData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function ghProperty(s: string): string {
  return ghData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function github(report: Report): string {
  const level: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };
  const out: string[] = [];
  report.findings.forEach((f, i) => {
    const source = report.sources[i];
    const props = [`title=${ghProperty(`${f.rule} (${f.spanName || "<unnamed>"})`)}`];
    if (source && !source.file.startsWith("<")) {
      props.unshift(`file=${ghProperty(source.file)}`);
      if (source.line !== undefined) props.splice(1, 0, `line=${source.line}`);
    }
    out.push(`::${level[f.severity]} ${props.join(",")}::${ghData(`${f.key}: ${f.message}${f.spanId ? ` [span ${f.spanId}]` : ""}`)}`);
  });
  for (const r of report.rejected) {
    const props = [`title=${ghProperty("rejected record")}`];
    if (!r.source.file.startsWith("<")) {
      props.unshift(`file=${ghProperty(r.source.file)}`);
      if (r.source.line !== undefined) props.splice(1, 0, `line=${r.source.line}`);
    }
    out.push(`::error ${props.join(",")}::${ghData(rejectionText(r))}`);
  }
  out.push(summaryLine(report));
  return `${out.join("\n")}\n`;
}

function sarif(report: Report) {
  const level: Record<Severity, string> = { error: "error", warning: "warning", info: "note" };
  const ruleIds = [...new Set(report.findings.map((f) => f.rule))].sort();
  if (report.rejected.length > 0) ruleIds.push("input.rejected");
  const location = (source: Source | undefined, spanName?: string) => {
    const physical =
      source && !source.file.startsWith("<")
        ? { physicalLocation: { artifactLocation: { uri: source.file.split("\\").join("/") }, ...(source.line !== undefined ? { region: { startLine: source.line } } : source.offset !== undefined ? { region: { byteOffset: source.offset } } : {}) } }
        : {};
    return [{ ...physical, ...(spanName !== undefined ? { logicalLocations: [{ name: spanName || "<unnamed>", kind: "span" }] } : {}) }];
  };
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "semtrace", informationUri: "https://github.com/semtrace/semtrace", rules: ruleIds.map((id) => ({ id, shortDescription: { text: id } })) } },
        results: [
          ...report.findings.map((f, i) => ({
            ruleId: f.rule,
            level: level[f.severity],
            message: { text: `${f.key}: ${f.message}` },
            locations: location(report.sources[i], f.spanName),
            properties: { traceId: f.traceId, spanId: f.spanId, spanName: f.spanName, key: f.key },
          })),
          ...report.rejected.map((r) => ({ ruleId: "input.rejected", level: "error", message: { text: r.reason }, locations: location(r.source) })),
        ],
      },
    ],
  };
}
