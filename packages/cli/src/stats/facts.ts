/**
 * What `semtrace stats` reads from one span: its kind (the OpenInference span kind, else the OpenTelemetry GenAI
 * operation, else "other"), whether it is a model call, its model and provider, token usage, the cost it carries,
 * its time to first chunk, and whether and how it failed.
 *
 * Keys are written out here rather than imported from the generated packages: those are optional peer dependencies
 * of the CLI, and stats reads both conventions whichever of them is installed.
 */
import type { InputSpan } from "../validate/otlp.js";

export type Convention = "openinference" | "genai" | "other";

/** Token counts of one span (each undefined when the span does not say). */
export interface Tokens {
  readonly input: number | undefined;
  readonly output: number | undefined;
  readonly total: number | undefined;
}

export interface SpanFacts {
  /** `LLM`, `CHAIN`, … (OpenInference), `chat`, `execute_tool`, … (GenAI), or `other`. */
  readonly kind: string;
  readonly convention: Convention;
  /** A call to a model (OpenInference LLM and EMBEDDING, GenAI inference and embeddings operations): its usage is added up. */
  readonly modelCall: boolean;
  readonly model: string | undefined;
  readonly provider: string | undefined;
  readonly tokens: Tokens | undefined;
  /** `llm.cost.total` (or prompt + completion) as the span carries it, in USD. */
  readonly spanCost: number | undefined;
  /** Milliseconds from the start of the span to its first streamed chunk. */
  readonly timeToFirstChunkMs: number | undefined;
  /** The span's status is ERROR. */
  readonly failed: boolean;
  /** For a failed span: the type of its first exception event, else its `error.type`, else `(no type)`. */
  readonly errorType: string | undefined;
  /** For a failed span: the first exception's message, else the status message. */
  readonly errorMessage: string | undefined;
  /** Exception events on the span (failed or not). */
  readonly exceptions: number;
}

export const OI_KIND = "openinference.span.kind";
export const GENAI_OPERATION = "gen_ai.operation.name";

/** OpenInference span kinds that call a model (the others roll up their children's usage, if they carry any). */
const OI_MODEL_CALLS: ReadonlySet<string> = new Set(["LLM", "EMBEDDING"]);
/** GenAI operations that call a model (`invoke_agent`, `execute_tool`, … may roll up usage). */
const GENAI_MODEL_CALLS: ReadonlySet<string> = new Set(["chat", "text_completion", "generate_content", "embeddings"]);

/** Events that mark the first streamed chunk: OpenInference's instrumentations, semtrace's core, the Vercel AI SDK. */
const FIRST_CHUNK_EVENTS: ReadonlySet<string> = new Set([
  "First Token Stream Event",
  "semtrace.stream.first_chunk",
  "ai.stream.firstChunk",
]);

const NS_PER_MS = 1e6;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A token count: a finite number ≥ 0. */
function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function first<T>(...values: (T | undefined)[]): T | undefined {
  for (const v of values) if (v !== undefined) return v;
  return undefined;
}

function tokensOf(a: Record<string, unknown>): Tokens | undefined {
  const input = first(
    count(a["llm.token_count.prompt"]),
    count(a["gen_ai.usage.input_tokens"]),
    count(a["gen_ai.usage.prompt_tokens"]),
  );
  const output = first(
    count(a["llm.token_count.completion"]),
    count(a["gen_ai.usage.output_tokens"]),
    count(a["gen_ai.usage.completion_tokens"]),
  );
  const stated = count(a["llm.token_count.total"]);
  if (input === undefined && output === undefined && stated === undefined) return undefined;
  const total = stated ?? (input ?? 0) + (output ?? 0);
  return { input, output, total };
}

function spanCostOf(a: Record<string, unknown>): number | undefined {
  const total = count(a["llm.cost.total"]);
  if (total !== undefined) return total;
  const prompt = count(a["llm.cost.prompt"]);
  const completion = count(a["llm.cost.completion"]);
  return prompt === undefined && completion === undefined ? undefined : (prompt ?? 0) + (completion ?? 0);
}

function timeToFirstChunk(span: InputSpan, a: Record<string, unknown>): number | undefined {
  const seconds = count(a["gen_ai.response.time_to_first_chunk"]);
  if (seconds !== undefined) return seconds * 1000;
  const ms = first(count(a["semtrace.stream.time_to_first_chunk_ms"]), count(a["ai.response.msToFirstChunk"]));
  if (ms !== undefined) return ms;
  const events = span.events;
  if (!events || span.startNs === undefined) return undefined;
  for (const event of events) {
    if (event.timeNs !== undefined && FIRST_CHUNK_EVENTS.has(event.name)) {
      const after = (event.timeNs - span.startNs) / NS_PER_MS;
      return after >= 0 ? after : undefined;
    }
  }
  return undefined;
}

/** The span's facts; never throws, whatever its attributes hold. */
export function factsOf(span: InputSpan): SpanFacts {
  const a = span.attributes;
  const oiKind = text(a[OI_KIND]);
  const operation = oiKind === undefined ? text(a[GENAI_OPERATION]) : undefined;
  const convention: Convention = oiKind !== undefined ? "openinference" : operation !== undefined ? "genai" : "other";
  const kind = oiKind ?? operation ?? "other";
  const model = first(
    text(a["llm.model_name"]),
    text(a["embedding.model_name"]),
    text(a["gen_ai.response.model"]),
    text(a["gen_ai.request.model"]),
  );
  const modelCall =
    oiKind !== undefined
      ? OI_MODEL_CALLS.has(oiKind)
      : operation !== undefined
        ? GENAI_MODEL_CALLS.has(operation)
        : model !== undefined;
  let exceptions = 0;
  let exception: Record<string, unknown> | undefined;
  for (const event of span.events ?? []) {
    if (event.name !== "exception") continue;
    exceptions++;
    exception ??= event.attributes;
  }
  const failed = span.status?.code === 2;
  return {
    kind,
    convention,
    modelCall,
    model,
    provider: first(
      text(a["llm.provider"]),
      text(a["llm.system"]),
      text(a["gen_ai.provider.name"]),
      text(a["gen_ai.system"]),
    ),
    tokens: tokensOf(a),
    spanCost: spanCostOf(a),
    timeToFirstChunkMs: timeToFirstChunk(span, a),
    failed,
    errorType: failed ? (first(text(exception?.["exception.type"]), text(a["error.type"])) ?? "(no type)") : undefined,
    errorMessage: failed ? first(text(exception?.["exception.message"]), text(span.status?.message)) : undefined,
    exceptions,
  };
}
