/**
 * Golden files: the complete output for a fixture registry that uses every feature (v1 and v2
 * files, object structures, lists, templates, namespaces, shared enums, overrides, compat objects,
 * deprecation, hostile doc text). Any change to emitted code shows up as a reviewable diff in
 * test/__golden__/acme/. Update deliberately with `npx vitest run -u`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildRegistry } from "../src/index.js";
import { compileInMemory } from "./helpers/compile-memory.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const spec = path.join(here, "fixtures/golden/acme");

describe("golden output of the acme fixture registry", async () => {
  const result = await buildRegistry(spec, { command: "semtrace generate --spec test/fixtures/golden/acme --out <out>" });

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
