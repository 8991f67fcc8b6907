/**
 * Type-level view of a registry: `AttributeTypes` maps every key a span may carry (plain keys as
 * properties, indexed and open-ended keys as template-literal index signatures) to its value type;
 * one `…Field` union per object group lists the relative keys of that structure.
 */
import {
  attributeMap,
  flattenRegistry,
  objectFieldTypeName,
  patternText,
  stringLiteral,
  templateText,
  typeAlias,
  union,
  valueTypeOf,
  type Attribute,
  type CodeFile,
  type Declaration,
  type FlatKey,
  type IndexSignature,
  type ObjectType,
  type PropertySignature,
  type Registry,
  type TypeNode,
} from "@semtrace/spec/internal";
import { attributeDoc, docContext } from "./docs.js";
import { enumValueTypeName } from "./enums.js";

function templateType(key: FlatKey): string {
  return `\`${key.parts.map((p) => (p.kind === "text" ? templateText(p.text) : p.kind === "index" ? "${number}" : "${string}")).join("")}\``;
}

function enumTypeNameFor(attr: Attribute, registry: Registry): string | undefined {
  return attr.type.kind === "enum" && registry.naming === "openinference"
    ? enumValueTypeName(attr, registry)
    : undefined;
}

/** Relative key shapes of one object's fields, nested structures expanded by reference to their own `…Field` type. */
export function fieldUnion(object: ObjectType, registry: Registry, attrs: ReadonlyMap<string, Attribute>): TypeNode {
  const parts: string[] = [];
  for (const field of object.fields) {
    const attr = attrs.get(field.key);
    if (!attr) continue;
    const k = templateText(attr.key);
    switch (attr.type.kind) {
      case "list":
        parts.push(`\`${k}.\${number}.\${${objectFieldTypeName(attr.type.object, registry.name)}}\``);
        break;
      case "object":
        parts.push(`\`${k}.\${${objectFieldTypeName(attr.type.object, registry.name)}}\``);
        break;
      case "template":
        parts.push(`\`${k}.\${string}\``);
        break;
      case "namespace":
        break;
      default:
        parts.push(stringLiteral(attr.key));
    }
  }
  return parts.length ? union(parts) : "never";
}

export function emitTypes(registry: Registry): CodeFile {
  const attrs = attributeMap(registry);
  const ctx = docContext(registry);
  const flat = flattenRegistry(registry).filter((k) => k.attribute.emitted);
  const usedEnums = new Set<string>();
  const valueType = (attr: Attribute): TypeNode => {
    const enumName = enumTypeNameFor(attr, registry);
    if (enumName) usedEnums.add(enumName);
    return valueTypeOf(attr, enumName) ?? "never";
  };
  const properties: PropertySignature[] = [];
  const indexSignatures: IndexSignature[] = [];
  const seenPatterns = new Set<string>();
  for (const key of flat) {
    if (key.plain) {
      // The flattened key: a field under `object[...]` attributes is plain too (`<object key>.<field key>`).
      const name = patternText(key);
      if (seenPatterns.has(name)) continue;
      seenPatterns.add(name);
      properties.push({
        kind: "property-signature",
        name,
        type: valueType(key.attribute),
        doc: attributeDoc(key.attribute, ctx),
      });
      continue;
    }
    const pattern = templateType(key);
    if (seenPatterns.has(pattern)) continue;
    seenPatterns.add(pattern);
    indexSignatures.push({
      kind: "index-signature",
      keyName: "key",
      keyType: pattern,
      type: valueType(key.attribute),
      doc: `\`${patternText(key)}\`: ${key.attribute.brief.trim() || key.attribute.key}`,
    });
  }
  const declarations: Declaration[] = [];
  if (usedEnums.size > 0)
    declarations.push({
      kind: "import",
      typeOnly: true,
      from: "./enums.js",
      names: [...usedEnums].sort().map((name) => ({ name })),
    });
  declarations.push({
    kind: "interface",
    name: "AttributeTypes",
    exported: true,
    doc: `Every attribute key of the \`${registry.name}\` registry a span may carry, with its value type. Indexed keys (lists of structures) and open-ended keys are template-literal index signatures.`,
    members: [...indexSignatures, ...properties],
  });
  declarations.push(typeAlias("AttributeKey", "keyof AttributeTypes & string", "Any key of {@link AttributeTypes}."));
  declarations.push(
    typeAlias("AttributeValue", "AttributeTypes[K]", "The value type of key `K`.", ["K extends AttributeKey"]),
  );
  declarations.push(
    typeAlias(
      "Attributes",
      "{ [K in AttributeKey]?: AttributeTypes[K] }",
      "A flat attribute record of this registry's keys, e.g. for `span.setAttributes`.",
    ),
  );
  for (const object of registry.objects) {
    declarations.push(
      typeAlias(
        objectFieldTypeName(object.id, registry.name),
        fieldUnion(object, registry, attrs),
        `Relative keys of one \`${object.id}\` structure${object.brief ? `: ${object.brief.trim()}` : "."}`,
      ),
    );
  }
  return {
    kind: "code",
    path: "types.ts",
    doc: `The value types of the \`${registry.name}\` registry: {@link AttributeTypes} maps every key a span may carry to the type of its value.`,
    declarations,
  };
}
