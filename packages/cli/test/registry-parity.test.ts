/**
 * `semtrace validate --registry <spec dir>` validates with the registry's validator printed as JavaScript by
 * @semtrace/spec (no TypeScript compiled). Its findings must be the generated packages' findings, exactly (rule,
 * key, severity, message, in order), on every corpus: both built-in registries, each alone and combined, on
 * - the real spans of tools/real-spans (OpenInference and every GenAI instrumentation release recorded),
 * - the mutation tables of the generated packages' own tests (packages/<name>/test/cases.ts),
 * - GenAI message content (the JSON shapes of spec/genai/registry/content-shapes.yaml): documents of every shape,
 *   the content mutation table, open values and older formats, in JSON text and structured, the content limits;
 *   and the spans and inference events @opentelemetry/instrumentation-openai writes with content capture on (live),
 * - fuzzed attribute records: keys from each registry's patterns with random indices and names, near-misses and
 *   strangers, values of every shape an exporter can produce, with and without an expected span kind; and fuzzed
 *   content: the documents above with properties removed or replaced, in either form, with random content limits.
 *
 * The printed side is loaded the way the CLI loads it (`loadSpecDirectory`, its runtime imports pointing at the
 * runtime's build); the generated side is the packages' generated validators.ts.
 */
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { genaiRegistry } from "@semtrace/genai";
import { openinferenceRegistry } from "@semtrace/openinference";
import {
  captureGenAISpans,
  GENAI_RELEASES,
  genaiScenarios,
  loadFixture,
  loadGenAIFixture,
  responsesScenario,
  type SpansFixture,
} from "@semtrace/real-spans";
import { validateWith, type AttributeRecord, type RegistryValidator, type ValidateOptions } from "@semtrace/runtime";
import { loadSpecDirectory } from "../src/validate/registries.js";
import {
  CHAT,
  CONTENT_MUTATIONS,
  CONTENT_SPAN,
  DOCS,
  FORMS,
  GOOD,
  IN,
  LEGACY_CONTENT,
  MUTATIONS as GENAI_MUTATIONS,
  OPEN_CONTENT,
  TEXT_CONTENT,
  contentRecord,
  encode,
  type Json,
} from "../../genai/test/cases.js";
import { BASE, MUTATIONS as OPENINFERENCE_MUTATIONS } from "../../openinference/test/cases.js";

const specDir = (name: string) => fileURLToPath(new URL(`../../../spec/${name}`, import.meta.url));

/** Fuzz runs per registry set; `PARITY_FUZZ_RUNS=20000 npx vitest run test/registry-parity.test.ts` searches longer. */
const RUNS = Number(process.env["PARITY_FUZZ_RUNS"] ?? 1500);

interface Pair {
  readonly name: string;
  readonly generated: readonly RegistryValidator[];
  printed: readonly RegistryValidator[];
}

const printed: Record<string, RegistryValidator> = {};
const PAIRS: Pair[] = [
  { name: "openinference", generated: [openinferenceRegistry], printed: [] },
  { name: "genai", generated: [genaiRegistry], printed: [] },
  { name: "openinference + genai", generated: [openinferenceRegistry, genaiRegistry], printed: [] },
];

/** Spans and log records of @opentelemetry/instrumentation-openai with message content capture on, as exported. */
let contentCapture: { spans: AttributeRecord[]; events: AttributeRecord[] };

beforeAll(async () => {
  const capture = await captureGenAISpans([...genaiScenarios, responsesScenario], { captureMessageContent: true });
  const exported = (attributes: unknown) => JSON.parse(JSON.stringify(attributes)) as AttributeRecord;
  contentCapture = {
    spans: capture.spans.map((span) => exported(span.attributes)),
    events: capture.logs.map((log) => exported(log.attributes)),
  };
  printed["openinference"] = await loadSpecDirectory(specDir("openinference"));
  printed["genai"] = await loadSpecDirectory(specDir("genai"));
  PAIRS[0]!.printed = [printed["openinference"]];
  PAIRS[1]!.printed = [printed["genai"]];
  PAIRS[2]!.printed = [printed["openinference"], printed["genai"]];
}, 60_000);

