/**
 * Trace configuration: what to hide (the `OPENINFERENCE_HIDE_*` settings, by option or environment variable)
 * and an optional size budget. Options given in code win over the environment.
 */
import { checkCopies } from "./copies.js";
import { state } from "./global-state.js";
import type { RedactionGroup } from "./redaction-table.js";
import { swallowed } from "./swallowed.js";

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
  /**
   * Characters of a stream's string chunks kept for its `output.value` (`SEMTRACE_MAX_STREAM_OUTPUT_CHARS`,
   * default 1 048 576, `Infinity` for no limit); the lower of this and `maxSpanChars` applies. A longer stream's
   * output is its beginning, marked `…[truncated]`, with `semtrace.stream.output_chars` giving the full length.
   */
  readonly maxStreamOutputChars?: number;
  /**
   * The conventions semtrace's spans are written in (`SEMTRACE_CONVENTIONS`): `openinference` (default), `genai`
   * (OpenTelemetry's `gen_ai.*`, translated by `@semtrace/translate` when the span ends; what has no GenAI
   * counterpart stays as it is) or `both` on every span. The same wrappers, handles and options either way.
   */
  readonly conventions?: Conventions;
}

export type Conventions = "openinference" | "genai" | "both";
const CONVENTIONS: readonly Conventions[] = ["openinference", "genai", "both"];

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
  {
    option: "hideEmbeddingVectors",
    group: "embedding_vectors",
    env: ["OPENINFERENCE_HIDE_EMBEDDINGS_VECTORS", "OPENINFERENCE_HIDE_EMBEDDING_VECTORS"],
  },
  { option: "hideEmbeddingText", group: "embedding_text", env: ["OPENINFERENCE_HIDE_EMBEDDINGS_TEXT"] },
  { option: "hideLLMTools", group: "llm_tools", env: ["OPENINFERENCE_HIDE_LLM_TOOLS"] },
  {
    option: "hideInvocationParameters",
    group: "invocation_parameters",
    env: ["OPENINFERENCE_HIDE_LLM_INVOCATION_PARAMETERS"],
  },
  { option: "hidePrompts", group: "prompts", env: ["OPENINFERENCE_HIDE_PROMPTS"] },
  { option: "hideChoices", group: "choices", env: ["OPENINFERENCE_HIDE_CHOICES"] },
];

export const DEFAULT_BASE64_IMAGE_MAX_LENGTH = 32_000;

/** Default of {@link TraceConfig.maxStreamOutputChars}: more text than any model's output limit, held per open stream. */
export const DEFAULT_MAX_STREAM_OUTPUT_CHARS = 1_048_576;

/** Options that are limits: non-negative numbers (`Infinity` allowed). */
const LIMIT_OPTIONS = ["base64ImageMaxLength", "maxSpanChars", "maxStreamOutputChars"] as const;
const FLAG_OPTIONS: readonly (keyof TraceConfig)[] = [...HIDE_SETTINGS.map((s) => s.option), "hideContent"];

function readEnv(name: string): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    const v = env?.[name];
    return v === undefined || v === "" ? undefined : v;
  } catch (error) {
    swallowed(
      "an environment variable could not be read (a runtime that asks permission for the environment?), so the OPENINFERENCE_HIDE_* and SEMTRACE_* settings from it were not applied; pass them to configure() instead",
      error,
    );
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
  const streamOutput = envNumber("SEMTRACE_MAX_STREAM_OUTPUT_CHARS");
  if (streamOutput !== undefined) out["maxStreamOutputChars"] = streamOutput;
  const conventions = readEnv("SEMTRACE_CONVENTIONS")?.trim().toLowerCase();
  if (conventions !== undefined && CONVENTIONS.includes(conventions as Conventions)) out["conventions"] = conventions;
  return out as TraceConfig;
}

/**
 * The known options of `value`, each checked: a flag must be a boolean, a limit a non-negative number. What is
 * not (or cannot be read) is left out and reported; anything that is not an object configures nothing. Reads
 * only the known keys, so a huge string or a hostile proxy costs nothing.
 */
