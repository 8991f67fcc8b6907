/**
 * Realistic OpenInference spans as OTLP/JSON ExportTraceServiceRequests (shared by the CLI benchmarks): 60% LLM chat
 * turns with messages, tool calls and token counts, 20% chains, 10% embeddings with vectors, 10% retrievers with
 * documents; 2% carry a type error. Traces of 10 spans (a CHAIN root and its children) with times, ~1.5% of LLM
 * calls failing (status and exception event), a third of them streamed (first-token event). Deterministic (seeded).
 */
import { createReadStream, createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

// --- data --------------------------------------------------------------------------------------------------------

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
export const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join("");
const s = (key, v) => ({ key, value: { stringValue: v } });
const i = (key, v) => ({ key, value: { intValue: String(v) } });
const WORDS = "the model answers a question about tracing spans attributes with tools and retrieval of documents".split(
  " ",
);
const text = (n) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" ");

function llmSpan(n) {
  const turns = 1 + Math.floor(rand() * 4);
  /** @type {{ key: string; value: object }[]} */
  const attrs = [
    s("openinference.span.kind", "LLM"),
    s("llm.system", "openai"),
    s("llm.provider", "openai"),
    s("llm.model_name", "gpt-4o-mini"),
    s("input.mime_type", "application/json"),
  ];
  attrs.push(s("llm.invocation_parameters", JSON.stringify({ temperature: 0.2, max_tokens: 256 })));
  attrs.push(s("llm.input_messages.0.message.role", "system"), s("llm.input_messages.0.message.content", text(12)));
  for (let t = 1; t <= turns; t++)
    attrs.push(
      s(`llm.input_messages.${t}.message.role`, t % 2 ? "user" : "assistant"),
      s(`llm.input_messages.${t}.message.content`, text(20)),
    );
  attrs.push(s("llm.output_messages.0.message.role", "assistant"));
  if (rand() < 0.3) {
    attrs.push(
      s("llm.output_messages.0.message.tool_calls.0.tool_call.id", `call_${hex(8)}`),
      s("llm.output_messages.0.message.tool_calls.0.tool_call.function.name", "search"),
      s("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments", JSON.stringify({ q: text(3) })),
    );
  } else attrs.push(s("llm.output_messages.0.message.content", text(30)));
  attrs.push(
    i("llm.token_count.prompt", 100 + (n % 900)),
    i("llm.token_count.completion", 20 + (n % 200)),
    i("llm.token_count.total", 120 + (n % 1100)),
  );
  attrs.push(s("input.value", JSON.stringify({ messages: text(40) })), s("output.value", text(30)));
  // ~2% carry a type error, as real bugs do.
  if (n % 50 === 3) attrs.push(s("llm.token_count.prompt_details.cache_read", "five"));
  return attrs;
}

function spanAttributes(n) {
  const r = n % 10;
  if (r < 6) return ["ChatCompletion", llmSpan(n)];
  if (r < 8)
    return [
      "agent.run",
      [
        s("openinference.span.kind", "CHAIN"),
        s("input.value", text(20)),
        s("output.value", text(20)),
        s("session.id", hex(16)),
      ],
    ];
  if (r < 9) {
    const vector = Array.from({ length: 16 }, (_, k) =>
      k % 5 === 0 ? { intValue: "0" } : { doubleValue: Math.round(rand() * 1e6) / 1e6 },
    );
    return [
      "CreateEmbeddings",
      [
        s("openinference.span.kind", "EMBEDDING"),
        s("embedding.model_name", "text-embedding-3-small"),
        s("embedding.embeddings.0.embedding.text", text(10)),
        { key: "embedding.embeddings.0.embedding.vector", value: { arrayValue: { values: vector } } },
      ],
    ];
  }
  const docs = [];
  for (let d = 0; d < 3; d++)
    docs.push(
      s(`retrieval.documents.${d}.document.id`, hex(8)),
      s(`retrieval.documents.${d}.document.content`, text(25)),
      { key: `retrieval.documents.${d}.document.score`, value: { doubleValue: rand() } },
    );
  return ["retrieve", [s("openinference.span.kind", "RETRIEVER"), s("input.value", text(8)), ...docs]];
}

const TRACE_SPANS = 10;
const BASE_SECONDS = 1_700_000_000n;
/** Nanoseconds since the epoch as OTLP/JSON writes them (a decimal string): trace `t` starts `t` seconds after the base. */
const nanos = (t, offsetMs) => String((BASE_SECONDS + BigInt(t)) * 1_000_000_000n + BigInt(Math.round(offsetMs * 1e6)));

