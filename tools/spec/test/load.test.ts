/**
 * Load stage: YAML (v1 `groups:` and v2 `file_format: definition/2`) → the raw model, with exact
 * source positions. Fixtures are written line by line so every line/col below can be checked by
 * counting: a `- id:` item's mapping starts at the column of `id`; a value's location is its first
 * character.
 */
import { describe, expect, it } from "vitest";
import { parseTypeText } from "../src/load/attributes.js";
import { loadRegistryFromFiles } from "../src/load/load-registry.js";
import type { RawGroup, RawRegistry, RawType } from "../src/model/raw.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const at = (file: string, line: number, col: number) => ({ file, line, col });

// ---------------------------------------------------------------------------------------------
// v1: one attribute group with a prefix, every requirement-level form, both deprecation forms,
// annotations, examples, an enum; one span group with a refining `ref`.
// ---------------------------------------------------------------------------------------------
const V1 = lines(
  /*  1 */ "groups:",
  /*  2 */ "  - id: registry.http",
  /*  3 */ "    type: attribute_group",
  /*  4 */ "    prefix: http",
  /*  5 */ "    brief: HTTP attributes.",
  /*  6 */ "    stability: stable",
  /*  7 */ "    attributes:",
  /*  8 */ "      - id: request.method",
  /*  9 */ "        type:",
  /* 10 */ "          members:",
  /* 11 */ "            - id: get",
  /* 12 */ "              value: GET",
  /* 13 */ "              brief: GET method.",
  /* 14 */ "            - id: _OTHER",
  /* 15 */ "              value: _OTHER",
  /* 16 */ "              stability: stable",
  /* 17 */ "        brief: The method.",
  /* 18 */ "        examples: GET",
  /* 19 */ "        requirement_level: required",
  /* 20 */ "      - id: request.header",
  /* 21 */ "        type: template[string[]]",
  /* 22 */ "        brief: A header.",
  /* 23 */ '        examples: [["text/html"], ["a", "b"]]',
  /* 24 */ "        requirement_level:",
  /* 25 */ "          conditionally_required: if present",
  /* 26 */ "      - id: old",
  /* 27 */ "        type: int",
  /* 28 */ "        deprecated: Use something else.",
  /* 29 */ "        requirement_level: recommended",
  /* 30 */ "      - id: older",
  /* 31 */ "        type: boolean",
  /* 32 */ "        deprecated:",
  /* 33 */ "          reason: renamed",
  /* 34 */ "          renamed_to: http.request.method",
  /* 35 */ "          note: Moved.",
  /* 36 */ "        requirement_level:",
  /* 37 */ "          recommended: when known",
  /* 38 */ "        annotations:",
  /* 39 */ "          code_generation:",
  /* 40 */ "            exclude: true",
  /* 41 */ "          semtrace: { closed: true }",
  /* 42 */ "      - id: opt",
  /* 43 */ "        type: string",
  /* 44 */ "        requirement_level: opt_in",
  /* 45 */ "        note: |",
  /* 46 */ "          Line one.",
  /* 47 */ "          Line two.",
  /* 48 */ "  - id: span.http.client",
  /* 49 */ "    type: span",
  /* 50 */ "    span_kind: client",
  /* 51 */ "    extends: registry.http",
  /* 52 */ "    brief: Client span.",
  /* 53 */ "    attributes:",
  /* 54 */ "      - ref: http.request.method",
  /* 55 */ "        requirement_level: required",
  /* 56 */ "        brief: Refined.",
  /* 57 */ "        sampling_relevant: true",
  /* 58 */ "      - ref: http.opt",
  /* 59 */ "        examples: 42",
);

