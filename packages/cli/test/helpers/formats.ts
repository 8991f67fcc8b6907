/**
 * Real spans (captured live from the upstream OpenAI instrumentation) written in every input format
 * `semtrace validate` reads. The OTLP encodings come from the OpenTelemetry JS serializers themselves.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { captureOpenAISpans } from "@semtrace/real-spans";
import { tempDir } from "./tmp.js";

export interface FormatFiles {
  readonly dir: string;
  readonly spans: readonly ReadableSpan[];
  /** format name → absolute path */
  readonly files: Readonly<Record<string, string>>;
}

export function plainSpans(spans: readonly ReadableSpan[]) {
  return spans.map((s) => ({
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    name: s.name,
    attributes: s.attributes,
  }));
}

export function writeFormats(spans: readonly ReadableSpan[], dir = tempDir("formats")): FormatFiles {
  const json = Buffer.from(JsonTraceSerializer.serializeRequest([...spans])!);
  const pretty = JSON.stringify(JSON.parse(json.toString("utf8")), null, 2);
  // JSON Lines as the Collector's file exporter writes them: one request per line (here: one span each).
  const jsonl =
    spans.map((s) => Buffer.from(JsonTraceSerializer.serializeRequest([s])!).toString("utf8")).join("\n") + "\n";
  const protobuf = Buffer.from(ProtobufTraceSerializer.serializeRequest([...spans])!);
  const plain = JSON.stringify(plainSpans(spans));
  const contents: Record<string, Buffer> = {
    "otlp.json": json,
    "otlp-pretty.json": Buffer.from(pretty),
    "otlp.jsonl": Buffer.from(jsonl),
    "otlp.pb": protobuf,
    "plain.json": Buffer.from(plain),
  };
  for (const [name, bytes] of Object.entries({ ...contents })) contents[`${name}.gz`] = gzipSync(bytes);
  const files: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(contents)) {
    files[name] = join(dir, name);
    writeFileSync(files[name]!, bytes);
  }
  return { dir, spans, files };
}

export async function realSpanFiles(): Promise<FormatFiles> {
  const { spans } = await captureOpenAISpans();
  return writeFormats(spans);
}
