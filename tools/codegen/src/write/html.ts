/**
 * Prints the search page (emit/reference/doc.ts `SearchPage`) as one self-contained HTML file: styles, data and
 * script inline, no request beyond the page itself, so it works from file://. The data is JSON in a
 * non-executable script element (every `<` escaped, so no spec text can close it); the script renders it with
 * `textContent` only, so spec text is always shown as text.
 */
import type { SearchPage } from "../emit/reference/doc.js";

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** JSON safe inside `<script>`: no `<` (so no `</script>` or `<!--`), and no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --tag: #eef2f6; --dep: #9a3412; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --bg: #0d1117; --tag: #21262d; --dep: #fb923c; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { position: sticky; top: 0; background: var(--bg); border-bottom: 1px solid var(--line); padding: 12px 24px; z-index: 1; }
h1 { font-size: 20px; margin: 0 0 4px; }
header p { margin: 0 0 8px; color: var(--muted); }
.controls { display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
#q { flex: 1 1 420px; font: inherit; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
#count { color: var(--muted); }
main { padding: 8px 24px 48px; max-width: 1100px; }
.result { border-bottom: 1px solid var(--line); padding: 10px 0; }
.result h2 { font-size: 16px; margin: 0; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.result h2 a { color: inherit; }
.tag { font-size: 12px; background: var(--tag); border-radius: 4px; padding: 0 6px; color: var(--muted); }
.deprecated .key { text-decoration: line-through; }
.tag.dep { color: var(--dep); }
.brief { margin: 4px 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0 0; font-size: 13px; }
dt { color: var(--muted); }
dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
code, .key { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
`;

/** Searches and renders; reads the entries from #data. Plain ES2017, no dependencies. */
const SCRIPT = `
(function () {
  "use strict";
  var entries = JSON.parse(document.getElementById("data").textContent);
  var q = document.getElementById("q");
  var hideDeprecated = document.getElementById("hide-deprecated");
  var results = document.getElementById("results");
  var count = document.getElementById("count");
  var haystacks = entries.map(function (e) {
    return [e.key, e.namespace, e.constant || "", e.brief, e.note, e.type, e.stability, e.builders.join(" "), e.examples.join(" "), e.deprecated || "", e.decision || ""].join("\\n").toLowerCase();
  });
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function fact(dl, name, value) {
    if (!value) return;
    dl.appendChild(el("dt", "", name));
    dl.appendChild(el("dd", "fact-" + name.toLowerCase().replace(/[^a-z]+/g, "-"), value));
  }
  function rank(entry, terms) {
    var key = entry.key.toLowerCase();
    var whole = terms.join(" ");
    if (key === whole || (entry.constant || "").toLowerCase() === whole) return 0;
    if (key.indexOf(whole) === 0) return 1;
    if (terms.every(function (t) { return key.indexOf(t) >= 0; })) return 2;
    return 3;
  }
  function render() {
    var terms = q.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var matches = [];
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i];
      if (hideDeprecated.checked && e.deprecated) continue;
      if (terms.every(function (t) { return haystacks[i].indexOf(t) >= 0; })) matches.push({ entry: e, rank: rank(e, terms), index: i });
    }
    matches.sort(function (a, b) { return a.rank - b.rank || a.index - b.index; });
    var fragment = document.createDocumentFragment();
    matches.forEach(function (m) {
      var e = m.entry;
      var article = el("article", "result" + (e.deprecated ? " deprecated" : ""));
      article.setAttribute("data-key", e.key);
      var h2 = el("h2");
      var a = el("a", "key", e.key);
      a.href = e.page;
      h2.appendChild(a);
      h2.appendChild(el("span", "tag type", e.type));
      h2.appendChild(el("span", "tag stability", e.stability));
      if (e.deprecated) h2.appendChild(el("span", "tag dep", "deprecated"));
      article.appendChild(h2);
      article.appendChild(el("p", "brief", e.brief));
      var dl = el("dl");
      fact(dl, "Constant", e.constant);
      fact(dl, "Builder fields", e.builders.join("\\n"));
      fact(dl, "Requirement", e.requirements.join("\\n"));
      fact(dl, "Examples", e.examples.join("\\n"));
      fact(dl, "Note", e.note);
      fact(dl, "Deprecated", e.deprecated);
      fact(dl, "Decision", e.decision);
      article.appendChild(dl);
      fragment.appendChild(article);
    });
    results.replaceChildren(fragment);
    count.textContent = matches.length + " of " + entries.length + " attributes";
    var hash = q.value ? "#q=" + encodeURIComponent(q.value) : "";
    if (location.hash !== hash) history.replaceState(null, "", hash || location.pathname);
  }
  var fromHash = /^#q=(.*)$/.exec(location.hash);
  if (fromHash) q.value = decodeURIComponent(fromHash[1]);
  q.addEventListener("input", render);
  hideDeprecated.addEventListener("change", render);
  render();
})();
`;

/** The page's text after the banner. */
export function printSearchPage(page: SearchPage): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may load from anywhere: the page is its own world (file:// included).
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<header>",
    `<h1>${escapeHtml(page.title)}</h1>`,
    `<p>${escapeHtml(page.intro)}</p>`,
    '<div class="controls">',
    '<input id="q" type="search" placeholder="Search keys, constants, briefs, notes…" autofocus aria-label="Search attributes">',
    '<label><input id="hide-deprecated" type="checkbox"> Hide deprecated</label>',
    '<span id="count" aria-live="polite"></span>',
    "</div>",
    "</header>",
    '<main id="results"></main>',
    `<script id="data" type="application/json">${scriptJson(page.entries)}</script>`,
    `<script>${SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
