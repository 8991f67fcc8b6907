/**
 * Flattening: every concrete key shape a span may carry, from the registry's structures.
 * `llm.input_messages` (list of message) × `message.tool_calls` (list of tool_call) ×
 * `tool_call.id` → `llm.input_messages.<i>.message.tool_calls.<j>.tool_call.id`.
 * Shared by the type emitter (template-literal types) and, later, validators and JSON Schema.
 */
import type { Attribute, Registry } from "./resolved.js";

export type KeyPart =
  | { readonly kind: "text"; readonly text: string }
  /** `<i>`: a list index, 0-based. */
  | { readonly kind: "index"; readonly list: string }
  /** `<name>`: an open-ended template suffix. */
  | { readonly kind: "suffix" };

export interface FlatKey {
  readonly parts: readonly KeyPart[];
  /** The leaf attribute that gives this key its value type. */
  readonly attribute: Attribute;
  /** True when the key has no index or suffix: a plain property. */
  readonly plain: boolean;
}

const MAX_DEPTH = 8;

export function attributeMap(registry: Registry): ReadonlyMap<string, Attribute> {
  return new Map(registry.attributes.map((a) => [a.key, a]));
}

/** Every flattened key shape reachable from the top-level attributes, in key order. */
export function flattenRegistry(registry: Registry): FlatKey[] {
  const attrs = attributeMap(registry);
  const objects = new Map(registry.objects.map((o) => [o.id, o]));
  const out: FlatKey[] = [];
  const visit = (attr: Attribute, prefix: readonly KeyPart[], depth: number): void => {
    const here: KeyPart[] = [...prefix, { kind: "text", text: attr.key }];
    const type = attr.type;
    if (type.kind === "list" || type.kind === "object") {
      const object = objects.get(type.object);
      if (!object || depth >= MAX_DEPTH) return;
      const base: KeyPart[] =
        type.kind === "list"
          ? [...here, { kind: "text", text: "." }, { kind: "index", list: attr.key }, { kind: "text", text: "." }]
          : [...here, { kind: "text", text: "." }];
      for (const field of object.fields) {
        const fieldAttr = attrs.get(field.key);
        if (fieldAttr) visit(fieldAttr, base, depth + 1);
      }
      return;
    }
    if (type.kind === "namespace") return;
    if (type.kind === "template") {
      out.push({
        parts: normalise([...here, { kind: "text", text: "." }, { kind: "suffix" }]),
        attribute: attr,
        plain: false,
      });
      return;
    }
    const parts = normalise(here);
    out.push({ parts, attribute: attr, plain: parts.length === 1 && parts[0]!.kind === "text" });
  };
  for (const attr of registry.attributes) if (attr.topLevel) visit(attr, [], 0);
  return out;
}

/** Merges adjacent text parts. */
function normalise(parts: readonly KeyPart[]): KeyPart[] {
  const out: KeyPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.kind === "text" && last?.kind === "text")
      out[out.length - 1] = { kind: "text", text: last.text + part.text };
    else out.push(part);
  }
  return out;
}

/** `llm.input_messages.<i>.message.role` — the human-readable pattern used in docs and messages. */
export function patternText(key: FlatKey): string {
  let n = 0;
  const letters = "ijklmnpq";
  return key.parts
    .map((p) => (p.kind === "text" ? p.text : p.kind === "index" ? `<${letters[n++] ?? "n"}>` : "<key>"))
    .join("");
}
