/**
 * Fuzz: generated hostile spec directories through the whole generator (load → validate → resolve → emit →
 * print, as `semtrace generate` runs it, files read from disk). Whatever the input:
 *   - no exception escapes: every problem is a diagnostic with a stable id, a file of the spec and a position;
 *   - errors mean no output, no errors mean a full set of files, and a sample of the outputs compiles under
 *     strict TypeScript (one program, after the runs);
 *   - nothing reaches Object.prototype (annotations and manifest maps with `__proto__` / `constructor` keys).
 *
 * Three families of specs: registries of valid shape carrying hostile names and text (so that many reach the
 * emitters), randomly shaped YAML of the spec vocabulary (wrong types, unknown fields, duplicate keys), and raw
 * mutations of either (inserted fragments, aliases and alias bombs, deep nesting, huge scalars, invalid UTF-8,
 * BOMs, UTF-16, NUL and other control bytes).
 *
 * `SPEC_FUZZ_RUNS=10000 npx vitest run test/hostile-specs.fuzz.test.ts` for a longer search (default 1,000, the
 * count `npm test` runs); `SPEC_FUZZ_SEED=<n>` replays one.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { buildRegistry, formatDiagnostic, type BuildResult } from "../src/index.js";
import { compile } from "./helpers/compile.js";

const RUNS = Number(process.env["SPEC_FUZZ_RUNS"] ?? 1000);
const SEED = process.env["SPEC_FUZZ_SEED"] === undefined ? undefined : Number(process.env["SPEC_FUZZ_SEED"]);
/** Outputs compiled after the runs: enough to cover every emitter often, few enough for one quick program. */
const COMPILE_SAMPLE = 40;

