/**
 * The validation report and its renderings: text (grouped by rule), json, junit, github, sarif.
 *
 * An input can make millions of findings and rejected records: collectors keep counts of everything but only the
 * first findings of each rule and the first rejected records of each kind (the caps), and every rendering but json
 * lists those and says how many more there are. Text that comes from the traces (span names, keys, values, and the
 * reasons that quote them) is escaped in the text and GitHub reports, which go to terminals and workflow logs.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { StringDecoder } from "node:string_decoder";
import { join, resolve } from "node:path";
import type { Severity } from "@semtrace/runtime";
import { rejectionKind, type InputNote, type Source } from "./input.js";
import { DEFAULT_FINDINGS_PER_RULE, DEFAULT_LISTED_PER_KIND } from "./limits.js";
import { printable } from "./printable.js";
import { coverageText } from "./coverage.js";
import { judgedText, type SpanTally, type TallyData } from "./tally.js";

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
  /** The kind of problem (`invalid JSON`, `wrong shape`, …): rejections are counted and listed per kind. Default: from the reason. */
  readonly category?: string;
}

/** Something said about the input that is not a problem with it (a skipped file, an integer past 2^53). */
export interface Note extends InputNote {
  readonly source?: Source;
}

export interface Report {
  readonly spans: number;
  /** The findings listed: all of them, or the first of each rule when `totals` says some were left out. */
  readonly findings: readonly ReportFinding[];
  /** Where each finding's span came from (same index as `findings`). */
  readonly sources: readonly Source[];
  /** The rejected records listed: all of them, or the first of each kind (see `totals`). */
  readonly rejected: readonly Rejection[];
  /** Counts of everything, when a collector left findings or rejected records out of the lists. */
  readonly totals?: ReportTotals;
  /** Which registries judged how many spans, how many no registry judged (other spans), coverage. */
  readonly tally?: TallyData;
}

export interface ReportTotals {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  readonly rejected: number;
  /** Spans with at least one finding. */
  readonly spansWithFindings: number;
  /** Per rule, the findings not listed. */
  readonly omittedFindings: readonly { readonly rule: string; readonly severity: Severity; readonly count: number }[];
  /** Per kind, the rejected records not listed. */
  readonly omittedRejections: readonly { readonly kind: string; readonly count: number }[];
}

export const REPORTERS = ["text", "json", "junit", "github", "sarif"] as const;
export type ReporterName = (typeof REPORTERS)[number];

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

