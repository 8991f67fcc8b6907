/**
 * `semtrace stats --html`: the page opened from file:// in headless Chromium (Debian's package, driven by
 * playwright-core) — rendered without errors or network, a trace expanded, its numbers, the summary, the tables and
 * the charts read back and compared with the json output, findings inline as `semtrace validate` reports them,
 * filters, trace text shown as text. A screenshot is kept in test-artifacts/ (gitignored).
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium as playwright, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatsReport } from "../src/stats/aggregate.js";
import { duration, money, percent } from "../src/stats/text.js";
import { runValidateCommand } from "../src/validate/command.js";
import { CHROMIUM_ARGS, findChromium } from "./helpers/chromium.js";
import { hexId, jsonl, stats, type SpanSpec } from "./helpers/stats-spans.js";
import { tempDir } from "./helpers/tmp.js";

const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const { chromium, why } = findChromium();
if (!chromium) console.warn(`\nSKIPPED: the stats page tests need headless Chromium: ${why}\n`);

const n = (x: number) => x.toLocaleString("en-US");

/** The part of a DOM element the callbacks run in the page read (this package has no DOM types). */
interface PageElement {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  readonly classList: { contains(name: string): boolean };
  readonly style: Record<string, string>;
}

/** Traces of an app: agent turns (OpenInference), a failing one with a type error, a GenAI chat, a hostile name. */
function appTraces(): SpanSpec[][] {
  const traces: SpanSpec[][] = [];
  for (let t = 0; t < 12; t++) {
    const traceId = hexId(1000 + t, 16);
    const root = hexId(t * 10 + 1, 8);
    const slow = t * 150;
    const spans: SpanSpec[] = [
      {
        traceId,
        spanId: hexId(t * 10 + 2, 8),
        parent: root,
        name: "ChatCompletion",
        startMs: t * 10_000 + 5,
        durationMs: 400 + slow,
        attributes: {
          "openinference.span.kind": "LLM",
          "llm.model_name": "gpt-4o-mini",
          "llm.provider": "openai",
          "llm.token_count.prompt": 100 + t,
          "llm.token_count.completion": 10 + t,
          "llm.token_count.total": 110 + 2 * t,
        },
        events: t % 3 === 0 ? [{ name: "First Token Stream Event", atMs: 120 }] : [],
      },
      {
        traceId,
        spanId: hexId(t * 10 + 3, 8),
        parent: root,
        name: "retrieve",
        startMs: t * 10_000 + 450 + slow,
        durationMs: 30,
        attributes: { "openinference.span.kind": "RETRIEVER", "input.value": "q" },
      },
    ];
    if (t === 4) {
      spans.push({
        traceId,
        spanId: hexId(t * 10 + 4, 8),
        parent: root,
        name: "search",
        startMs: t * 10_000 + 500,
        durationMs: 20,
        attributes: { "openinference.span.kind": "TOOL", "llm.token_count.prompt": "five" as unknown as number },
        status: { code: 2, message: "upstream said no" },
        events: [
          {
            name: "exception",
            atMs: 19,
            attributes: { "exception.type": "ToolError", "exception.message": "upstream said no" },
          },
        ],
      });
    }
    spans.push({
      traceId,
      spanId: root,
      name: t === 7 ? '</script><img src=x onerror="window.pwned=1">' : "agent.run",
      startMs: t * 10_000,
      durationMs: 600 + slow,
      attributes: { "openinference.span.kind": "CHAIN" },
    });
    traces.push(spans);
  }
  traces.push([
    {
      traceId: hexId(2000, 16),
      spanId: hexId(500, 8),
      name: "chat claude-sonnet-4-5",
      startMs: 200_000,
      durationMs: 900,
      kind: 3,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "anthropic",
        "gen_ai.request.model": "claude-sonnet-4-5",
        "gen_ai.usage.input_tokens": 2000,
        "gen_ai.usage.output_tokens": 300,
        "gen_ai.response.time_to_first_chunk": 0.3,
      },
    },
  ]);
  return traces;
}