const root = mkdtempSync(path.join(tmpdir(), "semtrace-spec-fuzz-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// ----- vocabulary -----

const FRAGMENTS = [
  "*/",
  "/*",
  "`",
  "${",
  "${x}",
  "\\",
  '"',
  "'",
  "\n",
  "\r\n",
  "\t",
  "🚀",
  "é",
  "\u2028",
  "\u2029",
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\u0085",
  "\ufeff",
  "@example",
  "{@link X}",
  "</script>",
  "-->",
  "#",
  ": ",
  "- ",
  "&a",
  "*a",
  "!!str",
  "%",
  "?",
  "|",
  ">",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "globalThis.polluted = 1",
  "');process.exit(1);//",
  "\\u0000",
];
const KEYS = [
  "app.name",
  "app.kind",
  "app.items",
  "app.detail",
  "llm.model_name",
  "a.b.c",
  "x",
  "item.sku",
  "app.count",
  "record",
];
const HOSTILE_KEYS = [
  "",
  " ",
  "constructor",
  "__proto__",
  "prototype",
  "toString",
  "a.__proto__",
  "__proto__.polluted",
  "class",
  "A.B",
  "a-b",
  "a..b",
  ".a",
  "a.",
  "🚀",
  "ünï",
  "x".repeat(300),
  "a\nb",
  "a*/b",
  "${x}",
  "`x`",
  "null",
  "true",
  "1",
  "<<",
  "a: b",
  "[a]",
  "{a}",
];
const IDENTIFIERS = [
  "MY_NAME",
  "Ünïcode",
  "$dollar",
  "_under",
  "AppKindEnum",
  "ITEM_SKU_2",
  "Conventions",
  "PREFIX_APP",
];
const HOSTILE_IDENTIFIERS = [
  'X = "x"; globalThis.polluted = true; export const Y',
  "X\n;globalThis.polluted = 1;//",
  "class",
  "string",
  "Object",
  "validateSpan",
  "Attributes",
  "",
  "1a",
  "__proto__",
  "constructor",
  "toString",
  "appRegistry",
  "a-b",
  "x y",
  "`x`",
];
const TYPES = [
  "string",
  "int",
  "double",
  "boolean",
  "string[]",
  "int[]",
  "double[]",
  "boolean[]",
  "any",
  "template[string]",
  "template[int]",
];
const JUNK_TYPES: unknown[] = [
  "strng",
  "",
  "enum",
  "template[foo]",
  "list[nope]",
  "object[app.item]",
  "list[app.item]",
  "namespace",
  42,
  null,
  true,
  [1, 2],
  { members: "x" },
];

const text = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(fc.constantFrom(...FRAGMENTS, "text", " ", "word"), { maxLength: 8 }).map((p) => p.join("")),
  },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
  // Huge scalars, now and then.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...FRAGMENTS), fc.integer({ min: 10_000, max: 60_000 }))
      .map(([f, n]) => f.repeat(Math.ceil(n / Math.max(1, f.length)))),
  },
);
const json = fc.jsonValue({ maxDepth: 3 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** Objects with `__proto__` and `constructor` as own keys (JSON.parse makes them own properties, as YAML does). */
const pollutingMap = fc
  .constantFrom(
    () => JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
    () => JSON.parse('{"constructor": {"prototype": {"polluted": true}}}') as unknown,
    () => JSON.parse('{"semtrace": {"__proto__": {"polluted": true}, "builder": "X"}}') as unknown,
    () => JSON.parse('{"code_generation": {"__proto__": {"exclude": true}}}') as unknown,
  )
  .map((make) => make());

const annotations = fc.oneof(
  pollutingMap,
  fc.record(
    {
      semtrace: fc.record(
        {
          builder: fc.oneof(fc.constantFrom(...IDENTIFIERS, ...HOSTILE_IDENTIFIERS), json),
          type_name: fc.oneof(fc.constantFrom(...IDENTIFIERS, ...HOSTILE_IDENTIFIERS), json),
          span_kind: fc.oneof(fc.constantFrom("LLM", "TOOL", "llm", "", "__proto__"), json),
          input: fc.oneof(fc.constantFrom("a.b", "__proto__.x", "constructor", "", "a..b"), json),
          closed: fc.oneof(fc.boolean(), json),
          format: fc.oneof(fc.constantFrom("json", "mime", "x"), json),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ),
  json,
);

// ----- family A: valid shape, hostile content -----

function uniqueIds(ids: readonly string[]): string[] {
  return ids.map((id, i) => (ids.indexOf(id) === i ? id : `${id}_${i}`));
}

const member = fc.record({
  id: fc.constantFrom("class", "__proto__", "a/b", "🚀", "x-y", "_OTHER", "1", "toString", "null", "ok"),
  value: fc.oneof(text, fc.integer()),
});
/** Mostly names that are fine, sometimes one that must be rejected. */
const chosenName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...IDENTIFIERS) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_IDENTIFIERS) },
);
const validAttribute = (key: string) =>
  fc.record({
    id: fc.constant(key),
    type: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...TYPES) },
      {
        weight: 1,
        arbitrary: fc.array(member, { minLength: 1, maxLength: 4 }).map((m) => ({
          members: uniqueIds(m.map((x) => x.id)).map((id, i) => ({ id, value: String(m[i]!.value) })),
        })),
      },
    ),
    brief: text,
    note: opt(text),
    examples: opt(fc.oneof(text, fc.array(text, { maxLength: 2 }), json)),
    stability: opt(fc.constantFrom("stable", "development", "experimental")),
  });

const validShape = fc
  .record({
    count: fc.integer({ min: 1, max: KEYS.length }),
    naming: fc.constantFrom("otel", "openinference"),
    name: fc.oneof(fc.constantFrom("app", "my-registry", "ünï", "class"), text),
    constantName: opt(chosenName),
    enumName: opt(chosenName),
    prefixName: opt(chosenName),
    compatName: opt(chosenName),
    groupAnnotations: opt(annotations),
  })
  .chain((shape) =>
    fc
      .tuple(fc.constant(shape), fc.tuple(...KEYS.slice(0, shape.count).map((k) => validAttribute(k))))
      .map(([s, attrs]) => {
        const enumKey = attrs.find((a) => typeof a.type === "object")?.id;
        const codegen: Record<string, unknown> = { naming: s.naming };
        if (s.constantName !== undefined) codegen["constants"] = { [attrs[0]!.id]: s.constantName };
        if (s.enumName !== undefined && enumKey !== undefined) codegen["enums"] = { [enumKey]: s.enumName };
        if (s.prefixName !== undefined) codegen["prefix_constants"] = { [s.prefixName]: "app" };
        if (s.compatName !== undefined) codegen["compat_objects"] = [{ name: s.compatName, constants: "all" }];
        const group: Record<string, unknown> = {
          id: "registry.app",
          type: "attribute_group",
          brief: "App.",
          attributes: attrs,
        };
        if (s.groupAnnotations !== undefined) group["annotations"] = s.groupAnnotations;
        return { manifest: { name: s.name, codegen }, registry: { groups: [group] } } as {
          manifest?: unknown;
          registry: unknown;
        };
      }),
  );

