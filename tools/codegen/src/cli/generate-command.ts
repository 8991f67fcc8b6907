/**
 * `semtrace generate --spec <dir> --out <dir> [--naming otel|openinference] [--check]`, run by the `semtrace` CLI
 * and by this package's own bin (`semtrace-codegen generate`).
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
import { generate } from "../pipeline.js";

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
  return `Usage: ${program} --spec <dir> --out <dir> [options]

Generates TypeScript (constants, enum values, value types, key builders, attribute
builders, validators) and a JSON Schema (schema.json) from a semantic-conventions
registry written in the OpenTelemetry YAML model (v1 or v2 syntax, plus semtrace's
documented extensions; see spec/README.md).

Options:
  --spec <dir>        Registry directory: YAML files and an optional manifest.yaml.
  --out <dir>         Output directory (e.g. packages/<name>/src/generated).
  --naming <preset>   Constant naming: otel (ATTR_HTTP_REQUEST_METHOD) or
                      openinference (LLM_MODEL_NAME). Overrides the manifest's
                      codegen.naming; defaults to otel when the manifest has none.
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
  let values: { spec?: string; out?: string; naming?: string; check?: boolean; help?: boolean; format?: string; dependency?: string[]; offline?: boolean; "registry-cache"?: string; [flag: string]: unknown };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        spec: { type: "string" },
        out: { type: "string" },
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
  if (!values.spec) return usage("missing --spec <dir>");
  if (!values.out) return usage("missing --out <dir>");
  if (values.naming !== undefined && !isNamingPreset(values.naming)) {
    return usage(`unknown --naming ${JSON.stringify(values.naming)}: expected ${NAMING_PRESETS.join(" or ")}`);
  }
  const format = values.format ?? "text";
  if (format !== "text" && format !== "github") return usage(`unknown --format ${JSON.stringify(format)}: expected text or github`);
  const limits = parseYamlLimitFlags(values);
  if (typeof limits === "string") return usage(limits);
  const dependencies = parseDependencyFlags(values, cwd);
  if (typeof dependencies === "string") return usage(dependencies);

  const spec = posix(values.spec);
  const outDir = posix(values.out);
  // The caps a registry needed are part of the command that regenerates it.
  const limitFlags = YAML_LIMIT_FLAGS.flatMap(({ flag }) => (values[flag] === undefined ? [] : [`--${flag} ${String(values[flag])}`]));
  const command = [program, `--spec ${spec}`, `--out ${outDir}`, ...(values.naming ? [`--naming ${values.naming}`] : []), ...limitFlags].join(" ");
  const result = await generate({
    spec: spec,
    cwd,
    out: path.resolve(cwd, outDir),
    check: values.check ?? false,
    command,
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
  if (values.check) {
    const stale = [...write.changed, ...write.obsolete];
    if (stale.length > 0) {
      err(`Generated files in ${outDir} are stale:\n${stale.map((f) => `  ${path.posix.join(outDir, f)}`).join("\n")}\nFix: ${command}\n`);
      return 1;
    }
    out(`${outDir}: ${write.unchanged.length} generated files are up to date.\n`);
    return 0;
  }
  const r = result.registry!;
  out(
    `${r.name}: ${r.attributes.filter((a) => a.emitted).length} attributes, ${r.objects.length} structure${r.objects.length === 1 ? "" : "s"}, ${r.spans.length} span definitions → ${outDir} ` +
      `(${write.changed.length} written, ${write.unchanged.length} unchanged${write.obsolete.length ? `, ${write.obsolete.length} removed` : ""})\n`,
  );
  return 0;

  function posix(p: string): string {
    return p.split(path.sep).join("/");
  }
}

function printDiagnostics(diagnostics: readonly Diagnostic[], format: string, err: (s: string) => void): void {
  for (const d of diagnostics) {
    if (format === "github") {
      const level = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
      err(`::${level} file=${d.location.file},line=${d.location.line},col=${d.location.col},title=${d.id}::${d.message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`);
    } else err(`${formatDiagnostic(d)}\n`);
  }
}
