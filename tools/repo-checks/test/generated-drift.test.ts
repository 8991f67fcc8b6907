/**
 * Generated code matches the spec, and what is committed is what the generator produces.
 * - For every workspace with a `generate` script, `npm run generate -- --check` (the real
 *   `semtrace generate … --check`) must exit 0.
 * - turbo runs `generate` before `build`, so in CI a stale commit would be silently regenerated;
 *   the git check below catches that: no file under any `src/generated/` (nor the reference docs, wherever the
 *   script or the spec's manifest puts them) may differ from HEAD.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { loadRegistry } from "@semtrace/spec";
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

  const inGit =
    spawnSync("git", ["rev-parse", "--is-inside-work-tree"], { cwd: dir, encoding: "utf8" }).stdout.trim() === "true";
  if (!inGit) console.warn(`[generated-drift] SKIPPED the committed-files check for ${dir}: not a git checkout`);
  it.skipIf(!inGit)(
    "the committed src/generated (and reference docs) match the generator's output (git sees no change)",
    async () => {
      const script = manifest.scripts!.generate!;
      const generated = path.resolve(dir, /--out\s+(\S+)/.exec(script)?.[1] ?? "src/generated");
      // The reference docs, when the script writes them (`--docs <dir>`, or the spec manifest's `codegen.docs`,
      // relative to the spec folder), are committed generated files too.
      const spec = /--spec\s+(\S+)/.exec(script)?.[1];
      const fromManifest = spec ? (await loadRegistry(spec, dir)).registry.manifest?.codegen?.docs : undefined;
      const flag = /--docs\s+(\S+)/.exec(script)?.[1];
      const docs =
        flag !== undefined
          ? path.resolve(dir, flag)
          : spec && fromManifest !== undefined
            ? path.resolve(dir, spec, fromManifest)
            : undefined;
      const status = spawnSync("git", ["status", "--porcelain", "--", generated, ...(docs ? [docs] : [])], {
        cwd: dir,
        encoding: "utf8",
      });
      expect(status.status).toBe(0);
      expect(
        status.stdout.trim(),
        "generated files differ from the commit; run `npm run generate` and commit the result",
      ).toBe("");
    },
  );
});
