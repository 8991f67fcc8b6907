/**
 * Line layout for the printer, after Wadler's "prettier printer" (as Prettier's doc printer does it): a
 * document of text, possible line breaks, indentation and groups; a group is printed on one line when it fits
 * in the width and broken at every one of its own line breaks otherwise. Hard line breaks always break, and
 * break every group around them.
 */

export type Layout = string | Concat | Group | Indent | Line | IfBreak;

interface Concat {
  readonly kind: "concat";
  readonly parts: readonly Layout[];
}

interface Group {
  readonly kind: "group";
  readonly content: Layout;
  /** Set when the content holds a hard line: the group can never be flat. */
  readonly broken: boolean;
}

interface Indent {
  readonly kind: "indent";
  readonly content: Layout;
}

interface Line {
  readonly kind: "line";
  /** Printed in a flat group: " " for a line, "" for a soft line; a hard line always breaks. */
  readonly flat: string;
  readonly hard: boolean;
}

interface IfBreak {
  readonly kind: "if-break";
  readonly broken: Layout;
  readonly flat: Layout;
}

export const line: Layout = { kind: "line", flat: " ", hard: false };
export const softline: Layout = { kind: "line", flat: "", hard: false };
export const hardline: Layout = { kind: "line", flat: "", hard: true };

export function concat(...parts: Layout[]): Layout {
  return { kind: "concat", parts };
}

export function indent(...parts: Layout[]): Layout {
  return { kind: "indent", content: concat(...parts) };
}

export function group(...parts: Layout[]): Layout {
  const content = concat(...parts);
  return { kind: "group", content, broken: hasHardLine(content) };
}

export function ifBreak(broken: Layout, flat: Layout = ""): Layout {
  return { kind: "if-break", broken, flat };
}

/** `items` separated by `separator`. */
export function join(separator: Layout, items: readonly Layout[]): Layout {
  const parts: Layout[] = [];
  items.forEach((item, i) => {
    if (i > 0) parts.push(separator);
    parts.push(item);
  });
  return concat(...parts);
}

function hasHardLine(layout: Layout): boolean {
  if (typeof layout === "string") return false;
  switch (layout.kind) {
    case "concat":
      return layout.parts.some(hasHardLine);
    case "group":
      return layout.broken;
    case "indent":
      return hasHardLine(layout.content);
    case "line":
      return layout.hard;
    case "if-break":
      return hasHardLine(layout.broken);
  }
}

type Mode = "flat" | "break";

interface Command {
  readonly indent: number;
  readonly mode: Mode;
  readonly layout: Layout;
}

/** True when `next` (flat) and what follows it up to the next line break fit in `width` columns. */
function fits(next: Command, rest: readonly Command[], width: number): boolean {
  const stack: Command[] = [next];
  let restIndex = rest.length;
  let remaining = width;
  while (remaining >= 0) {
    let command = stack.pop();
    if (command === undefined) {
      if (restIndex === 0) return true;
      command = rest[--restIndex]!;
    }
    const { mode, layout } = command;
    if (typeof layout === "string") {
      remaining -= layout.length;
      continue;
    }
    switch (layout.kind) {
      case "concat":
        for (let i = layout.parts.length - 1; i >= 0; i--)
          stack.push({ indent: command.indent, mode, layout: layout.parts[i]! });
        break;
      case "group":
        if (layout.broken && mode === "flat") return false;
        stack.push({ indent: command.indent, mode: layout.broken ? "break" : mode, layout: layout.content });
        break;
      case "indent":
        stack.push({ indent: command.indent, mode, layout: layout.content });
        break;
      case "line":
        if (mode === "break" || layout.hard) return true;
        remaining -= layout.flat.length;
        break;
      case "if-break":
        stack.push({ indent: command.indent, mode, layout: mode === "break" ? layout.broken : layout.flat });
        break;
    }
  }
  return false;
}

/** Prints `layout` in `width` columns, indenting by `indentUnit` per level; no line ends in white space. */
export function render(layout: Layout, width: number, indentUnit = "  "): string {
  const out: string[] = [];
  let column = 0;
  const stack: Command[] = [{ indent: 0, mode: "break", layout }];
  while (stack.length > 0) {
    const command = stack.pop()!;
    const { mode, layout: current } = command;
    if (typeof current === "string") {
      out.push(current);
      column += current.length;
      continue;
    }
    switch (current.kind) {
      case "concat":
        for (let i = current.parts.length - 1; i >= 0; i--)
          stack.push({ indent: command.indent, mode, layout: current.parts[i]! });
        break;
      case "group": {
        const flat: Command = { indent: command.indent, mode: "flat", layout: current.content };
        const fitsFlat = mode === "flat" || (!current.broken && fits(flat, stack, width - column));
        stack.push(fitsFlat ? flat : { indent: command.indent, mode: "break", layout: current.content });
        break;
      }
      case "indent":
        stack.push({ indent: command.indent + 1, mode, layout: current.content });
        break;
      case "line":
        if (mode === "flat" && !current.hard) {
          out.push(current.flat);
          column += current.flat.length;
        } else {
          trimTrailingSpace(out);
          const pad = indentUnit.repeat(command.indent);
          out.push("\n", pad);
          column = pad.length;
        }
        break;
      case "if-break":
        stack.push({ indent: command.indent, mode, layout: mode === "break" ? current.broken : current.flat });
        break;
    }
  }
  trimTrailingSpace(out);
  return out.join("");
}

function trimTrailingSpace(out: string[]): void {
  while (out.length > 0) {
    const trimmed = out[out.length - 1]!.replace(/[ \t]+$/, "");
    if (trimmed.length > 0) {
      out[out.length - 1] = trimmed;
      return;
    }
    out.pop();
  }
}
