/**
 * Trace configuration: what to hide (the `OPENINFERENCE_HIDE_*` settings, by option or environment variable)
 * and an optional size budget. Options given in code win over the environment.
 */
import type { RedactionGroup } from "./redaction-table.js";

export interface TraceConfig {
  /** `OPENINFERENCE_HIDE_INPUTS`: `input.value` → `__REDACTED__`, `input.mime_type`, input messages and `llm.tools` removed. */
  readonly hideInputs?: boolean;
  /** `OPENINFERENCE_HIDE_OUTPUTS`: `output.value` → `__REDACTED__`, output messages removed, `llm.function_call` masked. */
  readonly hideOutputs?: boolean;
  /** `OPENINFERENCE_HIDE_INPUT_MESSAGES`: every key under `llm.input_messages` removed. */
  readonly hideInputMessages?: boolean;
  /** `OPENINFERENCE_HIDE_OUTPUT_MESSAGES`: every key under `llm.output_messages` removed. */
  readonly hideOutputMessages?: boolean;
  /** `OPENINFERENCE_HIDE_INPUT_TEXT`: text of input messages and their text parts → `__REDACTED__`. */
  readonly hideInputText?: boolean;
  /** `OPENINFERENCE_HIDE_OUTPUT_TEXT`: text of output messages and their text parts → `__REDACTED__`. */
  readonly hideOutputText?: boolean;
  /** `OPENINFERENCE_HIDE_INPUT_IMAGES`: image parts of input messages and `input.images` removed. */
  readonly hideInputImages?: boolean;
  /** `SEMTRACE_HIDE_OUTPUT_IMAGES` (no upstream setting): image parts of output messages and `output.images` removed. */
  readonly hideOutputImages?: boolean;
  /** `OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS` (or the older `OPENINFERENCE_HIDE_EMBEDDING_VECTORS`): vectors removed. */
  readonly hideEmbeddingVectors?: boolean;
  /** `OPENINFERENCE_HIDE_EMBEDDINGS_TEXT`: embedded text → `__REDACTED__`. */
  readonly hideEmbeddingText?: boolean;
  /** `OPENINFERENCE_HIDE_LLM_TOOLS`: every key under `llm.tools` removed. */
  readonly hideLLMTools?: boolean;
  /** `OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS`: `llm.invocation_parameters`, `embedding.invocation_parameters` → `__REDACTED__`. */
  readonly hideInvocationParameters?: boolean;
  /** `OPENINFERENCE_HIDE_PROMPTS`: `llm.prompts.<i>.prompt.text` → `__REDACTED__`. */
  readonly hidePrompts?: boolean;
  /** `OPENINFERENCE_HIDE_CHOICES`: `llm.choices.<i>.completion.text` → `__REDACTED__`. */
  readonly hideChoices?: boolean;
  /**
   * `SEMTRACE_HIDE_CONTENT`: every attribute the spec marks `sensitivity: content` (strings → `__REDACTED__`,
   * other types removed), including documents, tool arguments, audio and evaluation explanations.
   */
  readonly hideContent?: boolean;
  /** `OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH` (default 32 000): a longer base64 data URI in an `image.url` → `__REDACTED__`. */
  readonly base64ImageMaxLength?: number;
  /**
   * Size budget of one span, in characters of string attribute values (`SEMTRACE_MAX_SPAN_CHARS`). Values set
   * once it is spent are truncated (suffix `…[truncated]`). Span kind, model, provider, usage and cost are never
   * truncated or dropped. Unlimited by default.
   */
  readonly maxSpanChars?: number;
}

/** Config option → redaction group of spec/README.md §2.5, and its environment variables. */
export const HIDE_SETTINGS: readonly { option: keyof TraceConfig; group: RedactionGroup; env: readonly string[] }[] = [
  { option: "hideInputs", group: "inputs", env: ["OPENINFERENCE_HIDE_INPUTS"] },
  { option: "hideOutputs", group: "outputs", env: ["OPENINFERENCE_HIDE_OUTPUTS"] },
  { option: "hideInputMessages", group: "input_messages", env: ["OPENINFERENCE_HIDE_INPUT_MESSAGES"] },
  { option: "hideOutputMessages", group: "output_messages", env: ["OPENINFERENCE_HIDE_OUTPUT_MESSAGES"] },
  { option: "hideInputText", group: "input_text", env: ["OPENINFERENCE_HIDE_INPUT_TEXT"] },
  { option: "hideOutputText", group: "output_text", env: ["OPENINFERENCE_HIDE_OUTPUT_TEXT"] },
  { option: "hideInputImages", group: "input_images", env: ["OPENINFERENCE_HIDE_INPUT_IMAGES"] },
  { option: "hideOutputImages", group: "output_images", env: ["SEMTRACE_HIDE_OUTPUT_IMAGES"] },
  { option: "hideEmbeddingVectors", group: "embedding_vectors", env: ["OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS", "OPENINFERENCE_HIDE_EMBEDDING_VECTORS"] },
  { option: "hideEmbeddingText", group: "embedding_text", env: ["OPENINFERENCE_HIDE_EMBEDDINGS_TEXT"] },
  { option: "hideLLMTools", group: "llm_tools", env: ["OPENINFERENCE_HIDE_LLM_TOOLS"] },
  { option: "hideInvocationParameters", group: "invocation_parameters", env: ["OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS"] },
  { option: "hidePrompts", group: "prompts", env: ["OPENINFERENCE_HIDE_PROMPTS"] },
  { option: "hideChoices", group: "choices", env: ["OPENINFERENCE_HIDE_CHOICES"] },
];

