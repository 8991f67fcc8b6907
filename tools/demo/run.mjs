#!/usr/bin/env node
/**
 * `npm run demo`: regenerate every package from its registry with the real, built generator (`semtrace-codegen
 * generate`, as the packages' `generate` scripts run it), and report what was written.
 *
 * A registry is a folder under spec/ with a manifest.yaml whose `codegen.package` names a workspace under
 * packages/; its code goes to that workspace's src/generated. Exit code: 0 when every registry generated, else 1.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { parse } from "yaml";

const root = join(import.meta.dirname, "../..");
const rel = (path) => relative(root, path) || ".";

/** The `semtrace-codegen` executable, found the way npm links it: @semtrace/codegen's package.json `bin`. */
function codegenBin() {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("@semtrace/codegen/package.json");
  const bin = join(dirname(manifestPath), JSON.parse(readFileSync(manifestPath, "utf8")).bin["semtrace-codegen"]);
  if (!existsSync(bin)) throw new Error(`${rel(bin)} is missing`);
  return bin;
}

function subfolders(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(dir, e.name))
    .sort();
}

/** Package name → workspace folder, for packages/*. */
function packageWorkspaces() {
  const byName = new Map();
  for (const dir of subfolders(join(root, "packages"))) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) byName.set(JSON.parse(readFileSync(manifest, "utf8")).name, dir);
  }
  return byName;
}

/** Registries under spec/ whose manifest asks for a package. */
function registries() {
  const found = [];
  for (const specDir of subfolders(join(root, "spec"))) {
    const manifestPath = ["manifest.yaml", "manifest.yml"].map((f) => join(specDir, f)).find((f) => existsSync(f));
    if (!manifestPath) continue;
    const manifest = parse(readFileSync(manifestPath, "utf8")) ?? {};
    const packageName = manifest.codegen?.package;
    if (typeof packageName === "string") found.push({ specDir, packageName, manifestPath });
  }
  return found;
}

/** Relative path → file contents, for every file under dir. */
function snapshot(dir) {
  const files = new Map();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), readFileSync(path, "utf8"));
  }
  return files;
}

const count = (source, pattern) => source.match(pattern)?.length ?? 0;

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) =>
          typeof cell === "number" ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function indent(text) {
  return text.trimEnd().replace(/^/gm, "    ");
}

function main() {
  const bin = codegenBin();
  const workspaces = packageWorkspaces();
  const todo = registries();
  if (todo.length === 0) {
    console.error("demo: no registry under spec/ has a manifest.yaml with codegen.package: nothing to generate");
    return 1;
  }

  let failures = 0;
  for (const { specDir, packageName, manifestPath } of todo) {
    const pkgDir = workspaces.get(packageName);
    console.log(`\n== ${rel(specDir)} → ${packageName}`);
    if (!pkgDir) {
      console.error(`  ${rel(manifestPath)} names ${packageName}, but no workspace under packages/ has that name`);
      failures++;
      continue;
    }
    const outDir = join(pkgDir, "src/generated");
    const before = snapshot(outDir);

    // Run from the package folder with the paths its `npm run generate` uses: the generated banner records the
    // command, so this writes exactly what the drift check (`npm run generate -- --check`) expects.
    const args = ["generate", "--spec", relative(pkgDir, specDir), "--out", relative(pkgDir, outDir)];
    console.log(`  $ cd ${rel(pkgDir)} && semtrace-codegen ${args.join(" ")}`);
    const started = performance.now();
    const run = spawnSync(process.execPath, [bin, ...args], {
      cwd: pkgDir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    const ms = Math.round(performance.now() - started);
    if (run.stdout.trim()) console.log(indent(run.stdout));
    if (run.stderr.trim()) console.log(indent(run.stderr));
    if (run.status !== 0) {
      console.error(`  semtrace-codegen generate exited with ${run.status ?? run.signal} after ${ms} ms`);
      failures++;
      continue;
    }

    const after = snapshot(outDir);
    /** @type {(string | number)[][]} */
    const rows = [["file", "bytes", "constants", "functions", "status"]];
    const total = { bytes: 0, constants: 0, functions: 0 };
    for (const [file, source] of [...after].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const bytes = Buffer.byteLength(source);
      const constants = count(source, /^export const /gm);
      const functions = count(source, /^export (?:async )?function /gm);
      total.bytes += bytes;
      total.constants += constants;
      total.functions += functions;
      const status = !before.has(file) ? "new" : before.get(file) === source ? "unchanged" : "changed";
      rows.push([rel(join(outDir, file)), bytes, constants, functions, status]);
    }
    for (const file of before.keys()) if (!after.has(file)) rows.push([rel(join(outDir, file)), 0, 0, 0, "removed"]);
    rows.push(["total", total.bytes, total.constants, total.functions, `${after.size} files, ${ms} ms`]);
    console.log(indent(table(rows)));
  }

  console.log(`\n${todo.length - failures} of ${todo.length} registries generated.`);
  return failures === 0 ? 0 : 1;
}

const generated = main();
// Part 2: trace with the core and validate the spans with the CLI (tools/demo/trace-and-validate.mjs).
const { traceAndValidate } = await import("./trace-and-validate.mjs");
process.exitCode = generated === 0 ? await traceAndValidate() : generated;
