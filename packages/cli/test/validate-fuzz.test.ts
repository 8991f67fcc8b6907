/**
 * Malformed inputs never crash or hang `semtrace validate`: invalid records are rejected (exit 2, a message
 * naming the file and where), and nothing in the input reaches Object.prototype.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runValidateCommand } from "../src/validate/command.js";
import { tempDir } from "./helpers/tmp.js";
import { keyValues } from "../src/validate/otlp.js";

const dir = tempDir("fuzz");
let n = 0;

async function run(bytes: Uint8Array, ...flags: string[]) {
  const file = join(dir, `in-${n++}`);
  writeFileSync(file, bytes);
  let stdout = "";
  let stderr = "";
  const code = await runValidateCommand(["-f", "json", ...flags, file], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: dir,
    progress: false,
    color: false,
  });
  return { code, stdout, stderr, file };
}

const validLine = JSON.stringify({
  resourceSpans: [
    {
      scopeSpans: [
        {
          spans: [
            {
              traceId: "0af7651916cd43dd8448eb211c80319c",
              spanId: "b7ad6b7169203331",
              name: "llm",
              attributes: [
                { key: "openinference.span.kind", value: { stringValue: "LLM" } },
                { key: "llm.token_count.prompt", value: { intValue: "3" } },
                { key: "llm.input_messages.0.message.role", value: { stringValue: "user" } },
              ],
            },
          ],
        },
      ],
    },
  ],
});

function expectNoPollution() {
  const probe = {} as Record<string, unknown>;
  expect(probe["polluted"]).toBeUndefined();
  expect(probe["isAdmin"]).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(typeof probe.toString).toBe("function");
  expect(typeof probe.constructor).toBe("function");
}

/** Every report is valid JSON of the documented shape, whatever the input. */
function expectReport(result: { code: number; stdout: string; stderr: string; file: string }) {
  const report = JSON.parse(result.stdout);
  expect(Object.keys(report).filter((k) => k !== "omittedRejections")).toEqual(["summary", "findings", "rejected"]);
  if (report.summary.rejected > 0) expect(result.stderr).toContain(result.file);
  if (report.summary.spans === 0) expect(result.stderr).toContain("no spans found");
  else if (report.summary.other === report.summary.spans) expect(result.stderr).toContain("was judged by a registry");
  expect(report.summary.rejected > 0 || report.summary.spans === report.summary.other).toBe(result.code === 2);
}

afterAll(() => expectNoPollution());

const hostileKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "prototype",
  "polluted",
  "toString",
  "hasOwnProperty",
  "__defineGetter__",
);

