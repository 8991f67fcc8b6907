/**
 * Prints the reference's document model (emit/reference/doc.ts) as Markdown (GitHub-flavoured: tables,
 * explicit anchors). Spec text is written as prose with its `code` spans kept; anything that would be HTML
 * (`<`), or would break a table (`|`, line breaks), is escaped.
 */
import type { Block, DocPage, Inline } from "../emit/reference/doc.js";

/** `<` and `&` never start markup: spec text is shown, never interpreted as HTML. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Plain text: Markdown's own markers are escaped too. */
function escapeText(text: string): string {
  return escapeHtml(text).replace(/([\\`*_[\]#|])/g, "\\$1");
}

/** A code span that holds any text: a fence longer than the longest run of backticks inside. */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || longest > 0 ? " " : "";
  return `${fence}${pad}${text.replace(/\|/g, "\\|")}${pad}${fence}`;
}

/** Spec prose: Markdown kept (emphasis, code spans, links), HTML escaped outside code spans. */
function proseText(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part.replace(/\|/g, "\\|") : escapeHtml(part).replace(/\|/g, "\\|")))
    .join("");
}

function inline(node: Inline): string {
  if (typeof node === "string") return escapeText(node);
  switch (node.kind) {
    case "code":
      return codeSpan(node.text);
    case "link":
      return `[${node.code ? codeSpan(node.text) : escapeText(node.text)}](${encodeURI(node.href).replace(/\(/g, "%28").replace(/\)/g, "%29")})`;
    case "strong":
      return `**${escapeText(node.text)}**`;
    case "prose":
      return proseText(node.text);
  }
}

function inlines(nodes: readonly Inline[], inTable = false): string {
  const text = nodes.map(inline).join("");
  return inTable ? text.replace(/\s*\n\s*\n\s*/g, "<br>").replace(/\s*\n\s*/g, " ") : text;
}

function table(head: readonly string[], rows: readonly (readonly (readonly Inline[])[])[]): string {
  const headRow = `| ${head.map((h) => proseText(h)).join(" | ")} |`;
  const rule = `| ${head.map(() => "---").join(" | ")} |`;
  return [headRow, rule, ...rows.map((cells) => `| ${cells.map((c) => inlines(c, true) || " ").join(" | ")} |`)].join(
    "\n",
  );
}

function block(b: Block): string {
  switch (b.kind) {
    case "heading":
      return `${b.id ? `<a id="${escapeHtml(b.id).replace(/"/g, "&quot;")}"></a>\n\n` : ""}${"#".repeat(b.level)} ${inlines(b.text, true)}`;
    case "paragraph":
      return inlines(b.text);
    case "list":
      return b.items.map((item) => `- ${inlines(item).replace(/\n/g, "\n  ")}`).join("\n");
    case "facts":
      return table(
        ["Field", "Value"],
        b.rows.map(([field, value]) => [[field], value]),
      );
    case "table":
      return table(b.head, b.rows);
  }
}

/** The page's text after the banner: blocks separated by blank lines, one final newline. */
export function printMarkdown(page: DocPage): string {
  return `${page.blocks.map(block).join("\n\n")}\n`;
}
