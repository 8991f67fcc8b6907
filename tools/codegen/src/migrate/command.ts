/**
 * `semtrace migrate [--dry-run] [--spec <dir>]... [--tsconfig <file>] <paths>...`, run by the `semtrace` CLI
 * (which loads this package on demand).
 */
import { randomBytes } from "node:crypto";
import { chmod, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  DEPENDENCY_OPTIONS,
  dependencyHelp,
  parseDependencyFlags,
  parseYamlLimitFlags,
  YAML_LIMIT_OPTIONS,
  yamlLimitsHelp,
} from "@semtrace/spec/internal";
import { structuredPatch } from "diff";
import { formatProblem } from "./problems.js";
import { migrate, PathError, tsconfigIn, type MigratedFile } from "./migrate.js";
import { BUILT_IN_REGISTRIES, builtInRegistryDir, readRegistryFacts, RegistryError } from "./registries.js";

export interface MigrateIO {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  readonly cwd?: string;
  readonly program?: string;
}

export function migrateHelp(program: string): string {
  return `Usage: ${program} [--dry-run] [options] <path>...

Rewrites TypeScript and JavaScript sources for semtrace's current conventions:
- constants of renamed attributes and enum members (deprecated with renamed_to)
  become the constants they were renamed to;
- builder input fields of renamed attributes become the new fields (moved to
  where the new field lives in the input);
- imports, re-exports and require() of @arizeai/openinference-semantic-conventions
  move to @semtrace/openinference, and the gen_ai constants of
  @opentelemetry/semantic-conventions/incubating to @semtrace/genai (the rest
  stays); aliases, namespaces, import type and re-exported names keep working.
A path is a file or a folder (every .ts/.tsx/.mts/.cts/.js/.jsx/.mjs/.cjs file
below it; node_modules and dot-folders skipped).

Options:
  --dry-run          Print the changes as a unified diff; write nothing.
  --spec <dir>       Also apply the renames of this registry (its manifest's
                     codegen.package names its imports). Repeatable.
  --tsconfig <file>  Compiler options to read the sources with (default:
                     ./tsconfig.json when present, else Node's resolution).
  -h, --help         Show this help.

Registries given as --spec are read as 'semtrace generate' reads them:
${yamlLimitsHelp(21)}

${dependencyHelp(21)}

Files that do not parse are reported (file:line:col) and left untouched; each
changed file is written atomically (a temporary file renamed over it).

Exit codes: 0 migrated (or nothing to do), 1 a file could not be parsed or a
use could not be migrated (see the messages), 2 usage error.
`;
}

export const MIGRATE_HELP = migrateHelp("semtrace migrate");

/** One file's change as a unified diff (git's a/ and b/ prefixes), paths relative to `cwd`. */
export function unifiedDiff(file: MigratedFile, cwd: string): string {
  const rel = path.relative(cwd, file.path).split(path.sep).join("/");
  const patch = structuredPatch(`a/${rel}`, `b/${rel}`, file.before, file.after, "", "", { context: 3 });
  const lines = [`--- a/${rel}`, `+++ b/${rel}`];
  for (const h of patch.hunks) {
    lines.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    lines.push(...h.lines);
  }
  return `${lines.join("\n")}\n`;
}

/** Writes `text` over `file` through a temporary file in the same folder, renamed into place (mode kept). */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString("hex")}.semtrace-migrate`,
  );
  const { mode } = await stat(file);
  try {
    await writeFile(tmp, text, { flag: "wx" });
    await chmod(tmp, mode & 0o7777);
    await rename(tmp, file);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
}

export async function runMigrateCommand(argv: readonly string[], io: MigrateIO = {}): Promise<number> {
  const out = io.stdout ?? ((s: string) => void process.stdout.write(s));
  const err = io.stderr ?? ((s: string) => void process.stderr.write(s));
  const cwd = io.cwd ?? process.cwd();
  const program = io.program ?? "semtrace migrate";
  const usage = (message: string) => {
    err(`${program}: ${message}\n\n${migrateHelp(program)}`);
    return 2;
  };
  let values: { "dry-run"?: boolean; spec?: string[]; tsconfig?: string; help?: boolean } & Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        "dry-run": { type: "boolean" },
        spec: { type: "string", multiple: true },
        tsconfig: { type: "string" },
        ...YAML_LIMIT_OPTIONS,
        ...DEPENDENCY_OPTIONS,
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    return usage((error as Error).message);
  }
  if (values.help) {
    out(migrateHelp(program));
    return 0;
  }
  if (positionals.length === 0) return usage("name the files or folders to migrate");

  const limits = parseYamlLimitFlags(values);
  if (typeof limits === "string") return usage(limits);
  const dependencies = parseDependencyFlags(values, cwd);
  if (typeof dependencies === "string") return usage(dependencies);

  let result;
  try {
    const facts = await readRegistryFacts(
      [...BUILT_IN_REGISTRIES.map(builtInRegistryDir), ...(values.spec ?? [])],
      cwd,
      { limits, dependencies },
    );
    result = await migrate({ paths: positionals, cwd, facts, tsconfig: values.tsconfig ?? tsconfigIn(cwd) });
  } catch (error) {
    if (error instanceof PathError || error instanceof RegistryError) {
      err(`${program}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  for (const p of result.problems) err(`${formatProblem(p)}\n`);
  let failed = 0;
  if (values["dry-run"]) for (const file of result.changed) out(unifiedDiff(file, cwd));
  else {
    for (const file of result.changed) {
      try {
        await writeAtomically(file.path, file.after);
      } catch (error) {
        err(
          `${program}: ${path.relative(cwd, file.path)}: could not be written (${(error as Error).message}); left as it was\n`,
        );
        failed++;
      }
    }
  }
  const n = result.changed.length;
  const verb = values["dry-run"] ? "would change" : "changed";
  err(
    `${program}: ${result.files} file${result.files === 1 ? "" : "s"} read, ${verb} ${n}${result.problems.length > 0 ? `, ${result.problems.length} message${result.problems.length === 1 ? "" : "s"} above` : ""}\n`,
  );
  return failed > 0 || result.problems.some((p) => p.severity === "error") ? 1 : 0;
}
