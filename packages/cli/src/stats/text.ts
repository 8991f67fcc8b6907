/**
 * The text rendering of a stats report: a summary, then aligned tables (by kind, by name, by model, error types,
 * slowest and erroring traces) and the notes. Text from the traces is escaped (`printable`): it goes to terminals.
 */
import { printable } from "../validate/printable.js";
import type { OtherRow, StatsReport, TraceRow } from "./aggregate.js";
import type { Percentiles } from "./sketch.js";
import type { RowJson } from "./tables.js";

const n = (x: number) => x.toLocaleString("en-US");
const count = (x: number, word: string) => `${n(x)} ${word}${x === 1 ? "" : "s"}`;

/** A duration in ms, in a unit that reads well: 0.42 ms, 312 ms, 4.21 s, 3.5 min. */
export function duration(ms: number): string {
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function money(value: number, currency = "USD"): string {
  const symbol = currency === "USD" ? "$" : `${currency} `;
  if (value === 0) return `${symbol}0`;
  return `${symbol}${value < 0.01 ? value.toPrecision(2) : value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: value < 1 ? 4 : 2 })}`;
}

export function percent(rate: number): string {
  return `${(rate * 100).toFixed(rate === 0 || rate >= 0.1 ? 1 : 2)}%`;
}

function pct(p: Percentiles, which: "p50" | "p95" | "max"): string {
  return p.count === 0 ? "—" : duration(p[which]);
}

/** Columns: header, right-aligned or not, and a cell per row. */
function table(headers: readonly string[], right: readonly boolean[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

function isOther(row: object): row is OtherRow {
  return (row as { other?: boolean }).other === true;
}

function otherLabel(row: OtherRow, what: string): string {
  return `(other: ${row.keysAtLeast ? "more than " : ""}${n(row.keys)} ${what})`;
}

function rowCells(r: RowJson): string[] {
  return [
    n(r.spans),
    n(r.errors),
    percent(r.errorRate),
    pct(r.durationMs, "p50"),
    pct(r.durationMs, "p95"),
    pct(r.durationMs, "max"),
  ];
}

function traceLines(rows: readonly TraceRow[], currency: string): string[] {
  return table(
    ["TRACE", "ROOT", "DURATION", "SPANS", "ERRORS", "TOKENS", "COST", "START"],
    [false, false, true, true, true, true, true, false],
    rows.map((t) => [
      t.traceId,
      t.root ? printable(`${t.root.name} (${t.root.kind})`) : "(no root span)",
      t.durationMs === null ? "—" : duration(t.durationMs),
      n(t.spans),
      t.errors > 0 ? `${n(t.errors)}${t.errorType ? ` ${printable(t.errorType)}` : ""}` : "0",
      n(t.tokens),
      money(t.cost, currency),
      t.start ?? "—",
    ]),
  );
}

export function renderText(report: StatsReport): string {
  const s = report.summary;
  const currency = s.cost.currency;
  const out: string[] = [];
  const when = s.start && s.end ? `, ${s.start} → ${s.end}` : "";
  out.push(`${count(s.spans, "span")} in ${count(s.traces, "trace")}${when}`);
  if (s.rejected > 0) out.push(`${count(s.rejected, "record")} rejected (listed on stderr)`);
  out.push(
    `errors: ${count(s.errors, "span")} (${percent(s.errorRate)}), in ${count(s.tracesWithErrors, "trace")} (${percent(s.traces === 0 ? 0 : s.tracesWithErrors / s.traces)})`,
  );
  if (s.durationMs.count > 0)
    out.push(
      `span duration: p50 ${duration(s.durationMs.p50)}, p95 ${duration(s.durationMs.p95)}, max ${duration(s.durationMs.max)}`,
    );
  if (s.traceDurationMs.count > 0)
    out.push(
      `trace duration: p50 ${duration(s.traceDurationMs.p50)}, p95 ${duration(s.traceDurationMs.p95)}, max ${duration(s.traceDurationMs.max)}`,
    );
  if (s.tokens.spans > 0 || s.cost.total > 0) {
    const priced = [
      s.cost.fromSpans > 0 ? `${n(s.cost.fromSpans)} calls from their own cost` : "",
      s.cost.fromPriceTable > 0 ? `${n(s.cost.fromPriceTable)} from the price table of ${s.cost.priceTable}` : "",
      s.cost.unpriced > 0 ? `${n(s.cost.unpriced)} unpriced` : "",
    ]
      .filter(Boolean)
      .join(", ");
    out.push(
      `tokens: ${n(s.tokens.input)} input, ${n(s.tokens.output)} output, ${n(s.tokens.total)} total in ${count(s.tokens.spans, "model call")}; cost ${money(s.cost.total, currency)}${priced ? ` (${priced})` : ""}`,
    );
  }
  if (s.timeToFirstChunkMs.count > 0)
    out.push(
      `time to first chunk: ${count(s.timeToFirstChunkMs.count, "streamed call")}, p50 ${duration(s.timeToFirstChunkMs.p50)}, p95 ${duration(s.timeToFirstChunkMs.p95)}, max ${duration(s.timeToFirstChunkMs.max)}`,
    );

  out.push("", "By kind");
  out.push(
    ...table(
      ["KIND", "CONVENTION", "SPANS", "ERRORS", "ERROR%", "P50", "P95", "MAX", "TOKENS", "COST"],
      [false, false, true, true, true, true, true, true, true, true],
      report.byKind.map((r) => [
        isOther(r) ? otherLabel(r, "kinds") : printable(r.kind),
        isOther(r) ? "" : r.convention,
        ...rowCells(r),
        n(r.tokens.total),
        money(r.cost.total, currency),
      ]),
    ),
  );
  out.push(
    "",
    `By name (the first ${n(report.method.caps.maxNames)} names seen; later ones under "other": --max-names)`,
  );
  out.push(
    ...table(
      ["KIND", "NAME", "SPANS", "ERRORS", "ERROR%", "P50", "P95", "MAX"],
      [false, false, true, true, true, true, true, true],
      report.byName.map((r) =>
        isOther(r)
          ? ["", otherLabel(r, "names"), ...rowCells(r)]
          : [printable(r.kind), printable(r.name) || "<unnamed>", ...rowCells(r)],
      ),
    ),
  );
  if (report.byModel.length > 0) {
    out.push("", "Model calls by provider and model");
    out.push(
      ...table(
        [
          "PROVIDER",
          "MODEL",
          "CALLS",
          "ERRORS",
          "P50",
          "P95",
          "INPUT",
          "OUTPUT",
          "TOTAL",
          "COST",
          "UNPRICED",
          "TTFC P50",
        ],
        [false, false, true, true, true, true, true, true, true, true, true, true],
        report.byModel.map((r) => [
          isOther(r) ? "" : printable(r.provider),
          isOther(r) ? otherLabel(r, "models") : printable(r.model),
          n(r.spans),
          n(r.errors),
          pct(r.durationMs, "p50"),
          pct(r.durationMs, "p95"),
          n(r.tokens.input),
          n(r.tokens.output),
          n(r.tokens.total),
          money(r.cost.total, currency),
          n(r.cost.unpriced),
          pct(r.timeToFirstChunkMs, "p50"),
        ]),
      ),
    );
  }
  const e = report.errors;
  if (e.spans > 0 || e.exceptionEvents > 0) {
    out.push(
      "",
      `Errors: ${count(e.spans, "failed span")} (status ERROR), ${count(e.exceptionEvents, "exception event")}${e.exceptionsWithoutError > 0 ? ` (${count(e.exceptionsWithoutError, "span")} recorded an exception without failing)` : ""}`,
    );
    if (e.types.length > 0) {
      out.push(
        ...table(
          ["TYPE", "SPANS", "EXAMPLE"],
          [false, true, false],
          [
            ...e.types.map((t) => [
              printable(t.type),
              n(t.spans),
              printable(
                `${t.example.spanName || "<unnamed>"} [${t.example.traceId}/${t.example.spanId}]${t.example.message ? `: ${t.example.message}` : ""}`,
              ),
            ]),
            ...(e.otherTypes.spans > 0 ? [[`(other: ${n(e.otherTypes.types)} types)`, n(e.otherTypes.spans), ""]] : []),
          ],
        ),
      );
    }
  }
  if (report.slowestTraces.length > 0) out.push("", "Slowest traces", ...traceLines(report.slowestTraces, currency));
  if (report.errorTraces.length > 0)
    out.push("", "Erroring traces (one of each error type first)", ...traceLines(report.errorTraces, currency));
  if (report.notes.length > 0) out.push("", "Notes", ...report.notes.map((note) => `- ${printable(note)}`));
  out.push("", `Percentiles from a ${report.method.percentiles}.`);
  return `${out.join("\n")}\n`;
}
