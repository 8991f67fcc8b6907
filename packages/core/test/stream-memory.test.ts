/**
 * Peak memory of a long traced string stream: semtrace keeps only the output it will record (maxSpanChars, else
 * maxStreamOutputChars), so reading a 300 MiB stream costs about what reading it untraced costs. Each run is a
 * child process (bundled from source with esbuild) whose peak RSS is `process.resourceUsage().maxRSS`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MIB = 1024 * 1024;
const STREAM_MIB = 300;
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), "semtrace-core-rss-"));
const child = join(workDir, "stream-memory-child.cjs");

interface Run {
  readonly maxRssBytes: number;
  readonly read: number;
  readonly outputLength: number | null;
  readonly outputChars: number | null;
}

function run(mode: "untraced" | "budget" | "default" | "unlimited"): Run {
  const out = spawnSync(process.execPath, [child, mode, String(STREAM_MIB)], { encoding: "utf8", timeout: 60_000 });
  if (out.status !== 0) throw new Error(`child (${mode}) exited ${out.status}: ${out.stderr}`);
  return JSON.parse(out.stdout) as Run;
}

beforeAll(async () => {
  // The child imports core and its workspace dependencies from source, as the tests do.
  await build({
    entryPoints: [join(packageDir, "test/support/stream-memory-child.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: child,
    logLevel: "warning",
    // Aliased to the source folders, so subpaths (@semtrace/runtime/internal) map to their files too.
    alias: {
      "@semtrace/openinference": join(packageDir, "../openinference/src"),
      "@semtrace/runtime": join(packageDir, "../runtime/src"),
      "@semtrace/translate": join(packageDir, "../translate/src"),
    },
  });
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe(`a traced ${STREAM_MIB} MiB string stream (1 MiB chunks), peak RSS of a child process`, () => {
  it("holds no more than the output it records: within 40 MiB of reading the stream untraced, with or without maxSpanChars", () => {
    const untraced = run("untraced");
    const budget = run("budget");
    const byDefault = run("default");
    const report = `untraced ${(untraced.maxRssBytes / MIB).toFixed(0)} MiB, maxSpanChars ${(budget.maxRssBytes / MIB).toFixed(0)} MiB, default ${(byDefault.maxRssBytes / MIB).toFixed(0)} MiB`;
    for (const r of [untraced, budget, byDefault]) expect(r.read, report).toBe(STREAM_MIB * MIB);
    expect(budget.maxRssBytes, report).toBeLessThan(untraced.maxRssBytes + 40 * MIB);
    expect(byDefault.maxRssBytes, report).toBeLessThan(untraced.maxRssBytes + 40 * MIB);
    // What the spans recorded: the beginning of the text, marked, and the full length.
    expect(budget.outputLength, report).toBeLessThanOrEqual(100_000 + "…[truncated]".length);
    expect(budget.outputChars).toBe(STREAM_MIB * MIB);
    expect(byDefault.outputLength).toBe(1_048_576 + "…[truncated]".length);
    expect(byDefault.outputChars).toBe(STREAM_MIB * MIB);
  }, 120_000);

  it("the measurement can tell: with no limit at all the whole stream is held (the peak passes its size)", () => {
    const unlimited = run("unlimited");
    expect(unlimited.outputLength).toBe(STREAM_MIB * MIB);
    expect(unlimited.maxRssBytes).toBeGreaterThan(STREAM_MIB * MIB);
  }, 120_000);
});
