/**
 * Property: for any valid registry, in either naming preset, the generated TypeScript compiles
 * under strict settings with zero diagnostics.
 *
 * Registries are random but valid by construction: keys from lowercase segments (JS reserved words,
 * `proto`, `constructor`, digit segments after the first), object groups nested through list/object
 * fields up to four levels deep, enums with odd member ids, hostile text (`*\/`, backticks, `${`,
 * backslashes, quotes, newlines, U+2028, emoji, NUL) in briefs, notes, examples and enum values.
 * Constant-name collisions are avoided with a stricter rule than the generator's (names compared
 * with every separator removed and case folded); the few the generator would still reject are
 * only ever `name.collision` errors, which is asserted, and such runs are counted and capped.
 *
 * All runs' files are type-checked together in one program after the property has run.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { buildFromFiles, formatDiagnostic, type NamingPreset } from "../src/index.js";
import { compile } from "./helpers/compile.js";

// ----- vocabulary -----

const FIRST_SEGMENTS = [
  "class",
  "default",
  "function",
  "constructor",
  "proto",
  "prototype",
  "new",
  "delete",
  "return",
  "this",
  "await",
  "yield",
  "let",
  "enum",
  "static",
  "arguments",
  "eval",
  "value",
  "type",
  "name",
  "key",
  "data",
  "items",
  "nan",
  "infinity",
  "undefined",
  "null",
  "x",
  "llm",
  "http",
  "foo_bar",
  "attribute",
  "field",
  "types",
  "kind",
  "to_string",
  "value_of",
  "has_own_property",
];
const LATER_SEGMENTS = [...FIRST_SEGMENTS, "0", "1", "42", "2x", "0_a", "in", "of", "id", "a", "b"];
const MEMBER_IDS = [
  "class",
  "default",
  "_OTHER",
  "1",
  "42",
  "a/b",
  "x-y",
  "ünï",
  "UPPER",
  "camelCase",
  "with space",
  "new",
  "constructor",
  "__proto__",
  "toString",
  "valueOf",
  "🚀",
  "null",
  "true",
  "function",
  "text/plain",
  "gpt-4o",
  "v1.2",
  "é",
];
const PRIMITIVES = ["string", "int", "double", "boolean", "string[]", "int[]", "double[]", "boolean[]", "any"] as const;
const FRAGMENTS = [
  "*/",
  "/*",
  "/**",
  "`",
  "${",
  "}",
  "${x}",
  "\\",
  "\\u0041",
  '"',
  "'",
  "\n",
  "\r\n",
  "\r",
  "\t",
  "🚀",
  "👩‍💻",
  "é",
  "\u2028",
  "\u2029",
  "@example",
  "@deprecated",
  "{@link Foo}",
  "*",
  "/",
  " ",
  "text",
  "<b>&amp;</b>",
  "-->",
  "#",
  ": ",
  "- ",
  "%",
  "\u0000",
  "\u0007",
];

// ----- plans -----

type TypePlan =
  | { kind: "primitive"; name: (typeof PRIMITIVES)[number] }
  | { kind: "template"; inner: (typeof PRIMITIVES)[number] }
  | { kind: "enum"; valueType: "string" | "int" | "boolean"; closed: boolean; members: MemberPlan[] }
  | { kind: "list" | "object"; target: number }
  | { kind: "namespace" };

interface MemberPlan {
  id: string;
  brief: string | undefined;
  note: string | undefined;
  deprecated: boolean;
  text: string;
  int: number;
}

type DeprecationPlan =
  | { reason: "obsoleted" }
  | { reason: "uncategorized"; note: string }
  | { reason: "renamed"; to: number };

interface AttrPlan {
  key: string;
  type: TypePlan;
  brief: string | undefined;
  note: string | undefined;
  examples: unknown[] | undefined;
  stability: string | undefined;
  deprecated: DeprecationPlan | undefined;
  exclude: boolean;
}

interface RegistryPlan {
  top: AttrPlan[];
  objects: { seg: string; brief: string | undefined; fields: AttrPlan[] }[];
  v2: boolean;
  refs: { pick: number; level: string; condition: string }[];
  /** When set: the manifest names a span-kind attribute and the span describes this kind value. */
  spanKind: string | undefined;
}

