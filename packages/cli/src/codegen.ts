/**
 * The generator, for the commands that write code (`semtrace generate`, and `semtrace migrate`, its codemod).
 * @semtrace/codegen is an optional peer dependency of the CLI: validating never loads it, so `npx @semtrace/cli
 * validate` installs neither the generator nor what it needs, and a command that does need it says
 * exactly what to install.
 */
import { readFileSync } from "node:fs";
import type { ArchiveUnpacker } from "@semtrace/spec";

export const CODEGEN_PACKAGE = "@semtrace/codegen";

type Codegen = typeof import("@semtrace/codegen");

interface Io {
  readonly stderr: (s: string) => void;
}

/** The range of @semtrace/codegen this CLI works with (its peer dependency). */
function codegenRange(): string {
  // src/codegen.ts and every file in dist/ sit one level below package.json.
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    peerDependencies?: Record<string, string>;
  };
  return pkg.peerDependencies?.[CODEGEN_PACKAGE] ?? "latest";
}

function isCodegenMissing(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  // ESM: ERR_MODULE_NOT_FOUND "Cannot find package '@semtrace/codegen' imported from …"; a missing dependency of
  // an installed generator names that dependency instead, and is not this case.
  return (
    (e?.code === "ERR_MODULE_NOT_FOUND" || e?.code === "MODULE_NOT_FOUND") &&
    typeof e.message === "string" &&
    e.message.includes(`'${CODEGEN_PACKAGE}'`)
  );
}

/** The message for a command run without the generator installed. */
export function codegenMissingMessage(command: string): string {
  return (
    `semtrace ${command}: needs the generator, ${CODEGEN_PACKAGE}, which is not installed (semtrace validate and live-check do not).\n` +
    `Install it next to @semtrace/cli:\n  npm install --save-dev "${CODEGEN_PACKAGE}@${codegenRange()}"\n`
  );
}

/**
 * The generator's archive unpacker, for a spec directory whose `dependencies` name an archive not yet in the
 * registry cache (the one part of reading a registry that needs the generator's libraries): loaded on first use;
 * without the generator, the dependency's error says what to install.
 */
export const unpackWithCodegen: ArchiveUnpacker = async (file, format, display, target, limits) => {
  let codegen: Codegen;
  try {
    // biome-ignore lint/style/noRestrictedImports: loads the generator on demand, like withCodegen, for archives alone.
    codegen = await import("@semtrace/codegen");
  } catch (error) {
    if (!isCodegenMissing(error)) throw error;
    throw new Error(
      `unpacking the archive ${display} needs the generator, ${CODEGEN_PACKAGE}, which is not installed (npm install --save-dev "${CODEGEN_PACKAGE}@${codegenRange()}")`,
    );
  }
  return codegen.unpackArchive(file, format, display, target, limits);
};

/**
 * Runs `run` with the generator loaded, or prints what to install and resolves to 2 (a usage error: the command
 * cannot run as installed) when it is missing.
 */
export async function withCodegen(
  command: string,
  io: Io,
  run: (codegen: Codegen) => Promise<number>,
): Promise<number> {
  let codegen: Codegen;
  try {
    // biome-ignore lint/style/noRestrictedImports: the one place that loads the generator, on demand.
    codegen = await import("@semtrace/codegen");
  } catch (error) {
    if (!isCodegenMissing(error)) throw error;
    io.stderr(codegenMissingMessage(command));
    return 2;
  }
  return run(codegen);
}
