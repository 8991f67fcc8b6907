// Temporary (not committed): base vs new builders and validators in one process, alternating, timed by CPU time.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chatInput, handWritten } from "./builders.mjs";
const base = await import(pathToFileURL("/tmp/i12/base/packages/openinference/dist/index.js").href);
const now = await import(pathToFileURL("/work/wt-i12-emit/packages/openinference/dist/index.js").href);
let sink = 0;
function slice(fn, arg, n) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) { const r = fn(arg); sink ^= typeof r === "number" ? r : 1; }
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) * 1000) / n; // ns per op
}
function compare(cands, n, rounds = 31) {
  for (const c of cands) slice(c.fn, c.arg, n * 5);
  const s = cands.map(() => []);
  for (let r = 0; r < rounds; r++) cands.forEach((c, i) => s[i].push(slice(c.fn, c.arg, n)));
  return cands.map((c, i) => { const x = [...s[i]].sort((a, b) => a - b); return { name: c.name, med: x[x.length >> 1], min: x[0] }; });
}
const which = process.argv[2] ?? "both";
if (which !== "validators") {
  const r = compare([
    { name: "literal", fn: handWritten, arg: chatInput },
    { name: "base build", fn: base.buildLLMAttributes, arg: chatInput },
    { name: "new build", fn: now.buildLLMAttributes, arg: chatInput },
  ], 200000);
  for (const x of r) console.log(x.name.padEnd(12), x.med.toFixed(1), "ns  min", x.min.toFixed(1), `${(x.med / r[0].med).toFixed(2)}x`);
}
if (which !== "builders") {
  const chat = JSON.parse(readFileSync("/work/wt-i12-emit/packages/openinference/test/fixtures/llm-chat-span.json", "utf8"));
  const v = compare([
    { name: "base validate", fn: (a) => base.validateAttributes(a).length, arg: chat },
    { name: "new validate", fn: (a) => now.validateAttributes(a).length, arg: chat },
  ], 20000);
  for (const x of v) console.log(x.name.padEnd(14), x.med.toFixed(0), "ns  min", x.min.toFixed(0));
}
if (sink === 42) console.log("");
