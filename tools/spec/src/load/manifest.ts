/** `manifest.yaml`: the registry's identity and its code-generation settings. */
import { isMap, isScalar, type Node, type YAMLMap } from "yaml";
import type { Diagnostic, SourceLocation } from "../model/diagnostics.js";
import type {
  RawCodegenSettings,
  RawCompatEnum,
  RawCompatObject,
  RawDependencySpec,
  RawManifest,
} from "../model/raw.js";
import { opt } from "./attributes.js";
import { DEFAULT_YAML_LIMITS, type YamlLimits } from "./limits.js";
import { Reader } from "./reader.js";
import { mapGet, parseYamlSource } from "./yaml-source.js";

export const MANIFEST_FILE = "manifest.yaml";
/** Weaver's older name for the manifest, still written by many registries; `manifest.yaml` wins when both exist. */
export const LEGACY_MANIFEST_FILE = "registry_manifest.yaml";
export const MANIFEST_FILES: readonly string[] = [MANIFEST_FILE, LEGACY_MANIFEST_FILE];

/** Weaver's manifest of a published (already resolved) registry. */
const PUBLICATION_FORMAT = "manifest/2.0";

export function readManifest(
  file: string,
  text: string,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): { manifest?: RawManifest; diagnostics: Diagnostic[] } {
  const parsed = parseYamlSource(file, text, limits);
  if (!parsed.source) return { diagnostics: parsed.diagnostics };
  const r = new Reader(parsed.source);
  for (const d of parsed.diagnostics) r.diagnostics.push(d);
  const root = parsed.source.doc.contents as Node | null;
  const top = root ? r.map(root, "manifest", root) : undefined;
  if (!top) return { diagnostics: r.diagnostics };
  const codegenNode = mapGet(top, "codegen");
  let codegen: RawCodegenSettings | undefined;
  if (codegenNode !== undefined) {
    const cg = r.map(codegenNode, "manifest `codegen`", top);
    if (cg) {
      const compatSeq = r.seq(cg, "compat_objects", "manifest `codegen`");
      const compatObjects: RawCompatObject[] = [];
      for (const item of compatSeq?.items ?? []) {
        const m = r.map(item as Node, "manifest `compat_objects` entry", cg);
        if (!m) continue;
        const name = r.string(m, "name", "compat object");
        if (name === undefined) {
          r.expected("a `name`", mapGet(m, "name"), "compat object", m);
          continue;
        }
        const constants = r.string(m, "constants", `compat object \`${name}\``);
        if (constants !== undefined && constants !== "all") {
          r.error(
            "manifest.compat",
            `compat object \`${name}\`: \`constants\` must be "all", found ${JSON.stringify(constants)}`,
            r.keyLoc(m, "constants"),
          );
        }
        const omitNode = mapGet(m, "omit");
        const omit = omitNode === undefined ? undefined : (omitNode.toJSON() as unknown);
        if (omit !== undefined && !(Array.isArray(omit) && omit.every((x) => typeof x === "string"))) {
          r.expected("a list of strings for `omit`", omitNode, `compat object \`${name}\``, m);
        }
        compatObjects.push({
          name,
          ...opt("segmentsUnder", r.string(m, "segments_under", `compat object \`${name}\``)),
          ...(constants === "all" ? { constants: "all" as const } : {}),
          ...opt("entries", r.stringMap(m, "entries", `compat object \`${name}\``)),
          ...(Array.isArray(omit) ? { omit: omit as string[] } : {}),
          location: r.loc(m),
          nameLocation: r.loc(mapGet(m, "name")),
        });
      }
      const compatEnums = readCompatEnums(r, cg);
      codegen = {
        ...opt("package", r.string(cg, "package", "manifest `codegen`")),
        ...opt("incubatingEntry", r.boolean(cg, "incubating_entry", "manifest `codegen`")),
        ...opt("naming", r.string(cg, "naming", "manifest `codegen`")),
        ...opt("constants", r.stringMap(cg, "constants", "manifest `codegen`")),
        ...opt("enums", r.stringMap(cg, "enums", "manifest `codegen`")),
        ...opt("prefixConstants", r.stringMap(cg, "prefix_constants", "manifest `codegen`")),
        ...opt("docs", r.string(cg, "docs", "manifest `codegen`")),
        ...(compatObjects.length > 0 ? { compatObjects } : {}),
        ...(compatEnums.length > 0 ? { compatEnums } : {}),
        location: r.loc(cg),
        at: {
          ...(mapGet(cg, "naming") !== undefined ? { naming: r.keyLoc(cg, "naming") } : {}),
          ...(mapGet(cg, "incubating_entry") !== undefined
            ? { incubatingEntry: r.keyLoc(cg, "incubating_entry") }
            : {}),
          ...(mapGet(cg, "docs") !== undefined ? { docs: r.keyLoc(cg, "docs") } : {}),
          ...opt("constants", entryLocations(r, cg, "constants", "key")),
          ...opt("enums", entryLocations(r, cg, "enums", "key")),
          ...opt("constantNames", entryLocations(r, cg, "constants", "value")),
          ...opt("enumNames", entryLocations(r, cg, "enums", "value")),
          ...opt("prefixConstants", entryLocations(r, cg, "prefix_constants", "key")),
        },
      };
    }
  }
  const schemaUrl = r.string(top, "schema_url", "manifest");
  const fileFormat = r.string(top, "file_format", "manifest");
  const published = fileFormat === PUBLICATION_FORMAT ? readPublication(r, top) : undefined;
  if (fileFormat !== undefined && fileFormat !== PUBLICATION_FORMAT) {
    r.error(
      "manifest.published",
      `unknown manifest file_format ${JSON.stringify(fileFormat)}: expected none (a definition registry) or ${PUBLICATION_FORMAT} (a published one)`,
      r.keyLoc(top, "file_format"),
    );
  }
  // Weaver's older fields: `semconv_version` + `schema_base_url` make the schema URL.
  const baseUrl = r.string(top, "schema_base_url", "manifest");
  const version = mapGet(top, "version") ?? mapGet(top, "semconv_version");
  const versionText = isScalar(version) && version.value !== null ? String(version.value) : undefined;
  const derivedUrl =
    schemaUrl ??
    (baseUrl !== undefined && versionText !== undefined ? `${baseUrl.replace(/\/+$/, "")}/${versionText}` : undefined);
  // Weaver: a manifest that names itself by `schema_url` must name its dependencies so too.
  const dependencies = readDependencies(r, top, schemaUrl !== undefined);
  const ownsNode = mapGet(top, "owns");
  const owns = ownsNode === undefined ? undefined : (ownsNode.toJSON() as unknown);
  if (owns !== undefined && !(Array.isArray(owns) && owns.every((x) => typeof x === "string"))) {
    r.expected("a list of key prefixes for `owns`", ownsNode, "manifest", top);
  }
  return {
    manifest: {
      ...opt("name", r.string(top, "name", "manifest")),
      ...opt("description", r.text(top, "description", "manifest")),
      ...opt("version", versionText ?? (schemaUrl === undefined ? undefined : schemaUrlParts(schemaUrl)?.version)),
      ...opt("schemaUrl", derivedUrl),
      ...opt("stability", r.string(top, "stability", "manifest")),
      ...(Array.isArray(owns) ? { owns: owns as string[] } : {}),
      ...opt("spanKindAttribute", r.string(top, "span_kind_attribute", "manifest")),
      ...opt("codegen", codegen),
      ...(dependencies.length > 0 ? { dependencies } : {}),
      ...opt("published", published),
      location: r.loc(top),
    },
    diagnostics: r.diagnostics,
  };
}

