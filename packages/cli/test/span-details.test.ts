/**
 * The span details the readers give besides the attributes (parent id, kind, start, exact duration, status,
 * events), which `semtrace stats` reads: the same from OTLP/JSON (lines and documents), protobuf (protobufjs as the
 * independent encoder) and the OpenTelemetry JS serializers themselves; wrong shapes rejected with their path.
 */
import { Readable } from "node:stream";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { captureOpenAISpans } from "@semtrace/real-spans";
import { describe, expect, it } from "vitest";
import { readInput, type InputEvent } from "../src/validate/input.js";
import type { InputSpan } from "../src/validate/otlp.js";
import { encodeRequest } from "./helpers/otlp-proto.js";

async function read(bytes: Buffer | string): Promise<InputEvent[]> {
  const out: InputEvent[] = [];
  for await (const e of readInput("-", { stdin: Readable.from([Buffer.from(bytes)]) })) out.push(e);
  return out;
}

async function spansOf(bytes: Buffer | string): Promise<InputSpan[]> {
  const events = await read(bytes);
  const rejected = events.filter((e) => e.kind === "rejected");
  if (rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(rejected)}`);
  return events.flatMap((e) => (e.kind === "spans" ? e.spans : []));
}

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const base = { traceId: TRACE, spanId: "00f067aa0ba902b7", name: "s", attributes: [] };
const request = (span: Record<string, unknown>) => ({
  resourceSpans: [{ scopeSpans: [{ spans: [{ ...base, ...span }] }] }],
});

const details = (s: InputSpan) => ({
  parentSpanId: s.parentSpanId,
  kind: s.kind,
  startNs: s.startNs,
  durationNs: s.durationNs,
  status: s.status,
  events: s.events,
});

describe("span details", () => {
  const cases: {
    name: string;
    span: Record<string, unknown>;
    want: Partial<ReturnType<typeof details>>;
    protobuf?: boolean;
  }[] = [
    {
      name: "none given",
      span: {},
      want: {
        parentSpanId: undefined,
        kind: undefined,
        startNs: undefined,
        durationNs: undefined,
        status: undefined,
        events: undefined,
      },
    },
    {
      name: "times past 2^53 as strings: the duration is exact to the nanosecond",
      span: { startTimeUnixNano: "1700000000123456789", endTimeUnixNano: "1700000000123456790" },
      want: { startNs: 1700000000123456789, durationNs: 1 },
    },
    {
      name: "a 3 s span",
      span: { startTimeUnixNano: "1700000000000000000", endTimeUnixNano: "1700000003000000000" },
      want: { durationNs: 3e9 },
    },
    {
      name: "times as JSON numbers (rounded by JSON.parse, as any reader would)",
      span: { startTimeUnixNano: 1700000000000000000, endTimeUnixNano: 1700000000500000000 },
      want: { durationNs: 500000000 },
      protobuf: false,
    },
    {
      name: "a start without an end: no duration",
      span: { startTimeUnixNano: "1700000000000000000" },
      want: { startNs: 1.7e18, durationNs: undefined },
    },
    {
      name: "an end before the start: a negative duration (stats says so)",
      span: { startTimeUnixNano: "1700000001000000000", endTimeUnixNano: "1700000000000000000" },
      want: { durationNs: -1e9 },
    },
    {
      name: "zero times are unset",
      span: { startTimeUnixNano: "0", endTimeUnixNano: "0" },
      want: { startNs: undefined, durationNs: undefined },
    },
    {
      name: "parent, kind and status as numbers",
      span: { parentSpanId: "1122334455667788", kind: 3, status: { code: 2, message: "boom" } },
      want: { parentSpanId: "1122334455667788", kind: 3, status: { code: 2, message: "boom" } },
    },
    {
      name: "kind and status code by name (protobuf JSON mapping)",
      span: { kind: "SPAN_KIND_SERVER", status: { code: "STATUS_CODE_ERROR" } },
      want: { kind: 2, status: { code: 2, message: "" } },
      protobuf: false,
    },
    {
      name: "an upper-case parent id",
      span: { parentSpanId: "AABBCCDDEEFF0011" },
      want: { parentSpanId: "aabbccddeeff0011" },
      protobuf: false,
    },
    { name: "an empty status", span: { status: {} }, want: { status: { code: 0, message: "" } } },
    {
      name: "events with times and attributes",
      span: {
        startTimeUnixNano: "1700000000000000000",
        endTimeUnixNano: "1700000002000000000",
        events: [
          { timeUnixNano: "1700000000250000000", name: "First Token Stream Event" },
          {
            timeUnixNano: "1700000001000000000",
            name: "exception",
            attributes: [
              { key: "exception.type", value: { stringValue: "RateLimitError" } },
              { key: "n", value: { intValue: "3" } },
            ],
          },
        ],
      },
      want: {
        events: [
          { name: "First Token Stream Event", timeNs: 1700000000250000000, attributes: {} },
          { name: "exception", timeNs: 1700000001000000000, attributes: { "exception.type": "RateLimitError", n: 3 } },
        ],
      },
    },
  ];

  it.each(cases)("$name: JSON line, JSON document and protobuf agree", async ({ span, want, protobuf }) => {
    const req = request(span);
    const line = await spansOf(`${JSON.stringify(req)}\n`);
    const pretty = await spansOf(JSON.stringify(req, null, 2));
    expect(line).toHaveLength(1);
    expect(details(line[0]!)).toMatchObject(want);
    expect(pretty).toEqual(line);
    if (protobuf !== false) expect(await spansOf(encodeRequest(req))).toEqual(line);
  });

  it("plain spans read the same field names", async () => {
    const plain = [
      {
        name: "p",
        attributes: { a: 1 },
        parentSpanId: "1122334455667788",
        startTimeUnixNano: "1700000000000000000",
        endTimeUnixNano: "1700000000000001000",
        status: { code: 2 },
        kind: 3,
      },
    ];
    for (const text of [JSON.stringify(plain), JSON.stringify(plain[0], null, 2)]) {
      const [s] = await spansOf(text);
      expect(details(s!)).toMatchObject({
        parentSpanId: "1122334455667788",
        durationNs: 1000,
        status: { code: 2, message: "" },
        kind: 3,
      });
    }
  });

  const wrong: { name: string; span: Record<string, unknown>; path: string; expected: RegExp }[] = [
    {
      name: "a kind name that does not exist",
      span: { kind: "CLIENT" },
      path: "resourceSpans[0].scopeSpans[0].spans[0].kind",
      expected: /expected a SpanKind/,
    },
    {
      name: "a negative time",
      span: { startTimeUnixNano: "-5" },
      path: "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano",
      expected: /nanoseconds since the epoch/,
    },
    {
      name: "a time past uint64",
      span: { endTimeUnixNano: "18446744073709551616" },
      path: "resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano",
      expected: /nanoseconds/,
    },
    {
      name: "a time that is not a number",
      span: { startTimeUnixNano: "soon" },
      path: "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano",
      expected: /nanoseconds/,
    },
    {
      name: "a status that is a string",
      span: { status: "ok" },
      path: "resourceSpans[0].scopeSpans[0].spans[0].status",
      expected: /expected a Status object/,
    },
    {
      name: "a status code name that does not exist",
      span: { status: { code: "ERROR" } },
      path: "resourceSpans[0].scopeSpans[0].spans[0].status.code",
      expected: /StatusCode/,
    },
    {
      name: "events that are not an array",
      span: { events: {} },
      path: "resourceSpans[0].scopeSpans[0].spans[0].events",
      expected: /expected an array/,
    },
    {
      name: "an event attribute of the wrong shape",
      span: { events: [{ name: "e", attributes: [{ key: "k", value: { intValue: "x" } }] }] },
      path: "resourceSpans[0].scopeSpans[0].spans[0].events[0].attributes[0].value.intValue",
      expected: /integer/,
    },
    {
      name: "a parent id that is not hex",
      span: { parentSpanId: "xyz" },
      path: "resourceSpans[0].scopeSpans[0].spans[0].parentSpanId",
      expected: /hex/,
    },
  ];

  it.each(wrong)("$name is rejected with its path, as a line and in a document", async ({ span, path, expected }) => {
    for (const text of [`${JSON.stringify(request(span))}\n`, JSON.stringify(request(span), null, 2)]) {
      const events = await read(text);
      const rejected = events.filter((e) => e.kind === "rejected");
      expect(rejected).toHaveLength(1);
      const reason = (rejected[0] as { reason: string }).reason;
      expect(reason).toContain(path);
      expect(reason).toMatch(expected);
    }
  });

  it("protobuf: a time with the wrong wire type is rejected with its path and byte offset", async () => {
    // A Span holding field 7 (startTimeUnixNano) as a varint instead of a fixed64.
    const span = Buffer.from([0x38, 0x05]);
    const scope = Buffer.concat([Buffer.from([0x12, span.length]), span]);
    const resource = Buffer.concat([Buffer.from([0x12, scope.length]), scope]);
    const bytes = Buffer.concat([Buffer.from([0x0a, resource.length]), resource]);
    const events = await read(bytes);
    const rejected = events.filter((e) => e.kind === "rejected") as { reason: string; source: { offset?: number } }[];
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toContain(
      "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected a fixed64 (wire type 1), found wire type 0",
    );
    expect(rejected[0]!.source.offset).toBe(7); // the field's value, after its tag at byte 6
  });

  it("real spans through the OpenTelemetry JS serializers: every encoding gives the SDK's own times, parents, status and events", async () => {
    const { spans } = await captureOpenAISpans();
    const json = await spansOf(Buffer.from(JsonTraceSerializer.serializeRequest([...spans])!));
    const protobuf = await spansOf(Buffer.from(ProtobufTraceSerializer.serializeRequest([...spans])!));
    expect(protobuf).toEqual(json);
    expect(json).toHaveLength(spans.length);
    for (const [i, s] of spans.entries()) {
      const read = json[i]!;
      const [seconds, nanos] = s.duration;
      expect(read.durationNs).toBe(seconds * 1e9 + nanos);
      expect(read.startNs).toBeCloseTo(s.startTime[0] * 1e9 + s.startTime[1], -3);
      expect(read.status).toEqual({ code: s.status.code, message: s.status.message ?? "" });
      expect(read.kind).toBe(s.kind + 1); // the SDK's SpanKind starts at INTERNAL = 0; OTLP's at UNSPECIFIED = 0
      expect(read.parentSpanId).toBe(s.parentSpanContext?.spanId);
      expect(read.events ?? []).toHaveLength(s.events.length);
    }
  });
});