/**
 * Timing, status and events of span `n`, in a trace of `TRACE_SPANS` spans whose root (a CHAIN) is its 7th span: the
 * others are its children, one after the other. LLM calls take 0.3–3 s (a third streamed, with OpenInference's
 * first-token event), ~1.5% fail with a rate-limit or connection error (status ERROR and an exception event).
 */
function timing(n, rootSpanId, childStartMs) {
  const r = n % 10;
  const trace = Math.floor(n / TRACE_SPANS);
  const ms = r < 6 ? 300 + rand() * 2700 : r === 7 ? 5 + rand() * 45 : r === 8 ? 30 + rand() * 270 : 20 + rand() * 180;
  const span = {
    parentSpanId: rootSpanId,
    kind: r < 6 || r === 8 ? 3 : 1,
    startTimeUnixNano: nanos(trace, childStartMs),
    endTimeUnixNano: nanos(trace, childStartMs + ms),
    status: {},
  };
  const events = [];
  if (r < 6 && n % 3 === 0)
    events.push({
      timeUnixNano: nanos(trace, childStartMs + Math.min(ms * 0.9, 150 + rand() * 450)),
      name: "First Token Stream Event",
    });
  const failure =
    r < 6 && n % 97 === 5
      ? ["RateLimitError", "429 Rate limit reached for requests"]
      : r < 6 && n % 211 === 7
        ? ["APIConnectionError", "Connection error."]
        : undefined;
  if (failure) {
    span.status = { code: 2, message: failure[1] };
    events.push({
      timeUnixNano: nanos(trace, childStartMs + ms),
      name: "exception",
      attributes: [s("exception.type", failure[0]), s("exception.message", failure[1])],
    });
  }
  if (events.length > 0) span.events = events;
  return { span, ms };
}

/** One ExportTraceServiceRequest (as a plain object) holding spans start … start+count-1, in traces of 10 spans. */
export function request(start, count) {
  const spans = [];
  let rootSpanId = "";
  let childStartMs = 0;
  for (let n = start; n < start + count; n++) {
    const [name, attributes] = spanAttributes(n);
    if (n % TRACE_SPANS === 0 || n === start) {
      rootSpanId = hex(16);
      childStartMs = 0;
    }
    const traceId = traceIdOf(Math.floor(n / TRACE_SPANS));
    if (n % 10 === 6) {
      // The root: from the trace's start to the end of its last child.
      const total = 10 + (TRACE_SPANS - 1) * 1500;
      spans.push({
        traceId,
        spanId: rootSpanId,
        name,
        kind: 2,
        startTimeUnixNano: nanos(Math.floor(n / TRACE_SPANS), 0),
        endTimeUnixNano: nanos(Math.floor(n / TRACE_SPANS), total + rand() * 500),
        attributes,
        status: {},
      });
      continue;
    }
    const { span, ms } = timing(n, rootSpanId, childStartMs + 1);
    childStartMs += ms + 1;
    spans.push({ traceId, spanId: hex(16), name, ...span, attributes });
  }
  return {
    resourceSpans: [
      {
        resource: { attributes: [s("service.name", "bench")] },
        scopeSpans: [{ scope: { name: "@arizeai/openinference-instrumentation-openai", version: "4.2.7" }, spans }],
      },
    ],
  };
}

/** A trace id per trace number (deterministic, and independent of the random sequence). */
function traceIdOf(trace) {
  return (BigInt(trace + 1) * 0x9e3779b97f4a7c15n).toString(16).padStart(32, "0").slice(-32);
}

/**
 * Writes `spans` spans as JSON Lines (one request of `batch` spans a line) to `file`; with `gzip`, also `file.gz`.
 * Lines are generated once per `distinct` batches and repeated (with fresh span ids) so multi-GB files are quick.
 */
export async function writeJsonl(file, { spans, batch = 50, gzip = false, distinct = Infinity }) {
  const out = createWriteStream(file);
  const cache = [];
  let written = 0;
  for (let start = 0, k = 0; start < spans; start += batch, k++) {
    const count = Math.min(batch, spans - start);
    let line;
    if (k < distinct || count !== batch) {
      line = JSON.stringify(request(start, count));
      if (cache.length < distinct && count === batch) cache.push(line);
    } else line = cache[k % cache.length].replace(/"spanId":"[0-9a-f]{16}"/g, () => `"spanId":"${hex(16)}"`);
    written += line.length + 1;
    if (!out.write(`${line}\n`)) await new Promise((r) => out.once("drain", () => r(undefined)));
  }
  await new Promise((r) => out.end(r));
  if (gzip) await pipeline(createReadStream(file), createGzip(), createWriteStream(`${file}.gz`));
  return written;
}
