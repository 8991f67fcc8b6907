/**
 * `readSpec` resolves a manifest's `dependencies` itself (the full matrix of kinds, caps and caches is tested through
 * the generator in tools/codegen/test/dependencies.test.ts): a local folder's attributes serve refs without becoming
 * the registry's own, and an archive not yet in the cache needs an unpacker, which this package does not have.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readSpec } from "../src/read-spec.js";

const root = mkdtempSync(path.join(os.tmpdir(), "semtrace-spec-deps-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lines = (...l: string[]) => `${l.join("\n")}\n`;

function registry(name: string, manifest: string, groups: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "registry_manifest.yaml"), manifest);
  writeFileSync(path.join(dir, "registry.yaml"), groups);
  return dir;
}

registry(
  "base",
  lines("schema_url: https://example.com/base/1.0.0"),
  lines(
    "groups:",
    "  - id: registry.base",
    "    type: attribute_group",
    "    brief: Base.",
    "    attributes:",
    "      - id: base.host",
    "        type: string",
    "        brief: The host.",
    "        stability: stable",
  ),
);
const APP_GROUPS = lines(
  "groups:",
  "  - id: registry.app",
  "    type: attribute_group",
  "    brief: App.",
  "    attributes:",
  "      - id: app.tier",
  "        type: string",
  "        brief: Tier.",
  "      - ref: base.host",
  "        requirement_level: required",
);
const appOn = (name: string, registryPath: string) =>
  registry(
    name,
    lines(
      "name: app",
      "schema_url: https://example.com/app/1.0.0",
      "dependencies:",
      "  - schema_url: https://example.com/base/1.0.0",
      `    registry_path: ${registryPath}`,
    ),
    APP_GROUPS,
  );

describe("readSpec with dependencies", () => {
  it("resolves refs into a local folder (relative to the manifest) without making them the registry's own", async () => {
    const { diagnostics, registry } = await readSpec(appOn("app-local", "../base"), {
      dependencies: { cacheDir: path.join(root, "cache") },
    });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(registry!.attributes.map((a) => `${a.key} ${a.emitted ? "own" : `from ${a.from}`}`).sort()).toEqual([
      "app.tier own",
      "base.host from example.com/base",
    ]);
  });

  it("says that an archive not yet in the cache needs an unpacker (this package has none)", async () => {
    writeFileSync(path.join(root, "base.zip"), "never opened");
    const { diagnostics, registry } = await readSpec(appOn("app-archive", "../base.zip"), {
      dependencies: { cacheDir: path.join(root, "cache-archive") },
    });
    expect(registry).toBeUndefined();
    const found = diagnostics.filter((d) => d.severity === "error");
    expect(found.map((d) => [d.id, path.basename(d.location.file), d.location.line])).toEqual([
      ["dependency.unresolved", "registry_manifest.yaml", 4],
    ]);
    expect(found[0]!.message).toContain("unpacking an archive needs @semtrace/codegen's unpackArchive");
  });
});