const text = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 8 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
);
const optText = fc.option(text, { nil: undefined });
const example: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.array(text, { maxLength: 2 }),
  fc.dictionary(text, text, { maxKeys: 2 }),
);
const key = fc
  .tuple(fc.constantFrom(...FIRST_SEGMENTS), fc.array(fc.constantFrom(...LATER_SEGMENTS), { maxLength: 3 }))
  .map(([first, rest]) => [first, ...rest].join("."));
const member: fc.Arbitrary<MemberPlan> = fc.record({
  id: fc.oneof(fc.constantFrom(...MEMBER_IDS), fc.constantFrom(...FIRST_SEGMENTS)),
  brief: optText,
  note: optText,
  deprecated: fc.boolean(),
  text,
  int: fc.integer({ min: -1000, max: 1000 }),
});
const type: fc.Arbitrary<TypePlan> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PRIMITIVES).map((name) => ({ kind: "primitive" as const, name })) },
  { weight: 1, arbitrary: fc.constantFrom(...PRIMITIVES).map((inner) => ({ kind: "template" as const, inner })) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("enum" as const),
      valueType: fc.constantFrom("string" as const, "int" as const, "boolean" as const),
      closed: fc.boolean(),
      members: fc.array(member, { minLength: 1, maxLength: 5 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom("list" as const, "object" as const), target: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: "namespace" as const }) },
);
const attribute: fc.Arbitrary<AttrPlan> = fc.record({
  key,
  type,
  brief: optText,
  note: optText,
  examples: fc.option(fc.array(example, { maxLength: 3 }), { nil: undefined }),
  stability: fc.option(fc.constantFrom("stable", "development", "experimental", "beta"), { nil: undefined }),
  deprecated: fc.option(
    fc.oneof(
      fc.constant({ reason: "obsoleted" as const }),
      text.map((note) => ({ reason: "uncategorized" as const, note })),
      fc.nat().map((to) => ({ reason: "renamed" as const, to })),
    ),
    { nil: undefined, freq: 4 },
  ),
  exclude: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});
const registryPlan: fc.Arbitrary<RegistryPlan> = fc.record({
  top: fc.array(attribute, { minLength: 1, maxLength: 6 }),
  objects: fc.array(
    fc.record({
      seg: fc.constantFrom(...FIRST_SEGMENTS),
      brief: optText,
      fields: fc.array(attribute, { minLength: 1, maxLength: 3 }),
    }),
    { maxLength: 5 },
  ),
  v2: fc.boolean(),
  refs: fc.array(
    fc.record({
      pick: fc.nat(),
      level: fc.constantFrom("required", "conditionally_required", "recommended", "recommended_if", "opt_in"),
      condition: text,
    }),
    { maxLength: 4 },
  ),
  spanKind: fc.option(text, { nil: undefined }),
});

// ----- plan → valid YAML files -----

/** Stricter than any generated name: separators removed, case folded. */
const fold = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

interface Entry {
  owner: number; // -1: span-level attribute; otherwise the index of its object group
  plan: AttrPlan;
  type: TypePlan;
}

