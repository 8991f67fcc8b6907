/**
 * "Say why, once": every failure core swallows is reported through `diag` (`swallowed` / `reportOnceFor`, once per
 * cause), handed on (`throw`), or carries a comment `// Not reported: <why>` inside its `catch` block saying why
 * silence is right. Read with the TypeScript parser over core's sources and @semtrace/runtime's (which generated
 * builders and validators run on the tracing path; the runtime has no `diag`, so its catches say why in a comment).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const REPORTERS = new Set(["swallowed", "reportOnceFor"]);
const MARKER = /^\/\/\s*Not reported: \S/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => !file.includes(`${join("src", "generated")}`));
}

interface CatchClause {
  readonly where: string;
  readonly verdict: "reported" | "rethrown" | "explained" | "silent";
}

/** Every `catch` of `file`, with how it accounts for the failure. */
export function catchesOf(file: string, text: string): CatchClause[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: CatchClause[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCatchClause(node)) {
      const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push({
        where: `${relative(repoRoot, file)}:${line + 1}:${character + 1}`,
        verdict: verdictOf(node.block, source),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function verdictOf(block: ts.Block, source: ts.SourceFile): CatchClause["verdict"] {
  let reported = false;
  let rethrown = false;
  const walk = (node: ts.Node): void => {
    // A function defined inside the block runs later, if at all: what it does is not this catch's answer.
    if (ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && REPORTERS.has(node.expression.text))
      reported = true;
    if (ts.isThrowStatement(node)) rethrown = true;
    ts.forEachChild(node, walk);
  };
  walk(block);
  if (reported) return "reported";
  if (rethrown) return "rethrown";
  const text = source.text.slice(block.getStart(source), block.getEnd());
  const comments = [...text.matchAll(/\/\/[^\n]*/g)].map((m) => m[0]);
  return comments.some((c) => MARKER.test(c)) ? "explained" : "silent";
}

const scanned = [...sources(join(repoRoot, "packages/core/src")), ...sources(join(repoRoot, "packages/runtime/src"))];
const clauses = scanned.flatMap((file) => catchesOf(file, readFileSync(file, "utf8")));

describe("every catch in core and the runtime", () => {
  it("reads the sources it should (core and runtime, without generated files)", () => {
    expect(scanned.some((f) => f.endsWith(join("core", "src", "span.ts")))).toBe(true);
    expect(scanned.some((f) => f.endsWith(join("runtime", "src", "json.ts")))).toBe(true);
    expect(scanned.some((f) => f.includes("generated"))).toBe(false);
    expect(clauses.length).toBeGreaterThan(50);
  });

  it("is reported through diag, rethrown, or says why silence is right (`// Not reported: …`)", () => {
    expect(clauses.filter((c) => c.verdict === "silent").map((c) => c.where)).toEqual([]);
  });

  it("core reports what it swallows: a comment is the exception, not the rule", () => {
    const core = clauses.filter((c) => c.where.startsWith("packages/core/"));
    const explained = core.filter((c) => c.verdict === "explained");
    expect(explained.length).toBeLessThan(core.filter((c) => c.verdict === "reported").length / 4);
  });
});

describe("the audit itself", () => {
  it.each([
    ["try { f(); } catch {}", "silent"],
    ["try { f(); } catch { return 1; }", "silent"],
    ["try { f(); } catch { // a comment that says nothing in particular\n }", "silent"],
    ["try { f(); } catch (e) { const later = () => swallowed('x', e); }", "silent"],
    ["try { f(); } catch (e) { swallowed('cause', e); }", "reported"],
    ["try { f(); } catch (e) { if (x) reportOnceFor('cause', k, ''); }", "reported"],
    ["try { f(); } catch (e) { cleanup(); throw e; }", "rethrown"],
    ["try { f(); } catch { // Not reported: the value says [Unserializable].\n return 1; }", "explained"],
  ])("%s → %s", (code, verdict) => {
    expect(catchesOf("example.ts", code).map((c) => c.verdict)).toEqual([verdict]);
  });
});
