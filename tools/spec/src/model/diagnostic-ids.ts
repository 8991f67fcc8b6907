/**
 * The catalogue of generator diagnostics: every id the load and validate stages report, with its severity and
 * what it means, one line per id. The ids are stable (CI annotations and users' scripts match on them);
 * spec/README.md §8 is generated from this table (`diagnosticsTable`), and test/diagnostic-ids.test.ts fails
 * with the table to paste when the two differ.
 *
 * `severity` is what the id is reported as; `orWarning` says when it is a warning instead. `needsEveryFile`
 * marks checks whose findings depend on every spec file being loaded (a reference may point into a file that
 * failed to load), so they wait while some file has load errors.
 */
import type { Severity } from "./diagnostics.js";

interface DiagnosticSpec {
  readonly severity: Severity;
  readonly meaning: string;
  readonly orWarning?: string;
  readonly needsEveryFile?: true;
}

export const DIAGNOSTICS = {
  "yaml.syntax": {
    severity: "error",
    meaning: "The file is not valid YAML (at most 50 syntax errors per file are listed, then a count of the rest).",
  },
  "yaml.duplicate-key": { severity: "error", meaning: "A mapping repeats a key." },
  "yaml.encoding": {
    severity: "error",
    meaning:
      "The file is not UTF-8 (or UTF-16 with a byte order mark), or holds a character YAML does not allow unescaped (control characters but tab and line breaks).",
  },
  "yaml.alias": {
    severity: "error",
    meaning: "An alias names no anchor defined before it, or is inside the node it names.",
  },
  "yaml.too-large": {
    severity: "error",
    meaning: "A file is over `--max-yaml-bytes` (default 16 MiB); it is not read.",
  },
  "yaml.too-many-nodes": {
    severity: "error",
    meaning:
      "A file's nodes, each alias counted as the nodes it copies, are over `--max-yaml-nodes` (default 150,000); reported at the node (or alias) that crosses the cap, and the file is not read further.",
  },
  "yaml.too-deep": {
    severity: "error",
    meaning:
      "Sequences and mappings, aliases expanded, nest deeper than `--max-yaml-depth` (default 256, at most 512); reported where the cap is crossed, and the file is not read further.",
  },
  "yaml.shape": { severity: "error", meaning: "A value has the wrong shape (`expected …, found …`)." },
  "file.format": {
    severity: "error",
    meaning: "Neither `groups:` (v1) nor `file_format: definition/2` (v2), or an unknown `file_format`.",
  },
  "spec.unreadable": {
    severity: "error",
    meaning: "The spec directory, a directory or a `.yaml` file in it cannot be read (the rest is still loaded).",
  },
  "spec.empty": { severity: "error", meaning: "The spec directory holds no YAML file." },
  "spec.link-loop": {
    severity: "warning",
    meaning: "A symbolic link leads back to a directory that contains it: not followed (other links are).",
  },
  "group.duplicate-id": {
    severity: "error",
    meaning: "A group id is defined twice (the message names the first place).",
  },
  "attribute.duplicate-key": {
    severity: "error",
    meaning: "An attribute key is defined twice (the message names the first place).",
  },
  "key.invalid": { severity: "error", meaning: "A key is not lowercase dot-separated `snake_case` segments." },
  "key.leaf-and-prefix": {
    severity: "error",
    orWarning: "the key is deprecated",
    meaning: "A key with a value is also the prefix of other keys.",
  },
  "namespace.empty": { severity: "warning", needsEveryFile: true, meaning: "A `namespace` has no keys under it." },
  "type.missing": { severity: "error", meaning: "An attribute has no type." },
  "type.unknown": { severity: "error", meaning: "A type that is none of the known forms." },
  "type.object-unresolved": {
    severity: "error",
    needsEveryFile: true,
    meaning: "`list[...]` / `object[...]` names no `type: object` group.",
  },
  "type.object-cycle": { severity: "error", meaning: "An object group contains itself through its fields." },
  "type.template-child": { severity: "error", meaning: "A key under a template prefix has another value type." },
  "type.namespace-field": { severity: "error", meaning: "An object field is a `namespace`." },
  "enum.duplicate-member": { severity: "error", meaning: "Two members of an enum have the same id." },
  "enum.value-type": {
    severity: "error",
    meaning: "Enum members mix value types, or a value is a non-integer number.",
  },
  "enum.empty": { severity: "error", meaning: "An enum has no members." },
  "enum.duplicate-value": {
    severity: "warning",
    meaning: "Two members of an enum share a value (a member deprecated as renamed may keep its replacement's).",
  },
  "enum.name-conflict": {
    severity: "error",
    meaning: "Two keys share an enum name in `codegen.enums` with different members.",
  },
  "ref.unresolved": {
    severity: "error",
    needsEveryFile: true,
    meaning: '`ref` names no attribute (with a "did you mean").',
  },
  "ref-group.unresolved": {
    severity: "error",
    needsEveryFile: true,
    meaning: '`ref_group` names no group (with a "did you mean").',
  },
  "extends.unresolved": {
    severity: "error",
    needsEveryFile: true,
    meaning: '`extends` names no group (with a "did you mean").',
  },
  "extends.cycle": { severity: "error", meaning: "A group extends itself." },
  "requirement-level.unknown": {
    severity: "error",
    meaning: "A requirement level is none of the known ones, or takes no condition.",
  },
  "requirement-level.condition-missing": {
    severity: "error",
    meaning: "`conditionally_required` without a condition.",
  },
  "stability.unknown": { severity: "warning", meaning: "A stability level outside the known ones." },
  "deprecated.reason": { severity: "error", meaning: "A deprecation reason outside the known ones." },
  "deprecated.renamed-to-missing": { severity: "error", meaning: "A `renamed` deprecation without `renamed_to`." },
  "deprecated.renamed-to-unresolved": {
    severity: "error",
    needsEveryFile: true,
    meaning: "`renamed_to` names a key that does not exist.",
  },
  "name.collision": {
    severity: "error",
    orWarning: "a deprecated item loses to its replacement",
    meaning:
      "Two items get the same constant name after case conversion, or a name chosen in the manifest or an annotation is already another export's.",
  },
  "name.invalid": {
    severity: "error",
    meaning:
      "A name chosen in the manifest or a `builder` / `type_name` annotation cannot name a declaration: not an identifier, a reserved word, a predefined type or a standard global.",
  },
  "annotation.unknown": {
    severity: "error",
    meaning: '`annotations.semtrace` holds a name semtrace does not define (with a "did you mean").',
  },
  "annotation.value": { severity: "error", meaning: "A `semtrace` annotation's value has the wrong type or form." },
  "annotation.misplaced": {
    severity: "error",
    meaning: "A `semtrace` annotation where it has no effect (e.g. `closed` on a non-enum).",
  },
  "annotation.unresolved": {
    severity: "error",
    needsEveryFile: true,
    meaning: "A `semtrace` annotation names a key the registry does not define.",
  },
  "shape.unresolved": {
    severity: "error",
    needsEveryFile: true,
    meaning:
      "A `shape`, `one_of`, `legacy` or property type names no JSON shape (`json_object` / `json_union` group), or one of the wrong group type.",
  },
  "shape.property": {
    severity: "error",
    meaning:
      "A JSON shape's property is not defined in place, repeats a name, has a name JSON paths cannot show, or a type a JSON value cannot have (`template`, `namespace`); or a `json_union` has properties.",
  },
  "shape.discriminator": {
    severity: "error",
    meaning:
      "A `json_union` cannot tell its alternatives apart: no `one_of`, an alternative without the discriminator as a required enum or string, two fallbacks, or a value that picks two alternatives.",
  },
  "shape.cycle": { severity: "error", meaning: "A JSON shape contains itself through its properties or alternatives." },
  "manifest.naming": { severity: "error", meaning: "`codegen.naming` is not a known naming preset." },
  "manifest.docs": {
    severity: "error",
    meaning: "`codegen.docs` is not a relative folder path other than the manifest's own folder.",
  },
  "manifest.unknown-key": {
    severity: "error",
    needsEveryFile: true,
    meaning: "`codegen.constants` / `codegen.enums` names a key that is not defined.",
  },
  "manifest.not-an-enum": {
    severity: "error",
    needsEveryFile: true,
    meaning: "`codegen.enums` names an attribute that is not an enum.",
  },
  "manifest.compat": {
    severity: "error",
    orWarning: "an object would be empty",
    needsEveryFile: true,
    meaning: "A `codegen.compat_objects` entry that does not fit the registry.",
  },
  "manifest.compat-enum": {
    severity: "error",
    needsEveryFile: true,
    meaning: "A `codegen.compat_enums` entry names no enum attribute, or members it lacks.",
  },
  "manifest.legacy-name": {
    severity: "warning",
    meaning:
      "The manifest is named `registry_manifest.yaml` (Weaver's older name, read as the manifest), or both names exist (`manifest.yaml` is read).",
  },
  "manifest.published": {
    severity: "error",
    meaning:
      "A published registry's manifest (Weaver's `manifest/2.0`) whose resolved schema is not a `resolved/2.0` file of its folder, or an unknown manifest `file_format`.",
  },
  "manifest.split": {
    severity: "error",
    meaning:
      "`codegen.incubating_entry` on a registry not generated with the otel naming preset (enum objects cannot be split by member stability).",
  },
  "dependency.unresolved": {
    severity: "error",
    meaning:
      "A `dependencies` entry cannot be found or fetched (local folder missing, npm package not installed, download or git fetch failed, offline without a cached copy); the message names the flag that points it at a local folder.",
  },
  "dependency.invalid": {
    severity: "error",
    meaning:
      "A `dependencies` entry's `registry_path` is of a form semtrace does not read (a remote single file), or has no `registry_path` and no override.",
  },
  "dependency.too-large": {
    severity: "error",
    meaning:
      "A fetched dependency is over a cap: download bytes (`--max-download-bytes`), archive entries (`--max-archive-entries`) or extracted bytes (`--max-extracted-bytes`); nothing of it is kept.",
  },
  "dependency.unsafe-path": {
    severity: "error",
    meaning: "An archive entry's path is absolute, climbs out with `..`, or is a link: the archive is refused.",
  },
  "dependency.cycle": { severity: "error", meaning: "Registries depend on each other in a circle." },
  "dependency.conflict": {
    severity: "error",
    meaning: "Two dependencies of the same name at different versions, or one registry depended on twice.",
  },
  "import.unmatched": {
    severity: "warning",
    meaning:
      "An `imports` pattern matches no group of that kind in the dependencies (Weaver reports it too, as a non-fatal error).",
  },
  "deprecated.renamed-to-ignored": {
    severity: "warning",
    meaning:
      "`renamed_to` with a reason other than `renamed`: ignored, as Weaver does (upstream v1.38.0–v1.43.0 have one).",
  },
  "group.type-missing": {
    severity: "warning",
    meaning: "A v1 group without `type` (upstream v1.30.0 has one): read as an attribute group.",
  },
  "yaml.pyyaml-indent": {
    severity: "warning",
    meaning:
      "A multi-line quoted scalar continues on a line indented no deeper than its key, which PyYAML (and so Weaver) accepts but YAML 1.2 does not: read as PyYAML reads it.",
  },
  "compat.stable-broken": {
    severity: "error",
    meaning:
      "`semtrace check --baseline`: a change breaks a stable item's promise (a stable attribute, member or definition removed or retyped, a stable requirement made stricter, a stable item made unstable).",
  },
  "compat.breaking": {
    severity: "warning",
    meaning:
      "`semtrace check --baseline`: a breaking change to an item that is not stable (it needs a major bump, a minor one while 0.x).",
  },
  "mapping.registry": {
    severity: "error",
    meaning: "A registry a mapping file joins (`registries:`) does not load, or has errors.",
  },
  "mapping.unknown-key": {
    severity: "error",
    meaning:
      'A mapping names a key its registry does not define, or a field that is not one of its structure\'s (with a "did you mean").',
  },
  "mapping.type": {
    severity: "error",
    meaning:
      "The two sides of a mapping rule have types that cannot stand for each other, or a key has the wrong type for its rule.",
  },
  "mapping.enum-value": {
    severity: "error",
    meaning:
      "A mapping names a value that is not a member of its attribute's enum (or not a GenAI part type or modality).",
  },
  "mapping.deprecated": {
    severity: "error",
    meaning: "A `genai_deprecated` key is not deprecated, or its replacement is.",
  },
} as const satisfies Readonly<Record<string, DiagnosticSpec>>;

export type DiagnosticId = keyof typeof DIAGNOSTICS;

export function isDiagnosticId(id: string): id is DiagnosticId {
  return Object.hasOwn(DIAGNOSTICS, id);
}

/** Ids whose checks wait until every spec file loads (see `needsEveryFile`). */
export const NEEDS_EVERY_FILE: ReadonlySet<DiagnosticId> = new Set(
  (Object.keys(DIAGNOSTICS) as DiagnosticId[]).filter(
    (id) => (DIAGNOSTICS[id] as DiagnosticSpec).needsEveryFile === true,
  ),
);

/** The Markdown table of spec/README.md §8: one row per id, in catalogue order. */
export function diagnosticsTable(): string {
  const rows = (Object.keys(DIAGNOSTICS) as DiagnosticId[]).map((id) => {
    const spec: DiagnosticSpec = DIAGNOSTICS[id];
    const severity = spec.orWarning === undefined ? spec.severity : `${spec.severity} (warning when ${spec.orWarning})`;
    return `| \`${id}\` | ${severity} | ${spec.meaning} |`;
  });
  return ["| Id | Severity | Meaning |", "| -- | -------- | ------- |", ...rows].join("\n");
}
