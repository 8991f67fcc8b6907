import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, contentBytes, readInput, type InputEvent } from "../src/validate/input.js";
import { tempDir } from "./helpers/tmp.js";

const dir = tempDir("input");
const span = (name: string) => JSON.stringify([{ name, attributes: { "openinference.span.kind": "CHAIN" } }]);

async function events(file: string, options: Parameters<typeof readInput>[1] = {}): Promise<InputEvent[]> {
  const out: InputEvent[] = [];
  for await (const e of readInput(file, options)) out.push(e);
  return out;
}

describe("readInput limits", () => {
  it("a line over maxRecordBytes is read as a stream: a span over it is rejected with its line; the next lines are read", async () => {
    const file = join(dir, "long.jsonl");
    writeFileSync(file, `${span("a")}\n${span("x".repeat(5000))}\n${span("c")}\n`);
    const out = await events(file, { limits: { ...DEFAULT_LIMITS, maxRecordBytes: 1000, maxDocumentBytes: 10_000 } });
    expect(
      out.map((e) => (e.kind === "spans" ? e.spans.map((s) => s.name).join() : `rejected@${e.source.line}`)),
    ).toEqual(["a", "rejected@2", "c"]);
  });

  it("a document over maxDocumentBytes is rejected without reading the rest", async () => {
    const file = join(dir, "big.json");
    writeFileSync(file, JSON.stringify([{ name: "a", attributes: { k: "v".repeat(50_000) } }], null, 2));
    const out = await events(file, { limits: { ...DEFAULT_LIMITS, maxRecordBytes: 100_000, maxDocumentBytes: 1000 } });
    expect(out).toHaveLength(1);
    // Where the limit was reached; the span that crosses it is not read.
    expect(out[0]).toMatchObject({ kind: "rejected", source: { line: 5, offset: 1000 } });
    expect((out[0] as { reason: string }).reason).toContain(
      "JSON document (from line 1) larger than 1000 bytes (--max-document-bytes)",
    );
  });

  it("an endless stdin of protobuf-looking bytes stops at the limit instead of hanging", async () => {
    let sent = 0;
    const endless = new Readable({
      read() {
        sent += 65536;
        // Field 2 (unknown to ExportTraceServiceRequest) as a varint of 16, over and over.
        this.push(Buffer.alloc(65536, 0x10));
      },
    });
    const out = await events("-", {
      stdin: endless,
      limits: { ...DEFAULT_LIMITS, maxRecordBytes: 1000, maxDocumentBytes: 1_000_000 },
    });
    expect(out).toHaveLength(1);
    expect((out[0] as { reason: string }).reason).toContain("protobuf message larger than 1000000 bytes");
    expect(sent).toBeLessThan(5_000_000);
  });

  it("CRLF line endings, a BOM and blank lines are accepted", async () => {
    const file = join(dir, "crlf.jsonl");
    writeFileSync(file, `\ufeff${span("a")}\r\n\r\n${span("b")}\r\n`);
    const out = await events(file);
    expect(out.flatMap((e) => (e.kind === "spans" ? e.spans.map((s) => s.name) : ["rejected"]))).toEqual(["a", "b"]);
  });

  it("an empty file has no records, and says so", async () => {
    const file = join(dir, "empty.json");
    writeFileSync(file, "");
    expect(await events(file)).toEqual([
      { kind: "spans", spans: [], source: { file }, notes: [{ category: "empty", text: "empty" }] },
    ]);
  });
});

describe("contentBytes", () => {
  it("is a file's size, or for gzip the decompressed size its trailer records", async () => {
    const text = Buffer.from("x".repeat(100_000));
    const plain = join(dir, "content.txt");
    const packed = join(dir, "content.txt.gz");
    writeFileSync(plain, text);
    writeFileSync(packed, gzipSync(text));
    expect(await contentBytes(plain, text.length)).toBe(100_000);
    expect(await contentBytes(packed, gzipSync(text).length)).toBe(100_000);
    expect(await contentBytes(join(dir, "missing.gz"), 50)).toBe(50);
  });
});
