/** Reading attribute definitions, references and their parts; shared by the v1 and v2 readers. */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from "yaml";
import type {
  PrimitiveTypeName,
  RawAttributeCommon,
  RawAttributeDefinition,
  RawAttributeReference,
  RawDeprecated,
  RawDocs,
  RawEnumMember,
  RawRequirementLevel,
  RawType,
} from "../model/raw.js";
import { readAnnotations } from "./annotations.js";
import type { Reader } from "./reader.js";
import { mapGet } from "./yaml-source.js";

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveTypeName>([
  "string",
  "int",
  "double",
  "boolean",
  "string[]",
  "int[]",
  "double[]",
  "boolean[]",
  "any",
]);

/** Parses a type written as text: primitives, `template[T]`, `list[obj]`, `object[obj]`, `namespace`. */
export function parseTypeText(text: string): RawType {
  const t = text.trim();
  if (PRIMITIVES.has(t)) return { kind: "primitive", name: t as PrimitiveTypeName };
  if (t === "namespace") return { kind: "namespace" };
  const bracket = /^(template|list|object)\[(.+)\]$/.exec(t);
  if (bracket) {
    const [, form, inner = ""] = bracket;
    if (form === "template") {
      return PRIMITIVES.has(inner)
        ? { kind: "template", inner: inner as PrimitiveTypeName }
        : { kind: "unknown", text: t };
    }
    if (/^[A-Za-z0-9_.-]+$/.test(inner)) return { kind: form === "list" ? "list" : "object", object: inner };
  }
  return { kind: "unknown", text: t };
}

function readType(r: Reader, map: YAMLMap, context: string): RawType | undefined {
  const node = mapGet(map, "type");
  if (node === undefined) return undefined;
  if (isScalar(node) && typeof node.value === "string") return parseTypeText(node.value);
  if (isMap(node)) {
    const membersNode = mapGet(node, "members");
    if (!isSeq(membersNode)) {
      r.expected("`members:` (a sequence of enum members)", membersNode, `${context} enum type`, node);
      return { kind: "enum", members: [] };
    }
    const members: RawEnumMember[] = [];
    for (const item of membersNode.items) {
      const member = readEnumMember(r, item as Node, `${context} enum member`, membersNode as unknown as Node);
      if (member) members.push(member);
    }
    return { kind: "enum", members };
  }
  r.expected("a type name or an enum (`members:`)", node, context, map);
  return undefined;
}

function readEnumMember(r: Reader, node: Node, context: string, fallback: Node): RawEnumMember | undefined {
  const map = r.map(node, context, fallback);
  if (!map) return undefined;
  const id = r.string(map, "id", context);
  const valueNode = mapGet(map, "value");
  let value: string | number | boolean | undefined;
  if (isScalar(valueNode) && ["string", "number", "boolean"].includes(typeof valueNode.value)) {
    value = valueNode.value as string | number | boolean;
  } else {
    r.expected("a string, int or boolean `value`", valueNode, `${context} ${id ?? ""}`.trim(), map);
  }
  if (id === undefined) {
    r.expected("an `id`", mapGet(map, "id"), context, map);
    return undefined;
  }
  if (value === undefined) return undefined;
  return {
    id,
    value,
    ...readDocs(r, map, context),
    ...opt("stability", r.string(map, "stability", context)),
    ...opt("deprecated", readDeprecated(r, map, context)),
    ...readAnnotations(r, map, context),
    location: r.loc(map),
  };
}

