/**
 * live-check's request decoders (OTLP/JSON and protobuf, span by span, counted against the request caps) give
 * exactly the spans `semtrace validate` reads from the same bytes, refuse what it refuses with the byte offset, and
 * stop at a cap before building the rest.
 *
 * The damaged-body properties run 1,000 cases each; `LIVE_FUZZ_RUNS=30000 npx vitest run test/live-request.test.ts`
 * runs more (30,000 each: about 70 s each on a loaded machine).
 */
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { captureGenAISpans, captureOpenAISpans } from "@semtrace/real-spans";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBody } from "../src/validate/input.js";
import {
  DEFAULT_MAX_DEPTH,
  ProtobufError,
  SPAN_VALUES,
  ShapeError,
  spansOfRequest,
  type InputSpan,
} from "../src/validate/otlp.js";
import { spansOfProtobuf } from "../src/validate/protobuf-stream.js";
import { jsonDepthFor } from "../src/validate/limits.js";
import { JsonBodyError } from "../src/validate/live/json-request.js";
import { RequestCapError, type RequestCaps } from "../src/validate/live/request-caps.js";
import { requestSpans, type BodyFormat } from "../src/validate/live/request.js";
import { encodeRequest } from "./helpers/otlp-proto.js";
import { countValues, otlpRequest, protobufField, type OtlpRequest } from "./helpers/otlp-requests.js";

const UNCAPPED: RequestCaps = {
  maxRequestSpans: Number.MAX_SAFE_INTEGER,
  maxRequestAttributes: Number.MAX_SAFE_INTEGER,
  maxSpanValues: Number.MAX_SAFE_INTEGER,
  maxDepth: DEFAULT_MAX_DEPTH,
};

const field = protobufField;
const FUZZ_RUNS = Number(process.env["LIVE_FUZZ_RUNS"] ?? 1000);

function decode(body: Uint8Array, format: BodyFormat, caps: RequestCaps = UNCAPPED): InputSpan[] {
  const decoding = requestSpans(body, format, caps);
  for (;;) {
    const step = decoding.next();
    if (step.done) return step.value;
  }
}

type Outcome = { spans: InputSpan[] } | { error: unknown };

function outcome(read: () => InputSpan[]): Outcome {
  try {
    return { spans: read() };
  } catch (error) {
    return { error };
  }
}

/**
 * What `semtrace validate` reads from an OTLP/JSON request body (JSON.parse of the whole text), for the bodies an
 * OTLP/HTTP receiver accepts: an ExportTraceServiceRequest object; `{}` is an empty one.
 */
function validateReadsJson(body: Uint8Array): InputSpan[] {
  const text = new TextDecoder("utf-8", { fatal: true }).decode(body).replace(/^\uFEFF/, "");
  const doc = JSON.parse(text) as unknown;
  const request = "an ExportTraceServiceRequest object (with resourceSpans)";
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new ShapeError("", request, doc);
  if (Object.keys(doc).length === 0) return [];
  if (!Object.hasOwn(doc, "resourceSpans")) throw new ShapeError("", request, doc);
  return spansOfRequest(doc as Record<string, unknown>);
}

/** What `semtrace validate` reads from an OTLP/protobuf request body. */
function validateReadsProtobuf(body: Uint8Array): InputSpan[] {
  return parseBody(body, "protobuf");
}

function expectSameAsValidate(body: Uint8Array, format: BodyFormat) {
  const ours = outcome(() => decode(body, format));
  const theirs = outcome(() => (format === "json" ? validateReadsJson(body) : validateReadsProtobuf(body)));
  if ("spans" in theirs) expect(ours).toEqual(theirs);
  else {
    expect(
      "error" in ours,
      `validate refuses this body (${String((theirs as { error: unknown }).error)}) but live-check reads it`,
    ).toBe(true);
    const [a, b] = [(ours as { error: unknown }).error, theirs.error];
    // The same kind of refusal; shape errors name the same path (unless the text is also not JSON, which
    // JSON.parse finds first and live-check may find after the shape error).
    if (b instanceof ShapeError && a instanceof ShapeError) expect(a.message).toBe(b.message);
    if (b instanceof ProtobufError) expect(a).toBeInstanceOf(ProtobufError);
  }
  return ours;
}