function checkedConfig(value: unknown, where: string): TraceConfig {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object") {
    swallowed(`${where} was given a configuration that is not an object, so it was ignored`);
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const key of FLAG_OPTIONS) {
    const v = read(value, key, where);
    if (v === undefined) continue;
    if (typeof v === "boolean") out[key] = v;
    else swallowed(`${where}: a hide option is not a boolean, so it was ignored`);
  }
  for (const key of LIMIT_OPTIONS) {
    const v = read(value, key, where);
    if (v === undefined) continue;
    if (typeof v === "number" && v >= 0) out[key] = v;
    else swallowed(`${where}: ${key} is not a non-negative number, so it was ignored`);
  }
  const conventions = read(value, "conventions", where);
  if (conventions !== undefined) {
    if (CONVENTIONS.includes(conventions as Conventions)) out["conventions"] = conventions;
    else swallowed(`${where}: conventions is not "openinference", "genai" or "both", so it was ignored`);
  }
  return out as TraceConfig;
}

function read(config: object, key: string, where: string): unknown {
  try {
    return (config as Record<string, unknown>)[key];
  } catch (error) {
    swallowed(`${where}: an option could not be read, so it was ignored`, error);
    return undefined;
  }
}

/** Sets the process-wide configuration (merged over the environment); wrappers may still override per call. */
export function configure(config: TraceConfig): void {
  checkCopies("configure()");
  if (typeof config !== "object" || config === null) {
    swallowed("configure() was given a configuration that is not an object, so the configuration was left as it was");
    return;
  }
  state.config = { ...configFromEnv(), ...checkedConfig(config, "configure()") };
  state.resolvedConfig = undefined;
  state.configByObject = new WeakMap();
}

/** Forgets {@link configure}: the environment alone applies again (read anew). */
export function resetConfig(): void {
  state.config = undefined;
  state.envConfig = undefined;
  state.resolvedConfig = undefined;
  state.configByObject = new WeakMap();
}

export interface ResolvedConfig {
  readonly groups: ReadonlySet<RedactionGroup>;
  readonly hideContent: boolean;
  readonly base64ImageMaxLength: number;
  readonly maxSpanChars: number;
  readonly maxStreamOutputChars: number;
  /** True when nothing can change a value: the fast path. */
  readonly passthrough: boolean;
  readonly conventions: Conventions;
}

/**
 * The configuration a span uses: `config` (its own options) over the global one. Global and per-object results are
 * cached in the process-wide state, so every copy of the package sees `configure()` at once.
 */
export function resolveConfig(config?: TraceConfig): ResolvedConfig {
  if (config === undefined) {
    const cached = state.resolvedConfig;
    if (cached !== undefined) return cached;
  } else {
    const known = state.configByObject.get(config);
    if (known !== undefined) return known;
  }
  const base = state.config ?? (state.envConfig ??= configFromEnv());
  const merged: TraceConfig =
    config === undefined ? base : { ...base, ...checkedConfig(config, "a span's config option") };
  const groups = new Set<RedactionGroup>();
  for (const s of HIDE_SETTINGS) if (merged[s.option] === true) groups.add(s.group);
  const hideContent = merged.hideContent === true;
  const base64ImageMaxLength = merged.base64ImageMaxLength ?? DEFAULT_BASE64_IMAGE_MAX_LENGTH;
  const maxSpanChars = merged.maxSpanChars ?? Number.POSITIVE_INFINITY;
  const maxStreamOutputChars = merged.maxStreamOutputChars ?? DEFAULT_MAX_STREAM_OUTPUT_CHARS;
  const resolved: ResolvedConfig = {
    groups,
    hideContent,
    base64ImageMaxLength,
    maxSpanChars,
    maxStreamOutputChars,
    passthrough: groups.size === 0 && !hideContent && maxSpanChars === Number.POSITIVE_INFINITY,
    conventions: merged.conventions ?? "openinference",
  };
  if (config === undefined) state.resolvedConfig = resolved;
  else if (typeof config === "object" && config !== null) state.configByObject.set(config, resolved);
  return resolved;
}
