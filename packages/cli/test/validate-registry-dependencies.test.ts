/**
 * `semtrace validate --registry <dir>` reads a registry's `dependencies` as the generator does (@semtrace/spec's
 * loader): the dependency's attributes are known to the registry's validators. An archive dependency is unpacked by
 * the generator, loaded on demand (installed here, as a workspace); the CLI installed alone says what to install
 * instead (test/standalone.test.ts). The archive is made with the system's `tar`, as a user would.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { tempDir } from "./helpers/tmp.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;

let root: string;
let spans: string;
const saved = process.env["SEMTRACE_CACHE_DIR"];

beforeAll(() => {
  root = tempDir("registry-deps");
  process.env["SEMTRACE_CACHE_DIR"] = join(root, "cache");
  const base = join(root, "src", "acme-base");
  mkdirSync(base, { recursive: true });
  writeFileSync(join(base, "manifest.yaml"), lines("schema_url: https://example.com/acme-base/1.0.0"));
  writeFileSync(
    join(base, "registry.yaml"),
    lines(
      "groups:",
      "  - id: registry.acme.base",
      "    type: attribute_group",
      "    brief: Shared.",
      "    attributes:",
      "      - id: acme.tenant.id",
      "        type: string",
      "        brief: The tenant.",
      "        stability: development",
    ),
  );
  execFileSync("tar", ["-czf", join(root, "acme-base.tar.gz"), "-C", join(root, "src"), "acme-base"]);
  const app = join(root, "app");
  mkdirSync(app);
  writeFileSync(
    join(app, "manifest.yaml"),
    lines(
      "name: acme-app",
      "schema_url: https://example.com/acme-app/1.0.0",
      "owns: [acme]",
      "dependencies:",
      "  - schema_url: https://example.com/acme-base/1.0.0",
      "    registry_path: ../acme-base.tar.gz",
    ),
  );
  writeFileSync(
    join(app, "registry.yaml"),
    lines(
      "groups:",
      "  - id: registry.acme.app",
      "    type: attribute_group",
      "    brief: The app's own.",
      "    attributes:",
      "      - id: acme.app.feature",
      "        type: string",
      "        brief: The feature.",
      "        stability: development",
      "      - ref: acme.tenant.id",
    ),
  );
  spans = join(root, "spans.json");
  writeFileSync(
    spans,
    JSON.stringify([
      { name: "work", attributes: { "acme.app.feature": "search", "acme.tenant.id": 42, "acme.tenant.idd": "x" } },
    ]),
  );
});

afterAll(() => {
  if (saved === undefined) delete process.env["SEMTRACE_CACHE_DIR"];
  else process.env["SEMTRACE_CACHE_DIR"] = saved;
});

async function validate(): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(["validate", "--reporter", "json", "-r", join(root, "app"), spans], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: root,
  });
  return { code, stdout, stderr };
}

it("knows the attributes of a registry's archive dependency, unpacked once into the cache", async () => {
  const first = await validate();
  expect(first.stderr).toBe("");
  expect(first.code).toBe(1);
  const findings = (JSON.parse(first.stdout) as { findings: { rule: string; key: string }[] }).findings
    .map((f) => `${f.rule} ${f.key}`)
    .sort();
  // The dependency's attribute is checked for its type; a key neither registry defines is unknown.
  expect(findings).toEqual(["key.unknown acme.tenant.idd", "value.type acme.tenant.id"]);
  expect(readdirSync(join(root, "cache"))).not.toEqual([]);
  // Again, from the cache: the same report.
  const again = await validate();
  expect(again.stdout).toBe(first.stdout);
});
