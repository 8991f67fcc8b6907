/**
 * What Weaver tolerates, semtrace reads too, each with a warning that has an id: `renamed_to` under a reason other
 * than `renamed`, a v1 group without `type`, a multi-line quoted scalar continued at its key's indentation (PyYAML's
 * reading), and the legacy manifest name. Plus `ref` + `prefix: true`, `file_format: definition/1`, and signal
 * names read from both syntaxes.
 */
import { describe, expect, it } from "vitest";
import { buildFromFiles } from "../src/index.js";
import { reindentQuotedContinuations } from "@semtrace/spec/internal";

const build = (files: Record<string, string>) =>
  buildFromFiles("spec", new Map(Object.entries(files)), { naming: "otel" });
const summary = (r: ReturnType<typeof build>) =>
  r.diagnostics.map((d) => `${d.severity} ${d.id} ${d.location.file}:${d.location.line}`);

describe("tolerated as Weaver tolerates", () => {
  it("ignores renamed_to under another reason, with a warning at it", () => {
    const r = build({
      "a.yaml": `groups:
  - id: registry.db
    type: attribute_group
    brief: Db.
    attributes:
      - id: db.namespace
        type: string
        brief: The namespace.
      - id: db.redis.database_index
        type: int
        brief: The index.
        deprecated:
          reason: uncategorized
          renamed_to: "Use \`db.namespace\` instead."
`,
    });
    expect(summary(r)).toEqual(["warning deprecated.renamed-to-ignored spec/a.yaml:14"]);
    expect(r.registry!.attributes.find((a) => a.key === "db.redis.database_index")!.deprecated).toEqual({
      reason: "uncategorized",
    });
  });

  it("reads a v1 group without type as an attribute group, with a warning", () => {
    const r = build({
      "a.yaml":
        "groups:\n  - id: registry.thing\n    brief: T.\n    attributes:\n      - id: thing.size\n        type: int\n        brief: Size.\n",
    });
    expect(summary(r)).toEqual(["warning group.type-missing spec/a.yaml:2"]);
    expect(r.files.get("attributes.ts")).toContain('ATTR_THING_SIZE = "thing.size"');
  });

  it("reads a quoted example continued at its key's indentation as PyYAML does", () => {
    const text = `groups:
  - id: registry.sql
    type: attribute_group
    brief: Sql.
    attributes:
      - id: db.query.text
        type: string
        brief: The query.
        examples: "SELECT *
        FROM t WHERE id = ?"
      - id: db.query.summary
        type: string
        brief: 'It''s
      a summary'
        note: |
          A block scalar with a "quote
          that never closes, which is fine in a block.
`;
    const r = build({ "a.yaml": text });
    expect(summary(r)).toEqual([
      "warning yaml.pyyaml-indent spec/a.yaml:10",
      "warning yaml.pyyaml-indent spec/a.yaml:14",
    ]);
    const byKey = new Map(r.registry!.attributes.map((a) => [a.key, a]));
    expect(byKey.get("db.query.text")!.examples).toEqual(["SELECT * FROM t WHERE id = ?"]);
    expect(byKey.get("db.query.summary")!.brief).toBe("It's a summary");
    expect(byKey.get("db.query.summary")!.note).toContain('"quote');
  });

  it.each([
    ["a quote that is closed on its line", 'a:\n  b: "x"\n  c: 1\n'],
    ["a continuation already indented deeper", 'a:\n  b: "x\n    y"\n'],
    ["quotes inside a block scalar", 'a:\n  b: |\n    "open\n  c: 1\n'],
    ["a quote in a comment", 'a:\n  b: 1 # "open\n  c: 1\n'],
  ])("leaves alone %s", (_, text) => {
    expect(reindentQuotedContinuations(text)).toBeUndefined();
  });

  it("still reports a quote that never closes", () => {
    const r = build({ "a.yaml": 'groups:\n  - id: x\n    type: attribute_group\n    brief: "never closed\n' });
    expect(r.diagnostics.map((d) => d.id)).toContain("yaml.syntax");
  });

  it("reads ref + prefix: true as a new attribute under the group's prefix, and file_format: definition/1", () => {
    const r = build({
      "geo.yaml":
        "file_format: definition/1\ngroups:\n  - id: registry.geo\n    type: attribute_group\n    prefix: geo\n    brief: Geo.\n    attributes:\n      - id: lat\n        type: double\n        brief: Latitude.\n",
      "client.yaml":
        "groups:\n  - id: registry.client\n    type: attribute_group\n    prefix: client\n    brief: Client.\n    attributes:\n      - ref: geo.lat\n        prefix: true\n        brief: The client's latitude.\n",
    });
    expect(summary(r)).toEqual([]);
    const embedded = r.registry!.attributes.find((a) => a.key === "client.geo.lat")!;
    expect(embedded).toMatchObject({
      brief: "The client's latitude.",
      type: { kind: "primitive", name: "double" },
      emitted: true,
    });
    expect(r.files.get("attributes.ts")).toContain('ATTR_CLIENT_GEO_LAT = "client.geo.lat"');
  });
});
