/**
 * Generated code matches the spec, and what is committed is what the generator produces.
 * - For every workspace with a `generate` script, `npm run generate -- --check` (the real
 *   `semtrace generate … --check`) must exit 0.
 * - turbo runs `generate` before `build`, so in CI a stale commit would be silently regenerated;
 *   the git check below catches that: no file under any `src/generated/` may differ from HEAD.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { workspaces } from "./workspaces.js";

const generating = workspaces().filter((w) => w.manifest.scripts?.generate !== undefined);

it("finds the packages that generate code", () => {
  expect(generating.map((w) => w.name)).toEqual(expect.arrayContaining(["@semtrace/openinference", "@semtrace/genai"]));
});

describe.each(generating)("$name", ({ dir, manifest }) => {
  it("`npm run generate -- --check` exits 0 (generated files are up to date)", () => {
    const result = spawnSync("npm", ["run", "--silent", "generate", "--", "--check"], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = `${result.stdout}${result.stderr}`.trim();
    if (output) console.log(output);
    expect(
      result.status,
      `generated files are stale or the generator failed; run \`npm run generate\` at the root and commit:\n${output}`,
    ).toBe(0);
  });

  const inGit = spawnSync("git", ["rev-parse", "--is-inside-work-tree"], { cwd: dir, encoding: "utf8" }).stdout.trim() === "true";
  if (!inGit) console.warn(`[generated-drift] SKIPPED the committed-files check for ${dir}: not a git checkout`);
  it.skipIf(!inGit)("the committed src/generated (and reference docs) match the generator's output (git sees no change)", () => {
    const generated = path.resolve(dir, /--out\s+(\S+)/.exec(manifest.scripts!.generate!)?.[1] ?? "src/generated");
    // The reference docs, when the script writes them (`--docs <dir>`), are committed generated files too.
    const docs = /--docs\s+(\S+)/.exec(manifest.scripts!.generate!)?.[1];
    const status = spawnSync("git", ["status", "--porcelain", "--", generated, ...(docs ? [path.resolve(dir, docs)] : [])], { cwd: dir, encoding: "utf8" });
    expect(status.status).toBe(0);
    expect(status.stdout.trim(), "generated files differ from the commit; run `npm run generate` and commit the result").toBe("");
  });
});
