/**
 * The validation report and its renderings: text (grouped by rule), json, junit, github, sarif.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { StringDecoder } from "node:string_decoder";
import { join, resolve } from "node:path";
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
  /** The kind of problem (`invalid JSON`, `over a limit`, …): rejected records are listed up to a cap per kind. */
  readonly category?: string;
}

export interface Report {
  readonly spans: number;
  readonly findings: readonly ReportFinding[];
  /** Where each finding's span came from (same index as `findings`). */
  readonly sources: readonly Source[];
  readonly rejected: readonly Rejection[];
  /** Counts of what a collector left out of the lists (past its caps). */
  readonly totals?: ReportTotals;
}

export interface ReportTotals {
  /** Every rejected record, listed or not. */
  readonly rejected: number;
  /** Per kind, the rejected records not listed. */
  readonly omittedRejections: readonly { readonly kind: string; readonly count: number }[];
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

/** The line that stands for the rejected records of a kind that are counted but not listed. */
function omittedText(o: { readonly kind: string; readonly count: number }): string {
  return `… and ${o.count} more rejected record${o.count === 1 ? "" : "s"} of this kind: ${o.kind} (--max-listed-per-kind)`;
}

function omittedRejections(report: Report): readonly { readonly kind: string; readonly count: number }[] {
  return report.totals?.omittedRejections ?? [];
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
    summary: { spans: report.spans, errors: c.errors, warnings: c.warnings, infos: c.infos, rejected: summaryOf(report).rejected },
    findings: report.findings.map((f) => ({ traceId: f.traceId, spanId: f.spanId, spanName: f.spanName, key: f.key, rule: f.rule, severity: f.severity, message: f.message })),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function summaryLine(report: Report): string {
  return summaryText(summaryOf(report));
}

const COLORS: Record<Severity, string> = { error: "\u001b[31m", warning: "\u001b[33m", info: "\u001b[36m" };

interface RuleGroup {
  count: number;
  /** The first findings of the rule, in order (all of them, or the first `TEXT_FINDINGS_PER_RULE` when streaming). */
  readonly shown: ReportFinding[];
}

function text(report: Report, color: boolean): string {
  const byRule = new Map<string, RuleGroup>();
  for (const f of report.findings) {
    const group = byRule.get(f.rule);
    if (group) {
      group.count++;
      group.shown.push(f);
    } else byRule.set(f.rule, { count: 1, shown: [f] });
  }
  return textOf(byRule, summaryOf(report), report.rejected, omittedRejections(report), color);
}

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

function summaryText(s: Summary): string {
  const parts = [plural(s.spans, "span"), plural(s.errors, "error"), plural(s.warnings, "warning"), plural(s.infos, "info")];
  if (s.rejected > 0) parts.push(`${plural(s.rejected, "record")} rejected`);
  return parts.join(", ");
}

function textOf(byRule: ReadonlyMap<string, RuleGroup>, c: Summary, rejected: readonly Rejection[], omitted: readonly { readonly kind: string; readonly count: number }[], color: boolean): string {
  const paint = (s: string, code: string) => (color ? `${code}${s}\u001b[0m` : s);
  const rules = [...byRule.keys()].sort((a, b) => SEVERITY_RANK[byRule.get(b)!.shown[0]!.severity] - SEVERITY_RANK[byRule.get(a)!.shown[0]!.severity] || a.localeCompare(b));
  const out: string[] = [];
  for (const rule of rules) {
    const group = byRule.get(rule)!;
    out.push(paint(`${rule} (${group.count})`, "\u001b[1m"));
    for (const f of group.shown) {
      const span = `${f.spanName || "<unnamed>"}${f.spanId ? ` [${f.traceId}/${f.spanId}]` : ""}`;
      out.push(`  ${paint(f.severity.padEnd(7), COLORS[f.severity])} ${span}: ${f.message}`);
    }
    if (group.count > group.shown.length) out.push(`  … and ${group.count - group.shown.length} more (use --reporter json for all of them)`);
    out.push("");
  }
  if (c.rejected > 0) {
    out.push(paint(`rejected records (${c.rejected})`, "\u001b[1m"));
    for (const r of rejected) out.push(`  ${rejectionText(r)}`);
    for (const o of omitted) out.push(`  ${omittedText(o)}`);
    out.push("");
  }
  const summary = summaryText(c);
  out.push(color ? paint(summary, c.errors > 0 || c.rejected > 0 ? COLORS.error : c.warnings > 0 ? COLORS.warning : "\u001b[32m") : summary);
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
  for (const o of omittedRejections(report)) {
    cases.push(`    <testcase classname="input" name="${xml(`${o.kind}: ${o.count} more`)}">\n      <error type="rejected" message="${xml(omittedText(o))}">${xml(omittedText(o))}</error>\n    </testcase>`);
  }
  const errors = report.rejected.length + omittedRejections(report).length;
  const passing = Math.max(0, report.spans - bySpan.size);
  if (passing > 0) cases.push(`    <testcase classname="spans" name="${passing} span(s) without findings"/>`);
  const tests = cases.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="semtrace validate" tests="${tests}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="semtrace validate" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0">`,
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
  for (const o of omittedRejections(report)) out.push(`::error title=${ghProperty("rejected records")}::${ghData(omittedText(o))}`);
  out.push(summaryLine(report));
  return `${out.join("\n")}\n`;
}

function sarif(report: Report) {
  const level: Record<Severity, string> = { error: "error", warning: "warning", info: "note" };
  const ruleIds = [...new Set(report.findings.map((f) => f.rule))].sort();
  if (summaryOf(report).rejected > 0) ruleIds.push("input.rejected");
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
          ...omittedRejections(report).map((o) => ({ ruleId: "input.rejected", level: "error", message: { text: omittedText(o) }, locations: location(undefined) })),
        ],
      },
    ],
  };
}


// --- collecting findings as they come ---------------------------------------------------------------------------

/** How many findings of each rule the streaming text report lists (the rest are counted). */
export const TEXT_FINDINGS_PER_RULE = 100;

/**
 * Receives the findings of a run as they come and renders the report at the end. `ReportCollector` keeps
 * everything (junit, github and sarif need it); the text and json collectors keep memory bounded however
 * many findings there are: text keeps counts and the first findings of each rule, json serialises each
 * finding at once and spools the text to a temporary file past a threshold (the output is byte-for-byte
 * what `render` gives for the same report).
 */
export interface CollectorCaps {
  /** Rejected records listed per kind; the rest are counted. Default: all of them. */
  readonly listedPerKind?: number;
}

export abstract class Collector {
  spans = 0;
  errors = 0;
  warnings = 0;
  infos = 0;
  /** The rejected records listed: the first `listedPerKind` of each kind (add them with `reject`). */
  readonly rejected: Rejection[] = [];
  private rejectedUnlisted = 0;
  private readonly rejectedPerKind = new Map<string, number>();
  protected readonly listedPerKind: number;

  constructor(caps: CollectorCaps = {}) {
    this.listedPerKind = caps.listedPerKind ?? Number.POSITIVE_INFINITY;
  }

  /** Counts a rejected record, and keeps it when fewer than `listedPerKind` of its kind are. */
  reject(rejection: Rejection): void {
    const kind = rejection.category ?? "rejected";
    const seen = this.rejectedPerKind.get(kind) ?? 0;
    this.rejectedPerKind.set(kind, seen + 1);
    if (seen < this.listedPerKind) this.rejected.push(rejection);
    else this.rejectedUnlisted++;
  }

  /** Every rejected record, listed or not. */
  get rejectedCount(): number {
    return this.rejected.length + this.rejectedUnlisted;
  }

  /** Per kind, the rejected records not listed. */
  omittedRejections(): { kind: string; count: number }[] {
    return [...this.rejectedPerKind].filter(([, n]) => n > this.listedPerKind).map(([kind, n]) => ({ kind, count: n - this.listedPerKind }));
  }

  add(finding: ReportFinding, source: Source): void {
    if (finding.severity === "error") this.errors++;
    else if (finding.severity === "warning") this.warnings++;
    else this.infos++;
    this.keep(finding, source);
  }

  protected abstract keep(finding: ReportFinding, source: Source): void;

  /** Writes the report in pieces; then releases what the collector holds. */
  abstract write(out: (s: string) => void, options: { color: boolean; failOn: Severity }): void;

  /** Releases temporary files (also done by `write`). */
  dispose(): void {}

  /** True when some finding is at or above `failOn`. */
  fails(failOn: Severity): boolean {
    const rank = SEVERITY_RANK[failOn];
    return (this.errors > 0 && SEVERITY_RANK.error >= rank) || (this.warnings > 0 && SEVERITY_RANK.warning >= rank) || (this.infos > 0 && SEVERITY_RANK.info >= rank);
  }

  protected summary(): Summary {
    return { spans: this.spans, errors: this.errors, warnings: this.warnings, infos: this.infos, rejected: this.rejectedCount };
  }
}

/** Keeps every finding: any reporter. */
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
    const base = { spans: this.spans, findings: this.findings, sources: this.sources, rejected: this.rejected };
    const omittedRejections = this.omittedRejections();
    return omittedRejections.length === 0 ? base : { ...base, totals: { rejected: this.rejectedCount, omittedRejections } };
  }
  write(out: (s: string) => void, options: { color: boolean; failOn: Severity }): void {
    out(render(this.report(), this.reporter, options));
  }
}

/** The text report with bounded memory: counts per rule and the first `perRule` findings of each. */
export class TextCollector extends Collector {
  private readonly byRule = new Map<string, RuleGroup>();
  constructor(
    private readonly perRule = TEXT_FINDINGS_PER_RULE,
    listedPerKind?: number,
  ) {
    super(listedPerKind === undefined ? {} : { listedPerKind });
  }
  protected keep(finding: ReportFinding): void {
    const group = this.byRule.get(finding.rule);
    if (!group) this.byRule.set(finding.rule, { count: 1, shown: [finding] });
    else {
      group.count++;
      if (group.shown.length < this.perRule) group.shown.push(finding);
    }
  }
  write(out: (s: string) => void, options: { color: boolean }): void {
    out(textOf(this.byRule, this.summary(), this.rejected, this.omittedRejections(), options.color));
  }
}

/** The json report with bounded memory: findings are serialised as they come and spooled to a temporary file. */
export class JsonCollector extends Collector {
  private parts: string[] = [];
  private partBytes = 0;
  private count = 0;
  private spool: { dir: string; fd: number } | undefined;
  constructor(
    private readonly spoolAt = 64 * 1024,
    caps: CollectorCaps = {},
  ) {
    super(caps);
  }
  protected keep(f: ReportFinding): void {
    // Exactly what JSON.stringify(report, null, 2) writes for one element of `findings`.
    const text = `${this.count++ === 0 ? "\n" : ",\n"}    {\n      "traceId": ${JSON.stringify(f.traceId)},\n      "spanId": ${JSON.stringify(f.spanId)},\n      "spanName": ${JSON.stringify(f.spanName)},\n      "key": ${JSON.stringify(f.key)},\n      "rule": ${JSON.stringify(f.rule)},\n      "severity": ${JSON.stringify(f.severity)},\n      "message": ${JSON.stringify(f.message)}\n    }`;
    this.parts.push(text);
    this.partBytes += text.length;
    if (this.partBytes >= this.spoolAt) this.flush();
  }
  private flush(): void {
    if (this.parts.length === 0) return;
    if (!this.spool) {
      const dir = mkdtempSync(join(tmpdir(), "semtrace-report-"));
      this.spool = { dir, fd: openSync(join(dir, "findings.json"), "w+") };
    }
    writeSync(this.spool.fd, this.parts.join(""));
    this.parts = [];
    this.partBytes = 0;
  }
  write(out: (s: string) => void): void {
    try {
      const s = this.summary();
      out(`{\n  "summary": {\n    "spans": ${s.spans},\n    "errors": ${s.errors},\n    "warnings": ${s.warnings},\n    "infos": ${s.infos},\n    "rejected": ${s.rejected}\n  },\n  "findings": [`);
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
      out(this.count > 0 ? "\n  ]\n}\n" : "]\n}\n");
    } finally {
      this.dispose();
    }
  }
  override dispose(): void {
    this.parts = [];
    if (this.spool) {
      closeSync(this.spool.fd);
      rmSync(this.spool.dir, { recursive: true, force: true });
      this.spool = undefined;
    }
  }
}

/** The collector for a reporter: bounded memory for text and json; `caps.listedPerKind` bounds the rejected records listed. */
export function collectorFor(reporter: ReporterName, caps: CollectorCaps = {}): Collector {
  if (reporter === "text") return new TextCollector(undefined, caps.listedPerKind);
  if (reporter === "json") return new JsonCollector(undefined, caps);
  return new ReportCollector(reporter, caps);
}

/**
 * The end every validating command shares: writes the collector's report to `--output` (relative to `cwd`) or
 * stdout, releases the collector, prints rejected records to stderr, and returns the exit code: 2 when the
 * report cannot be written or records were rejected, 1 for findings at or above `failOn`, else 0.
 */
export function finishReport(
  command: string,
  collector: Collector,
  settings: { readonly reporter: ReporterName; readonly output?: string; readonly failOn: Severity },
  io: { stdout: (s: string) => void; stderr: (s: string) => void; cwd: string; color?: boolean },
): number {
  try {
    const color = settings.output === undefined && settings.reporter === "text" && (io.color ?? (process.stdout.isTTY === true && !process.env["NO_COLOR"]));
    const options = { color, failOn: settings.failOn };
    if (settings.output !== undefined) {
      let fd: number | undefined;
      try {
        fd = openSync(resolve(io.cwd, settings.output), "w");
        const handle = fd;
        collector.write((s) => void writeSync(handle, s), options);
      } catch (error) {
        io.stderr(`semtrace ${command}: cannot write ${settings.output}: ${(error as Error).message}\n`);
        return 2;
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    } else collector.write(io.stdout, options);
  } finally {
    collector.dispose();
  }
  // Problems with the input always reach stderr, whatever the reporter.
  for (const r of collector.rejected) io.stderr(`semtrace ${command}: ${rejectionText(r)}\n`);
  for (const o of collector.omittedRejections()) io.stderr(`semtrace ${command}: ${omittedText(o)}\n`);
  if (collector.rejectedCount > 0) return 2;
  return collector.fails(settings.failOn) ? 1 : 0;
}
