/**
 * The catalogue of diagnostic ids (src/model/diagnostic-ids.ts) is the one list: spec/README.md §8 shows exactly
 * its table, every id in it is reported somewhere in the generator's source, and the annotation table
 * (src/model/annotations.ts) matches the rows of spec/README.md §2.5.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SEMTRACE_ANNOTATIONS } from "../src/model/annotations.js";
import { DIAGNOSTICS, diagnosticsTable } from "../src/model/diagnostic-ids.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const README = path.join(here, "../../../spec/README.md");
const SRC = path.join(here, "../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

describe("the diagnostic catalogue", () => {
  const readme = readFileSync(README, "utf8");

  it("spec/README.md §8 holds its table", () => {
    const section = /<!-- diagnostics:start[^>]*-->\n([\s\S]*?)\n<!-- diagnostics:end -->/.exec(readme);
    expect(
      section,
      "spec/README.md lacks the <!-- diagnostics:start --> … <!-- diagnostics:end --> markers",
    ).not.toBeNull();
    const want = diagnosticsTable();
    expect(
      section![1],
      `spec/README.md §8 differs from the catalogue; paste this table between the markers:\n\n${want}\n`,
    ).toBe(want);
  });

  it("every id is reported by some stage, and nothing reports an id outside it", () => {
    const catalogue = path.join(SRC, "model/diagnostic-ids.ts");
    const text = sourceFiles(SRC)
      .filter((f) => f !== catalogue)
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    const unused = Object.keys(DIAGNOSTICS).filter((id) => !text.includes(`"${id}"`));
    expect(unused, "catalogued ids no stage reports").toEqual([]);
  });
});

describe("the semtrace annotation table", () => {
  it("matches the rows of spec/README.md §2.5", () => {
    const readme = readFileSync(README, "utf8");
    const section = readme.slice(readme.indexOf("### 2.5 `semtrace` annotations"), readme.indexOf("### 2.6"));
    const documented = [...section.matchAll(/^\| `([a-z_]+)`\s*\|/gm)].map((m) => m[1]!);
    const groups = new Set(
      [...section.matchAll(/^\| `([a-z_]+)`\s*\| `OPENINFERENCE_|^\| `([a-z_]+)`\s*\| \(none upstream/gm)].map(
        (m) => m[1] ?? m[2],
      ),
    );
    expect(documented.filter((name) => !groups.has(name)).sort()).toEqual(Object.keys(SEMTRACE_ANNOTATIONS).sort());
  });
});
