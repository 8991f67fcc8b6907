/**
 * Every published package's README: how to install it, a ten-line example, the API at a glance and a link to the
 * reference docs. The example (the fenced block after the "ten-line example" marker) is extracted and typechecked
 * with tsc against the built packages, as a user's project would compile it, so a README cannot drift from the API.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { publicWorkspaces, repoRoot } from "./workspaces.js";

const MARK = "<!-- ten-line example:";
const MAX_LINES = 10;

interface Readme {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly example?: string;
}

const readmes: Readme[] = publicWorkspaces().map(({ name, dir }) => {
  const file = path.join(dir, "README.md");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const at = text.indexOf(MARK);
  const fence = at < 0 ? null : /```ts\n([\s\S]*?)\n```/.exec(text.slice(at));
  return { name, file, text, ...(fence ? { example: fence[1]! } : {}) };
});

it("finds the published packages", () => {
  const names = [
    "@semtrace/openinference",
    "@semtrace/genai",
    "@semtrace/core",
    "@semtrace/cli",
    "@semtrace/codegen",
    "@semtrace/runtime",
    "@semtrace/spec",
    "@semtrace/node",
    "@semtrace/testing",
  ];
  expect(readmes.map((r) => r.name)).toEqual(expect.arrayContaining(names));
});

describe.each(readmes)("$name README", (readme) => {
  it("says how to install it, shows a ten-line example, the API at a glance and links the reference", () => {
    expect(readme.text, `${readme.file} is missing`).not.toBe("");
    expect(readme.text).toMatch(new RegExp(`npm install[^\\n]*${readme.name.replace("/", "\\/")}`));
    expect(readme.example, `${readme.file}: no \`\`\`ts block after "${MARK}"`).toBeDefined();
    expect(readme.example!.split("\n").filter((l) => l.trim() !== "").length).toBeLessThanOrEqual(MAX_LINES);
    expect(readme.example).toContain(`from "${readme.name}"`);
    expect(readme.text).toContain("## The API at a glance");
    const links = [...readme.text.matchAll(/\]\(((?:\.\.\/)+docs\/reference\/[^)#]*)\)/g)].map((m) => m[1]!);
    expect(links.length, `${readme.file} links no page of docs/reference`).toBeGreaterThan(0);
    for (const link of links)
      expect(existsSync(path.resolve(path.dirname(readme.file), link)), `${readme.file}: ${link} does not exist`).toBe(
        true,
      );
  });
});

it("every README's ten-line example typechecks against the built packages", () => {
  const dir = path.join(repoRoot, "tools/repo-checks/.readme-examples");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  const files = readmes
    .filter((r) => r.example)
    .map((r) => {
      const file = `${r.name.replace("@semtrace/", "")}.ts`;
      writeFileSync(path.join(dir, file), `${r.example!}\nexport {};\n`);
      return file;
    });
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"],
      },
      files,
    }),
  );
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", dir], { cwd: dir, encoding: "utf8", timeout: 240_000 });
  expect(result.stdout + result.stderr, "a README example does not compile (file name = package)").toBe("");
  expect(result.status).toBe(0);
}, 300_000);
