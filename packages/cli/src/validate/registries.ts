/**
 * Registries to validate against: built-in ones (the generated packages, dependencies of the CLI), or a spec
 * directory, which is read with @semtrace/spec (load → validate → resolve; no generator, no TypeScript), its
 * validator printed as a JavaScript module from the same plan as the generated packages' `validators.ts`, and
 * imported from a temporary file whose `@semtrace/runtime` imports point at the runtime's built ESM entries.
 */
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { RegistryValidator } from "@semtrace/runtime";
import { closest } from "@semtrace/runtime/internal";
import type { DependencyOptions, YamlLimits } from "@semtrace/spec/flags";
import { unpackWithCodegen } from "../codegen.js";
import { parseSpecFlags, type SpecReading } from "../spec-flags.js";

export const BUILT_IN_REGISTRIES = ["openinference", "genai"] as const;

/**
 * Each built-in registry's package (a dependency of the CLI), loaded when asked for only: a run against one
 * registry does not parse the other's validators.
 */
const BUILT_IN_PACKAGES: Readonly<
  Record<(typeof BUILT_IN_REGISTRIES)[number], { readonly pkg: string; readonly load: () => Promise<unknown> }>
> = {
  openinference: {
    pkg: "@semtrace/openinference",
    load: async () => (await import("@semtrace/openinference")).openinferenceRegistry,
  },
  genai: { pkg: "@semtrace/genai", load: async () => (await import("@semtrace/genai")).genaiRegistry },
};

function isBuiltIn(name: string): name is (typeof BUILT_IN_REGISTRIES)[number] {
  return (BUILT_IN_REGISTRIES as readonly string[]).includes(name);
}

export class RegistryError extends Error {}

/** How to load a registry again, in another thread: a built-in name, or the module code compiled from a spec directory. */
export type RegistrySource =
  | { readonly kind: "builtin"; readonly name: string }
  | { readonly kind: "code"; readonly code: string; readonly specDir: string };

/**
 * The registries named (built-in names or spec directories relative to `cwd`). A spec directory loads within
 * `limits` and with `dependencies` (how its manifest's dependencies are found; the environment's settings when not
 * given), as `semtrace generate` reads it.
 */
export async function loadRegistries(
  names: readonly string[],
  cwd: string,
  limits?: Partial<YamlLimits>,
  dependencies?: DependencyOptions,
): Promise<RegistryValidator[]> {
  return (
    await loadRegistrySet(names, cwd, { ...(limits ? { limits } : {}), ...(dependencies ? { dependencies } : {}) })
  ).validators;
}

/**
 * The registries, and how a worker thread loads the same ones without compiling spec directories again. Spec
 * directories are read as `reading` says (the generator's caps and the environment's dependency settings when not given).
 */
export async function loadRegistrySet(
  names: readonly string[],
  cwd: string,
  reading: SpecReading = {},
): Promise<{ validators: RegistryValidator[]; sources: RegistrySource[] }> {
  const sources: RegistrySource[] = [];
  for (const name of names) {
    if (isBuiltIn(name)) sources.push({ kind: "builtin", name });
    else {
      const specDir = resolve(cwd, name);
      await expectDirectory(name, specDir);
      sources.push({ kind: "code", code: await compileSpecDirectory(specDir, reading), specDir });
    }
  }
  return { validators: await loadRegistrySources(sources), sources };
}

/** A `--registry` that is no built-in name must be a directory: otherwise say so, and what the built-ins are. */
async function expectDirectory(name: string, specDir: string): Promise<void> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(specDir)).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (isDirectory) return;
  const suggestion = closest(name, BUILT_IN_REGISTRIES);
  throw new RegistryError(
    `unknown registry '${name}': neither a built-in registry (${BUILT_IN_REGISTRIES.join(", ")}) nor a directory${suggestion ? ` (did you mean '${suggestion}'?)` : ""}`,
  );
}

/**
 * The registries validated against when no `--registry` is given: every built-in one whose package is installed
 * (both, with the CLI's peers), and a note naming each that is not. None installed is an error.
 */
export async function defaultRegistrySet(): Promise<{
  validators: RegistryValidator[];
  sources: RegistrySource[];
  notes: string[];
}> {
  const validators: RegistryValidator[] = [];
  const sources: RegistrySource[] = [];
  const notes: string[] = [];
  const missing: string[] = [];
  for (const name of BUILT_IN_REGISTRIES) {
    try {
      validators.push(await loadBuiltIn(name));
      sources.push({ kind: "builtin", name });
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      missing.push(error.message);
      notes.push(
        `the built-in ${name} registry is not installed (npm install -D ${BUILT_IN_PACKAGES[name].pkg}), so spans are not judged against it`,
      );
    }
  }
  if (validators.length === 0) throw new RegistryError(`no built-in registry is installed: ${missing.join("; ")}`);
  return { validators, sources, notes };
}

export async function loadRegistrySources(sources: readonly RegistrySource[]): Promise<RegistryValidator[]> {
  const out: RegistryValidator[] = [];
  for (const source of sources)
    out.push(
      source.kind === "builtin"
        ? await loadBuiltIn(source.name)
        : await importRegistryCode(source.code, source.specDir),
    );
  return out;
}

