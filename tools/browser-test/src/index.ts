/**
 * Headless Chromium for the page tests: Debian's `chromium` package, installed here when missing and the tests run
 * as root (as CI does), driven with `playwright-core`. When it cannot be had, `chromium` is undefined and `why`
 * says why: the tests skip, saying so. Shared by every workspace that tests a generated page (the reference docs'
 * search page, `semtrace stats --html`).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium as playwright, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** The flags of every launch: no GPU, no background traffic, no first-run work. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

function install(): string | undefined {
  if (process.platform !== "linux")
    return `headless Chromium is looked for at ${CHROMIUM} (Debian's chromium package); this is ${process.platform}`;
  if (typeof process.getuid !== "function" || process.getuid() !== 0)
    return `${CHROMIUM} is missing and the tests do not run as root to install it: apt-get install -y chromium`;
  if (!existsSync("/usr/bin/apt-get"))
    return `${CHROMIUM} is missing and there is no apt-get to install Debian's chromium package`;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args: string[]) => spawnSync("apt-get", args, { env, encoding: "utf8", timeout: 15 * 60_000 });
  let result = run(["install", "-y", "--no-install-recommends", "chromium"]);
  if (result.status !== 0) {
    run(["update"]);
    result = run(["install", "-y", "--no-install-recommends", "chromium"]);
  }
  if (result.status !== 0 || !existsSync(CHROMIUM))
    return `apt-get install -y chromium failed (exit ${result.status}): ${(result.stderr || result.error?.message || "").trim().split("\n").slice(-3).join(" ")}`;
  return undefined;
}

/** Finds (or installs) Chromium once per test file. */
export function findChromium(): { chromium?: string; why?: string } {
  if (existsSync(CHROMIUM)) return { chromium: CHROMIUM };
  const why = install();
  return why === undefined ? { chromium: CHROMIUM } : { why };
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return playwright.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

/** What went wrong in a page (errors, console errors and warnings) and every URL it requested. */
export interface PageWatch {
  readonly problems: string[];
  readonly requests: string[];
}

/** Opens `url` in a new page of `browser`, recording its problems and requests. */
export async function openWatched(
  browser: Browser,
  url: string,
  viewport = { width: 1280, height: 900 },
): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.newPage({ viewport });
  const watch: PageWatch = { problems: [], requests: [] };
  page.on("pageerror", (e) => watch.problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") watch.problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("request", (r) => watch.requests.push(r.url()));
  await page.goto(url);
  return { page, watch };
}
