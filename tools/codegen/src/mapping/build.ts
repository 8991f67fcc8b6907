/**
 * The mapping pipeline: read and check the mapping against its two registries (@semtrace/spec's `readMapping`)
 * → emit the translation functions → print, then write or check (the same printer as a registry's).
 */
import {
  hasErrors,
  readMapping,
  readMappingText,
  type Diagnostic,
  type MappingHeader,
  type MappingResult,
  type ReadMappingOptions,
} from "@semtrace/spec/internal";
import { printFiles } from "../write/print.js";
import { compareOutput, writeOutput, type WriteResult } from "../write/write.js";
import { emitMapping } from "./emit.js";

export interface MappingBuild {
  readonly diagnostics: readonly Diagnostic[];
  readonly header?: MappingHeader;
  readonly plan?: MappingResult["plan"];
  readonly files: ReadonlyMap<string, string>;
}

export interface MappingOptions extends ReadMappingOptions {
  /** The command named in the generated files' banner. */
  readonly command?: string;
}

function emitted(file: string, read: MappingResult, options: MappingOptions): MappingBuild {
  if (!read.plan || !read.header || hasErrors(read.diagnostics)) return { ...read, files: new Map() };
  const files = printFiles(emitMapping(read.header, read.plan), {
    registry: read.header.name,
    command: options.command ?? `semtrace-codegen generate --mapping ${file}`,
  });
  return { ...read, files };
}

/** Builds a mapping from its file's text; `file` is the path shown in diagnostics, registries resolve from its folder. */
export async function buildMappingFromText(
  file: string,
  text: string,
  options: MappingOptions = {},
): Promise<MappingBuild> {
  return emitted(file, await readMappingText(file, text, options), options);
}

export async function buildMapping(file: string, options: MappingOptions = {}): Promise<MappingBuild> {
  return emitted(file, await readMapping(file, options), options);
}

export interface GenerateMappingResult extends MappingBuild {
  readonly write?: WriteResult;
}

export async function generateMapping(
  options: MappingOptions & { mapping: string; out: string; check?: boolean },
): Promise<GenerateMappingResult> {
  const built = await buildMapping(options.mapping, options);
  if (hasErrors(built.diagnostics) || built.files.size === 0) return built;
  const write = options.check
    ? await compareOutput(options.out, built.files)
    : await writeOutput(options.out, built.files);
  return { ...built, write };
}
