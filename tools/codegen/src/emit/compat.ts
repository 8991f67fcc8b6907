/**
 * What keeps code written against the upstream package compiling: its prefix/postfix objects and
 * `SemanticConventions`, prefix-only constants, and its enums under their upstream names with exactly
 * upstream's members (`codegen.compat_enums`), so an exhaustive `switch` or `Record<Enum, …>` over upstream's
 * enum compiles against ours. The registry's own enums (enums.ts) keep every value any source knows.
 */
import {
  constant,
  object,
  stringLiteral,
  type Attribute,
  type CodeFile,
  type CompatEnum,
  type Declaration,
  type Registry,
} from "@semtrace/spec/internal";
import { docContext, keyLink, stabilityNote, type DocContext } from "./docs.js";
import { enumObject, enumValueTypeName, linkImport } from "./enums.js";

function compatEnum(compat: CompatEnum, registry: Registry, ctx: DocContext): Declaration[] {
  const attr = registry.attributes.find((a) => a.key === compat.attribute)!;
  const users = registry.attributes.filter(
    (a) => a.emitted && a.type.kind === "enum" && enumValueTypeName(a, registry) === enumValueTypeName(attr, registry),
  );
  const own = enumValueTypeName(attr, registry);
  const doc =
    `The upstream package's \`${compat.name}\`, with exactly its members, so code written against it compiles unchanged. ` +
    `{@link ${own}} holds every well-known value of ${users.map((a) => keyLink(a.key, ctx)).join(" and ")}.`;
  return enumObject(compat.name, compat.members, users, ctx, doc);
}

function linkedAttributes(registry: Registry): Attribute[] {
  const keys = new Set(registry.compatEnums.map((c) => c.attribute));
  const names = new Set(registry.attributes.filter((a) => keys.has(a.key)).map((a) => enumValueTypeName(a, registry)));
  return registry.attributes.filter(
    (a) => a.emitted && a.type.kind === "enum" && names.has(enumValueTypeName(a, registry)),
  );
}

export function emitCompat(registry: Registry): CodeFile | undefined {
  if (registry.compatObjects.length === 0 && registry.prefixConstants.length === 0 && registry.compatEnums.length === 0)
    return undefined;
  const ctx = docContext(registry);
  const note = stabilityNote(registry);
  const ownEnums = [
    ...new Set(
      registry.compatEnums.map((c) =>
        enumValueTypeName(registry.attributes.find((a) => a.key === c.attribute)!, registry),
      ),
    ),
  ].sort();
  return {
    kind: "code",
    path: "compat.ts",
    doc: ["Kept for compatibility with code written against the upstream package.", ...(note ? [note] : [])].join(
      "\n\n",
    ),
    declarations: [
      ...linkImport(linkedAttributes(registry)),
      ...(ownEnums.length > 0
        ? [{ kind: "import" as const, typeOnly: true, from: "./enums.js", names: ownEnums.map((name) => ({ name })) }]
        : []),
      ...registry.prefixConstants.map(([name, value]) =>
        constant(name, stringLiteral(value), { exported: true, doc: `The key prefix \`${value}\`.` }),
      ),
      ...registry.compatObjects.map((compat) =>
        constant(
          compat.name,
          {
            kind: "as",
            expr: object(compat.entries.map(([p, v]) => ({ name: p, value: stringLiteral(v) }))),
            type: "const",
          },
          {
            exported: true,
            doc: "Kept for compatibility with code written against the upstream package; derived from the registry's keys.",
          },
        ),
      ),
      ...registry.compatEnums.flatMap((compat) => compatEnum(compat, registry, ctx)),
    ],
  };
}
