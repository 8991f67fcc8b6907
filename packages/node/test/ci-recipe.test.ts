/**
 * The CI recipe of the repository's README, run for real: its commands, as written, in the small app of
 * fixtures/ci-app (two test files, so two processes append to the one spans file), with the `semtrace` bin npm
 * links in this repo.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const readme = fileURLToPath(new URL("../../../README.md", import.meta.url));
const app = fileURLToPath(new URL("./fixtures/ci-app", import.meta.url));
const outputs = ["semtrace-spans.jsonl", "semtrace-junit.xml"].map((f) => join(app, f));

/** The commands between the README's ci-recipe markers. */
function recipe(): string[] {
  const text = readFileSync(readme, "utf8");
  const block = /<!-- ci-recipe:start[^>]*-->\n```sh\n([\s\S]*?)```\n<!-- ci-recipe:end -->/.exec(text);
  expect(block, "the README's CI recipe block").not.toBeNull();
  return block![1]!.trim().split("\n");
}

function sh(command: string): { code: number; stdout: string } {
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env["SEMTRACE_TRACES_FILE"];
    delete env["NODE_OPTIONS"];
    return {
      code: 0,
      stdout: execFileSync("sh", ["-c", command], {
        cwd: app,
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      }),
    };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    throw new Error(`\`${command}\` exited ${e.status}:\n${e.stdout}\n${e.stderr}`);
  }
}

afterAll(() => {
  for (const f of outputs) rmSync(f, { force: true });
});

describe("the README's CI recipe", () => {
  it("runs the app's tests writing spans to a file, then validates them into a JUnit report", {
    timeout: 120_000,
  }, () => {
    for (const f of outputs) rmSync(f, { force: true });
    const commands = recipe();
    expect(commands).toHaveLength(2);
    for (const command of commands) sh(command);

    const spans = readFileSync(outputs[0]!, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l).resourceSpans[0].scopeSpans[0].spans[0].name as string);
    expect(spans.sort()).toEqual(["GET /health", "answer", "lookup"]);
    expect(existsSync(outputs[1]!)).toBe(true);
    const junit = readFileSync(outputs[1]!, "utf8");
    expect(junit).toContain('<testsuites name="semtrace validate" tests="3" failures="0" errors="0" skipped="1">');
    expect(junit).toContain('<testcase classname="spans" name="1 other span(s)">');
    expect(junit).toMatch(/name="answer"/);
  });
});