export function counts(report: Report): { errors: number; warnings: number; infos: number } {
  if (report.totals)
    return { errors: report.totals.errors, warnings: report.totals.warnings, infos: report.totals.infos };
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

/** `file:line` / `file (byte n)` / `file` */
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

/**
 * The json report: everything the other reporters render, so that `semtrace report merge` can render any of them
 * from json reports (shards of a CI matrix, several live-check instances).
 */
export function jsonReport(report: Report) {
  const s = summaryOf(report);
  return {
    summary: jsonSummary(s, report.tally),
    findings: report.findings.map((f, i) => findingJson(f, report.sources[i])),
    ...jsonTail(report.rejected, omittedRejections(report), report.tally),
  };
}

function jsonSummary(s: Summary, tally: TallyData | undefined) {
  return {
    spans: s.spans,
    ...(tally
      ? { other: tally.other, judged: Object.fromEntries(tally.judged.map((j) => [j.registry, j.spans])) }
      : {}),
    errors: s.errors,
    warnings: s.warnings,
    infos: s.infos,
    rejected: s.rejected,
  };
}

/** One finding of the json report (`source`: where its span came from, when known). */
export function findingJson(f: ReportFinding, source: Source | undefined) {
  return {
    traceId: f.traceId,
    spanId: f.spanId,
    spanName: f.spanName,
    key: f.key,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    ...(source ? { source: sourceJson(source) } : {}),
  };
}

function sourceJson(source: Source): Source {
  return {
    file: source.file,
    ...(source.line !== undefined ? { line: source.line } : {}),
    ...(source.offset !== undefined ? { offset: source.offset } : {}),
  };
}

/** What follows the findings in the json report: the rejected records listed and left out, the coverage. */
function jsonTail(
  rejected: readonly Rejection[],
  omitted: readonly { readonly kind: string; readonly count: number }[],
  tally: TallyData | undefined,
) {
  return {
    rejected: rejected.map((r) => ({
      source: sourceJson(r.source),
      reason: r.reason,
      category: r.category ?? rejectionKind(r.reason),
    })),
    ...(omitted.length > 0 ? { omittedRejections: omitted.map((o) => ({ kind: o.kind, count: o.count })) } : {}),
    ...(tally?.coverage ? { coverage: tally.coverage } : {}),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function summaryLine(report: Report): string {
  return summaryText(summaryOf(report), report.tally);
}

const COLORS: Record<Severity, string> = { error: "\u001b[31m", warning: "\u001b[33m", info: "\u001b[36m" };

interface Summary {
  readonly spans: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  readonly rejected: number;
}

function summaryOf(report: Report): Summary {
  return { spans: report.spans, ...counts(report), rejected: report.totals?.rejected ?? report.rejected.length };
}

/** "12 spans (judged: 8 openinference, 3 genai; 2 other), 1 error, …": other spans are those no registry judged. */
function summaryText(s: Summary, tally?: TallyData): string {
  const spans =
    tally && s.spans > 0
      ? `${plural(s.spans, "span")} (judged: ${judgedText(tally)}; ${tally.other} other)`
      : plural(s.spans, "span");
  const parts = [spans, plural(s.errors, "error"), plural(s.warnings, "warning"), plural(s.infos, "info")];
  if (s.rejected > 0) parts.push(`${plural(s.rejected, "record")} rejected`);
  return parts.join(", ");
}

/** Per rule: how many findings in all, the severity of its first, and the ones listed. */
function byRule(report: Report): Map<string, { count: number; severity: Severity; shown: ReportFinding[] }> {
  const rules = new Map<string, { count: number; severity: Severity; shown: ReportFinding[] }>();
  for (const f of report.findings) {
    const group = rules.get(f.rule);
    if (group) {
      group.count++;
      group.shown.push(f);
    } else rules.set(f.rule, { count: 1, severity: f.severity, shown: [f] });
  }
  for (const o of report.totals?.omittedFindings ?? []) {
    const group = rules.get(o.rule);
    if (group) group.count += o.count;
    else rules.set(o.rule, { count: o.count, severity: o.severity, shown: [] });
  }
  return rules;
}

function omittedRejections(report: Report): readonly { readonly kind: string; readonly count: number }[] {
  return report.totals?.omittedRejections ?? [];
}

function text(report: Report, color: boolean): string {
  const paint = (s: string, code: string) => (color ? `${code}${s}\u001b[0m` : s);
  const rules = byRule(report);
  const names = [...rules.keys()].sort(
    (a, b) => SEVERITY_RANK[rules.get(b)!.severity] - SEVERITY_RANK[rules.get(a)!.severity] || a.localeCompare(b),
  );
  const out: string[] = [];
  for (const rule of names) {
    const group = rules.get(rule)!;
    out.push(paint(`${printable(rule)} (${group.count})`, "\u001b[1m"));
    for (const f of group.shown) {
      const span = `${f.spanName ? printable(f.spanName) : "<unnamed>"}${f.spanId ? ` [${printable(f.traceId)}/${printable(f.spanId)}]` : ""}`;
      out.push(`  ${paint(f.severity.padEnd(7), COLORS[f.severity])} ${span}: ${printable(f.message)}`);
    }
    if (group.count > group.shown.length)
      out.push(`  … and ${group.count - group.shown.length} more (use --reporter json for all of them)`);
    out.push("");
  }
  const s = summaryOf(report);
  if (s.rejected > 0) {
    out.push(paint(`rejected records (${s.rejected})`, "\u001b[1m"));
    for (const line of rejectionLines(report.rejected, omittedRejections(report))) out.push(`  ${line}`);
    out.push("");
  }
  if (report.tally?.coverage) out.push(...coverageText(report.tally.coverage, printable), "");
  const summary = summaryText(s, report.tally);
  out.push(
    color
      ? paint(summary, s.errors > 0 || s.rejected > 0 ? COLORS.error : s.warnings > 0 ? COLORS.warning : "\u001b[32m")
      : summary,
  );
  return `${out.join("\n")}\n`;
}

/** The rejected records listed, escaped, then a line per kind for the ones left out. */
function rejectionLines(
  rejected: readonly Rejection[],
  omitted: readonly { readonly kind: string; readonly count: number }[],
): string[] {
  const lines = rejected.map((r) => printable(rejectionText(r)));
  for (const o of omitted)
    lines.push(
      `… and ${o.count} more rejected record${o.count === 1 ? "" : "s"} of this kind: ${o.kind} (--max-listed-per-kind)`,
    );
  return lines;
}

function xml(s: string): string {
  // Characters XML 1.0 cannot hold at all are dropped; markup characters are escaped.
  return s
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "")
    .replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Consecutive findings of one span (same ids, name and source), in order: what a JUnit test case reports. */
function spanRuns(report: Report): ReportFinding[][] {
  const runs: ReportFinding[][] = [];
  for (let i = 0; i < report.findings.length; i++) {
    const f = report.findings[i]!;
    if (i > 0 && sameSpan(report.findings[i - 1]!, report.sources[i - 1], f, report.sources[i]))
      runs[runs.length - 1]!.push(f);
    else runs.push([f]);
  }
  return runs;
}

function sameSpan(
  a: ReportFinding,
  aSource: Source | undefined,
  b: ReportFinding,
  bSource: Source | undefined,
): boolean {
  return a.spanId === b.spanId && a.traceId === b.traceId && a.spanName === b.spanName && aSource === bSource;
}

function junit(report: Report, failOn: Severity): string {
  // One test case per span that has findings listed, one per rule with findings left out, one per rejected record
  // (and per kind of those left out); passing spans are counted in one.
  const cases: string[] = [];
  let failures = 0;
  const failing = (f: { severity: Severity }) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn];
  const runs = spanRuns(report);
  for (const list of runs) {
    const first = list[0]!;
    const failed = list.filter(failing);
    const other = list.filter((f) => !failing(f));
    if (failed.length > 0) failures++;
    const body = [
      ...failed.map(
        (f) =>
          `      <failure type="${xml(f.rule)}" message="${xml(`${f.severity}: ${f.message}`)}">${xml(`${f.severity} ${f.rule} ${f.key}: ${f.message}`)}</failure>`,
      ),
      ...(other.length > 0
        ? [
            `      <system-out>${xml(other.map((f) => `${f.severity} ${f.rule} ${f.key}: ${f.message}`).join("\n"))}</system-out>`,
          ]
        : []),
    ];
    cases.push(
      `    <testcase classname="${xml(first.traceId ? `${first.traceId}.${first.spanId}` : "span")}" name="${xml(first.spanName || "<unnamed>")}">\n${body.join("\n")}\n    </testcase>`,
    );
  }
  for (const o of report.totals?.omittedFindings ?? []) {
    const message = `${o.count} more ${o.severity} findings of ${o.rule} are not listed (--max-findings-per-rule); use --reporter json for all of them`;
    const isFailure = failing(o);
    if (isFailure) failures++;
    cases.push(
      `    <testcase classname="findings" name="${xml(`${o.rule}: ${o.count} more`)}">\n      ${isFailure ? `<failure type="${xml(o.rule)}" message="${xml(message)}">${xml(message)}</failure>` : `<system-out>${xml(message)}</system-out>`}\n    </testcase>`,
    );
  }
  for (const r of report.rejected) {
    cases.push(
      `    <testcase classname="input" name="${xml(where(r.source))}">\n      <error type="rejected" message="${xml(r.reason)}">${xml(rejectionText(r))}</error>\n    </testcase>`,
    );
  }
  for (const o of omittedRejections(report)) {
    const message = `${o.count} more rejected records of this kind: ${o.kind} (--max-listed-per-kind)`;
    cases.push(
      `    <testcase classname="input" name="${xml(`${o.kind}: ${o.count} more`)}">\n      <error type="rejected" message="${xml(message)}">${xml(message)}</error>\n    </testcase>`,
    );
  }
  const withFindings = report.totals?.spansWithFindings ?? runs.length;
  const passing = Math.max(0, report.spans - withFindings);
  // Other spans (no registry judges them) without findings are skipped tests: counted, not checked.
  const other = report.tally?.other ?? 0;
  if (passing - other > 0)
    cases.push(`    <testcase classname="spans" name="${passing - other} span(s) without findings"/>`);
  if (other > 0)
    cases.push(
      `    <testcase classname="spans" name="${other} other span(s)">\n      <skipped message="${xml(`no registry judges them (${judgedText(report.tally!)} judged)`)}"/>\n    </testcase>`,
    );
  const tests = cases.length;
  const errors = report.rejected.length + omittedRejections(report).length;
  const skipped = other > 0 ? 1 : 0;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="semtrace validate" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    `  <testsuite name="semtrace validate" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

function ghData(s: string): string {
  return printable(s).replace(/%/g, "%25");
}

function ghProperty(s: string): string {
  return ghData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function github(report: Report): string {
  const level: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };
  const out: string[] = [];
  const location = (source: Source | undefined, props: string[]) => {
    if (source && !source.file.startsWith("<")) {
      props.unshift(`file=${ghProperty(source.file)}`);
      if (source.line !== undefined) props.splice(1, 0, `line=${source.line}`);
    }
    return props.join(",");
  };
  report.findings.forEach((f, i) => {
    const props = location(report.sources[i], [`title=${ghProperty(`${f.rule} (${f.spanName || "<unnamed>"})`)}`]);
    out.push(
      `::${level[f.severity]} ${props}::${ghData(`${f.key}: ${f.message}${f.spanId ? ` [span ${f.spanId}]` : ""}`)}`,
    );
  });
  for (const o of report.totals?.omittedFindings ?? []) {
    out.push(
      `::notice title=${ghProperty(`${o.rule}: ${o.count} more`)}::${ghData(`${o.count} more ${o.severity} findings of ${o.rule} are not annotated (--max-findings-per-rule); use --reporter json for all of them`)}`,
    );
  }
  for (const r of report.rejected)
    out.push(`::error ${location(r.source, [`title=${ghProperty("rejected record")}`])}::${ghData(rejectionText(r))}`);
  for (const o of omittedRejections(report))
    out.push(
      `::error title=${ghProperty("rejected records")}::${ghData(`${o.count} more rejected records of this kind: ${o.kind} (--max-listed-per-kind)`)}`,
    );
  out.push(summaryLine(report));
  return `${out.join("\n")}\n`;
}

function sarif(report: Report) {
  const level: Record<Severity, string> = { error: "error", warning: "warning", info: "note" };
  const omitted = report.totals?.omittedFindings ?? [];
  const ruleIds = [...new Set([...report.findings.map((f) => f.rule), ...omitted.map((o) => o.rule)])].sort();
  const rejectedCount = report.totals?.rejected ?? report.rejected.length;
  if (rejectedCount > 0) ruleIds.push("input.rejected");
  const location = (source: Source | undefined, spanName?: string) => {
    const physical =
      source && !source.file.startsWith("<")
        ? {
            physicalLocation: {
              artifactLocation: { uri: source.file.split("\\").join("/") },
              ...(source.line !== undefined
                ? { region: { startLine: source.line } }
                : source.offset !== undefined
                  ? { region: { byteOffset: source.offset } }
                  : {}),
            },
          }
        : {};
    return [
      {
        ...physical,
        ...(spanName !== undefined ? { logicalLocations: [{ name: spanName || "<unnamed>", kind: "span" }] } : {}),
      },
    ];
  };
  // Results left out (over the caps) are said in tool execution notifications, one per rule and per kind.
  const notifications = [
    ...omitted.map((o) => ({
      level: "note",
      message: {
        text: `${o.count} more ${o.severity} results of ${o.rule} are not listed (--max-findings-per-rule); use --reporter json for all of them`,
      },
      associatedRule: { id: o.rule },
    })),
    ...omittedRejections(report).map((o) => ({
      level: "error",
      message: { text: `${o.count} more rejected records of this kind: ${o.kind} (--max-listed-per-kind)` },
      associatedRule: { id: "input.rejected" },
    })),
  ];
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "semtrace",
            informationUri: "https://github.com/semtrace/semtrace",
            rules: ruleIds.map((id) => ({ id, shortDescription: { text: id } })),
          },
        },
        ...(report.tally
          ? {
              properties: {
                spans: report.spans,
                otherSpans: report.tally.other,
                judged: Object.fromEntries(report.tally.judged.map((j) => [j.registry, j.spans])),
              },
            }
          : {}),
        ...(notifications.length > 0
          ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }] }
          : {}),
        results: [
          ...report.findings.map((f, i) => ({
            ruleId: f.rule,
            level: level[f.severity],
            message: { text: `${f.key}: ${f.message}` },
            locations: location(report.sources[i], f.spanName),
            properties: { traceId: f.traceId, spanId: f.spanId, spanName: f.spanName, key: f.key },
          })),
          ...report.rejected.map((r) => ({
            ruleId: "input.rejected",
            level: "error",
            message: { text: r.reason },
            locations: location(r.source),
          })),
        ],
      },
    ],
  };
}

// --- collecting findings as they come ---------------------------------------------------------------------------

/** How many findings of each rule the text report lists by default (the rest are counted). */
export const TEXT_FINDINGS_PER_RULE = DEFAULT_FINDINGS_PER_RULE;

export interface CollectorCaps {
  /** Findings listed per rule (text, junit, github, sarif); the rest are counted. Default: all of them. */
  readonly findingsPerRule?: number;
  /** Rejected records (and notes) listed per kind; the rest are counted. Default: all of them. */
  readonly listedPerKind?: number;
}

/**
 * Receives the findings of a run as they come and renders the report at the end. Every collector counts
 * everything and keeps the first `listedPerKind` rejected records and notes of each kind. `ReportCollector` keeps
 * the first `findingsPerRule` findings of each rule (all of them by default, as `collectReport` needs); the json
 * collector serialises each finding at once and spools the text to a temporary file past a threshold (the output
 * is byte-for-byte what `render` gives for the same report). Memory stays bounded with caps, however many findings
 * and rejected records an input makes.
 */
export abstract class Collector {
  spans = 0;
  errors = 0;
  warnings = 0;
  infos = 0;
  /** The rejected records listed: the first `listedPerKind` of each kind (add them with `reject`). */
  readonly rejected: readonly Rejection[] = [];
  /** Every rejected record, listed or not. */
  rejectedCount = 0;
  /** Notes (skipped files, integers past 2^53): the first `listedPerKind` of each kind (add them with `note`). */
  readonly notes: readonly Note[] = [];
  /** Spans with at least one finding. */
  spansWithFindings = 0;
  /**
   * Which registries judged the spans, other spans, coverage: counted by whoever validates (`checkSpans`, and the
   * batches of worker threads merged in). Unset until a command sets it; reports then say nothing of other spans.
   */
  tally: SpanTally | undefined = undefined;
  /** Per rule: how many findings, and the severity of its first. */
  protected readonly rules = new Map<string, { count: number; severity: Severity }>();
  private readonly rejectedPerKind = new Map<string, number>();
  private readonly notesPerKind = new Map<string, number>();
  /** The first `listedPerKind` rejected records and notes of each kind are kept. */
  readonly listedPerKind: number;
  /** The first `findingsPerRule` findings of each rule are kept (for the reporters that list them). */
  readonly findingsPerRule: number;
  private lastFinding: ReportFinding | undefined;
  private lastSource: Source | undefined;

  constructor(caps: CollectorCaps = {}) {
    this.listedPerKind = caps.listedPerKind ?? Number.POSITIVE_INFINITY;
    this.findingsPerRule = caps.findingsPerRule ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Counts a finding and keeps it when fewer than `findingsPerRule` of its rule are. `newSpan` says whether it is
   * the first finding of its span; by default, it is when its span (ids, name, source) differs from the last one's.
   */
  add(finding: ReportFinding, source: Source, newSpan?: boolean): void {
    if (finding.severity === "error") this.errors++;
    else if (finding.severity === "warning") this.warnings++;
    else this.infos++;
    if (newSpan ?? !(this.lastFinding && sameSpan(this.lastFinding, this.lastSource, finding, source)))
      this.spansWithFindings++;
    this.lastFinding = finding;
    this.lastSource = source;
    const rule = this.rules.get(finding.rule);
    if (rule) rule.count++;
    else this.rules.set(finding.rule, { count: 1, severity: finding.severity });
    if ((rule?.count ?? 1) <= this.findingsPerRule) this.keep(finding, source);
  }

  /**
   * Counts findings that were not handed over one by one (a worker thread kept only the first of each rule):
   * `count` more of `rule` at `severity`. Spans with findings are counted by the caller (`spansWithFindings`).
   */
  countFindings(rule: string, severity: Severity, count: number): void {
    if (severity === "error") this.errors += count;
    else if (severity === "warning") this.warnings += count;
    else this.infos += count;
    const known = this.rules.get(rule);
    if (known) known.count += count;
    else this.rules.set(rule, { count, severity });
  }

  /** Counts a rejected record, and keeps it when fewer than `listedPerKind` of its kind are. */
  reject(rejection: Rejection): void {
    this.rejectedCount++;
    const kind = rejection.category ?? rejectionKind(rejection.reason);
    const seen = this.rejectedPerKind.get(kind) ?? 0;
    this.rejectedPerKind.set(kind, seen + 1);
    if (seen < this.listedPerKind)
      (this.rejected as Rejection[]).push(rejection.category ? rejection : { ...rejection, category: kind });
  }

  /** Counts rejected records of one kind that are not kept (the first of the kind were, elsewhere). */
  countRejected(kind: string, count: number): void {
    this.rejectedCount += count;
    this.rejectedPerKind.set(kind, (this.rejectedPerKind.get(kind) ?? 0) + count);
  }

  /** Counts a note, and keeps it when fewer than `listedPerKind` of its kind are. */
  note(note: Note): void {
    const seen = this.notesPerKind.get(note.category) ?? 0;
    this.notesPerKind.set(note.category, seen + 1);
    if (seen < this.listedPerKind) (this.notes as Note[]).push(note);
  }

  /** Per kind, the rejected records not listed. */
  omittedRejections(): { kind: string; count: number }[] {
    return [...this.rejectedPerKind]
      .filter(([, n]) => n > this.listedPerKind)
      .map(([kind, n]) => ({ kind, count: n - this.listedPerKind }));
  }

  /** Per kind, the notes not listed. */
  omittedNotes(): { kind: string; count: number }[] {
    return [...this.notesPerKind]
      .filter(([, n]) => n > this.listedPerKind)
      .map(([kind, n]) => ({ kind, count: n - this.listedPerKind }));
  }

  protected abstract keep(finding: ReportFinding, source: Source): void;

  /** Writes the report in pieces; then releases what the collector holds. */
  abstract write(out: (s: string) => void, options: { color: boolean; failOn: Severity }): void;

  /** Releases temporary files (also done by `write`). */
  dispose(): void {}

  /** True when some finding is at or above `failOn`. */
  fails(failOn: Severity): boolean {
    const rank = SEVERITY_RANK[failOn];
    return (
      (this.errors > 0 && SEVERITY_RANK.error >= rank) ||
      (this.warnings > 0 && SEVERITY_RANK.warning >= rank) ||
      (this.infos > 0 && SEVERITY_RANK.info >= rank)
    );
  }

  protected summary(): Summary {
    return {
      spans: this.spans,
      errors: this.errors,
      warnings: this.warnings,
      infos: this.infos,
      rejected: this.rejectedCount,
    };
  }
}

/** Keeps the findings (all of them, or the first `findingsPerRule` of each rule) and renders any reporter. */
export class ReportCollector extends Collector {
  readonly findings: ReportFinding[] = [];
  readonly sources: Source[] = [];

  constructor(
    private readonly reporter: ReporterName = "json",
    caps: CollectorCaps = {},
  ) {
    super(caps);
  }

  protected keep(finding: ReportFinding, source: Source): void {
    this.findings.push(finding);
    this.sources.push(source);
  }

  report(): Report {
    const omittedFindings = [...this.rules]
      .filter(([, r]) => r.count > this.findingsPerRule)
      .map(([rule, r]) => ({ rule, severity: r.severity, count: r.count - this.findingsPerRule }));
    const omittedRejections = this.omittedRejections();
    const base = {
      spans: this.spans,
      findings: this.findings,
      sources: this.sources,
      rejected: this.rejected,
      ...(this.tally ? { tally: this.tally.data() } : {}),
    };
    if (omittedFindings.length === 0 && omittedRejections.length === 0) return base;
    const totals: ReportTotals = {
      errors: this.errors,
      warnings: this.warnings,
      infos: this.infos,
      rejected: this.rejectedCount,
      spansWithFindings: this.spansWithFindings,
      omittedFindings,
      omittedRejections,
    };
    return { ...base, totals };
  }

  write(out: (s: string) => void, options: { color: boolean; failOn?: Severity }): void {
    out(render(this.report(), this.reporter, { color: options.color, failOn: options.failOn ?? "error" }));
  }
}

/** The text report with bounded memory: counts per rule and the first `perRule` findings of each. */
export class TextCollector extends ReportCollector {
  constructor(perRule = TEXT_FINDINGS_PER_RULE, listedPerKind = DEFAULT_LISTED_PER_KIND) {
    super("text", { findingsPerRule: perRule, listedPerKind });
  }
}

/** `JSON.stringify(value, null, 2)` as it is written `indent` deep inside the json report. */
function indented(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
}

/** The json report with bounded memory: findings are serialised as they come and spooled to a temporary file. */
export class JsonCollector extends Collector {
  private parts: string[] = [];
  private partBytes = 0;
  private count = 0;
  private spool: { dir: string; fd: number } | undefined;
  /** Removes the spool if the process exits without `dispose` (an uncaught error, `process.exit`). */
  private readonly onExit = () => this.dispose();

  constructor(
    private readonly spoolAt = 64 * 1024,
    caps: Pick<CollectorCaps, "listedPerKind"> = {},
  ) {
    super({ listedPerKind: caps.listedPerKind ?? Number.POSITIVE_INFINITY });
  }

  /** The temporary folder holding the spooled findings, while there is one. */
  get spoolDir(): string | undefined {
    return this.spool?.dir;
  }

  protected keep(f: ReportFinding, source: Source): void {
    // Exactly what JSON.stringify(report, null, 2) writes for one element of `findings`.
    const text = `${this.count++ === 0 ? "\n" : ",\n"}    ${indented(findingJson(f, source), "    ")}`;
    this.parts.push(text);
    this.partBytes += text.length;
    if (this.partBytes >= this.spoolAt) this.flush();
  }
  private flush(): void {
    if (this.parts.length === 0) return;
    if (!this.spool) {
      const dir = mkdtempSync(join(tmpdir(), "semtrace-report-"));
      this.spool = { dir, fd: openSync(join(dir, "findings.json"), "w+") };
      process.on("exit", this.onExit);
    }
    writeSync(this.spool.fd, this.parts.join(""));
    this.parts = [];
    this.partBytes = 0;
  }
  write(out: (s: string) => void): void {
    try {
      const tally = this.tally?.data();
      out(`{\n  "summary": ${indented(jsonSummary(this.summary(), tally), "  ")},\n  "findings": [`);
      if (this.spool) {
        this.flush();
        const buffer = Buffer.allocUnsafe(1024 * 1024);
        let position = 0;
        const decoder = new StringDecoder("utf8"); // never splits a character across reads
        for (;;) {
          const n = readSync(this.spool.fd, buffer, 0, buffer.length, position);
          if (n === 0) break;
          position += n;
          out(decoder.write(buffer.subarray(0, n)));
        }
        const tail = decoder.end();
        if (tail) out(tail);
      } else out(this.parts.join(""));
      out(this.count > 0 ? "\n  ]" : "]");
      for (const [key, value] of Object.entries(jsonTail(this.rejected, this.omittedRejections(), tally)))
        out(`,\n  ${JSON.stringify(key)}: ${indented(value, "  ")}`);
      out("\n}\n");
    } finally {
      this.dispose();
    }
  }
  override dispose(): void {
    this.parts = [];
    if (this.spool) {
      const { dir, fd } = this.spool;
      this.spool = undefined;
      process.off("exit", this.onExit);
      try {
        closeSync(fd);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

/**
 * The collector for a reporter, with bounded memory: text, junit, github and sarif keep the first
 * `findingsPerRule` findings of each rule, json spools every finding to a temporary file; all keep the first
 * `listedPerKind` rejected records of each kind.
 */
export function collectorFor(reporter: ReporterName, caps: CollectorCaps = {}): Collector {
  const capped = {
    findingsPerRule: caps.findingsPerRule ?? DEFAULT_FINDINGS_PER_RULE,
    listedPerKind: caps.listedPerKind ?? DEFAULT_LISTED_PER_KIND,
  };
  if (reporter === "json") return new JsonCollector(undefined, { listedPerKind: capped.listedPerKind });
  return new ReportCollector(reporter, capped);
}

/**
 * The end every validating command shares: writes the collector's report to `--output` (relative to `cwd`) or
 * stdout, releases the collector, prints rejected records and notes to stderr (the first of each kind, escaped),
 * and returns the exit code: 2 when the report cannot be written or records were rejected, 1 for findings at or
 * above `failOn`, else 0.
 */
export function finishReport(
  command: string,
  collector: Collector,
  settings: { readonly reporter: ReporterName; readonly output?: string; readonly failOn: Severity },
  io: { stdout: (s: string) => void; stderr: (s: string) => void; cwd: string; color?: boolean },
): number {
  try {
    const color =
      settings.output === undefined &&
      settings.reporter === "text" &&
      (io.color ?? (process.stdout.isTTY === true && !process.env["NO_COLOR"]));
    const options = { color, failOn: settings.failOn };
    if (settings.output !== undefined) {
      let fd: number | undefined;
      try {
        fd = openSync(resolve(io.cwd, settings.output), "w");
        const handle = fd;
        collector.write((s) => void writeSync(handle, s), options);
      } catch (error) {
        io.stderr(`semtrace ${command}: cannot write ${printable(settings.output)}: ${(error as Error).message}\n`);
        return 2;
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    } else collector.write(io.stdout, options);
  } finally {
    collector.dispose();
  }
  // Problems with the input always reach stderr, whatever the reporter; notes too.
  for (const line of rejectionLines(collector.rejected, collector.omittedRejections()))
    io.stderr(`semtrace ${command}: ${line}\n`);
  for (const n of collector.notes)
    io.stderr(`semtrace ${command}: note: ${printable(n.source ? `${where(n.source)}: ${n.text}` : n.text)}\n`);
  for (const o of collector.omittedNotes())
    io.stderr(
      `semtrace ${command}: note: … and ${o.count} more notes of this kind: ${o.kind} (--max-listed-per-kind)\n`,
    );
  if (collector.rejectedCount > 0) return 2;
  return collector.fails(settings.failOn) ? 1 : 0;
}
