/**
 * The script of the stats page, run in the browser. It is embedded in the page as the text of `statsPage` (see
 * `page.ts`), so everything it uses is inside the function: it must not refer to anything else in this module.
 * Text from the traces only ever goes into the page as text (`textContent`, text nodes, attribute values).
 *
 * The DOM is typed by the small interface below rather than TypeScript's "dom" library, whose globals (fetch's
 * body types among them) clash with Node's in the rest of this package.
 */
import type { PageData } from "./page.js";
import type { PageSpan, PageTrace } from "../kept.js";
import type { TraceRow } from "../aggregate.js";

/** The part of a DOM element (HTML or SVG) the page uses. */
interface El {
  append(...nodes: (El | string)[]): void;
  after(...nodes: (El | string)[]): void;
  remove(): void;
  setAttribute(name: string, value: string): void;
  addEventListener(type: string, listener: (event: { key?: string; preventDefault(): void }) => void): void;
  querySelector(selector: string): El | null;
  className: string;
  textContent: string | null;
  readonly style: Record<string, string>;
  readonly classList: { toggle(name: string, force?: boolean): void };
  readonly dataset: Record<string, string | undefined>;
  open?: boolean;
  value: string;
  checked: boolean;
}

/** The part of `document` the page uses. */
declare const document: {
  getElementById(id: string): El | null;
  createElement(tag: string): El;
  createElementNS(namespace: string, tag: string): El;
  querySelectorAll(selector: string): ArrayLike<El>;
};

/** The formatting functions of the text report, passed in so the page prints numbers exactly as `stats` does. */
export interface PageFormat {
  duration(ms: number): string;
  money(value: number, currency?: string): string;
  percent(rate: number): string;
}

