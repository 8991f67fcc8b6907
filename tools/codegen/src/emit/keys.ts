/**
 * Typed key builders for keys that are not plain strings: one per `list[...]` attribute
 * (`llmInputMessagesKey(0, "message.role")` → `"llm.input_messages.0.message.role"`), per
 * `object[...]` attribute, and (openinference preset; otel constants are builders already) per
 * template. Return types are template literals, so the result is a typed key of `AttributeTypes`.
 */
import type { FunctionDeclarationStructure } from "ts-morph";
import { StructureKind } from "../util/ts-morph.js";
import type { Attribute, Registry } from "../model/resolved.js";
import { camelCase } from "../naming/case.js";
import { plainDoc } from "./docs.js";
import { templateText } from "./literals.js";
import { docs, type GeneratedFile, type Statement } from "./structures.js";
import { objectFieldTypeName } from "./types.js";

export function keyBuilderName(attr: Attribute): string {
  return `${camelCase(attr.key)}Key`;
}

function builder(attr: Attribute, registry: Registry): { fn: FunctionDeclarationStructure; fieldType?: string } | undefined {
  const k = templateText(attr.key);
  const type = attr.type;
  const base: Pick<FunctionDeclarationStructure, "kind" | "isExported" | "name"> = { kind: StructureKind.Function, isExported: true, name: keyBuilderName(attr) };
  if (type.kind === "list") {
    const field = objectFieldTypeName(type.object, registry);
    return {
      fieldType: field,
      fn: {
        ...base,
        docs: docs(plainDoc(`Builds \`${attr.key}.<index>.<field>\`, e.g. the key of one field of the structure at \`index\` (0-based).`)),
        typeParameters: ["I extends number", `F extends ${field}`],
        parameters: [
          { name: "index", type: "I" },
          { name: "field", type: "F" },
        ],
        returnType: `\`${k}.\${I}.\${F}\``,
        statements: [`return \`${k}.\${index}.\${field}\`;`],
      },
    };
  }
  if (type.kind === "object") {
    const field = objectFieldTypeName(type.object, registry);
    return {
      fieldType: field,
      fn: {
        ...base,
        docs: docs(plainDoc(`Builds \`${attr.key}.<field>\`.`)),
        typeParameters: [`F extends ${field}`],
        parameters: [{ name: "field", type: "F" }],
        returnType: `\`${k}.\${F}\``,
        statements: [`return \`${k}.\${field}\`;`],
      },
    };
  }
  if (type.kind === "template" && registry.naming !== "otel") {
    return {
      fn: {
        ...base,
        docs: docs(plainDoc(`Builds \`${attr.key}.<key>\` (open-ended key).`)),
        typeParameters: ["K extends string"],
        parameters: [{ name: "key", type: "K" }],
        returnType: `\`${k}.\${K}\``,
        statements: [`return \`${k}.\${key}\`;`],
      },
    };
  }
  return undefined;
}

export function emitKeys(registry: Registry): GeneratedFile | undefined {
  const fns: FunctionDeclarationStructure[] = [];
  const fieldTypes = new Set<string>();
  const names = new Set<string>();
  for (const attr of registry.attributes) {
    if (!attr.emitted) continue;
    const b = builder(attr, registry);
    if (!b) continue;
    if (names.has(b.fn.name!)) continue; // two keys that camel-case alike: the first (in key order) keeps the name
    names.add(b.fn.name!);
    fns.push(b.fn);
    if (b.fieldType) fieldTypes.add(b.fieldType);
  }
  if (fns.length === 0) return undefined;
  const statements: Statement[] = [];
  if (fieldTypes.size > 0) {
    statements.push({ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: "./types.js", namedImports: [...fieldTypes].sort() });
  }
  statements.push(...fns);
  return { path: "keys.ts", statements };
}
