#!/usr/bin/env node
/**
 * What a fresh `npm install @semtrace/cli` costs, and how fast the installed CLI starts.
 *
 *   node tools/bench/src/cli-install.mjs [--runs 30] [--write]
 *
 * 1. Size: `npm pack` every workspace the CLI's closure holds (its dependencies, transitively through workspace
 *    packages), `npm install` those tarballs into a fresh temporary project (third-party dependencies from the npm
 *    registry, as for a user), and sum the bytes of every file under node_modules. Side by side, the same install
 *    plus the generator (`@semtrace/codegen`, for users who also generate) and, as the anchor, plus the generator and
 *    `typescript` as main's CLI installed them before it stopped depending on them (issue 13).
 * 2. Cold start: a fresh `node` process running the installed bin on a one-span file, `--runs` times after 3 warm-up
 *    runs (hyperfine's method: spawn to exit, median), with the default registry, with both built-in ones and with a
 *    spec directory; `node -e 0` alongside as the floor any Node CLI pays.
 *
 * --write rewrites the "CLI install" section of BENCHMARKS.md. Needs a build (`npm run bench` at the root builds).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fmtMs, stats } from "./measure.mjs";
import { table, updateSection } from "./report.mjs";

const { values } = parseArgs({ options: { runs: { type: "string" }, write: { type: "boolean" } } });
const RUNS = Number(values.runs ?? 30);
const WARMUP = 3;
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const log = (s) => process.stderr.write(`${s}\n`);
const LOAD_BEFORE = os.loadavg()[0];

const workspaceDirs = new Map();
for (const parent of ["packages", "tools"]) {
  for (const entry of readdirSync(join(repoRoot, parent), { withFileTypes: true })) {
    const manifest = join(repoRoot, parent, entry.name, "package.json");
    if (entry.isDirectory() && existsSync(manifest))
      workspaceDirs.set(JSON.parse(readFileSync(manifest, "utf8")).name, join(repoRoot, parent, entry.name));
  }
}

/** The workspaces `name` needs when installed: itself and its dependencies' workspaces, transitively. */
function workspaceClosure(name, into = new Set()) {
  if (into.has(name) || !workspaceDirs.has(name)) return into;
  into.add(name);
  const { dependencies = {} } = JSON.parse(readFileSync(join(workspaceDirs.get(name), "package.json"), "utf8"));
  for (const dep of Object.keys(dependencies)) workspaceClosure(dep, into);
  return into;
}

const npm = (args, cwd) =>
  execFileSync("npm", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_update_notifier: "false" },
  });

/** `npm pack` of a workspace into `dest`; the tarball's path. */
function pack(name, dest) {
  for (const dir of ["dist"])
    if (!existsSync(join(workspaceDirs.get(name), dir))) throw new Error(`${name} has no ${dir}/: build first`);
  const [{ filename }] = JSON.parse(
    npm(["pack", "--json", "--ignore-scripts", "--pack-destination", dest], workspaceDirs.get(name)),
  );
  return join(dest, filename);
}

/** Bytes of every file under `dir` (symbolic links counted as themselves, not followed), and per top-level package. */
function unpackedSize(dir) {
  const perPackage = new Map();
  let total = 0;
  const walk = (path, owner) => {
    const st = lstatSync(path);
    if (st.isDirectory()) {
      for (const entry of readdirSync(path)) {
        // node_modules/<name> or node_modules/@scope/<name> owns what is under it.
        const child = join(path, entry);
        const next =
          path.endsWith("node_modules") && !entry.startsWith("@") && !entry.startsWith(".")
            ? entry
            : path.endsWith("node_modules")
              ? owner
              : /node_modules\/@[^/]+$/.test(path)
                ? `${path.split("/").pop()}/${entry}`
                : owner;
        walk(child, next);
      }
      return;
    }
    total += st.size;
    perPackage.set(owner, (perPackage.get(owner) ?? 0) + st.size);
  };
  walk(dir, "(npm metadata)");
  return { total, perPackage };
}

