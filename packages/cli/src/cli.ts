/**
 * The `semtrace` command router. It knows the global options (`--help`, `--version`) and the command table;
 * everything after the command name, that command's own `--help` included, belongs to the command.
 *
 * Exit codes: 0 success, 1 the command failed, 2 the command line was wrong.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

/** Where a command writes and which directory relative paths start from. Every field defaults to the process's. */
export interface CliIo {
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  cwd?: string;
}

type ResolvedIo = Required<CliIo>;

export interface Command {
  /** One line for `semtrace --help`. */
  readonly summary: string;
  /** Runs with the arguments that follow the command name; resolves to the exit code. */
  run(argv: string[], io: ResolvedIo): Promise<number>;
}

/**
 * Every command, in the order `--help` lists them. A new command is one more entry here; load its
 * implementation lazily so `semtrace --help` stays fast. Commands that write code run the generator, an
 * optional peer dependency: they load it through `withCodegen` (codegen.ts), which says what to install when
 * it is missing (`generate` and `migrate`).
 */
export const commands: Readonly<Record<string, Command>> = {
  generate: {
    summary: "Generate TypeScript from a YAML registry of semantic conventions (needs @semtrace/codegen)",
    async run(argv, io) {
      const { withCodegen } = await import("./codegen.js");
      return withCodegen("generate", io, (codegen) => codegen.runGenerateCommand(argv, io));
    },
  },
  validate: {
    summary: "Validate the spans of OTLP trace exports (JSON, JSON Lines, protobuf, gzip) against registries",
    async run(argv, io) {
      const { runValidateCommand } = await import("./validate/command.js");
      return runValidateCommand(argv, io);
    },
  },
  stats: {
    summary: "Stats of trace exports: latency, errors, tokens and cost by kind, name and model; an HTML report",
    async run(argv, io) {
      const { runStatsCommand } = await import("./stats/command.js");
      return runStatsCommand(argv, io);
    },
  },
  "live-check": {
    summary: "Receive spans over OTLP/HTTP and validate them as they arrive",
    async run(argv, io) {
      const { runLiveCheckCommand } = await import("./validate/live-check.js");
      return runLiveCheckCommand(argv, io);
    },
  },
  report: {
    summary: "Merge the json reports of several runs (CI shards, live-check instances) into one report",
    async run(argv, io) {
      const { runReportCommand } = await import("./validate/report-merge.js");
      return runReportCommand(argv, io);
    },
  },
  check: {
    summary: "Validate a YAML registry without generating; with --baseline, check its changes against its stability",
    async run(argv, io) {
      const { runCheckCommand } = await import("./check/command.js");
      return runCheckCommand(argv, io);
    },
  },
  diff: {
    summary: "Compare two versions of a registry: every change classified major/minor/patch, --changeset",
    async run(argv, io) {
      const { runDiffCommand } = await import("./diff/command.js");
      return runDiffCommand(argv, io);
    },
  },
  migrate: {
    summary:
      "Rewrite sources: renamed constants and builder fields, imports to semtrace's packages (needs @semtrace/codegen)",
    async run(argv, io) {
      const { withCodegen } = await import("./codegen.js");
      return withCodegen("migrate", io, (codegen) => codegen.runMigrateCommand(argv, io));
    },
  },
  translate: {
    summary: "Translate the spans of OTLP trace exports between OpenInference and OpenTelemetry GenAI",
    async run(argv, io) {
      const { runTranslateCommand } = await import("./translate/command.js");
      return runTranslateCommand(argv, io);
    },
  },
};

const globalOptions = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

export function helpText(): string {
  const names = Object.keys(commands);
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((name) => `  ${name.padEnd(width)}  ${commands[name]!.summary}`);
  return [
    "semtrace: typed semantic conventions for AI tracing",
    "",
    "Usage: semtrace <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    "  -h, --help  Show this help",
    "  --version   Print the version of semtrace",
    "",
    "Run 'semtrace <command> --help' for the options of a command.",
    "",
  ].join("\n");
}

function version(): string {
  // src/cli.ts and every file in dist/ sit one level below package.json.
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function resolveIo(io: CliIo): ResolvedIo {
  return {
    stdout: io.stdout ?? ((s) => void process.stdout.write(s)),
    stderr: io.stderr ?? ((s) => void process.stderr.write(s)),
    cwd: io.cwd ?? process.cwd(),
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `semtrace <argv…>` and resolves to the exit code. Never rejects. */
export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  const out = resolveIo(io);
  const validCommands = Object.keys(commands).join(", ");

  // Global options come before the command; the rest is the command's.
  const commandIndex = argv.findIndex((arg) => !arg.startsWith("-"));
  const globalArgs = commandIndex === -1 ? argv : argv.slice(0, commandIndex);

  let values: { help?: boolean; version?: boolean };
  try {
    ({ values } = parseArgs({ args: globalArgs, options: globalOptions, strict: true, allowPositionals: false }));
  } catch (error) {
    out.stderr(`semtrace: ${message(error)}\nRun 'semtrace --help' for usage.\n`);
    return 2;
  }

  if (values.version) {
    out.stdout(`${version()}\n`);
    return 0;
  }
  if (values.help) {
    out.stdout(helpText());
    return 0;
  }
  if (commandIndex === -1) {
    out.stderr(helpText());
    return 2;
  }

  const name = argv[commandIndex]!;
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    out.stderr(
      `semtrace: unknown command '${name}'. Valid commands: ${validCommands}.\nRun 'semtrace --help' for usage.\n`,
    );
    return 2;
  }

  try {
    return await command.run(argv.slice(commandIndex + 1), out);
  } catch (error) {
    out.stderr(`semtrace ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
