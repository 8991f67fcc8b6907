/** Markdown helpers and the in-place update of one section of BENCHMARKS.md. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export function table(header, rows, align = []) {
  const sep = header.map((_, i) => (align[i] === "r" ? "---:" : "---"));
  const line = (cells) => `| ${cells.map((c) => String(c ?? "").replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(header), line(sep), ...rows.map(line)].join("\n");
}

/**
 * Replaces the text between `<!-- bench:<id>:start -->` and `<!-- bench:<id>:end -->` (markers included) with
 * `body` wrapped in the same markers; appends the section when the markers are absent. Everything else in the
 * file is left as it was. Creates the file (with a title) when it does not exist.
 */
export function updateSection(file, id, body) {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  const before = existsSync(file)
    ? readFileSync(file, "utf8")
    : "# Benchmarks\n\nMeasured by `npm run bench` (tools/bench). Each section is rewritten in place by its benchmark; do not edit between the markers.\n";
  const i = before.indexOf(start);
  const j = before.indexOf(end, i);
  let after;
  if (i >= 0 && j >= 0) after = before.slice(0, i) + section + before.slice(j + end.length);
  else if (i >= 0 || j >= 0) throw new Error(`${file}: found only one of ${start} / ${end}; fix the markers by hand`);
  else after = `${before.replace(/\s*$/, "")}\n\n${section}\n`;
  writeFileSync(file, after);
}
