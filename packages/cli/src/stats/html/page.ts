/**
 * The `semtrace stats --html` page: one self-contained file — styles, script and data inline, nothing fetched
 * (a Content-Security-Policy forbids any network), so it opens from `file://`, from an email attachment or a CI
 * artifact. The data is the stats report (the same object the json output prints), the latency histogram, the
 * kept traces and the validation findings, embedded as JSON in a `<script type="application/json">` element
 * (with `<` escaped, so no text from a trace can close it); the page's script renders it with DOM calls, setting
 * trace text only as text, never as markup.
 */
import type { Convention } from "../facts.js";
import type { StatsReport } from "../aggregate.js";
import type { PageTrace } from "../kept.js";
import { duration, money, percent } from "../text.js";
import { statsPage } from "./client.js";
import { PAGE_STYLE } from "./style.js";

export interface PageFindings {
  /** The registries the spans were validated against. */
  readonly registries: readonly string[];
  readonly spans: number;
  readonly spansWithFindings: number;
  readonly byRule: readonly { readonly rule: string; readonly severity: string; readonly count: number }[];
}

export interface PageData {
  readonly report: StatsReport;
  readonly histogram: {
    readonly edges: readonly number[];
    readonly rows: readonly {
      readonly kind: string;
      readonly convention: Convention;
      readonly counts: readonly number[];
    }[];
  };
  readonly traces: readonly PageTrace[];
  /** Null with `--no-validate`. */
  readonly findings: PageFindings | null;
  readonly inputs: readonly string[];
  readonly notes: readonly string[];
  readonly maxTraceSpans: number;
  readonly maxPageBytes: number;
}

/** JSON that is safe inside a `<script>` element: `<`, and the line separators JavaScript once rejected, escaped. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The page's script: the formatting functions the text report uses, then the renderer, called on the data. */
function pageScript(): string {
  // Each function is embedded as an expression, so whatever name the bundler gave it, the script calls it by its own.
  return `"use strict";
const fmt = { duration: (${duration.toString()}), money: (${money.toString()}), percent: (${percent.toString()}) };
(${statsPage.toString()})(JSON.parse(document.getElementById("semtrace-data").textContent), fmt);
`;
}

export function renderPage(data: PageData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="semtrace stats">
<title>semtrace stats</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<noscript><p class="noscript">This report is drawn by its inline script: allow scripts for this file to see it.</p></noscript>
<div id="app"></div>
<script type="application/json" id="semtrace-data">${scriptJson(data)}</script>
<script>${pageScript()}</script>
</body>
</html>
`;
}
