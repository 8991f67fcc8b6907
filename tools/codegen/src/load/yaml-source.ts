/**
 * Thin helpers over the `yaml` package's document model that keep source positions,
 * so every later stage can say `file:line:col` about anything it finds.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import type { Diagnostic, SourceLocation } from "../model/diagnostics.js";

export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** Parses text; syntax errors become `yaml.syntax` diagnostics (all of them, not just the first). */
export function parseYamlSource(file: string, text: string): { source?: YamlSource; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    const pos = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
    diagnostics.push({
      id: error.code === "DUPLICATE_KEY" ? "yaml.duplicate-key" : "yaml.syntax",
      severity: "error",
      message: `${firstLine(error.message)}`,
      location: { file, line: pos.line, col: pos.col },
    });
  }
  if (diagnostics.length > 0) return { diagnostics };
  // Expand aliases (`*name`) in place, so readers see plain nodes; positions point at the anchor.
  visit(doc, {
    Alias(_, alias) {
      const target = alias.resolve(doc);
      return target ? (target.clone() as Node) : undefined;
    },
  });
  return { source: { file, doc, lines }, diagnostics };
}

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  // The yaml package appends " at line X, column Y:" — we print the position ourselves.
  return line.replace(/ at line \d+, column \d+:?$/, "").trim();
}

export function locate(source: YamlSource, node: Node | Pair | null | undefined, fallback?: SourceLocation): SourceLocation {
  const range = node && "range" in node ? node.range : node && "key" in node ? (node.key as Node | null)?.range : undefined;
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
