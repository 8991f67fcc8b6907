/**
 * `semtrace generate --spec <dir> | --mapping <file> --out <dir> [--docs <dir>] [--naming otel|openinference]
 * [--check]`, run by the `semtrace` CLI and by this package's own bin (`semtrace-codegen generate`).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import {
  DEPENDENCY_OPTIONS,
  dependencyHelp,
  formatDiagnostic,
  isNamingPreset,
  NAMING_PRESETS,
  parseDependencyFlags,
  parseYamlLimitFlags,
  YAML_LIMIT_FLAGS,
  YAML_LIMIT_OPTIONS,
  yamlLimitsHelp,
  type Diagnostic,
} from "@semtrace/spec/internal";
import { generateMapping } from "../mapping/build.js";
import { generate } from "../pipeline.js";
import type { WriteResult } from "../write/write.js";

export interface CommandIO {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  readonly cwd?: string;
  /**
   * The command as the user runs it (default `semtrace generate`): named in usage messages and in the banner's
   * regenerate command.
   */
  readonly program?: string;
}

export const DEFAULT_PROGRAM = "semtrace generate";

/** `--help` of the command run as `program`. */
export function generateHelp(program: string): string {
  return `Usage: ${program} --spec <dir> --out <dir> [--docs <dir>] [options]
       ${program} --mapping <file> --out <dir> [options]

Generates TypeScript (constants, enum values, value types, key builders, attribute
builders, validators) and a JSON Schema (schema.json) from a semantic-conventions
registry written in the OpenTelemetry YAML model (v1 or v2 syntax, plus semtrace's
documented extensions; see spec/README.md).

Options:
  --spec <dir>        Registry directory: YAML files and an optional manifest.yaml.
  --mapping <file>    A mapping between two registries (spec/mappings/*.yaml):
                      generates their translation functions instead.
  --out <dir>         Output directory (e.g. packages/<name>/src/generated).
  --naming <preset>   Constant naming: otel (ATTR_HTTP_REQUEST_METHOD) or
                      openinference (LLM_MODEL_NAME). Overrides the manifest's
                      codegen.naming; defaults to otel when the manifest has none.
  --docs <dir>        Also write the reference docs there: a Markdown page per
                      namespace and span definition, and search.html (one
                      self-contained page with search over every attribute).
                      The folder is theirs: stale generated pages are removed.
                      Overrides the manifest's codegen.docs, which writes them
                      on every run (relative to the spec folder).
  --check             Write nothing; exit 1 and list stale files if the output on
                      disk differs from what would be generated.
  --format <fmt>      Diagnostics as text (default) or github (workflow annotations).
${yamlLimitsHelp(22)}

${dependencyHelp(22)}
  -h, --help          Show this help.

Exit codes: 0 success, 1 invalid spec or stale output (--check), 2 usage error.
`;
}

export const GENERATE_HELP = generateHelp(DEFAULT_PROGRAM);

