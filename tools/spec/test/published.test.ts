/**
 * Published registries (Weaver's `manifest/2.0` manifest + `resolved/2.0` schema): the resolved schema reads as the
 * v2 definitions it came from — catalog entries as attribute definitions, each signal's `base` index as a `ref`
 * whose diagnostics point at the `base` entry — and a manifest whose schema cannot be read says why.
 */
import { describe, expect, it } from "vitest";
import { readSpecFiles } from "../src/read-spec.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;

const MANIFEST = lines(
  "file_format: manifest/2.0",
  "schema_url: https://example.com/acme/1.2.0",
  "resolved_registry_uri: resolved.yaml",
);

const RESOLVED = lines(
  /*  1 */ "file_format: resolved/2.0",
  /*  2 */ "schema_url: https://example.com/acme/1.2.0",
  /*  3 */ "dependencies:",
  /*  4 */ "  - https://example.com/base/1.0.0",
  /*  5 */ "attribute_catalog:",
  /*  6 */ "  - key: acme.queue",
  /*  7 */ "    type: string",
  /*  8 */ "    brief: The queue.",
  /*  9 */ "    stability: stable",
  /* 10 */ "  - key: acme.size",
  /* 11 */ "    type: int",
  /* 12 */ "    brief: Messages in the batch.",
  /* 13 */ "    stability: development",
  /* 14 */ "  - key: base.host",
  /* 15 */ "    type: string",
  /* 16 */ "    brief: The host.",
  /* 17 */ "    stability: stable",
  /* 18 */ "    provenance:",
  /* 19 */ "      source: 0",
  /* 20 */ "registry:",
  /* 21 */ "  attributes: [0, 1]",
  /* 22 */ "  metrics:",
  /* 23 */ "    - name: acme.queue.depth",
  /* 24 */ "      instrument: gauge",
  /* 25 */ "      unit: '{message}'",
  /* 26 */ "      brief: Messages waiting.",
  /* 27 */ "      stability: stable",
  /* 28 */ "      attributes:",
  /* 29 */ "        - base: 0",
  /* 30 */ "          requirement_level: required",
  /* 31 */ "        - base: 2",
  /* 32 */ "          requirement_level: recommended",
  /* 33 */ "  spans:",
  /* 34 */ "    - type: acme.send",
  /* 35 */ "      kind: producer",
  /* 36 */ "      name:",
  /* 37 */ "        note: send {queue}",
  /* 38 */ "      brief: Sending a batch.",
  /* 39 */ "      stability: development",
  /* 40 */ "      attributes:",
  /* 41 */ "        - base: 1",
  /* 42 */ "          requirement_level: recommended",
  /* 43 */ "refinements:",
  /* 44 */ "  metrics: []",
);

const read = (files: Record<string, string>) =>
  readSpecFiles("published", new Map(Object.entries(files)), { naming: "otel" });

describe("a published registry", () => {
  it("reads its resolved schema as the definitions it was resolved from", () => {
    const { diagnostics, registry } = read({ "manifest.yaml": MANIFEST, "resolved.yaml": RESOLVED });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // The registry's own attributes, and the one its metric carries from its own dependency (defined once).
    expect(registry!.attributes.map((a) => `${a.key}:${"name" in a.type ? a.type.name : a.type.kind}`).sort()).toEqual([
      "acme.queue:string",
      "acme.size:int",
      "base.host:string",
    ]);
    const metric = registry!.metrics.find((m) => m.name === "acme.queue.depth")!;
    expect(metric).toMatchObject({
      id: "metric.acme.queue.depth",
      instrument: "gauge",
      unit: "{message}",
      brief: "Messages waiting.",
    });
    expect(metric.attributes.map((u) => `${u.key}:${u.requirementLevel.level}`)).toEqual([
      "acme.queue:required",
      "base.host:recommended",
    ]);
    const span = registry!.spans.find((s) => s.id === "span.acme.send")!;
    expect(span.attributes.map((u) => `${u.key}:${u.requirementLevel.level}`)).toEqual(["acme.size:recommended"]);
  });

  it("takes the older resolved_schema_uri too", () => {
    const manifest = MANIFEST.replace("resolved_registry_uri", "resolved_schema_uri");
    expect(read({ "manifest.yaml": manifest, "resolved.yaml": RESOLVED }).registry?.attributes).toHaveLength(3);
  });

  it("reports a base that names no catalog entry at the base, as a ref that resolves nowhere", () => {
    const { diagnostics } = read({
      "manifest.yaml": MANIFEST,
      "resolved.yaml": RESOLVED.replace("        - base: 1", "        - base: 7"),
    });
    const found = diagnostics.filter((d) => d.severity === "error");
    expect(found.map((d) => [d.id, d.location.file, d.location.line, d.location.col])).toEqual([
      ["ref.unresolved", "published/resolved.yaml", 41, 17],
    ]);
    expect(found[0]!.message).toContain("no `attribute_catalog` entry 7 (the catalog has 3)");
  });

  it.each([
    ["a URL", "https://example.com/acme/resolved.yaml", "download it next to the manifest"],
    ["a path out of the folder", "../elsewhere/resolved.yaml", "download it next to the manifest"],
    [
      "a file that is not there",
      "missing.yaml",
      "`missing.yaml` is not among its files (the resolved schema read is resolved.yaml)",
    ],
  ])("says why it cannot read a resolved schema named by %s", (_what, uri, message) => {
    const { diagnostics, registry } = read({
      "manifest.yaml": MANIFEST.replace("resolved.yaml", uri),
      "resolved.yaml": RESOLVED,
    });
    expect(registry).toBeUndefined();
    const found = diagnostics.filter((d) => d.id === "manifest.published");
    expect(found).toHaveLength(1);
    expect(found[0]!.location).toMatchObject({ file: "published/manifest.yaml", line: 3, col: 1 });
    expect(found[0]!.message).toContain(message);
  });

  it("says so when the manifest names no resolved schema, or a manifest format it does not know", () => {
    const none = read({
      "manifest.yaml": lines("file_format: manifest/2.0", "schema_url: https://example.com/acme/1.2.0"),
      "resolved.yaml": RESOLVED,
    });
    expect(none.diagnostics.filter((d) => d.id === "manifest.published").map((d) => d.message)).toEqual([
      expect.stringContaining("names its resolved schema with `resolved_registry_uri`"),
    ]);
    const other = read({
      "manifest.yaml": lines("file_format: manifest/3.0", "schema_url: https://example.com/acme/1.2.0"),
      "a.yaml": lines("groups: []"),
    });
    expect(other.diagnostics.filter((d) => d.id === "manifest.published").map((d) => d.message)).toEqual([
      expect.stringContaining('unknown manifest file_format "manifest/3.0"'),
    ]);
  });
});