export function statsPage(data: PageData, fmt: PageFormat): void {
  const app = document.getElementById("app")!;
  const report = data.report;
  const summary = report.summary;
  const currency = summary.cost.currency;
  const n = (x: number) => x.toLocaleString("en-US");
  const count = (x: number, word: string) => `${n(x)} ${word}${x === 1 ? "" : "s"}`;
  const size = (bytes: number) =>
    bytes >= 1048576 ? `${n(Math.round((bytes / 1048576) * 10) / 10)} MiB` : `${n(Math.round(bytes / 1024))} KiB`;
  const PALETTE = [
    "#2f6fde",
    "#e07b39",
    "#2e8b57",
    "#9a5bd8",
    "#c8322f",
    "#1f9bb4",
    "#b7791f",
    "#d4589b",
    "#6b7f2a",
    "#5d6778",
  ];

  type Child = El | string | null | undefined | false;
  function h(
    tag: string,
    props: Record<string, string | number | boolean | null | undefined> = {},
    ...children: Child[]
  ): El {
    const el = document.createElement(tag);
    for (const key of Object.keys(props)) {
      const value = props[key];
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") el.className = String(value);
      else if (key === "text") el.textContent = String(value);
      else el.setAttribute(key, String(value));
    }
    for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
    return el;
  }
  function svg(tag: string, attrs: Record<string, string | number>, ...children: (El | string)[]): El {
    const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const key of Object.keys(attrs)) el.setAttribute(key, String(attrs[key]));
    for (const child of children) el.append(child);
    return el;
  }
  const dur = (ms: number | null | undefined) => (ms === null || ms === undefined ? "—" : fmt.duration(ms));
  const kindLabel = (kind: string, convention: string) => (convention === "genai" ? `gen_ai ${kind}` : kind);

  // --- header and summary cards ---------------------------------------------------------------------------------
  app.append(
    h("h1", { text: "semtrace stats" }),
    h("div", {
      class: "muted",
      id: "inputs",
      text: `${data.inputs.length === 1 ? data.inputs[0] : `${n(data.inputs.length)} inputs: ${data.inputs.slice(0, 5).join(", ")}${data.inputs.length > 5 ? ", …" : ""}`}${summary.start ? ` · ${summary.start} → ${summary.end}` : ""}`,
    }),
  );
  const card = (stat: string, value: number, label: string, shown: string, sub?: string) =>
    h(
      "div",
      { class: "card", "data-stat": stat, "data-value": value },
      h("div", { class: "label", text: label }),
      h("div", { class: "value", text: shown }),
      sub ? h("div", { class: "sub", text: sub }) : null,
    );
  const cards = h("div", { class: "cards", id: "summary" });
  cards.append(
    card("spans", summary.spans, "Spans", n(summary.spans), count(summary.traces, "trace")),
    card(
      "errorRate",
      summary.errorRate,
      "Error rate",
      fmt.percent(summary.errorRate),
      `${count(summary.errors, "span")}, ${count(summary.tracesWithErrors, "trace")}`,
    ),
    card(
      "p50",
      summary.durationMs.p50,
      "Span duration p50",
      dur(summary.durationMs.count ? summary.durationMs.p50 : null),
      `p95 ${dur(summary.durationMs.count ? summary.durationMs.p95 : null)} · max ${dur(summary.durationMs.count ? summary.durationMs.max : null)}`,
    ),
    card(
      "traceP50",
      summary.traceDurationMs.p50,
      "Trace duration p50",
      dur(summary.traceDurationMs.count ? summary.traceDurationMs.p50 : null),
      `p95 ${dur(summary.traceDurationMs.count ? summary.traceDurationMs.p95 : null)} · max ${dur(summary.traceDurationMs.count ? summary.traceDurationMs.max : null)}`,
    ),
    card(
      "tokens",
      summary.tokens.total,
      "Tokens",
      n(summary.tokens.total),
      `${n(summary.tokens.input)} in · ${n(summary.tokens.output)} out · ${count(summary.tokens.spans, "call")}`,
    ),
    card(
      "cost",
      summary.cost.total,
      "Cost",
      fmt.money(summary.cost.total, currency),
      `${n(summary.cost.fromSpans)} from spans · ${n(summary.cost.fromPriceTable)} priced${summary.cost.priceTable ? ` (${summary.cost.priceTable})` : ""} · ${n(summary.cost.unpriced)} unpriced`,
    ),
  );
  if (summary.timeToFirstChunkMs.count > 0)
    cards.append(
      card(
        "ttfc",
        summary.timeToFirstChunkMs.p50,
        "Time to first chunk p50",
        dur(summary.timeToFirstChunkMs.p50),
        `p95 ${dur(summary.timeToFirstChunkMs.p95)} · ${count(summary.timeToFirstChunkMs.count, "stream")}`,
      ),
    );
  if (summary.rejected > 0)
    cards.append(
      card("rejected", summary.rejected, "Rejected records", n(summary.rejected), "malformed input: see stderr"),
    );
  if (data.findings) {
    const total = data.findings.byRule.reduce((a, r) => a + r.count, 0);
    cards.append(
      card(
        "findings",
        total,
        "Validation findings",
        n(total),
        `${n(data.findings.spansWithFindings)} of ${n(data.findings.spans)} spans · ${data.findings.registries.join(", ") || "no registry"}`,
      ),
    );
  }
  app.append(cards);

  // --- filters ----------------------------------------------------------------------------------------------------
  const search = h("input", {
    type: "search",
    id: "filter-search",
    placeholder: "Search names, models, trace ids, error types",
  });
  const kindSelect = h("select", { id: "filter-kind" }, h("option", { value: "", text: "All kinds" }));
  for (const row of report.byKind)
    if (!("other" in row))
      kindSelect.append(
        h("option", { value: `${row.convention}\u0000${row.kind}`, text: kindLabel(row.kind, row.convention) }),
      );
  const modelSelect = h("select", { id: "filter-model" }, h("option", { value: "", text: "All models" }));
  for (const row of report.byModel)
    if (!("other" in row))
      modelSelect.append(h("option", { value: row.model, text: `${row.model} (${row.provider})` }));
  const errorsOnly = h("input", { type: "checkbox", id: "filter-errors" });
  const shownCount = h("span", { class: "muted", id: "filter-count" });
  app.append(
    h(
      "div",
      { class: "filters" },
      search,
      h("label", {}, "Kind", kindSelect),
      h("label", {}, "Model", modelSelect),
      h("label", {}, errorsOnly, "Errors only"),
      shownCount,
    ),
  );

  // --- charts -----------------------------------------------------------------------------------------------------
  const colorOf = new Map<string, string>();
  report.byKind.forEach((row, i) => {
    if (!("other" in row)) colorOf.set(`${row.convention}\u0000${row.kind}`, PALETTE[i % PALETTE.length]!);
  });
  const latencyFigure = h(
    "figure",
    { id: "latency-chart" },
    h("figcaption", { text: "Span durations by kind (log scale)" }),
  );
  const costFigure = h("figure", { id: "cost-chart" });
  const namesFigure = h(
    "figure",
    { id: "names-chart" },
    h("figcaption", { text: "p50 and p95 duration of the busiest names" }),
  );
  app.append(h("h2", { text: "Charts" }), h("div", { class: "charts" }, latencyFigure, costFigure, namesFigure));

  function drawLatency(kindFilter: string): void {
    latencyFigure.querySelector("svg")?.remove();
    latencyFigure.querySelector(".legend")?.remove();
    const { edges } = data.histogram;
    const rows = data.histogram.rows.filter((r) => !kindFilter || `${r.convention}\u0000${r.kind}` === kindFilter);
    const W = 640;
    const H = 220;
    const left = 44;
    const bottom = 26;
    const buckets = Math.max(0, edges.length - 1);
    const chart = svg("svg", {
      viewBox: `0 0 ${W} ${H}`,
      width: "100%",
      role: "img",
      "aria-label": "latency histogram",
    });
    if (buckets === 0 || rows.length === 0) {
      chart.append(svg("text", { x: 10, y: 30 }, "No spans with durations"));
      latencyFigure.append(chart);
      return;
    }
    const totals = new Array<number>(buckets).fill(0);
    for (const r of rows)
      r.counts.forEach((c, i) => {
        totals[i]! += c;
      });
    const top = Math.max(1, ...totals);
    const bw = (W - left - 8) / buckets;
    chart.append(
      svg("line", { class: "axis", x1: left, y1: H - bottom, x2: W - 4, y2: H - bottom }),
      svg("text", { x: 2, y: 12 }, n(top)),
      svg("text", { x: 2, y: H - bottom }, "0"),
    );
    const base = new Array<number>(buckets).fill(0);
    for (const r of rows) {
      const color = colorOf.get(`${r.convention}\u0000${r.kind}`) ?? PALETTE[PALETTE.length - 1]!;
      r.counts.forEach((c, i) => {
        if (c === 0) return;
        const height = (c / top) * (H - bottom - 16);
        const y = H - bottom - base[i]! - height;
        base[i]! += height;
        const rect = svg("rect", {
          x: left + i * bw + 1,
          y,
          width: Math.max(1, bw - 2),
          height,
          fill: color,
          "data-kind": r.kind,
          "data-count": c,
        });
        rect.append(
          svg(
            "title",
            {},
            `${kindLabel(r.kind, r.convention)}: ${n(c)} spans from ${fmt.duration(edges[i]!)} to ${fmt.duration(edges[i + 1]!)}`,
          ),
        );
        chart.append(rect);
      });
    }
    for (let i = 0; i <= buckets; i += Math.max(1, Math.floor(buckets / 6)))
      chart.append(
        svg(
          "text",
          { x: left + i * bw, y: H - 8, "text-anchor": "middle" },
          edges[i] === 0 ? "0" : fmt.duration(edges[i]!),
        ),
      );
    latencyFigure.append(
      chart,
      legend(
        rows.map((r) => [kindLabel(r.kind, r.convention), colorOf.get(`${r.convention}\u0000${r.kind}`) ?? "#888"]),
      ),
    );
  }

  function legend(items: readonly (readonly [string, string])[]): El {
    const el = h("div", { class: "legend" });
    for (const [label, color] of items) {
      const swatch = h("span", { class: "swatch" });
      swatch.style.background = color;
      el.append(h("span", {}, swatch, label));
    }
    return el;
  }

  /** Horizontal bars: a label, one or two values per row, printed with `show`. */
  function bars(
    figure: El,
    rows: readonly { label: string; values: number[]; key: string }[],
    show: (v: number) => string,
    series: readonly string[],
  ): void {
    const W = 640;
    const rowH = 20;
    const labelW = 230;
    const H = Math.max(40, rows.length * rowH * series.length + 10);
    const top = Math.max(Number.MIN_VALUE, ...rows.flatMap((r) => r.values));
    const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img" });
    rows.forEach((r, i) => {
      const y = 4 + i * rowH * series.length;
      chart.append(svg("text", { x: 0, y: y + 13 }, r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label));
      r.values.forEach((v, k) => {
        const width = top > 0 ? (v / top) * (W - labelW - 90) : 0;
        const rect = svg("rect", {
          x: labelW,
          y: y + k * rowH + 3,
          width: Math.max(1, width),
          height: rowH - 6,
          fill: PALETTE[k % PALETTE.length]!,
          "data-key": r.key,
          "data-value": v,
        });
        rect.append(svg("title", {}, `${r.label} ${series[k]}: ${show(v)}`));
        chart.append(rect, svg("text", { x: labelW + Math.max(1, width) + 4, y: y + k * rowH + 14 }, show(v)));
      });
    });
    figure.append(chart);
    if (series.length > 1) figure.append(legend(series.map((s, k) => [s, PALETTE[k % PALETTE.length]!])));
  }

  const models = report.byModel.filter(
    (r): r is Extract<(typeof report.byModel)[number], { model: string }> => !("other" in r),
  );
  if (models.some((m) => m.cost.total > 0)) {
    costFigure.append(h("figcaption", { text: `Cost by model (${currency})` }));
    const top = [...models].sort((a, b) => b.cost.total - a.cost.total).slice(0, 12);
    bars(
      costFigure,
      top.map((m) => ({ label: m.model, values: [m.cost.total], key: m.model })),
      (v) => fmt.money(v, currency),
      ["cost"],
    );
  } else {
    costFigure.append(h("figcaption", { text: "Tokens by model (no costs)" }));
    const top = [...models].sort((a, b) => b.tokens.total - a.tokens.total).slice(0, 12);
    if (top.length > 0)
      bars(
        costFigure,
        top.map((m) => ({ label: m.model, values: [m.tokens.total], key: m.model })),
        n,
        ["tokens"],
      );
    else costFigure.append(h("p", { class: "muted", text: "No model calls." }));
  }
  const busiest = report.byName
    .filter(
      (r): r is Extract<(typeof report.byName)[number], { name: string }> => !("other" in r) && r.durationMs.count > 0,
    )
    .slice(0, 12);
  bars(
    namesFigure,
    busiest.map((r) => ({
      label: r.name || "<unnamed>",
      values: [r.durationMs.p50, r.durationMs.p95],
      key: `${r.convention}\u0000${r.kind}\u0000${r.name}`,
    })),
    fmt.duration,
    ["p50", "p95"],
  );

  // --- tables -----------------------------------------------------------------------------------------------------
  type Cell = string | El | { text: string; value: number };
  const isEl = (cell: Cell): cell is El => typeof cell === "object" && typeof (cell as El).append === "function";
  function dataTable(
    id: string,
    headers: readonly (readonly [string, boolean])[],
    rows: readonly { cells: Cell[]; attrs?: Record<string, string | number | undefined>; other?: boolean }[],
  ): El {
    const head = h(
      "tr",
      {},
      ...headers.map(([label, num]) => h("th", { class: num ? "num" : undefined, text: label })),
    );
    const body = h("tbody");
    for (const row of rows) {
      const tr = h("tr", { class: row.other ? "other" : undefined, ...(row.attrs ?? {}) });
      row.cells.forEach((cell, i) => {
        const num = headers[i]![1];
        if (typeof cell === "string") tr.append(h("td", { class: num ? "num" : undefined, text: cell }));
        else if (isEl(cell)) tr.append(h("td", { class: num ? "num" : undefined }, cell));
        else tr.append(h("td", { class: num ? "num" : undefined, "data-value": cell.value, text: cell.text }));
      });
      body.append(tr);
    }
    return h("div", { class: "table-wrap" }, h("table", { id }, h("thead", {}, head), body));
  }
  const durations = (r: { durationMs: { count: number; p50: number; p95: number; max: number } }): Cell[] =>
    r.durationMs.count === 0
      ? ["—", "—", "—"]
      : [
          { text: dur(r.durationMs.p50), value: r.durationMs.p50 },
          { text: dur(r.durationMs.p95), value: r.durationMs.p95 },
          { text: dur(r.durationMs.max), value: r.durationMs.max },
        ];
  const badge = (text: string, cls: string) => h("span", { class: `badge ${cls}`, text });
  const otherText = (r: { keys: number; keysAtLeast?: true }, what: string) =>
    `other (${r.keysAtLeast ? "more than " : ""}${n(r.keys)} ${what})`;

  app.append(h("h2", { text: "By kind" }));
  app.append(
    dataTable(
      "by-kind",
      [
        ["Kind", false],
        ["Spans", true],
        ["Errors", true],
        ["Error rate", true],
        ["p50", true],
        ["p95", true],
        ["max", true],
        ["Tokens", true],
        ["Cost", true],
      ],
      report.byKind.map((r) => ({
        other: "other" in r,
        attrs: "other" in r ? {} : { "data-kind": `${r.convention}\u0000${r.kind}` },
        cells: [
          "other" in r ? otherText(r, "kinds") : kindLabel(r.kind, r.convention),
          { text: n(r.spans), value: r.spans },
          { text: n(r.errors), value: r.errors },
          { text: fmt.percent(r.errorRate), value: r.errorRate },
          ...durations(r),
          { text: n(r.tokens.total), value: r.tokens.total },
          { text: fmt.money(r.cost.total, currency), value: r.cost.total },
        ],
      })),
    ),
  );
  app.append(
    h("h2", { text: "By name" }),
    h("p", {
      class: "note",
      text: `The first ${n(report.method.caps.maxNames)} names seen have a row; later ones are summed as "other" (--max-names).`,
    }),
  );
  app.append(
    dataTable(
      "by-name",
      [
        ["Kind", false],
        ["Name", false],
        ["Spans", true],
        ["Errors", true],
        ["Error rate", true],
        ["p50", true],
        ["p95", true],
        ["max", true],
        ["Tokens", true],
        ["Cost", true],
      ],
      report.byName.map((r) => ({
        other: "other" in r,
        attrs:
          "other" in r
            ? { "data-errors": r.errors }
            : { "data-kind": `${r.convention}\u0000${r.kind}`, "data-name": r.name, "data-errors": r.errors },
        cells: [
          "other" in r ? "" : badge(kindLabel(r.kind, r.convention), "kind"),
          "other" in r ? otherText(r, "names") : r.name || "<unnamed>",
          { text: n(r.spans), value: r.spans },
          { text: n(r.errors), value: r.errors },
          { text: fmt.percent(r.errorRate), value: r.errorRate },
          ...durations(r),
          { text: n(r.tokens.total), value: r.tokens.total },
          { text: fmt.money(r.cost.total, currency), value: r.cost.total },
        ],
      })),
    ),
  );
  if (report.byModel.length > 0) {
    app.append(h("h2", { text: "Model calls by provider and model" }));
    app.append(
      dataTable(
        "by-model",
        [
          ["Provider", false],
          ["Model", false],
          ["Calls", true],
          ["Errors", true],
          ["p50", true],
          ["p95", true],
          ["Input", true],
          ["Output", true],
          ["Total", true],
          ["Cost", true],
          ["Unpriced", true],
          ["TTFC p50", true],
        ],
        report.byModel.map((r) => ({
          other: "other" in r,
          attrs:
            "other" in r
              ? { "data-errors": r.errors }
              : { "data-model": r.model, "data-provider": r.provider, "data-errors": r.errors },
          cells: [
            "other" in r ? "" : r.provider,
            "other" in r ? otherText(r, "models") : r.model,
            { text: n(r.spans), value: r.spans },
            { text: n(r.errors), value: r.errors },
            ...durations(r).slice(0, 2),
            { text: n(r.tokens.input), value: r.tokens.input },
            { text: n(r.tokens.output), value: r.tokens.output },
            { text: n(r.tokens.total), value: r.tokens.total },
            { text: fmt.money(r.cost.total, currency), value: r.cost.total },
            { text: n(r.cost.unpriced), value: r.cost.unpriced },
            r.timeToFirstChunkMs.count === 0
              ? "—"
              : { text: dur(r.timeToFirstChunkMs.p50), value: r.timeToFirstChunkMs.p50 },
          ],
        })),
      ),
    );
  }
  const errors = report.errors;
  app.append(
    h("h2", { text: "Errors" }),
    h("p", {
      text: `${count(errors.spans, "failed span")} (status ERROR, ${fmt.percent(errors.rate)}), ${count(errors.exceptionEvents, "exception event")}${errors.exceptionsWithoutError > 0 ? `; ${count(errors.exceptionsWithoutError, "span")} recorded an exception without failing` : ""}.`,
    }),
  );
  if (errors.types.length > 0) {
    app.append(
      dataTable(
        "error-types",
        [
          ["Type", false],
          ["Spans", true],
          ["Example", false],
        ],
        [
          ...errors.types.map((t) => ({
            attrs: { "data-type": t.type },
            cells: [
              t.type,
              { text: n(t.spans), value: t.spans },
              `${t.example.spanName || "<unnamed>"} [${t.example.traceId}/${t.example.spanId}]${t.example.message ? `: ${t.example.message}` : ""}`,
            ] as Cell[],
          })),
          ...(errors.otherTypes.spans > 0
            ? [
                {
                  other: true,
                  cells: [
                    `other (${n(errors.otherTypes.types)} types)`,
                    { text: n(errors.otherTypes.spans), value: errors.otherTypes.spans },
                    "",
                  ] as Cell[],
                },
              ]
            : []),
        ],
      ),
    );
  }
  if (data.findings) {
    const f = data.findings;
    app.append(
      h("h2", { text: "Validation findings" }),
      h("p", {
        text: `${n(f.spans)} spans validated against ${f.registries.join(", ") || "no registry"}: ${n(f.spansWithFindings)} with findings.`,
      }),
    );
    if (f.byRule.length > 0)
      app.append(
        dataTable(
          "findings-by-rule",
          [
            ["Rule", false],
            ["Severity", false],
            ["Findings", true],
          ],
          f.byRule.map((r) => ({
            attrs: { "data-rule": r.rule },
            cells: [r.rule, badge(r.severity, r.severity), { text: n(r.count), value: r.count }],
          })),
        ),
      );
  }

  // --- traces -----------------------------------------------------------------------------------------------------
  const rowOf = new Map<string, TraceRow>();
  for (const t of [...report.errorTraces, ...report.slowestTraces]) rowOf.set(t.traceId, t);
  app.append(
    h("h2", { text: "Traces" }),
    h("p", {
      class: "note",
      text: `The ${n(report.slowestTraces.length)} slowest and ${n(report.errorTraces.length)} erroring traces (one of each error type first), in full up to ${n(data.maxTraceSpans)} spans each; the rest are in the aggregates above. Click a trace to open its span tree, a span for its attributes and events.`,
    }),
  );
  const traceList = h("div", { id: "traces" });
  app.append(traceList);

  interface TraceView {
    trace: PageTrace;
    row: TraceRow | undefined;
    el: El;
    kinds: Set<string>;
    models: Set<string>;
    text: string;
  }
  const views: TraceView[] = [];
  const ordered = [...data.traces].sort(
    (a, b) => (rowOf.get(b.traceId)?.durationMs ?? -1) - (rowOf.get(a.traceId)?.durationMs ?? -1),
  );
  for (const trace of ordered) {
    const row = rowOf.get(trace.traceId);
    const errorsIn = row?.errors ?? trace.spans.filter((s) => s.status.code === 2).length;
    const head = h(
      "summary",
      {},
      ...trace.reasons.map((r) => badge(r === "slowest" ? "slowest" : "errors", "why")),
      h("strong", { text: row?.root ? row.root.name || "<unnamed>" : "(no root span)" }),
      row?.root ? badge(row.root.kind, "kind") : null,
      h("span", { class: "trace-duration", text: dur(row?.durationMs) }),
      h("span", { class: "muted", text: count(row?.spans ?? trace.spans.length, "span") }),
      errorsIn > 0 ? badge(`${n(errorsIn)} failed${row?.errorType ? `: ${row.errorType}` : ""}`, "error") : null,
      row && row.tokens > 0 ? h("span", { class: "muted", text: `${n(row.tokens)} tokens` }) : null,
      row && row.cost > 0 ? h("span", { class: "muted", text: fmt.money(row.cost, currency) }) : null,
      h("span", { class: "mono muted", text: trace.traceId }),
    );
    const el = h(
      "details",
      {
        class: "trace",
        "data-trace-id": trace.traceId,
        "data-duration-ms": row?.durationMs ?? "",
        "data-spans": row?.spans ?? trace.spans.length,
        "data-errors": errorsIn,
        "data-tokens": row?.tokens ?? 0,
        "data-cost": row?.cost ?? 0,
      },
      head,
    );
    const kinds = new Set(trace.spans.map((s) => `${s.convention}\u0000${s.kind}`));
    const models = new Set(trace.spans.flatMap((s) => (s.model ? [s.model] : [])));
    const text = [
      trace.traceId,
      row?.root?.name ?? "",
      row?.errorType ?? "",
      ...trace.spans.map((s) => `${s.name} ${s.model ?? ""} ${s.errorType ?? ""}`),
    ]
      .join("\n")
      .toLowerCase();
    el.addEventListener("toggle", () => {
      if (el.open && !el.querySelector(".tree")) el.append(renderTree(trace));
    });
    traceList.append(el);
    views.push({ trace, row, el, kinds, models, text });
  }

  function renderTree(trace: PageTrace): El {
    const tree = h("div", { class: "tree" });
    const spans = trace.spans;
    const byId = new Map<string, number>();
    spans.forEach((s, i) => {
      if (!byId.has(s.spanId)) byId.set(s.spanId, i);
    });
    const children = new Map<number, number[]>();
    const roots: number[] = [];
    spans.forEach((s, i) => {
      const parent = s.parentSpanId === null ? undefined : byId.get(s.parentSpanId);
      if (parent === undefined || parent === i) roots.push(i);
      else (children.get(parent) ?? children.set(parent, []).get(parent)!).push(i);
    });
    const byStart = (a: number, b: number) =>
      (spans[a]!.startMs ?? Infinity) - (spans[b]!.startMs ?? Infinity) || a - b;
    let start = Infinity;
    let end = -Infinity;
    for (const s of spans) {
      if (s.startMs === null || s.durationMs === null) continue;
      start = Math.min(start, s.startMs);
      end = Math.max(end, s.startMs + s.durationMs);
    }
    const extent = end > start ? end - start : 1;
    // Depth-first, without recursion (a trace can nest thousands deep); spans in a parent cycle are shown as roots.
    const seen = new Set<number>();
    const order: [number, number][] = [];
    const visit = (rootList: number[]) => {
      const stack: [number, number][] = [...rootList]
        .sort(byStart)
        .reverse()
        .map((i): [number, number] => [i, 0]);
      while (stack.length > 0) {
        const [i, depth] = stack.pop()!;
        if (seen.has(i)) continue;
        seen.add(i);
        order.push([i, depth]);
        const kids = [...(children.get(i) ?? [])].sort(byStart).reverse();
        for (const k of kids) stack.push([k, depth + 1]);
      }
    };
    visit(roots);
    if (seen.size < spans.length) visit(spans.map((_, i) => i).filter((i) => !seen.has(i)));
    for (const [i, depth] of order) tree.append(...spanRow(spans[i]!, depth, start, extent));
    if (trace.droppedSpans > 0)
      tree.append(
        h("p", {
          class: "note",
          text: `… and ${n(trace.droppedSpans)} more spans of this trace, not shown (--max-trace-spans ${n(data.maxTraceSpans)}).`,
        }),
      );
    if (trace.overPageBudget > 0)
      tree.append(
        h("p", {
          class: "note",
          text: `… and ${n(trace.overPageBudget)} more spans of this trace, not shown: the page's span data is capped at ${size(data.maxPageBytes)}, shared by its ${n(data.traces.length)} traces (--max-page-bytes).`,
        }),
      );
    return tree;
  }

  function spanRow(s: PageSpan, depth: number, start: number, extent: number): El[] {
    const failed = s.status.code === 2;
    const name = h(
      "div",
      { class: "name", title: s.name },
      h("span", { style: `padding-left:${Math.min(depth, 40) * 14}px` }),
      badge(kindLabel(s.kind, s.convention), "kind"),
      " ",
      s.name || "<unnamed>",
    );
    const track = h("div", { class: "bar-track" });
    if (s.startMs !== null && s.durationMs !== null && Number.isFinite(start)) {
      const bar = h("div", { class: "bar" });
      bar.style.left = `${((s.startMs - start) / extent) * 100}%`;
      bar.style.width = `${(s.durationMs / extent) * 100}%`;
      track.append(bar);
    }
    const tokens = s.tokens?.total ?? null;
    const row = h(
      "div",
      {
        class: `span-row${failed ? " failed" : ""}`,
        "data-span-id": s.spanId,
        "data-duration-ms": s.durationMs ?? "",
        "data-tokens": tokens ?? "",
        "data-cost": s.cost ?? "",
        "data-findings": s.findings.length + s.moreFindings,
        role: "button",
        tabindex: 0,
      },
      name,
      track,
      h("div", { class: "num span-duration", text: dur(s.durationMs) }),
      h("div", {
        class: "num span-tokens",
        text: tokens === null ? "" : `${n(tokens)} tok${s.usageCounted ? "" : " (rolled up)"}`,
      }),
      h("div", {
        class: "num span-cost",
        text: s.cost === null ? (s.costSource === "unpriced" ? "unpriced" : "") : fmt.money(s.cost, currency),
      }),
    );
    const out: El[] = [row];
    if (s.findings.length > 0) {
      const list = h("ul", { class: "findings", "data-span-id": s.spanId });
      list.style.paddingLeft = `${Math.min(depth, 40) * 14 + 24}px`;
      for (const f of s.findings)
        list.append(
          h(
            "li",
            { class: "finding", "data-rule": f.rule },
            badge(f.severity, f.severity),
            " ",
            h("code", { text: f.key }),
            ` ${f.message} `,
            h("span", { class: "muted", text: `(${f.rule})` }),
          ),
        );
      if (s.moreFindings > 0)
        list.append(h("li", { class: "muted", text: `… and ${n(s.moreFindings)} more findings` }));
      out.push(list);
    }
    let detail: El | undefined;
    const toggle = () => {
      if (detail) {
        detail.classList.toggle("hidden");
        return;
      }
      detail = spanDetail(s);
      (out[out.length - 1] ?? row).after(detail);
    };
    row.addEventListener("click", toggle);
    row.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        toggle();
      }
    });
    return out;
  }

  function spanDetail(s: PageSpan): El {
    const facts: [string, string][] = [
      ["span id", s.spanId],
      ["parent", s.parentSpanId ?? "(root)"],
      ["kind", `${kindLabel(s.kind, s.convention)}${s.spanKind !== null ? ` · SpanKind ${s.spanKind}` : ""}`],
      [
        "status",
        `${["UNSET", "OK", "ERROR"][s.status.code] ?? s.status.code}${s.status.message ? `: ${s.status.message}` : ""}`,
      ],
      ["duration", dur(s.durationMs)],
    ];
    if (s.model) facts.push(["model", `${s.model}${s.provider ? ` (${s.provider})` : ""}`]);
    if (s.tokens)
      facts.push([
        "tokens",
        `${s.tokens.input ?? "—"} in · ${s.tokens.output ?? "—"} out · ${s.tokens.total ?? "—"} total${s.usageCounted ? "" : " (not added: this span rolls up its children's usage)"}`,
      ]);
    if (s.costSource)
      facts.push([
        "cost",
        `${s.cost === null ? "unpriced" : fmt.money(s.cost, currency)} (${s.costSource === "span" ? "carried by the span" : s.costSource === "table" ? "from the price table" : "no price for this model"})`,
      ]);
    if (s.timeToFirstChunkMs !== null) facts.push(["time to first chunk", dur(s.timeToFirstChunkMs)]);
    if (s.errorType) facts.push(["error type", s.errorType]);
    const table = h(
      "table",
      {},
      h(
        "tbody",
        {},
        ...facts.map(([k, v]) => h("tr", {}, h("td", { text: k }), h("td", { text: v }))),
        ...s.attributes.map(([k, v]) =>
          h("tr", {}, h("td", { class: "mono", text: k }), h("td", { class: "mono", text: v })),
        ),
      ),
    );
    const el = h("div", { class: "span-detail", "data-span-id": s.spanId }, table);
    if (s.moreAttributes > 0)
      el.append(h("p", { class: "muted", text: `… and ${n(s.moreAttributes)} more attributes` }));
    if (s.events.length > 0) {
      el.append(h("strong", { text: "Events" }));
      for (const e of s.events) {
        el.append(
          h(
            "div",
            {},
            h("span", { text: `${e.offsetMs === null ? "" : `+${fmt.duration(e.offsetMs)} `}` }),
            h("code", { text: e.name }),
            ...e.attributes.map(([k, v]) => h("div", { class: "mono muted", text: `  ${k} = ${v}` })),
          ),
        );
      }
      if (s.moreEvents > 0) el.append(h("p", { class: "muted", text: `… and ${n(s.moreEvents)} more events` }));
    }
    return el;
  }

  // --- notes ------------------------------------------------------------------------------------------------------
  const notes = [...report.notes, ...data.notes];
  if (notes.length > 0)
    app.append(h("h2", { text: "Notes" }), h("ul", { id: "notes" }, ...notes.map((t) => h("li", { text: t }))));
  app.append(
    h("p", { class: "note", text: `Percentiles from a ${report.method.percentiles}. Generated by semtrace stats.` }),
  );

  // --- filtering --------------------------------------------------------------------------------------------------
  function applyFilters(): void {
    const q = search.value.trim().toLowerCase();
    const kind = kindSelect.value;
    const model = modelSelect.value;
    const onlyErrors = errorsOnly.checked;
    let shown = 0;
    for (const v of views) {
      const ok =
        (!q || v.text.includes(q)) &&
        (!kind || v.kinds.has(kind)) &&
        (!model || v.models.has(model)) &&
        (!onlyErrors || Number(v.el.dataset["errors"]) > 0);
      v.el.classList.toggle("hidden", !ok);
      if (ok) shown++;
    }
    shownCount.textContent = `${n(shown)} of ${n(views.length)} traces shown`;
    for (const tr of Array.from(document.querySelectorAll("#by-name tbody tr"))) {
      const ok =
        (!q || (tr.textContent ?? "").toLowerCase().includes(q)) &&
        (!kind || tr.dataset["kind"] === kind) &&
        (!onlyErrors || Number(tr.dataset["errors"]) > 0);
      tr.classList.toggle("hidden", !ok);
    }
    for (const tr of Array.from(document.querySelectorAll("#by-model tbody tr"))) {
      const ok =
        (!q || (tr.textContent ?? "").toLowerCase().includes(q)) &&
        (!model || tr.dataset["model"] === model) &&
        (!onlyErrors || Number(tr.dataset["errors"]) > 0);
      tr.classList.toggle("hidden", !ok);
    }
    for (const tr of Array.from(document.querySelectorAll("#error-types tbody tr")))
      tr.classList.toggle("hidden", !!q && !(tr.textContent ?? "").toLowerCase().includes(q));
    drawLatency(kind);
  }
  for (const el of [search, kindSelect, modelSelect, errorsOnly]) el.addEventListener("input", applyFilters);
  applyFilters();
}