export const DEFAULT_BASE64_IMAGE_MAX_LENGTH = 32_000;

function readEnv(name: string): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    const v = env?.[name];
    return v === undefined || v === "" ? undefined : v;
  } catch {
    return undefined;
  }
}

function envFlag(names: readonly string[]): boolean | undefined {
  for (const name of names) {
    const v = readEnv(name);
    if (v === undefined) continue;
    const s = v.trim().toLowerCase();
    if (s === "true" || s === "1" || s === "yes") return true;
    if (s === "false" || s === "0" || s === "no") return false;
  }
  return undefined;
}

function envNumber(name: string): number | undefined {
  const v = readEnv(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The configuration the environment variables describe. */
export function configFromEnv(): TraceConfig {
  const out: Record<string, unknown> = {};
  for (const s of HIDE_SETTINGS) {
    const v = envFlag(s.env);
    if (v !== undefined) out[s.option] = v;
  }
  const content = envFlag(["SEMTRACE_HIDE_CONTENT"]);
  if (content !== undefined) out["hideContent"] = content;
  const b64 = envNumber("OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH");
  if (b64 !== undefined) out["base64ImageMaxLength"] = b64;
  const budget = envNumber("SEMTRACE_MAX_SPAN_CHARS");
  if (budget !== undefined) out["maxSpanChars"] = budget;
  return out as TraceConfig;
}

let globalConfig: TraceConfig | undefined;
/** The environment, read once (reading `process.env` is slow); {@link resetConfig} reads it again. */
let envConfig: TraceConfig | undefined;
/** Resolved per-span configs, by the options object that carried them. */
let perObject = new WeakMap<TraceConfig, ResolvedConfig>();

/** Sets the process-wide configuration (merged over the environment); wrappers may still override per call. */
export function configure(config: TraceConfig): void {
  globalConfig = { ...configFromEnv(), ...config };
  resolvedCache = undefined;
  perObject = new WeakMap();
}

/** Forgets {@link configure}: the environment alone applies again (read anew). */
export function resetConfig(): void {
  globalConfig = undefined;
  envConfig = undefined;
  resolvedCache = undefined;
  perObject = new WeakMap();
}

let resolvedCache: ResolvedConfig | undefined;

export interface ResolvedConfig {
  readonly groups: ReadonlySet<RedactionGroup>;
  readonly hideContent: boolean;
  readonly base64ImageMaxLength: number;
  readonly maxSpanChars: number;
  /** True when nothing can change a value: the fast path. */
  readonly passthrough: boolean;
}

export function resolveConfig(config?: TraceConfig): ResolvedConfig {
  if (config === undefined) {
    if (resolvedCache !== undefined) return resolvedCache;
  } else {
    const known = perObject.get(config);
    if (known !== undefined) return known;
  }
  const base = globalConfig ?? (envConfig ??= configFromEnv());
  const merged: TraceConfig = config === undefined ? base : { ...base, ...config };
  const groups = new Set<RedactionGroup>();
  for (const s of HIDE_SETTINGS) if (merged[s.option] === true) groups.add(s.group);
  const hideContent = merged.hideContent === true;
  const base64ImageMaxLength = merged.base64ImageMaxLength ?? DEFAULT_BASE64_IMAGE_MAX_LENGTH;
  const maxSpanChars = merged.maxSpanChars ?? Number.POSITIVE_INFINITY;
  const resolved: ResolvedConfig = {
    groups,
    hideContent,
    base64ImageMaxLength,
    maxSpanChars,
    passthrough: groups.size === 0 && !hideContent && maxSpanChars === Number.POSITIVE_INFINITY,
  };
  if (config === undefined) resolvedCache = resolved;
  else if (typeof config === "object" && config !== null) perObject.set(config, resolved);
  return resolved;
}
