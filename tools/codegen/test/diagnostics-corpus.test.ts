/**
 * A corpus of broken registries (test/fixtures/broken/: one small file per case, a folder for cases
 * that need several files) with every diagnostic line asserted verbatim, exactly as the CLI prints
 * it: `file:line:col: severity [id] message`. The expected lines are written by hand from the
 * fixture text (count the lines and columns); none is produced by the code under test.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildFromFiles, formatDiagnostic, type BuildResult, type NamingPreset } from "../src/index.js";
import { DIAGNOSTICS } from "@semtrace/spec/internal";
import { compile, under } from "./helpers/compile.js";

const BROKEN = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/broken");

/** Loads fixtures: a file is read as `broken/<file>`; a folder as a registry rooted at `broken/<folder>`. */
function build(given: readonly string[], naming?: NamingPreset): BuildResult {
  const files = new Map<string, string>();
  let root = "broken";
  for (const name of given) {
    const full = path.join(BROKEN, name);
    if (statSync(full).isDirectory()) {
      root = `broken/${name}`;
      for (const entry of readdirSync(full).sort()) files.set(entry, readFileSync(path.join(full, entry), "utf8"));
    } else files.set(name, readFileSync(full, "utf8"));
  }
  return buildFromFiles(root, files, naming ? { naming } : {});
}

const TYPE_LIST =
  "expected string, int, double, boolean, string[], int[], double[], boolean[], any, template[T], an enum (members:), list[<object group>], object[<object group>] or namespace";
const KEY_RULE = "expected lowercase dot-separated segments of letters, digits and underscores (e.g. `llm.model_name`)";
const REASONS = "expected renamed, obsoleted, uncategorized or unspecified";
const LEVELS = "expected required, conditionally_required, recommended or opt_in";

type Case = [name: string, c: { given: string[]; naming?: NamingPreset; want: string[] }];

