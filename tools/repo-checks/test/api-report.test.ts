/**
 * An API report per published package (`<package>/api-report.md`, committed): every export of every entry point with
 * its kind, read from the built declarations. An export added or removed by accident shows in review as a change to
 * that file, and this test fails until the report is updated:
 *
 *   npm run build && npm run api-report -w @semtrace/repo-checks
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { apiReport, entryPoints, exportsOf } from "./api-surface.js";
import { publicWorkspaces, repoRoot } from "./workspaces.js";

const UPDATE = "npm run build && npm run api-report -w @semtrace/repo-checks";
const packages = publicWorkspaces();

/**
 * CommonJS entries that cannot be loaded here, each with the error it must fail with (anything else fails the test)
 * and why that is so. Their types still resolve under `require` (a CommonJS project's tsconfig), which is what the
 * condition is for.
 */
const CANNOT_REQUIRE: Readonly<Record<string, { error: RegExp; why: string }>> = {
  "@semtrace/testing/vitest": {
    error: /Vitest cannot be imported in a CommonJS module using require\(\)/,
    why: "registers matchers with Vitest's expect, and Vitest refuses require() (it loads setup files as ES modules)",
  },
};

describe.each(packages)("$name", ({ name, dir }) => {
  const entries = entryPoints(dir);

  it("has an entry point with declarations for both import and require", () => {
    expect(entries.map((e) => e.subpath)).toContain(".");
    for (const entry of entries)
      expect(Object.keys(entry.declarations).sort(), entry.subpath).toEqual(["import", "require"]);
  });

  it(`matches ${relative(repoRoot, join(dir, "api-report.md"))}`, async () => {
    const files = entries.flatMap((e) => Object.values(e.declarations).map((f) => join(dir, f)));
    const exported = exportsOf(files);
    const report = entries.map((entry) => {
      const esm = exported.get(join(dir, entry.declarations["import"]!))!;
      const cjs = exported.get(join(dir, entry.declarations["require"]!))!;
      // The two declaration files are built separately: a difference is a broken build, not an API choice.
      expect(cjs, `${entry.subpath}: .d.cts lists what .d.ts lists`).toEqual(esm);
      expect(esm.length, `${entry.subpath} exports something`).toBeGreaterThan(0);
      return { subpath: entry.subpath, exports: esm };
    });
    await expect(apiReport(name, report, UPDATE)).toMatchFileSnapshot(join(dir, "api-report.md"));
  });

  it("exports at run time exactly the values its declarations promise (ES module and CommonJS)", async () => {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    const require = createRequire(join(dir, "package.json"));
    for (const entry of entries) {
      const promised = [...exportsOf([join(dir, entry.declarations["import"]!)]).values()][0]!
        .filter((e) => e.value)
        .map((e) => e.name);
      const target = manifest.exports[entry.subpath] as { import: { default: string }; require: { default: string } };
      const esm = Object.keys((await import(pathToFileURL(join(dir, target.import.default)).href)) as object).sort();
      expect(esm, `${entry.subpath}: the ES module exports the values its .d.ts declares`).toEqual(promised);
      const unloadable = CANNOT_REQUIRE[`${name}${entry.subpath.slice(1)}`];
      if (unloadable !== undefined) {
        expect(() => require(join(dir, target.require.default)), `${entry.subpath}: ${unloadable.why}`).toThrow(
          unloadable.error,
        );
        continue;
      }
      const cjs = Object.keys(require(join(dir, target.require.default)) as object)
        .filter((k) => k !== "__esModule")
        .sort();
      expect(cjs, `${entry.subpath}: the CommonJS module exports the values its .d.cts declares`).toEqual(promised);
    }
  });
});

describe("the report's reading of declarations", () => {
  it("tells kinds apart: functions, classes (abstract, type-only), interfaces, types, consts, enums, namespaces", async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const work = mkdtempSync(join(tmpdir(), "semtrace-api-"));
    try {
      writeFileSync(
        join(work, "inner.d.ts"),
        "export declare abstract class Base { x: number }\nexport declare class Impl extends Base {}\n",
      );
      writeFileSync(
        join(work, "index.d.ts"),
        [
          "export declare function run(): void;",
          "export declare const LIMIT = 3;",
          "export declare let mutable: number;",
          "export interface Options { a?: number }",
          "export type Name = string;",
          "export declare enum Color { Red }",
          "export declare const Kind: { readonly A: 'A' };",
          "export type Kind = (typeof Kind)[keyof typeof Kind];",
          "export declare namespace Kind { type A = 'A'; }",
          "export type { Base } from './inner.js';",
          "export { Impl } from './inner.js';",
        ].join("\n"),
      );
      const file = join(work, "index.d.ts");
      expect(exportsOf([file]).get(file)).toEqual([
        { name: "Base", kind: "abstract class (type only)", value: false },
        { name: "Color", kind: "enum", value: true },
        { name: "Impl", kind: "class", value: true },
        { name: "Kind", kind: "const, type, namespace", value: true },
        { name: "LIMIT", kind: "const", value: true },
        { name: "Name", kind: "type", value: false },
        { name: "Options", kind: "interface", value: false },
        { name: "mutable", kind: "let", value: true },
        { name: "run", kind: "function", value: true },
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
