#!/usr/bin/env node
/**
 * Where the generator spends its time: runs one command under `node --cpu-prof` and summarises the profile.
 *
 *   node tools/bench/src/profile.mjs [--top N] -- <script> [args...]
 *   node tools/bench/src/profile.mjs --summarize <file.cpuprofile> [--top N]
 *
 * e.g. node tools/bench/src/profile.mjs -- packages/cli/dist/bin.js generate --spec <dir> --out /tmp/x
 *
 * Prints self time by package (@semtrace/codegen dist, yaml, typescript, ts-morph, node internals, GC),
 * then the top functions by self time and by inclusive time. The .cpuprofile is kept (path printed) for
 * Chrome DevTools / speedscope.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** file URL → short label: `codegen dist`, `node_modules/<pkg>`, `node:<internal>`, or a repo-relative path. */
export function origin(url) {
  if (!url) return "(native)";
  if (url.startsWith("node:")) return "node internals";
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = path.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (path.includes("/tools/codegen/dist/")) return "@semtrace/codegen";
  if (path.includes("/packages/cli/dist/")) return "@semtrace/cli";
  return relative(repoRoot, path);
}

/** Summarises a parsed .cpuprofile: { total, byOrigin, self, inclusive } (ms, sorted descending). */
export function summarize(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n) => {
    const f = n.callFrame;
    const name = f.functionName || "(anonymous)";
    if (!f.url) return name;
    return `${name} (${origin(f.url)}:${f.lineNumber + 1})`;
  };
  const self = new Map();
  const inclusive = new Map();
  const byOrigin = new Map();
  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = nodes.get(profile.samples[i]);
    if (!node) continue;
    total += dt;
    const f = node.callFrame;
    const special =
      f.functionName === "(garbage collector)"
        ? "GC"
        : f.functionName === "(idle)"
          ? "idle"
          : f.functionName === "(program)"
            ? "(program)"
            : undefined;
    add(byOrigin, special ?? origin(f.url), dt);
    add(self, label(node), dt);
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const l = label(nodes.get(id));
      if (seen.has(l)) continue;
      seen.add(l);
      add(inclusive, l, dt);
    }
  }
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { total, byOrigin: sorted(byOrigin), self: sorted(self), inclusive: sorted(inclusive) };
}

export function formatSummary({ total, byOrigin, self, inclusive }, top = 20) {
  const pct = (ms) => `${((100 * ms) / total).toFixed(1).padStart(5)}%`;
  const row = ([name, ms]) => `  ${ms.toFixed(0).padStart(7)} ms ${pct(ms)}  ${name}`;
  const boring = /^\((root|program|idle|garbage collector)\)$|^\(anonymous\)$/;
  return [
    `sampled ${total.toFixed(0)} ms`,
    "self time by origin:",
    ...byOrigin.slice(0, 12).map(row),
    `top ${top} functions by self time:`,
    ...self.slice(0, top).map(row),
    `top ${top} functions by inclusive time:`,
    ...inclusive
      .filter(([n]) => !boring.test(n))
      .slice(0, top)
      .map(row),
  ].join("\n");
}

/** Runs `node --cpu-prof <args>` (cwd = repo root); returns the profile's path. */
export function profileRun(args, { cwd = repoRoot } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "semtrace-prof-"));
  const r = spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, ...args], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  return join(dir, file);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const topAt = argv.indexOf("--top");
  const top = topAt >= 0 ? Number(argv.splice(topAt, 2)[1]) : 20;
  let file;
  if (argv[0] === "--summarize") file = argv[1];
  else {
    const dash = argv.indexOf("--");
    const args = dash >= 0 ? argv.slice(dash + 1) : argv;
    if (args.length === 0) {
      console.error("usage: node profile.mjs [--top N] -- <script> [args...] | --summarize <file.cpuprofile>");
      process.exit(2);
    }
    file = profileRun(args);
  }
  console.log(`profile: ${file}`);
  console.log(formatSummary(summarize(JSON.parse(readFileSync(file, "utf8"))), top));
}
