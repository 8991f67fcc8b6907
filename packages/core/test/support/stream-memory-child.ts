/**
 * Child process of stream-memory.test.ts: reads a long traced string stream to its end and prints its peak
 * RSS, with the span's output length. Argument: `untraced` (the baseline: the same stream, not traced),
 * `budget` (maxSpanChars 100 000), `default` (no configuration) or `unlimited` (maxStreamOutputChars Infinity),
 * then the stream's size in MiB.
 */
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { STREAM_ATTRIBUTES, traceLLM, type TraceConfig } from "../../src/index.js";

const CHUNK = 1 << 20;
const CONFIGS: Record<string, TraceConfig | undefined> = {
  budget: { maxSpanChars: 100_000 },
  default: undefined,
  unlimited: { maxStreamOutputChars: Number.POSITIVE_INFINITY },
};

/** `mib` chunks of 1 MiB, each a new string (as a network stream's decoded chunks are). */
async function* text(mib: number): AsyncGenerator<string> {
  for (let i = 0; i < mib; i++) yield String.fromCharCode(97 + (i % 26)).repeat(CHUNK);
}

async function main(): Promise<void> {
  const [mode = "default", mib = "300"] = process.argv.slice(2);
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const config = CONFIGS[mode];
  const stream =
    mode === "untraced"
      ? text(Number(mib))
      : traceLLM(text, { tracer: provider.getTracer("rss"), name: "stream", ...(config ? { config } : {}) })(
          Number(mib),
        );
  let read = 0;
  for await (const chunk of stream) read += chunk.length;
  const span = exporter.getFinishedSpans()[0];
  const output = span?.attributes["output.value"];
  process.stdout.write(
    JSON.stringify({
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      read,
      outputLength: typeof output === "string" ? output.length : null,
      outputChars: span?.attributes[STREAM_ATTRIBUTES.OUTPUT_CHARS] ?? null,
    }),
  );
}

void main();
