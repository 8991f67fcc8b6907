/**
 * What `npm publish` would upload for every public workspace: publint's lint of the package.json against the
 * packed files, are-the-types-wrong's resolution of every entry point in node10, node16 (CJS and ESM) and
 * bundler mode, and the license and README every tarball carries. They need `dist/`, so turbo runs this after
 * every package's build.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkPackage, createPackageFromTarballData } from "@arethetypeswrong/core";
import { problemKindInfo } from "@arethetypeswrong/core/problems";
import { allResolutionKinds } from "@arethetypeswrong/core/utils";
import type { Problem } from "@arethetypeswrong/core";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { beforeAll, describe, expect, it } from "vitest";
import { packTarball, publicWorkspaces, repoRoot } from "./workspaces.js";

const packages = publicWorkspaces();

/** SHA-256 of the Apache License 2.0 as the Apache Software Foundation publishes it (apache.org/licenses/LICENSE-2.0.txt). */
const APACHE_2_0_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30";
const license = readFileSync(join(repoRoot, "LICENSE"), "utf8");

it("the repository's LICENSE is the Apache License 2.0, verbatim", () => {
  expect(
    createHash("sha256").update(license).digest("hex"),
    "LICENSE differs from apache.org/licenses/LICENSE-2.0.txt",
  ).toBe(APACHE_2_0_SHA256);
});

it("finds the public packages", () => {
  expect(packages.map((p) => p.name)).toEqual(
    expect.arrayContaining(["@semtrace/cli", "@semtrace/codegen", "@semtrace/genai", "@semtrace/openinference"]),
  );
});

it("depends on every public package, so turbo builds them all before these checks run", () => {
  const own = JSON.parse(
    readFileSync(join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..", "package.json"), "utf8"),
  ) as { devDependencies?: Record<string, string> };
  const missing = packages.map((p) => p.name).filter((name) => own.devDependencies?.[name] === undefined);
  expect(missing, "add them to tools/repo-checks devDependencies").toEqual([]);
});

function describeProblem(problem: Problem): string {
  const where = "entrypoint" in problem ? ` (${problem.entrypoint}, ${problem.resolutionKind})` : "";
  const file =
    "fileName" in problem
      ? ` in ${problem.fileName}`
      : "typesFileName" in problem
        ? ` in ${problem.typesFileName}`
        : "";
  return `${problem.kind}${where}${file}: ${problemKindInfo[problem.kind].description}`;
}

describe.each(packages)("$name", ({ name, dir }) => {
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

  it("ships the repository's LICENSE and a README about the package, and says Apache-2.0 in package.json", () => {
    const packed = createPackageFromTarballData(tarball);
    const at = `/node_modules/${name}`;
    expect(packed.tryReadFile(`${at}/LICENSE`), `${name}'s tarball holds LICENSE, a copy of the repository's`).toBe(
      license,
    );
    const manifest = JSON.parse(packed.readFile(`${at}/package.json`)) as { license?: string };
    expect(manifest.license).toBe("Apache-2.0");
    const readme = packed.tryReadFile(`${at}/README.md`);
    expect(readme, `${name}'s tarball holds README.md`).toBeDefined();
    const [title, ...rest] = readme!.split("\n");
    expect(title, "README.md starts with the package's name as its title").toBe(`# ${name}`);
    expect(rest.join("\n").trim().length, "README.md says more than its title").toBeGreaterThan(200);
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
        if (entry.subpath.endsWith(".json"))
          expect(
            entry.resolutions[kind].resolution?.fileName,
            `${entry.subpath} [${kind}] resolves to a JSON file`,
          ).toMatch(/\.json$/);
        else
          expect(entry.resolutions[kind].resolution?.isTypeScript, `${entry.subpath} [${kind}] resolves to types`).toBe(
            true,
          );
      }
    }
  });
});