async function loadBuiltIn(name: string): Promise<RegistryValidator> {
  if (!isBuiltIn(name)) throw new RegistryError(`unknown built-in registry '${name}'`);
  const { pkg, load } = BUILT_IN_PACKAGES[name];
  let registry: unknown;
  try {
    registry = await load();
  } catch (error) {
    throw new RegistryError(
      `the ${name} registry's package ${pkg} (a dependency of @semtrace/cli) cannot be loaded: reinstall @semtrace/cli (${(error as Error).message})`,
    );
  }
  if (!isRegistryValidator(registry))
    throw new RegistryError(
      `${pkg} exports no registry validator for ${name}: install a version that matches @semtrace/cli`,
    );
  return registry;
}

/** The file URL of the ESM build of `@semtrace/runtime` (`subpath` "."), or of one of its subpath exports (`./internal`), resolved from this package. */
function runtimeUrl(subpath: string): string {
  const require = createRequire(import.meta.url);
  let manifestPath: string;
  try {
    manifestPath = require.resolve("@semtrace/runtime/package.json");
  } catch {
    throw new RegistryError("cannot find @semtrace/runtime (a dependency of @semtrace/cli): reinstall @semtrace/cli");
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    exports?: Record<string, { import?: { default?: string } }>;
    module?: string;
  };
  const entry =
    manifest.exports?.[subpath]?.import?.default ??
    (subpath === "." ? (manifest.module ?? "./dist/index.js") : `./dist/${subpath.slice(2)}.js`);
  return pathToFileURL(join(dirname(manifestPath), entry)).href;
}

function isRegistryValidator(value: unknown): value is RegistryValidator {
  const v = value as Partial<RegistryValidator> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.checkKey === "function" &&
    typeof v.owns === "function" &&
    typeof v.checkRequirements === "function" &&
    Array.isArray(v.spanKinds)
  );
}

export async function loadSpecDirectory(specDir: string, reading: SpecReading = {}): Promise<RegistryValidator> {
  return importRegistryCode(await compileSpecDirectory(specDir, reading), specDir);
}

/** A spec directory → the ES module code of its validators, importing the runtime by file URL. */
export async function compileSpecDirectory(specDir: string, reading: SpecReading = {}): Promise<string> {
  const { readSpec, validatorsModule, formatDiagnostic } = await import("@semtrace/spec");
  let read: Awaited<ReturnType<typeof readSpec>>;
  try {
    read = await readSpec(specDir, {
      ...(reading.cwd ? { cwd: reading.cwd } : {}),
      ...(reading.limits ? { limits: reading.limits } : {}),
      // The generator unpacks archives, loaded when one is not yet in the registry cache.
      dependencies: { ...reading.dependencies, unpackArchive: unpackWithCodegen },
    });
  } catch (error) {
    throw new RegistryError(`cannot load the registry at ${specDir}: ${(error as Error).message}`);
  }
  const errors = read.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !read.registry) {
    const shown = errors.slice(0, 20).map((d) => `  ${formatDiagnostic(d)}`);
    throw new RegistryError(
      `the registry at ${specDir} has ${errors.length} error(s):\n${shown.join("\n")}${errors.length > 20 ? "\n  …" : ""}`,
    );
  }
  // The validators import `@semtrace/runtime/internal` and re-export from `@semtrace/runtime`.
  return validatorsModule(read.registry).replace(
    /(from\s*)(["'])@semtrace\/runtime(\/internal)?\2/g,
    (_m, from: string, _q: string, internal: string | undefined) =>
      `${from}${JSON.stringify(runtimeUrl(internal ? "./internal" : "."))}`,
  );
}

/** Imports compiled validator code (from a temporary file: ES modules load from URLs) and finds its registry. */
async function importRegistryCode(code: string, specDir: string): Promise<RegistryValidator> {
  const dir = await mkdtemp(join(tmpdir(), "semtrace-registry-"));
  try {
    const file = join(dir, "validators.mjs");
    await writeFile(file, code);
    const module = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
    const registry = Object.values(module).find(isRegistryValidator);
    if (!registry) throw new RegistryError(`the validators generated for ${specDir} export no registry validator`);
    return registry;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The start every command that validates shares: parse its arguments, answer `--help`, load the
 * registries (without `--registry`: every installed built-in one, see {@link defaultRegistrySet}). Returns the settings and registries, or the exit code to stop with (2 for usage and
 * registry errors, 0 after help), having printed why.
 */
export async function prepareCommand<
  S extends { registries?: readonly string[]; specFlags?: Readonly<Record<string, unknown>> },
>(
  command: string,
  parsed: S | { help: true } | string,
  help: string,
  io: { stdout: (s: string) => void; stderr: (s: string) => void; cwd: string },
): Promise<{ settings: S; registries: RegistryValidator[]; sources: RegistrySource[] } | number> {
  if (typeof parsed === "string") {
    io.stderr(`semtrace ${command}: ${parsed}\nRun 'semtrace ${command} --help' for usage.\n`);
    return 2;
  }
  if ("help" in parsed) {
    io.stdout(help);
    return 0;
  }
  const reading = parseSpecFlags(parsed.specFlags ?? {}, io.cwd);
  if (typeof reading === "string") {
    io.stderr(`semtrace ${command}: ${reading}\nRun 'semtrace ${command} --help' for usage.\n`);
    return 2;
  }
  try {
    if (parsed.registries === undefined || parsed.registries.length === 0) {
      const { validators, sources, notes } = await defaultRegistrySet();
      for (const note of notes) io.stderr(`semtrace ${command}: note: ${note}\n`);
      return { settings: parsed, registries: validators, sources };
    }
    const { validators, sources } = await loadRegistrySet(parsed.registries, io.cwd, reading);
    return { settings: parsed, registries: validators, sources };
  } catch (error) {
    if (error instanceof RegistryError) {
      io.stderr(`semtrace ${command}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
