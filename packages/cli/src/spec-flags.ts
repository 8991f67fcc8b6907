/**
 * How the commands that read spec directories (`validate`, `live-check` and `stats` with `--registry <dir>`, `check`,
 * `diff`) read them: the generator's caps on each YAML file, and where a manifest's `dependencies` come from
 * (`--dependency`, `--offline`, `--registry-cache`, the fetch caps). The option table, help and parsers are
 * @semtrace/spec's own, from its light `./flags` entry (no YAML parser: `--help` and argument parsing stay fast), so
 * the flags mean, check and say the same as in `semtrace generate`.
 */
import {
  DEPENDENCY_OPTIONS,
  dependencyHelp,
  parseDependencyFlags,
  parseYamlLimitFlags,
  YAML_LIMIT_OPTIONS,
  yamlLimitsHelp,
  type DependencyOptions,
  type YamlLimits,
} from "@semtrace/spec/flags";

export const SPEC_OPTIONS = { ...YAML_LIMIT_OPTIONS, ...DEPENDENCY_OPTIONS } as const;

/** Their `--help` section, for commands whose descriptions start at `column`. */
export function specOptionsHelp(column: number): string {
  return `Spec directories given as --registry (read as 'semtrace generate' reads them):
${yamlLimitsHelp(column)}

${dependencyHelp(column)}
`;
}

/** What a command needs to read spec directories, parsed from the flags. */
export interface SpecReading {
  /** Where the command runs: relative folders in `SEMTRACE_DEPENDENCIES` are read from here. */
  readonly cwd?: string;
  readonly limits?: Partial<YamlLimits>;
  readonly dependencies?: DependencyOptions;
}

/** The spec-reading flags given, as written (checked with {@link parseSpecFlags} when the command starts). */
export function specFlags(values: Readonly<Record<string, unknown>>): {
  specFlags?: Readonly<Record<string, unknown>>;
} {
  const given = Object.keys(SPEC_OPTIONS).filter((flag) => values[flag] !== undefined);
  return given.length === 0 ? {} : { specFlags: Object.fromEntries(given.map((flag) => [flag, values[flag]])) };
}

/** The flags as `readSpec` options (relative paths against `cwd`), or a usage message. */
export function parseSpecFlags(values: Readonly<Record<string, unknown>>, cwd: string): SpecReading | string {
  const limits = parseYamlLimitFlags(values);
  if (typeof limits === "string") return limits;
  const dependencies = parseDependencyFlags(values, cwd);
  if (typeof dependencies === "string") return dependencies;
  return { cwd, limits, dependencies };
}
