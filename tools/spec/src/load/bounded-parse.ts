/**
 * YAML text → one document of position-carrying nodes, within the caps of limits.ts.
 *
 * `parseDocument` would first build the whole syntax tree and then compose it recursively, so a deep or huge
 * file costs its stack and memory before anything could be counted. Here the yaml package's own lexer feeds its
 * parser one token at a time, and the parser's stack (the collections being built) and the nodes begun so far
 * are checked after each token: parsing stops at the first cap exceeded, having built nothing larger.
 */
import { Composer, CST, Lexer, Parser, YAMLParseError, type Document, type LineCounter } from "yaml";
import type { DiagnosticId } from "../model/diagnostic-ids.js";
import type { YamlLimits } from "./limits.js";

/** A problem that stops parsing, at a character offset of the text. */
export interface ParseProblem {
  readonly id: DiagnosticId;
  readonly message: string;
  readonly offset: number;
}

export const PARSE_OPTIONS = { uniqueKeys: true, strict: true } as const;

/**
 * Lexemes that each begin one scalar or alias node: the marker the lexer puts before the text of a plain or block
 * scalar, a quoted scalar, an alias.
 */
const NODE_LEXEMES: ReadonlySet<string> = new Set(["scalar", "single-quoted-scalar", "double-quoted-scalar", "alias"]);

function isCollectionToken(token: CST.Token | undefined): boolean {
  return token?.type === "block-map" || token?.type === "block-seq" || token?.type === "flow-collection";
}

/**
 * Parses `text` into its first document (as `parseDocument` does: a second document is a `MULTIPLE_DOCS` error
 * of the first), or stops with the cap it exceeded. `lines` learns every line start, for positions.
 */
export function parseBounded(
  text: string,
  lines: LineCounter,
  limits: YamlLimits,
): { doc: Document.Parsed } | { problem: ParseProblem } {
  const parser = new Parser(lines.addNewLine);
  lines.addNewLine(0);
  const tokens: CST.Token[] = [];
  const seen = new WeakSet<CST.Token>();
  let nodes = 0;
  // The lexeme after a scalar marker is the scalar's text, whatever it starts with.
  let scalarText = false;
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (scalarText) scalarText = false;
    else if (NODE_LEXEMES.has(CST.tokenType(lexeme) ?? "")) {
      nodes++;
      scalarText = lexeme === CST.SCALAR;
    }
    // Collections begun by this token are the unseen entries on top of the parser's stack.
    const stack = parser.stack;
    for (let i = stack.length - 1; i >= 0 && !seen.has(stack[i]!); i--) {
      seen.add(stack[i]!);
      if (isCollectionToken(stack[i])) nodes++;
    }
    if (nodes > limits.maxNodes) {
      return {
        problem: {
          id: "yaml.too-many-nodes",
          message: `more than ${limits.maxNodes} YAML nodes in one file (--max-yaml-nodes)`,
          offset: parser.offset,
        },
      };
    }
    // The stack also holds the document and the scalar being read: count collections only when it could matter.
    if (stack.length > limits.maxDepth) {
      const collections = stack.filter(isCollectionToken);
      if (collections.length > limits.maxDepth) {
        const deepest = collections[limits.maxDepth] as { offset: number };
        return {
          problem: {
            id: "yaml.too-deep",
            message: `sequences and mappings nested more than ${limits.maxDepth} deep (--max-yaml-depth)`,
            offset: deepest.offset,
          },
        };
      }
    }
  }
  for (const token of parser.end()) tokens.push(token);

  const composer = new Composer(PARSE_OPTIONS);
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(tokens, true, text.length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(
        new YAMLParseError(
          [next.range[0], next.range[1]],
          "MULTIPLE_DOCS",
          "Source contains multiple documents; please use YAML.parseAllDocuments()",
        ),
      );
      break;
    }
  }
  // `compose(…, forceDoc = true)` always yields a document, an empty one for empty text.
  return { doc: doc! };
}
