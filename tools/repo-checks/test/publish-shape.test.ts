/**
 * What `npm publish` would upload for every public workspace: publint's lint of the package.json against the
 * packed files, and are-the-types-wrong's resolution of every entry point in node10, node16 (CJS and ESM) and
 * bundler mode. Both need `dist/`, so turbo runs this after every package's build.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkPackage, createPackageFromTarballData } from "@arethetypeswrong/core";
import { problemKindInfo } from "@arethetypeswrong/core/problems";
import { allResolutionKinds } from "@arethetypeswrong/core/utils";
import type { Problem } from "@arethetypeswrong/core";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { beforeAll, describe, expect, it } from "vitest";
import { packTarball, publicWorkspaces } from "./workspaces.js";

const packages = publicWorkspaces();

it("finds the public packages", () => {
  expect(packages.map((p) => p.name)).toEqual(
    expect.arrayContaining(["@semtrace/cli", "@semtrace/codegen", "@semtrace/genai", "@semtrace/openinference"]),
  );
});

it("depends on every public package, so turbo builds them all before these checks run", () => {
  const own = JSON.parse(readFileSync(join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..", "package.json"), "utf8")) as { devDependencies?: Record<string, string> };
  const missing = packages.map((p) => p.name).filter((name) => own.devDependencies?.[name] === undefined);
  expect(missing, "add them to tools/repo-checks devDependencies").toEqual([]);
});

function describeProblem(problem: Problem): string {
  const where = "entrypoint" in problem ? ` (${problem.entrypoint}, ${problem.resolutionKind})` : "";
  const file = "fileName" in problem ? ` in ${problem.fileName}` : "typesFileName" in problem ? ` in ${problem.typesFileName}` : "";
  return `${problem.kind}${where}${file}: ${problemKindInfo[problem.kind].description}`;
}

describe.each(packages)("$name", ({ dir }) => {
  let tarball: Uint8Array;

  beforeAll(() => {
    if (!existsSync(join(dir, "dist"))) throw new Error(`${dir}/dist is missing: run \`npm run build\` first`);
    tarball = packTarball(dir);
  });

  it("publint: no errors or warnings", async () => {
    const { messages, pkg } = await publint({ level: "warning", pack: { tarball: tarball.slice().buffer } });
    const report = messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`);
    expect(report).toEqual([]);
  });

  it("are-the-types-wrong: every entry point has types in all four resolution modes, no problems", async () => {
    const result = await checkPackage(createPackageFromTarballData(tarball));
    if (result.types === false) throw new Error("the packed package has no types at all");

    const resolved = Object.values(result.entrypoints).flatMap((entry) =>
      allResolutionKinds.map((kind) => {
        const r = entry.resolutions[kind];
        return `${entry.subpath} [${kind}] → ${r.resolution?.fileName ?? "UNRESOLVED"}`;
      }),
    );
    console.log(`${result.packageName}@${result.packageVersion}\n  ${resolved.join("\n  ")}`);

    expect(result.problems.map(describeProblem)).toEqual([]);
    expect(Object.keys(result.entrypoints)).toContain(".");
    for (const entry of Object.values(result.entrypoints)) {
      if (entry.subpath === "./package.json") continue;
      for (const kind of allResolutionKinds) {
        // JSON data (a package's `./schema.json`) has no types of its own, but must resolve in every mode, node10 included.
        if (entry.subpath.endsWith(".json")) expect(entry.resolutions[kind].resolution?.fileName, `${entry.subpath} [${kind}] resolves to a JSON file`).toMatch(/\.json$/);
        else expect(entry.resolutions[kind].resolution?.isTypeScript, `${entry.subpath} [${kind}] resolves to types`).toBe(true);
      }
    }
  });
});