/**
 * A published registry's manifest (`manifest/2.0`): where its resolved schema is. Weaver also takes a URL; semtrace
 * reads the schema from the registry's own folder (an archive or git dependency brings it along).
 */
function readPublication(r: Reader, top: YAMLMap): { resolvedFile: string; location: SourceLocation } | undefined {
  const field = mapGet(top, "resolved_registry_uri") !== undefined ? "resolved_registry_uri" : "resolved_schema_uri";
  const uri = r.string(top, field, "manifest");
  if (uri === undefined) {
    r.error(
      "manifest.published",
      `a published registry's manifest (${PUBLICATION_FORMAT}) names its resolved schema with \`resolved_registry_uri\``,
      r.loc(top),
    );
    return undefined;
  }
  const local = uri.replace(/^file:\/\//, "").replace(/^\.\//, "");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(local) || local.startsWith("/") || local.split("/").includes("..")) {
    r.error(
      "manifest.published",
      `\`${field}: ${uri}\`: semtrace reads a published registry's resolved schema from the registry's folder; download it next to the manifest and name it by its relative path`,
      r.keyLoc(top, field),
    );
    return undefined;
  }
  return { resolvedFile: local, location: r.keyLoc(top, field) };
}

/**
 * `dependencies:` as Weaver writes them: `{ schema_url, registry_path }`, or the older `{ name, registry_path }`.
 * Where `registry_path` points is resolved by load/dependencies/.
 */
