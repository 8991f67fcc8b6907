/**
 * Thin helpers over the `yaml` package's document model that keep source positions,
 * so every later stage can say `file:line:col` about anything it finds.
 */
import { LineCounter, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import type { DiagnosticId } from "../model/diagnostic-ids.js";
import type { Diagnostic, SourceLocation } from "../model/diagnostics.js";
import { parseBounded } from "./bounded-parse.js";
import { lineAndColumn, unprintableCharacter } from "./encoding.js";
import { expandAliases } from "./expand-aliases.js";
import { reindentQuotedContinuations } from "./pyyaml-compat.js";
import { DEFAULT_YAML_LIMITS, type YamlLimits } from "./limits.js";

/** Syntax errors shown per file: past a few dozen, the rest follow from the same mistake, and they can number one per token. */
const MAX_SYNTAX_ERRORS = 50;

export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/**
 * Parses text within `limits` and expands its aliases. Syntax errors become `yaml.syntax` diagnostics (all of
 * them, not just the first); a cap exceeded, an alias that cannot be expanded or a character YAML does not allow
 * is one diagnostic at its place.
 */
export function parseYamlSource(
  file: string,
  text: string,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): { source?: YamlSource; diagnostics: Diagnostic[] } {
  const error = (id: DiagnosticId, message: string, line: number, col: number): { diagnostics: Diagnostic[] } => ({
    diagnostics: [{ id, severity: "error", message, location: { file, line, col } }],
  });
  const unprintable = unprintableCharacter(text);
  if (unprintable) {
    const { line, col } = lineAndColumn(text, unprintable.offset);
    return error("yaml.encoding", unprintable.message, line, col);
  }
  let lines = new LineCounter();
  let parsed = parseBounded(text, lines, limits);
  if ("problem" in parsed) {
    const { line, col } = lines.linePos(parsed.problem.offset);
    return error(parsed.problem.id, parsed.problem.message, line, col);
  }
  const diagnostics: Diagnostic[] = [];
  // A quoted scalar left open may be one PyYAML reads (pyyaml-compat.ts): read it so when that parses cleanly.
  if (parsed.doc.errors.some((e) => e.code === "MISSING_CHAR" && /closing .?quote/i.test(e.message))) {
    const reindented = reindentQuotedContinuations(text);
    const retryLines = new LineCounter();
    const retry = reindented === undefined ? undefined : parseBounded(reindented.text, retryLines, limits);
    if (retry !== undefined && !("problem" in retry) && retry.doc.errors.length === 0) {
      parsed = retry;
      lines = retryLines;
      for (const line of reindented!.lines) {
        if (reindented!.lines.includes(line - 1)) continue;
        diagnostics.push({
          id: "yaml.pyyaml-indent",
          severity: "warning",
          message:
            "a quoted scalar continues on a line indented no deeper than its key: YAML 1.2 reads this as a new key, PyYAML and Weaver as the rest of the string (read as they do; indent the line deeper)",
          location: { file, line, col: 1 },
        });
      }
    }
  }
  const { doc } = parsed;
  for (const error of doc.errors.slice(0, MAX_SYNTAX_ERRORS)) {
    const pos = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
    diagnostics.push({
      ...diagnosticOf(error.code, error.message, limits),
      severity: "error",
      location: { file, line: pos.line, col: pos.col },
    });
  }
  const more = doc.errors.length - MAX_SYNTAX_ERRORS;
  if (more > 0) {
    const pos = lines.linePos(doc.errors[MAX_SYNTAX_ERRORS]!.pos[0]);
    diagnostics.push({
      id: "yaml.syntax",
      severity: "error",
      message: `and ${more} more YAML error${more === 1 ? "" : "s"} in this file from here on`,
      location: { file, line: pos.line, col: pos.col },
    });
  }
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  const problem = expandAliases(doc, limits);
  if (problem) {
    const { line, col } = lines.linePos(problem.offset);
    return error(problem.id, problem.message, line, col);
  }
  return { source: { file, doc, lines }, diagnostics };
}

function diagnosticOf(code: string, message: string, limits: YamlLimits): { id: DiagnosticId; message: string } {
  if (code === "DUPLICATE_KEY") return { id: "yaml.duplicate-key", message: firstLine(message) };
  // The yaml package composes recursively and reports running out of stack as an error of its own; within the
  // depth cap that needs a stack far smaller than Node's default, so this is a process started with less.
  if (/Maximum call stack size exceeded/.test(message)) {
    return {
      id: "yaml.too-deep",
      message: `nesting too deep for the stack of this process (within the --max-yaml-depth of ${limits.maxDepth}): lower --max-yaml-depth`,
    };
  }
  return { id: "yaml.syntax", message: firstLine(message) };
}

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  // The yaml package appends " at line X, column Y:" — we print the position ourselves.
  return line.replace(/ at line \d+, column \d+:?$/, "").trim();
}

export function locate(
  source: YamlSource,
  node: Node | Pair | null | undefined,
  fallback?: SourceLocation,
): SourceLocation {
  const range =
    node && "range" in node ? node.range : node && "key" in node ? (node.key as Node | null)?.range : undefined;
  if (!range) return fallback ?? { file: source.file, line: 1, col: 1 };
  const pos = source.lines.linePos(range[0]);
  return { file: source.file, line: pos.line, col: pos.col };
}

/** The value node of `key` in a mapping, if present. */
export function mapGet(map: YAMLMap, key: string): Node | undefined {
  for (const pair of map.items) {
    if (isScalar(pair.key) && pair.key.value === key) return (pair.value ?? undefined) as Node | undefined;
  }
  return undefined;
}

/** The pair (key node + value node) of `key`, for locating the key itself. */
export function mapPair(map: YAMLMap, key: string): Pair | undefined {
  for (const pair of map.items) {
    if (isScalar(pair.key) && pair.key.value === key) return pair as Pair;
  }
  return undefined;
}

export function mapKeys(map: YAMLMap): string[] {
  return map.items.flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : []));
}

export function describeNode(node: Node | null | undefined): string {
  if (node === null || node === undefined) return "nothing";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a sequence";
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return "null";
    if (typeof v === "string") return `the string ${JSON.stringify(truncate(v))}`;
    return `${typeof v} ${String(v)}`;
  }
  return "an alias";
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Plain JS value of any node (for examples and annotations, which are free-form). */
export function toPlain(node: Node | null | undefined): unknown {
  if (node === null || node === undefined) return undefined;
  return (node as Node).toJSON();
}