function toFiles(plan: RegistryPlan): Map<string, string> {
  const objectIds = plan.objects.map((o, i) => (i % 2 === 1 ? `reg.${o.seg}_o${i}` : `${o.seg}_o${i}`));
  // Structures only nest "forward" (object i holds objects j > i): no cycles, depth ≤ 4 below a top-level key.
  const typeFor = (t: TypePlan, owner: number): TypePlan => {
    if (t.kind === "namespace" && owner >= 0) return { kind: "primitive", name: "string" };
    if (t.kind !== "list" && t.kind !== "object") return t;
    const candidates = objectIds.map((_, i) => i).filter((i) => i > owner);
    return candidates.length === 0
      ? { kind: "primitive", name: "int" }
      : { kind: t.kind, target: candidates[t.target % candidates.length]! };
  };
  let entries: Entry[] = [
    ...plan.top.map((p) => ({ owner: -1, plan: p, type: typeFor(p.type, -1) })),
    ...plan.objects.flatMap((o, i) => o.fields.map((p) => ({ owner: i, plan: p, type: typeFor(p.type, i) }))),
  ];
  // Unique keys, even after case conversion.
  const seen = new Set<string>();
  entries = entries.filter((e) => !seen.has(fold(e.plan.key)) && seen.add(fold(e.plan.key)));
  // A key that prefixes another becomes a namespace (span-level) or is dropped (object field).
  const keys = entries.map((e) => e.plan.key);
  entries = entries.flatMap((e) => {
    if (!keys.some((k) => k.startsWith(`${e.plan.key}.`))) return [e];
    return e.owner < 0 ? [{ ...e, type: { kind: "namespace" as const } }] : [];
  });
  // Enum members: unique within the enum and, for the otel preset, against every constant.
  const constants = new Set(entries.map((e) => `attr${fold(e.plan.key)}`));
  entries = entries.map((e) => {
    if (e.type.kind !== "enum") return e;
    const local = new Set<string>();
    let members = e.type.members.filter((m) => {
      const global = `${fold(e.plan.key)}value${fold(m.id)}`;
      if (local.has(fold(m.id)) || constants.has(global)) return false;
      local.add(fold(m.id));
      constants.add(global);
      return true;
    });
    if (e.type.valueType === "boolean") members = members.slice(0, 2);
    return members.length === 0
      ? { ...e, type: { kind: "primitive" as const, name: "string" as const } }
      : { ...e, type: { ...e.type, members } };
  });
  const finalKeys = entries.map((e) => e.plan.key);

  const typeYaml = (t: TypePlan): unknown => {
    switch (t.kind) {
      case "primitive":
        return t.name;
      case "template":
        return `template[${t.inner}]`;
      case "namespace":
        return "namespace";
      case "list":
      case "object":
        return `${t.kind}[${objectIds[t.target]}]`;
      case "enum":
        return {
          members: t.members.map((m, i) => ({
            id: m.id,
            value: t.valueType === "string" ? m.text : t.valueType === "int" ? m.int : i === 0,
            ...(m.brief === undefined ? {} : { brief: m.brief }),
            ...(m.note === undefined ? {} : { note: m.note }),
            ...(m.deprecated ? { deprecated: { reason: "obsoleted" } } : {}),
          })),
        };
    }
  };
  const definition = (e: Entry, keyField: "id" | "key") => {
    const p = e.plan;
    const annotations = {
      ...(e.type.kind === "enum" && e.type.closed ? { semtrace: { closed: true } } : {}),
      ...(p.exclude ? { code_generation: { exclude: true } } : {}),
    };
    const dep = p.deprecated;
    return {
      [keyField]: p.key,
      type: typeYaml(e.type),
      ...(p.brief === undefined ? {} : { brief: p.brief }),
      ...(p.note === undefined ? {} : { note: p.note }),
      ...(p.examples === undefined ? {} : { examples: p.examples }),
      ...(p.stability === undefined ? {} : { stability: p.stability }),
      ...(dep === undefined
        ? {}
        : {
            deprecated:
              dep.reason === "renamed" ? { reason: "renamed", renamed_to: finalKeys[dep.to % finalKeys.length] } : dep,
          }),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    };
  };
  const top = entries.filter((e) => e.owner < 0);
  const files = new Map<string, string>();
  const dump = (value: unknown) => YAML.stringify(value, { lineWidth: 0 });
  files.set(
    "manifest.yaml",
    dump({
      name: "reg",
      version: "1.0.0",
      ...(plan.spanKind === undefined ? {} : { span_kind_attribute: finalKeys[0] }),
    }),
  );
  const groupId = plan.v2 ? "main.group" : "registry.main";
  files.set(
    "attributes.yaml",
    plan.v2
      ? dump({
          file_format: "definition/2",
          attributes: top.map((e) => definition(e, "key")),
          attribute_groups: [{ id: groupId, visibility: "public", attributes: top.map((e) => ({ ref: e.plan.key })) }],
        })
      : dump({
          groups: [
            { id: groupId, type: "attribute_group", brief: "Main.", attributes: top.map((e) => definition(e, "id")) },
          ],
        }),
  );
  if (objectIds.length > 0) {
    files.set(
      "objects.yaml",
      dump({
        groups: plan.objects.map((o, i) => ({
          id: objectIds[i],
          type: "object",
          ...(o.brief === undefined ? {} : { brief: o.brief }),
          attributes: entries.filter((e) => e.owner === i).map((e) => definition(e, "id")),
        })),
      }),
    );
  }
  const level = (r: RegistryPlan["refs"][number]) =>
    r.level === "conditionally_required"
      ? { conditionally_required: `when ${r.condition}` }
      : r.level === "recommended_if"
        ? { recommended: `when ${r.condition}` }
        : r.level;
  files.set(
    "spans.yaml",
    dump({
      groups: [
        {
          id: "span.main",
          type: "span",
          span_kind: "client",
          extends: groupId,
          brief: "A span.",
          ...(plan.spanKind === undefined ? {} : { annotations: { semtrace: { span_kind: plan.spanKind } } }),
          attributes: plan.refs.map((r) => ({
            ref: finalKeys[r.pick % finalKeys.length],
            requirement_level: level(r),
          })),
        },
      ],
    }),
  );
  return files;
}

