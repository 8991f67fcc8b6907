/**
 * The stable entry of a registry generated with `codegen.incubating_entry` (as @opentelemetry/semantic-conventions'
 * root entry): the constants of stable, emitted items only — attributes, their stable enum values, metrics and
 * events — re-exported by name from the files that declare them. Everything else is in `index-incubating.ts`.
 */
import type { CodeFile, Declaration, GeneratedFile, Registry, Stability } from "@semtrace/spec/internal";

const stable = (s: Stability) => s === "stable";

export function emitStableIndex(registry: Registry, files: readonly GeneratedFile[]): CodeFile {
  const attributes = registry.attributes.filter((a) => a.emitted && stable(a.stability));
  const values = attributes.flatMap((a) =>
    a.type.kind === "enum"
      ? a.type.members.filter((m) => m.emitted && stable(m.stability)).map((m) => m.constName)
      : [],
  );
  const metrics = registry.metrics.filter((m) => m.emitted && stable(m.stability)).map((m) => m.constName);
  const events = registry.events.filter((e) => e.emitted && stable(e.stability)).map((e) => e.constName);
  const present = new Set(files.map((f) => f.path));
  const reexport = (path: string, names: readonly string[]): Declaration[] =>
    names.length === 0 || !present.has(path)
      ? []
      : [{ kind: "export-from", from: `./${path.replace(/\.ts$/, ".js")}`, names: [...new Set(names)].sort() }];
  return {
    kind: "code",
    path: "index.ts",
    doc: `The stable constants of the \`${registry.name}\` registry. Incubating (not yet stable) items, and everything else generated, are in \`index-incubating.ts\`.`,
    declarations: [
      ...reexport(
        "attributes.ts",
        attributes.map((a) => a.constName),
      ),
      ...reexport("enums.ts", values),
      ...reexport("metrics.ts", metrics),
      ...reexport("events.ts", events),
    ],
  };
}