// ---------------------------------------------------------------------------------------------
// v2: top-level attributes with `key:`, attribute groups with visibility and ref_group, spans with
// type/kind, a span refinement, metrics, events, entities, and `imports:` (ignored).
// ---------------------------------------------------------------------------------------------
const V2 = lines(
  /*  1 */ "file_format: definition/2",
  /*  2 */ "imports:",
  /*  3 */ "  attribute_groups: [some.other.group]",
  /*  4 */ "attributes:",
  /*  5 */ "  - key: gen_ai.operation.name",
  /*  6 */ "    type: string",
  /*  7 */ "    brief: The operation.",
  /*  8 */ "    stability: development",
  /*  9 */ "    examples: [chat, embeddings]",
  /* 10 */ "  - key: gen_ai.request.model",
  /* 11 */ "    type: string",
  /* 12 */ "    brief: The model.",
  /* 13 */ "attribute_groups:",
  /* 14 */ "  - id: gen_ai.common",
  /* 15 */ "    visibility: public",
  /* 16 */ "    brief: Common.",
  /* 17 */ "    attributes:",
  /* 18 */ "      - ref: gen_ai.operation.name",
  /* 19 */ "        requirement_level: required",
  /* 20 */ "  - id: gen_ai.internal",
  /* 21 */ "    visibility: internal",
  /* 22 */ "    attributes:",
  /* 23 */ "      - ref_group: gen_ai.common",
  /* 24 */ "      - ref: gen_ai.request.model",
  /* 25 */ "spans:",
  /* 26 */ "  - type: gen_ai.client",
  /* 27 */ "    kind: client",
  /* 28 */ "    brief: A client span.",
  /* 29 */ "    attributes:",
  /* 30 */ "      - ref_group: gen_ai.common",
  /* 31 */ "span_refinements:",
  /* 32 */ "  - id: gen_ai.client.chat",
  /* 33 */ "    ref: gen_ai.client",
  /* 34 */ "    brief: Chat.",
  /* 35 */ "    attributes:",
  /* 36 */ "      - ref: gen_ai.request.model",
  /* 37 */ "        requirement_level: opt_in",
  /* 38 */ "metrics:",
  /* 39 */ "  - name: gen_ai.client.token.usage",
  /* 40 */ "    instrument: histogram",
  /* 41 */ '    unit: "{token}"',
  /* 42 */ "    attributes:",
  /* 43 */ "      - ref: gen_ai.operation.name",
  /* 44 */ "events:",
  /* 45 */ "  - name: gen_ai.client.inference",
  /* 46 */ "    attributes:",
  /* 47 */ "      - ref: gen_ai.request.model",
  /* 48 */ "entities:",
  /* 49 */ "  - type: gen_ai.agent",
  /* 50 */ "    identity:",
  /* 51 */ "      - ref: gen_ai.operation.name",
  /* 52 */ "    description:",
  /* 53 */ "      - ref: gen_ai.request.model",
);

const ALIASES = lines(
  /*  1 */ "groups:",
  /*  2 */ "  - id: g",
  /*  3 */ "    type: attribute_group",
  /*  4 */ "    attributes:",
  /*  5 */ "      - id: a.kind",
  /*  6 */ "        brief: &brief Shared brief.",
  /*  7 */ "        type: &kind",
  /*  8 */ "          members:",
  /*  9 */ "            - id: x",
  /* 10 */ "              value: 1",
  /* 11 */ "      - id: b.kind",
  /* 12 */ "        brief: *brief",
  /* 13 */ "        type: *kind",
);

function load(files: Record<string, string>, root = "spec"): { registry: RawRegistry; diagnostics: string[] } {
  const { registry, diagnostics } = loadRegistryFromFiles(root, new Map(Object.entries(files)));
  return {
    registry,
    diagnostics: diagnostics.map((d) => `${d.location.file}:${d.location.line}:${d.location.col} ${d.id} ${d.message}`),
  };
}

function group(registry: RawRegistry, id: string): RawGroup {
  const found = registry.groups.find((g) => g.id === id);
  if (!found) throw new Error(`no group ${id}; have ${registry.groups.map((g) => g.id).join(", ")}`);
  return found;
}

function member(registry: RawRegistry, groupId: string, index: number): unknown {
  return group(registry, groupId).members[index];
}

type Case = [name: string, c: { given: Record<string, string>; select: (r: RawRegistry) => unknown; want: unknown }];

const F1 = "spec/http.yaml";
const F2 = "spec/gen-ai.yaml";
const FA = "spec/aliases.yaml";

