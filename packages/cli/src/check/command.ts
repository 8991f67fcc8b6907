/**
 * `semtrace check --spec <dir> [--reporter text|json|github] [--baseline <dir | git revision>]`: load, validate
 * and resolve a registry without writing anything, and print every diagnostic with its id (the catalogue
 * `generate` uses), severity and place. With a baseline, the changes since it are checked against the registry's
 * stability promises (`compat.*` ids): a stable item removed or changed incompatibly is an error.
 */
import { parseArgs } from "node:util";
import type { Diagnostic } from "@semtrace/spec";
import { dependencyHelp, yamlLimitsHelp } from "@semtrace/spec/flags";
import { posixPath, REGISTRY_OPTIONS, registryOptions } from "../diff/registry-options.js";
import { printable } from "../validate/printable.js";

interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
}

export const CHECK_HELP = `Usage: semtrace check --spec <dir> [options]

Loads, validates and resolves a semantic-conventions registry without writing
anything, and prints every diagnostic with its id, severity and file:line:col
(the ids of 'semtrace generate'; spec/README.md §8 lists them).

Options:
  --spec <dir>          Registry directory.
  --reporter <name>     text (default), json, or github (workflow annotations).
  --baseline <source>   Also check the changes since a baseline registry: a
                        directory, or a git revision (main, v1.2.0, HEAD~1,
                        main:spec/genai) read from git without touching the
                        working tree. A stable item removed or changed
                        incompatibly is an error (compat.stable-broken); other
                        breaking changes are warnings (compat.breaking).
  --naming <preset>     otel or openinference, for registries without a manifest.
${yamlLimitsHelp(24)}
  -h, --help            Show this help.

${dependencyHelp(24)}

Exit codes: 0 no errors, 1 errors (or an unreadable baseline), 2 usage error.
`;

export async function runCheckCommand(argv: readonly string[], io: Io): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        spec: { type: "string" },
        reporter: { type: "string" },
        baseline: { type: "string" },
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
    io.stdout(CHECK_HELP);
    return 0;
  }
  const spec = values["spec"] as string | undefined;
  if (!spec) return usage(io, "missing --spec <dir>");
  const reporter = (values["reporter"] as string | undefined) ?? "text";
  if (!["text", "json", "github"].includes(reporter))
    return usage(io, `unknown --reporter ${JSON.stringify(reporter)}: expected text, json or github`);
  const options = registryOptions(values, io.cwd);
  if (typeof options === "string") return usage(io, options);
  const baseline = values["baseline"] as string | undefined;
  // The loader (and its YAML parser) only once the command line is known to be good: --help and usage errors stay light.
  const { compareRegistries, compatibilityDiagnostics, formatDiagnostic, sortDiagnostics } = await import(
    "@semtrace/spec"
  );
  const { loadSpecSource, SourceError } = await import("../diff/source.js");

  const sourceOptions = {
    cwd: io.cwd,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.dependencies ? { dependencies: options.dependencies } : {}),
    specDir: spec,
    ...(options.naming ? { naming: options.naming } : {}),
  };
  let diagnostics: Diagnostic[];
  let summary: { attributes: number; spans: number; baseline?: string; changes?: number };
  try {
    const head = await loadSpecSource(spec, sourceOptions);
    diagnostics = [...head.diagnostics];
    summary = { attributes: head.registry?.attributes.length ?? 0, spans: head.registry?.spans.length ?? 0 };
    if (baseline !== undefined) {
      const base = await loadSpecSource(baseline, sourceOptions);
      if (!base.registry) {
        for (const d of base.diagnostics) if (d.severity === "error") io.stderr(`${printable(formatDiagnostic(d))}\n`);
        io.stderr(`semtrace check: the baseline ${base.label} has errors (above); it cannot be compared against\n`);
        return 1;
      }
      if (head.registry) {
        const changes = compareRegistries(base.registry, head.registry);
        diagnostics = sortDiagnostics([...diagnostics, ...compatibilityDiagnostics(changes, posixPath(spec))]);
        summary = { ...summary, baseline: base.label, changes: changes.length };
      }
    }
  } catch (error) {
    if (error instanceof SourceError) {
      io.stderr(`semtrace check: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  const line =
    `${posixPath(spec)}: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}` +
    (errors === 0 ? ` (${summary.attributes} attributes, ${summary.spans} span definitions)` : "") +
    (summary.baseline !== undefined
      ? `; ${summary.changes} change${summary.changes === 1 ? "" : "s"} since ${summary.baseline}`
      : "");
  if (reporter === "json") {
    io.stdout(
      `${JSON.stringify({ spec: posixPath(spec), ...(summary.baseline ? { baseline: summary.baseline } : {}), errors, warnings, diagnostics }, null, 2)}\n`,
    );
  } else if (reporter === "github") {
    for (const d of diagnostics) io.stdout(`${githubAnnotation(d)}\n`);
    io.stdout(`${printable(line)}\n`);
  } else {
    for (const d of diagnostics) io.stdout(`${printable(formatDiagnostic(d))}\n`);
    io.stdout(`${printable(line)}\n`);
  }
  return errors > 0 ? 1 : 0;
}

function usage(io: Io, message: string): number {
  io.stderr(`semtrace check: ${message}\nRun 'semtrace check --help' for usage.\n`);
  return 2;
}

function ghData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function ghProperty(s: string): string {
  return ghData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function githubAnnotation(d: Diagnostic): string {
  const level = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
  return `::${level} file=${ghProperty(d.location.file)},line=${d.location.line},col=${d.location.col},title=${ghProperty(d.id)}::${ghData(d.message)}`;
}