// ----- family B: random shapes of the spec vocabulary -----

const anyKey = fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom(...HOSTILE_KEYS), fc.integer());
const junkAttribute = fc.record(
  {
    id: anyKey,
    key: anyKey,
    ref: anyKey,
    type: fc.oneof(
      fc.constantFrom(...TYPES),
      fc.constantFrom(...JUNK_TYPES),
      fc.record({ members: fc.array(fc.record({ id: anyKey, value: json }, { requiredKeys: [] }), { maxLength: 3 }) }),
    ),
    brief: fc.oneof(text, json),
    examples: json,
    requirement_level: fc.oneof(fc.constantFrom("required", "opt_in", "bogus"), json),
    deprecated: fc.oneof(
      text,
      fc.record({ reason: fc.constantFrom("renamed", "obsoleted", "x"), renamed_to: anyKey }, { requiredKeys: [] }),
      json,
    ),
    annotations,
    unknown_field: json,
  },
  { requiredKeys: [] },
);
const junkGroup = fc.record(
  {
    id: anyKey,
    type: fc.oneof(fc.constantFrom("attribute_group", "span", "object", "event", "metric", "entity"), json),
    brief: fc.oneof(text, json),
    prefix: anyKey,
    extends: anyKey,
    attributes: fc.oneof(fc.array(junkAttribute, { maxLength: 4 }), json),
    annotations,
    stability: json,
  },
  { requiredKeys: [] },
);
const junkFile = fc.oneof(
  fc.record({ groups: fc.oneof(fc.array(junkGroup, { maxLength: 4 }), json) }),
  fc.record(
    {
      file_format: fc.oneof(fc.constant("definition/2"), json),
      attributes: fc.array(junkAttribute, { maxLength: 4 }),
      attribute_groups: fc.array(junkGroup, { maxLength: 3 }),
      spans: fc.array(junkGroup, { maxLength: 2 }),
    },
    { requiredKeys: ["file_format"] },
  ),
  json,
);
const junkManifest = fc.record(
  {
    name: fc.oneof(text, json),
    owns: json,
    span_kind_attribute: anyKey,
    codegen: fc.oneof(
      fc.record(
        {
          naming: fc.oneof(fc.constantFrom("otel", "openinference", "x"), json),
          constants: fc.oneof(
            fc.dictionary(
              fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom(...HOSTILE_KEYS)),
              fc.oneof(fc.constantFrom(...HOSTILE_IDENTIFIERS), json),
            ),
            pollutingMap,
          ),
          enums: fc.oneof(
            fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(fc.constantFrom(...HOSTILE_IDENTIFIERS), json)),
            pollutingMap,
          ),
          prefix_constants: fc.oneof(fc.dictionary(fc.constantFrom(...HOSTILE_IDENTIFIERS), json), pollutingMap),
          compat_objects: fc.oneof(
            fc.array(
              fc.record(
                {
                  name: fc.oneof(fc.constantFrom(...HOSTILE_IDENTIFIERS), json),
                  segments_under: json,
                  constants: json,
                  entries: json,
                  omit: json,
                },
                { requiredKeys: [] },
              ),
              { maxLength: 2 },
            ),
            json,
          ),
        },
        { requiredKeys: [] },
      ),
      json,
    ),
  },
  { requiredKeys: [] },
);

// ----- family C: raw mutations -----

