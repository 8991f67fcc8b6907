/** Attribute key constants: `export const LLM_MODEL_NAME = "llm.model_name";` with its docs. */
import {
  constant,
  stringLiteral,
  templateText,
  type Attribute,
  type CodeFile,
  type Declaration,
  type Registry,
} from "@semtrace/spec/internal";
import { attributeDoc, docContext, stabilityNote, type DocContext } from "./docs.js";

export function attributeConstant(attr: Attribute, registry: Registry, ctx: DocContext): Declaration {
  if (attr.type.kind === "template" && registry.naming === "otel") {
    // OTel's packages expose templates as key builders: ATTR_HTTP_REQUEST_HEADER("content-type").
    const doc = attributeDoc(attr, ctx, [`Builds \`${attr.key}.<key>\`.`]);
    const key = templateText(attr.key);
    return constant(
      attr.constName,
      {
        kind: "arrow",
        params: [{ name: "key", type: "string" }],
        returnType: `\`${key}.\${string}\``,
        body: `\`${key}.\${key}\``,
      },
      { exported: true, doc },
    );
  }
  return constant(attr.constName, stringLiteral(attr.key), { exported: true, doc: attributeDoc(attr, ctx) });
}

export function emitConstants(registry: Registry): CodeFile {
  const ctx = docContext(registry);
  const note = stabilityNote(registry);
  return {
    kind: "code",
    path: "attributes.ts",
    doc: [`The attribute keys of the \`${registry.name}\` registry, one constant each.`, ...(note ? [note] : [])].join(
      "\n\n",
    ),
    declarations: registry.attributes.filter((a) => a.emitted).map((a) => attributeConstant(a, registry, ctx)),
  };
}