/** Both sides' findings on one record; equal, or the assertion names the record. */
function expectSameFindings(pair: Pair, attributes: AttributeRecord, options?: ValidateOptions): void {
  const want = validateWith(pair.generated, attributes, options);
  const got = validateWith(pair.printed, attributes, options);
  expect(got, `${pair.name}: ${JSON.stringify({ attributes, options })}`).toEqual(want);
}

function fixtureSpans(fixture: SpansFixture): { name: string; attributes: AttributeRecord }[] {
  return Object.values(fixture.scenarios).flatMap((s) =>
    s.spans.map((span) => ({ name: span.name, attributes: span.attributes as AttributeRecord })),
  );
}

describe("the printed validators describe the registries as the generated ones do", () => {
  it.each(["openinference", "genai"])("%s: name, span kinds, owned namespaces, suggestions", (name) => {
    const generated = name === "genai" ? genaiRegistry : openinferenceRegistry;
    const ours = printed[name]!;
    expect(ours.name).toBe(generated.name);
    expect(ours.spanKindKey).toBe(generated.spanKindKey);
    expect(ours.spanKinds).toEqual(generated.spanKinds);
    expect(ours.suggestions).toEqual(generated.suggestions);
    for (const key of [
      ...(generated.suggestions ?? []),
      "llm",
      "llm.x",
      "gen_ai",
      "gen_ai.x",
      "session.id",
      "user.id",
      "http.method",
      "",
      ".",
    ]) {
      expect(ours.owns(key), key).toBe(generated.owns(key));
    }
  });
});

describe.each(PAIRS.map((p) => [p.name, p] as const))("%s", (_, pair) => {
  it("the real spans of tools/real-spans", () => {
    const spans = [
      ...fixtureSpans(loadFixture()),
      ...GENAI_RELEASES.flatMap((release) => fixtureSpans(loadGenAIFixture(release))),
    ];
    expect(spans.length).toBeGreaterThan(20);
    let findings = 0;
    for (const span of spans) {
      expectSameFindings(pair, span.attributes);
      findings += validateWith(pair.generated, span.attributes).length;
    }
    // A corpus on which neither side finds anything would prove little.
    expect(findings).toBeGreaterThan(0);
  });

  it("the OpenInference mutation table", () => {
    expectSameFindings(pair, BASE);
    for (const m of OPENINFERENCE_MUTATIONS) expectSameFindings(pair, m.mutate(BASE), m.options);
  });

  it("the GenAI good spans and mutation table", () => {
    for (const attributes of Object.values(GOOD)) expectSameFindings(pair, attributes);
    for (const m of GENAI_MUTATIONS) expectSameFindings(pair, m.mutate(CHAT), m.options);
  });

  const judgesGenAI = pair.generated.includes(genaiRegistry);

  it("GenAI content: documents of every shape, the content mutation table, open values and older formats, in both forms", () => {
    let findings = 0;
    const both = (attributes: AttributeRecord, options?: ValidateOptions) => {
      expectSameFindings(pair, attributes, options);
      findings += validateWith(pair.generated, attributes, options).length;
    };
    for (const form of FORMS) {
      for (const [key, doc] of Object.entries(DOCS)) both(contentRecord(key, doc, form));
      for (const m of CONTENT_MUTATIONS) both(contentRecord(m.key, m.change(DOCS[m.key]!, m.at), form));
      for (const e of [...OPEN_CONTENT, ...LEGACY_CONTENT]) both(contentRecord(e.key, e.doc, form));
      // The findings budget of one value, and the limit on the JSON text whose content is checked.
      const many = Array.from({ length: 150 }, () => ({ role: "user" }));
      both(contentRecord(IN, many, form));
      both(contentRecord(IN, many, form), { maxContentChars: 64 });
      both(contentRecord(IN, DOCS[IN], form), { maxContentChars: 0 });
    }
    both({
      ...CONTENT_SPAN,
      "gen_ai.system_instructions": [{ type: "blob", modality: "audio", content: new Uint8Array([1, 2, 3]) }],
    });
    for (const e of TEXT_CONTENT) {
      both({ ...CONTENT_SPAN, [e.key]: e.value });
      both({ ...CONTENT_SPAN, [e.key]: e.value }, { maxContentChars: 0 });
    }
    if (judgesGenAI) expect(findings).toBeGreaterThan(CONTENT_MUTATIONS.length * 2);
  });

  it("GenAI content recorded by @opentelemetry/instrumentation-openai (content capture on): spans and inference events", () => {
    const records = [...contentCapture.spans, ...contentCapture.events];
    expect(records.some((r) => r["gen_ai.input.messages"] !== undefined)).toBe(true);
    for (const attributes of records) expectSameFindings(pair, attributes);
  });

  it(`${RUNS} fuzzed GenAI content values, with and without a content limit`, () => {
    let withContentFindings = 0;
    fc.assert(
      fc.property(contentArbitrary, fc.option(fc.nat(400), { nil: undefined }), (attributes, maxContentChars) => {
        const options = maxContentChars === undefined ? undefined : { maxContentChars };
        expectSameFindings(pair, attributes, options);
        if (validateWith(pair.generated, attributes, options).some((f) => f.rule.startsWith("content.")))
          withContentFindings++;
      }),
      { numRuns: RUNS },
    );
    // The edits must reach the content checks: most records get a content finding, not only a value.json or none.
    if (judgesGenAI) expect(withContentFindings).toBeGreaterThan(RUNS / 3);
  });

  it(`${RUNS} fuzzed attribute records`, () => {
    fc.assert(
      fc.property(recordArbitrary(pair.generated), optionsArbitrary(pair.generated), (attributes, options) =>
        expectSameFindings(pair, attributes, options),
      ),
      { numRuns: RUNS },
    );
  });
});

