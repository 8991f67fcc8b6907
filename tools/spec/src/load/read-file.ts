/**
 * One spec file → groups and attribute definitions. Both OpenTelemetry syntaxes land in the same
 * raw shape: v1 (`groups:`) and v2 (`file_format: definition/2`, top-level `attributes`,
 * `attribute_groups`, `spans`, refinements, metrics/events/entities).
 */
import { isMap, isScalar, type Node, type YAMLMap, type YAMLSeq } from "yaml";
import type { Diagnostic } from "../model/diagnostics.js";
import type { RawAttributeDefinition, RawGroup, RawGroupMember, RawImports, RawMetric } from "../model/raw.js";
import { readAnnotations } from "./annotations.js";
import { opt, readAttributeDefinition, readAttributeReference, readDeprecated, readDocs } from "./attributes.js";
import { DEFAULT_YAML_LIMITS, type YamlLimits } from "./limits.js";
import { Reader } from "./reader.js";
import { readResolvedSchema, RESOLVED_FORMAT, RESOLVED_SECTIONS } from "./resolved-schema.js";
import { mapGet, mapKeys, parseYamlSource } from "./yaml-source.js";

export interface FileContents {
  readonly syntax: "v1" | "v2";
  readonly groups: RawGroup[];
  readonly attributes: RawAttributeDefinition[];
  /** The file's `imports:` section (Weaver: groups of the dependencies this registry takes in). */
  readonly imports?: RawImports;
  /** The file is a published registry's resolved schema (`file_format: resolved/2.0`). */
  readonly resolved?: true;
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

/** The id prefix of the v2 signal a refinement's `ref` names (v2 signals get these ids, V2_SECTIONS). */
const REFINED_PREFIX: Readonly<Record<string, string>> = { span: "span.", metric: "metric.", event: "event." };

/** Group types whose `extends`/refinement targets we follow; the rest are read for their refs only. */
const EMITTED_TYPES = new Set(["attribute_group", "span", "object", "metric", "event"]);

export function readSpecFile(file: string, text: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): FileContents {
  const parsed = parseYamlSource(file, text, limits);
  if (!parsed.source) return { syntax: "v1", groups: [], attributes: [], diagnostics: parsed.diagnostics };
  const r = new Reader(parsed.source);
  for (const d of parsed.diagnostics) r.diagnostics.push(d);
  const root = parsed.source.doc.contents as Node | null;
  const empty = (syntax: "v1" | "v2"): FileContents => ({
    syntax,
    groups: [],
    attributes: [],
    diagnostics: r.diagnostics,
  });
  if (root === null || (isScalar(root) && root.value === null)) return empty("v1");
  const top = r.map(root, "file", root);
  if (!top) return empty("v1");

  const format = r.string(top, "file_format", "file");
  const version = r.string(top, "version", "file");
  // Weaver: `file_format: definition/1` (or `version: 1`) is the v1 syntax said explicitly.
  const isV1Declared = format === "definition/1" || (format === undefined && version === "1");
  const isV2 = !isV1Declared && (format !== undefined || version === "2");
  if (format === RESOLVED_FORMAT) return readPublished(r, top);
  if (format !== undefined && format !== "definition/2" && format !== "definition/1") {
    r.error(
      "file.format",
      `unknown file_format ${JSON.stringify(format)}: expected "definition/2", "definition/1" or "${RESOLVED_FORMAT}" (or a v1 file with \`groups:\`)`,
      r.keyLoc(top, "file_format"),
    );
    return empty("v2");
  }
  const imports = readImports(r, top);
  if (!isV2) {
    const groupsSeq = r.seq(top, "groups", "file");
    if (!groupsSeq) {
      // A file of only `imports:` is a whole file in Weaver's model.
      if (imports) return { syntax: "v1", groups: [], attributes: [], imports, diagnostics: r.diagnostics };
      if (!mapGet(top, "groups"))
        r.error(
          "file.format",
          "expected `groups:` (v1) or `file_format: definition/2` (v2) at the top of the file",
          r.loc(top),
        );
      return empty("v1");
    }
    const groups = readV1Groups(r, groupsSeq);
    return { syntax: "v1", groups, attributes: [], ...opt("imports", imports), diagnostics: r.diagnostics };
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
  return { syntax: "v2", groups, attributes, ...opt("imports", imports), diagnostics: r.diagnostics };
}

/** A published registry's resolved schema, read as v2 definitions (resolved-schema.ts). */
function readPublished(r: Reader, top: YAMLMap): FileContents {
  const { attributes, registry, provenanceOf } = readResolvedSchema(r, top);
  const groups: RawGroup[] = [];
  for (const section of RESOLVED_SECTIONS) {
    const seq = registry ? r.seq(registry, section, "resolved schema `registry`") : undefined;
    for (const item of seq?.items ?? []) {
      const group = readV2Group(r, item as Node, section, V2_SECTIONS[section]!, seq!);
      const copiedFrom = isMap(item) ? provenanceOf(item) : undefined;
      if (group) groups.push(copiedFrom === undefined ? group : { ...group, copiedFrom });
    }
  }
  return { syntax: "v2", groups, attributes, resolved: true, diagnostics: r.diagnostics };
}

const IMPORT_SECTIONS = {
  metrics: "metrics",
  events: "events",
  entities: "entities",
  spans: "spans",
  attribute_groups: "attributeGroups",
} as const;

/** `imports: { metrics: [glob…], events: […], entities: […], spans: […], attribute_groups: […] }`. */
function readImports(r: Reader, top: YAMLMap): RawImports | undefined {
  const node = mapGet(top, "imports");
  if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
  const map = r.map(node, "file `imports`", top);
  if (!map) return undefined;
  const out: { -readonly [K in keyof RawImports]: RawImports[K] } = { location: r.loc(map) };
  for (const section of mapKeys(map)) {
    const field = Object.hasOwn(IMPORT_SECTIONS, section)
      ? IMPORT_SECTIONS[section as keyof typeof IMPORT_SECTIONS]
      : undefined;
    if (field === undefined) {
      r.expected(
        `one of ${Object.keys(IMPORT_SECTIONS).join(", ")}`,
        mapGet(map, section),
        `\`imports\` section \`${section}\``,
        map,
      );
      continue;
    }
    const patterns = toPlainStrings(mapGet(map, section));
    if (patterns === undefined)
      r.expected("a list of group name patterns", mapGet(map, section), `\`imports.${section}\``, map);
    else out[field] = patterns;
  }
  return out;
}

function toPlainStrings(node: Node | undefined): string[] | undefined {
  const value = node === undefined ? undefined : (node.toJSON() as unknown);
  return Array.isArray(value) && value.every((x) => typeof x === "string") ? value : undefined;
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
    let type = r.string(map, "type", context);
    if (type === undefined) {
      if (mapGet(map, "type") !== undefined) {
        r.expected(
          "a `type` (attribute_group, span, object, event, metric, entity)",
          mapGet(map, "type"),
          context,
          map,
        );
        continue;
      }
      // Weaver reads such a group (registries up to v1.30.0 have one); its attributes count as an attribute group's.
      r.warn(
        "group.type-missing",
        `${context} has no \`type\`: read as an attribute_group (expected attribute_group, span, object, event, metric or entity)`,
        r.loc(map),
      );
      type = "attribute_group";
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
      ...(ext !== undefined && EMITTED_TYPES.has(type)
        ? { extends: ext, extendsLocation: r.loc(mapGet(map, "extends")) }
        : {}),
      ...opt("spanKind", r.string(map, "span_kind", context)),
      ...signalNames(r, map, context, type, id, "metric_name", "name"),
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
      ? {
          extends: `${spec.idPrefix || (REFINED_PREFIX[spec.type] ?? "")}${refined}`,
          extendsLocation: r.loc(mapGet(map, "ref")),
        }
      : {}),
    ...opt("spanKind", kind),
    ...(section === "metrics" || section === "events"
      ? signalNames(r, map, context, spec.type, id, "name", "name")
      : {}),
    ...opt("visibility", r.string(map, "visibility", context)),
    members,
    ...readAnnotations(r, map, context),
    syntax: "v2",
    location: r.loc(map),
  };
}

/** A metric's name, instrument and unit, or an event's name (v1: `metric_name` / `name`; v2: `name`). */
function signalNames(
  r: Reader,
  map: YAMLMap,
  context: string,
  type: string,
  id: string,
  metricField: string,
  eventField: string,
): { metric?: RawMetric; eventName?: string } {
  if (type === "metric") {
    const name = r.string(map, metricField, context);
    if (name === undefined) return {};
    return {
      metric: {
        name,
        ...opt("instrument", r.string(map, "instrument", context)),
        ...opt("unit", r.string(map, "unit", context)),
      },
    };
  }
  if (type === "event") {
    const name =
      r.string(map, eventField, context) ?? (id.startsWith("event.") ? id.slice("event.".length) : undefined);
    return name === undefined ? {} : { eventName: name };
  }
  return {};
}

function readMembers(
  r: Reader,
  map: YAMLMap,
  context: string,
  prefix: string | undefined,
  allowDefinitions: boolean,
): RawGroupMember[] {
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
  if (mapGet(node, "ref") !== undefined) return readAttributeReference(r, node, `${context}`, prefix);
  if (allowDefinitions && mapGet(node, "id") !== undefined)
    return readAttributeDefinition(r, node, "id", context, prefix);
  r.expected(
    allowDefinitions
      ? "`id:`, `ref:` or `ref_group:`"
      : "`ref:` or `ref_group:` (v2 defines attributes only under top-level `attributes:`)",
    node,
    `${context} attribute`,
    node,
  );
  return undefined;
}
