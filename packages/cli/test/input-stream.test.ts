/**
 * Reading documents, long lines and protobuf messages span by span: what is read, what is rejected (alone, or with
 * the rest of its document), and what each message names. Inputs are fed in small chunks, so every decoder state
 * meets a chunk boundary.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, readInput, type InputEvent, type Limits } from "../src/validate/input.js";
import { spansOfProtobuf } from "../src/validate/protobuf-stream.js";
import { encodeRequest } from "./helpers/otlp-proto.js";
import { tempDir } from "./helpers/tmp.js";

const dir = tempDir("stream");

function chunked(bytes: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

async function read(
  input: Buffer | string,
  options: { chunk?: number; limits?: Partial<Limits>; format?: "auto" | "json" | "protobuf" } = {},
): Promise<InputEvent[]> {
  const bytes = typeof input === "string" ? Buffer.from(input) : input;
  const out: InputEvent[] = [];
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  for await (const e of readInput("-", {
    stdin: chunked(bytes, options.chunk ?? 7),
    limits,
    format: options.format ?? "auto",
  }))
    out.push(e);
  return out;
}

/** Each event, short: span names (with the line or offset of the first), or `rejected@<where>: reason`. */
function summary(events: InputEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.kind === "rejected") return [`rejected@${e.source.line ?? `byte ${e.source.offset}`}: ${e.reason}`];
    return e.spans.map((s, i) =>
      e.positions
        ? `${s.name}@${Number.isNaN(e.positions[i * 2]) ? `byte ${e.positions[i * 2 + 1]}` : e.positions[i * 2]}`
        : s.name,
    );
  });
}

const span = (
  name: string,
  attributes: unknown[] = [{ key: "openinference.span.kind", value: { stringValue: "CHAIN" } }],
) => ({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", name, attributes });
const request = (...spans: unknown[]) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: "service.name", value: { stringValue: "svc" } }] },
      scopeSpans: [{ scope: { name: "s" }, spans }],
    },
  ],
});