/** A JSON value built with hostile keys at any level (as text: JSON.parse makes own `__proto__` keys). */
const hostileJson: fc.Arbitrary<string> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant("null"),
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
    fc.string().map((s) => JSON.stringify(s)),
    fc.array(tie("value"), { maxLength: 4 }).map((xs) => `[${xs.join(",")}]`),
    fc
      .array(
        fc.tuple(
          fc.oneof(
            hostileKey,
            fc.constantFrom(
              "resourceSpans",
              "scopeSpans",
              "spans",
              "attributes",
              "key",
              "value",
              "stringValue",
              "intValue",
              "arrayValue",
              "kvlistValue",
              "values",
              "name",
            ),
          ),
          tie("value"),
        ),
        { maxLength: 4 },
      )
      .map((kvs) => `{${kvs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
  ),
})).value as fc.Arbitrary<string>;

describe("fuzz: malformed input", () => {
  it("truncated JSON records: exit 2 with the file and line, the intact lines still reported", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: validLine.length - 1 }), async (cut) => {
        const result = await run(Buffer.from(`${validLine}\n${validLine.slice(0, cut)}\n${validLine}\n`));
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(`${result.file}:2: `);
        const report = JSON.parse(result.stdout);
        expect(report.summary).toMatchObject({ spans: 2, rejected: 1 });
      }),
      { numRuns: 60 },
    );
  });

  it("arbitrary JSON with hostile keys: never a crash, a valid report, no prototype pollution", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileJson, { minLength: 1, maxLength: 4 }), async (lines) => {
        const result = await run(Buffer.from(`${lines.join("\n")}\n`));
        expectReport(result);
        expectNoPollution();
      }),
      { numRuns: 150 },
    );
  });

  it("attributes named __proto__ / constructor are validated as ordinary keys", async () => {
    const line = validLine
      .replace('"key":"llm.token_count.prompt"', '"key":"__proto__"')
      .replace('"name":"llm"', '"name":"llm","attributes_":1');
    const plain = JSON.stringify([
      {
        name: "p",
        attributes: JSON.parse('{"__proto__":{"polluted":true},"constructor":"x","openinference.span.kind":"LLM"}'),
      },
    ]);
    for (const text of [line, plain, '{"__proto__":{"polluted":1},"resourceSpans":[]}']) {
      const result = await run(Buffer.from(text));
      expectReport(result);
      expectNoPollution();
    }
  });

  it("keyValues: __proto__, constructor and toString keys become own properties; no prototype changes", () => {
    const list = JSON.parse(
      '[{"key":"__proto__","value":{"kvlistValue":{"values":[{"key":"polluted","value":{"boolValue":true}}]}}},{"key":"constructor","value":{"stringValue":"c"}},{"key":"toString","value":{"intValue":"3"}}]',
    ) as unknown[];
    const record = keyValues(list, "attributes");
    expect(Object.keys(record)).toEqual(["__proto__", "constructor", "toString"]);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(record, "__proto__")?.value).toEqual({ polluted: true });
    expect(record["constructor"]).toBe("c");
    expect(record["toString"]).toBe(3);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expectNoPollution();
  });

  it("wrong shapes in OTLP values: exit 2 naming the JSON path", async () => {
    const badValues = [
      { intValue: "1.5" },
      { intValue: true },
      { doubleValue: "x" },
      { stringValue: 1 },
      { boolValue: "true" },
      { arrayValue: [] },
      { kvlistValue: 3 },
      { stringValue: "a", intValue: 1 },
      { weird: 1 },
      5,
      "s",
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...badValues), async (value) => {
        const line = JSON.stringify({
          resourceSpans: [{ scopeSpans: [{ spans: [{ name: "s", attributes: [{ key: "k", value }] }] }] }],
        });
        const result = await run(Buffer.from(line));
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(
          `${result.file}:1: wrong shape: resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value`,
        );
      }),
      { numRuns: 30 },
    );
  });

  it("huge values and deep nesting: no crash, bounded", async () => {
    const big = "x".repeat(5_000_000);
    const huge = await run(
      Buffer.from(
        JSON.stringify([{ name: "n", attributes: { "input.value": big, "openinference.span.kind": "LLM" } }]),
      ),
    );
    expect([0, 1]).toContain(huge.code);
    let deep = '{"stringValue":"x"}';
    for (let i = 0; i < 5000; i++) deep = `{"arrayValue":{"values":[${deep}]}}`;
    const nested = await run(
      Buffer.from(
        `{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"d","attributes":[{"key":"k","value":${deep}}]}]}]}]}`,
      ),
    );
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain("nested at most 64 deep");
    const longLine = await run(Buffer.from(`${validLine}\n${"[".repeat(200_000)}\n`));
    expect(longLine.code).toBe(2);
  });

  it("invalid UTF-8 and random bytes (read as protobuf, or gzip): a valid report, exit 2 when rejected", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.boolean(),
        fc.boolean(),
        async (bytes, asJsonLine, gzip) => {
          const payload = asJsonLine
            ? Buffer.concat([Buffer.from('{"name":"'), bytes, Buffer.from('"}\n')])
            : Buffer.from(bytes);
          const result = await runAuto(gzip ? gzipSync(payload) : payload);
          const report = JSON.parse(result.stdout);
          expect(Object.keys(report).filter((k) => k !== "omittedRejections")).toEqual([
            "summary",
            "findings",
            "rejected",
          ]);
          if (result.code === 2)
            expect(result.stderr).toContain(report.summary.rejected > 0 ? result.file : "nothing was validated");
          expectNoPollution();
        },
      ),
      { numRuns: 200 },
    );
  });

  it("corrupted protobuf: exit 2 with a byte offset (or, when the bytes still decode, a valid report)", async () => {
    const proto = Buffer.from(
      // A hand-encoded ExportTraceServiceRequest with one span named "s" and one string attribute k=v.
      [
        0x0a, 0x17, 0x12, 0x15, 0x12, 0x13, 0x2a, 0x01, 0x73, 0x4a, 0x0e, 0x0a, 0x01, 0x6b, 0x12, 0x09, 0x0a, 0x07,
        0x76, 0x61, 0x6c, 0x75, 0x65, 0x21, 0x21,
      ],
    );
    const ok = await runAuto(proto);
    expect(JSON.parse(ok.stdout).summary.spans).toBe(1);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: proto.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        async (at, byte) => {
          const copy = Buffer.from(proto);
          copy[at] = byte;
          const result = await runAuto(copy);
          const report = JSON.parse(result.stdout);
          if (report.summary.rejected > 0) expect(result.stderr).toMatch(/(byte \d+|line \d+|:\d+: )/);
          // Exit 2: rejected records, no spans, or none a registry judges (a span named "s" with k=v is another convention's).
          expect(result.code === 2).toBe(report.summary.rejected > 0 || report.summary.spans === report.summary.other);
        },
      ),
      { numRuns: 150 },
    );
  });
});

async function runAuto(bytes: Uint8Array) {
  const file = join(dir, `auto-${n++}`);
  writeFileSync(file, bytes);
  let stdout = "";
  let stderr = "";
  const code = await runValidateCommand(["-f", "json", file], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: dir,
    progress: false,
    color: false,
  });
  return { code, stdout, stderr, file };
}
