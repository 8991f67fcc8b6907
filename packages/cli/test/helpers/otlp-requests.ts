/**
 * OTLP trace requests for tests: generated ones (fast-check) in the OTLP/JSON shape, with the parts a receiver skips
 * (resource, scope, events, status) included, so decoders meet them as they would from a real exporter (their
 * protobuf encoding: `encodeRequest` of `otlp-proto.ts`); and a hand-written protobuf field for bodies no encoder
 * would write.
 */
import fc from "fast-check";
/** A length-delimited protobuf field written by hand (for bodies no encoder would write): tag byte, length, bytes. */
export function protobufField(tag: number, body: Uint8Array): Buffer {
  const length: number[] = [];
  let n = body.length;
  for (; n >= 0x80; n = Math.floor(n / 128)) length.push((n % 128) | 0x80);
  length.push(n);
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

interface ScopeSpans {
  scope?: object;
  spans: object[];
}

export interface OtlpRequest {
  resourceSpans: { resource?: object; scopeSpans: ScopeSpans[]; instrumentationLibrarySpans?: ScopeSpans[] }[];
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
    fc.constantFrom(
      "openinference.span.kind",
      "llm.model_name",
      "llm.token_count.prompt",
      "input.value",
      "gen_ai.operation.name",
      "gen_ai.request.model",
      "__proto__",
      "constructor",
    ),
    fc.string({ minLength: 1, maxLength: 12 }),
  );
}

const keyValue = fc.record({ key: attributeKey(), value: anyValue });
const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex"));

const span = fc.record(
  {
    traceId: hex(16),
    spanId: hex(8),
    name: fc.string({ maxLength: 20 }),
    kind: fc.integer({ min: 0, max: 5 }),
    attributes: fc.array(keyValue, { maxLength: 6 }),
    events: fc.array(
      fc.record({ name: fc.string({ maxLength: 8 }), attributes: fc.array(keyValue, { maxLength: 2 }) }),
      { maxLength: 2 },
    ),
    status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: fc.string({ maxLength: 8 }) }),
  },
  { requiredKeys: ["traceId", "spanId", "name"] },
);

const scopeSpans = fc.record({
  scope: fc.record({ name: fc.string({ maxLength: 8 }), attributes: fc.array(keyValue, { maxLength: 2 }) }),
  spans: fc.array(span, { maxLength: 4 }),
});

/**
 * Requests of 0–3 resources × 0–3 scopes × 0–4 spans, with resource and scope attributes, events and status; some
 * resources also hold scopes under the deprecated name `instrumentationLibrarySpans` (which older exporters write).
 */
export const otlpRequest: fc.Arbitrary<OtlpRequest> = fc.record({
  resourceSpans: fc.array(
    fc.record(
      {
        resource: fc.record({ attributes: fc.array(keyValue, { maxLength: 2 }) }),
        scopeSpans: fc.array(scopeSpans, { maxLength: 3 }),
        instrumentationLibrarySpans: fc.array(scopeSpans, { maxLength: 2 }),
      },
      { requiredKeys: ["resource", "scopeSpans"] },
    ),
    { maxLength: 3 },
  ),
});

/**
 * A request's spans and values as the caps count them (`SPAN_VALUES`: each attribute, each event and each of its
 * attributes, each array element and map entry inside their values), and the most values in one span. Written
 * from the definition, apart from the decoders it checks.
 */
export function countValues(request: OtlpRequest): { spans: number; values: number; spanValues: number } {
  let spans = 0;
  let values = 0;
  let spanValues = 0;
  type KeyValue = { value: Record<string, unknown> };
  const walkValue = (v: Record<string, unknown>) => {
    const list = (v["arrayValue"] ?? v["kvlistValue"]) as { values: Record<string, unknown>[] } | undefined;
    for (const item of list?.values ?? []) {
      values++;
      walkValue((v["arrayValue"] ? item : item["value"]) as Record<string, unknown>);
    }
  };
  const walkAttributes = (attributes: readonly KeyValue[] | undefined) => {
    for (const kv of attributes ?? []) {
      values++;
      walkValue(kv.value);
    }
  };
  for (const rs of request.resourceSpans) {
    for (const ss of [...rs.scopeSpans, ...(rs.instrumentationLibrarySpans ?? [])]) {
      for (const s of ss.spans as { attributes?: KeyValue[]; events?: { attributes?: KeyValue[] }[] }[]) {
        spans++;
        const before = values;
        walkAttributes(s.attributes);
        for (const event of s.events ?? []) {
          values++;
          walkAttributes(event.attributes);
        }
        spanValues = Math.max(spanValues, values - before);
      }
    }
  }
  return { spans, values, spanValues };
}
