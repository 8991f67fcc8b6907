/**
 * A throw-away git repository holding a copy of one of this repo's registries, for `semtrace check --baseline` and
 * `semtrace diff` against real revisions; and `run`, the CLI in-process with captured output.
 */
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { main } from "../../src/cli.js";
import { tempDir } from "./tmp.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    "git",
    [
      "-c",
      "user.name=semtrace tests",
      "-c",
      "user.email=tests@semtrace.invalid",
      "-c",
      "commit.gpgsign=false",
      ...args,
    ],
    {
      cwd,
      encoding: "utf8",
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
    },
  );
}

/** A new repository with `spec/<name>` copied from this repo's spec folder, committed; returns its root. */
export function specRepo(name: string, extra: Readonly<Record<string, string>> = {}): string {
  const root = tempDir("spec-repo");
  cpSync(path.join(REPO_ROOT, "spec", name), path.join(root, "spec", name), { recursive: true });
  for (const [rel, text] of Object.entries(extra)) writeFileSync(path.join(root, rel), text);
  git(root, "init", "-q", "-b", "main");
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "registry");
  return root;
}

/** Replaces exactly one occurrence of `from` in `file` (relative to `root`): an edit that no longer applies fails. */
export function editOnce(root: string, file: string, from: string, to: string): void {
  const full = path.join(root, file);
  const text = readFileSync(full, "utf8");
  expect(text.split(from).length, `${file} holds ${JSON.stringify(from)} once`).toBe(2);
  writeFileSync(full, text.replace(from, to));
}

export async function run(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd });
  return { code, stdout, stderr };
}
