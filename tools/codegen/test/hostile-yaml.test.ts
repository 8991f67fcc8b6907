/**
 * Loading hostile YAML: every cap of load/limits.ts (bytes, nodes with aliases expanded, nesting depth) stops
 * with one diagnostic at the place it was crossed, and the rest of the loader's defences (encodings, unprintable
 * characters, aliases that cannot be expanded, the file walk) report instead of throwing or guessing.
 * Expected positions are counted from the fixture text by hand, as in diagnostics-corpus.test.ts.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  DEFAULT_YAML_LIMITS,
  MAX_YAML_DEPTH,
  buildFromFiles,
  formatDiagnostic,
  loadRegistry,
  loadRegistryFromFiles,
  runGenerateCommand,
  type YamlLimits,
} from "../src/index.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;

function load(text: string, limits?: Partial<YamlLimits>): string[] {
  return loadRegistryFromFiles("spec", new Map([["f.yaml", text]]), limits).diagnostics.map(formatDiagnostic);
}

/** The "billion laughs": level 0 has nine scalars, each further level nine aliases of the one before. */
function laughs(levels: number): string {
  const out = ['x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= levels; i++)
    out.push(
      `x${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(",")}]`,
    );
  return lines(...out);
}

/** Nesting of `depth` collections in each form; `at(n)` is the column where the n-th (1-based) opens. */
const NESTINGS: Record<string, { text: (depth: number) => string; at: (n: number) => string }> = {
  "flow sequences": { text: (d) => `${"[".repeat(d)}${"]".repeat(d)}`, at: (n) => `1:${n}` },
  "flow mappings": { text: (d) => `${"{a: ".repeat(d)}1${"}".repeat(d)}`, at: (n) => `1:${4 * (n - 1) + 1}` },
  "block sequences": { text: (d) => `${"- ".repeat(d)}x`, at: (n) => `1:${2 * (n - 1) + 1}` },
  // Line n opens the n-th mapping at column n (indented by n - 1).
  "block mappings": {
    text: (d) => lines(...Array.from({ length: d }, (_, i) => `${" ".repeat(i)}a:${i === d - 1 ? " x" : ""}`)),
    at: (n) => `${n}:${n}`,
  },
};

describe("alias expansion", () => {
  it("the alias bomb of the issue (9 levels, 478 bytes, 387 million nodes) stops at the alias that crosses the cap", () => {
    // Nodes in document order: the root mapping, then per line a key and a sequence: x0's holds 9 scalars, each
    // `&aN` 9 copies of the one before (a0 is 10 nodes, a1 91, a2 820, a3 7,381, a4 66,430). Through x4:
    // 1 + 11 + 92 + 821 + 7,382 + 66,431 = 74,738; x5's key and sequence make 74,740, its first `*a4` 141,170,
    // and its second (column 14) 207,600: past the cap of 150,000.
    expect(load(laughs(9))).toEqual([
      "spec/f.yaml:6:14: error [yaml.too-many-nodes] more than 150000 YAML nodes in one file: alias `*a4` brings it to 207600 once expanded (--max-yaml-nodes)",
    ]);
  });

  it("a lower cap stops earlier, a higher one lets the same document through", () => {
    // The root mapping and x0..x2 are 1 + 11 + 92 + 821 = 925 nodes; x3's key and sequence 927, its first `*a2`
    // (820 nodes, column 10) 1,747. The whole document is 927 + 9 × 820 = 8,307 nodes.
    expect(load(laughs(3), { maxNodes: 1000 })).toEqual([
      "spec/f.yaml:4:10: error [yaml.too-many-nodes] more than 1000 YAML nodes in one file: alias `*a2` brings it to 1747 once expanded (--max-yaml-nodes)",
    ]);
    expect(load(laughs(3), { maxNodes: 8307 })).toEqual([
      "spec/f.yaml:1:1: error [file.format] expected `groups:` (v1) or `file_format: definition/2` (v2) at the top of the file",
    ]);
    expect(load(laughs(3), { maxNodes: 8306 })).toEqual([
      "spec/f.yaml:4:42: error [yaml.too-many-nodes] more than 8306 YAML nodes in one file: alias `*a2` brings it to 8307 once expanded (--max-yaml-nodes)",
    ]);
  });

  it("expanded aliases read as their anchors, with the anchor's position", () => {
    const { registry, diagnostics } = loadRegistryFromFiles(
      "spec",
      new Map([
        [
          "f.yaml",
          lines(
            /* 1 */ "groups:",
            /* 2 */ "  - id: g",
            /* 3 */ "    type: attribute_group",
            /* 4 */ "    brief: &brief Shared brief.",
            /* 5 */ "    attributes:",
            /* 6 */ "      - &attr { id: a.one, type: string, brief: *brief }",
            /* 7 */ "      - { id: a.two, type: int, brief: *brief }",
            /* 8 */ "  - id: h",
            /* 9 */ "    type: attribute_group",
            /* 10 */ "    attributes: [*attr]",
          ),
        ],
      ]),
    );
    expect(diagnostics).toEqual([]);
    const members = registry.groups.flatMap((g) =>
      g.members.map((m) =>
        m.kind === "definition" ? [g.id, m.key, m.brief, `${m.location.line}:${m.location.col}`] : [],
      ),
    );
    // A mapping is where its `{` is (column 15 on line 6, after `- &attr `); the copy in `h` points there too.
    expect(members).toEqual([
      ["g", "a.one", "Shared brief.", "6:15"],
      ["g", "a.two", "Shared brief.", "7:9"],
      ["h", "a.one", "Shared brief.", "6:15"],
    ]);
  });

  it.each([
    [
      "an alias inside the node it names",
      "a: &x [1, *x]\n",
      "spec/f.yaml:1:11: error [yaml.alias] alias `*x` is inside the node it names (a recursive structure)",
    ],
    [
      "an alias inside a mapping it names",
      "a: &x {b: {c: *x}}\n",
      "spec/f.yaml:1:15: error [yaml.alias] alias `*x` is inside the node it names (a recursive structure)",
    ],
    [
      "an alias with no anchor",
      "a: *nope\n",
      "spec/f.yaml:1:4: error [yaml.alias] alias `*nope` names no anchor `&nope` defined before it",
    ],
    [
      "an alias before its anchor",
      "a: *x\nb: &x 1\n",
      "spec/f.yaml:1:4: error [yaml.alias] alias `*x` names no anchor `&x` defined before it",
    ],
  ])("%s is an error, not an endless copy", (_, text, want) => {
    expect(load(text)).toEqual([want]);
  });

  it("an anchor redefined later: each alias takes the last one before it (as YAML says)", () => {
    const { registry } = loadRegistryFromFiles(
      "spec",
      new Map([
        [
          "f.yaml",
          lines(
            "groups:",
            "  - { id: g, type: attribute_group, brief: &b first }",
            "  - { id: h, type: attribute_group, brief: *b }",
            "  - { id: i, type: attribute_group, brief: &b second }",
            "  - { id: j, type: attribute_group, brief: *b }",
          ),
        ],
      ]),
    );
    expect(registry.groups.map((g) => [g.id, g.brief])).toEqual([
      ["g", "first"],
      ["h", "first"],
      ["i", "second"],
      ["j", "second"],
    ]);
  });
});

describe("nesting depth", () => {
  const cap = DEFAULT_YAML_LIMITS.maxDepth;

  it.each(Object.entries(NESTINGS))(
    "50,000 %s stop at the first level past the cap, without running out of stack",
    (_, { text, at }) => {
      // Block mappings need their indentation: 50,000 levels would be 1.25 GB, so they go 300 deep.
      const depth = _ === "block mappings" ? 300 : 50_000;
      expect(load(text(depth))).toEqual([
        `spec/f.yaml:${at(cap + 1)}: error [yaml.too-deep] sequences and mappings nested more than ${cap} deep (--max-yaml-depth)`,
      ]);
    },
  );

  it.each(Object.entries(NESTINGS))("%s exactly at the cap parse (no false alarm)", (_, { text }) => {
    expect(load(text(cap)).filter((d) => /yaml\.(too-deep|syntax)/.test(d))).toEqual([]);
  });

  it.each(Object.entries(NESTINGS))(
    "%s at the deepest cap a flag may set (%#) parse within the stack",
    (_, { text, at }) => {
      expect(
        load(text(MAX_YAML_DEPTH), { maxDepth: MAX_YAML_DEPTH }).filter((d) => /yaml\.(too-deep|syntax)/.test(d)),
      ).toEqual([]);
      expect(load(text(MAX_YAML_DEPTH + 1), { maxDepth: MAX_YAML_DEPTH })).toEqual([
        `spec/f.yaml:${at(MAX_YAML_DEPTH + 1)}: error [yaml.too-deep] sequences and mappings nested more than ${MAX_YAML_DEPTH} deep (--max-yaml-depth)`,
      ]);
    },
  );

  it("a flag cannot ask for more depth than parsing can take", () => {
    expect(load(NESTINGS["flow sequences"]!.text(MAX_YAML_DEPTH + 1), { maxDepth: 100_000 })).toEqual([
      `spec/f.yaml:1:${MAX_YAML_DEPTH + 1}: error [yaml.too-deep] sequences and mappings nested more than ${MAX_YAML_DEPTH} deep (--max-yaml-depth)`,
    ]);
  });

  it("aliases that nest deeper once expanded stop at the alias", () => {
    // a0 is one sequence; each further anchor wraps the one before in one more: a_n is n + 1 deep, under the root
    // mapping. Line n + 1 holds `a<n>: &a<n> [*a<n-1>]`, whose alias (column 2 · digits + 10) expands to n + 2 levels.
    const chain = lines("a0: &a0 [x]", ...Array.from({ length: 300 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}]`));
    const n = cap - 1; // a_(cap-1) is the first to nest cap + 1 deep
    const col = `a${n}: &a${n} [`.length + 1;
    expect(load(chain)).toEqual([
      `spec/f.yaml:${n + 1}:${col}: error [yaml.too-deep] alias \`*a${n - 1}\` nests sequences and mappings more than ${cap} deep once expanded (--max-yaml-depth)`,
    ]);
  });
});

describe("node count", () => {
  // `a: [x, x, …]` with k scalars is k + 3 nodes: the mapping, its key, the sequence and the items.
  const flat = (k: number, block: boolean) =>
    block ? lines("a:", ...Array(k).fill("  - x")) : `a: [${Array(k).fill("x").join(", ")}]\n`;

  it.each([
    ["flow", false],
    ["block", true],
  ])("a %s sequence at the cap loads; one node more stops where it starts", (_, block) => {
    const ok = load(flat(997, block as boolean), { maxNodes: 1000 });
    expect(ok).toEqual([
      "spec/f.yaml:1:1: error [file.format] expected `groups:` (v1) or `file_format: definition/2` (v2) at the top of the file",
    ]);
    // The 998th item: flow `x` at column 5 + 3 × 997; block on line 999, column 5.
    const where = block ? "999:5" : `1:${5 + 3 * 997}`;
    expect(load(flat(998, block as boolean), { maxNodes: 1000 })).toEqual([
      `spec/f.yaml:${where}: error [yaml.too-many-nodes] more than 1000 YAML nodes in one file (--max-yaml-nodes)`,
    ]);
  });

  it("the cap is counted per file", () => {
    const files = new Map([
      ["a.yaml", flat(900, false)],
      ["b.yaml", flat(900, false)],
    ]);
    expect(
      loadRegistryFromFiles("spec", files, { maxNodes: 1000 }).diagnostics.filter(
        (d) => d.id === "yaml.too-many-nodes",
      ),
    ).toEqual([]);
  });
});

describe("file size", () => {
  it("an in-memory file over the byte cap is not parsed", () => {
    expect(load("a: 1234567890\n", { maxBytes: 10 })).toEqual([
      "spec/f.yaml:1:1: error [yaml.too-large] file of 14 bytes, over the 10 bytes one spec file may have (--max-yaml-bytes)",
    ]);
  });

  it("bytes, not characters, count", () => {
    // `é` is two bytes in UTF-8: 2 + 2 + 5 × 2 + 1 = 15 bytes, then 17.
    expect(load("é: ééééé\n", { maxBytes: 15 }).filter((d) => d.includes("too-large"))).toEqual([]);
    expect(load("é: éééééé\n", { maxBytes: 15 })).toEqual([
      "spec/f.yaml:1:1: error [yaml.too-large] file of 17 bytes, over the 15 bytes one spec file may have (--max-yaml-bytes)",
    ]);
  });
});

describe("characters", () => {
  it.each([
    ["NUL", "groups:\n  - id: a\u0000b\n", "2:10", "0000"],
    ["BEL in a comment", "# bell \u0007\ngroups: []\n", "1:8", "0007"],
    ["ESC in a value", "groups:\n  - id: \u001b[31mred\n", "2:9", "001B"],
    ["DEL", "a: \u007f\n", "1:4", "007F"],
    ["a C1 control", "a: \u0090\n", "1:4", "0090"],
    ["U+FFFE", "a: \ufffe\n", "1:4", "FFFE"],
    ["a lone surrogate", "a: \ud800\n", "1:4", "D800"],
  ])("%s is reported where it is", (_, text, at, code) => {
    expect(load(text)).toEqual([
      `spec/f.yaml:${at}: error [yaml.encoding] character U+${code} is not allowed in YAML: write it as an escape (\`\\u${code}\`) inside a double-quoted string`,
    ]);
  });

  it("tabs, line breaks, NEL, a BOM and escapes of control characters are fine", () => {
    expect(load('\ufeffa: "\\0 \\x07 \\e"\nb:\t"tab"\r\nc: "x\u0085y"\n')).toEqual([
      "spec/f.yaml:1:2: error [file.format] expected `groups:` (v1) or `file_format: definition/2` (v2) at the top of the file",
    ]);
  });
});

describe("syntax errors", () => {
  it("at most 50 are listed per file, then a count of the rest from where they start", () => {
    // Each line `  a: b: c` is one error ("Nested mappings are not allowed in compact mappings"), at its `b` (column 6).
    const got = load(lines("x:", ...Array.from({ length: 80 }, () => "  a: b: c")));
    expect(got).toHaveLength(51);
    expect(got[0]).toBe("spec/f.yaml:2:6: error [yaml.syntax] Nested mappings are not allowed in compact mappings");
    expect(got[49]).toBe("spec/f.yaml:51:6: error [yaml.syntax] Nested mappings are not allowed in compact mappings");
    expect(got[50]).toBe("spec/f.yaml:52:6: error [yaml.syntax] and 30 more YAML errors in this file from here on");
  });
});

describe("a YAML stream", () => {
  it("a second document is an error of the first, as before", () => {
    expect(load("a: 1\n---\nb: 2\n")).toEqual([
      "spec/f.yaml:2:1: error [yaml.syntax] Source contains multiple documents; please use YAML.parseAllDocuments()",
    ]);
  });
});

// ----- files on disk -----

const roots: string[] = [];
afterAll(() => {
  for (const dir of roots.splice(0)) {
    chmodAll(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

function chmodAll(dir: string): void {
  try {
    chmodSync(dir, 0o755);
  } catch {
    // already gone
  }
}

function specDir(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(path.join(tmpdir(), "semtrace-hostile-"));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

const GROUP = lines(
  "groups:",
  "  - id: g",
  "    type: attribute_group",
  "    brief: Ünïcode brief.",
  "    attributes:",
  "    - { id: a.b, type: string, brief: x }",
);

async function loadDir(
  root: string,
  limits?: Partial<YamlLimits>,
): Promise<{ diagnostics: string[]; briefs: string[] }> {
  const { registry, diagnostics } = await loadRegistry(root, undefined, limits);
  return {
    diagnostics: diagnostics.map((d) => formatDiagnostic(d).replace(root, "<spec>")),
    briefs: registry.groups.map((g) => g.brief ?? ""),
  };
}

describe("reading spec files", () => {
  it("UTF-8 with and without a BOM, UTF-16 LE and BE with one: the same registry", async () => {
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GROUP, "utf16le")]);
    const utf16be = Buffer.from(utf16le);
    utf16be.swap16();
    const root = specDir({ "a.yaml": GROUP, "b.yaml": `\ufeff${GROUP}`, "c.yaml": utf16le, "d.yaml": utf16be });
    const { diagnostics, briefs } = await loadDir(root);
    expect(diagnostics).toEqual([]);
    expect(briefs).toEqual(["Ünïcode brief.", "Ünïcode brief.", "Ünïcode brief.", "Ünïcode brief."]);
  });

  it("invalid UTF-8 is reported at its line, column and byte offset", async () => {
    const bytes = Buffer.concat([Buffer.from("groups:\n  - id: gé"), Buffer.from([0xc3, 0x28]), Buffer.from("\n")]);
    const { diagnostics } = await loadDir(specDir({ "bad.yaml": bytes }));
    // `é` is two bytes: the bad byte is at offset 8 + 9 + 2 = 19, after the 10 characters of line 2.
    expect(diagnostics).toEqual([
      "<spec>/bad.yaml:2:11: error [yaml.encoding] not valid UTF-8 at byte offset 19 (0xC3 0x28 0x0A): save the file as UTF-8",
    ]);
  });

  it.each([
    ["an overlong encoding", [0xc0, 0xaf]],
    ["a surrogate", [0xed, 0xa0, 0x80]],
    ["past U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["a truncated sequence at the end", [0xe2, 0x82]],
  ])("%s is invalid UTF-8", async (_, tail) => {
    const { diagnostics } = await loadDir(
      specDir({ "bad.yaml": Buffer.concat([Buffer.from("a: "), Buffer.from(tail)]) }),
    );
    expect(diagnostics).toEqual([
      `<spec>/bad.yaml:1:4: error [yaml.encoding] not valid UTF-8 at byte offset 3 (${tail.map((b) => `0x${b.toString(16).toUpperCase()}`).join(" ")}): save the file as UTF-8`,
    ]);
  });

  it("a file over the byte cap is reported and not read; the others still load", async () => {
    const root = specDir({ "a.yaml": GROUP, "big.yaml": `# ${"x".repeat(2000)}\n` });
    const { diagnostics, briefs } = await loadDir(root, { maxBytes: 1000 });
    expect(diagnostics).toEqual([
      "<spec>/big.yaml:1:1: error [yaml.too-large] file of 2003 bytes, over the 1000 bytes one spec file may have (--max-yaml-bytes)",
    ]);
    expect(briefs).toEqual(["Ünïcode brief."]);
  });

  it("links to files and directories are followed; a link back up the tree is reported, not followed", async () => {
    const root = specDir({
      "real/a.yaml": GROUP,
      "elsewhere/b.yaml": GROUP.replace("id: g", "id: h").replace("a.b", "c.d"),
    });
    symlinkSync(path.join(root, "elsewhere/b.yaml"), path.join(root, "real/linked.yaml"));
    symlinkSync(path.join(root, "real"), path.join(root, "mirror"));
    symlinkSync(root, path.join(root, "real/loop"));
    const { registry, diagnostics } = await loadRegistry(root);
    expect(diagnostics.map((d) => formatDiagnostic(d).replace(root, "<spec>"))).toEqual([
      "<spec>/mirror/loop:1:1: warning [spec.link-loop] a link back to a directory that contains it (.): not followed",
      "<spec>/real/loop:1:1: warning [spec.link-loop] a link back to a directory that contains it (.): not followed",
    ]);
    expect(registry.files.map((f) => f.path)).toEqual([
      "elsewhere/b.yaml",
      "mirror/a.yaml",
      "mirror/linked.yaml",
      "real/a.yaml",
      "real/linked.yaml",
    ]);
  });

  it("a dangling link named like a spec file and a spec name that is not a file are errors; other dangling links are ignored", async () => {
    const root = specDir({ "a.yaml": GROUP });
    symlinkSync(path.join(root, "gone.yaml"), path.join(root, "dangling.yaml"));
    symlinkSync(path.join(root, "gone"), path.join(root, "dangling-dir"));
    mkdirSync(path.join(root, "dir.yaml"));
    symlinkSync("/dev/null", path.join(root, "null.yaml"));
    const { diagnostics } = await loadDir(root);
    expect(diagnostics.map((d) => d.replace(/: ENOENT.*$/, ": ENOENT"))).toEqual([
      "<spec>/dangling.yaml:1:1: error [spec.unreadable] cannot read the file: ENOENT",
      "<spec>/null.yaml:1:1: error [spec.unreadable] not a regular file",
    ]);
  });

  it.skipIf(process.getuid?.() === 0)(
    "an unreadable subdirectory is reported and the rest still loads (skipped as root, who reads everything)",
    async () => {
      const root = specDir({ "a.yaml": GROUP, "locked/b.yaml": GROUP });
      chmodSync(path.join(root, "locked"), 0o000);
      const { diagnostics, briefs } = await loadDir(root);
      expect(diagnostics.map((d) => d.replace(/: EACCES.*$/, ": EACCES"))).toEqual([
        "<spec>/locked:1:1: error [spec.unreadable] cannot read the directory: EACCES",
      ]);
      expect(briefs).toEqual(["Ünïcode brief."]);
    },
  );
});

describe("semtrace generate", () => {
  async function generate(
    files: Record<string, string>,
    ...flags: string[]
  ): Promise<{ code: number; stderr: string }> {
    const root = specDir(files);
    let stderr = "";
    const code = await runGenerateCommand(["--spec", "spec", "--out", "out", ...flags], {
      cwd: root,
      stdout: () => {},
      stderr: (s) => (stderr += s),
    });
    return { code, stderr };
  }

  it("stops on the alias bomb with the diagnostic and exit 1, writing nothing", async () => {
    const { code, stderr } = await generate({ "spec/bomb.yaml": laughs(9) });
    expect(code).toBe(1);
    expect(stderr).toBe(
      "spec/bomb.yaml:6:14: error [yaml.too-many-nodes] more than 150000 YAML nodes in one file: alias `*a4` brings it to 207600 once expanded (--max-yaml-nodes)\n\n1 error in spec; nothing was written.\n",
    );
  });

  it("the flags raise and lower the caps", async () => {
    const deep = {
      "spec/a.yaml": lines(
        "groups:",
        "  - id: g",
        "    type: attribute_group",
        `    annotations: { x: ${"[".repeat(300)}${"]".repeat(300)} }`,
        "    attributes:",
        "    - { id: a.b, type: string, brief: x }",
      ),
    };
    expect((await generate(deep)).stderr).toMatch(/^spec\/a\.yaml:4:\d+: error \[yaml\.too-deep\]/);
    expect(await generate(deep, "--max-yaml-depth", "400")).toEqual({ code: 0, stderr: "" });
    expect((await generate({ "spec/a.yaml": GROUP }, "--max-yaml-nodes", "10")).stderr).toMatch(
      /error \[yaml\.too-many-nodes\] more than 10 YAML nodes/,
    );
    expect((await generate({ "spec/a.yaml": GROUP }, "--max-yaml-bytes", "10")).stderr).toMatch(
      /error \[yaml\.too-large\] file of \d+ bytes, over the 10 bytes/,
    );
  });

  it.each([
    ["--max-yaml-nodes", "0", "--max-yaml-nodes expects a whole number from 1 to 2^53 - 1, found '0'"],
    ["--max-yaml-bytes", "1e6", "--max-yaml-bytes expects a whole number from 1 to 2^53 - 1, found '1e6'"],
    ["--max-yaml-depth", "513", "--max-yaml-depth expects a whole number from 1 to 512, found '513'"],
    ["--max-yaml-depth", "-1", "--max-yaml-depth expects a whole number from 1 to 512, found '-1'"],
  ])("%s %s is a usage error", async (flag, value, message) => {
    const { code, stderr } = await generate({ "spec/a.yaml": GROUP }, `${flag}=${value}`);
    expect(code).toBe(2);
    expect(stderr).toBe(`semtrace generate: ${message}\nRun 'semtrace generate --help' for usage.\n`);
  });

  it("the caps a registry needed are in the banner's regenerate command", async () => {
    const root = specDir({ "spec/a.yaml": GROUP });
    const code = await runGenerateCommand(["--spec", "spec", "--out", "out", "--max-yaml-nodes", "5000"], {
      cwd: root,
      stdout: () => {},
      stderr: () => {},
    });
    expect(code).toBe(0);
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(path.join(root, "out/attributes.ts"), "utf8")).toContain(
      "// Regenerate with: semtrace generate --spec spec --out out --max-yaml-nodes 5000\n",
    );
  });
});

describe("the whole pipeline keeps to one file's problems", () => {
  it("a capped file does not hide the other files' diagnostics", () => {
    const result = buildFromFiles(
      "spec",
      new Map([
        ["bomb.yaml", laughs(9)],
        [
          "ok.yaml",
          lines(
            "groups:",
            "  - id: g",
            "    type: attribute_group",
            "    attributes:",
            "    - { id: a.b, type: strng, brief: x }",
          ),
        ],
      ]),
    );
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      "spec/bomb.yaml:6:14: error [yaml.too-many-nodes] more than 150000 YAML nodes in one file: alias `*a4` brings it to 207600 once expanded (--max-yaml-nodes)",
      expect.stringMatching(/^spec\/ok\.yaml:5:\d+: error \[type\.unknown\] unknown type `strng`/),
    ]);
  });
});
