/**
 * Adding up spans as they stream by, in memory bounded by the caps (never by the number of spans): tables by kind,
 * by name and by model (each capped, the rest in an "other" row), error types (capped), trace summaries (a bounded
 * table of open traces), the slowest traces (a bounded heap) and erroring traces (a bounded list). `report()` gives
 * the result as plain JSON, the same object the json output prints and the HTML page embeds.
 */
import type { InputSpan } from "../validate/otlp.js";
import { detached } from "./detached.js";
import { factsOf, type Convention, type SpanFacts } from "./facts.js";
import { costOf, type Pricer } from "./pricing.js";
import { RELATIVE_ACCURACY, Quantiles, round3, type Percentiles } from "./sketch.js";
import { CappedTable, RowStats, rate, roundCost, type RowJson } from "./tables.js";
import { ErrorTraces, OpenTraces, TopN, traceDurationNs, type TraceSummary } from "./traces.js";

export interface StatsCaps {
  /** Rows of the by-name table (kind and span name); later names are summed as "other". */
  readonly maxNames: number;
  /** Rows of the by-kind table. */
  readonly maxKinds: number;
  /** Rows of the by-model table (provider and model). */
  readonly maxModels: number;
  /** Rows of the error-types table. */
  readonly maxErrorTypes: number;
  /** Traces held open at once (see `OpenTraces`). */
  readonly maxOpenTraces: number;
  /** The slowest traces listed (and kept in full in the HTML page). */
  readonly slowest: number;
  /** Erroring traces listed (and kept in full in the HTML page). */
  readonly errorTraces: number;
}

export const DEFAULT_STATS_CAPS: StatsCaps = {
  maxNames: 50,
  maxKinds: 50,
  maxModels: 50,
  maxErrorTypes: 50,
  maxOpenTraces: 10_000,
  slowest: 10,
  errorTraces: 10,
};

/** Models named in the "unpriced" note, at most. */
const UNPRICED_MODELS_LISTED = 20;
/** Longest text (names, models, messages) kept in the report: trace data can hold anything. */
const MAX_TEXT = 200;