const cases: Case[] = [
  // ----- v1 -----
  [
    "v1 group header: id, type, brief, stability, location",
    {
      given: { "http.yaml": V1 },
      select: (r) => {
        const { members: _, ...rest } = group(r, "registry.http");
        return rest;
      },
      want: {
        id: "registry.http",
        type: "attribute_group",
        brief: "HTTP attributes.",
        stability: "stable",
        syntax: "v1",
        location: at(F1, 2, 5),
      },
    },
  ],
  [
    "v1 enum definition: prefix applied, members, scalar example becomes a list, `required`",
    {
      given: { "http.yaml": V1 },
      select: (r) => member(r, "registry.http", 0),
      want: {
        kind: "definition",
        key: "http.request.method",
        type: {
          kind: "enum",
          members: [
            { id: "get", value: "GET", brief: "GET method.", location: at(F1, 11, 15) },
            { id: "_OTHER", value: "_OTHER", stability: "stable", location: at(F1, 14, 15) },
          ],
        },
        typeLocation: at(F1, 10, 11),
        brief: "The method.",
        examples: ["GET"],
        requirementLevel: { level: "required", location: at(F1, 19, 28) },
        location: at(F1, 8, 9),
      },
    },
  ],
  [
    "v1 template type, list examples, `{conditionally_required: c}`",
    {
      given: { "http.yaml": V1 },
      select: (r) => member(r, "registry.http", 1),
      want: {
        kind: "definition",
        key: "http.request.header",
        type: { kind: "template", inner: "string[]" },
        typeLocation: at(F1, 21, 15),
        brief: "A header.",
        examples: [["text/html"], ["a", "b"]],
        requirementLevel: { level: "conditionally_required", condition: "if present", location: at(F1, 25, 11) },
        location: at(F1, 20, 9),
      },
    },
  ],
  [
    "v1 string `deprecated` (uncategorized, located at the key) and `recommended`",
    {
      given: { "http.yaml": V1 },
      select: (r) => member(r, "registry.http", 2),
      want: {
        kind: "definition",
        key: "http.old",
        type: { kind: "primitive", name: "int" },
        typeLocation: at(F1, 27, 15),
        deprecated: { reason: "uncategorized", note: "Use something else.", location: at(F1, 28, 9) },
        requirementLevel: { level: "recommended", location: at(F1, 29, 28) },
        location: at(F1, 26, 9),
      },
    },
  ],
  [
    "v1 structured `deprecated`, `{recommended: c}`, annotations",
    {
      given: { "http.yaml": V1 },
      select: (r) => member(r, "registry.http", 3),
      want: {
        kind: "definition",
        key: "http.older",
        type: { kind: "primitive", name: "boolean" },
        typeLocation: at(F1, 31, 15),
        deprecated: { reason: "renamed", renamedTo: "http.request.method", note: "Moved.", location: at(F1, 33, 11) },
        requirementLevel: { level: "recommended", condition: "when known", location: at(F1, 37, 11) },
        annotations: { code_generation: { exclude: true } },
        semtrace: {
          entries: [{ name: "closed", value: true, location: at(F1, 41, 23), valueLocation: at(F1, 41, 31) }],
          location: at(F1, 41, 11),
        },
        location: at(F1, 30, 9),
      },
    },
  ],
  [
    "v1 `opt_in` and a literal-block note (trailing newline trimmed)",
    {
      given: { "http.yaml": V1 },
      select: (r) => member(r, "registry.http", 4),
      want: {
        kind: "definition",
        key: "http.opt",
        type: { kind: "primitive", name: "string" },
        typeLocation: at(F1, 43, 15),
        note: "Line one.\nLine two.",
        requirementLevel: { level: "opt_in", location: at(F1, 44, 28) },
        location: at(F1, 42, 9),
      },
    },
  ],
  [
    "v1 span group: span_kind, extends with its location",
    {
      given: { "http.yaml": V1 },
      select: (r) => {
        const { members: _, ...rest } = group(r, "span.http.client");
        return rest;
      },
      want: {
        id: "span.http.client",
        type: "span",
        brief: "Client span.",
        extends: "registry.http",
        extendsLocation: at(F1, 51, 14),
        spanKind: "client",
        syntax: "v1",
        location: at(F1, 48, 5),
      },
    },
  ],
  [
    "v1 `ref` members with refinements",
    {
      given: { "http.yaml": V1 },
      select: (r) => group(r, "span.http.client").members,
      want: [
        {
          kind: "reference",
          ref: "http.request.method",
          brief: "Refined.",
          requirementLevel: { level: "required", location: at(F1, 55, 28) },
          samplingRelevant: true,
          location: at(F1, 54, 9),
        },
        { kind: "reference", ref: "http.opt", examples: [42], location: at(F1, 58, 9) },
      ],
    },
  ],
  [
    "v1 file: syntax recorded, no v2 attributes",
    {
      given: { "http.yaml": V1 },
      select: (r) => ({ files: r.files, attributes: r.attributes, groups: r.groups.map((g) => g.id) }),
      want: {
        files: [{ path: "http.yaml", syntax: "v1" }],
        attributes: [],
        groups: ["registry.http", "span.http.client"],
      },
    },
  ],
  // ----- YAML aliases -----
  [
    "aliases expand to the anchored value; positions point at the anchor",
    {
      given: { "aliases.yaml": ALIASES },
      select: (r) =>
        group(r, "g").members.map((m) =>
          m.kind === "definition" ? { key: m.key, brief: m.brief, type: m.type, typeLocation: m.typeLocation } : m,
        ),
      want: [
        {
          key: "a.kind",
          brief: "Shared brief.",
          type: { kind: "enum", members: [{ id: "x", value: 1, location: at(FA, 9, 15) }] },
          typeLocation: at(FA, 8, 11),
        },
        {
          key: "b.kind",
          brief: "Shared brief.",
          type: { kind: "enum", members: [{ id: "x", value: 1, location: at(FA, 9, 15) }] },
          typeLocation: at(FA, 8, 11),
        },
      ],
    },
  ],
  // ----- v2 -----
  [
    "v2 top-level attributes with `key:`",
    {
      given: { "gen-ai.yaml": V2 },
      select: (r) => r.attributes,
      want: [
        {
          kind: "definition",
          key: "gen_ai.operation.name",
          type: { kind: "primitive", name: "string" },
          typeLocation: at(F2, 6, 11),
          brief: "The operation.",
          examples: ["chat", "embeddings"],
          stability: "development",
          location: at(F2, 5, 5),
        },
        {
          kind: "definition",
          key: "gen_ai.request.model",
          type: { kind: "primitive", name: "string" },
          typeLocation: at(F2, 11, 11),
          brief: "The model.",
          location: at(F2, 10, 5),
        },
      ],
    },
  ],
  [
    "v2 attribute_groups with visibility and ref_group",
    {
      given: { "gen-ai.yaml": V2 },
      select: (r) => [group(r, "gen_ai.common"), group(r, "gen_ai.internal")],
      want: [
        {
          id: "gen_ai.common",
          type: "attribute_group",
          brief: "Common.",
          visibility: "public",
          members: [
            {
              kind: "reference",
              ref: "gen_ai.operation.name",
              requirementLevel: { level: "required", location: at(F2, 19, 28) },
              location: at(F2, 18, 9),
            },
          ],
          syntax: "v2",
          location: at(F2, 14, 5),
        },
        {
          id: "gen_ai.internal",
          type: "attribute_group",
          visibility: "internal",
          members: [
            { kind: "group-reference", refGroup: "gen_ai.common", location: at(F2, 23, 9) },
            { kind: "reference", ref: "gen_ai.request.model", location: at(F2, 24, 9) },
          ],
          syntax: "v2",
          location: at(F2, 20, 5),
        },
      ],
    },
  ],
  [
    "v2 span: id becomes span.<type>, kind becomes spanKind",
    {
      given: { "gen-ai.yaml": V2 },
      select: (r) => group(r, "span.gen_ai.client"),
      want: {
        id: "span.gen_ai.client",
        type: "span",
        brief: "A client span.",
        spanKind: "client",
        members: [{ kind: "group-reference", refGroup: "gen_ai.common", location: at(F2, 30, 9) }],
        syntax: "v2",
        location: at(F2, 26, 5),
      },
    },
  ],
  [
    "v2 span refinement extends span.<ref>",
    {
      given: { "gen-ai.yaml": V2 },
      select: (r) => group(r, "gen_ai.client.chat"),
      want: {
        id: "gen_ai.client.chat",
        type: "span",
        brief: "Chat.",
        extends: "span.gen_ai.client",
        extendsLocation: at(F2, 33, 10),
        members: [
          {
            kind: "reference",
            ref: "gen_ai.request.model",
            requirementLevel: { level: "opt_in", location: at(F2, 37, 28) },
            location: at(F2, 36, 9),
          },
        ],
        syntax: "v2",
        location: at(F2, 32, 5),
      },
    },
  ],
  [
    "v2 metrics, events and entities load as groups of references",
    {
      given: { "gen-ai.yaml": V2 },
      select: (r) =>
        r.groups
          .filter((g) => ["metric", "event", "entity"].includes(g.type))
          .map((g) => ({
            id: g.id,
            type: g.type,
            refs: g.members.map((m) => (m.kind === "reference" ? m.ref : m.kind)),
            location: g.location,
          })),
      want: [
        {
          id: "metric.gen_ai.client.token.usage",
          type: "metric",
          refs: ["gen_ai.operation.name"],
          location: at(F2, 39, 5),
        },
        { id: "event.gen_ai.client.inference", type: "event", refs: ["gen_ai.request.model"], location: at(F2, 45, 5) },
        {
          id: "entity.gen_ai.agent",
          type: "entity",
          refs: ["gen_ai.operation.name", "gen_ai.request.model"],
          location: at(F2, 49, 5),
        },
      ],
    },
  ],
  [
    "v2 file: syntax recorded, groups in section order",
    {
      given: { "gen-ai.yaml": V2 },
      select: (r) => ({ files: r.files, groups: r.groups.map((g) => g.id) }),
      want: {
        files: [{ path: "gen-ai.yaml", syntax: "v2" }],
        groups: [
          "gen_ai.common",
          "gen_ai.internal",
          "span.gen_ai.client",
          "gen_ai.client.chat",
          "metric.gen_ai.client.token.usage",
          "event.gen_ai.client.inference",
          "entity.gen_ai.agent",
        ],
      },
    },
  ],
  [
    "v1 and v2 files together: sorted by path, manifest read separately",
    {
      given: {
        "z.yaml": V1,
        "a/gen-ai.yaml": V2,
        "manifest.yaml": lines("name: demo", "version: 1.2.3", "codegen:", "  naming: openinference"),
      },
      select: (r) => ({ files: r.files, manifest: r.manifest }),
      want: {
        files: [
          { path: "a/gen-ai.yaml", syntax: "v2" },
          { path: "z.yaml", syntax: "v1" },
        ],
        manifest: {
          name: "demo",
          version: "1.2.3",
          codegen: {
            naming: "openinference",
            location: at("spec/manifest.yaml", 4, 3),
            at: { naming: at("spec/manifest.yaml", 4, 3) },
          },
          location: at("spec/manifest.yaml", 1, 1),
        },
      },
    },
  ],
];