// ----- fuzzed records -----

const SEGMENTS = [
  "x",
  "id",
  "name",
  "0",
  "1",
  "01",
  "-1",
  "__proto__",
  "constructor",
  "toString",
  "",
  "message",
  "content",
  "type",
  "ü",
];

/** A key of a pattern (`llm.input_messages.<i>.message.role`, `gen_ai.prompt.variable.<key>`) with its holes filled. */
function instantiate(pattern: string): fc.Arbitrary<string> {
  const holes = pattern.match(/<[^>]+>/g) ?? [];
  return fc
    .tuple(
      ...holes.map((hole) =>
        hole === "<key>"
          ? fc.constantFrom("city", "a.b", "x", "", "0")
          : fc.oneof(
              { weight: 6, arbitrary: fc.nat(3).map(String) },
              { weight: 1, arbitrary: fc.constantFrom("01", "-1", "x", "1e3", " 1") },
            ),
      ),
    )
    .map((fills) => {
      let i = 0;
      return pattern.replace(/<[^>]+>/g, () => fills[i++]!);
    });
}

/** Keys near the registries' own: their patterns, truncated or extended, typos, other namespaces. */
function keyArbitrary(registries: readonly RegistryValidator[]): fc.Arbitrary<string> {
  const patterns = registries.flatMap((r) => r.suggestions ?? []);
  const kindKeys = registries.flatMap((r) => (r.spanKindKey ? [r.spanKindKey] : []));
  const known = fc.constantFrom(...patterns).chain(instantiate);
  return fc.oneof(
    { weight: 8, arbitrary: known },
    { weight: 1, arbitrary: fc.constantFrom(...kindKeys) },
    {
      weight: 2,
      arbitrary: fc.tuple(known, fc.nat(6)).map(([key, n]) => key.split(".").slice(0, Math.max(1, n)).join(".")),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(known, fc.constantFrom(...SEGMENTS)).map(([key, segment]) => `${key}.${segment}`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(known, fc.nat(40))
        .map(([key, at]) => key.slice(0, at % key.length) + key.slice((at % key.length) + 1)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "http.method",
        "session.id",
        "user.id",
        "error.type",
        "openai.api.type",
        "mycompany.x",
        "llmx.y",
        "gen_aix",
      ),
    },
  );
}

/** Every value shape an exporter can hand the validator: primitives, arrays (mixed too), JSON text, structured values. */
const valueArbitrary: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string({ maxLength: 12 }),
    fc.constantFrom(
      "LLM",
      "chat",
      "user",
      "openai",
      "text",
      "stop",
      "true",
      "1",
      "[]",
      "{}",
      "[1,2",
      '["a"]',
      '{"a":1}',
      '[{"role":"user","parts":[]}]',
    ),
    fc.integer(),
    fc.constantFrom(0, -1, 2 ** 53, 1.5, -0, Number.NaN, Number.POSITIVE_INFINITY),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double(), fc.boolean()), { maxLength: 4 }),
    fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }),
    fc.array(fc.integer(), { maxLength: 4 }),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("role", "parts", "type", "content", "name", "x"), tie("value"), { maxKeys: 3 }),
  ),
})).value;