/** Text kept in the report: clipped, and detached from the input it was parsed from. */
function clip(text: string): string {
  return detached(text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}…`);
}

const NS_PER_MS = 1e6;

export interface KindRow extends RowJson {
  readonly kind: string;
  readonly convention: Convention;
}
export interface NameRow extends RowJson {
  readonly kind: string;
  readonly convention: Convention;
  readonly name: string;
}
export interface ModelRow extends RowJson {
  readonly provider: string;
  readonly model: string;
}
/** The "other" row of a capped table: what went past its cap. */
export interface OtherRow extends RowJson {
  readonly other: true;
  /** Distinct keys summed in it (`keysAtLeast`: at least that many). */
  readonly keys: number;
  readonly keysAtLeast?: true;
}

export interface ErrorTypeRow {
  readonly type: string;
  readonly spans: number;
  readonly example: {
    readonly message: string | undefined;
    readonly traceId: string;
    readonly spanId: string;
    readonly spanName: string;
  };
}

export interface TraceRow {
  readonly traceId: string;
  readonly root: { readonly name: string; readonly kind: string } | null;
  /** The root span's duration, else the trace's extent; null when its spans carry no times. */
  readonly durationMs: number | null;
  readonly start: string | null;
  readonly spans: number;
  readonly errors: number;
  readonly errorType: string | null;
  readonly tokens: number;
  readonly cost: number;
}

export interface StatsReport {
  readonly summary: {
    readonly spans: number;
    readonly traces: number;
    readonly tracesWithErrors: number;
    readonly errors: number;
    readonly errorRate: number;
    readonly start: string | null;
    readonly end: string | null;
    readonly durationMs: Percentiles;
    readonly traceDurationMs: Percentiles;
    readonly tokens: RowJson["tokens"];
    readonly cost: RowJson["cost"] & { readonly currency: string; readonly priceTable: string | null };
    readonly timeToFirstChunkMs: Percentiles;
    readonly rejected: number;
  };
  readonly byKind: readonly (KindRow | OtherRow)[];
  readonly byName: readonly (NameRow | OtherRow)[];
  readonly byModel: readonly (ModelRow | OtherRow)[];
  readonly errors: {
    readonly spans: number;
    readonly rate: number;
    readonly types: readonly ErrorTypeRow[];
    /** Failed spans of types past the cap. */
    readonly otherTypes: { readonly spans: number; readonly types: number };
    readonly exceptionEvents: number;
    /** Spans with an exception event whose status is not ERROR (handled, or not marked). */
    readonly exceptionsWithoutError: number;
  };
  readonly slowestTraces: readonly TraceRow[];
  readonly errorTraces: readonly TraceRow[];
  /** Things to know when reading the numbers: usage not added, traces split, unpriced models, spans without times. */
  readonly notes: readonly string[];
  readonly method: { readonly percentiles: string; readonly relativeAccuracy: number; readonly caps: StatsCaps };
}

type KindKey = { kind: string; convention: Convention };
type NameKey = KindKey & { name: string };
type ModelKey = { provider: string; model: string };

export class StatsAggregator {
  spans = 0;
  rejected = 0;
  private readonly all = new RowStats();
  private readonly byKind: CappedTable<KindKey>;
  private readonly byName: CappedTable<NameKey>;
  private readonly byModel: CappedTable<ModelKey>;
  private readonly errorTypes = new Map<string, { spans: number; example: ErrorTypeRow["example"] }>();
  private readonly otherErrorTypes = { spans: 0, types: new Set<string>() };
  private readonly traceDurations = new Quantiles();
  private traces = 0;
  private tracesWithErrors = 0;
  private readonly open: OpenTraces;
  private readonly slowest: TopN<TraceSummary>;
  private readonly erroring: ErrorTraces;
  private firstStartNs = Number.POSITIVE_INFINITY;
  private lastEndNs = Number.NEGATIVE_INFINITY;
  private spansWithoutTimes = 0;
  private negativeDurations = 0;
  private spansWithoutTraceId = 0;
  private exceptionEvents = 0;
  private exceptionsWithoutError = 0;
  /** Usage on spans that are not model calls (agents, chains: they may roll up their children's). */
  private readonly rolledUp = { spans: 0, tokens: 0, cost: 0, kinds: new Set<string>() };
  private readonly unpricedModels = new Map<string, number>();
  private unpricedModelsMore = 0;

  constructor(
    readonly caps: StatsCaps,
    private readonly pricer: Pricer,
  ) {
    this.byKind = new CappedTable(caps.maxKinds);
    this.byName = new CappedTable(caps.maxNames);
    this.byModel = new CappedTable(caps.maxModels);
    this.open = new OpenTraces(caps.maxOpenTraces, (t) => this.finishTrace(t));
    this.slowest = new TopN(caps.slowest, traceDurationNs);
    this.erroring = new ErrorTraces(caps.errorTraces);
  }

  add(span: InputSpan): void {
    const facts = factsOf(span);
    this.spans++;
    const durationNs = span.durationNs;
    let durationMs: number | undefined;
    if (durationNs === undefined || span.startNs === undefined) this.spansWithoutTimes++;
    else if (durationNs < 0) this.negativeDurations++;
    else {
      durationMs = durationNs / NS_PER_MS;
      if (span.startNs < this.firstStartNs) this.firstStartNs = span.startNs;
      const end = span.startNs + durationNs;
      if (end > this.lastEndNs) this.lastEndNs = end;
    }
    const kindRow = this.byKind.row(`${facts.convention}\u0000${facts.kind}`, () => ({
      kind: clip(facts.kind),
      convention: facts.convention,
    }));
    const nameRow = this.byName.row(`${facts.convention}\u0000${facts.kind}\u0000${span.name}`, () => ({
      kind: clip(facts.kind),
      convention: facts.convention,
      name: clip(span.name),
    }));
    const provider = facts.provider ?? "(unknown)";
    const model = facts.model ?? "(unknown)";
    const modelRow = facts.modelCall
      ? this.byModel.row(`${provider}\u0000${model}`, () => ({ provider: clip(provider), model: clip(model) }))
      : undefined;
    const rows = [this.all, kindRow, nameRow, modelRow];
    const { tokens, cost } = this.usage(span, facts, rows);
    for (const row of rows) {
      if (row === undefined) continue;
      row.spans++;
      if (facts.failed) row.errors++;
      if (durationMs !== undefined) row.durationMs.add(durationMs);
      if (facts.timeToFirstChunkMs !== undefined) row.timeToFirstChunkMs.add(facts.timeToFirstChunkMs);
    }
    this.errors(span, facts);
    if (span.traceId === "") {
      this.spansWithoutTraceId++;
      return;
    }
    const trace = this.open.touch(span.traceId);
    trace.spans++;
    if (facts.failed) {
      trace.errors++;
      if (trace.errorType === undefined && facts.errorType !== undefined) trace.errorType = clip(facts.errorType);
    }
    if (durationMs !== undefined) {
      const start = span.startNs!;
      if (!(start >= trace.startNs)) trace.startNs = start;
      const end = start + durationNs!;
      if (!(end <= trace.endNs)) trace.endNs = end;
    }
    if (span.parentSpanId === undefined && trace.rootName === undefined) {
      trace.rootName = clip(span.name);
      trace.rootKind = clip(facts.kind);
      trace.rootDurationNs = durationMs !== undefined ? durationNs : undefined;
    }
    trace.tokens += tokens;
    trace.cost += cost;
  }

  /** Adds the span's tokens and cost to its rows (model calls only); returns what was added. */
  private usage(
    span: InputSpan,
    facts: SpanFacts,
    rows: readonly (RowStats | undefined)[],
  ): { tokens: number; cost: number } {
    const { tokens, spanCost } = facts;
    if (tokens === undefined && spanCost === undefined) return { tokens: 0, cost: 0 };
    if (!facts.modelCall) {
      this.rolledUp.spans++;
      this.rolledUp.tokens += tokens?.total ?? 0;
      this.rolledUp.cost += spanCost ?? 0;
      if (this.rolledUp.kinds.size < 10) this.rolledUp.kinds.add(clip(facts.kind));
      return { tokens: 0, cost: 0 };
    }
    const { cost, source } = costOf(spanCost, span.attributes, this.pricer);
    if (source === "unpriced") this.noteUnpriced(facts.model ?? "(unknown)");
    for (const row of rows) {
      if (row === undefined) continue;
      if (tokens !== undefined) row.addTokens(tokens);
      if (source === "span") row.costFromSpans++;
      else if (source === "table") row.costFromTable++;
      else row.unpriced++;
      row.cost += cost ?? 0;
    }
    return { tokens: tokens?.total ?? 0, cost: cost ?? 0 };
  }

  private noteUnpriced(model: string): void {
    // Keyed by the clipped name, as listed: a long name must find its own entry again.
    const key = model.length <= MAX_TEXT ? model : clip(model);
    const known = this.unpricedModels.get(key);
    if (known !== undefined) this.unpricedModels.set(key, known + 1);
    else if (this.unpricedModels.size < UNPRICED_MODELS_LISTED) this.unpricedModels.set(detached(key), 1);
    else this.unpricedModelsMore++;
  }

  private errors(span: InputSpan, facts: SpanFacts): void {
    this.exceptionEvents += facts.exceptions;
    if (!facts.failed) {
      if (facts.exceptions > 0) this.exceptionsWithoutError++;
      return;
    }
    const type = facts.errorType!;
    const known = this.errorTypes.get(type);
    if (known) known.spans++;
    else if (this.errorTypes.size < this.caps.maxErrorTypes) {
      this.errorTypes.set(detached(type), {
        spans: 1,
        example: {
          message: facts.errorMessage === undefined ? undefined : clip(facts.errorMessage),
          traceId: detached(span.traceId),
          spanId: detached(span.spanId),
          spanName: clip(span.name),
        },
      });
    } else {
      this.otherErrorTypes.spans++;
      if (this.otherErrorTypes.types.size < 10_000 && !this.otherErrorTypes.types.has(type))
        this.otherErrorTypes.types.add(clip(type));
    }
  }

  private finishTrace(trace: TraceSummary): void {
    this.traces++;
    if (trace.errors > 0) this.tracesWithErrors++;
    const duration = traceDurationNs(trace);
    if (duration >= 0) this.traceDurations.add(duration / NS_PER_MS);
    this.slowest.offer(trace);
    this.erroring.offer(trace);
  }

  private finished = false;

  /** Finishes the open traces; call once, after the last span. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.open.finishAll();
  }

  /** The traces kept in full by the HTML page: the slowest and the erroring ones. */
  keptTraceIds(): Set<string> {
    this.finish();
    return new Set([...this.slowest.sorted(), ...this.erroring.list()].map((t) => t.traceId));
  }

  report(): StatsReport {
    this.finish();
    const other = <K>(table: CappedTable<K>): OtherRow[] =>
      table.other.spans === 0
        ? []
        : [
            {
              other: true,
              keys: table.otherKeyCount,
              ...(table.otherKeysOverflow ? { keysAtLeast: true as const } : {}),
              ...table.other.toJSON(),
            },
          ];
    const all = this.all.toJSON();
    const table = this.pricer.table;
    return {
      summary: {
        spans: this.spans,
        traces: this.traces,
        tracesWithErrors: this.tracesWithErrors,
        errors: this.all.errors,
        errorRate: rate(this.all.errors, this.spans),
        start: Number.isFinite(this.firstStartNs) ? iso(this.firstStartNs) : null,
        end: Number.isFinite(this.lastEndNs) ? iso(this.lastEndNs) : null,
        durationMs: all.durationMs,
        traceDurationMs: this.traceDurations.summary(),
        tokens: all.tokens,
        cost: { ...all.cost, currency: table?.currency ?? "USD", priceTable: table?.version ?? null },
        timeToFirstChunkMs: all.timeToFirstChunkMs,
        rejected: this.rejected,
      },
      byKind: [...this.byKind.sorted().map(({ key, stats }) => ({ ...key, ...stats.toJSON() })), ...other(this.byKind)],
      byName: [...this.byName.sorted().map(({ key, stats }) => ({ ...key, ...stats.toJSON() })), ...other(this.byName)],
      byModel: [
        ...this.byModel.sorted().map(({ key, stats }) => ({ ...key, ...stats.toJSON() })),
        ...other(this.byModel),
      ],
      errors: {
        spans: this.all.errors,
        rate: rate(this.all.errors, this.spans),
        types: [...this.errorTypes]
          .map(([type, e]) => ({ type: clip(type), spans: e.spans, example: e.example }))
          .sort((a, b) => b.spans - a.spans || (a.type < b.type ? -1 : 1)),
        otherTypes: { spans: this.otherErrorTypes.spans, types: this.otherErrorTypes.types.size },
        exceptionEvents: this.exceptionEvents,
        exceptionsWithoutError: this.exceptionsWithoutError,
      },
      slowestTraces: this.slowest.sorted().map(traceRow),
      errorTraces: this.erroring.list().map(traceRow),
      notes: this.notes(),
      method: {
        percentiles: "DDSketch (relative error ≤ 1%; min, max, counts and sums exact)",
        relativeAccuracy: RELATIVE_ACCURACY,
        caps: this.caps,
      },
    };
  }

  private notes(): string[] {
    const notes: string[] = [];
    const n = (x: number) => x.toLocaleString("en-US");
    const spans = (x: number) => `${n(x)} span${x === 1 ? "" : "s"}`;
    if (this.rolledUp.spans > 0) {
      const which = this.rolledUp.spans === 1 ? "is not a model call" : "are not model calls";
      const cost = this.rolledUp.cost > 0 ? `, cost ${roundCost(this.rolledUp.cost)}` : "";
      notes.push(
        `usage on ${spans(this.rolledUp.spans)} that ${which} (${[...this.rolledUp.kinds].join(", ")}): ${n(this.rolledUp.tokens)} tokens${cost}, not added, as such spans roll up their children's calls`,
      );
    }
    if (this.unpricedModels.size > 0) {
      const listed = [...this.unpricedModels].map(([model, count]) => `${clip(model)} (${n(count)})`).join(", ");
      const why =
        this.pricer.unavailable ??
        `not in the price table${this.pricer.table ? ` of ${this.pricer.table.version}` : ""}`;
      notes.push(
        `model calls with token counts but no cost, unpriced: ${listed}${this.unpricedModelsMore > 0 ? `, and ${n(this.unpricedModelsMore)} calls of other models` : ""} — ${why}`,
      );
    }
    if (this.spansWithoutTimes > 0)
      notes.push(`${spans(this.spansWithoutTimes)} without a start or end time: counted, but not in the durations`);
    if (this.negativeDurations > 0)
      notes.push(
        `${spans(this.negativeDurations)} ending before ${this.negativeDurations === 1 ? "it starts" : "they start"}: counted, but not in the durations`,
      );
    if (this.spansWithoutTraceId > 0)
      notes.push(`${spans(this.spansWithoutTraceId)} without a trace id: counted in the tables, not in any trace`);
    if (this.open.split > 0) {
      notes.push(
        `${n(this.open.split)} trace${this.open.split === 1 ? "" : "s"} had spans far apart in the input (more than ${n(this.caps.maxOpenTraces)} other traces in between) and were counted twice; raise --max-open-traces`,
      );
    }
    return notes;
  }

  /** Latency histogram of the spans of each kind row, on shared log-spaced edges (ms): for the HTML page. */
  latencyHistogram(buckets = 24): {
    edges: number[];
    rows: { kind: string; convention: Convention; counts: number[] }[];
  } {
    const rows = this.byKind.sorted();
    const withSpans = rows.filter((r) => r.stats.durationMs.count > 0);
    if (withSpans.length === 0) return { edges: [], rows: [] };
    const min = Math.max(1e-3, Math.min(...withSpans.map((r) => r.stats.durationMs.min)));
    const max = Math.max(min * 1.0001, ...withSpans.map((r) => r.stats.durationMs.max));
    const edges = [0];
    for (let i = 1; i <= buckets; i++) edges.push(round3(min * (max / min) ** (i / buckets)));
    return {
      edges,
      rows: withSpans.map((r) => ({
        kind: r.key.kind,
        convention: r.key.convention,
        counts: r.stats.durationMs.histogram(edges),
      })),
    };
  }
}

function iso(ns: number): string {
  const ms = ns / NS_PER_MS;
  // To the nearest millisecond: a start plus a duration, both exact, can land a hair below it as a double.
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(Math.round(ms)).toISOString() : String(ns);
}

function traceRow(t: TraceSummary): TraceRow {
  const duration = traceDurationNs(t);
  return {
    traceId: t.traceId,
    root: t.rootName !== undefined ? { name: clip(t.rootName), kind: clip(t.rootKind ?? "other") } : null,
    durationMs: duration >= 0 ? round3(duration / NS_PER_MS) : null,
    start: Number.isNaN(t.startNs) ? null : iso(t.startNs),
    spans: t.spans,
    errors: t.errors,
    errorType: t.errorType === undefined ? null : clip(t.errorType),
    tokens: t.tokens,
    cost: roundCost(t.cost),
  };
}
