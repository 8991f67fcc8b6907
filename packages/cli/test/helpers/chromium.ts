/** Headless Chromium for the page tests: the shared helper (tools/browser-test), which the reference docs' tests use too. */
export { CHROMIUM, CHROMIUM_ARGS, findChromium } from "@semtrace/browser-test";