describe("load", () => {
  it.each(cases)("%s", (_, { given, select, want }) => {
    const { registry, diagnostics } = load(given);
    expect(diagnostics).toEqual([]);
    expect(select(registry)).toStrictEqual(want);
  });

  it("an empty file and a comment-only file load as nothing, without problems", () => {
    const { registry, diagnostics } = load({ "empty.yaml": "", "comments.yaml": "# nothing here\n" });
    expect(diagnostics).toEqual([]);
    expect(registry.groups).toEqual([]);
    expect(registry.attributes).toEqual([]);
  });

  it("the root is shown verbatim in locations, with a trailing slash collapsed", () => {
    const { registry } = load({ "x.yaml": lines("groups:", "  - id: g", "    type: attribute_group") }, "some/dir/");
    expect(registry.groups[0]!.location).toEqual(at("some/dir/x.yaml", 2, 5));
  });
});

describe("parseTypeText", () => {
  const cases: [name: string, c: { given: string; want: RawType }][] = [
    ["string", { given: "string", want: { kind: "primitive", name: "string" } }],
    ["int", { given: "int", want: { kind: "primitive", name: "int" } }],
    ["double", { given: "double", want: { kind: "primitive", name: "double" } }],
    ["boolean", { given: "boolean", want: { kind: "primitive", name: "boolean" } }],
    ["string[]", { given: "string[]", want: { kind: "primitive", name: "string[]" } }],
    ["int[]", { given: "int[]", want: { kind: "primitive", name: "int[]" } }],
    ["double[]", { given: "double[]", want: { kind: "primitive", name: "double[]" } }],
    ["boolean[]", { given: "boolean[]", want: { kind: "primitive", name: "boolean[]" } }],
    ["any", { given: "any", want: { kind: "primitive", name: "any" } }],
    ["surrounding spaces", { given: "  int ", want: { kind: "primitive", name: "int" } }],
    ["template[string]", { given: "template[string]", want: { kind: "template", inner: "string" } }],
    ["template[string[]]", { given: "template[string[]]", want: { kind: "template", inner: "string[]" } }],
    ["template[int]", { given: "template[int]", want: { kind: "template", inner: "int" } }],
    ["template of a non-primitive", { given: "template[foo]", want: { kind: "unknown", text: "template[foo]" } }],
    [
      "list[object id]",
      { given: "list[openinference.message]", want: { kind: "list", object: "openinference.message" } },
    ],
    ["object[object id]", { given: "object[acme.item_part]", want: { kind: "object", object: "acme.item_part" } }],
    ["list with spaces inside", { given: "list[a b]", want: { kind: "unknown", text: "list[a b]" } }],
    ["namespace", { given: "namespace", want: { kind: "namespace" } }],
    ["unknown word", { given: "strin", want: { kind: "unknown", text: "strin" } }],
    ["v2 enum spelled as text", { given: "enum", want: { kind: "unknown", text: "enum" } }],
    ["upper case", { given: "String", want: { kind: "unknown", text: "String" } }],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(parseTypeText(given)).toStrictEqual(want);
  });
});
