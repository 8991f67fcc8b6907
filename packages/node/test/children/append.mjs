// One of several processes appending to one file: `node append.mjs <file> <writer> <exports> <seed>`.
// Each export is one span whose `payload` attribute is `<writer>:<seq>:` followed by filler up to a size that
// varies from 100 bytes to 256 KiB (lines well past PIPE_BUF and a pipe's capacity).
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { FileSpanExporter } from "../../dist/index.js";

const [file, writer, exports, seed] = process.argv.slice(2);
let state = Number(seed) >>> 0 || 1;
const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
const provider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new FileSpanExporter({ path: String(file) }))],
});
const tracer = provider.getTracer("append-test");
for (let seq = 0; seq < Number(exports); seq++) {
  const size = random() < 0.2 ? 65_536 + Math.floor(random() * 196_608) : 100 + Math.floor(random() * 8_000);
  const head = `${writer}:${seq}:`;
  tracer
    .startSpan(`w${writer}`, { attributes: { payload: head + String.fromCharCode(97 + (seq % 26)).repeat(size) } })
    .end();
  // Let the other writers in between.
  if (seq % 8 === 0) await new Promise((r) => setImmediate(r));
}
await provider.shutdown();
