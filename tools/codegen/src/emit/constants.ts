/** Attribute key constants: `export const LLM_MODEL_NAME = "llm.model_name";` with JSDoc. */
import type { Attribute, Registry } from "../model/resolved.js";
import { attributeDoc } from "./docs.js";
import { stringLiteral, templateText } from "./literals.js";
import { exportConst, type GeneratedFile, type Statement } from "./structures.js";

export function constNameLookup(registry: Registry): (key: string) => string | undefined {
  const names = new Map(registry.attributes.filter((a) => a.emitted).map((a) => [a.key, a.constName]));
  return (key) => names.get(key);
}

export function attributeConstant(attr: Attribute, registry: Registry, lookup: (key: string) => string | undefined): Statement {
  if (attr.type.kind === "template" && registry.naming === "otel") {
    // OTel's packages expose templates as key builders: ATTR_HTTP_REQUEST_HEADER("content-type").
    const doc = attributeDoc(attr, lookup, [`Builds \`${attr.key}.<key>\`.`]);
    return exportConst(attr.constName, `(key: string): \`${templateText(attr.key)}.\${string}\` => \`${templateText(attr.key)}.\${key}\``, doc);
  }
  return exportConst(attr.constName, stringLiteral(attr.key), attributeDoc(attr, lookup));
}

export function emitConstants(registry: Registry): GeneratedFile {
  const lookup = constNameLookup(registry);
  return {
    path: "attributes.ts",
    statements: registry.attributes.filter((a) => a.emitted).map((a) => attributeConstant(a, registry, lookup)),
  };
}
