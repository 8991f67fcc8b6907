/**
 * The generated validator, run: a small fixture registry (every type form, nested lists and
 * objects, templates, a namespace, open/closed/int enums, JSON text, deprecations, span kinds with
 * requirement levels) is built in memory, the printed validators.ts is transpiled to plain ESM in a
 * temporary directory and imported; each row of the table validates one attribute record and lists
 * exactly the findings it must produce (`rule key`, sorted).
 *
 * `@semtrace/runtime` in the transpiled file resolves through the workspace alias (vitest.shared.ts)
 * to the runtime's sources.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, RegistryValidator, ValidateOptions } from "@semtrace/runtime";
import { createValidator } from "@semtrace/runtime";
import { banner, buildFromFiles, emitRegistry, printFiles, validatorsModule, type BuildResult } from "../src/index.js";
import { compile, under } from "./helpers/compile.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;

const SPEC = new Map([
  [
    "manifest.yaml",
    lines(
      "name: shop",
      "version: 1.0.0",
      "span_kind_attribute: shop.kind",
      "owns: [shop, cart]",
      "codegen:",
      "  naming: openinference",
      "  enums:",
      "    shop.kind: ShopKind",
    ),
  ],
  [
    "registry.yaml",
    lines(
      "groups:",
      "  - id: registry.shop",
      "    type: attribute_group",
      "    brief: Shop attributes.",
      "    attributes:",
      "      - id: shop.kind",
      "        brief: Kind of operation.",
      "        annotations: { semtrace: { closed: true } }",
      "        type:",
      "          members:",
      "            - { id: checkout, value: CHECKOUT }",
      "            - { id: browse, value: BROWSE }",
      "            - { id: refund, value: REFUND }",
      "      - { id: shop.user.id, type: string, brief: User. }",
      "      - { id: shop.total, type: double, brief: Total., annotations: { semtrace: { required_with: [shop.items] } } }",
      "      - { id: shop.count, type: int, brief: Count. }",
      "      - { id: shop.flags, type: 'boolean[]', brief: Flags. }",
      "      - { id: shop.tags, type: 'string[]', brief: Tags. }",
      "      - { id: shop.labels, type: 'string[]', brief: Labels, also JSON-encoded., annotations: { semtrace: { accepts_json_string: true } } }",
      "      - { id: shop.payload, type: string, brief: Payload., annotations: { semtrace: { format: json } } }",
      "      - { id: shop.any, type: any, brief: Anything. }",
      "      - id: shop.channel",
      "        brief: Channel (open enum).",
      "        type:",
      "          members:",
      "            - { id: web, value: web }",
      "            - { id: app, value: app }",
      "      - id: shop.level",
      "        brief: Level (closed int enum).",
      "        annotations: { semtrace: { closed: true } }",
      "        type:",
      "          members:",
      "            - { id: one, value: 1 }",
      "            - { id: two, value: 2 }",
      "      - id: shop.old_id",
      "        type: string",
      "        brief: Old id.",
      "        deprecated: { reason: renamed, renamed_to: shop.user.id }",
      "      - id: shop.gone",
      "        type: int",
      "        brief: Gone.",
      "        deprecated: { reason: obsoleted, note: No longer recorded. }",
      "      - { id: shop.meta, type: 'template[string]', brief: Free-form metadata. }",
      "      - { id: shop.meta.source, type: string, brief: Well-known metadata. }",
      "      - { id: shop.ns, type: namespace, brief: A namespace. }",
      "      - { id: shop.ns.inner, type: int, brief: Inner. }",
      "      - { id: shop.items, type: 'list[shop.item]', brief: Items. }",
      "      - { id: shop.address, type: 'object[shop.address]', brief: Address. }",
      "      - { id: cart.items, type: 'list[shop.item]', brief: The same structure under another key. }",
      "      - id: shop.receipt",
      "        type: string",
      "        brief: The receipt, as JSON (a JSON shape, spec/README.md §2.8).",
      "        annotations: { semtrace: { format: json, accepts_structured: true, shape: 'object[shop.receipt]', plain_text: a receipt's plain text } }",
      "  - id: shop.receipt",
      "    type: json_object",
      "    brief: A receipt, closed (no other properties).",
      "    annotations: { semtrace: { legacy: [shop.old_receipt] } }",
      "    attributes:",
      "      - { id: id, type: int, brief: Number., requirement_level: required }",
      "      - { id: lines, type: 'list[shop.line]', brief: Lines., requirement_level: required }",
      "      - { id: note, type: string, brief: Note., annotations: { semtrace: { nullable: true } } }",
      "      - { id: codes, type: 'string[]', brief: Codes. }",
      "  - id: shop.line",
      "    type: json_union",
      "    brief: A line (no fallback).",
      "    annotations: { semtrace: { discriminator: kind, one_of: [shop.product_line, shop.fee_line] } }",
      "  - id: shop.product_line",
      "    type: json_object",
      "    brief: A product.",
      "    annotations: { semtrace: { open: true } }",
      "    attributes:",
      "      - { id: kind, type: { members: [{ id: product, value: product }] }, brief: Kind., requirement_level: required }",
      "      - { id: sku, type: string, brief: SKU., requirement_level: required }",
      "  - id: shop.fee_line",
      "    type: json_object",
      "    brief: A fee.",
      "    annotations: { semtrace: { open: true } }",
      "    attributes:",
      "      - { id: kind, type: { members: [{ id: fee, value: fee }, { id: tax, value: tax }] }, brief: Kind., requirement_level: required }",
      "      - { id: amount, type: double, brief: Amount., requirement_level: required }",
      "      - { id: data, type: string, brief: Data., annotations: { semtrace: { binary: true } } }",
      "  - id: shop.old_receipt",
      "    type: json_object",
      "    brief: the receipt format of version 1 (`items` instead of `lines`)",
      "    annotations: { semtrace: { open: true } }",
      "    attributes:",
      "      - { id: items, type: any, brief: Items., requirement_level: required }",
      "  - id: shop.item",
      "    type: object",
      "    brief: An item.",
      "    attributes:",
      "      - { id: item.sku, type: string, brief: SKU., requirement_level: required }",
      "      - { id: item.qty, type: int, brief: Quantity. }",
      "      - { id: item.options, type: 'list[shop.option]', brief: Options. }",
      "      - { id: item.extra, type: 'template[int]', brief: Extra counters. }",
      "      - { id: item.dims, type: 'object[shop.dims]', brief: Dimensions. }",
      "  - id: shop.option",
      "    type: object",
      "    brief: An option.",
      "    attributes:",
      "      - { id: option.name, type: string, brief: Name. }",
      "      - { id: option.value, type: string, brief: Value., annotations: { semtrace: { format: json } } }",
      "  - id: shop.dims",
      "    type: object",
      "    brief: Dimensions.",
      "    attributes:",
      "      - { id: dims.w, type: double, brief: Width. }",
      "  - id: shop.address",
      "    type: object",
      "    brief: An address.",
      "    attributes:",
      "      - { id: address.city, type: string, brief: City. }",
      "  - id: span.shop.checkout",
      "    type: span",
      "    span_kind: internal",
      "    brief: A checkout.",
      "    annotations: { semtrace: { span_kind: CHECKOUT } }",
      "    attributes:",
      "      - { ref: shop.kind, requirement_level: required }",
      "      - { ref: shop.user.id, requirement_level: required }",
      "      - { ref: shop.total, requirement_level: { conditionally_required: when the order was paid } }",
      "      - { ref: shop.items, requirement_level: recommended }",
      "      - { ref: shop.count, requirement_level: { recommended: when counted } }",
      "      - { ref: shop.channel, requirement_level: opt_in }",
      "  - id: span.shop.browse",
      "    type: span",
      "    span_kind: internal",
      "    brief: Browsing.",
      "    annotations: { semtrace: { span_kind: BROWSE } }",
      "    attributes:",
      "      - { ref: shop.kind, requirement_level: required }",
      "      - { ref: shop.user.id, requirement_level: recommended }",
    ),
  ],
]);

/** A valid CHECKOUT span: no findings. */
const VALID = {
  "shop.kind": "CHECKOUT",
  "shop.user.id": "u1",
  "shop.total": 12,
  "shop.items.0.item.sku": "a",
  "shop.items.0.item.qty": 2,
  "shop.items.0.item.options.0.option.name": "size",
  "shop.items.0.item.options.0.option.value": '{"v":"L"}',
  "shop.items.0.item.options.1.option.name": "color",
  "shop.items.0.item.extra.gift_wrap": 1,
  "shop.items.0.item.dims.dims.w": 1.5,
  "shop.items.1.item.sku": "b",
  "cart.items.0.item.sku": "c",
  "shop.address.address.city": "Paris",
  "shop.flags": [true, false, null],
  "shop.tags": ["x"],
  "shop.payload": "[1, 2]",
  "shop.any": { anything: "goes" },
  "shop.channel": "web",
  "shop.level": 2,
  "shop.meta.source": "ads",
  "shop.meta.campaign": "summer",
  "shop.ns.inner": 3,
  "http.method": "GET", // someone else's namespace: ignored
};