describe("live-check request decoding: the spans validate reads", () => {
  it("requests of the real OpenTelemetry serializers (OpenAI and GenAI instrumentation spans), JSON and protobuf", async () => {
    const openai = await captureOpenAISpans();
    const genai = await captureGenAISpans();
    for (const spans of [openai.spans, genai.spans]) {
      const json = JsonTraceSerializer.serializeRequest([...spans])!;
      const proto = ProtobufTraceSerializer.serializeRequest([...spans])!;
      const fromJson = expectSameAsValidate(json, "json");
      const fromProto = expectSameAsValidate(proto, "protobuf");
      expect("spans" in fromJson && fromJson.spans.length).toBe(spans.length);
      expect(fromProto).toEqual(fromJson);
    }
  }, 60_000);

  it("generated requests (every value kind, nested arrays and maps, resources, scopes, events, status), as JSON and protobuf: validate's spans, whole, and the caps count alike", () => {
    fc.assert(
      fc.property(otlpRequest, fc.constantFrom(undefined, 2, "\t"), (request, indent) => {
        const json = Buffer.from(JSON.stringify(request, null, indent));
        const proto = encodeRequest(request);
        const fromJson = expectSameAsValidate(json, "json");
        expect("spans" in fromJson).toBe(true);
        expect(expectSameAsValidate(proto, "protobuf")).toEqual(fromJson);
        // The caps count the same in both encodings: at the count a request passes, one below it is refused.
        const { spans, values, spanValues } = countValues(request);
        const exact = { ...UNCAPPED, maxRequestSpans: spans, maxRequestAttributes: values, maxSpanValues: spanValues };
        for (const [body, format] of [
          [json, "json"],
          [proto, "protobuf"],
        ] as const) {
          expect(() => decode(body, format, exact)).not.toThrow();
          if (spans > 0)
            expect(() => decode(body, format, { ...exact, maxRequestSpans: spans - 1 })).toThrow(RequestCapError);
          if (values > 0)
            expect(() => decode(body, format, { ...exact, maxRequestAttributes: values - 1 })).toThrow(RequestCapError);
          if (spanValues > 0)
            expect(() => decode(body, format, { ...exact, maxSpanValues: spanValues - 1 })).toThrow(
              "the cap per span (--max-span-values)",
            );
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it(
    "damaged JSON bodies: refused when validate refuses them, the same spans when it reads them",
    () => {
      const damage = fc.tuple(
        otlpRequest,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom("cut", "replace", "insert", "delete"),
      );
      fc.assert(
        fc.property(damage, ([request, at, byte, how]) => {
          const body = Buffer.from(JSON.stringify(request));
          const i = at % body.length;
          const damaged =
            how === "cut"
              ? body.subarray(0, i)
              : how === "replace"
                ? Buffer.concat([body.subarray(0, i), Buffer.from([byte]), body.subarray(i + 1)])
                : how === "insert"
                  ? Buffer.concat([body.subarray(0, i), Buffer.from([byte]), body.subarray(i)])
                  : Buffer.concat([body.subarray(0, i), body.subarray(i + 1)]);
          // Where validate reads spans, live-check reads the same; where validate refuses, so does live-check, with
          // the same shape error. (Damage can duplicate a member name, e.g. two "spanId"s: both take the last, as
          // JSON.parse does.)
          expectSameAsValidate(damaged, "json");
        }),
        { numRuns: FUZZ_RUNS },
      );
    },
    60_000 + FUZZ_RUNS * 5,
  );

  it(
    "damaged protobuf bodies: refused when validate refuses them, the same spans when it reads them",
    () => {
      const damage = fc.tuple(
        otlpRequest,
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom("cut", "replace", "insert"),
      );
      fc.assert(
        fc.property(damage, ([request, at, byte, how]) => {
          const body = Buffer.from(encodeRequest(request));
          if (body.length === 0) return;
          const i = at % body.length;
          const damaged =
            how === "cut"
              ? body.subarray(0, i)
              : how === "replace"
                ? Buffer.concat([body.subarray(0, i), Buffer.from([byte]), body.subarray(i + 1)])
                : Buffer.concat([body.subarray(0, i), Buffer.from([byte]), body.subarray(i)]);
          const ours = expectSameAsValidate(damaged, "protobuf");
          if ("error" in ours) expect(ours.error).toBeInstanceOf(ProtobufError);
        }),
        { numRuns: FUZZ_RUNS },
      );
    },
    60_000 + FUZZ_RUNS * 5,
  );
});

describe("live-check request decoding: what it refuses, and where", () => {
  const json = (text: string) => Buffer.from(text, "latin1");
  it.each([
    ["not JSON", "{nope", 1, "expected a string key or '}', found 'n'"],
    ["a trailing comma", '{"resourceSpans":[],}', 20, "expected a string key, found '}'"],
    ["an unterminated string", '{"resourceSpans":[{"x":"abc', 23, "unterminated string"],
    ["a raw control character in a string", '{"a":"x\ty"}', 7, "unescaped control character in a string"],
    ["a bad escape", '{"a":"\\q"}', 6, "invalid escape 'q' in a string"],
    ["a bad number", '{"a":01}', 6, "expected ',' or '}', found '1'"],
    [
      "text after the value",
      '{"resourceSpans":[]} x',
      21,
      "expected the end of the body after the JSON value, found 'x'",
    ],
    ["the end of the body", '{"resourceSpans":[', 18, "expected a JSON value, found the end of the body"],
    ["invalid UTF-8", '{"a":"\xff"}', 6, "invalid UTF-8 at byte 6"],
  ])("JSON: %s", (_name, text, offset, message) => {
    const error = outcome(() => decode(json(text), "json"));
    expect("error" in error && error.error).toBeInstanceOf(JsonBodyError);
    const e = (error as { error: JsonBodyError }).error;
    expect(e.offset).toBe(offset);
    expect(e.message).toContain(message);
  });

  it("JSON: bad text inside attributes (left to JSON.parse there) is found at its byte, after multi-byte characters too", () => {
    const text =
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"é","attributes":[{"key":"k","value":{"stringValue":"€ a\tb"}}]}]}]}]}';
    const body = Buffer.from(text);
    const result = outcome(() => decode(body, "json"));
    expect("error" in result && result.error).toBeInstanceOf(JsonBodyError);
    const e = (result as { error: JsonBodyError }).error;
    expect(e.message).toMatch(/^Bad control character in string literal/);
    expect(e.offset).toBe(body.indexOf(0x09));
    expect(() => validateReadsJson(body)).toThrow(SyntaxError);
  });

  it("JSON: wrong shapes name the path, as validate does; the body must be a request object", () => {
    const cases: [string, string][] = [
      ['{"resourceSpans":{}}', "resourceSpans: expected an array, found an object"],
      ['{"resourceSpans":[1]}', "resourceSpans[0]: expected a ResourceSpans object, found 1 (number)"],
      [
        '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":5}]}]}]}',
        "resourceSpans[0].scopeSpans[0].spans[0].name: expected a string, found 5 (number)",
      ],
      [
        '{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"intValue":"x"}}]}]}]}]}',
        "resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.intValue: expected an integer",
      ],
      [
        '[{"name":"plain"}]',
        "the record: expected an ExportTraceServiceRequest object (with resourceSpans), found an array",
      ],
      [
        '{"resource_spans":[]}',
        "the record: expected an ExportTraceServiceRequest object (with resourceSpans), found an object",
      ],
    ];
    for (const [text, message] of cases) {
      const result = outcome(() => decode(json(text), "json"));
      expect("error" in result && result.error).toBeInstanceOf(ShapeError);
      expect((result as { error: Error }).error.message).toContain(message);
    }
    expect(decode(json("{}"), "json")).toEqual([]);
    expect(decode(json('\ufeff{"resourceSpans":null}'.replace("\ufeff", "\xef\xbb\xbf")), "json")).toEqual([]);
  });

  it.each([DEFAULT_MAX_DEPTH, 1, 1000])(
    "JSON: nesting deeper than attribute values --max-depth %i deep need is refused without recursion",
    (maxDepth) => {
      const caps = { ...UNCAPPED, maxDepth };
      const most = jsonDepthFor(maxDepth);
      const deep = `{"resourceSpans":[],"x":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
      expect(() => decode(json(deep), "json", caps)).toThrow(
        `JSON nested deeper than ${most} levels (the most attribute values nested ${maxDepth} deep need: --max-depth)`,
      );
      const fine = `{"resourceSpans":[],"x":${"[".repeat(most)}${"]".repeat(most)}}`;
      expect(decode(json(fine), "json", caps)).toEqual([]);
      const over = `{"resourceSpans":[],"x":${"[".repeat(most + 1)}${"]".repeat(most + 1)}}`;
      expect(() => decode(json(over), "json", caps)).toThrow(JsonBodyError);
    },
  );

  const span = (attributes: Buffer) =>
    Buffer.concat([
      Buffer.from([0x0a, attributes.length + 4, 0x12, attributes.length + 2, 0x12, attributes.length]),
      attributes,
    ]);
  it.each([
    [
      "a length past the end",
      Buffer.from([0x0a, 0x05, 0x12]),
      1,
      "a length-delimited field of 5 bytes runs past the end of its message (1 bytes left)",
    ],
    [
      "a known field with another wire type",
      Buffer.from([0x08, 0x01]),
      0,
      "field 1 of ExportTraceServiceRequest has wire type 0 (varint); expected 2 (length-delimited)",
    ],
    ["an invalid wire type", Buffer.from([0x0f]), 0, "invalid wire type 7"],
    ["field number 0", Buffer.from([0x02, 0x00]), 0, "invalid field number 0"],
    ["a varint of 11 bytes", Buffer.from([0x10, ...Array(11).fill(0xff)]), 1, "a varint longer than 10 bytes"],
    ["an end group without its start", Buffer.from([0x14]), 1, "an end-group tag without its start-group"],
    [
      "an end group of another field",
      Buffer.from([0x2b, 0x24]),
      2,
      "an end-group tag of field 4 closes the group of field 5",
    ],
    ["no resourceSpans", Buffer.from([0x10, 0x01]), 0, "no resourceSpans (field 1) found"],
    // Inside a span, validate's reader speaks: the path in the span and what it expected.
    [
      "an attribute value of the wrong wire type",
      span(Buffer.from([0x4a, 0x02, 0x10, 0x01])),
      9,
      "resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value: expected an AnyValue (wire type 2), found wire type 0",
    ],
    [
      "a span field of the wrong wire type",
      field(0x0a, field(0x12, field(0x12, Buffer.from([0x28, 0x00])))),
      7,
      "resourceSpans[0].scopeSpans[0].spans[0].name: expected a string (wire type 2), found wire type 0",
    ],
    [
      "scopeSpans of the wrong wire type",
      field(0x0a, Buffer.from([0x10, 0x01])),
      2,
      "field 2 of ResourceSpans has wire type 0 (varint); expected 2 (length-delimited)",
    ],
  ])("protobuf: %s", (_name, bytes, offset, message) => {
    const result = outcome(() => decode(bytes, "protobuf"));
    expect("error" in result && result.error).toBeInstanceOf(ProtobufError);
    const e = (result as { error: ProtobufError }).error;
    expect(e.message).toContain(message);
    expect(e.offset).toBe(offset);
  });

  it("protobuf: nested values are read as validate reads them; past --max-depth decoding stops without recursing further", () => {
    // A value nested `depth` levels deep: arrayValue { values: [ … { boolValue: true } ] }.
    const value = (depth: number): Buffer => {
      let v: Buffer = Buffer.from([0x10, 0x01]);
      for (let d = 0; d < depth; d++) v = field(0x2a, field(0x0a, v));
      return v;
    };
    const request = (depth: number) =>
      field(
        0x0a,
        field(
          0x12,
          field(0x12, field(0x4a, Buffer.concat([field(0x0a, Buffer.from("k")), field(0x12, value(depth))]))),
        ),
      );
    expect(decode(request(40), "protobuf")).toEqual(validateReadsProtobuf(request(40)));
    expect(decode(request(40), "protobuf")[0]!.attributes["k"]).toHaveLength(1);
    expect(decode(request(DEFAULT_MAX_DEPTH), "protobuf")).toEqual(validateReadsProtobuf(request(DEFAULT_MAX_DEPTH)));
    expect(() => decode(request(DEFAULT_MAX_DEPTH + 1), "protobuf")).toThrow(
      `expected values nested at most ${DEFAULT_MAX_DEPTH} deep (--max-depth), found deeper nesting`,
    );
    expect(() => validateReadsProtobuf(request(DEFAULT_MAX_DEPTH + 1))).toThrow("--max-depth");
    expect(() => decode(request(10_000), "protobuf")).toThrow(
      `expected values nested at most ${DEFAULT_MAX_DEPTH} deep (--max-depth)`,
    );
    // A flag moves the cap both ways.
    expect(() => decode(request(40), "protobuf", { ...UNCAPPED, maxDepth: 39 })).toThrow("nested at most 39 deep");
    expect(decode(request(1000), "protobuf", { ...UNCAPPED, maxDepth: 1000 })[0]!.attributes["k"]).toHaveLength(1);
  });

  it("protobuf: unknown fields of every wire type, groups included, are skipped; the spans are validate's", () => {
    const unknown = Buffer.from([
      0x78,
      0x01,
      0x79,
      ...Array(8).fill(1),
      0x7d,
      1,
      2,
      3,
      4,
      0x7a,
      0x01,
      0x00,
      0x7b,
      0x08,
      0x01,
      0x7c,
    ]);
    const request = Buffer.concat([
      unknown,
      encodeRequest({
        resourceSpans: [
          { scopeSpans: [{ spans: [{ name: "s", attributes: [{ key: "k", value: { stringValue: "v" } }] }] }] },
        ],
      }),
    ]);
    expect(decode(request, "protobuf")).toEqual(validateReadsProtobuf(request));
    expect(decode(request, "protobuf")).toHaveLength(1);
  });
});

describe("live-check request decoding: the caps stop a bomb before it is built", () => {
  function spansRequest(count: number, format: BodyFormat): Uint8Array {
    if (format === "json")
      return Buffer.from(`{"resourceSpans":[{"scopeSpans":[{"spans":[${Array(count).fill("{}").join(",")}]}]}]}`);
    const spans = Buffer.alloc(count * 2);
    for (let i = 0; i < count; i++) spans[i * 2] = 0x12; // field 2 of ScopeSpans, length 0
    return field(0x0a, field(0x12, spans));
  }

  it.each(["json", "protobuf"] as const)(
    "%s: spans past --max-request-spans: a RequestCapError naming the cap and its flag",
    (format) => {
      const caps = { ...UNCAPPED, maxRequestSpans: 1000, maxRequestAttributes: 10, maxSpanValues: 10 };
      expect(decode(spansRequest(1000, format), format, caps)).toHaveLength(1000);
      const bomb = outcome(() => decode(spansRequest(4_000_000, format), format, caps));
      expect("error" in bomb && bomb.error).toBeInstanceOf(RequestCapError);
      expect((bomb as { error: Error }).error.message).toBe(
        "resourceSpans[0].scopeSpans[0].spans[1000]: the request carries more than 1,000 spans, the cap per request (--max-request-spans); send smaller batches (e.g. the SDK's maxExportBatchSize) or raise the cap",
      );
    },
  );

  it.each(["json", "protobuf"] as const)(
    "%s: attribute values past --max-request-attributes or --max-span-values, nested ones and junk counted",
    (format) => {
      const caps = { ...UNCAPPED, maxRequestSpans: 10, maxRequestAttributes: 1000, maxSpanValues: 2000 };
      const wide = (n: number): OtlpRequest => ({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    name: "s",
                    attributes: [
                      {
                        key: "a",
                        value: { arrayValue: { values: Array.from({ length: n - 1 }, () => ({ boolValue: true })) } },
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      });
      const body = (n: number) => (format === "json" ? Buffer.from(JSON.stringify(wide(n))) : encodeRequest(wide(n)));
      expect(decode(body(1000), format, caps)).toHaveLength(1);
      expect(() => decode(body(1001), format, caps)).toThrow(
        `resourceSpans[0].scopeSpans[0].spans[0]: the request carries more than 1,000 ${SPAN_VALUES}, the cap per request (--max-request-attributes)`,
      );
      expect(() => decode(body(1000), format, { ...caps, maxSpanValues: 999 })).toThrow(
        `resourceSpans[0].scopeSpans[0].spans[0]: a span carries more than 999 ${SPAN_VALUES}, the cap per span (--max-span-values); record fewer values on the span (e.g. the SDK's attributeCountLimit and eventCountLimit) or raise the cap`,
      );
      if (format === "json") {
        // Whatever JSON.parse would build inside `attributes` counts: unknown members, elements of any array.
        const junk = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"stringValue":"v"},"junk":[${Array(2000).fill("0").join(",")}]}]}]}]}]}`;
        expect(() => decode(Buffer.from(junk), "json", caps)).toThrow(RequestCapError);
      }
    },
  );

  it("JSON: what is skipped (resources, scopes, links, unknown members) is checked but never built or counted", () => {
    const list = `[${Array(200_000).fill('{"name":"e","attributes":[{"key":"k","value":{"stringValue":"v"}}]}').join(",")}]`;
    const body = Buffer.from(
      `{"x":${list},"resourceSpans":[{"resource":{"attributes":${list}},"scopeSpans":[{"scope":{"attributes":${list}},"spans":[{"name":"s","links":${list},"y":${list}}]}]}]}`,
    );
    expect(
      decode(body, "json", { ...UNCAPPED, maxRequestSpans: 1, maxRequestAttributes: 1, maxSpanValues: 1 }),
    ).toEqual(validateReadsJson(body));
  });

  it.each(["json", "protobuf"] as const)(
    "%s: events count as the span's values, each with its attributes (as validate's reader counts them)",
    (format) => {
      const event = {
        name: "e",
        attributes: [{ key: "a", value: { arrayValue: { values: [{ intValue: "1" }, { intValue: "2" }] } } }],
      };
      const request: OtlpRequest = {
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  { name: "s", attributes: [{ key: "k", value: { stringValue: "v" } }], events: Array(3).fill(event) },
                ],
              },
            ],
          },
        ],
      };
      const body = format === "json" ? Buffer.from(JSON.stringify(request)) : encodeRequest(request);
      // 1 attribute + 3 × (the event, its attribute, two elements) = 13.
      expect(countValues(request).spanValues).toBe(13);
      expect(decode(body, format, { ...UNCAPPED, maxSpanValues: 13 })[0]!.events).toHaveLength(3);
      expect(() => decode(body, format, { ...UNCAPPED, maxSpanValues: 12 })).toThrow(RequestCapError);
      expect(() => decode(body, format, { ...UNCAPPED, maxRequestAttributes: 12 })).toThrow(
        "(--max-request-attributes)",
      );
      // validate's protobuf reader, at the same cap, refuses the same span.
      if (format === "protobuf")
        expect(() =>
          spansOfProtobuf(body, {
            maxRecordBytes: 1e9,
            maxSpanValues: 12,
            maxDocumentSpans: 10,
            maxDepth: DEFAULT_MAX_DEPTH,
          }),
        ).toThrow("(--max-span-values)");
      if (format === "protobuf")
        expect(
          spansOfProtobuf(body, {
            maxRecordBytes: 1e9,
            maxSpanValues: 13,
            maxDocumentSpans: 10,
            maxDepth: DEFAULT_MAX_DEPTH,
          }),
        ).toEqual(decode(body, format));
    },
  );
});