function laughs(levels: number): string {
  const out = ['x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= levels; i++)
    out.push(
      `x${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(",")}]`,
    );
  return `${out.join("\n")}\n`;
}

type Mutation = (text: string) => string;
const at = (t: string, p: number) => Math.floor(p * (t.length + 1));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom(
        ...FRAGMENTS,
        "&a ",
        "*a",
        "*b",
        "<<: *a",
        "[",
        "{",
        "]",
        "}",
        "\n  ",
        "---\n",
        "...",
        "!!binary ",
        "!foo ",
        "%YAML 1.2\n",
        "? ",
        "\ud800",
      ),
    )
    .map(
      ([p, f]) =>
        (t: string) =>
          t.slice(0, at(t, p)) + f + t.slice(at(t, p)),
    ),
  fc.double({ min: 0, max: 1, noNaN: true }).map((p) => (t: string) => {
    // Duplicate a line: usually a duplicate key.
    const lines = t.split("\n");
    const i = Math.floor(p * lines.length);
    return [...lines.slice(0, i + 1), lines[i] ?? "", ...lines.slice(i + 1)].join("\n");
  }),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 40 })).map(
    ([p, n]) =>
      (t: string) =>
        t.slice(0, at(t, p)) + t.slice(at(t, p) + n),
  ),
  fc.integer({ min: 1, max: 9 }).map((levels) => (t: string) => `${t}\n${laughs(levels).replace(/^x/gm, "z")}`),
  fc
    .tuple(fc.integer({ min: 1, max: 60_000 }), fc.constantFrom("flow", "map", "block"))
    .map(([depth, form]) => (t: string) => {
      const deep =
        form === "flow"
          ? `${"[".repeat(depth)}${"]".repeat(depth)}`
          : form === "map"
            ? `${"{a: ".repeat(depth)}1${"}".repeat(depth)}`
            : `${"- ".repeat(depth)}x`;
      return `${t}\nnested: ${form === "block" ? `\n${deep}` : deep}\n`;
    }),
  fc.constant((t: string) => `a: &x [1, *x]\n${t}`),
  fc.constant((t: string) => t.replace(/\bbrief: /, "brief: *undefined_anchor ")),
);

type Encoding = "utf8" | "utf8-bom" | "utf16le" | "utf16be" | "invalid-utf8";
function encode(text: string, encoding: Encoding, where: number, junk: readonly number[]): Uint8Array {
  switch (encoding) {
    case "utf8":
      return Buffer.from(text, "utf8");
    case "utf8-bom":
      return Buffer.from(`\ufeff${text}`, "utf8");
    case "utf16le":
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    case "utf16be": {
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
      return le.swap16();
    }
    case "invalid-utf8": {
      const bytes = Buffer.from(text, "utf8");
      const i = Math.floor(where * (bytes.length + 1));
      return Buffer.concat([bytes.subarray(0, i), Buffer.from(junk), bytes.subarray(i)]);
    }
  }
}

interface SpecFile {
  readonly rel: string;
  readonly bytes: Uint8Array;
}

const serialized = (doc: fc.Arbitrary<unknown>) =>
  fc
    .tuple(
      doc,
      fc.array(mutation, { maxLength: 3 }),
      fc.constantFrom<Encoding>("utf8", "utf8", "utf8", "utf8", "utf8-bom", "utf16le", "utf16be", "invalid-utf8"),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x80]),
    )
    .map(([value, mutations, encoding, where, junk]) => {
      let yaml = YAML.stringify(value, { aliasDuplicateObjects: false, lineWidth: 0 });
      for (const m of mutations) yaml = m(yaml);
      return {
        yaml,
        bytes: encode(yaml, encoding, where, junk),
        mutated: mutations.length > 0 || encoding === "invalid-utf8",
      };
    });

const spec = fc
  .oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(validShape, fc.integer({ min: 0, max: 5 }))
        .map(([s, n]) => ({ manifest: s.manifest, files: [s.registry], mutate: n === 0 })),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        manifest: opt(junkManifest),
        files: fc.array(junkFile, { minLength: 1, maxLength: 3 }),
        mutate: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        manifest: fc.constant(undefined),
        files: fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 2 }),
        mutate: fc.constant(false),
      }),
    },
  )
  .chain((s) => {
    const file = (value: unknown): fc.Arbitrary<{ bytes: Uint8Array; yaml: string }> =>
      value instanceof Uint8Array
        ? fc.constant({ bytes: value, yaml: "" })
        : s.mutate
          ? serialized(fc.constant(value))
          : fc.constant({
              yaml: YAML.stringify(value, { lineWidth: 0 }),
              bytes: Buffer.from(YAML.stringify(value, { lineWidth: 0 })),
            });
    return fc
      .tuple(
        s.manifest === undefined ? fc.constant(undefined) : file(s.manifest),
        fc.tuple(...s.files.map(file)),
        fc.constantFrom("", "sub/", "a/b/"),
      )
      .map(([manifest, files, dir]) => {
        const out: SpecFile[] = files.map((f, i) => ({ rel: `${i === 0 ? "" : dir}f${i}.yaml`, bytes: f.bytes }));
        if (manifest) out.push({ rel: "manifest.yaml", bytes: manifest.bytes });
        return out;
      });
  });