const RECEIPT = {
  id: 7,
  lines: [
    { kind: "product", sku: "a" },
    { kind: "tax", amount: 1.5, data: "AQI=" },
  ],
  note: null,
  codes: ["x"],
};

interface Row {
  readonly name: string;
  readonly attributes: Record<string, unknown>;
  readonly options?: ValidateOptions;
  /** `rule key`, sorted. */
  readonly want: readonly string[];
}

const without = (...keys: string[]) => Object.fromEntries(Object.entries(VALID).filter(([k]) => !keys.includes(k)));
const withValues = (extra: Record<string, unknown>) => ({ ...VALID, ...extra });

const ROWS: readonly Row[] = [
  { name: "the valid span", attributes: VALID, want: [] },
  // JSON shapes: a closed object, a union without a fallback, an int, a nullable, a string array, bytes, an older format
  {
    name: "a JSON-shaped value, as text and structured",
    attributes: withValues({ "shop.receipt": JSON.stringify(RECEIPT) }),
    want: [],
  },
  {
    name: "a JSON-shaped value, structured, with bytes",
    attributes: withValues({
      "shop.receipt": { ...RECEIPT, lines: [{ kind: "fee", amount: 2, data: new Uint8Array([1]) }] },
    }),
    want: [],
  },
  {
    name: "a property a closed shape does not define",
    attributes: withValues({ "shop.receipt": { ...RECEIPT, total: 3 } }),
    want: ["content.unknown-property shop.receipt.total"],
  },
  {
    name: "a union value no alternative takes",
    attributes: withValues({ "shop.receipt": { ...RECEIPT, lines: [{ kind: "gift", sku: "a" }] } }),
    want: ["content.enum shop.receipt.lines[0].kind"],
  },
  {
    name: "a union value without its discriminator",
    attributes: withValues({ "shop.receipt": { ...RECEIPT, lines: [{ sku: "a" }] } }),
    want: ["content.required shop.receipt.lines[0].kind"],
  },
  {
    name: "an int given a fraction, a string array with a number",
    attributes: withValues({ "shop.receipt": { ...RECEIPT, id: 1.5, codes: ["x", 1] } }),
    want: ["content.type shop.receipt.codes", "content.type shop.receipt.id"],
  },
  {
    name: "an alternative's required property",
    attributes: withValues({ "shop.receipt": { ...RECEIPT, lines: [{ kind: "fee" }] } }),
    want: ["content.required shop.receipt.lines[0].amount"],
  },
  {
    name: "the older format",
    attributes: withValues({ "shop.receipt": { id: 7, items: [] } }),
    want: ["content.legacy-format shop.receipt"],
  },
  {
    name: "neither the shape nor the older format",
    attributes: withValues({ "shop.receipt": { id: 7 } }),
    want: ["content.required shop.receipt.lines"],
  },
  {
    name: "the plain-text form",
    attributes: withValues({ "shop.receipt": "1 × tea, 2.50" }),
    want: ["content.legacy-format shop.receipt"],
  },
  {
    name: "broken JSON is no plain text",
    attributes: withValues({ "shop.receipt": '{"id": 7,' }),
    want: ["value.json shop.receipt"],
  },
  {
    name: "JSON that is a number is no plain text",
    attributes: withValues({ "shop.receipt": "7" }),
    want: ["content.type shop.receipt"],
  },
  { name: "int given a double", attributes: withValues({ "shop.count": 1.5 }), want: ["value.type shop.count"] },
  { name: "double accepts an integral number", attributes: withValues({ "shop.total": 3 }), want: [] },
  { name: "string given a number", attributes: withValues({ "shop.user.id": 7 }), want: ["value.type shop.user.id"] },
  { name: "array given a scalar", attributes: withValues({ "shop.tags": "x" }), want: ["value.type shop.tags"] },
  {
    name: "array of the wrong element type",
    attributes: withValues({ "shop.tags": [1, 2] }),
    want: ["value.type shop.tags"],
  },
  {
    name: "array mixing element types",
    attributes: withValues({ "shop.flags": [true, "no"] }),
    want: ["value.array-mixed shop.flags"],
  },
  {
    name: "an array accepted JSON-encoded in a string (info)",
    attributes: withValues({ "shop.labels": '["a","b"]' }),
    want: ["value.json-encoded shop.labels"],
  },
  { name: "an array where a JSON string is also accepted", attributes: withValues({ "shop.labels": ["a"] }), want: [] },
  {
    name: "a JSON-encoded array of the wrong elements",
    attributes: withValues({ "shop.labels": '["a",1]' }),
    want: ["value.type shop.labels"],
  },
  {
    name: "a string that is not a JSON array",
    attributes: withValues({ "shop.labels": "a,b" }),
    want: ["value.type shop.labels"],
  },
  {
    name: "the JSON-string form only where the registry accepts it",
    attributes: withValues({ "shop.tags": '["x"]' }),
    want: ["value.type shop.tags"],
  },
  { name: "any takes anything", attributes: withValues({ "shop.any": [1, "a", null] }), want: [] },
  { name: "closed enum violation", attributes: withValues({ "shop.level": 3 }), want: ["value.enum shop.level"] },
  {
    name: "closed int enum given a string",
    attributes: withValues({ "shop.level": "2" }),
    want: ["value.type shop.level"],
  },
  {
    name: "open enum: other values are info",
    attributes: withValues({ "shop.channel": "kiosk" }),
    want: ["value.enum shop.channel"],
  },
  { name: "broken JSON", attributes: withValues({ "shop.payload": "{nope" }), want: ["value.json shop.payload"] },
  {
    name: "broken JSON in a nested field",
    attributes: withValues({ "shop.items.0.item.options.0.option.value": "{" }),
    want: ["value.json shop.items.0.item.options.0.option.value"],
  },
  { name: "renamed key", attributes: withValues({ "shop.old_id": "u0" }), want: ["key.deprecated shop.old_id"] },
  {
    name: "obsoleted key, wrong type too",
    attributes: withValues({ "shop.gone": "x" }),
    want: ["key.deprecated shop.gone", "value.type shop.gone"],
  },
  {
    name: "typo in an owned namespace",
    attributes: withValues({ "shop.usr.id": "u" }),
    want: ["key.unknown shop.usr.id"],
  },
  {
    name: "unknown key in a second owned namespace",
    attributes: withValues({ "cart.total": 1 }),
    want: ["key.unknown cart.total"],
  },
  { name: "object field alone at the top level", attributes: withValues({ "item.sku": "x" }), want: [] },
  {
    name: "object field alone, inside an owned prefix",
    attributes: withValues({ "shop.sku": "x" }),
    want: ["key.unknown shop.sku"],
  },
  {
    name: "template: any suffix, inner type",
    attributes: withValues({ "shop.meta.a.b.c": "x", "shop.meta.n": 1 }),
    want: ["value.type shop.meta.n"],
  },
  {
    name: "template key itself carries no value",
    attributes: withValues({ "shop.meta": "x" }),
    want: ["value.type shop.meta"],
  },
  {
    name: "template with an empty suffix",
    attributes: withValues({ "shop.meta.": "x" }),
    want: ["key.unknown shop.meta."],
  },
  { name: "namespace carries no value", attributes: withValues({ "shop.ns": 1 }), want: ["value.type shop.ns"] },
  {
    name: "unknown key under a namespace",
    attributes: withValues({ "shop.ns.other": 1 }),
    want: ["key.unknown shop.ns.other"],
  },
  { name: "list key carries no value", attributes: withValues({ "shop.items": "x" }), want: ["value.type shop.items"] },
  {
    name: "object key carries no value",
    attributes: withValues({ "shop.address": "x" }),
    want: ["value.type shop.address"],
  },
  {
    name: "nested list key carries no value",
    attributes: withValues({ "shop.items.0.item.options": 1 }),
    want: ["value.type shop.items.0.item.options"],
  },
  { name: "index gap", attributes: withValues({ "shop.items.3.item.sku": "d" }), want: ["index.gap shop.items.2"] },
  {
    name: "index gap in a nested list",
    attributes: withValues({ "shop.items.1.item.options.1.option.name": "x" }),
    want: ["index.gap shop.items.1.item.options.0"],
  },
  {
    name: "list not starting at 0",
    attributes: withValues({ "cart.items.0.item.sku": undefined, "cart.items.1.item.sku": "c" }),
    want: ["index.gap cart.items.0"],
  },
  {
    name: "unknown field under an index",
    attributes: withValues({ "shop.items.0.item.color": "red" }),
    want: ["index.unknown-field shop.items.0.item.color"],
  },
  {
    name: "unknown field in a nested object",
    attributes: withValues({ "shop.items.0.item.dims.dims.h": 1 }),
    want: ["index.unknown-field shop.items.0.item.dims.dims.h"],
  },
  {
    name: "unknown field of a top-level object",
    attributes: withValues({ "shop.address.address.zip": "1" }),
    want: ["index.unknown-field shop.address.address.zip"],
  },
  {
    name: "nested field of the wrong type",
    attributes: withValues({ "shop.items.0.item.dims.dims.w": "wide" }),
    want: ["value.type shop.items.0.item.dims.dims.w"],
  },
  {
    name: "template field inside a list",
    attributes: withValues({ "shop.items.1.item.extra.x": "one" }),
    want: ["value.type shop.items.1.item.extra.x"],
  },
  {
    name: "non-numeric index at the top level",
    attributes: withValues({ "shop.items.x.item.sku": "a" }),
    want: ["key.unknown shop.items.x.item.sku"],
  },
  {
    name: "leading zero index",
    attributes: withValues({ "shop.items.01.item.sku": "a" }),
    want: ["key.unknown shop.items.01.item.sku"],
  },
  {
    name: "index without a field",
    attributes: withValues({ "shop.items.0": "a" }),
    want: ["key.unknown shop.items.0"],
  },
  {
    name: "non-numeric nested index",
    attributes: withValues({ "shop.items.0.item.options.first.option.name": "a" }),
    want: ["index.unknown-field shop.items.0.item.options.first.option.name"],
  },
  {
    name: "undefined values are skipped",
    attributes: withValues({ "shop.count": undefined, "shop.nope": undefined }),
    want: [],
  },
  { name: "span kind missing", attributes: without("shop.kind"), want: ["span-kind.missing shop.kind"] },
  { name: "span kind from the options", attributes: without("shop.kind"), options: { kind: "CHECKOUT" }, want: [] },
  {
    name: "span kind mismatch",
    attributes: VALID,
    options: { kind: "BROWSE" },
    want: ["span-kind.mismatch shop.kind"],
  },
  {
    name: "unknown span kind from the options",
    attributes: without("shop.kind"),
    options: { kind: "PAY" },
    want: ["span-kind.unknown shop.kind"],
  },
  {
    name: "closed span-kind enum violated: no requirement checks",
    attributes: withValues({ "shop.kind": "PAY" }),
    want: ["value.enum shop.kind"],
  },
  { name: "a kind the enum has but no span defines", attributes: withValues({ "shop.kind": "REFUND" }), want: [] },
  {
    name: "required attribute missing",
    attributes: without("shop.user.id"),
    want: ["attribute.required shop.user.id"],
  },
  {
    name: "conditionally required attribute missing while its trigger (required_with) is present",
    attributes: without("shop.total"),
    want: ["attribute.required shop.total"],
  },
  {
    name: "conditionally required attribute missing, trigger absent too: not reported",
    attributes: without(
      "shop.total",
      "shop.items.0.item.sku",
      "shop.items.0.item.qty",
      "shop.items.0.item.options.0.option.name",
      "shop.items.0.item.options.0.option.value",
      "shop.items.0.item.options.1.option.name",
      "shop.items.0.item.extra.gift_wrap",
      "shop.items.0.item.dims.dims.w",
      "shop.items.1.item.sku",
    ),
    want: ["attribute.recommended shop.items"],
  },
  {
    name: "recommended list missing (no key under it)",
    attributes: without(
      "shop.items.0.item.sku",
      "shop.items.0.item.qty",
      "shop.items.0.item.options.0.option.name",
      "shop.items.0.item.options.0.option.value",
      "shop.items.0.item.options.1.option.name",
      "shop.items.0.item.extra.gift_wrap",
      "shop.items.0.item.dims.dims.w",
      "shop.items.1.item.sku",
    ),
    want: ["attribute.recommended shop.items"],
  },
  {
    name: "another kind's requirements",
    attributes: { "shop.kind": "BROWSE" },
    want: ["attribute.recommended shop.user.id"],
  },
];

