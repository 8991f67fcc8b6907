/**
 * 10,000 generated cases over validate's input parsing (OTLP JSON documents, JSON Lines, protobuf, gzip of each),
 * fed through the real reader in chunks of random sizes:
 *
 * - differential: a random request reads back as the same spans in every encoding — JSON Lines (parsed whole),
 *   pretty JSON (read span by span), protobuf (encoded by protobufjs, decoded by the CLI's streaming decoder),
 *   gzip — as the reference conversion of the parsed JSON gives;
 * - mutations: truncated, flipped, inserted, deleted or repeated bytes never crash or hang the reader, every
 *   rejection says where, nothing reaches Object.prototype;
 * - chunking: the same bytes give the same events whatever the chunk sizes;
 * - hostile JSON: any JSON with prototype-named keys, as documents and as lines.
 *
 * `SEMTRACE_FUZZ_SCALE=10 npx vitest run test/input-fuzz.test.ts` runs ten times as many.
 */
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, readInput, type InputEvent } from "../src/validate/input.js";
import { spansOfJson } from "../src/validate/otlp.js";
import { encodeRequest } from "./helpers/otlp-proto.js";

const SCALE = Math.max(1, Number(process.env["SEMTRACE_FUZZ_SCALE"] ?? 1));
/** Cases per property; they add up to 10,000. */
const RUNS = { differential: 3000, mutations: 3500, chunking: 2000, hostile: 1500 };

async function read(
  bytes: Buffer,
  chunk: number,
  format: "auto" | "json" | "protobuf" = "auto",
): Promise<InputEvent[]> {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  const out: InputEvent[] = [];
  const limits = { ...DEFAULT_LIMITS, maxDepth: 16 };
  for await (const e of readInput("-", { stdin: Readable.from(parts), format, limits })) out.push(e);
  return out;
}

function spansOf(events: InputEvent[]) {
  return events.flatMap((e) => (e.kind === "spans" ? e.spans : []));
}

function expectNoPollution() {
  expect(Object.keys(Object.prototype)).toEqual([]);
  const probe = {} as Record<string, unknown>;
  expect(probe["polluted"]).toBeUndefined();
  expect(typeof probe.toString).toBe("function");
}

afterAll(() => expectNoPollution());

// --- random OTLP requests -----------------------------------------------------------------------------------------

const hostileKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "polluted");
const key = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
  { weight: 1, arbitrary: hostileKey },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "openinference.span.kind",
      "llm.model_name",
      "llm.token_count.prompt",
      "input.value",
      "gen_ai.operation.name",
    ),
  },
);
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const double = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0));

const anyValue: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ value: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.string({ unit: "grapheme", maxLength: 30 }).map((s) => ({ stringValue: s })),
    fc.boolean().map((b) => ({ boolValue: b })),
    fc.oneof(fc.integer(), int64).map((n) => ({ intValue: String(n) })),
    double.map((d) => ({ doubleValue: d })),
    fc.uint8Array({ maxLength: 12 }).map((b) => ({ bytesValue: Buffer.from(b).toString("base64") })),
    fc.constant({}),
    fc.array(tie("value"), { maxLength: 4 }).map((values) => ({ arrayValue: { values } })),
    fc.array(fc.record({ key, value: tie("value") }), { maxLength: 4 }).map((values) => ({ kvlistValue: { values } })),
  ),
})).value;

const hex = (bytes: number) =>
  fc.oneof(
    fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex")),
    fc.constant(""),
  );
