/** The styles of the stats page: system fonts, light and dark schemes, no external resource. */
export const PAGE_STYLE = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5d6778; --bg: #ffffff; --panel: #f5f7fa; --line: #dde2ea;
  --accent: #2f6fde; --accent2: #9a5bd8; --error: #c8322f; --warn: #b7791f; --info: #2b7a9b; --ok: #2e8b57; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e8ef; --muted: #9aa4b5; --bg: #14171d; --panel: #1c2029; --line: #2c3340;
  --accent: #6b9cf0; --accent2: #b98be8; --error: #ef6461; --warn: #e0a84a; --info: #5cb3d1; --ok: #5fbf87; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
#app { max-width: 1400px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 20px; margin: 8px 0 2px; }
h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted { color: var(--muted); }
.mono, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin-top: 14px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 20px; font-weight: 600; }
.card .sub { color: var(--muted); font-size: 12px; }
.filters { position: sticky; top: 0; z-index: 2; background: var(--bg); display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center;
  padding: 10px 0; border-bottom: 1px solid var(--line); margin-top: 16px; }
.filters label { display: flex; gap: 6px; align-items: center; }
.filters input[type=search] { min-width: 260px; }
input, select, button { font: inherit; color: inherit; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; }
button { cursor: pointer; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
figure { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg text { fill: var(--fg); font-size: 11px; }
svg .axis { stroke: var(--line); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 12px; margin-top: 4px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; background: var(--bg); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.other td { color: var(--muted); font-style: italic; }
.table-wrap { overflow-x: auto; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 0 6px; border-radius: 9px; border: 1px solid var(--line); white-space: nowrap; }
.badge.kind { background: var(--panel); }
.badge.error { color: var(--error); border-color: var(--error); }
.badge.warning { color: var(--warn); border-color: var(--warn); }
.badge.info { color: var(--info); border-color: var(--info); }
.badge.why { color: var(--accent2); border-color: var(--accent2); }
details.trace { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; background: var(--panel); }
details.trace > summary { cursor: pointer; padding: 8px 12px; display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; }
details.trace[open] > summary { border-bottom: 1px solid var(--line); }
.tree { padding: 6px 0; background: var(--bg); border-radius: 0 0 8px 8px; }
.span-row { display: grid; grid-template-columns: minmax(280px, 38%) 1fr 110px 110px 90px; gap: 8px; align-items: center; padding: 2px 12px;
  cursor: pointer; border-bottom: 1px solid transparent; }
.span-row:hover { background: var(--panel); }
.span-row.failed .name { color: var(--error); }
.span-row .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar-track { position: relative; height: 12px; background: var(--panel); border-radius: 3px; }
.bar { position: absolute; top: 2px; height: 8px; border-radius: 2px; background: var(--accent); min-width: 2px; }
.span-row.failed .bar { background: var(--error); }
.span-detail { margin: 2px 12px 8px; padding: 8px 10px; border-left: 3px solid var(--line); background: var(--panel); border-radius: 4px; }
.span-detail table td:first-child { white-space: nowrap; color: var(--muted); }
.span-detail td { word-break: break-word; }
.findings { margin: 0 12px 4px; padding: 0; list-style: none; font-size: 12.5px; }
.findings li { padding: 1px 0; }
.hidden { display: none !important; }
.note { color: var(--muted); }
.noscript { padding: 24px; }
`;