let dir: string;
let build: BuildResult;
let mod: {
  shopRegistry: RegistryValidator;
  validateAttributes: (a: Record<string, unknown>, o?: ValidateOptions) => Finding[];
  validateSpan: (s: { attributes?: Record<string, unknown> }, o?: ValidateOptions) => Finding[];
};

let loaded = 0;

/** Imports JavaScript source from a file in the temporary directory. */
async function importJs<T>(js: string): Promise<T> {
  const file = path.join(dir, `validators-${loaded++}.js`);
  await writeFile(file, js);
  return (await import(pathToFileURL(file).href)) as T;
}

/** Transpiles a build's validators.ts to plain ESM in the temporary directory and imports it. */
async function load<T>(result: BuildResult): Promise<T> {
  const js = ts.transpileModule(result.files.get("validators.ts")!, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const file = path.join(dir, `validators-${loaded++}.js`);
  await writeFile(file, js);
  return (await import(pathToFileURL(file).href)) as T;
}

beforeAll(async () => {
  build = buildFromFiles("spec", SPEC, { command: "semtrace generate --spec spec --out out" });
  expect(build.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  dir = await mkdtemp(path.join(os.tmpdir(), "semtrace-validators-"));
  mod = await load<typeof mod>(build);
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const rules = (findings: readonly Finding[]) => findings.map((f) => `${f.rule} ${f.key}`).sort();

describe("the generated validator of a fixture registry", () => {
  it("compiles under strict TypeScript", () => {
    expect(compile(under("/pkg", build.files))).toEqual([]);
  });

  it.each(ROWS.map((r) => [r.name, r] as const))("%s", (_, row) => {
    expect(rules(mod.validateAttributes(row.attributes, row.options))).toEqual([...row.want].sort());
  });

  it("validateSpan reads the span's attributes", () => {
    expect(rules(mod.validateSpan({ attributes: without("shop.user.id") }))).toEqual([
      "attribute.required shop.user.id",
    ]);
    // A span without the registry's kind or keys is another convention's span: no findings, unless strict.
    expect(rules(mod.validateSpan({}))).toEqual([]);
    expect(rules(mod.validateSpan({}, { strict: true }))).toEqual(["span-kind.missing shop.kind"]);
  });

  it("describes the registry: name, span kinds in enum order, owned namespaces", () => {
    const r = mod.shopRegistry;
    expect(r.name).toBe("shop");
    expect(r.spanKindKey).toBe("shop.kind");
    expect(r.spanKinds).toEqual(["CHECKOUT", "BROWSE"]);
    for (const key of ["shop", "shop.x", "cart", "cart.items.0.x"]) expect(r.owns(key), key).toBe(true);
    for (const key of ["shopping", "cartx.y", "http.method", "", "item.sku"]) expect(r.owns(key), key).toBe(false);
    expect(r.suggestions).toEqual(
      expect.arrayContaining(["shop.user.id", "shop.items.<i>.item.options.<j>.option.name", "shop.meta.<key>"]),
    );
  });

  it("checkKey returns false for keys it does not define, and reports nothing for them", () => {
    const r = mod.shopRegistry;
    const ctx = {
      findings: [] as Finding[],
      report(f: Finding) {
        this.findings.push(f);
      },
      index() {},
    };
    for (const key of ["item.sku", "shop.nope", "other.key", "shop.items", "shop.items.0"]) {
      const known = r.checkKey(key, "x", ctx as never);
      expect(known, key).toBe(key === "shop.items");
    }
    expect(ctx.findings.map((f) => `${f.rule} ${f.key}`)).toEqual(["value.type shop.items"]);
  });

  it("messages name the replacement, the structure's fields and the closest key", () => {
    const find = (attrs: Record<string, unknown>, rule: string) =>
      mod.validateAttributes({ ...VALID, ...attrs }).find((f) => f.rule === rule)!;
    expect(find({ "shop.old_id": "u" }, "key.deprecated")).toMatchObject({
      severity: "warning",
      expected: "shop.user.id",
      message: "`shop.old_id` is deprecated: use `shop.user.id`",
    });
    expect(find({ "shop.gone": 1 }, "key.deprecated").message).toBe("`shop.gone` is deprecated: No longer recorded.");
    expect(find({ "shop.items.0.item.colour": 1 }, "index.unknown-field").message).toContain(
      "is not a field of shop.item: expected one of `item.sku`, `item.qty`",
    );
    expect(find({ "shop.usr.id": 1 }, "key.unknown").expected).toBe("shop.user.id");
    expect(find({ "shop.level": 3 }, "value.enum").severity).toBe("error");
    expect(find({ "shop.channel": "kiosk" }, "value.enum").severity).toBe("info");
    expect(find({ "shop.total": undefined }, "attribute.required")).toMatchObject({
      severity: "error",
      message: "CHECKOUT spans must have `shop.total` (required when `shop.items` is set)",
    });
  });

  it("combines with another registry: each validates its own namespace, the rest passes", () => {
    const other: RegistryValidator = {
      name: "other",
      spanKinds: [],
      owns: (k) => k === "acme" || k.startsWith("acme."),
      checkKey: (k, v, ctx) => {
        if (k !== "acme.n") return false;
        if (typeof v !== "number") ctx.report({ key: k, rule: "value.type", severity: "error", message: "int" });
        return true;
      },
      checkRequirements: () => {},
      suggestions: ["acme.n"],
    };
    const v = createValidator(mod.shopRegistry, other);
    expect(rules(v.validateAttributes({ ...VALID, "acme.n": 1, "zzz.free": 1 }))).toEqual([]);
    expect(rules(v.validateAttributes({ ...VALID, "acme.n": "x", "acme.m": 1, "shop.count": "x" }))).toEqual([
      "key.unknown acme.m",
      "value.type acme.n",
      "value.type shop.count",
    ]);
  });
});

describe("the validators printed as JavaScript (no TypeScript compiler involved)", () => {
  it("behave exactly as the TypeScript ones on every row", async () => {
    const js = printFiles(emitRegistry(build.registry!), { registry: "shop", command: "c" }, "js").get(
      "validators.js",
    )!;
    expect(js).not.toMatch(/\bimport type\b|: ValidationContext\b|\bas KeyCheck\b/);
    const printed = await importJs<typeof mod>(js);
    for (const row of ROWS)
      expect(rules(printed.validateAttributes(row.attributes, row.options)), row.name).toEqual(
        rules(mod.validateAttributes(row.attributes, row.options)),
      );
    expect(printed.shopRegistry.suggestions).toEqual(mod.shopRegistry.suggestions);
    // What `semtrace validate --registry <dir>` loads (@semtrace/spec's validatorsModule) is this file, less the banner.
    expect(js).toBe(`${banner({ registry: "shop", command: "c" })}\n${validatorsModule(build.registry!)}`);
  });
});

describe("registries at the edges", () => {
  const attrGroup = (...attrs: string[]) =>
    lines("groups:", "  - id: registry.x", "    type: attribute_group", "    brief: X.", "    attributes:", ...attrs);
  const span = (id: string, kind: string, ...refs: string[]) =>
    lines(
      `  - id: ${id}`,
      "    type: span",
      "    span_kind: internal",
      "    brief: S.",
      `    annotations: { semtrace: { span_kind: ${kind} } }`,
      "    attributes:",
      ...refs,
    );
  const built = (files: Record<string, string>, naming: "otel" | "openinference" = "otel") => {
    const result = buildFromFiles("spec", new Map(Object.entries(files)), { naming, command: "c" });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(compile(new Map([["/pkg/validators.ts", result.files.get("validators.ts")!]]))).toEqual([]);
    return result;
  };

  it("no manifest, no spans, no structures: no span kind, only plain keys (otel naming)", async () => {
    const result = built({
      "a.yaml": attrGroup("      - { id: x.a, type: int }", "      - { id: x.b, type: 'template[string]' }"),
    });
    const m = await load<{
      specRegistry: RegistryValidator;
      validateAttributes: (a: Record<string, unknown>) => Finding[];
    }>(result);
    expect(m.specRegistry.spanKindKey).toBeUndefined();
    expect(m.specRegistry.spanKinds).toEqual([]);
    expect(rules(m.validateAttributes({ "x.a": 1, "x.b.any": "s", "y.z": 1 }))).toEqual([]);
    expect(rules(m.validateAttributes({ "x.a": "1", "x.c": 1 }))).toEqual(["key.unknown x.c", "value.type x.a"]);
  });

  it("context keys (`semtrace: { context: true }`) are listed on the registry and never make it judge a span", async () => {
    const result = built({
      "manifest.yaml": lines("name: ctx", "span_kind_attribute: x.kind"),
      "a.yaml":
        attrGroup(
          "      - { id: x.session, type: string, annotations: { semtrace: { context: true } } }",
          "      - { id: x.model, type: string }",
          "      - { id: x.kind, type: string }",
        ) + span("span.x.k", "K", "      - ref: x.model"),
    });
    const m = await load<{
      ctxRegistry: RegistryValidator;
      validateAttributes: (a: Record<string, unknown>) => Finding[];
    }>(result);
    expect(m.ctxRegistry.contextKeys).toEqual(["x.session"]);
    expect(rules(m.validateAttributes({ "x.session": "s", "http.method": "GET" }))).toEqual([]);
    expect(rules(m.validateAttributes({ "x.session": "s", "x.model": "m" }))).toEqual(["span-kind.missing x.kind"]);
    expect(built({ "a.yaml": attrGroup("      - { id: x.a, type: int }") }).files.get("validators.ts")).not.toContain(
      "contextKeys",
    );
  });

  it("two span definitions of one kind are merged; a span-kind attribute without spans defines no kinds", async () => {
    const manifest = lines("name: dup", "span_kind_attribute: x.kind");
    const registry =
      attrGroup(
        "      - { id: x.kind, type: string }",
        "      - { id: x.a, type: int }",
        "      - { id: x.b, type: int }",
      ) +
      span("span.one", "K", "      - { ref: x.a, requirement_level: required }") +
      span("span.two", "K", "      - { ref: x.b, requirement_level: required }");
    const m = await load<{
      dupRegistry: RegistryValidator;
      validateAttributes: (a: Record<string, unknown>) => Finding[];
    }>(built({ "manifest.yaml": manifest, "a.yaml": registry }, "openinference"));
    expect(m.dupRegistry.spanKinds).toEqual(["K"]);
    expect(rules(m.validateAttributes({ "x.kind": "K" }))).toEqual([
      "attribute.required x.a",
      "attribute.required x.b",
    ]);

    // A required key that Object.prototype also has is still missing when the span does not set it.
    const proto = await load<{
      dupRegistry: RegistryValidator;
      validateAttributes: (a: Record<string, unknown>) => Finding[];
    }>(
      built({
        "manifest.yaml": manifest,
        "a.yaml":
          attrGroup("      - { id: x.kind, type: string }", "      - { id: constructor, type: string }") +
          span("span.one", "K", "      - { ref: constructor, requirement_level: required }"),
      }),
    );
    expect(rules(proto.validateAttributes({ "x.kind": "K" }))).toEqual(["attribute.required constructor"]);
    expect(rules(proto.validateAttributes({ "x.kind": "K", constructor: "c" }))).toEqual([]);

    const none = await load<{
      dupRegistry: RegistryValidator;
      validateAttributes: (a: Record<string, unknown>, options?: ValidateOptions) => Finding[];
    }>(built({ "manifest.yaml": manifest, "a.yaml": attrGroup("      - { id: x.kind, type: string }") }));
    expect(none.dupRegistry.spanKinds).toEqual([]);
    expect(rules(none.validateAttributes({}, { strict: true }))).toEqual(["span-kind.missing x.kind"]);
  });
});
