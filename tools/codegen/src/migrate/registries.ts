/**
 * The registries whose renames migrate applies: semtrace's built-in ones (spec/openinference and spec/genai, which
 * the build copies into dist/registries so an installed generator has them) and any the user names with --spec.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { formatDiagnostic, readSpec, type Diagnostic, type ReadSpecOptions } from "@semtrace/spec/internal";
import { unpackArchive } from "../unpack/extract.js";
import { packageFacts, type PackageFacts } from "./facts.js";

export const BUILT_IN_REGISTRIES = ["openinference", "genai"] as const;

/** Where the built-in registries are: beside the bundle (dist/registries) or, run from source, the repo's spec/. */
export function builtInRegistryDir(name: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.join(here, "registries", name), path.resolve(here, "../../../../spec", name)]) {
    if (existsSync(path.join(candidate, "manifest.yaml"))) return candidate;
  }
  throw new Error(
    `the built-in registry ${name} is missing from this installation of @semtrace/codegen (looked beside ${here})`,
  );
}

export class RegistryError extends Error {}

/**
 * Reads each registry (within `reading`'s YAML caps, its dependencies found as `reading` says) and derives its facts;
 * a registry with errors, or without `codegen.package`, is an error.
 */
export async function readRegistryFacts(
  dirs: readonly string[],
  cwd: string,
  reading: Pick<ReadSpecOptions, "limits" | "dependencies"> = {},
): Promise<PackageFacts[]> {
  const out: PackageFacts[] = [];
  for (const dir of dirs) {
    const { registry, diagnostics } = await readSpec(dir, {
      cwd,
      ...(reading.limits ? { limits: reading.limits } : {}),
      dependencies: { ...reading.dependencies, unpackArchive },
    });
    const errors = diagnostics.filter((d: Diagnostic) => d.severity === "error");
    if (!registry || errors.length > 0)
      throw new RegistryError(`${dir}: the registry has errors:\n${errors.map((d) => formatDiagnostic(d)).join("\n")}`);
    if (registry.packageName === undefined)
      throw new RegistryError(
        `${dir}: the manifest names no codegen.package, so migrate cannot tell which imports are its package's`,
      );
    out.push(packageFacts(registry, registry.packageName));
  }
  return out;
}
