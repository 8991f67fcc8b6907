/**
 * The command-line flags that say how a manifest's `dependencies` are found and fetched, shared by every command
 * that reads a registry (`semtrace-codegen generate`, and `semtrace validate`, `live-check`, `stats`, `check` and
 * `diff`): their parseArgs options, their help and their parsing into `DependencyOptions`. Nothing here loads the
 * YAML parser, so a command's `--help` and argument parsing stay light (`@semtrace/spec/flags`).
 */
import path from "node:path";
import { flagHelp, wrapWords } from "../limits.js";
import { FETCH_LIMIT_OPTIONS, fetchLimitsHelp, parseFetchLimitFlags } from "./limits.js";
import type { DependencyOptions } from "./load-dependencies.js";
import { overridesFromEnv, parseOverrides } from "./overrides.js";

export const DEPENDENCY_OPTIONS = {
  ...FETCH_LIMIT_OPTIONS,
  dependency: { type: "string", multiple: true },
  offline: { type: "boolean" },
  "registry-cache": { type: "string" },
} as const;

const DEPENDENCY_FLAGS: readonly (readonly [flag: string, help: string])[] = [
  [
    "--dependency <key>=<dir>",
    "Read a dependency from a local folder instead (offline CI, a checkout of your own); <key> is its name, its " +
      'schema_url or its registry_path as written. Repeatable; also SEMTRACE_DEPENDENCIES="key=dir;key=dir".',
  ],
  ["--offline", "Never fetch: archive and git dependencies come from the cache (also SEMTRACE_OFFLINE=1)."],
  [
    "--registry-cache <dir>",
    "Where fetched registries are kept (default: SEMTRACE_CACHE_DIR, else $XDG_CACHE_HOME/semtrace/registries " +
      "or ~/.cache/semtrace/registries).",
  ],
];

/** The flags' help under a heading, descriptions at `column` and wrapped to 80 columns. */
export function dependencyHelp(column: number): string {
  return `Dependencies (the manifest's \`dependencies\`, as Weaver writes them):
${flagHelp(
  DEPENDENCY_FLAGS.map(([flag, help]) => [flag, wrapWords(help, column)] as const),
  column,
)}
${fetchLimitsHelp(column)}`;
}

/** The parsed flags (relative paths against `cwd`), or a usage message. */
export function parseDependencyFlags(
  values: Readonly<Record<string, unknown>>,
  cwd: string,
): DependencyOptions | string {
  const fetchCaps = parseFetchLimitFlags(values);
  if (typeof fetchCaps === "string") return fetchCaps;
  const given = values["dependency"] as readonly string[] | undefined;
  const bad = (given ?? []).find((entry) => !/^[^=]+=.+$/.test(entry));
  if (bad !== undefined) return `--dependency expects <key>=<dir>, found '${bad}'`;
  const cacheDir = values["registry-cache"];
  // The flags' folders are the command line's, so relative to `cwd`; the environment's are read where the loader runs.
  // Flags come first: they win over the environment's entries, whichever key of a dependency each names.
  const flagged = new Map([...parseOverrides(given ?? [])].map(([key, dir]) => [key, path.resolve(cwd, dir)] as const));
  const fromEnv = [...overridesFromEnv(process.env["SEMTRACE_DEPENDENCIES"])].filter(([key]) => !flagged.has(key));
  return {
    ...(given ? { overrides: new Map([...flagged, ...fromEnv]) } : {}),
    ...(values["offline"] === true ? { offline: true } : {}),
    ...(typeof cacheDir === "string" && cacheDir !== "" ? { cacheDir: path.resolve(cwd, cacheDir) } : {}),
    fetchLimits: fetchCaps,
  };
}