describe("JSON documents, read span by span", () => {
  it("each span carries its own line; the resource, the scope and unknown keys are checked and left out", async () => {
    const text = JSON.stringify({ ...request(span("a"), span("b")), extra: { deep: [1, 2, { x: null }] } }, null, 2);
    const events = await read(text);
    const lines = text.split("\n");
    // A span's '{' is three lines above its name (after it: traceId, spanId); lines count from 1.
    const lineOf = (name: string) => lines.findIndex((l) => l.includes(`"name": "${name}"`)) - 2;
    expect(summary(events)).toEqual([`a@${lineOf("a")}`, `b@${lineOf("b")}`]);
  });

  it("a bad span is rejected alone, with its path and line; the others are read", async () => {
    const text = JSON.stringify(
      request(span("a"), span("b", [{ key: "k", value: { intValue: "1.5" } }]), span("c")),
      null,
      1,
    );
    const out = summary(await read(text));
    expect(out.filter((s) => !s.startsWith("rejected")).map((s) => s.split("@")[0])).toEqual(["a", "c"]);
    expect(out.find((s) => s.startsWith("rejected"))).toMatch(
      /^rejected@\d+: wrong shape: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]\.attributes\[0\]\.value\.intValue: expected an integer/,
    );
  });

  it("a syntax error in the enclosing structure stops the document, names line and column, and says what was skipped", async () => {
    const text =
      '{\n  "resourceSpans": [\n    {"scopeSpans": [{"spans": [\n' +
      `      ${JSON.stringify(span("a"))}\n` +
      "    ]}] x\n  ]\n}\n";
    expect(summary(await read(text))).toEqual([
      "a@4",
      "rejected@5: invalid JSON at line 5 column 9: expected ',' or '}' after a value in an object, found 'x'; lines 6–7 after it were skipped (no JSON record on a line of its own)",
    ]);
  });

  it("a truncated document names where it ends and what was open", async () => {
    const text = JSON.stringify(request(span("a"), span("b")), null, 2);
    const cut = text.slice(0, text.indexOf('"name": "b"'));
    const out = summary(await read(cut));
    expect(out[0]).toMatch(/^a@\d+$/);
    expect(out.at(-1)).toMatch(
      /^rejected@(\d+): invalid JSON at line \1: the document \(from line 1\) ends early, inside an array: the input is truncated$/,
    );
  });

  it("mismatched brackets inside a span stop the document where they are", async () => {
    const text = '[\n{"name": "a", "attributes": {"k": [1, 2}}\n]\n';
    expect(summary(await read(text))).toEqual([
      "rejected@2: invalid JSON at line 2 column 40: expected ']' to close the array, found '}'; line 3 after it was skipped (no JSON record on a line of its own)",
    ]);
  });

  it("an array of plain spans, one plain span, or a scalar", async () => {
    expect(
      summary(await read('[\n {"name":"a","attributes":{"openinference.span.kind":"LLM"}},\n {"name":"b"}\n]')),
    ).toEqual(["a@2", "b@3"]);
    expect(summary(await read('{\n "name": "p",\n "attributes": {"x": 1}\n}'))).toEqual(["p@1"]);
    expect(summary(await read(" \n 5\n"))).toEqual([
      "rejected@2: wrong shape: the record: expected an ExportTraceServiceRequest object or an array of spans, found 5 (number)",
    ]);
    expect(summary(await read('{\n "other": 1\n}'))).toEqual([
      "rejected@1: wrong shape: the record: expected an ExportTraceServiceRequest (with `resourceSpans`), a span (`name`, `attributes`) or an array of spans, found an object",
    ]);
  });

  it("documents one after the other; JSON Lines after a document; text after a document on its line", async () => {
    const doc = JSON.stringify(request(span("a")), null, 1);
    expect(summary(await read(`${doc}\n${doc.replace('"a"', '"b"')}\n`)).map((s) => s.split("@")[0])).toEqual([
      "a",
      "b",
    ]);
    const events = await read(`${doc}\n${JSON.stringify(request(span("c")))}\n`);
    expect(events.at(-1)).toMatchObject({
      kind: "spans",
      spans: [{ name: "c" }],
      source: { line: doc.split("\n").length + 1 },
    });
    expect(summary(await read(`${doc} oops\n`)).at(-1)).toMatch(
      /^rejected@\d+: invalid JSON at line \d+ column 3: unexpected text after the JSON document/,
    );
  });

  it("both scopeSpans and its deprecated name instrumentationLibrarySpans are read", async () => {
    const doc = {
      resourceSpans: [
        { instrumentationLibrarySpans: [{ spans: [span("old")] }], scopeSpans: [{ spans: [span("new")] }] },
      ],
    };
    expect(summary(await read(JSON.stringify(doc, null, 2))).map((s) => s.split("@")[0])).toEqual(["old", "new"]);
    expect(summary(await read(`${JSON.stringify(doc)}\n`)).sort()).toEqual(["new", "old"]);
  });
});

