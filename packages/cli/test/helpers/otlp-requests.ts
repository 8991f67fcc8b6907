/**
 * OTLP trace requests for tests: generated ones (fast-check) in the OTLP/JSON shape, and their binary protobuf
 * encoding through protobufjs with the parts of the OTLP protos a receiver skips (resource, scope, events, links,
 * status) included, so decoders meet them as they would from a real exporter.
 */
import fc from "fast-check";
import protobuf from "protobufjs";

const OTLP_TRACE_PROTO = {
  nested: {
    ExportTraceServiceRequest: { fields: { resourceSpans: { rule: "repeated", type: "ResourceSpans", id: 1 } } },
    Resource: { fields: { attributes: { rule: "repeated", type: "KeyValue", id: 1 }, droppedAttributesCount: { type: "uint32", id: 2 } } },
    InstrumentationScope: { fields: { name: { type: "string", id: 1 }, version: { type: "string", id: 2 }, attributes: { rule: "repeated", type: "KeyValue", id: 3 } } },
    ResourceSpans: { fields: { resource: { type: "Resource", id: 1 }, scopeSpans: { rule: "repeated", type: "ScopeSpans", id: 2 }, schemaUrl: { type: "string", id: 3 } } },
    ScopeSpans: { fields: { scope: { type: "InstrumentationScope", id: 1 }, spans: { rule: "repeated", type: "Span", id: 2 }, schemaUrl: { type: "string", id: 3 } } },
    Event: { fields: { timeUnixNano: { type: "fixed64", id: 1 }, name: { type: "string", id: 2 }, attributes: { rule: "repeated", type: "KeyValue", id: 3 } } },
    Status: { fields: { message: { type: "string", id: 2 }, code: { type: "int32", id: 3 } } },
    Span: {
      fields: {
        traceId: { type: "bytes", id: 1 },
        spanId: { type: "bytes", id: 2 },
        parentSpanId: { type: "bytes", id: 4 },
        name: { type: "string", id: 5 },
        kind: { type: "int32", id: 6 },
        startTimeUnixNano: { type: "fixed64", id: 7 },
        attributes: { rule: "repeated", type: "KeyValue", id: 9 },
        events: { rule: "repeated", type: "Event", id: 11 },
        status: { type: "Status", id: 15 },
      },
    },
    KeyValue: { fields: { key: { type: "string", id: 1 }, value: { type: "AnyValue", id: 2 } } },
    AnyValue: {
      oneofs: { value: { oneof: ["stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue"] } },
      fields: {
        stringValue: { type: "string", id: 1 },
        boolValue: { type: "bool", id: 2 },
        intValue: { type: "int64", id: 3 },
        doubleValue: { type: "double", id: 4 },
        arrayValue: { type: "ArrayValue", id: 5 },
        kvlistValue: { type: "KeyValueList", id: 6 },
        bytesValue: { type: "bytes", id: 7 },
      },
    },
    ArrayValue: { fields: { values: { rule: "repeated", type: "AnyValue", id: 1 } } },
    KeyValueList: { fields: { values: { rule: "repeated", type: "KeyValue", id: 1 } } },
  },
};

const requestType = protobuf.Root.fromJSON(OTLP_TRACE_PROTO).lookupType("ExportTraceServiceRequest");

/** A length-delimited protobuf field written by hand (for bodies no encoder would write): tag byte, length, bytes. */
export function protobufField(tag: number, body: Uint8Array): Buffer {
  const length: number[] = [];
  let n = body.length;
  for (; n >= 0x80; n = Math.floor(n / 128)) length.push((n % 128) | 0x80);
  length.push(n);
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

/** An OTLP/JSON-shaped request (hex ids) → its binary protobuf encoding. */
export function encodeProtobuf(request: OtlpRequest): Uint8Array {
  const withBinaryIds = JSON.parse(JSON.stringify(request), (key, value: unknown) => (key === "traceId" || key === "spanId" || key === "parentSpanId") && typeof value === "string" ? Buffer.from(value, "hex") : value) as object;
  return requestType.encode(requestType.fromObject(withBinaryIds)).finish();
}

export interface OtlpRequest {
  resourceSpans: { resource?: object; scopeSpans: { scope?: object; spans: object[] }[] }[];
}

/** Attribute values of every OTLP kind, nested arrays and maps included. */
export const anyValue: fc.Arbitrary<object> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.string().map((stringValue) => ({ stringValue })),
    fc.boolean().map((boolValue) => ({ boolValue })),
    fc.integer().map((n) => ({ intValue: String(n) })),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((doubleValue) => ({ doubleValue })),
    fc.uint8Array({ maxLength: 8 }).map((bytes) => ({ bytesValue: Buffer.from(bytes).toString("base64") })),
    fc.array(tie("value"), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
    fc.array(tie("keyValue"), { maxLength: 3 }).map((values) => ({ kvlistValue: { values } })),
  ),
  keyValue: fc.record({ key: attributeKey(), value: tie("value") }),
})).value as fc.Arbitrary<object>;

function attributeKey(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom("openinference.span.kind", "llm.model_name", "llm.token_count.prompt", "input.value", "gen_ai.operation.name", "gen_ai.request.model", "__proto__", "constructor"),
    fc.string({ minLength: 1, maxLength: 12 }),
  );
}

const keyValue = fc.record({ key: attributeKey(), value: anyValue });
const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex"));

const span = fc.record(
  {
    traceId: hex(16),
    spanId: hex(8),
    name: fc.string({ maxLength: 20 }),
    kind: fc.integer({ min: 0, max: 5 }),
    attributes: fc.array(keyValue, { maxLength: 6 }),
    events: fc.array(fc.record({ name: fc.string({ maxLength: 8 }), attributes: fc.array(keyValue, { maxLength: 2 }) }), { maxLength: 2 }),
    status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: fc.string({ maxLength: 8 }) }),
  },
  { requiredKeys: ["traceId", "spanId", "name"] },
);

/** Requests of 0–3 resources × 0–3 scopes × 0–4 spans, with resource and scope attributes, events and status. */
export const otlpRequest: fc.Arbitrary<OtlpRequest> = fc.record({
  resourceSpans: fc.array(
    fc.record({
      resource: fc.record({ attributes: fc.array(keyValue, { maxLength: 2 }) }),
      scopeSpans: fc.array(fc.record({ scope: fc.record({ name: fc.string({ maxLength: 8 }) }), spans: fc.array(span, { maxLength: 4 }) }), { maxLength: 3 }),
    }),
    { maxLength: 3 },
  ),
});

/** Attribute values in a request as the caps count them (each attribute, array element and map entry), and the most in one span. */
export function countValues(request: OtlpRequest): { spans: number; values: number; spanValues: number } {
  let spans = 0;
  let values = 0;
  let spanValues = 0;
  const walkValue = (v: Record<string, unknown>) => {
    const list = (v["arrayValue"] ?? v["kvlistValue"]) as { values: Record<string, unknown>[] } | undefined;
    for (const item of list?.values ?? []) {
      values++;
      walkValue((v["arrayValue"] ? item : item["value"]) as Record<string, unknown>);
    }
  };
  for (const rs of request.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans as { attributes?: { value: Record<string, unknown> }[] }[]) {
        spans++;
        const before = values;
        for (const kv of s.attributes ?? []) {
          values++;
          walkValue(kv.value);
        }
        spanValues = Math.max(spanValues, values - before);
      }
    }
  }
  return { spans, values, spanValues };
}