/** A fresh project with `specs` installed by npm; its folder, node_modules size and installed package names. */
function install(label, specs) {
  const project = mkdtempSync(join(os.tmpdir(), "semtrace-install-"));
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "fresh-project", version: "1.0.0", private: true }, null, 2)}\n`,
  );
  log(`installing ${label}: npm install ${specs.map((s) => s.split("/").pop()).join(" ")}`);
  npm(["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", ...specs], project);
  const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8"));
  const installed = Object.entries(lock.packages).filter(([path]) => path.startsWith("node_modules/"));
  // Every @semtrace package must be one of the packed tarballs, never something of that name from the registry.
  for (const [path, entry] of installed) {
    if (path.includes("@semtrace/") && !String(entry.resolved ?? "").startsWith("file:"))
      throw new Error(`${label}: ${path} came from ${entry.resolved}, not from a packed tarball`);
  }
  return {
    label,
    project,
    ...unpackedSize(join(project, "node_modules")),
    packages: installed.map(([path]) => path.replace(/^.*node_modules\//, "")).sort(),
  };
}

const MiB = 1024 * 1024;
const fmtMiB = (bytes) => `${(bytes / MiB).toFixed(2)} MiB`;
const fmtMB = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

// ----- 1. size -----

const packDir = mkdtempSync(join(os.tmpdir(), "semtrace-pack-"));
const cliWorkspaces = [...workspaceClosure("@semtrace/cli")].sort();
const tarballs = new Map(cliWorkspaces.map((name) => [name, pack(name, packDir)]));
const codegenTarballs = [...workspaceClosure("@semtrace/codegen")]
  .filter((n) => !tarballs.has(n))
  .map((name) => pack(name, packDir));
const typescriptRange = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).devDependencies.typescript;

const installs = [
  install("`npm install @semtrace/cli`", [...tarballs.values()]),
  install("with the generator: `npm install @semtrace/cli @semtrace/codegen`", [
    ...tarballs.values(),
    ...codegenTarballs,
  ]),
  install(`anchor: as main installed the CLI before issue 13 (+ @semtrace/codegen, typescript@${typescriptRange})`, [
    ...tarballs.values(),
    ...codegenTarballs,
    `typescript@${typescriptRange}`,
  ]),
];
const ours = installs[0];

// ----- 2. cold start -----

const bin = join(ours.project, "node_modules/@semtrace/cli/bin/semtrace.js");
const inputDir = mkdtempSync(join(os.tmpdir(), "semtrace-one-span-"));
const oneSpan = join(inputDir, "span.json");
writeFileSync(
  oneSpan,
  JSON.stringify([
    {
      name: "chat gpt-4o",
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.model_name": "gpt-4o",
        "llm.provider": "openai",
        "input.value": "Hi",
        "output.value": "Hello!",
      },
    },
  ]),
);
const specDir = join(repoRoot, "packages/openinference/test/fixtures/mycompany");
const CPU_HOOK =
  "data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\nCPU_US:'+(u.user+u.system)+'\\n')})";

const commands = [
  { id: "node", title: "`node -e 0` (the floor: starting Node)", args: ["-e", "0"], plain: true },
  {
    id: "default",
    title: "`semtrace validate span.json` (one span, the default registries: OpenInference and GenAI)",
    args: [bin, "validate", oneSpan],
  },
  {
    id: "both",
    title: "`semtrace validate -r openinference -r genai span.json`",
    args: [bin, "validate", "-r", "openinference", "-r", "genai", oneSpan],
  },
  {
    id: "spec",
    title: "`semtrace validate -r openinference -r <spec dir> span.json` (a company registry read from YAML)",
    args: [bin, "validate", "-r", "openinference", "-r", specDir, oneSpan],
  },
];
const samples = new Map(
  commands.map((c) => [c.id, { wall: /** @type {number[]} */ ([]), cpu: /** @type {number[]} */ ([]) }]),
);
/** @param {string} id */
const samplesOf = (id) => /** @type {{ wall: number[]; cpu: number[] }} */ (samples.get(id));
const env = { ...process.env };
delete env.NODE_COMPILE_CACHE;
delete env.NODE_DISABLE_COMPILE_CACHE;
log(`cold start: ${WARMUP} warm-up and ${RUNS} timed runs of each command, interleaved`);
for (let round = 0; round < WARMUP + RUNS; round++) {
  for (const c of commands) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["--import", CPU_HOOK, ...c.args], {
      cwd: ours.project,
      encoding: "utf8",
      env,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${c.args.join(" ")} exited ${r.status}: ${r.stderr}`);
    // The summary names the judging registries since issue 11: "1 span (judged: …), 0 errors".
    if (!c.plain && !/\b1 span\b.*, 0 errors/.test(r.stdout))
      throw new Error(`unexpected report from ${c.args.join(" ")}:\n${r.stdout}`);
    if (round < WARMUP) continue;
    samplesOf(c.id).wall.push(ms);
    samplesOf(c.id).cpu.push(Number(/CPU_US:(\d+)/.exec(r.stderr)?.[1]) / 1000);
  }
}
const LOAD_AFTER = os.loadavg()[0];

// ----- report -----