describe("limits", () => {
  it("--max-document-spans: the spans up to it are read, then the document stops", async () => {
    const text = JSON.stringify(request(span("a"), span("b"), span("c")), null, 1);
    const lines = text.split("\n").length;
    const stopped = summary(await read(text, { limits: { maxDocumentSpans: 2 } })).map((s) => s.replace(/@\d+/, ""));
    expect(stopped.slice(0, 2)).toEqual(["a", "b"]);
    expect(stopped[2]).toMatch(
      new RegExp(
        `^rejected: the JSON document \\(from line 1\\) holds more than 2 spans \\(--max-document-spans\\): the first 2 were read, the rest was not; lines \\d+–${lines} after it were skipped \\(no JSON record on a line of its own\\)$`,
      ),
    );
    const line = JSON.stringify(request(span("a"), span("b"), span("c")));
    expect(summary(await read(`${line}\n`, { limits: { maxDocumentSpans: 2 } }))).toEqual([
      "a",
      "b",
      "rejected@1: the JSON document (from line 1) holds more than 2 spans (--max-document-spans): the first 2 were read, the rest was not",
    ]);
    const proto = encodeRequest(request(span("a"), span("b"), span("c")));
    expect(summary(await read(proto, { limits: { maxDocumentSpans: 2 } })).at(-1)).toMatch(
      /^rejected@byte \d+: protobuf ExportTraceServiceRequest: the message holds more than 2 spans \(--max-document-spans\)/,
    );
  });

  it("--max-span-values and --max-record-bytes reject a span alone; --max-depth rejects it wherever it is", async () => {
    const wide = span("wide", [
      { key: "k", value: { arrayValue: { values: Array.from({ length: 50 }, (_, i) => ({ intValue: String(i) })) } } },
    ]);
    const doc = JSON.stringify(request(span("a"), wide, span("c")), null, 1);
    const byValues = summary(await read(doc, { limits: { maxSpanValues: 100 } }));
    expect(byValues.map((s) => s.split("@")[0])).toEqual(["a", "rejected", "c"]);
    expect(byValues[1]).toMatch(
      /spans\[1\]: a span of \d+ JSON values is more than the limit of 100 \(--max-span-values\); it was skipped$/,
    );
    // The same in a line, in protobuf.
    expect(
      summary(await read(`${JSON.stringify(request(span("a"), wide))}\n`, { limits: { maxSpanValues: 100 } })).at(-1),
    ).toMatch(/^rejected@1: .*spans\[1\]: a span of \d+ JSON values is more than the limit of 100/);
    expect(
      summary(await read(encodeRequest(request(span("a"), wide)), { limits: { maxSpanValues: 40 } })).at(-1),
    ).toMatch(
      /^rejected@byte \d+: .*spans\[1\]\.attributes\[0\]\.value\.arrayValue\.values\[\d+\]: a span of more than 40 values .* \(--max-span-values\)/,
    );
    const bySize = summary(await read(doc, { limits: { maxRecordBytes: 500 } }));
    expect(bySize[1]).toMatch(
      /spans\[1\]: a span of \d+ bytes is larger than the limit of 500 bytes \(--max-record-bytes\); it was skipped$/,
    );
    let deep: unknown = { stringValue: "x" };
    for (let i = 0; i < 10; i++) deep = { kvlistValue: { values: [{ key: "k", value: deep }] } };
    const nested = request(span("a"), span("deep", [{ key: "k", value: deep }]));
    // In a document, the JSON nesting gives it away first (an OTLP value level takes up to 4 JSON levels).
    expect(summary(await read(JSON.stringify(nested, null, 1), { limits: { maxDepth: 5 } })).at(-1)).toMatch(
      /spans\[1\]: JSON nested deeper than 36 levels at line \d+ \(--max-depth 5 allows OTLP values nested 5 deep\)$/,
    );
    expect(summary(await read(JSON.stringify(nested, null, 1), { limits: { maxDepth: 10 } })).at(-1)).toMatch(
      /^deep@\d+$/,
    );
    expect(summary(await read(`${JSON.stringify(nested)}\n`, { limits: { maxDepth: 5 } })).at(-1)).toContain(
      "expected values nested at most 5 deep (--max-depth)",
    );
    expect(summary(await read(encodeRequest(nested), { limits: { maxDepth: 5 } })).at(-1)).toContain(
      "expected values nested at most 5 deep (--max-depth)",
    );
  });

  it("a first line longer than a held line (8 MiB) is read as a stream; the lines after it are JSON Lines", async () => {
    const many = Array.from({ length: 60_000 }, (_, i) => span(`s${i}`));
    const first = JSON.stringify(request(...many));
    expect(first.length).toBeGreaterThan(8 * 1024 * 1024);
    const events = await read(`${first}\n${JSON.stringify(request(span("x")))}\n{oops\n`, { chunk: 1024 * 1024 });
    const names = summary(events);
    expect(names).toHaveLength(60_002);
    expect(names[60_000]).toBe("x");
    expect(names[60_001]).toMatch(/^rejected@3: invalid JSON/);
  });
});

