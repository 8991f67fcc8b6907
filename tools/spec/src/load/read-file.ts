/**
 * One spec file → groups and attribute definitions. Both OpenTelemetry syntaxes land in the same
 * raw shape: v1 (`groups:`) and v2 (`file_format: definition/2`, top-level `attributes`,
 * `attribute_groups`, `spans`, refinements, metrics/events/entities).
 */
import { isMap, isScalar, type Node, type YAMLMap, type YAMLSeq } from "yaml";
import type { Diagnostic } from "../model/diagnostics.js";
import type { RawAttributeDefinition, RawGroup, RawGroupMember } from "../model/raw.js";
import { readAnnotations } from "./annotations.js";
import { opt, readAttributeDefinition, readAttributeReference, readDeprecated, readDocs } from "./attributes.js";
import { DEFAULT_YAML_LIMITS, type YamlLimits } from "./limits.js";
import { Reader } from "./reader.js";
import { mapGet, mapKeys, parseYamlSource } from "./yaml-source.js";

export interface FileContents {
  readonly syntax: "v1" | "v2";
  readonly groups: RawGroup[];
  readonly attributes: RawAttributeDefinition[];
  readonly diagnostics: Diagnostic[];
}

const V2_SECTIONS: Readonly<Record<string, { type: string; idField: "id" | "type" | "name"; idPrefix: string }>> = {
  attribute_groups: { type: "attribute_group", idField: "id", idPrefix: "" },
  spans: { type: "span", idField: "type", idPrefix: "span." },
  span_refinements: { type: "span", idField: "id", idPrefix: "" },
  metrics: { type: "metric", idField: "name", idPrefix: "metric." },
  metric_refinements: { type: "metric", idField: "id", idPrefix: "" },
  events: { type: "event", idField: "name", idPrefix: "event." },
  event_refinements: { type: "event", idField: "id", idPrefix: "" },
  entities: { type: "entity", idField: "type", idPrefix: "entity." },
};

/** Group types whose `extends`/refinement targets we follow; the rest are read for their refs only. */
const EMITTED_TYPES = new Set(["attribute_group", "span", "object"]);

export function readSpecFile(file: string, text: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): FileContents {
  const parsed = parseYamlSource(file, text, limits);
  if (!parsed.source) return { syntax: "v1", groups: [], attributes: [], diagnostics: parsed.diagnostics };
  const r = new Reader(parsed.source);
  const root = parsed.source.doc.contents as Node | null;
  const empty = (syntax: "v1" | "v2"): FileContents => ({ syntax, groups: [], attributes: [], diagnostics: r.diagnostics });
  if (root === null || (isScalar(root) && root.value === null)) return empty("v1");
  const top = r.map(root, "file", root);
  if (!top) return empty("v1");

  const format = r.string(top, "file_format", "file");
  const version = r.string(top, "version", "file");
  const isV2 = format !== undefined || version === "2";
  if (format !== undefined && format !== "definition/2") {
    r.error("file.format", `unknown file_format ${JSON.stringify(format)}: expected "definition/2" (or a v1 file with \`groups:\`)`, r.keyLoc(top, "file_format"));
    return empty("v2");
  }
  if (!isV2) {
    const groupsSeq = r.seq(top, "groups", "file");
    if (!groupsSeq) {
      if (!mapGet(top, "groups")) r.error("file.format", "expected `groups:` (v1) or `file_format: definition/2` (v2) at the top of the file", r.loc(top));
      return empty("v1");
    }
    const groups = readV1Groups(r, groupsSeq);
    return { syntax: "v1", groups, attributes: [], diagnostics: r.diagnostics };
  }

  const attributes: RawAttributeDefinition[] = [];
  const attrSeq = r.seq(top, "attributes", "file");
  for (const item of attrSeq?.items ?? []) {
    const map = r.map(item as Node, "attribute", attrSeq as unknown as Node);
    if (!map) continue;
    const def = readAttributeDefinition(r, map, "key", "attribute");
    if (def) attributes.push(def);
    else if (!mapGet(map, "key")) r.expected("a `key`", undefined, "attribute", map);
  }
  const groups: RawGroup[] = [];
  for (const section of mapKeys(top)) {
    const spec = V2_SECTIONS[section];
    if (!spec) continue;
    const seq = r.seq(top, section, "file");
    for (const item of seq?.items ?? []) {
      const group = readV2Group(r, item as Node, section, spec, seq!);
      if (group) groups.push(group);
    }
  }
  return { syntax: "v2", groups, attributes, diagnostics: r.diagnostics };
}