const span = fc.record({
  traceId: hex(16),
  spanId: hex(8),
  name: fc.string({ unit: "grapheme", maxLength: 20 }),
  attributes: fc.array(fc.record({ key, value: anyValue }), { maxLength: 6 }),
});
const scopeSpans = fc.record({
  scope: fc.record({ name: fc.string({ maxLength: 8 }) }),
  spans: fc.array(span, { maxLength: 4 }),
});
const request = fc.record({
  resourceSpans: fc.array(
    fc.record({
      resource: fc.record({ attributes: fc.array(fc.record({ key, value: anyValue }), { maxLength: 2 }) }),
      scopeSpans: fc.array(scopeSpans, { minLength: 1, maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

type Encoding = "line" | "lines" | "pretty" | "protobuf";
const encodings: readonly Encoding[] = ["line", "lines", "pretty", "protobuf"];

function encode(req: unknown, encoding: Encoding, indent: number): Buffer {
  if (encoding === "protobuf") return encodeRequest(req);
  if (encoding === "pretty") return Buffer.from(JSON.stringify(req, null, indent || 1));
  const line = JSON.stringify(req);
  return Buffer.from(encoding === "line" ? `${line}\n` : `${line}\n\n${line}\r\n${line}`);
}

const copies = (encoding: Encoding) => (encoding === "lines" ? 3 : 1);
const chunkSize = fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 4096 }));

describe("fuzz: validate's input parsing", () => {
  it(`differential: a request reads back as the same spans in every encoding (${RUNS.differential * SCALE} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        request,
        fc.constantFrom(...encodings),
        fc.boolean(),
        chunkSize,
        fc.integer({ min: 0, max: 4 }),
        async (req, encoding, gzip, chunk, indent) => {
          const expected = spansOfJson(JSON.parse(JSON.stringify(req)));
          const bytes = encode(req, encoding, indent);
          const events = await read(gzip ? gzipSync(bytes) : bytes, chunk);
          expect(events.filter((e) => e.kind === "rejected")).toEqual([]);
          const want = Array.from({ length: copies(encoding) }, () => expected).flat();
          expect(spansOf(events)).toEqual(want);
          expectNoPollution();
        },
      ),
      { numRuns: RUNS.differential * SCALE },
    );
  }, 600_000);

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
    fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({
      kind: fc.constant("insert" as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
    fc.record({
      kind: fc.constant("repeat" as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 64 }),
      times: fc.integer({ min: 2, max: 40 }),
    }),
  );
  type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

  function mutate(bytes: Buffer, m: Mutation): Buffer {
    if (bytes.length === 0) return bytes;
    const at = m.at % bytes.length;
    switch (m.kind) {
      case "truncate":
        return bytes.subarray(0, at);
      case "flip": {
        const copy = Buffer.from(bytes);
        copy[at] = m.byte;
        return copy;
      }
      case "insert":
        return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
      case "delete":
        return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
      case "repeat": {
        const piece = bytes.subarray(at, at + m.length);
        return Buffer.concat([
          bytes.subarray(0, at),
          ...Array.from({ length: m.times }, () => piece),
          bytes.subarray(at),
        ]);
      }
    }
  }

  /** What every reading must satisfy, whatever the bytes. */
  function expectSound(events: InputEvent[]) {
    for (const e of events) {
      if (e.kind === "rejected") {
        expect(e.reason.length).toBeGreaterThan(0);
        // Where: a line or a byte offset, except for what concerns the whole input (gzip, encoding).
        if (e.source.line === undefined && e.source.offset === undefined) expect(e.reason).toMatch(/gzip|cannot read/);
        continue;
      }
      for (const s of e.spans) {
        expect(typeof s.name).toBe("string");
        expect(s.traceId).toMatch(/^[0-9a-f]*$/);
        expect(Object.getPrototypeOf(s.attributes)).toBe(Object.prototype);
      }
      if (e.positions) expect(e.positions).toHaveLength(e.spans.length * 2);
    }
  }

  it(`mutations: truncated, flipped, inserted, deleted, repeated bytes never crash; every rejection says where (${RUNS.mutations * SCALE} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        request,
        fc.constantFrom(...encodings),
        fc.boolean(),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        chunkSize,
        async (req, encoding, gzip, mutations, chunk) => {
          let bytes = encode(req, encoding, 2);
          if (gzip) bytes = gzipSync(bytes);
          for (const m of mutations) bytes = mutate(bytes, m);
          const events = await read(bytes, chunk);
          expectSound(events);
          expectNoPollution();
        },
      ),
      { numRuns: RUNS.mutations * SCALE },
    );
  }, 600_000);

  it(`chunking: the same bytes give the same events in any chunk sizes (${RUNS.chunking * SCALE} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        request,
        fc.constantFrom(...encodings),
        fc.option(mutation, { nil: undefined }),
        chunkSize,
        async (req, encoding, m, chunk) => {
          let bytes = encode(req, encoding, 2);
          if (m) bytes = mutate(bytes, m);
          const whole = await read(bytes, Math.max(1, bytes.length));
          const pieces = await read(bytes, chunk);
          // Spans come in as many events as there were chunks: compare the spans, their positions and the rejections.
          const flat = (events: InputEvent[]) => ({
            spans: spansOf(events),
            positions: events.flatMap((e) =>
              e.kind === "spans"
                ? (e.positions ?? e.spans.flatMap(() => [e.source.line ?? Number.NaN, e.source.offset ?? Number.NaN]))
                : [],
            ),
            rejected: events.filter((e) => e.kind === "rejected"),
            notes: events
              .flatMap((e) => (e.kind === "spans" ? (e.notes ?? []).map((n) => n.category) : []))
              .filter((c, i, all) => all.indexOf(c) === i),
          });
          expect(flat(pieces)).toEqual(flat(whole));
        },
      ),
      { numRuns: RUNS.chunking * SCALE },
    );
  }, 600_000);

  const jsonValue: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom("null", "true", "1", "-2.5e3", '"s"'),
      fc.string({ maxLength: 10 }).map((s) => JSON.stringify(s)),
      fc.array(tie("v"), { maxLength: 4 }).map((xs) => `[${xs.join(",")}]`),
      fc
        .array(
          fc.tuple(
            fc.oneof(
              hostileKey,
              fc.constantFrom(
                "resourceSpans",
                "scopeSpans",
                "instrumentationLibrarySpans",
                "spans",
                "attributes",
                "name",
                "key",
                "value",
                "stringValue",
                "intValue",
                "arrayValue",
                "kvlistValue",
                "values",
                "spanContext",
                "traceId",
              ),
            ),
            tie("v"),
          ),
          { maxLength: 5 },
        )
        .map((kvs) => `{${kvs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
    ),
  })).v;

  it(`hostile JSON: any JSON with prototype-named keys, as documents and lines, never crashes or pollutes (${RUNS.hostile * SCALE} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(jsonValue, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        chunkSize,
        async (values, pretty, chunk) => {
          const text = pretty
            ? values.map((v) => JSON.stringify(JSON.parse(v), null, 2)).join("\n")
            : values.join("\n");
          const events = await read(Buffer.from(text), chunk);
          expectSound(events);
          expectNoPollution();
        },
      ),
      { numRuns: RUNS.hostile * SCALE },
    );
  }, 600_000);
});