function readDependencies(r: Reader, top: YAMLMap, schemaUrlRequired: boolean): RawDependencySpec[] {
  const out: RawDependencySpec[] = [];
  for (const item of r.seq(top, "dependencies", "manifest")?.items ?? []) {
    const m = r.map(item as Node, "manifest `dependencies` entry", top);
    if (!m) continue;
    const name = r.string(m, "name", "dependency");
    const schemaUrl = r.string(m, "schema_url", "dependency");
    const registryPath = r.string(m, "registry_path", "dependency");
    if (name === undefined && schemaUrl === undefined) {
      r.expected("a `schema_url` (or the older `name`) naming the registry", undefined, "dependency", m);
      continue;
    }
    if (schemaUrl === undefined && schemaUrlRequired) {
      r.error(
        "dependency.invalid",
        `dependency \`${name}\` has no \`schema_url\`, which a manifest with its own \`schema_url\` requires of each dependency (e.g. https://example.com/${name}/1.0.0); \`name\` alone is the older syntax of manifests with \`semconv_version\``,
        r.loc(m),
      );
      continue;
    }
    out.push({
      ...opt("name", name),
      ...opt("schemaUrl", schemaUrl),
      ...opt("registryPath", registryPath),
      location: r.loc(m),
    });
  }
  return out;
}

/** Weaver's reading of a schema URL: the last path segment is the version, what precedes it (host included) the name. */
export function schemaUrlParts(url: string): { name: string; version: string } | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(.+)\/([^/]+?)\/*$/i.exec(url.trim());
  return match ? { name: match[1]!, version: match[2]! } : undefined;
}

/** `codegen.compat_enums`: `{ name, attribute, members: [member ids] }` each. */
function readCompatEnums(r: Reader, cg: YAMLMap): RawCompatEnum[] {
  const out: RawCompatEnum[] = [];
  for (const item of r.seq(cg, "compat_enums", "manifest `codegen`")?.items ?? []) {
    const m = r.map(item as Node, "manifest `compat_enums` entry", cg);
    if (!m) continue;
    const name = r.string(m, "name", "compat enum");
    const context = `compat enum \`${name ?? "?"}\``;
    const attribute = r.string(m, "attribute", context);
    const membersNode = mapGet(m, "members");
    const members = membersNode === undefined ? undefined : (membersNode.toJSON() as unknown);
    if (name === undefined) r.expected("a `name`", mapGet(m, "name"), "compat enum", m);
    if (attribute === undefined)
      r.expected("an `attribute` (the enum attribute's key)", mapGet(m, "attribute"), context, m);
    const valid = Array.isArray(members) && members.length > 0 && members.every((x) => typeof x === "string");
    if (!valid) r.expected("a list of member ids for `members`", membersNode, context, m);
    if (name === undefined || attribute === undefined || !valid) continue;
    out.push({
      name,
      attribute,
      members: members as string[],
      location: r.loc(m),
      nameLocation: r.loc(mapGet(m, "name")),
    });
  }
  return out;
}

/** key → location of the key (or value) of each entry of the map under `field` (for diagnostics about one entry). */
function entryLocations(
  r: Reader,
  parent: YAMLMap,
  field: string,
  side: "key" | "value",
): Record<string, SourceLocation> | undefined {
  const node = mapGet(parent, field);
  if (!isMap(node)) return undefined;
  const out: Record<string, SourceLocation> = Object.create(null) as Record<string, SourceLocation>;
  for (const pair of node.items) {
    if (isScalar(pair.key))
      out[String(pair.key.value)] = r.loc(((side === "value" ? pair.value : undefined) ?? pair.key) as Node);
  }
  return out;
}
