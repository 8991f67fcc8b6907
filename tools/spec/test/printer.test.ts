/**
 * The printer, table-driven: a fragment of the code model → the exact text, as TypeScript and as JavaScript.
 * Width decisions are tested at the 120-column boundary; doc comments for wrapping, links and escaping.
 */
import { describe, expect, it } from "vitest";
import {
  array,
  as,
  binary,
  call,
  ifThen,
  object,
  union,
  type Expr,
  type Stmt,
  type TypeNode,
} from "../src/emit/code.js";
import { printCode, printFragment, wrapDocText } from "../src/print/printer.js";
import { concat, group, hardline, indent, line, render, softline } from "../src/print/layout.js";

const lines = (...l: string[]) => l.join("\n");
/** `n` characters of identifier. */
const name = (n: number, c = "a") => c.repeat(n);

describe("layout", () => {
  const pair = (a: string, b: string) => group("[", indent(softline, a, ",", line, b), softline, "]");
  it.each([
    ["a group that fits stays on one line", pair("aa", "bb"), 10, "[aa, bb]"],
    ["a group that does not fit breaks at every one of its lines", pair("aaaa", "bbbb"), 10, "[\n  aaaa,\n  bbbb\n]"],
    ["what follows the group counts toward its fit", concat(pair("a", "b"), "xxxxxx"), 10, "[\n  a,\n  b\n]xxxxxx"],
    ["a hard line breaks its group", group("a", line, "b", hardline, "c"), 80, "a\nb\nc"],
    ["no line ends in white space", concat("a  ", hardline, "b"), 80, "a\nb"],
  ] as const)("%s", (_, layout, width, want) => {
    expect(render(layout, width)).toBe(want);
  });
});

describe("expressions, statements and types", () => {
  type Case = [name: string, fragment: { expr: Expr } | { stmt: Stmt } | { type: TypeNode }, ts: string, js?: string];
  const cases: Case[] = [
    ["a call that fits", { expr: call("f", ["a", "b"]) }, "f(a, b)"],
    [
      "a call too long for one line: one argument per line, trailing comma",
      { expr: call("f", [name(60), name(60, "b")]) },
      lines("f(", `  ${name(60)},`, `  ${name(60, "b")},`, ")"),
    ],
    [
      "a lone array argument hugs the parentheses; its items break",
      {
        expr: call("Set", [array([`"${name(70)}"`, `"${name(70, "b")}"`])], {
          isNew: true,
          pure: true,
          typeArgs: ["string"],
        }),
      },
      lines("/* @__PURE__ */ new Set<string>([", `  "${name(70)}",`, `  "${name(70, "b")}",`, "])"),
      lines("/* @__PURE__ */ new Set([", `  "${name(70)}",`, `  "${name(70, "b")}",`, "])"),
    ],
    [
      "an object literal that fits, with a shorthand and a quoted name",
      {
        expr: object([
          { name: "owns", value: "owns" },
          { name: "a.b", value: "1" },
        ]),
      },
      '{ owns, "a.b": 1 }',
    ],
    [
      "__proto__ is never shorthand (that would be an ordinary property)",
      { expr: object([{ name: "__proto__", value: "__proto__" }]) },
      "{ __proto__: __proto__ }",
    ],
    [
      "an entry with a doc puts every entry on its own line",
      {
        expr: object([
          { name: "A", value: "1", doc: "One." },
          { name: "B", value: "2" },
        ]),
      },
      lines("{", "  /** One. */", "  A: 1,", "  B: 2,", "}"),
    ],
    [
      "as: inside an expression in parentheses; left out in JavaScript",
      { expr: { kind: "sequence", parts: [as("x", "Record<string, unknown>"), "[k]"] } },
      "(x as Record<string, unknown>)[k]",
      "x[k]",
    ],
    ["as unknown as: one cast after the other", { expr: as(as("x", "unknown"), "T") }, "x as unknown as T", "x"],
    [
      "a long binary breaks after its operators",
      { expr: binary("||", [name(50), name(50, "b"), name(50, "c")]) },
      lines(`${name(50)} ||`, `  ${name(50, "b")} ||`, `  ${name(50, "c")}`),
    ],
    ["an if with one statement that fits: on one line", { stmt: ifThen("x", "y();") }, "if (x) y();"],
    [
      "an if with one statement too long: a block",
      { stmt: ifThen(name(60), `${name(60, "b")}();`) },
      lines(`if (${name(60)}) {`, `  ${name(60, "b")}();`, "}"),
    ],
    [
      "an if with statements and an else",
      { stmt: ifThen("x", ["a();", "b();"], ["c();"]) },
      lines("if (x) {", "  a();", "  b();", "} else {", "  c();", "}"),
    ],
    [
      "a variable with a type, in JavaScript without",
      { stmt: { kind: "variable", keyword: "const", name: "x", type: "number", init: "1" } },
      "const x: number = 1;",
      "const x = 1;",
    ],
    ["a union that fits", { type: union(['"a"', '"b"']) }, '"a" | "b"'],
    [
      "a union too long for one line: one member per line after a leading pipe",
      { type: union([`"${name(60)}"`, `"${name(60, "b")}"`]) },
      lines("", `  | "${name(60)}"`, `  | "${name(60, "b")}"`),
    ],
    [
      "an object type in a union: the union stays on its line",
      {
        type: union([
          { kind: "type-literal", members: [{ kind: "property-signature", name: "a", type: "string" }] },
          "null",
        ]),
      },
      "{ a: string } | null",
    ],
  ];

  it.each(cases)("%s", (_, fragment, ts, js) => {
    expect(printFragment(fragment)).toBe(ts);
    expect(printFragment(fragment, "js")).toBe(js ?? ts);
  });
});

describe("doc comments", () => {
  it.each([
    ["a short line stays", "Short.", 40, ["Short."]],
    ["a long line wraps at spaces", "one two three four five six", 12, ["one two", "three four", "five six"]],
    ["a {@link …} is never split", "see {@link Some Thing} now", 10, ["see", "{@link Some Thing}", "now"]],
    ["list items continue under their text", "- one two three four", 12, ["- one two", "  three four"]],
    [
      "table rows, fenced code and examples stay as written",
      "| a b c d e f g h |\n```\nx y z w v u t s\n```\n@example a b c d e f g",
      8,
      ["| a b c d e f g h |", "```", "x y z w v u t s", "```", "@example a b c d e f g"],
    ],
    ["*/ cannot end the comment", "a */ b", 40, ["a *\\/ b"]],
  ] as const)("%s", (_, text, width, want) => {
    expect(wrapDocText(text, width)).toEqual(want);
  });

  it("a module doc, blank lines between declarations, imports together", () => {
    const text = printCode({
      kind: "code",
      path: "x.ts",
      doc: "What this file holds.",
      declarations: [
        { kind: "import", from: "./a.js", names: [{ name: "A" }, { name: "B", typeOnly: true }] },
        { kind: "import", typeOnly: true, from: "./c.js", names: [{ name: "C" }] },
        { kind: "variable-declaration", keyword: "const", name: "X", exported: true, type: "C", init: "A", doc: "X." },
        { kind: "type-alias", name: "Y", exported: true, type: "B" },
      ],
    });
    expect(text).toBe(
      lines(
        "/**",
        " * What this file holds.",
        " *",
        " * @module",
        " */",
        "",
        'import { A, type B } from "./a.js";',
        'import type { C } from "./c.js";',
        "",
        "/** X. */",
        "export const X: C = A;",
        "",
        "export type Y = B;",
        "",
      ),
    );
  });
});