/** Every node of a document, by its path (`[1, "parts", 0]`), the document itself first. */
function nodePaths(doc: Json, at: (string | number)[] = []): (string | number)[][] {
  const paths = [at];
  if (Array.isArray(doc)) for (const [i, item] of doc.entries()) paths.push(...nodePaths(item, [...at, i]));
  else if (doc !== null && typeof doc === "object" && !ArrayBuffer.isView(doc))
    for (const [key, item] of Object.entries(doc)) paths.push(...nodePaths(item, [...at, key]));
  return paths;
}

/** Part types, roles and property names the content shapes switch on, as replacement values. */
const CONTENT_WORDS = fc.constantFrom(
  "Answer briefly.",
  " ",
  "text",
  "tool_call",
  "tool_call_response",
  "blob",
  "uri",
  "file",
  "reasoning",
  "function",
  "user",
  "assistant",
  "stop",
  "parts",
  "content",
  "",
);

/** One of the documents with up to three nodes removed or replaced, in JSON text or structured (bytes included). */
const contentArbitrary: fc.Arbitrary<AttributeRecord> = fc
  .tuple(
    fc.constantFrom(...Object.keys(DOCS)),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.oneof(
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 3, arbitrary: valueArbitrary },
          { weight: 2, arbitrary: CONTENT_WORDS },
          { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4 }) },
        ),
      ),
      { maxLength: 3 },
    ),
    fc.constantFrom(...FORMS),
  )
  .map(([key, edits, form]) => {
    let doc = structuredClone(DOCS[key]!) as Json;
    for (const [pick, value] of edits) {
      const paths = nodePaths(doc);
      const at = paths[pick % paths.length]!;
      if (at.length === 0) {
        doc = (value ?? null) as Json;
        continue;
      }
      let parent = doc as unknown as Record<string | number, unknown>;
      for (const step of at.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
      if (value === undefined && !Array.isArray(parent)) delete parent[at.at(-1)!];
      else parent[at.at(-1)!] = value;
    }
    // Bytes are structured-only; in JSON text they become what JSON.stringify makes of them (an object of indices).
    return { ...CONTENT_SPAN, [key]: form === "json" ? (JSON.stringify(doc) ?? "null") : encode(doc, form) };
  });

function recordArbitrary(registries: readonly RegistryValidator[]): fc.Arbitrary<AttributeRecord> {
  const kinds = registries.flatMap((r) =>
    r.spanKindKey ? r.spanKinds.map((kind) => [r.spanKindKey!, kind] as const) : [],
  );
  return fc
    .tuple(
      fc.array(fc.tuple(keyArbitrary(registries), valueArbitrary), { maxLength: 12 }),
      fc.subarray(kinds, { maxLength: 2 }),
    )
    .map(([entries, kindEntries]) => Object.fromEntries([...kindEntries, ...entries]) as AttributeRecord);
}

function optionsArbitrary(registries: readonly RegistryValidator[]): fc.Arbitrary<ValidateOptions | undefined> {
  const kinds = registries.flatMap((r) => r.spanKinds);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(...kinds, "BANANA").map((kind) => ({ kind })) },
  );
}