// ----- the property -----

/** `PROP_RUNS=800 npx vitest run test/property.test.ts` for a longer search. */
const NUM_RUNS = Number(process.env["PROP_RUNS"] ?? 100);

describe("random valid registries", () => {
  it("always generate code that compiles under strict TypeScript, in both presets", () => {
    const program = new Map<string, string>();
    const specs = new Map<string, string>();
    let run = 0;
    let rejected = 0;
    fc.assert(
      fc.property(registryPlan, (plan) => {
        const files = toFiles(plan);
        const yaml = [...files].map(([f, t]) => `--- ${f}\n${t}`).join("\n");
        const here = run++;
        for (const naming of ["otel", "openinference"] as NamingPreset[]) {
          const result = buildFromFiles("spec", files, { naming, command: "semtrace generate --spec spec --out out" });
          const errors = result.diagnostics.filter((d) => d.severity === "error");
          // The only errors a registry built this way may get are name collisions the stricter rule does not foresee,
          // and an enum object named after a one-segment key that is a JavaScript global (`function` → `Function`).
          const foreseen = (d: (typeof errors)[number]) =>
            d.id === "name.collision" ||
            (d.id === "name.invalid" && d.message.includes("would hide the JavaScript global"));
          expect(errors.filter((d) => !foreseen(d)).map(formatDiagnostic), yaml).toEqual([]);
          if (errors.length > 0) {
            rejected++;
            continue;
          }
          expect([...result.files.keys()].sort(), yaml).toEqual(
            expect.arrayContaining([
              "attributes.ts",
              "enums.ts",
              "index.ts",
              "schema.json",
              "types.ts",
              "validators.ts",
            ]),
          );
          for (const a of result.registry!.attributes.filter((x) => x.emitted))
            expect(result.files.get("attributes.ts"), yaml).toContain(a.key);
          if (naming === "otel") {
            // Deterministic: the same input prints the same bytes.
            const again = buildFromFiles("spec", files, { naming, command: "semtrace generate --spec spec --out out" });
            expect(again.files, yaml).toEqual(result.files);
          }
          // schema.json is valid JSON whose patterns are valid ECMA-262 (Unicode mode, as JSON Schema validators use them).
          const schema = JSON.parse(result.files.get("schema.json")!) as {
            properties: object;
            patternProperties: object;
          };
          for (const pattern of Object.keys(schema.patternProperties))
            expect(() => new RegExp(pattern, "u"), pattern).not.toThrow();
          for (const [rel, text] of result.files)
            if (rel.endsWith(".ts")) program.set(`/r${here}/${naming}/${rel}`, text);
          specs.set(`/r${here}/${naming}/`, yaml);
        }
      }),
      { numRuns: NUM_RUNS },
    );
    // Most runs must reach the compiler, or the property would prove little.
    expect(rejected).toBeLessThanOrEqual(NUM_RUNS / 4);
    expect(program.size).toBeGreaterThanOrEqual((2 * NUM_RUNS - rejected) * 5);

    const diagnostics = compile(program);
    if (diagnostics.length > 0) {
      const dir = /^\/r\d+\/\w+\//.exec(diagnostics[0]!)?.[0];
      const spec = dir ? specs.get(dir) : undefined;
      const files = dir
        ? [...program]
            .filter(([f]) => f.startsWith(dir))
            .map(([f, t]) => `=== ${f}\n${t}`)
            .join("\n")
        : "";
      expect.fail(
        `${diagnostics.slice(0, 20).join("\n")}\n\nspec of the first failing run:\n${spec}\n\ngenerated:\n${files}`,
      );
    }
  }, 120_000);
});
