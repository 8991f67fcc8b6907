/**
 * Enum values. `otel` preset: one constant per member (`HTTP_REQUEST_METHOD_VALUE_GET`) plus a union
 * type per enum. `openinference` preset: an enum-like object per enum (`OpenInferenceSpanKind.LLM`)
 * that is also a union type and a namespace of member types, so code written against TypeScript
 * `enum`s (`kind: OpenInferenceSpanKind.LLM`) keeps compiling while plain strings are accepted too.
 */
import type { ModuleDeclarationStructure } from "ts-morph";
import { StructureKind } from "../util/ts-morph.js";
import type { Attribute, Registry } from "../model/resolved.js";
import { pascalCase } from "../naming/case.js";
import { memberDoc, plainDoc } from "./docs.js";
import { literal, propertyName } from "./literals.js";
import { docs, exportConst, exportObjectConst, exportType, type GeneratedFile, type Statement } from "./structures.js";

function enumAttributes(registry: Registry): Attribute[] {
  return registry.attributes.filter((a) => a.emitted && a.type.kind === "enum");
}

/** Name of the union type of an enum's values. */
export function enumValueTypeName(attr: Attribute, registry: Registry): string {
  return registry.naming === "openinference" ? attr.enumName ?? pascalCase(attr.key) : `${pascalCase(attr.key)}Value`;
}

export function emitEnums(registry: Registry): GeneratedFile {
  return {
    path: "enums.ts",
    statements: registry.naming === "otel" ? otelEnums(registry) : enumObjects(registry),
  };
}

function otelEnums(registry: Registry): Statement[] {
  const out: Statement[] = [];
  for (const attr of enumAttributes(registry)) {
    if (attr.type.kind !== "enum") continue;
    const members = attr.type.members.filter((m) => m.emitted);
    for (const member of members) out.push(exportConst(member.constName, literal(member.value), memberDoc(attr, member)));
    out.push(
      exportType(
        enumValueTypeName(attr, registry),
        [...new Set(members.map((m) => literal(m.value)))].join(" | ") || "never",
        plainDoc(`Well-known values of \`${attr.key}\`.`),
      ),
    );
  }
  return out;
}

function enumObjects(registry: Registry): Statement[] {
  const out: Statement[] = [];
  const done = new Set<string>();
  for (const attr of enumAttributes(registry)) {
    if (attr.type.kind !== "enum") continue;
    const name = enumValueTypeName(attr, registry);
    if (done.has(name)) continue; // shared by several keys (e.g. input/output MIME type)
    done.add(name);
    const users = enumAttributes(registry).filter((a) => enumValueTypeName(a, registry) === name).map((a) => `\`${a.key}\``);
    const members = attr.type.members.filter((m) => m.emitted);
    const entries = members.map((m) => ({ name: propertyName(m.constName), value: literal(m.value), doc: memberDoc(attr, m) }));
    out.push(exportObjectConst(name, entries, plainDoc(`Well-known values of ${users.join(" and ")}.`)));
    out.push(exportType(name, `(typeof ${name})[keyof typeof ${name}]`, plainDoc(`A value of ${users.join(" or ")}.`)));
    const ns: ModuleDeclarationStructure = {
      kind: StructureKind.Module,
      name,
      isExported: true,
      hasDeclareKeyword: true,
      docs: docs(plainDoc(`Member types of {@link ${name}}, as with a TypeScript \`enum\`.`)),
      statements: members
        .filter((m) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(m.constName))
        .map((m) => ({ kind: StructureKind.TypeAlias, name: m.constName, type: `typeof ${name}.${m.constName}` })),
    };
    out.push(ns);
  }
  return out;
}
