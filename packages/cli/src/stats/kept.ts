/**
 * The second pass of `semtrace stats --html`: the spans of the traces the page shows in full (the slowest and the
 * erroring ones, chosen by the first pass), each reduced to what the page shows — kind, name, times, status,
 * tokens, cost, a preview of its attributes and events — with the findings of the same validators `validate` runs.
 * Every span is validated (the page counts findings by rule); only the kept traces' spans are held, at most
 * `maxTraceSpans` per trace and `maxPageBytes` of them in all (as JSON, an equal share per trace), and every text is
 * clipped, so the page and the memory that builds it stay bounded whatever the input.
 */
import type { RegistryValidator, Severity } from "@semtrace/runtime";
import { checkSpans } from "../validate/batch.js";
import type { InputSpan } from "../validate/otlp.js";
import type { ReportFinding } from "../validate/report.js";
import { factsOf, type Convention } from "./facts.js";
import { costOf, type CostSource, type Pricer } from "./pricing.js";
import { round3 } from "./sketch.js";

/** Characters of an attribute value, event attribute or message shown on the page. */
export const PAGE_TEXT_CHARS = 1000;
/** Attributes (and event attributes) shown per span or event; the rest are counted. */
export const PAGE_ATTRIBUTES = 200;
/** Events shown per span. */
export const PAGE_EVENTS = 50;
/** Findings shown per span. */
export const PAGE_FINDINGS = 50;

export interface PageFinding {
  readonly severity: Severity;
  readonly rule: string;
  readonly key: string;
  readonly message: string;
}

export interface PageSpan {
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly kind: string;
  readonly convention: Convention;
  /** OTLP SpanKind (0 unspecified … 5 consumer), or null. */
  readonly spanKind: number | null;
  /** Start in ms since the epoch (as a double) and duration in ms; null without times. */
  readonly startMs: number | null;
  readonly durationMs: number | null;
  readonly status: { readonly code: number; readonly message: string };
  readonly model: string | null;
  readonly provider: string | null;
  readonly tokens: {
    readonly input: number | null;
    readonly output: number | null;
    readonly total: number | null;
  } | null;
  /** Added up (a model call), or carried by an agent or chain that rolls up its children's (not added). */
  readonly usageCounted: boolean;
  readonly cost: number | null;
  readonly costSource: CostSource | null;
  readonly timeToFirstChunkMs: number | null;
  readonly errorType: string | null;
  readonly attributes: readonly (readonly [string, string])[];
  readonly moreAttributes: number;
  readonly events: readonly {
    readonly name: string;
    readonly offsetMs: number | null;
    readonly attributes: readonly (readonly [string, string])[];
  }[];
  readonly moreEvents: number;
  readonly findings: readonly PageFinding[];
  readonly moreFindings: number;
}

export interface PageTrace {
  readonly traceId: string;
  /** Why it is on the page: among the slowest, erroring, or both. */
  readonly reasons: readonly ("slowest" | "errors")[];
  readonly spans: PageSpan[];
  /** Spans of the trace past `maxTraceSpans`, not shown. */
  droppedSpans: number;
  /** Spans of the trace not shown because its spans had reached its share of `maxPageBytes`. */
  overPageBudget: number;
  /** Bytes of its spans as JSON. */
  bytes: number;
}

export interface FindingCounts {
  /** Spans validated, and those with at least one finding. */
  spans: number;
  spansWithFindings: number;
  readonly byRule: Map<string, { severity: Severity; count: number }>;
}

