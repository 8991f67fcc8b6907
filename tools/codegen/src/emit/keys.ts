/**
 * Typed key builders for keys that are not plain strings: one per `list[...]` attribute
 * (`llmInputMessagesKey(0, "message.role")` → `"llm.input_messages.0.message.role"`), per
 * `object[...]` attribute, and (openinference preset; otel constants are builders already) per
 * template. Return types are template literals, so the result is a typed key of `AttributeTypes`.
 */
import {
  hasKeyBuilder,
  keyBuilderName,
  objectFieldTypeName,
  ret,
  templateText,
  type Attribute,
  type CodeFile,
  type Declaration,
  type FunctionDeclaration,
  type Registry,
} from "@semtrace/spec/internal";

function builder(attr: Attribute, registry: Registry): { fn: FunctionDeclaration; fieldType?: string } | undefined {
  const k = templateText(attr.key);
  const type = attr.type;
  if (!hasKeyBuilder(type.kind, registry.naming)) return undefined;
  const base = { kind: "function", exported: true, name: keyBuilderName(attr.key) } as const;
  if (type.kind === "list") {
    const field = objectFieldTypeName(type.object, registry.name);
    return {
      fieldType: field,
      fn: {
        ...base,
        doc: `Builds \`${attr.key}.<index>.<field>\`, e.g. the key of one field of the structure at \`index\` (0-based).`,
        typeParams: ["I extends number", `F extends ${field}`],
        params: [
          { name: "index", type: "I" },
          { name: "field", type: "F" },
        ],
        returnType: `\`${k}.\${I}.\${F}\``,
        body: [ret(`\`${k}.\${index}.\${field}\``)],
      },
    };
  }
  if (type.kind === "object") {
    const field = objectFieldTypeName(type.object, registry.name);
    return {
      fieldType: field,
      fn: {
        ...base,
        doc: `Builds \`${attr.key}.<field>\`.`,
        typeParams: [`F extends ${field}`],
        params: [{ name: "field", type: "F" }],
        returnType: `\`${k}.\${F}\``,
        body: [ret(`\`${k}.\${field}\``)],
      },
    };
  }
  if (type.kind === "template") {
    return {
      fn: {
        ...base,
        doc: `Builds \`${attr.key}.<key>\` (open-ended key).`,
        typeParams: ["K extends string"],
        params: [{ name: "key", type: "K" }],
        returnType: `\`${k}.\${K}\``,
        body: [ret(`\`${k}.\${key}\``)],
      },
    };
  }
  return undefined;
}

export function emitKeys(registry: Registry): CodeFile | undefined {
  const fns: FunctionDeclaration[] = [];
  const fieldTypes = new Set<string>();
  const names = new Set<string>();
  for (const attr of registry.attributes) {
    if (!attr.emitted) continue;
    const b = builder(attr, registry);
    if (!b) continue;
    if (names.has(b.fn.name)) continue; // two keys that camel-case alike: the first (in key order) keeps the name
    names.add(b.fn.name);
    fns.push(b.fn);
    if (b.fieldType) fieldTypes.add(b.fieldType);
  }
  if (fns.length === 0) return undefined;
  const declarations: Declaration[] = [];
  if (fieldTypes.size > 0)
    declarations.push({
      kind: "import",
      typeOnly: true,
      from: "./types.js",
      names: [...fieldTypes].sort().map((name) => ({ name })),
    });
  declarations.push(...fns);
  return {
    kind: "code",
    path: "keys.ts",
    doc: "Key builders for the keys that are not plain strings: elements of lists, nested structures and open-ended keys.",
    declarations,
  };
}