function readV1Groups(r: Reader, seq: YAMLSeq): RawGroup[] {
  const groups: RawGroup[] = [];
  for (const item of seq.items) {
    const map = r.map(item as Node, "group", seq as unknown as Node);
    if (!map) continue;
    const id = r.string(map, "id", "group");
    if (id === undefined) {
      r.expected("an `id`", mapGet(map, "id"), "group", map);
      continue;
    }
    const context = `group \`${id}\``;
    const type = r.string(map, "type", context);
    if (type === undefined) {
      r.expected("a `type` (attribute_group, span, object, event, metric, entity)", mapGet(map, "type"), context, map);
      continue;
    }
    const prefix = r.string(map, "prefix", context);
    const members = readMembers(r, map, context, prefix, true);
    const ext = r.string(map, "extends", context);
    groups.push({
      id,
      type,
      ...readDocs(r, map, context),
      ...opt("stability", r.string(map, "stability", context)),
      ...opt("deprecated", readDeprecated(r, map, context)),
      ...(ext !== undefined && EMITTED_TYPES.has(type) ? { extends: ext, extendsLocation: r.loc(mapGet(map, "extends")) } : {}),
      ...opt("spanKind", r.string(map, "span_kind", context)),
      members,
      ...readAnnotations(r, map, context),
      syntax: "v1",
      location: r.loc(map),
    });
  }
  return groups;
}

function readV2Group(
  r: Reader,
  node: Node,
  section: string,
  spec: { type: string; idField: "id" | "type" | "name"; idPrefix: string },
  seq: YAMLSeq,
): RawGroup | undefined {
  const map = r.map(node, section, seq as unknown as Node);
  if (!map) return undefined;
  const name = r.string(map, spec.idField, section);
  if (name === undefined) {
    r.expected(`a \`${spec.idField}\``, mapGet(map, spec.idField), section, map);
    return undefined;
  }
  const id = `${spec.idPrefix}${name}`;
  const context = `${section} \`${name}\``;
  // Refinements name the signal they refine with `ref`; we resolve that like `extends`.
  const refined = section.endsWith("_refinements") ? r.string(map, "ref", context) : undefined;
  const kind = section === "spans" ? r.string(map, "kind", context) : undefined;
  const members = readMembers(r, map, context, undefined, false);
  return {
    id,
    type: spec.type,
    ...readDocs(r, map, context),
    ...opt("stability", r.string(map, "stability", context)),
    ...opt("deprecated", readDeprecated(r, map, context)),
    ...(refined !== undefined && EMITTED_TYPES.has(spec.type)
      ? { extends: `${spec.idPrefix || (spec.type === "span" ? "span." : "")}${refined}`, extendsLocation: r.loc(mapGet(map, "ref")) }
      : {}),
    ...opt("spanKind", kind),
    ...opt("visibility", r.string(map, "visibility", context)),
    members,
    ...readAnnotations(r, map, context),
    syntax: "v2",
    location: r.loc(map),
  };
}

function readMembers(r: Reader, map: YAMLMap, context: string, prefix: string | undefined, allowDefinitions: boolean): RawGroupMember[] {
  const members: RawGroupMember[] = [];
  // v2 entities list identity/description attributes instead of `attributes`.
  for (const field of ["attributes", "identity", "description"]) {
    const node = mapGet(map, field);
    if (node === undefined || (field === "description" && isScalar(node))) continue;
    const seq = r.seq(map, field, context);
    for (const item of seq?.items ?? []) {
      const member = readMember(r, item as Node, context, prefix, allowDefinitions, seq!);
      if (member) members.push(member);
    }
  }
  return members;
}

function readMember(
  r: Reader,
  node: Node,
  context: string,
  prefix: string | undefined,
  allowDefinitions: boolean,
  seq: YAMLSeq,
): RawGroupMember | undefined {
  if (!isMap(node)) {
    r.expected("an attribute (`id:`, `ref:` or `ref_group:`)", node, `${context} attributes`, seq as unknown as Node);
    return undefined;
  }
  if (mapGet(node, "ref_group") !== undefined) {
    const refGroup = r.string(node, "ref_group", context);
    return refGroup === undefined ? undefined : { kind: "group-reference", refGroup, location: r.loc(node) };
  }
  if (mapGet(node, "ref") !== undefined) return readAttributeReference(r, node, `${context}`);
  if (allowDefinitions && mapGet(node, "id") !== undefined) return readAttributeDefinition(r, node, "id", context, prefix);
  r.expected(allowDefinitions ? "`id:`, `ref:` or `ref_group:`" : "`ref:` or `ref_group:` (v2 defines attributes only under top-level `attributes:`)", node, `${context} attribute`, node);
  return undefined;
}
