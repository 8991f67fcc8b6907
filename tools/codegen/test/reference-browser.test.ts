/**
 * The reference's search page in headless Chromium (Debian's package, driven by playwright-core through
 * @semtrace/browser-test), opened from file:// as a user would open the committed page: it renders every attribute
 * without errors or any request beyond itself, a search narrows the results and the facts shown are the
 * registry's, the search survives in the URL, deprecated attributes can be hidden, and spec text stays text. A
 * screenshot is kept in test-artifacts/ (gitignored).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { findChromium, launchChromium, openWatched } from "@semtrace/browser-test";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFromFiles, buildRegistry } from "../src/index.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));
const PAGE = path.join(ROOT, "docs/reference/openinference/search.html");
const { chromium, why } = findChromium();
if (!chromium) console.warn(`\nSKIPPED: the reference search page tests need headless Chromium: ${why}\n`);

/** What the page's result elements offer the callbacks run in the page (this package has no DOM types). */
interface PageElement {
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
  querySelector(selector: string): PageElement | null;
}

describe.skipIf(!chromium)("the reference search page in headless Chromium", () => {
  let browser: Browser;
  const url = pathToFileURL(PAGE).href;

  beforeAll(async () => {
    browser = await launchChromium(chromium!);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("lists every attribute of the registry, without errors or network", async () => {
    const registry = (await buildRegistry(path.join(ROOT, "spec/openinference"))).registry!;
    const { page, watch } = await openWatched(browser, url);
    await page.waitForSelector("article.result");
    const keys = await page.$$eval("article.result", (els) =>
      (els as unknown as PageElement[]).map((e) => e.getAttribute("data-key")),
    );
    expect(keys).toEqual(registry.attributes.map((a) => a.key));
    expect(await page.textContent("#count")).toBe(
      `${registry.attributes.length} of ${registry.attributes.length} attributes`,
    );
    expect(watch.problems).toEqual([]);
    expect(watch.requests).toEqual([url]);
    await page.close();
  });

  it("a search narrows the results, best match first, and shows the attribute's facts; the URL keeps it", async () => {
    const registry = (await buildRegistry(path.join(ROOT, "spec/openinference"))).registry!;
    const { page, watch } = await openWatched(browser, url);
    await page.fill("#q", "llm.token_count.prompt");
    const keys = await page.$$eval("article.result", (els) =>
      (els as unknown as PageElement[]).map((e) => e.getAttribute("data-key")),
    );
    expect(keys[0]).toBe("llm.token_count.prompt");
    expect(keys.length).toBeLessThan(registry.attributes.length);
    expect(
      keys.every(
        (k) =>
          k!.includes("llm.token_count.prompt") ||
          registry.attributes
            .find((a) => a.key === k)!
            .note.toLowerCase()
            .includes("llm.token_count.prompt") ||
          registry.attributes
            .find((a) => a.key === k)!
            .brief.toLowerCase()
            .includes("llm.token_count.prompt"),
      ),
    ).toBe(true);
    expect(await page.textContent("#count")).toBe(`${keys.length} of ${registry.attributes.length} attributes`);
    const first = 'article.result[data-key="llm.token_count.prompt"]';
    const attr = registry.attributes.find((a) => a.key === "llm.token_count.prompt")!;
    expect(await page.textContent(`${first} .fact-constant`)).toBe(attr.constName);
    expect(await page.textContent(`${first} .brief`)).toBe(attr.brief.trim());
    expect(await page.textContent(`${first} .type`)).toBe("int");
    expect((await page.textContent(`${first} .fact-builder-fields`))!.split("\n")).toEqual(
      expect.arrayContaining([
        "buildLLMAttributes(input) → tokenCount.prompt",
        "buildEmbeddingAttributes(input) → llm.tokenCount.prompt",
      ]),
    );
    expect(await page.getAttribute(`${first} a.key`, "href")).toBe(
      "namespaces/llm.token_count.md#llm.token_count.prompt",
    );
    expect(new URL(page.url()).hash).toBe(`#q=${encodeURIComponent("llm.token_count.prompt")}`);
    // By constant name, case-insensitive; several words must all match.
    await page.fill("#q", "session_id");
    expect(await page.getAttribute("article.result", "data-key")).toBe("session.id");
    await page.fill("#q", "token  completion   reasoning");
    const narrowed = await page.$$eval("article.result", (els) =>
      (els as unknown as PageElement[]).map((e) => e.getAttribute("data-key")),
    );
    expect(narrowed[0]).toBe("llm.token_count.completion_details.reasoning");
    await page.fill("#q", "no attribute is called this");
    expect(await page.$$("article.result")).toHaveLength(0);
    expect(await page.textContent("#count")).toBe(`0 of ${registry.attributes.length} attributes`);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.fill("#q", "llm.token_count");
    await page.screenshot({ path: path.join(ARTIFACTS, "reference-search.png"), fullPage: false });
    // Opened with a search in its URL, the page starts with it.
    const again = await openWatched(browser, `${url}#q=${encodeURIComponent("tool_call.function")}`);
    expect(await again.page.inputValue("#q")).toBe("tool_call.function");
    expect(await again.page.getAttribute("article.result", "data-key")).toMatch(/^tool_call\.function/);
    expect([...watch.problems, ...again.watch.problems]).toEqual([]);
    await page.close();
    await again.page.close();
  });

  it("hides deprecated attributes on demand", async () => {
    const registry = (await buildRegistry(path.join(ROOT, "spec/openinference"))).registry!;
    const deprecated = registry.attributes.filter((a) => a.deprecated).map((a) => a.key);
    const { page } = await openWatched(browser, url);
    await page.waitForSelector("article.result");
    expect(await page.$$("article.result.deprecated")).toHaveLength(deprecated.length);
    await page.check("#hide-deprecated");
    expect(await page.$$("article.result.deprecated")).toHaveLength(0);
    expect(await page.$$("article.result")).toHaveLength(registry.attributes.length - deprecated.length);
    await page.close();
  });

  it("shows hostile spec text as text: no markup from a brief runs or renders", async () => {
    const spec = new Map([
      ["manifest.yaml", "name: hostile\ncodegen:\n  naming: otel\n"],
      [
        "registry.yaml",
        [
          "groups:",
          "  - id: registry.x",
          "    type: attribute_group",
          "    attributes:",
          "      - id: x.name",
          "        type: string",
          `        brief: '</script><img src=x onerror="window.pwned=1"> <b>bold</b>'`,
          "",
        ].join("\n"),
      ],
    ]);
    const docs = buildFromFiles("spec", spec, { docs: true }).docs!;
    const dir = mkdtempSync(path.join(os.tmpdir(), "semtrace-search-"));
    writeFileSync(path.join(dir, "search.html"), docs.get("search.html")!);
    const { page, watch } = await openWatched(browser, pathToFileURL(path.join(dir, "search.html")).href);
    await page.waitForSelector("article.result");
    expect(await page.textContent('article.result[data-key="x.name"] .brief')).toBe(
      `</script><img src=x onerror="window.pwned=1"> <b>bold</b>`,
    );
    expect(await page.$$("img, b")).toHaveLength(0);
    expect(await page.evaluate("window.pwned")).toBeUndefined();
    expect(watch.problems).toEqual([]);
    await page.close();
  });
});