export async function runGenerateCommand(argv: readonly string[], io: CommandIO = {}): Promise<number> {
  const out = io.stdout ?? ((s: string) => process.stdout.write(s));
  const err = io.stderr ?? ((s: string) => process.stderr.write(s));
  const cwd = io.cwd ?? process.cwd();
  const program = io.program ?? DEFAULT_PROGRAM;
  let values: {
    spec?: string;
    mapping?: string;
    out?: string;
    docs?: string;
    naming?: string;
    check?: boolean;
    help?: boolean;
    format?: string;
    dependency?: string[];
    offline?: boolean;
    "registry-cache"?: string;
    [flag: string]: unknown;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        spec: { type: "string" },
        mapping: { type: "string" },
        out: { type: "string" },
        docs: { type: "string" },
        naming: { type: "string" },
        check: { type: "boolean" },
        format: { type: "string" },
        ...YAML_LIMIT_OPTIONS,
        ...DEPENDENCY_OPTIONS,
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    err(`${program}: ${(error as Error).message}\n\n${generateHelp(program)}`);
    return 2;
  }
  if (values.help) {
    out(generateHelp(program));
    return 0;
  }
  const usage = (message: string): number => {
    err(`${program}: ${message}\nRun '${program} --help' for usage.\n`);
    return 2;
  };
  if (values.spec && values.mapping) return usage("--spec and --mapping exclude each other");
  if (!values.spec && !values.mapping) return usage("missing --spec <dir> (or --mapping <file>)");
  if (!values.out) return usage("missing --out <dir>");
  if (values.naming !== undefined && !isNamingPreset(values.naming)) {
    return usage(`unknown --naming ${JSON.stringify(values.naming)}: expected ${NAMING_PRESETS.join(" or ")}`);
  }
  const format = values.format ?? "text";
  if (format !== "text" && format !== "github")
    return usage(`unknown --format ${JSON.stringify(format)}: expected text or github`);
  const limits = parseYamlLimitFlags(values);
  if (typeof limits === "string") return usage(limits);
  const dependencies = parseDependencyFlags(values, cwd);
  if (typeof dependencies === "string") return usage(dependencies);

  const outDir = posix(values.out);
  const docsDir = values.docs === undefined ? undefined : posix(values.docs);
  if (docsDir !== undefined && path.resolve(cwd, docsDir) === path.resolve(cwd, outDir))
    return usage("--docs needs a folder of its own, not the --out folder");
  // The caps a registry needed are part of the command that regenerates it.
  const limitFlags = YAML_LIMIT_FLAGS.flatMap(({ flag }) =>
    values[flag] === undefined ? [] : [`--${flag} ${String(values[flag])}`],
  );
  if (values.mapping) {
    const mapping = posix(values.mapping);
    const command = [program, `--mapping ${mapping}`, `--out ${outDir}`, ...limitFlags].join(" ");
    return runMapping(
      { program, mapping, outDir, command, check: values.check ?? false, format, limits, cwd },
      out,
      err,
    );
  }
  const spec = posix(values.spec!);
  const command = [
    program,
    `--spec ${spec}`,
    `--out ${outDir}`,
    ...(docsDir !== undefined ? [`--docs ${docsDir}`] : []),
    ...(values.naming ? [`--naming ${values.naming}`] : []),
    ...limitFlags,
  ].join(" ");
  const result = await generate({
    spec: spec,
    cwd,
    out: path.resolve(cwd, outDir),
    check: values.check ?? false,
    command,
    ...(docsDir !== undefined ? { docs: path.resolve(cwd, docsDir) } : {}),
    limits,
    dependencies,
    ...(values.naming ? { naming: values.naming } : {}),
  }).catch((error: unknown) => ({ fatal: error as Error }));
  if ("fatal" in result) {
    err(`${program}: ${result.fatal.message}\n`);
    return 1;
  }
  printDiagnostics(result.diagnostics, format, err);
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) {
    err(`\n${errors} error${errors === 1 ? "" : "s"} in ${spec}; nothing was written.\n`);
    return 1;
  }
  const write = result.write!;
  const docsWrite = result.docsWrite;
  // As given with --docs, or the manifest's folder relative to where the command runs.
  const shownDocs = docsDir ?? (result.docsDir !== undefined ? posix(path.relative(cwd, result.docsDir)) : undefined);
  if (values.check) {
    const stale = [...write.changed, ...write.obsolete].map((f) => path.posix.join(outDir, f));
    if (docsWrite)
      stale.push(...[...docsWrite.changed, ...docsWrite.obsolete].map((f) => path.posix.join(shownDocs!, f)));
    if (stale.length > 0) {
      err(
        `Generated files in ${docsWrite ? `${outDir} and ${shownDocs}` : outDir} are stale:\n${stale.map((f) => `  ${f}`).join("\n")}\nFix: ${command}\n`,
      );
      return 1;
    }
    out(`${outDir}: ${write.unchanged.length} generated files are up to date.\n`);
    if (docsWrite) out(`${shownDocs}: ${docsWrite.unchanged.length} reference pages are up to date.\n`);
    return 0;
  }
  const r = result.registry!;
  out(
    `${r.name}: ${r.attributes.filter((a) => a.emitted).length} attributes, ${r.objects.length} structure${r.objects.length === 1 ? "" : "s"}, ${r.spans.length} span definitions → ${outDir} ` +
      `(${write.changed.length} written, ${write.unchanged.length} unchanged${write.obsolete.length ? `, ${write.obsolete.length} removed` : ""})\n`,
  );
  if (docsWrite) {
    out(
      `${r.name}: reference docs → ${shownDocs} (${docsWrite.changed.length} written, ${docsWrite.unchanged.length} unchanged${docsWrite.obsolete.length ? `, ${docsWrite.obsolete.length} removed` : ""})\n`,
    );
  }
  return 0;

  function posix(p: string): string {
    return p.split(path.sep).join("/");
  }
}

interface MappingRun {
  readonly program: string;
  readonly mapping: string;
  readonly outDir: string;
  readonly command: string;
  readonly check: boolean;
  readonly format: string;
  readonly limits: Exclude<ReturnType<typeof parseYamlLimitFlags>, string>;
  readonly cwd: string;
}

async function runMapping(run: MappingRun, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { program, mapping, outDir, command, check, cwd, limits } = run;
  const result = await generateMapping({ mapping, out: path.resolve(cwd, outDir), check, cwd, limits, command }).catch(
    (error: unknown) => ({ fatal: error as Error }),
  );
  if ("fatal" in result) {
    err(`${program}: ${result.fatal.message}\n`);
    return 1;
  }
  printDiagnostics(result.diagnostics, run.format, err);
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0 || !result.write) {
    err(`\n${errors} error${errors === 1 ? "" : "s"} in ${mapping}; nothing was written.\n`);
    return 1;
  }
  const write = result.write;
  if (check) return reportCheck(write, outDir, command, out, err);
  out(
    `${result.header!.name}: ${result.plan!.attributes.length} attribute rules, ${result.plan!.kinds.length} span kinds → ${outDir} (${write.changed.length} written, ${write.unchanged.length} unchanged)\n`,
  );
  return 0;
}

/** `--check`: exit 1 listing the stale files (and the command that fixes them), else 0. */
function reportCheck(
  write: WriteResult,
  outDir: string,
  command: string,
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  const stale = [...write.changed, ...write.obsolete];
  if (stale.length > 0) {
    err(
      `Generated files in ${outDir} are stale:\n${stale.map((f) => `  ${path.posix.join(outDir, f)}`).join("\n")}\nFix: ${command}\n`,
    );
    return 1;
  }
  out(`${outDir}: ${write.unchanged.length} generated files are up to date.\n`);
  return 0;
}

function printDiagnostics(diagnostics: readonly Diagnostic[], format: string, err: (s: string) => void): void {
  for (const d of diagnostics) {
    if (format === "github") {
      const level = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
      err(
        `::${level} file=${d.location.file},line=${d.location.line},col=${d.location.col},title=${d.id}::${d.message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`,
      );
    } else err(`${formatDiagnostic(d)}\n`);
  }
}