const cases: Case[] = [
  // ----- YAML itself -----
  [
    "bad indentation (YAML syntax errors, all of them)",
    {
      given: ["syntax-bad-indentation.yaml"],
      want: [
        "broken/syntax-bad-indentation.yaml:4:1: error [yaml.syntax] Sequence item without - indicator",
        "broken/syntax-bad-indentation.yaml:4:11: error [yaml.syntax] Implicit keys need to be on a single line",
        "broken/syntax-bad-indentation.yaml:4:11: error [yaml.syntax] Nested mappings are not allowed in compact mappings",
      ],
    },
  ],
  [
    "tab indentation",
    {
      given: ["tab-indentation.yaml"],
      want: [
        "broken/tab-indentation.yaml:2:1: error [yaml.syntax] Tabs are not allowed as indentation",
        "broken/tab-indentation.yaml:3:1: error [yaml.syntax] Tabs are not allowed as indentation",
      ],
    },
  ],
  [
    "duplicate mapping key",
    {
      given: ["yaml-duplicate-key.yaml"],
      want: ["broken/yaml-duplicate-key.yaml:4:5: error [yaml.duplicate-key] Map keys must be unique"],
    },
  ],
  // ----- wrong shapes (load stage) -----
  [
    "groups is not a list",
    {
      given: ["groups-not-a-list.yaml"],
      want: [
        "broken/groups-not-a-list.yaml:2:3: error [yaml.shape] file: expected a sequence under `groups`, found a mapping",
      ],
    },
  ],
  [
    "attribute not a mapping, brief a mapping, type a sequence, boolean a string",
    {
      given: ["wrong-shapes.yaml"],
      want: [
        "broken/wrong-shapes.yaml:5:7: error [yaml.shape] group `registry.app`: expected a string for `brief`, found a mapping",
        'broken/wrong-shapes.yaml:7:9: error [yaml.shape] group `registry.app` attributes: expected an attribute (`id:`, `ref:` or `ref_group:`), found the string "app.name"',
        "broken/wrong-shapes.yaml:9:15: error [yaml.shape] group `registry.app` `app.kind`: expected a type name or an enum (`members:`), found a sequence",
        'broken/wrong-shapes.yaml:12:28: error [yaml.shape] group `registry.app` `app.flag`: expected true or false for `sampling_relevant`, found the string "yes"',
      ],
    },
  ],
  [
    "load problems in several files are reported together",
    {
      given: ["tab-indentation.yaml", "wrong-shapes.yaml", "groups-not-a-list.yaml"],
      want: [
        "broken/groups-not-a-list.yaml:2:3: error [yaml.shape] file: expected a sequence under `groups`, found a mapping",
        "broken/tab-indentation.yaml:2:1: error [yaml.syntax] Tabs are not allowed as indentation",
        "broken/tab-indentation.yaml:3:1: error [yaml.syntax] Tabs are not allowed as indentation",
        "broken/wrong-shapes.yaml:5:7: error [yaml.shape] group `registry.app`: expected a string for `brief`, found a mapping",
        'broken/wrong-shapes.yaml:7:9: error [yaml.shape] group `registry.app` attributes: expected an attribute (`id:`, `ref:` or `ref_group:`), found the string "app.name"',
        "broken/wrong-shapes.yaml:9:15: error [yaml.shape] group `registry.app` `app.kind`: expected a type name or an enum (`members:`), found a sequence",
        'broken/wrong-shapes.yaml:12:28: error [yaml.shape] group `registry.app` `app.flag`: expected true or false for `sampling_relevant`, found the string "yes"',
      ],
    },
  ],
  // ----- types -----
  [
    "unknown type",
    {
      given: ["unknown-type.yaml"],
      want: [
        `broken/unknown-type.yaml:6:15: error [type.unknown] unknown type \`strng\` for \`app.name\`: ${TYPE_LIST}`,
        `broken/unknown-type.yaml:8:15: error [type.unknown] unknown type \`template[thing]\` for \`app.tags\`: ${TYPE_LIST}`,
      ],
    },
  ],
  [
    "missing type",
    {
      given: ["missing-type.yaml"],
      want: ["broken/missing-type.yaml:5:9: error [type.missing] attribute `app.name` has no `type`"],
    },
  ],
  [
    "list[missing] and object[missing], with a suggestion when one is close",
    {
      given: ["list-missing.yaml"],
      want: [
        "broken/list-missing.yaml:6:15: error [type.object-unresolved] `app.messages` has type list[app.mesage] but no object group `app.mesage` exists (did you mean `app.message`?)",
        "broken/list-missing.yaml:8:15: error [type.object-unresolved] `app.other` has type object[nothing.like.it] but no object group `nothing.like.it` exists",
      ],
    },
  ],
  [
    "list[<a group that is not an object>]",
    {
      given: ["list-non-object.yaml"],
      want: [
        "broken/list-non-object.yaml:6:15: error [type.object-unresolved] `app.messages` has type list[registry.app] but `registry.app` is a group of type `attribute_group`, not `object`",
      ],
    },
  ],
  [
    "recursive structure and a key under a template with another type",
    {
      given: ["structures.yaml"],
      want: [
        "broken/structures.yaml:10:15: error [type.template-child] `app.header.count` is under the template `app.header` (string values) but has type int; a key under a template must carry the template's type",
        "broken/structures.yaml:11:5: error [type.object-cycle] object group `app.node` contains itself through app.node → app.node; structures must not nest recursively",
      ],
    },
  ],
  // ----- JSON shapes (spec/README.md §2.8) -----
  [
    "JSON shapes: unresolved shapes, properties that are no JSON property, unions that cannot pick, cycles",
    {
      given: ["json-shapes.yaml"],
      want: [
        "broken/json-shapes.yaml:10:44: error [shape.unresolved] attribute `app.payload` shape: `app.missing` names no JSON shape",
        "broken/json-shapes.yaml:15:23: error [annotation.misplaced] attribute `app.raw`: `shape` applies to attributes with `format: json` only",
        "broken/json-shapes.yaml:16:5: error [shape.cycle] JSON shape `app.item` contains itself through app.item → app.choice → app.item; shapes must not nest recursively",
        "broken/json-shapes.yaml:16:5: error [shape.discriminator] json_union `app.choice`: alternative `app.item` must define the discriminator `type` as a required property",
        'broken/json-shapes.yaml:20:25: error [annotation.value] group `app.item`: `open` takes true or false, found the string "yes"',
        "broken/json-shapes.yaml:20:40: error [shape.unresolved] json_object `app.item` legacy: `app.choice` is a `json_union` group; a `json_object` is expected here",
        "broken/json-shapes.yaml:24:9: error [shape.property] property `name` of `app.item` is already defined at broken/json-shapes.yaml:22:9",
        "broken/json-shapes.yaml:26:9: error [shape.property] property `2nd` of `app.item`: a property name is letters, digits and underscores, not starting with a digit",
        "broken/json-shapes.yaml:29:15: error [shape.property] property `tags` of `app.item` has type namespace, which a JSON property cannot have: expected a primitive, an enum, list[<json shape>] or object[<json shape>]",
        "broken/json-shapes.yaml:31:15: error [shape.unresolved] property `child` of `app.item` has type object[registry.app]: `registry.app` is a group of type `attribute_group`, not a JSON shape (`json_object` or `json_union`)",
        "broken/json-shapes.yaml:32:9: error [shape.property] json_object `app.item`: properties are defined in place (`id:` and `type:`); `ref` and `ref_group` name registry attributes, which are not properties of a JSON object",
        "broken/json-shapes.yaml:36:23: error [annotation.misplaced] property `choices` of `app.item`: `binary` applies to `string` properties only",
        "broken/json-shapes.yaml:37:5: error [shape.cycle] JSON shape `app.choice` contains itself through app.choice → app.item → app.choice; shapes must not nest recursively",
        "broken/json-shapes.yaml:43:9: error [shape.property] json_union `app.choice` lists its alternatives in `annotations.semtrace.one_of`; it has no properties of its own",
        "broken/json-shapes.yaml:56:9: error [shape.discriminator] json_union `app.choice`: alternative `app.b` takes any `type`, as `app.a` does already: a union has at most one fallback",
        "broken/json-shapes.yaml:63:9: error [shape.discriminator] json_union `app.choice`: alternative `app.c` must define the discriminator `type` as a required property",
        "broken/json-shapes.yaml:65:5: error [shape.discriminator] json_union `app.empty` names no alternatives: add `annotations.semtrace.one_of: [<json_object>, …]`",
        "broken/json-shapes.yaml:72:48: error [shape.unresolved] json_union `app.kinds` one_of: `app.choice` is a `json_union` group; a `json_object` is expected here",
        'broken/json-shapes.yaml:85:27: error [shape.discriminator] json_union `app.kinds`: alternative `app.k2`: `kind` "x" already picks `app.k1`',
        "broken/json-shapes.yaml:92:15: error [shape.discriminator] json_union `app.kinds`: alternative `app.k3`: the discriminator `kind` must be an enum (the values that pick it) or, for the fallback, a string",
        "broken/json-shapes.yaml:102:37: error [annotation.misplaced] attribute `app.text`: `plain_text` names a form of a JSON shape's content and applies beside `shape` only",
        "broken/json-shapes.yaml:107:72: error [annotation.value] attribute `app.text2`: `plain_text` takes the name of the plain-text form producers write (text), found number 3",
      ],
    },
  ],
  // ----- enums -----
  [
    "duplicate enum member id (and the repeated value, and the resulting constant clash)",
    {
      given: ["duplicate-enum-member.yaml"],
      want: [
        "broken/duplicate-enum-member.yaml:10:15: error [enum.duplicate-member] enum `app.kind` already has a member `web` (at broken/duplicate-enum-member.yaml:8:15)",
        "broken/duplicate-enum-member.yaml:10:15: error [name.collision] enum member `app.kind`.`web` and enum member `app.kind`.`web` both become the constant `APP_KIND_VALUE_WEB`; rename one or set `codegen.constants` in manifest.yaml",
        'broken/duplicate-enum-member.yaml:12:15: warning [enum.duplicate-value] enum `app.kind` member `cli` repeats the value "web" (first at broken/duplicate-enum-member.yaml:8:15)',
      ],
    },
  ],
  [
    "enum mixing value types",
    {
      given: ["enum-mixed-types.yaml"],
      want: [
        "broken/enum-mixed-types.yaml:10:15: error [enum.value-type] enum `app.code` mixes value types: member `text` is string, earlier members are int",
        "broken/enum-mixed-types.yaml:12:15: error [enum.value-type] enum `app.code` member `ratio` has a non-integer number; enum values are strings, ints or booleans",
        "broken/enum-mixed-types.yaml:14:15: error [enum.value-type] enum `app.code` mixes value types: member `flag` is boolean, earlier members are int",
      ],
    },
  ],
  // ----- references -----
  [
    "dangling ref, with and without a suggestion",
    {
      given: ["dangling-ref.yaml"],
      want: [
        "broken/dangling-ref.yaml:10:9: error [ref.unresolved] group `span.app` references attribute `app.nmae`, which is not defined (did you mean `app.name`?)",
        "broken/dangling-ref.yaml:11:9: error [ref.unresolved] group `span.app` references attribute `totally.unrelated.key`, which is not defined",
      ],
    },
  ],
  [
    "dangling ref_group (v2)",
    {
      given: ["dangling-ref-group.yaml"],
      want: [
        "broken/dangling-ref-group.yaml:14:9: error [ref-group.unresolved] group `span.app.request` references group `app.comon`, which does not exist (did you mean `app.common`?)",
      ],
    },
  ],
  [
    "unresolved extends",
    {
      given: ["unresolved-extends.yaml"],
      want: [
        "broken/unresolved-extends.yaml:7:14: error [extends.unresolved] group `span.app.request` extends `app.bsae`, which does not exist (did you mean `app.base`?)",
      ],
    },
  ],
  [
    "extends cycles, including a group extending itself",
    {
      given: ["extends-cycle.yaml"],
      want: [
        "broken/extends-cycle.yaml:4:14: error [extends.cycle] group `app.a` extends itself through app.a → app.b → app.a",
        "broken/extends-cycle.yaml:7:14: error [extends.cycle] group `app.b` extends itself through app.b → app.a → app.b",
        "broken/extends-cycle.yaml:10:14: error [extends.cycle] group `app.c` extends itself through app.c → app.c",
      ],
    },
  ],
  [
    "requirement levels: unknown, conditionally_required without a condition, a condition where none is allowed",
    {
      given: ["requirement-levels.yaml"],
      want: [
        `broken/requirement-levels.yaml:11:28: error [requirement-level.unknown] unknown requirement level \`mandatory\`: ${LEVELS}`,
        "broken/requirement-levels.yaml:16:28: error [requirement-level.condition-missing] `conditionally_required` needs a condition: `conditionally_required: <when>`",
        "broken/requirement-levels.yaml:22:11: error [requirement-level.unknown] `required` takes no condition",
      ],
    },
  ],
  // ----- duplicates -----
  [
    "duplicate group id",
    {
      given: ["duplicate-group-id.yaml"],
      want: [
        "broken/duplicate-group-id.yaml:5:5: error [group.duplicate-id] group id `app.common` is already used at broken/duplicate-group-id.yaml:2:5",
      ],
    },
  ],
  [
    "duplicate attribute key across two files (v1 group and v2 top-level)",
    {
      given: ["duplicate-attribute-across-files"],
      want: [
        "broken/duplicate-attribute-across-files/a.yaml:5:9: error [attribute.duplicate-key] attribute `shared.key` is already defined at broken/duplicate-attribute-across-files/b.yaml:5:5",
      ],
    },
  ],
  // ----- deprecation -----
  [
    "renamed_to target missing (with did-you-mean) and renamed without renamed_to",
    {
      given: ["renamed-to-missing.yaml"],
      want: [
        "broken/renamed-to-missing.yaml:10:11: error [deprecated.renamed-to-unresolved] attribute `app.title` is renamed to `app.nmae`, which is not defined (did you mean `app.name`?)",
        "broken/renamed-to-missing.yaml:15:11: error [deprecated.renamed-to-missing] attribute `app.label`: reason `renamed` needs `renamed_to`",
      ],
    },
  ],
  [
    "unknown deprecation reason, on an attribute and on an enum member",
    {
      given: ["unknown-deprecation-reason.yaml"],
      want: [
        `broken/unknown-deprecation-reason.yaml:8:11: error [deprecated.reason] attribute \`app.old\`: unknown deprecation reason \`retired\`: ${REASONS}`,
        `broken/unknown-deprecation-reason.yaml:16:17: error [deprecated.reason] enum member \`a\`: unknown deprecation reason \`moved\`: ${REASONS}`,
      ],
    },
  ],
  // ----- keys -----
  [
    "invalid keys: LLM.Model, a..b, -x",
    {
      given: ["invalid-keys.yaml"],
      want: [
        `broken/invalid-keys.yaml:5:9: error [key.invalid] invalid attribute key \`LLM.Model\`: ${KEY_RULE}`,
        `broken/invalid-keys.yaml:7:9: error [key.invalid] invalid attribute key \`a..b\`: ${KEY_RULE}`,
        `broken/invalid-keys.yaml:9:9: error [key.invalid] invalid attribute key \`-x\`: ${KEY_RULE}`,
      ],
    },
  ],
  [
    "leaf that is also a prefix: error (children listed, capped at three)",
    {
      given: ["leaf-and-prefix-error.yaml"],
      want: [
        "broken/leaf-and-prefix-error.yaml:5:9: error [key.leaf-and-prefix] `app.user` is an attribute and also the prefix of `app.user.email`, `app.user.id`, `app.user.name` and 1 more; declare it with `annotations: { semtrace: { prefix: true } }` if intended, or make it a template or namespace",
      ],
    },
  ],
  [
    "leaf that is also a prefix: a deprecated leaf is a warning",
    {
      given: ["leaf-and-prefix-deprecated.yaml"],
      want: [
        "broken/leaf-and-prefix-deprecated.yaml:5:9: warning [key.leaf-and-prefix] `app.user` is an attribute and also the prefix of `app.user.id` (allowed: it is deprecated)",
      ],
    },
  ],
  [
    "leaf that is also a prefix: templates, namespaces and `prefix: true` are fine",
    { given: ["leaf-and-prefix-allowed.yaml"], want: [] },
  ],
  // ----- constant names -----
  [
    "constant-name collision after case conversion (otel)",
    {
      given: ["name-collision.yaml"],
      naming: "otel",
      want: [
        "broken/name-collision.yaml:7:9: error [name.collision] attribute `app.b.c` and attribute `app.b_c` both become the constant `ATTR_APP_B_C`; rename one or set `codegen.constants` in manifest.yaml",
        "broken/name-collision.yaml:14:15: error [name.collision] enum member `app.kind`.`in.progress` and enum member `app.kind`.`in_progress` both become the constant `APP_KIND_VALUE_IN_PROGRESS`; rename one or set `codegen.constants` in manifest.yaml",
      ],
    },
  ],
  [
    "constant-name collision after case conversion (openinference)",
    {
      given: ["name-collision.yaml"],
      naming: "openinference",
      want: [
        "broken/name-collision.yaml:7:9: error [name.collision] attribute `app.b.c` and attribute `app.b_c` both become the constant `APP_B_C`; rename one or set `codegen.constants` in manifest.yaml",
        "broken/name-collision.yaml:14:15: error [name.collision] enum member `app.kind`.`in.progress` and enum member `app.kind`.`in_progress` both become the constant `IN_PROGRESS`; rename one or set `codegen.constants` in manifest.yaml",
      ],
    },
  ],
  [
    "constant-name collision between a deprecated and a current key: a warning",
    {
      given: ["name-collision-deprecated.yaml"],
      want: [
        "broken/name-collision-deprecated.yaml:5:9: warning [name.collision] attribute `app.user_id` (deprecated) and attribute `app.user.id` both become `ATTR_APP_USER_ID`; attribute `app.user.id` wins and the deprecated one is not emitted",
      ],
    },
  ],
  [
    "type-name collisions (otel): an enum's union type with a fixed type, two structures' field types",
    {
      given: ["type-name-collision.yaml"],
      want: [
        "broken/type-name-collision.yaml:5:9: error [name.collision] the enum type of `attribute` and the generated type `AttributeValue` both become the type `AttributeValue`; rename one",
        "broken/type-name-collision.yaml:19:5: error [name.collision] the field type of object group `app_item` and the field type of object group `app.item` both become the type `AppItemField`; rename one",
      ],
    },
  ],
  [
    "key-builder collision: two list keys that camel-case alike",
    {
      given: ["key-builder-collision.yaml"],
      want: [
        "broken/key-builder-collision.yaml:7:9: error [name.collision] `app.item.1` and `app.item1` both get the key builder `appItem1Key`; rename one",
      ],
    },
  ],
  [
    "type-name collisions (openinference): enum objects with a fixed type and with a structure's field type",
    {
      given: ["type-name-collision-openinference.yaml"],
      naming: "openinference",
      want: [
        "broken/type-name-collision-openinference.yaml:5:9: error [name.collision] the enum type of `attribute.key` and the generated type `AttributeKey` both become the type `AttributeKey`; rename one or name the enum in `codegen.enums` in manifest.yaml",
        "broken/type-name-collision-openinference.yaml:10:9: error [name.collision] the enum type of `foo.field` and the field type of object group `foo` both become the type `FooField`; rename one or name the enum in `codegen.enums` in manifest.yaml",
      ],
    },
  ],
  [
    "the same registry is fine in the otel preset",
    { given: ["type-name-collision-openinference.yaml"], naming: "otel", want: [] },
  ],
  [
    "a file that fails to load does not stop the others from being validated (references into it are not reported)",
    {
      given: ["partly-broken"],
      want: [
        "broken/partly-broken/a.yaml:6:15: error [yaml.syntax] Implicit keys need to be on a single line",
        "broken/partly-broken/a.yaml:6:15: error [yaml.syntax] Nested mappings are not allowed in compact mappings",
        "broken/partly-broken/b.yaml:10:15: error [enum.duplicate-member] enum `job.kind` already has a member `web` (at broken/partly-broken/b.yaml:8:15)",
        "broken/partly-broken/b.yaml:10:15: error [name.collision] enum member `job.kind`.`web` and enum member `job.kind`.`web` both become the constant `JOB_KIND_VALUE_WEB`; rename one or set `codegen.constants` in manifest.yaml",
      ],
    },
  ],
  // ----- manifest -----
  [
    "manifest: unknown preset, unknown key, enum setting on a non-enum, one enum name for different members",
    {
      given: ["manifest-problems"],
      want: [
        "broken/manifest-problems/manifest.yaml:3:3: error [manifest.naming] unknown naming preset `camel`: expected otel or openinference",
        "broken/manifest-problems/manifest.yaml:5:5: error [manifest.unknown-key] `codegen.constants` names `app.nmae`, which is not defined (did you mean `app.name`?)",
        "broken/manifest-problems/manifest.yaml:7:5: error [manifest.not-an-enum] `codegen.enums` names `app.name`, which is not an enum",
        "broken/manifest-problems/registry.yaml:12:9: error [enum.name-conflict] `app.state` and `app.status` share the enum name `Status` but their members differ",
      ],
    },
  ],
  // ----- semtrace annotations and compat enums -----
  [
    "semtrace annotations: unknown names, values of the wrong form, misplaced, unresolved keys",
    {
      given: ["annotation-problems.yaml"],
      want: [
        'broken/annotation-problems.yaml:5:28: error [annotation.value] group `registry.app`: `builder` takes a PascalCase name, found the string "app"',
        "broken/annotation-problems.yaml:11:13: error [annotation.unknown] attribute `app.name`: unknown semtrace annotation `closd` (did you mean `closed`?)",
        'broken/annotation-problems.yaml:12:21: error [annotation.value] attribute `app.name`: `format` takes `json`, found the string "yaml"',
        "broken/annotation-problems.yaml:13:13: error [annotation.misplaced] attribute `app.name`: `closed` applies to enum attributes only",
        'broken/annotation-problems.yaml:17:44: error [annotation.value] attribute `app.tags`: `accepts_json_string` takes true or false, found the string "yes"',
        "broken/annotation-problems.yaml:17:66: error [annotation.unresolved] attribute `app.tags`: `required_with` names `app.nmae`, which is not defined (did you mean `app.name`?)",
        "broken/annotation-problems.yaml:21:23: error [annotation.misplaced] attribute `app.body`: `accepts_structured` applies to attributes with `format: json` only",
        "broken/annotation-problems.yaml:21:60: error [annotation.unresolved] attribute `app.body`: `mime_type` names `app.mime`, which is not defined (did you mean `app.name`?)",
        'broken/annotation-problems.yaml:21:84: error [annotation.value] attribute `app.body`: `default_from` takes a list of keys, found the string "app.name"',
        "broken/annotation-problems.yaml:27:42: error [annotation.misplaced] enum member `app.kind`.`a`: `closed` has no effect here; it belongs on attribute definitions, properties of `json_object` groups",
        "broken/annotation-problems.yaml:32:19: error [annotation.misplaced] group `span.app`: `type_name` has no effect here; it belongs on object groups",
        "broken/annotation-problems.yaml:35:36: error [annotation.misplaced] group `span.app` ref `app.name`: `lowercase` has no effect here; it belongs on attribute definitions",
        'broken/annotation-problems.yaml:44:36: error [annotation.value] attribute `thing.id`: `sensitivity` takes `content`, found the string "secret"',
        "broken/annotation-problems.yaml:44:52: error [annotation.value] attribute `thing.id`: `redact` takes a redaction group, a list of them, or a map of span-level keys to them, found a mapping",
        'broken/annotation-problems.yaml:44:87: error [annotation.value] attribute `thing.id`: `input` takes a dotted camelCase path (`promptTemplate.template`), found the string "not a path"',
      ],
    },
  ],
  [
    "semtrace annotations that are not a mapping",
    {
      given: ["annotation-not-a-mapping.yaml"],
      want: [
        "broken/annotation-not-a-mapping.yaml:8:21: error [yaml.shape] group `registry.app` `app.name` annotations: expected a mapping under `semtrace`, found a sequence",
      ],
    },
  ],
  [
    "compat enums: a repeated or unknown member, a non-enum attribute, an undefined attribute, a name already taken",
    {
      given: ["compat-enum-problems"],
      naming: "openinference",
      want: [
        "broken/compat-enum-problems/manifest.yaml:7:7: error [manifest.compat-enum] compat enum `Kind` lists `a` twice",
        "broken/compat-enum-problems/manifest.yaml:7:7: error [manifest.compat-enum] compat enum `Kind`: `app.kind` has no member `c` (did you mean `a`?)",
        "broken/compat-enum-problems/manifest.yaml:10:7: error [manifest.compat-enum] compat enum `Name` names `app.name`, which is not an enum",
        "broken/compat-enum-problems/manifest.yaml:13:7: error [manifest.compat-enum] compat enum `Gone` names `app.knd`, which is not defined (did you mean `app.kind`?)",
        "broken/compat-enum-problems/manifest.yaml:16:13: error [name.collision] compat enum `AppKind` and enum object for `app.kind` both become the constant `AppKind`; choose another name in manifest.yaml",
      ],
    },
  ],
  // ----- many problems in one file -----
  [
    "every validation problem in a file is reported at once, in file/line/col order",
    {
      given: ["many-problems.yaml"],
      want: [
        "broken/many-problems.yaml:2:5: warning [stability.unknown] group `registry.app` has unknown stability `solid`: expected one of stable, development, experimental, alpha, beta, release_candidate, deprecated",
        `broken/many-problems.yaml:7:15: error [type.unknown] unknown type \`strng\` for \`app.name\`: ${TYPE_LIST}`,
        `broken/many-problems.yaml:8:9: error [key.invalid] invalid attribute key \`App.Title\`: ${KEY_RULE}`,
        "broken/many-problems.yaml:10:9: error [enum.empty] enum `app.kind` has no members",
        "broken/many-problems.yaml:15:14: error [extends.unresolved] group `span.app` extends `registry.ap`, which does not exist (did you mean `registry.app`?)",
        "broken/many-problems.yaml:17:9: error [ref.unresolved] group `span.app` references attribute `app.nmae`, which is not defined (did you mean `app.name`?)",
        `broken/many-problems.yaml:18:28: error [requirement-level.unknown] unknown requirement level \`sometimes\`: ${LEVELS}`,
        "broken/many-problems.yaml:20:15: error [type.object-unresolved] `app.count` has type list[app.thing] but no object group `app.thing` exists",
      ],
    },
  ],
  [
    "validation problems across files and the manifest, together",
    {
      given: ["many-problems.yaml", "dangling-ref.yaml", "extends-cycle.yaml"],
      want: [
        "broken/dangling-ref.yaml:10:9: error [ref.unresolved] group `span.app` references attribute `app.nmae`, which is not defined (did you mean `app.name`?)",
        "broken/dangling-ref.yaml:11:9: error [ref.unresolved] group `span.app` references attribute `totally.unrelated.key`, which is not defined",
        "broken/extends-cycle.yaml:4:14: error [extends.cycle] group `app.a` extends itself through app.a → app.b → app.a",
        "broken/extends-cycle.yaml:7:14: error [extends.cycle] group `app.b` extends itself through app.b → app.a → app.b",
        "broken/extends-cycle.yaml:10:14: error [extends.cycle] group `app.c` extends itself through app.c → app.c",
        // Both files define `registry.app`, `app.name` and `span.app`: the later definitions are duplicates.
        "broken/many-problems.yaml:2:5: error [group.duplicate-id] group id `registry.app` is already used at broken/dangling-ref.yaml:2:5",
        "broken/many-problems.yaml:2:5: warning [stability.unknown] group `registry.app` has unknown stability `solid`: expected one of stable, development, experimental, alpha, beta, release_candidate, deprecated",
        "broken/many-problems.yaml:6:9: error [attribute.duplicate-key] attribute `app.name` is already defined at broken/dangling-ref.yaml:5:9",
        `broken/many-problems.yaml:7:15: error [type.unknown] unknown type \`strng\` for \`app.name\`: ${TYPE_LIST}`,
        `broken/many-problems.yaml:8:9: error [key.invalid] invalid attribute key \`App.Title\`: ${KEY_RULE}`,
        "broken/many-problems.yaml:10:9: error [enum.empty] enum `app.kind` has no members",
        "broken/many-problems.yaml:13:5: error [group.duplicate-id] group id `span.app` is already used at broken/dangling-ref.yaml:7:5",
        "broken/many-problems.yaml:15:14: error [extends.unresolved] group `span.app` extends `registry.ap`, which does not exist (did you mean `registry.app`?)",
        "broken/many-problems.yaml:17:9: error [ref.unresolved] group `span.app` references attribute `app.nmae`, which is not defined (did you mean `app.name`?)",
        `broken/many-problems.yaml:18:28: error [requirement-level.unknown] unknown requirement level \`sometimes\`: ${LEVELS}`,
        "broken/many-problems.yaml:20:15: error [type.object-unresolved] `app.count` has type list[app.thing] but no object group `app.thing` exists",
      ],
    },
  ],
];