describe("messages that name the real problem", () => {
  it("a truncated gzip says how far it got", async () => {
    const gz = gzipSync(Buffer.from(`${JSON.stringify(request(span("a")))}\n`.repeat(2000)));
    const events = await read(gz.subarray(0, gz.length >> 1), { chunk: 4096 });
    expect(events.at(-1)).toMatchObject({
      kind: "rejected",
      reason: expect.stringMatching(
        /^the gzip data ends early, after \d+ bytes of the file \(\d+ bytes decompressed\): the file is truncated$/,
      ),
    });
    expect(events.filter((e) => e.kind === "spans").length).toBeGreaterThan(10);
  });

  it.each([
    [
      "with a byte order mark (LE)",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"resourceSpans":[]}', "utf16le")]),
      "UTF-16 (little-endian) text, with a byte order mark",
    ],
    [
      "with a byte order mark (BE)",
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{"resourceSpans":[]}', "utf16le").swap16()]),
      "UTF-16 (big-endian) text, with a byte order mark",
    ],
    ["without one", Buffer.from('{"resourceSpans":[]}', "utf16le"), "UTF-16 (little-endian) text"],
  ])("UTF-16 JSON %s is named as such", async (_name, bytes, what) => {
    for (const format of ["auto", "json"] as const) {
      expect(summary(await read(bytes, { format }))).toEqual([
        `rejected@byte 0: ${what}: semtrace reads UTF-8 (JSON) or binary protobuf; convert it first, e.g. iconv -f UTF-16 -t UTF-8`,
      ]);
    }
  });

  it("an empty input and one of blank lines hold no records, and say so (not 'bad protobuf')", async () => {
    expect(await read("")).toEqual([
      { kind: "spans", spans: [], source: { file: "<stdin>" }, notes: [{ category: "empty", text: "empty" }] },
    ]);
    expect(await read("\n\n\r\n \n")).toEqual([
      {
        kind: "spans",
        spans: [],
        source: { file: "<stdin>" },
        notes: [{ category: "empty", text: "only whitespace" }],
      },
    ]);
    expect(await read("\n".repeat(200_000), { chunk: 65536 })).toEqual([
      {
        kind: "spans",
        spans: [],
        source: { file: "<stdin>" },
        notes: [{ category: "empty", text: "only whitespace" }],
      },
    ]);
  });

  it("integers past 2^53 are read as the nearest double and noted; past int64 they are rejected", async () => {
    const big = span("big", [{ key: "n", value: { intValue: "9007199254740993" } }]);
    for (const input of [
      `${JSON.stringify(request(big))}\n`,
      JSON.stringify(request(big), null, 1),
      encodeRequest(request(big)),
    ]) {
      const events = await read(input);
      const spans = events.find((e) => e.kind === "spans");
      expect(spans).toMatchObject({
        spans: [{ attributes: { n: 9007199254740992 } }],
        notes: [
          {
            category: "int-precision",
            text: "an integer past ±2^53 (9007199254740993 is held as 9007199254740992): validated as the nearest double, which keeps type checks exact",
          },
        ],
      });
    }
    const negative = encodeRequest(request(span("neg", [{ key: "n", value: { intValue: "-9223372036854775808" } }])));
    expect((await read(negative)).find((e) => e.kind === "spans")).toMatchObject({
      spans: [{ attributes: { n: -9223372036854775808 } }],
      notes: [{ category: "int-precision" }],
    });
    const tooBig = span("huge", [{ key: "n", value: { intValue: "9223372036854775808" } }]);
    expect(summary(await read(`${JSON.stringify(request(tooBig))}\n`))).toEqual([
      'rejected@1: wrong shape: resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.intValue: expected an int64 (from -9223372036854775808 to 9223372036854775807), found "9223372036854775808"',
    ]);
  });
});

