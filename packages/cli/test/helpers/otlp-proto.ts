/**
 * An independent protobuf encoder and decoder for the OTLP trace messages the CLI reads (protobufjs, from a
 * descriptor of opentelemetry/proto/collector/trace/v1/trace_service.proto and the protos it imports): the reference
 * the CLI's own streaming decoder is checked against.
 */
import protobuf from "protobufjs";

const DESCRIPTOR = {
  nested: {
    ExportTraceServiceRequest: { fields: { resourceSpans: { rule: "repeated", type: "ResourceSpans", id: 1 } } },
    ResourceSpans: {
      fields: {
        resource: { type: "Resource", id: 1 },
        scopeSpans: { rule: "repeated", type: "ScopeSpans", id: 2 },
        schemaUrl: { type: "string", id: 3 },
        instrumentationLibrarySpans: { rule: "repeated", type: "ScopeSpans", id: 1000 },
      },
    },
    Resource: {
      fields: {
        attributes: { rule: "repeated", type: "KeyValue", id: 1 },
        droppedAttributesCount: { type: "uint32", id: 2 },
      },
    },
    ScopeSpans: {
      fields: {
        scope: { type: "Scope", id: 1 },
        spans: { rule: "repeated", type: "Span", id: 2 },
        schemaUrl: { type: "string", id: 3 },
      },
    },
    Scope: {
      fields: {
        name: { type: "string", id: 1 },
        version: { type: "string", id: 2 },
        attributes: { rule: "repeated", type: "KeyValue", id: 3 },
      },
    },
    Span: {
      fields: {
        traceId: { type: "bytes", id: 1 },
        spanId: { type: "bytes", id: 2 },
        traceState: { type: "string", id: 3 },
        parentSpanId: { type: "bytes", id: 4 },
        name: { type: "string", id: 5 },
        kind: { type: "int32", id: 6 },
        startTimeUnixNano: { type: "fixed64", id: 7 },
        endTimeUnixNano: { type: "fixed64", id: 8 },
        attributes: { rule: "repeated", type: "KeyValue", id: 9 },
        droppedAttributesCount: { type: "uint32", id: 10 },
        events: { rule: "repeated", type: "Event", id: 11 },
        status: { type: "Status", id: 15 },
      },
    },
    Event: {
      fields: {
        timeUnixNano: { type: "fixed64", id: 1 },
        name: { type: "string", id: 2 },
        attributes: { rule: "repeated", type: "KeyValue", id: 3 },
        droppedAttributesCount: { type: "uint32", id: 4 },
      },
    },
    Status: { fields: { message: { type: "string", id: 2 }, code: { type: "int32", id: 3 } } },
    KeyValue: { fields: { key: { type: "string", id: 1 }, value: { type: "AnyValue", id: 2 } } },
    AnyValue: {
      oneofs: {
        value: {
          oneof: ["stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue"],
        },
      },
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

const root = protobuf.Root.fromJSON(DESCRIPTOR);
export const ExportTraceServiceRequest = root.lookupType("ExportTraceServiceRequest");

/** OTLP/JSON ids are hex; protobuf holds their bytes. Converts a request in the OTLP/JSON shape for protobufjs. */
function forProtobuf(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => forProtobuf(v));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = forProtobuf(v, k);
    return out;
  }
  if ((key === "traceId" || key === "spanId" || key === "parentSpanId") && typeof value === "string")
    return Buffer.from(value, "hex");
  if (key === "bytesValue" && typeof value === "string") return Buffer.from(value, "base64");
  return value;
}

/** The protobuf encoding of a request given in the OTLP/JSON shape (hex ids, base64 bytes, int64 as strings). */
export function encodeRequest(request: unknown): Buffer {
  const message = ExportTraceServiceRequest.fromObject(forProtobuf(request) as Record<string, unknown>);
  return Buffer.from(ExportTraceServiceRequest.encode(message).finish());
}