const date = new Date().toISOString().slice(0, 16).replace("T", " ");
const cpu = os.cpus()[0]?.model.replace(/\s+/g, " ").trim() ?? "unknown CPU";
const busy = Math.max(LOAD_BEFORE, LOAD_AFTER) > 1;
const top = (perPackage, n) =>
  [...perPackage]
    .filter(([name]) => name !== "(npm metadata)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, bytes]) => `${name} ${fmtMB(bytes)}`)
    .join(", ");

const sizeRows = installs.map((i) => [
  i.label,
  fmtMB(i.total),
  fmtMiB(i.total),
  i.packages.length,
  `${(i.total / ours.total).toFixed(2)}×`,
  top(i.perPackage, i === ours ? 8 : 3),
]);
const base = stats(samplesOf("node").wall).median;
const timeRows = commands.map((c) => {
  const wall = stats(samplesOf(c.id).wall);
  const cpuTime = stats(samplesOf(c.id).cpu);
  return [
    c.title,
    fmtMs(wall.median),
    fmtMs(wall.min),
    fmtMs(cpuTime.median),
    c.id === "node" ? "1×" : `${(wall.median / base).toFixed(2)}×`,
    wall.runs,
  ];
});
const coldMedian = stats(samplesOf("default").wall).median;
const coldCpu = stats(samplesOf("default").cpu).median;
const floorCpu = stats(samplesOf("node").cpu).median;

const body = [
  "## CLI install size and cold start",
  "",
  `_${date} UTC · ${cpu} · ${os.cpus().length} cores · ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM · Node ${process.versions.node} · npm ${npm(["--version"], repoRoot).trim()} · 1-min load average ${LOAD_BEFORE.toFixed(2)} → ${LOAD_AFTER.toFixed(2)} (start → end)_`,
  "",
  ...(busy
    ? [
        "> ⚠️ The machine was shared during this run (load average above 1.0): wall times are noisy; CPU time (user + system of the process) is the steadier measure.",
        "",
      ]
    : []),
  `**Install size** (goal ≤ 8 MB): ${fmtMB(ours.total)} for \`npm install @semtrace/cli\` — ${ours.packages.join(", ")}. The CLI has no gRPC dependency, optional or not, so nothing is left out of the count.`,
  "",
  table(["Fresh project", "Unpacked (node_modules)", "", "Packages", "vs ours", "Largest"], sizeRows, [
    undefined,
    "r",
    "r",
    "r",
    "r",
  ]),
  "",
  `**Cold start** (goal ≤ 0.25 s): ${fmtMs(coldMedian)} median wall time for \`semtrace validate\` of a one-span file, from spawn to exit; ${fmtMs(coldCpu)} of CPU time, ${fmtMs(coldCpu - floorCpu)} more than starting Node itself (\`node -e 0\`, ${fmtMs(floorCpu)}).`,
  "",
  table(
    [
      "Command (a fresh `node` process each, from the fresh project)",
      "Wall, median",
      "Wall, min",
      "CPU, median",
      "vs `node -e 0`",
      "Runs",
    ],
    timeRows,
    [undefined, "r", "r", "r", "r", "r"],
  ),
  "",
  `**Method.** \`tools/bench/src/cli-install.mjs\`: \`npm pack\` of every workspace the CLI's closure holds (${cliWorkspaces.join(", ")}; for the other rows also those of @semtrace/codegen), \`npm install --ignore-scripts\` of the tarballs into a fresh temporary project (third-party packages from the npm registry; every @semtrace package must resolve to a packed tarball, or the benchmark fails), then the bytes of every file under its node_modules (symbolic links not followed; MB = 10⁶ bytes, MiB = 2²⁰). The anchor adds the generator and the \`typescript\` the CLI depended on until issue 13. Cold start: ${RUNS} runs of each command after ${WARMUP} warm-up runs, interleaved, each a fresh \`node\` process running the installed \`node_modules/@semtrace/cli/bin/semtrace.js\` (compile cache as the CLI sets it: on from Node 22.1, so warm after the first run; this Node ${process.versions.node} ${"enableCompileCache" in (await import("node:module")).default ? "has it" : "has none"}), timed from spawn to exit; CPU time is the process's own \`process.cpuUsage()\` at exit (loaded with \`--import\`). Re-run with \`npm run bench:install -w @semtrace/bench -- --write\` after a build.`,
].join("\n");

process.stdout.write(`${body}\n`);
if (values.write) updateSection(join(repoRoot, "BENCHMARKS.md"), "cli-install", body);
for (const dir of [packDir, inputDir, ...installs.map((i) => i.project)]) rmSync(dir, { recursive: true, force: true });
