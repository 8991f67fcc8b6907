/** Generated TypeScript transpiled to plain ESM in a folder and imported, so tests can compare values. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

export async function importGenerated(
  files: ReadonlyMap<string, string>,
  dir: string,
  entry = "index.ts",
): Promise<Record<string, unknown>> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "package.json"), '{"type":"module"}');
  for (const [rel, text] of files) {
    if (!rel.endsWith(".ts")) continue;
    const out = ts.transpileModule(text, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel.replace(/\.ts$/, ".js")), out);
  }
  return (await import(pathToFileURL(path.join(dir, entry.replace(/\.ts$/, ".js"))).href)) as Record<string, unknown>;
}

/** Names of upstream's constants of the kinds the generator reproduces. */
export function comparableNames(upstream: Record<string, unknown>): string[] {
  return Object.keys(upstream).filter(
    (k) => k.startsWith("ATTR_") || k.includes("_VALUE_") || k.startsWith("METRIC_") || k.startsWith("EVENT_"),
  );
}

/** Every upstream constant that ours lacks or gives another value (key builders compared on a probe key). */
export function constantMismatches(
  upstream: Record<string, unknown>,
  ours: Record<string, unknown>,
  names: readonly string[],
): string[] {
  const value = (v: unknown) => (typeof v === "function" ? (v as (k: string) => string)("probe-key") : v);
  const problems: string[] = [];
  for (const name of names) {
    if (!(name in ours)) problems.push(`missing ${name} = ${String(value(upstream[name]))}`);
    else if (value(ours[name]) !== value(upstream[name]))
      problems.push(`${name}: upstream ${String(value(upstream[name]))}, ours ${String(value(ours[name]))}`);
  }
  return problems;
}
