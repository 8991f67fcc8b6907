/**
 * PyYAML (and so Weaver, whose registries are checked with it upstream) lets a multi-line quoted scalar continue
 * on a line indented no deeper than the key it belongs to:
 *
 *     examples: "first line
 *     second line"
 *
 * YAML 1.2, and the `yaml` package, require continuation lines to be indented deeper than the key. Folding drops a
 * continuation line's leading white space from the value, so indenting such lines deeper changes nothing in the
 * value: this module does exactly that, and only where a quoted scalar is open at the end of a line.
 */

export interface Reindented {
  readonly text: string;
  /** 1-based lines that were indented. */
  readonly lines: readonly number[];
}

/**
 * The text with the continuation lines of open quoted scalars indented one column deeper than their key, or
 * undefined when there is nothing to do. Block scalars (`|`, `>`) and comments are skipped.
 */
export function reindentQuotedContinuations(text: string): Reindented | undefined {
  const lines = text.split("\n");
  const changed: number[] = [];
  let open: { quote: '"' | "'"; indent: number } | undefined;
  let blockIndent: number | undefined; // inside a block scalar whose parent line is indented this much
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.length - line.trimStart().length;
    if (open) {
      const needed = open.indent + 1;
      if (line.trim() !== "" && indent < needed) {
        lines[i] = " ".repeat(needed - indent) + line;
        changed.push(i + 1);
      }
      const close = scanQuoted(line, 0, open.quote);
      if (close === -1) continue;
      const keyIndent = open.indent;
      const rest = scanLine(line, close + 1, false);
      open = rest.open === undefined ? undefined : { quote: rest.open, indent: keyIndent };
      if (rest.block) blockIndent = keyIndent;
      continue;
    }
    if (blockIndent !== undefined) {
      if (line.trim() === "" || indent > blockIndent) continue;
      blockIndent = undefined;
    }
    const state = scanLine(line, indent);
    if (state.open !== undefined) open = { quote: state.open, indent };
    else if (state.block) blockIndent = indent;
  }
  return changed.length === 0 ? undefined : { text: lines.join("\n"), lines: changed };
}

/** Index of the closing quote from `from` (a doubled `''` is an escaped quote; `\"` escapes in double quotes), or -1. */
function scanQuoted(line: string, from: number, quote: '"' | "'"): number {
  for (let j = from; j < line.length; j++) {
    const c = line[j];
    if (quote === '"' && c === "\\") {
      j++;
      continue;
    }
    if (c !== quote) continue;
    if (quote === "'" && line[j + 1] === "'") {
      j++;
      continue;
    }
    return j;
  }
  return -1;
}

/**
 * Scans the rest of a line outside quotes: whether it ends inside a quoted scalar (and which), and whether it
 * starts a block scalar (`key: |`, `- >-`). A quote opens a scalar only where a value can start.
 */
function scanLine(line: string, from: number, atValueStart = true): { open?: '"' | "'"; block: boolean } {
  let j = from;
  let valueStart = atValueStart;
  while (j < line.length) {
    const c = line[j]!;
    if (c === " " || c === "\t") {
      j++;
      continue;
    }
    if (c === "#" && (j === 0 || line[j - 1] === " " || line[j - 1] === "\t")) break;
    if ((c === '"' || c === "'") && valueStart) {
      const close = scanQuoted(line, j + 1, c);
      if (close === -1) return { open: c, block: false };
      j = close + 1;
      valueStart = false;
      continue;
    }
    if (c === "-" && valueStart && (line[j + 1] === " " || j + 1 === line.length)) {
      j++;
      continue;
    }
    if (c === ":" && (line[j + 1] === " " || j + 1 === line.length)) {
      valueStart = true;
      j++;
      continue;
    }
    if (c === "[" || c === "{" || c === ",") {
      valueStart = true;
      j++;
      continue;
    }
    if ((c === "|" || c === ">") && valueStart) {
      const rest = line
        .slice(j + 1)
        .replace(/#.*$/, "")
        .trim();
      if (/^[-+0-9]*$/.test(rest)) return { block: true };
    }
    valueStart = false;
    j++;
  }
  return { block: false };
}