// ----- the property -----

const DIAGNOSTIC_ID = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe["polluted"]).toBeUndefined();
  expect(probe["exclude"]).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.getOwnPropertyNames(Object.prototype).filter((n) => n === "polluted" || n === "exclude")).toEqual([]);
  expect((globalThis as Record<string, unknown>)["polluted"]).toBeUndefined();
}

function expectDiagnostics(result: BuildResult, dir: string, files: readonly SpecFile[], context: string): void {
  const allowed = new Set([dir, ...files.map((f) => `${dir}/${f.rel}`)]);
  for (const d of result.diagnostics) {
    const line = formatDiagnostic(d);
    expect(d.id, `${line}\n${context}`).toMatch(DIAGNOSTIC_ID);
    expect(["error", "warning", "info"], line).toContain(d.severity);
    expect(d.message.length, line).toBeGreaterThan(0);
    expect(allowed.has(d.location.file), `${line}: not a file of the spec\n${context}`).toBe(true);
    expect(Number.isInteger(d.location.line) && d.location.line >= 1, line).toBe(true);
    expect(Number.isInteger(d.location.col) && d.location.col >= 1, line).toBe(true);
    const file = files.find((f) => `${dir}/${f.rel}` === d.location.file);
    // A position inside the file: no more lines than the file has bytes.
    if (file) expect(d.location.line, line).toBeLessThanOrEqual(file.bytes.length + 1);
  }
}

describe("hostile spec directories through the whole generator", () => {
  it(`never throw, report every problem with a place, compile what they generate, pollute nothing (${RUNS} specs)`, async () => {
    const program = new Map<string, string>();
    const sources = new Map<string, string>();
    let run = 0;
    let generated = 0;
    let sampled = 0;
    const ids = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(spec, async (files) => {
        const dir = path.join(root, `s${run++}`);
        for (const f of files) {
          mkdirSync(path.dirname(path.join(dir, f.rel)), { recursive: true });
          writeFileSync(path.join(dir, f.rel), f.bytes);
        }
        const context = files
          .map(
            (f) => `--- ${f.rel} (${f.bytes.length} bytes)\n${Buffer.from(f.bytes.subarray(0, 2000)).toString("utf8")}`,
          )
          .join("\n");
        const result = await buildRegistry(dir, { command: "semtrace generate --spec spec --out out" });
        expectDiagnostics(result, dir, files, context);
        expectNoPollution();
        for (const d of result.diagnostics) ids.set(d.id, (ids.get(d.id) ?? 0) + 1);
        const errors = result.diagnostics.filter((d) => d.severity === "error");
        if (errors.length > 0) {
          expect(result.files.size, context).toBe(0);
          return;
        }
        generated++;
        expect([...result.files.keys()], context).toEqual(
          expect.arrayContaining(["attributes.ts", "index.ts", "schema.json", "types.ts", "validators.ts"]),
        );
        JSON.parse(result.files.get("schema.json")!);
        if (sampled++ < COMPILE_SAMPLE) {
          for (const [rel, text] of result.files) if (rel.endsWith(".ts")) program.set(`/s${run}/${rel}`, text);
          sources.set(`/s${run}/`, context);
        }
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true },
    );
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root);

    // The families are meant to reach every stage: enough registries generate, and the caps are met.
    expect(generated, `${generated} of ${RUNS} generated`).toBeGreaterThanOrEqual(RUNS / 10);
    for (const id of [
      "yaml.syntax",
      "yaml.shape",
      "yaml.too-many-nodes",
      "yaml.too-deep",
      "yaml.alias",
      "yaml.encoding",
      "name.invalid",
    ]) {
      expect(ids.get(id) ?? 0, `diagnostics seen: ${JSON.stringify(Object.fromEntries(ids))}`).toBeGreaterThan(0);
    }

    const diagnostics = compile(program);
    if (diagnostics.length > 0) {
      const dir = /^\/s\d+\//.exec(diagnostics[0]!)?.[0];
      expect.fail(
        `${diagnostics.slice(0, 20).join("\n")}\n\nspec of the first failing run:\n${dir ? sources.get(dir) : ""}`,
      );
    }
  }, 600_000);
});