describe("diagnostics corpus", () => {
  it.each(cases)("%s", (_, { given, naming, want }) => {
    const result = build(given, naming);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(want);
    // Errors stop the build before anything is generated; warnings alone do not.
    const hasError = want.some((line) => / error \[/.test(line));
    expect(result.files.size === 0).toBe(hasError);
  });

  it("every diagnostic has its catalogued severity (or warning, where the catalogue allows it)", () => {
    for (const [, { given, naming }] of cases) {
      for (const d of build(given, naming).diagnostics) {
        const spec: { severity: string; orWarning?: string } = DIAGNOSTICS[d.id];
        expect([spec.severity, ...(spec.orWarning ? ["warning"] : [])], formatDiagnostic(d)).toContain(d.severity);
      }
    }
  });

  it("the corpus covers every fixture file and folder", () => {
    const used = new Set(cases.flatMap(([, c]) => c.given));
    expect(readdirSync(BROKEN).filter((f) => !used.has(f))).toEqual([]);
  });

  it("reports are sorted by file, then line, then column", () => {
    for (const [, { given, naming }] of cases) {
      const locations = build(given, naming).diagnostics.map((d) => d.location);
      const sorted = [...locations].sort((a, b) =>
        a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1,
      );
      expect(locations).toEqual(sorted);
    }
  });

  it("the current key wins a deprecated/current name collision and is the one emitted", () => {
    const result = build(["name-collision-deprecated.yaml"]);
    const attributes = result.files.get("attributes.ts")!;
    expect(attributes).toContain('export const ATTR_APP_USER_ID = "app.user.id";');
    expect(attributes).not.toContain("app.user_id");
    expect(result.files.get("types.ts")).not.toContain("app.user_id");
  });

  it("after the suggested fix (an enum name in codegen.enums), the registry builds and compiles", () => {
    const text = readFileSync(path.join(BROKEN, "type-name-collision-openinference.yaml"), "utf8");
    const manifest =
      "name: app\ncodegen:\n  naming: openinference\n  enums:\n    attribute.key: AttributeKeyKind\n    foo.field: FooFieldKind\n";
    const result = buildFromFiles(
      "fixed",
      new Map([
        ["manifest.yaml", manifest],
        ["registry.yaml", text],
      ]),
    );
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(compile(under("/pkg", result.files))).toEqual([]);
  });

  it("a deprecated leaf that is also a prefix is still generated", () => {
    const attributes = build(["leaf-and-prefix-deprecated.yaml"]).files.get("attributes.ts")!;
    expect(attributes).toContain('export const ATTR_APP_USER = "app.user";');
    expect(attributes).toContain('export const ATTR_APP_USER_ID = "app.user.id";');
  });
});