function clipText(text: string, max = PAGE_TEXT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length.toLocaleString("en-US")} characters)`;
}

/** An attribute value as the page shows it: strings as they are, everything else as JSON (bytes as hex). */
function preview(value: unknown): string {
  if (typeof value === "string") return clipText(value);
  try {
    const json = JSON.stringify(value, (_k, v: unknown) =>
      v instanceof Uint8Array
        ? `0x${Buffer.from(v).toString("hex")}`
        : typeof v === "number" && !Number.isFinite(v)
          ? String(v)
          : v,
    );
    return clipText(json ?? String(value));
  } catch {
    return String(value);
  }
}

function previewAttributes(attributes: Record<string, unknown>): { list: [string, string][]; more: number } {
  const list: [string, string][] = [];
  let more = 0;
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    if (list.length < PAGE_ATTRIBUTES) list.push([clipText(key, 200), preview(attributes[key])]);
    else more++;
  }
  return { list, more };
}

const NS_PER_MS = 1e6;

export class KeptTraces {
  readonly traces = new Map<string, PageTrace>();
  /** Bytes each kept trace's spans may take on the page (as JSON): an equal share of `maxPageBytes`. */
  private readonly traceBytes: number;
  readonly findings: FindingCounts = { spans: 0, spansWithFindings: 0, byRule: new Map() };

  constructor(
    reasons: ReadonlyMap<string, readonly ("slowest" | "errors")[]>,
    private readonly maxTraceSpans: number,
    maxPageBytes: number,
    private readonly registries: readonly RegistryValidator[],
    private readonly pricer: Pricer,
  ) {
    this.traceBytes = Math.floor(maxPageBytes / Math.max(1, reasons.size));
    for (const [traceId, why] of reasons)
      this.traces.set(traceId, { traceId, reasons: why, spans: [], droppedSpans: 0, overPageBudget: 0, bytes: 0 });
  }

  /** Validates a batch of spans and keeps those of the kept traces. */
  add(spans: readonly InputSpan[]): void {
    const perSpan = new Map<number, ReportFinding[]>();
    if (this.registries.length > 0) {
      this.findings.spans += spans.length;
      checkSpans(spans, this.registries, (finding, index) => {
        const rule = this.findings.byRule.get(finding.rule);
        if (rule) rule.count++;
        else this.findings.byRule.set(finding.rule, { severity: finding.severity, count: 1 });
        let list = perSpan.get(index);
        if (!list) {
          perSpan.set(index, (list = []));
          this.findings.spansWithFindings++;
        }
        list.push(finding);
      });
    }
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i]!;
      const trace = this.traces.get(span.traceId);
      if (!trace) continue;
      if (trace.spans.length >= this.maxTraceSpans) {
        trace.droppedSpans++;
        continue;
      }
      if (trace.overPageBudget > 0) {
        trace.overPageBudget++;
        continue;
      }
      const json = JSON.stringify(this.pageSpan(span, perSpan.get(i) ?? []));
      const bytes = Buffer.byteLength(json);
      if (trace.bytes + bytes > this.traceBytes) {
        // From here on, none: a smaller span later would make the cut look arbitrary.
        trace.overPageBudget++;
        continue;
      }
      trace.bytes += bytes;
      // Parsed back from the copy: the span's own strings would keep the whole input line they came from.
      trace.spans.push(JSON.parse(json) as PageSpan);
    }
  }

  private pageSpan(span: InputSpan, findings: readonly ReportFinding[]): PageSpan {
    const facts = factsOf(span);
    const usage = facts.tokens !== undefined || facts.spanCost !== undefined;
    const priced = usage ? costOf(facts.spanCost, span.attributes, this.pricer) : undefined;
    const attributes = previewAttributes(span.attributes);
    const events = span.events ?? [];
    return {
      spanId: span.spanId,
      parentSpanId: span.parentSpanId ?? null,
      name: clipText(span.name, 300),
      kind: clipText(facts.kind, 100),
      convention: facts.convention,
      spanKind: span.kind ?? null,
      startMs: span.startNs === undefined ? null : span.startNs / NS_PER_MS,
      durationMs:
        span.durationNs === undefined || span.startNs === undefined || span.durationNs < 0
          ? null
          : round3(span.durationNs / NS_PER_MS),
      status: { code: span.status?.code ?? 0, message: clipText(span.status?.message ?? "") },
      model: facts.model === undefined ? null : clipText(facts.model, 200),
      provider: facts.provider === undefined ? null : clipText(facts.provider, 200),
      tokens:
        facts.tokens === undefined
          ? null
          : {
              input: facts.tokens.input ?? null,
              output: facts.tokens.output ?? null,
              total: facts.tokens.total ?? null,
            },
      usageCounted: usage && facts.modelCall,
      cost: priced?.cost ?? null,
      costSource: priced?.source ?? null,
      timeToFirstChunkMs: facts.timeToFirstChunkMs === undefined ? null : round3(facts.timeToFirstChunkMs),
      errorType: facts.errorType === undefined ? null : clipText(facts.errorType, 200),
      attributes: attributes.list,
      moreAttributes: attributes.more,
      events: events.slice(0, PAGE_EVENTS).map((e) => ({
        name: clipText(e.name, 200),
        offsetMs:
          e.timeNs === undefined || span.startNs === undefined ? null : round3((e.timeNs - span.startNs) / NS_PER_MS),
        attributes: previewAttributes(e.attributes).list,
      })),
      moreEvents: Math.max(0, events.length - PAGE_EVENTS),
      findings: findings
        .slice(0, PAGE_FINDINGS)
        .map((f) => ({ severity: f.severity, rule: f.rule, key: clipText(f.key, 200), message: clipText(f.message) })),
      moreFindings: Math.max(0, findings.length - PAGE_FINDINGS),
    };
  }
}