describe.skipIf(!chromium)("semtrace stats --html in headless Chromium", () => {
  let browser: Browser;
  let report: StatsReport;
  let pagePath: string;
  let input: string;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const dir = tempDir("stats-html");
    input = join(dir, "app.jsonl");
    writeFileSync(input, jsonl(appTraces()));
    pagePath = join(dir, "stats.html");
    const run = await stats(["--reporter", "json", "--html", pagePath, "--slowest", "3", "--error-traces", "2", input]);
    expect(run.code, run.stderr).toBe(0);
    report = JSON.parse(run.stdout) as StatsReport;
    browser = await playwright.launch({ executablePath: chromium!, args: CHROMIUM_ARGS, headless: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function open(path = pagePath): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(path).href);
    await page.waitForSelector("#summary");
    return page;
  }

  it("renders from file:// without errors or network, and the summary says what the json says", async () => {
    const page = await open();
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(pagePath).href]);
    const card = async (stat: string) => ({
      value: Number(await page.getAttribute(`[data-stat="${stat}"]`, "data-value")),
      text: (await page.textContent(`[data-stat="${stat}"] .value`))!,
    });
    const s = report.summary;
    expect(await card("spans")).toEqual({ value: s.spans, text: n(s.spans) });
    expect(await card("errorRate")).toEqual({ value: s.errorRate, text: percent(s.errorRate) });
    expect(await card("p50")).toEqual({ value: s.durationMs.p50, text: duration(s.durationMs.p50) });
    expect(await card("tokens")).toEqual({ value: s.tokens.total, text: n(s.tokens.total) });
    expect(await card("cost")).toEqual({ value: s.cost.total, text: money(s.cost.total) });
    expect(await card("ttfc")).toEqual({ value: s.timeToFirstChunkMs.p50, text: duration(s.timeToFirstChunkMs.p50) });
    // Tables: every model row as in the json.
    const models = await page.$$eval("#by-model tbody tr", (rows) =>
      (rows as unknown as PageElement[]).map((r) => ({
        model: r.getAttribute("data-model"),
        cells: Array.from(r.querySelectorAll("td")).map((td) => td.textContent),
      })),
    );
    expect(models.map((m) => [m.model, m.cells[2], m.cells[8], m.cells[9]])).toEqual(
      report.byModel.map((m) => ["model" in m ? m.model : null, n(m.spans), n(m.tokens.total), money(m.cost.total)]),
    );
    // Charts: the latency histogram holds every span with a duration; the cost bars are the models' costs.
    const histogram = await page.$$eval("#latency-chart rect[data-count]", (rects) =>
      (rects as unknown as PageElement[]).reduce((a, r) => a + Number(r.getAttribute("data-count")), 0),
    );
    expect(histogram).toBe(s.durationMs.count);
    const bars = await page.$$eval("#cost-chart rect[data-value]", (rects) =>
      (rects as unknown as PageElement[]).map((r) => [
        r.getAttribute("data-key"),
        Number(r.getAttribute("data-value")),
      ]),
    );
    expect(new Map(bars as [string, number][])).toEqual(
      new Map(report.byModel.flatMap((m) => ("model" in m && m.cost.total > 0 ? [[m.model, m.cost.total]] : []))),
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "stats-page.png"), fullPage: true });
    await page.close();
  });

  it("expands the slowest trace: its span tree, durations, tokens and cost are the json's", async () => {
    const page = await open();
    const slowest = report.slowestTraces[0]!;
    const trace = `details.trace[data-trace-id="${slowest.traceId}"]`;
    expect(Number(await page.getAttribute(trace, "data-duration-ms"))).toBe(slowest.durationMs);
    expect(await page.textContent(`${trace} .trace-duration`)).toBe(duration(slowest.durationMs!));
    await page.click(`${trace} > summary`);
    await page.waitForSelector(`${trace} .span-row`);
    const rows = await page.$$eval(`${trace} .span-row`, (els) =>
      (els as unknown as PageElement[]).map((el) => ({
        id: el.getAttribute("data-span-id"),
        duration: el.getAttribute("data-duration-ms"),
        durationText: el.querySelector(".span-duration")!.textContent,
        tokens: el.getAttribute("data-tokens"),
        cost: el.getAttribute("data-cost"),
        indent: el.querySelector(".name > span")!.style["paddingLeft"],
      })),
    );
    expect(rows).toHaveLength(slowest.spans);
    // The root first, at depth 0, lasting as long as the trace; its children indented under it.
    expect(rows[0]).toMatchObject({
      duration: String(slowest.durationMs),
      durationText: duration(slowest.durationMs!),
      indent: "0px",
    });
    expect(rows.slice(1).every((r) => r.indent === "14px")).toBe(true);
    expect(rows.reduce((a, r) => a + Number(r.tokens || 0), 0)).toBe(slowest.tokens);
    expect(rows.reduce((a, r) => a + Number(r.cost || 0), 0)).toBeCloseTo(slowest.cost, 6);
    // A span's details: its attributes.
    await page.click(`${trace} .span-row[data-span-id="${rows[1]!.id}"]`);
    const detail = await page.textContent(`${trace} .span-detail[data-span-id="${rows[1]!.id}"]`);
    expect(detail).toContain("llm.model_name");
    expect(detail).toContain("gpt-4o-mini");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows the erroring trace with validate's findings inline, and the filters narrow the traces", async () => {
    const page = await open();
    const failing = report.errorTraces[0]!;
    expect(failing.errorType).toBe("ToolError");
    const trace = `details.trace[data-trace-id="${failing.traceId}"]`;
    await page.click(`${trace} > summary`);
    await page.waitForSelector(`${trace} .span-row`);
    const inline = await page.$$eval(`${trace} ul.findings`, (lists) =>
      (lists as unknown as PageElement[]).flatMap((l) =>
        Array.from(l.querySelectorAll("li.finding")).map(
          (li) =>
            `${l.getAttribute("data-span-id")} ${li.getAttribute("data-rule")} ${li.querySelector("code")!.textContent}`,
        ),
      ),
    );
    let out = "";
    await runValidateCommand(["--reporter", "json", "-r", "openinference", "-r", "genai", input], {
      stdout: (s) => (out += s),
      stderr: () => {},
      cwd: "/",
      progress: false,
      color: false,
    });
    const validated = (
      JSON.parse(out) as { findings: { traceId: string; spanId: string; rule: string; key: string }[] }
    ).findings
      .filter((f) => f.traceId === failing.traceId)
      .map((f) => `${f.spanId} ${f.rule} ${f.key}`);
    expect(validated.length).toBeGreaterThan(0);
    expect(inline.sort()).toEqual(validated.sort());
    expect(await page.textContent(`${trace} .span-row.failed`)).toContain("search");

    const shown = async () =>
      page.$$eval("details.trace", (els) =>
        (els as unknown as PageElement[])
          .filter((el) => !el.classList.contains("hidden"))
          .map((el) => el.getAttribute("data-trace-id")),
      );
    const all = await shown();
    expect(all).toHaveLength(new Set([...report.slowestTraces, ...report.errorTraces].map((t) => t.traceId)).size);
    await page.check("#filter-errors");
    expect(await shown()).toEqual([failing.traceId]);
    expect(await page.textContent("#filter-count")).toBe(`1 of ${all.length} traces shown`);
    await page.uncheck("#filter-errors");
    await page.fill("#filter-search", "toolerror");
    expect(await shown()).toEqual([failing.traceId]);
    await page.fill("#filter-search", "");
    await page.selectOption("#filter-kind", { label: "TOOL" });
    expect(await shown()).toEqual([failing.traceId]);
    const nameRows = await page.$$eval("#by-name tbody tr", (rows) =>
      (rows as unknown as PageElement[])
        .filter((r) => !r.classList.contains("hidden"))
        .map((r) => r.getAttribute("data-name")),
    );
    expect(nameRows).toEqual(["search"]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows trace text as text: a span name with markup stays a name", async () => {
    const hostile = join(tempDir("stats-html-hostile"), "hostile.html");
    const run = await stats(["--html", hostile, "--slowest", "20", input]);
    expect(run.code).toBe(0);
    const page = await open(hostile);
    const trace = `details.trace[data-trace-id="${hexId(1007, 16)}"]`;
    expect(await page.textContent(`${trace} > summary strong`)).toBe('</script><img src=x onerror="window.pwned=1">');
    await page.click(`${trace} > summary`);
    await page.waitForSelector(`${trace} .span-row`);
    expect(await page.$$("img")).toHaveLength(0);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
  });

  it("stays small on a big input: the kept traces in full (up to --max-trace-spans), the rest as aggregates", async () => {
    const dir = tempDir("stats-html-big");
    const big = join(dir, "big.jsonl");
    const groups: SpanSpec[][] = [];
    for (let t = 0; t < 2000; t++) {
      const traceId = hexId(t + 1, 16);
      groups.push(
        Array.from(
          { length: 25 },
          (_, k): SpanSpec => ({
            traceId,
            spanId: hexId(t * 100 + k + 1, 8),
            ...(k > 0 ? { parent: hexId(t * 100 + 1, 8) } : {}),
            name: `step-${k}`,
            startMs: t * 1000 + k,
            durationMs: k === 0 ? 100 + (t % 997) : 1 + k,
            attributes: { "input.value": "x".repeat(200) },
          }),
        ),
      );
    }
    writeFileSync(big, jsonl(groups));
    const pageFile = join(dir, "big.html");
    const run = await stats([
      "--html",
      pageFile,
      "--slowest",
      "3",
      "--error-traces",
      "0",
      "--max-trace-spans",
      "10",
      "--no-validate",
      big,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(big).size).toBeGreaterThan(15_000_000);
    expect(statSync(pageFile).size).toBeLessThan(200_000);
    const page = await open(pageFile);
    expect(await page.$$("details.trace")).toHaveLength(3);
    await page.click("details.trace > summary");
    await page.waitForSelector("details.trace .span-row");
    expect(await page.$$("details.trace .span-row")).toHaveLength(10);
    expect(await page.textContent("details.trace .tree .note")).toBe(
      "… and 15 more spans of this trace, not shown (--max-trace-spans 10).",
    );
    expect(await page.$("#findings-by-rule")).toBeNull();
    // No address but the SVG namespace (a name, never fetched).
    expect(readFileSync(pageFile, "utf8").replaceAll("http://www.w3.org/2000/svg", "")).not.toMatch(/https?:\/\//);
    expect(problems).toEqual([]);
    await page.close();

    // The page's span data capped: each of the 3 traces gets a third of --max-page-bytes, the rest is counted.
    const capped = join(dir, "capped.html");
    const run2 = await stats([
      "--html",
      capped,
      "--slowest",
      "3",
      "--error-traces",
      "0",
      "--max-page-bytes",
      "30K",
      "--no-validate",
      big,
    ]);
    expect(run2.code, run2.stderr).toBe(0);
    expect(statSync(capped).size).toBeLessThan(statSync(pageFile).size + 30 * 1024);
    const page2 = await open(capped);
    await page2.click("details.trace > summary");
    await page2.waitForSelector("details.trace .span-row");
    const shownRows = (await page2.$$("details.trace .span-row")).length;
    expect(shownRows).toBeGreaterThan(0);
    expect(shownRows).toBeLessThan(25);
    expect(await page2.textContent("details.trace .tree .note")).toBe(
      `… and ${25 - shownRows} more spans of this trace, not shown: the page's span data is capped at 30 KiB, shared by its 3 traces (--max-page-bytes).`,
    );
    await page2.close();
  });
});