describe("protobuf, read span by span", () => {
  it("decodes what protobufjs encodes: ids, names, every AnyValue form, the deprecated scope field", async () => {
    const attributes = [
      { key: "s", value: { stringValue: "é 𝄞" } },
      { key: "b", value: { boolValue: true } },
      { key: "i", value: { intValue: "-42" } },
      { key: "d", value: { doubleValue: 0.25 } },
      { key: "a", value: { arrayValue: { values: [{ intValue: "1" }, {}, { stringValue: "x" }] } } },
      {
        key: "m",
        value: { kvlistValue: { values: [{ key: "__proto__", value: { stringValue: "p" } }, { key: "e" }] } },
      },
      { key: "y", value: { bytesValue: Buffer.from([0, 1, 2]).toString("base64") } },
      { key: "empty", value: {} },
    ];
    const doc = {
      resourceSpans: [
        {
          scopeSpans: [{ spans: [span("one", attributes)] }],
          instrumentationLibrarySpans: [{ spans: [span("legacy")] }],
        },
      ],
    };
    const spans = spansOfProtobuf(encodeRequest(doc));
    expect(spans.map((s) => s.name)).toEqual(["one", "legacy"]);
    expect(spans[0]).toEqual({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
      name: "one",
      attributes: {
        s: "é 𝄞",
        b: true,
        i: -42,
        d: 0.25,
        a: [1, null, "x"],
        m: JSON.parse('{"__proto__":"p"}'),
        y: new Uint8Array([0, 1, 2]),
      },
    });
    expect(Object.getPrototypeOf(spans[0]!.attributes["m"])).toBe(Object.prototype);
  });

  it("a span with invalid UTF-8 is rejected alone with its byte offset; the others are read", async () => {
    const bytes = encodeRequest(request(span("a"), span("bad"), span("c")));
    const at = bytes.indexOf(Buffer.from("bad"));
    bytes[at + 1] = 0xff;
    expect(summary(await read(bytes))).toEqual([
      expect.stringMatching(/^a@byte \d+$/),
      `rejected@byte ${at}: resourceSpans[0].scopeSpans[0].spans[1].name: a string holds invalid UTF-8`,
      expect.stringMatching(/^c@byte \d+$/),
    ]);
  });

  it("a length past its message's end stops the decoder with the offset", async () => {
    // Request { ResourceSpans { ScopeSpans { Span (claims 127 bytes; 3 follow) { name: "a" } } } }
    const bytes = Buffer.from([0x0a, 0x07, 0x12, 0x05, 0x12, 0x7f, 0x2a, 0x01, 0x61]);
    expect(summary(await read(bytes, { format: "protobuf" }))).toEqual([
      "rejected@byte 4: invalid protobuf ExportTraceServiceRequest: field 2 is 127 bytes long, past the end of its enclosing ScopeSpans (byte 9) (at byte 4)",
    ]);
    bytes[5] = 0x03;
    expect(summary(await read(bytes, { format: "protobuf" }))).toEqual(["a@byte 4"]);
  });

  it("text that is neither JSON nor protobuf says so", async () => {
    expect(summary(await read("hello world\n"))).toEqual([
      expect.stringMatching(
        /^rejected@byte \d+: neither JSON \(which starts with '\{' or '\['\) nor a protobuf ExportTraceServiceRequest: /,
      ),
    ]);
  });
});

describe("files", () => {
  it("gzip of a pretty document and of protobuf, read from files", async () => {
    const doc = request(span("a"), span("b"));
    const files = { "d.json.gz": gzipSync(JSON.stringify(doc, null, 2)), "p.pb.gz": gzipSync(encodeRequest(doc)) };
    for (const [name, bytes] of Object.entries(files)) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const out: InputEvent[] = [];
      for await (const e of readInput(file)) out.push(e);
      expect(out.flatMap((e) => (e.kind === "spans" ? e.spans.map((s) => s.name) : [e.reason]))).toEqual(["a", "b"]);
    }
  });
});
