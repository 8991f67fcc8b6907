/**
 * `semtrace diff --base <dir | git revision> [--spec <dir>]`: compares two resolved registries, classifies every
 * change (major / minor / patch) and prints it as text, JSON or Markdown; `--changeset` records the bump of the
 * registry's package in a `.changeset/*.md`.
 */
import { parseArgs } from "node:util";
import type { Bump } from "@semtrace/spec";
import { dependencyHelp, yamlLimitsHelp } from "@semtrace/spec/flags";
import { printable } from "../validate/printable.js";
import { REGISTRY_OPTIONS, registryOptions } from "./registry-options.js";
import type { LoadedSpec } from "./source.js";

interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
}

export const DIFF_HELP = `Usage: semtrace diff --base <source> [--spec <source>] [options]

Compares two versions of a semantic-conventions registry and classifies every
change: added attributes, enum members, spans and metrics are minor; removals,
type changes, removed enum members, stricter requirements and constants or
builder fields renamed without an alias are major; renames that keep a
deprecated alias are minor; brief, note and example changes are patch.

A source is a directory, or a git revision read without touching the working
tree: <rev> (the --spec directory at that revision) or <rev>:<dir>.

Options:
  --base <source>       The registry before the change.
  --spec <source>       The registry after it (default: the <dir> of --base
                        <rev>:<dir>, as it is in the working tree).
  --format <fmt>        text (default), json, or markdown (for a pull request).
  --changeset           Write a .changeset/*.md with the bump of the registry's
                        package (manifest codegen.package) and a line per change.
                        While a package is 0.x, a breaking change bumps its minor
                        version and any other change its patch version.
  --changeset-dir <dir> Where to write it (default: .changeset at the root of
                        the git repository, else in the working directory).
  --fail-on <bump>      Exit 1 when a change of this size or larger is found
                        (major, minor or patch).
  --naming <preset>     otel or openinference, for registries without a manifest.
${yamlLimitsHelp(24)}
  -h, --help            Show this help.

${dependencyHelp(24)}

Exit codes: 0 compared (1 with --fail-on and such a change), 1 a registry has
errors or cannot be read, 2 usage error.
`;

const BUMP_ORDER: readonly Bump[] = ["major", "minor", "patch"];

export async function runDiffCommand(argv: readonly string[], io: Io): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        base: { type: "string" },
        spec: { type: "string" },
        format: { type: "string" },
        changeset: { type: "boolean" },
        "changeset-dir": { type: "string" },
        "fail-on": { type: "string" },
        ...REGISTRY_OPTIONS,
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return usage(io, (error as Error).message);
  }
  if (values["help"]) {
    io.stdout(DIFF_HELP);
    return 0;
  }
  const base = values["base"] as string | undefined;
  if (!base) return usage(io, "missing --base <dir | git revision>");
  const colon = base.indexOf(":");
  const spec = (values["spec"] as string | undefined) ?? (colon > 0 ? base.slice(colon + 1) : undefined);
  if (!spec) return usage(io, "missing --spec <dir> (needed unless --base names the directory, as <rev>:<dir>)");
  const format = (values["format"] as string | undefined) ?? "text";
  if (!["text", "json", "markdown"].includes(format))
    return usage(io, `unknown --format ${JSON.stringify(format)}: expected text, json or markdown`);
  const failOn = values["fail-on"] as string | undefined;
  if (failOn !== undefined && !BUMP_ORDER.includes(failOn as Bump))
    return usage(io, `unknown --fail-on ${JSON.stringify(failOn)}: expected major, minor or patch`);
  const options = registryOptions(values, io.cwd);
  if (typeof options === "string") return usage(io, options);
  // The loader (and its YAML parser) only once the command line is known to be good: --help and usage errors stay light.
  const {
    compareRegistries,
    formatDiagnostic,
    largestBump,
    renderChangesJson,
    renderChangesMarkdown,
    renderChangesText,
  } = await import("@semtrace/spec");
  const { loadSpecSource, SourceError } = await import("./source.js");

  const sourceOptions = {
    cwd: io.cwd,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.dependencies ? { dependencies: options.dependencies } : {}),
    specDir: spec,
    ...(options.naming ? { naming: options.naming } : {}),
  };
  let before: LoadedSpec;
  let after: LoadedSpec;
  try {
    [before, after] = await Promise.all([loadSpecSource(base, sourceOptions), loadSpecSource(spec, sourceOptions)]);
  } catch (error) {
    if (error instanceof SourceError) {
      io.stderr(`semtrace diff: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  for (const side of [before, after]) {
    if (side.registry) continue;
    for (const d of side.diagnostics) if (d.severity === "error") io.stderr(`${printable(formatDiagnostic(d))}\n`);
    io.stderr(
      `semtrace diff: ${side.label} has errors (above); run 'semtrace check --spec <dir>' for every diagnostic\n`,
    );
    return 1;
  }
  const changes = compareRegistries(before.registry!, after.registry!);
  const compared = {
    base: before.label,
    head: after.label,
    registry: after.registry!.name,
    changes,
    ...(after.registry!.packageName ? { packageName: after.registry!.packageName } : {}),
  };
  const render =
    format === "json" ? renderChangesJson : format === "markdown" ? renderChangesMarkdown : renderChangesText;
  const report = render(compared);
  // Keys and docs come from spec files: the terminal report shows their control characters escaped.
  io.stdout(format === "text" ? report.split("\n").map(printable).join("\n") : report);

  if (values["changeset"]) {
    const { writeChangeset } = await import("./changeset.js");
    const written = await writeChangeset(changes, after.registry!, {
      cwd: io.cwd,
      dir: values["changeset-dir"] as string | undefined,
    });
    if ("error" in written) {
      io.stderr(`semtrace diff: ${written.error}\n`);
      return 1;
    }
    io.stderr(
      written.path === undefined
        ? "No changes: no changeset written.\n"
        : `Wrote ${written.path} (${written.bumps.join(", ")}).\n`,
    );
  }
  return failOn !== undefined && reaches(largestBump(changes), failOn as Bump) ? 1 : 0;
}

function reaches(largest: Bump | undefined, threshold: Bump): boolean {
  return largest !== undefined && BUMP_ORDER.indexOf(largest) <= BUMP_ORDER.indexOf(threshold);
}

function usage(io: Io, message: string): number {
  io.stderr(`semtrace diff: ${message}\nRun 'semtrace diff --help' for usage.\n`);
  return 2;
}
