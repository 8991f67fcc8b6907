/** Cost = usage × a price table (USD per 1M tokens). Pure functions; never throw. */

/** Prices of one model, per 1 million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  /** Cached input read; defaults to `input`. */
  readonly cacheRead?: number;
  /** Cache write (creation); defaults to `input`. */
  readonly cacheWrite?: number;
  /** Reasoning output tokens; defaults to `output` (they are part of the output count). */
  readonly reasoning?: number;
  /** Audio input tokens; defaults to `input`. */
  readonly audioInput?: number;
  /** Audio output tokens; defaults to `output`. */
  readonly audioOutput?: number;
}

export interface PriceTable {
  /** Date or label of the prices, so a trace can say which table priced it. */
  readonly version: string;
  readonly currency?: string;
  /** Model name (or a prefix of dated names: `gpt-4o` prices `gpt-4o-2024-08-06`) → prices. */
  readonly models: Readonly<Record<string, ModelPrice>>;
}

/** Token usage of one call, as providers report it. `input` includes cached and audio tokens; `output` includes reasoning and audio tokens. */
export interface Usage {
  readonly input?: number;
  readonly output?: number;
  readonly total?: number;
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
  readonly reasoning?: number;
  readonly audio?: number;
  readonly audioOutput?: number;
}

/** Cost in the table's currency, with the OpenInference `llm.cost.*` breakdown. */
export interface Cost {
  readonly prompt?: number;
  readonly completion?: number;
  readonly total?: number;
  readonly promptDetails?: { readonly input?: number; readonly cacheRead?: number; readonly cacheWrite?: number; readonly audio?: number };
  readonly completionDetails?: { readonly output?: number; readonly reasoning?: number; readonly audio?: number };
}

const PER_TOKEN = 1 / 1_000_000;

function n(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
}

function round(v: number): number {
  return Math.round(v * 1e12) / 1e12;
}

/** Finds a model's prices: exact name, else the longest table key the name starts with (ignoring case and a `provider/` prefix). */
export function findPrice(model: string | undefined, table: PriceTable): ModelPrice | undefined {
  if (typeof model !== "string" || model === "") return undefined;
  let cache = lookups.get(table);
  if (cache === undefined) lookups.set(table, (cache = new Map()));
  const hit = cache.get(model);
  if (hit !== undefined) return hit ?? undefined;
  const found = lookup(model, table);
  if (cache.size < 1024) cache.set(model, found ?? null);
  return found;
}

/** Model name → prices, per table (tables are treated as immutable once used). */
const lookups = new WeakMap<PriceTable, Map<string, ModelPrice | null>>();

function lookup(model: string, table: PriceTable): ModelPrice | undefined {
  try {
    const exact = Object.prototype.hasOwnProperty.call(table.models, model) ? table.models[model] : undefined;
    if (exact) return exact;
    const name = model.toLowerCase().replace(/^[^/]*\//, "");
    let best: string | undefined;
    for (const key of Object.keys(table.models)) {
      const k = key.toLowerCase();
      if ((name === k || name.startsWith(k + "-") || name.startsWith(k + "@")) && (best === undefined || key.length > best.length)) best = key;
    }
    return best === undefined ? undefined : table.models[best];
  } catch {
    return undefined;
  }
}

/** Prices usage with a model's prices; `undefined` when the model is not in the table or there is no usage. */
export function computeCost(model: string | undefined, usage: Usage, table: PriceTable): Cost | undefined {
  const price = findPrice(model, table);
  if (!price || usage == null || typeof usage !== "object") return undefined;
  const input = n(usage.input);
  const output = n(usage.output);
  if (input === 0 && output === 0 && n(usage.cacheRead) === 0 && n(usage.cacheWrite) === 0) return undefined;
  const cacheRead = Math.min(n(usage.cacheRead), input || Infinity);
  const cacheWrite = Math.min(n(usage.cacheWrite), Math.max(0, (input || Infinity) - cacheRead));
  const audioIn = Math.min(n(usage.audio), Math.max(0, (input || Infinity) - cacheRead - cacheWrite));
  const plainIn = Math.max(0, input - cacheRead - cacheWrite - audioIn);
  const reasoning = Math.min(n(usage.reasoning), output || Infinity);
  const audioOut = Math.min(n(usage.audioOutput), Math.max(0, (output || Infinity) - reasoning));
  const plainOut = Math.max(0, output - reasoning - audioOut);

  const cInput = plainIn * price.input * PER_TOKEN;
  const cCacheRead = cacheRead * (price.cacheRead ?? price.input) * PER_TOKEN;
  const cCacheWrite = cacheWrite * (price.cacheWrite ?? price.input) * PER_TOKEN;
  const cAudioIn = audioIn * (price.audioInput ?? price.input) * PER_TOKEN;
  const cOutput = plainOut * price.output * PER_TOKEN;
  const cReasoning = reasoning * (price.reasoning ?? price.output) * PER_TOKEN;
  const cAudioOut = audioOut * (price.audioOutput ?? price.output) * PER_TOKEN;
  const prompt = cInput + cCacheRead + cCacheWrite + cAudioIn;
  const completion = cOutput + cReasoning + cAudioOut;
  const promptDetails: Record<string, number> = { input: round(cInput) };
  if (cacheRead) promptDetails["cacheRead"] = round(cCacheRead);
  if (cacheWrite) promptDetails["cacheWrite"] = round(cCacheWrite);
  if (audioIn) promptDetails["audio"] = round(cAudioIn);
  const completionDetails: Record<string, number> = { output: round(cOutput) };
  if (reasoning) completionDetails["reasoning"] = round(cReasoning);
  if (audioOut) completionDetails["audio"] = round(cAudioOut);
  return { prompt: round(prompt), completion: round(completion), total: round(prompt + completion), promptDetails, completionDetails };
}
