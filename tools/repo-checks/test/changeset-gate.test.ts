/**
 * A package whose generated API changed carries a changeset. Against the merge base with main, for every
 * workspace that generates code from a registry: if its registry changed in a way `semtrace diff` classifies, its
 * generated files changed, or its API report (`api-report.md`, when the package has one) changed, then some
 * changeset added since the merge base must name the package. Every other published workspace whose committed
 * API report changed needs one too. The failure names the command that writes one.
 *
 * Skipped, with a message, where there is no main to compare with (a shallow clone without it).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "@semtrace/cli";
import { describe, expect, it } from "vitest";
import { publicWorkspaces, workspaces } from "./workspaces.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function git(...args: string[]): { ok: boolean; out: string } {
  const r = spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  return { ok: r.status === 0, out: r.stdout.trim() };
}

const base = ["main", "origin/main"].map((ref) => git("merge-base", "HEAD", ref)).find((r) => r.ok)?.out;
if (!base) console.warn("[changeset-gate] SKIPPED: no main or origin/main to find a merge base with (shallow clone?)");

/** Workspaces generated from a registry, with the spec directory their `generate` script reads. */
const generated = workspaces().flatMap((w) => {
  const spec = /--spec\s+(\S+)/.exec(w.manifest.scripts?.generate ?? "")?.[1];
  return spec === undefined
    ? []
    : [{ name: w.name, dir: w.dir, spec: path.relative(ROOT, path.resolve(w.dir, spec)).split(path.sep).join("/") }];
});

/** Published workspaces that are not generated from a registry but have an API report. */
const reported = publicWorkspaces()
  .filter((w) => !generated.some((g) => g.name === w.name) && existsSync(path.join(w.dir, "api-report.md")))
  .map((w) => ({ name: w.name, rel: path.relative(ROOT, w.dir).split(path.sep).join("/") }));

/** Package names the changesets added since `base` (committed, staged or not yet added) name in their front matter. */
function packagesWithChangesets(since: string): Set<string> {
  const added = [
    ...git("diff", "--name-only", "--diff-filter=A", since, "--", ".changeset").out.split("\n"),
    ...git("ls-files", "--others", "--exclude-standard", "--", ".changeset").out.split("\n"),
  ].filter((f) => f.endsWith(".md") && !f.endsWith("README.md"));
  const names = new Set<string>();
  for (const file of added) {
    const full = path.join(ROOT, file);
    if (!existsSync(full)) continue;
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(full, "utf8"))?.[1] ?? "";
    for (const m of front.matchAll(/^\s*["']?(@?[^"':\s]+)["']?\s*:\s*(major|minor|patch)\s*$/gm)) names.add(m[1]!);
  }
  return names;
}

async function registryChanges(since: string, spec: string): Promise<{ count: number; error?: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(["diff", "--base", since, "--spec", spec, "--format", "json"], {
    cwd: ROOT,
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
  });
  // A registry that did not exist at the merge base is new: its package is new too, and needs a changeset.
  if (code !== 0) return { count: 1, error: stderr.trim() };
  return { count: (JSON.parse(stdout) as { changes: unknown[] }).changes.length };
}

describe.skipIf(!base)("changesets for changed generated APIs", () => {
  it("finds the packages generated from registries", () => {
    expect(generated.map((g) => `${g.name} ${g.spec}`)).toEqual(
      expect.arrayContaining(["@semtrace/genai spec/genai", "@semtrace/openinference spec/openinference"]),
    );
  });

  it.each(generated)(
    "$name: a changed registry, generated code or API report has a changeset",
    async ({ name, dir, spec }) => {
      const rel = path.relative(ROOT, dir).split(path.sep).join("/");
      const reasons: string[] = [];
      const registry = await registryChanges(base!, spec);
      if (registry.count > 0)
        reasons.push(
          registry.error
            ? `${spec} could not be compared with ${base!.slice(0, 12)} (${registry.error.split("\n").at(-1)})`
            : `${registry.count} change(s) to ${spec}`,
        );
      if (!git("diff", "--quiet", base!, "--", `${rel}/src/generated`).ok) reasons.push(`${rel}/src/generated changed`);
      if (
        existsSync(path.join(dir, "api-report.md")) &&
        !git("diff", "--quiet", base!, "--", `${rel}/api-report.md`).ok
      )
        reasons.push(`${rel}/api-report.md changed`);
      if (reasons.length === 0) return;
      expect(
        packagesWithChangesets(base!).has(name),
        `${name}: ${reasons.join("; ")} since the merge base with main (${base!.slice(0, 12)}), and no changeset added since names ${name}.\n` +
          `Fix: npx semtrace diff --base ${base!.slice(0, 12)} --spec ${spec} --changeset   (for registry changes; it writes the bump)\n` +
          `  or: npx changeset   (for changes of the generator), then commit the .changeset/*.md`,
      ).toBe(true);
    },
    120_000,
  );

  it("finds the other packages with an API report", () => {
    expect(reported.map((r) => r.name)).toEqual(
      expect.arrayContaining(["@semtrace/runtime", "@semtrace/spec", "@semtrace/cli"]),
    );
  });

  it.each(reported)("$name: a changed API report has a changeset", ({ name, rel }) => {
    if (git("diff", "--quiet", base!, "--", `${rel}/api-report.md`).ok) return;
    expect(
      packagesWithChangesets(base!).has(name),
      `${name}: ${rel}/api-report.md changed since the merge base with main (${base!.slice(0, 12)}), and no changeset added since names ${name}.\n` +
        `Fix: npx changeset   (name ${name} with the bump its API change needs), then commit the .changeset/*.md`,
    ).toBe(true);
  });
});
