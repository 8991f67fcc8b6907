#!/usr/bin/env node
/**
 * `semtrace-codegen generate …`: the generator's own command, so packages generated in the semtrace repository
 * (and anyone's) regenerate without the `semtrace` CLI, which depends on them. Same options and exit codes as
 * `semtrace generate` (0 success, 1 invalid spec or stale output, 2 usage error).
 */
import { readFileSync } from "node:fs";
import { runGenerateCommand } from "./cli/generate-command.js";

const PROGRAM = "semtrace-codegen";

const HELP = `${PROGRAM}: the semtrace generator (semantic-conventions YAML → typed TypeScript)

Usage: ${PROGRAM} generate --spec <dir> --out <dir> [options]

Commands:
  generate  Generate TypeScript from a YAML registry of semantic conventions

Options:
  -h, --help  Show this help
  --version   Print the version of @semtrace/codegen

Run '${PROGRAM} generate --help' for the options of generate.
`;

async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "generate") return runGenerateCommand(rest, { program: `${PROGRAM} generate` });
  if (first === "--version") {
    // dist/bin.js sits one level below package.json.
    process.stdout.write(
      `${(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version}\n`,
    );
    return 0;
  }
  if (first === "-h" || first === "--help") {
    process.stdout.write(HELP);
    return 0;
  }
  process.stderr.write(
    `${first === undefined ? "" : `${PROGRAM}: unknown command '${first}'. Valid commands: generate.\n`}${HELP}`,
  );
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