export function readDeprecated(r: Reader, map: YAMLMap, context: string): RawDeprecated | undefined {
  const node = mapGet(map, "deprecated");
  if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
  const location = r.keyLoc(map, "deprecated");
  // Older registries wrote a sentence; treat it as uncategorized with that note.
  if (isScalar(node) && typeof node.value === "string") return { reason: "uncategorized", note: node.value, location };
  const dep = r.map(node, `${context} deprecated`, map);
  if (!dep) return undefined;
  const reason = r.string(dep, "reason", `${context} deprecated`);
  if (reason === undefined) {
    r.expected("a `reason` (renamed, obsoleted, uncategorized)", mapGet(dep, "reason"), `${context} deprecated`, dep);
    return undefined;
  }
  const renamedTo = r.string(dep, "renamed_to", `${context} deprecated`);
  if (renamedTo !== undefined && reason !== "renamed") {
    // Weaver reads `renamed_to` only with `reason: renamed`; upstream v1.38.0–v1.43.0 carry one such slip.
    r.warn(
      "deprecated.renamed-to-ignored",
      `${context}: \`renamed_to\` is read only with \`reason: renamed\` (this one is \`${reason}\`): ignored`,
      r.keyLoc(dep, "renamed_to"),
    );
  }
  return {
    reason,
    ...opt("renamedTo", reason === "renamed" ? renamedTo : undefined),
    ...opt("note", r.text(dep, "note", `${context} deprecated`)),
    location: r.loc(dep),
  };
}

export function readRequirementLevel(r: Reader, map: YAMLMap, context: string): RawRequirementLevel | undefined {
  const node = mapGet(map, "requirement_level");
  if (node === undefined) return undefined;
  const location = r.loc(node);
  if (isScalar(node) && typeof node.value === "string") return { level: node.value, location };
  if (isMap(node) && node.items.length === 1) {
    const pair = node.items[0]!;
    const level = isScalar(pair.key) ? String(pair.key.value) : "";
    const cond = pair.value;
    if (isScalar(cond) && typeof cond.value === "string") return { level, condition: cond.value.trim(), location };
  }
  r.expected(
    "`required`, `recommended`, `opt_in`, or a one-key mapping `conditionally_required: <condition>` / `recommended: <condition>`",
    node,
    `${context} requirement_level`,
    map,
  );
  return undefined;
}

/** `brief`, `note` and `rationale`. */
export function readDocs(r: Reader, map: YAMLMap, context: string): RawDocs {
  return {
    ...opt("brief", r.text(map, "brief", context)),
    ...opt("note", r.text(map, "note", context)),
    ...opt("rationale", r.text(map, "rationale", context)),
  };
}

function readCommon(r: Reader, map: YAMLMap, context: string): RawAttributeCommon {
  return {
    ...readDocs(r, map, context),
    ...opt("examples", r.plainList(map, "examples")),
    ...opt("stability", r.string(map, "stability", context)),
    ...opt("deprecated", readDeprecated(r, map, context)),
    ...opt("requirementLevel", readRequirementLevel(r, map, context)),
    ...opt("samplingRelevant", r.boolean(map, "sampling_relevant", context)),
    ...readAnnotations(r, map, context),
    location: r.loc(map),
  };
}

/** A definition: v1 `id:` (with the group's optional `prefix`) or v2 `key:`. */
export function readAttributeDefinition(
  r: Reader,
  map: YAMLMap,
  keyField: "id" | "key",
  context: string,
  prefix?: string,
): RawAttributeDefinition | undefined {
  const name = r.string(map, keyField, context);
  if (name === undefined) return undefined;
  const key = prefix ? `${prefix}.${name}` : name;
  const type = readType(r, map, `${context} \`${key}\``);
  const typeNode = mapGet(map, "type");
  return {
    kind: "definition",
    key,
    ...opt("type", type),
    ...(typeNode ? { typeLocation: r.loc(typeNode) } : {}),
    ...readCommon(r, map, `${context} \`${key}\``),
  };
}

/** `ref: <key>`; with `prefix: true` in a group with a `prefix`, the use embeds the attribute under that prefix. */
export function readAttributeReference(
  r: Reader,
  map: YAMLMap,
  context: string,
  groupPrefix?: string,
): RawAttributeReference | undefined {
  const ref = r.string(map, "ref", context);
  if (ref === undefined) return undefined;
  const embed =
    r.boolean(map, "prefix", `${context} ref \`${ref}\``) === true && groupPrefix ? `${groupPrefix}.${ref}` : undefined;
  return { kind: "reference", ref, ...opt("embedAs", embed), ...readCommon(r, map, `${context} ref \`${ref}\``) };
}

/** Spreads `{ [name]: value }` only when the value is present (exact optional properties). */
export function opt<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}
