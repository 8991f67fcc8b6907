/**
 * Golden files: the complete output for a fixture registry that uses every feature (v1 and v2
 * files, object structures, lists, templates, namespaces, shared enums, overrides, compat objects
 * and enums, deprecation, stability that differs from the registry's, rationales, hostile doc
 * text). Any change to emitted code shows up as a reviewable diff in test/__golden__/acme/. Update
 * deliberately with `npx vitest run -u`. The generated files of the registries semtrace ships are
 * held to the same layout rules.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildRegistry, type BuildResult } from "../src/index.js";
import { compileInMemory } from "./helpers/compile-memory.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const spec = path.join(here, "fixtures/golden/acme");

describe("golden output of the acme fixture registry", async () => {
  const result = await buildRegistry(spec, {
    command: "semtrace generate --spec test/fixtures/golden/acme --out <out>",
  });

  it("has no errors or warnings", () => {
    expect(result.diagnostics.map((d) => `${d.severity} ${d.id}`)).toEqual([]);
  });

  it.each([...result.files.keys()].sort())("%s matches the golden file", async (file) => {
    await expect(result.files.get(file)).toMatchFileSnapshot(path.join(here, "__golden__/acme", file));
  });

  it("compiles under strict TypeScript and the typed helpers type-check as intended", () => {
    const usage = `
      import { ACME_REQUEST_BODY, RequestStatus, acmeItemsKey, itemPartsKey, acmeUsageDetailKey, type AttributeTypes, type Attributes } from "./index.js";
      const k = acmeItemsKey(2, itemPartsKey(0, "part.sku"));
      const exact: "acme.items.2.item.parts.0.part.sku" = k;
      const attrs: Attributes = { "acme.request.id": "r", [k]: "sku-1", [acmeUsageDetailKey("gpu")]: 3 };
      const status: AttributeTypes["acme.request.status"] = RequestStatus.OK;
      const member: RequestStatus.FAILED = "failed";
      // @ts-expect-error closed enum: other strings are rejected
      const bad: AttributeTypes["acme.request.status"] = "maybe";
      // @ts-expect-error unknown field of a structure
      acmeItemsKey(0, "item.nope");
      export { exact, attrs, status, member, bad, ACME_REQUEST_BODY };
    `;
    const files = new Map([...result.files].map(([p, t]) => [p, t]));
    files.set("usage.ts", usage);
    expect(compileInMemory(files)).toEqual([]);
  });
});

/** Lines over 120 characters, other than `@example` lines of doc comments (examples are values, shown as written). */
function longLines(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    if (!file.endsWith(".ts")) continue;
    text.split("\n").forEach((line, i) => {
      if ([...line].length > 120 && !/^\s*\* @example /.test(line)) out.push(`${file}:${i + 1}: ${line}`);
    });
  }
  return out;
}

describe("layout and docs of generated code", async () => {
  const acme = await buildRegistry(spec, { command: "c" });
  const shipped: [string, BuildResult][] = [];
  for (const name of ["openinference", "genai"])
    shipped.push([name, await buildRegistry(path.join(here, "../../../spec", name), { command: "c" })]);

  it.each([["acme", acme] as const, ...shipped])("%s: no line over 120 characters outside examples", (_, result) => {
    expect(result.files.size).toBeGreaterThan(0);
    expect(longLines(result.files)).toEqual([]);
  });

  it("a rationale stays in the model and never reaches the generated code", () => {
    const attr = acme.registry!.attributes.find((a) => a.key === "acme.request.id")!;
    expect(attr.rationale).toBe("RATIONALE-ATTRIBUTE never reaches generated code.");
    expect(acme.registry!.objects.find((o) => o.id === "acme.item")!.rationale).toBe(
      "RATIONALE-GROUP never reaches generated code.",
    );
    const status = acme.registry!.attributes.find((a) => a.key === "acme.request.status")!.type;
    expect(status.kind === "enum" && status.members[0]!.rationale).toBe(
      "RATIONALE-MEMBER never reaches generated code.",
    );
    for (const [file, text] of acme.files) expect(text, file).not.toContain("RATIONALE-");
  });

  it.each(shipped)('%s: no "Decision" in generated docs (decisions are rationales)', (_, result) => {
    for (const [file, text] of result.files) expect(text, file).not.toMatch(/Decision( \(|:)/);
  });

  it("stability is stated once for the registry; an item says its own only when it differs", () => {
    const attributes = acme.files.get("attributes.ts")!;
    expect(attributes).toContain(" * Stability: the `acme` registry is `development`");
    expect(attributes).not.toContain("@experimental");
    // acme.request.id is stable in a development registry.
    expect(attributes).toMatch(/Stable, unlike the rest of the registry\.\n \*\/\nexport const ACME_REQUEST_ID/);
  });
});
