/**
 * Enum values. `otel` preset: one constant per member (`HTTP_REQUEST_METHOD_VALUE_GET`) plus a union type per
 * enum. `openinference` preset: an enum-like object per enum (`OpenInferenceSpanKindValues.LLM`) that is also a
 * union type and a namespace of member types, so code written against TypeScript `enum`s
 * (`kind: OpenInferenceSpanKindValues.LLM`) keeps compiling while plain strings are accepted too. Every member's
 * doc links the attribute it is a value of.
 */
import {
  constant,
  enumTypeName,
  literal,
  object,
  typeAlias,
  union,
  type Attribute,
  type CodeFile,
  type Declaration,
  type EnumMember,
  type Import,
  type Registry,
} from "@semtrace/spec/internal";
import { docContext, keyLink, memberDoc, stabilityNote, type DocContext } from "./docs.js";

function enumAttributes(registry: Registry): Attribute[] {
  return registry.attributes.filter((a) => a.emitted && a.type.kind === "enum");
}

/** Name of the union type of an enum's values (naming/exports.ts `enumTypeName`, as resolved into `enumName`). */
export function enumValueTypeName(attr: Attribute, registry: Registry): string {
  return attr.enumName ?? enumTypeName(attr.key, registry.naming, undefined);
}

/** `import type { … } from "./attributes.js"` for the constants the docs link (erased from the output: docs only). */
export function linkImport(attrs: readonly Attribute[]): Import[] {
  const names = [...new Set(attrs.filter((a) => a.emitted).map((a) => a.constName))].sort();
  return names.length === 0
    ? []
    : [{ kind: "import", typeOnly: true, from: "./attributes.js", names: names.map((name) => ({ name })) }];
}

/**
 * The enum-like object `name` of `members`, its union type and its namespace of member types: how an
 * upstream TypeScript `enum` is mirrored (`kind: X.LLM` and `"LLM"` both type-check).
 */
export function enumObject(
  name: string,
  members: readonly EnumMember[],
  attrs: readonly Attribute[],
  ctx: DocContext,
  doc: string,
): Declaration[] {
  const keys = attrs.map((a) => `\`${a.key}\``);
  return [
    constant(
      name,
      {
        kind: "as",
        expr: object(
          members.map((m) => ({ name: m.constName, value: literal(m.value), doc: memberDoc(attrs, m, ctx) })),
        ),
        type: "const",
      },
      { exported: true, doc },
    ),
    typeAlias(name, `(typeof ${name})[keyof typeof ${name}]`, `A value of ${keys.join(" or ")}.`),
    {
      kind: "namespace",
      name,
      exported: true,
      doc: `Member types of {@link ${name}}, as with a TypeScript \`enum\`.`,
      members: members
        .filter((m) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(m.constName))
        .map((m) => ({ kind: "type-alias", name: m.constName, type: `typeof ${name}.${m.constName}` })),
    },
  ];
}

export function emitEnums(registry: Registry): CodeFile {
  const ctx = docContext(registry);
  const attrs = enumAttributes(registry);
  const note = stabilityNote(registry);
  return {
    kind: "code",
    path: "enums.ts",
    doc: [
      `The well-known values of the \`${registry.name}\` registry's enum attributes.`,
      ...(note ? [note] : []),
    ].join("\n\n"),
    declarations: [
      ...linkImport(attrs),
      ...(registry.naming === "otel" ? otelEnums(registry, attrs, ctx) : enumObjects(registry, attrs, ctx)),
    ],
  };
}

function otelEnums(registry: Registry, attrs: readonly Attribute[], ctx: DocContext): Declaration[] {
  const out: Declaration[] = [];
  for (const attr of attrs) {
    if (attr.type.kind !== "enum") continue;
    const members = attr.type.members.filter((m) => m.emitted);
    for (const member of members)
      out.push(
        constant(member.constName, literal(member.value), { exported: true, doc: memberDoc([attr], member, ctx) }),
      );
    const values = [...new Set(members.map((m) => literal(m.value)))];
    out.push(
      typeAlias(
        enumValueTypeName(attr, registry),
        values.length === 0 ? "never" : union(values),
        `Well-known values of {@link ${attr.constName}}.`,
      ),
    );
  }
  return out;
}

function enumObjects(registry: Registry, attrs: readonly Attribute[], ctx: DocContext): Declaration[] {
  const out: Declaration[] = [];
  const done = new Set<string>();
  for (const attr of attrs) {
    if (attr.type.kind !== "enum") continue;
    const name = enumValueTypeName(attr, registry);
    if (done.has(name)) continue; // shared by several keys (e.g. input/output MIME type)
    done.add(name);
    const users = attrs.filter((a) => enumValueTypeName(a, registry) === name);
    const members = attr.type.members.filter((m) => m.emitted);
    // Links in this doc (not only in the members') make the constants' import count as used.
    const doc = `Well-known values of ${users.map((a) => keyLink(a.key, ctx)).join(" and ")}.`;
    out.push(...enumObject(name, members, users, ctx, doc));
  }
  return out;
}
