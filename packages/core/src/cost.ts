/** Cost = usage × a price table (USD per 1M tokens), and the default table. Never throws. */
import { DEFAULT_PRICES } from "./prices.js";
import { swallowed } from "./swallowed.js";

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

let defaultTable: PriceTable | false = DEFAULT_PRICES;

/** Sets the price table used when a span or a {@link computeCost} call gives none (`false`: never price). */
export function setDefaultPrices(prices: PriceTable | false): void {
  if (prices === false || isPriceTable(prices)) defaultTable = prices;
  else swallowed("setDefaultPrices() was given neither a price table ({ version, models }) nor false, so the default table was kept");
}

/** @internal The table {@link setDefaultPrices} set (initially {@link DEFAULT_PRICES}). */
export function defaultPrices(): PriceTable | false {
  return defaultTable;
}

function isPriceTable(value: unknown): value is PriceTable {
  try {
    if (typeof value !== "object" || value === null) return false;
    const models = (value as { models?: unknown }).models;
    return typeof models === "object" && models !== null;
  } catch {
    return false;
  }
}

/**
 * Model names longer than this are looked up but not cached: the cache lives as long as its table (the default
 * one for ever), and a model name can come from anywhere, a provider's response included.
 */
const MAX_CACHED_NAME = 256;
/** Longer than any real model name (provider ARNs and fine-tune names included): not worth lower-casing a copy of. */
const MAX_MODEL_NAME = 1024;
const MAX_CACHED_NAMES = 1024;

/**
 * Finds a model's prices in `table` (default: the default table): exact name, else the longest table key the
 * name starts with (ignoring case and a `provider/` prefix).
 */
export function findPrice(model: string | undefined, table?: PriceTable): ModelPrice | undefined {
  if (typeof model !== "string" || model === "") return undefined;
  if (model.length > MAX_MODEL_NAME) {
    swallowed("a model name longer than 1024 characters was given, so it was not looked up in the price table");
    return undefined;
  }
  const t: unknown = table === undefined ? defaultTable : table;
  if (t === false) return undefined;
  if (typeof t !== "object" || t === null) {
    swallowed("a price table that is not an object was given, so nothing was priced");
    return undefined;
  }
  const priced = t as PriceTable;
  let cache = lookups.get(priced);
  if (cache === undefined) lookups.set(priced, (cache = new Map()));
  const hit = cache.get(model);
  if (hit !== undefined) return hit ?? undefined;
  const found = lookup(model, priced);
  if (cache.size < MAX_CACHED_NAMES && model.length <= MAX_CACHED_NAME) cache.set(model, found ?? null);
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
  } catch (error) {
    swallowed("reading a price table threw, so nothing was priced", error);
    return undefined;
  }
}

/**
 * Prices usage with a model's prices from `table` (default: the default table); `undefined` when the model is
 * not in the table, there is no usage, or the table's prices are not numbers.
 */
export function computeCost(model: string | undefined, usage: Usage, table?: PriceTable): Cost | undefined {
  try {
    const price = findPrice(model, table);
    if (!price || usage == null || typeof usage !== "object") return undefined;
    return priceUsage(price, usage);
  } catch (error) {
    swallowed("computing a cost threw (a hostile usage or price entry?), so nothing was priced", error);
    return undefined;
  }
}

/** A per-1M-tokens rate: a finite, non-negative number, else `fallback`. */
function rate(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function priceUsage(entry: ModelPrice, usage: Usage): Cost | undefined {
  const inputRate = rate(entry.input, Number.NaN);
  const outputRate = rate(entry.output, Number.NaN);
  if (Number.isNaN(inputRate) || Number.isNaN(outputRate)) {
    swallowed("a price table entry has no numeric input and output prices, so it priced nothing");
    return undefined;
  }
  const price = {
    input: inputRate,
    output: outputRate,
    cacheRead: rate(entry.cacheRead, inputRate),
    cacheWrite: rate(entry.cacheWrite, inputRate),
    reasoning: rate(entry.reasoning, outputRate),
    audioInput: rate(entry.audioInput, inputRate),
    audioOutput: rate(entry.audioOutput, outputRate),
  };
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
  const cCacheRead = cacheRead * price.cacheRead * PER_TOKEN;
  const cCacheWrite = cacheWrite * price.cacheWrite * PER_TOKEN;
  const cAudioIn = audioIn * price.audioInput * PER_TOKEN;
  const cOutput = plainOut * price.output * PER_TOKEN;
  const cReasoning = reasoning * price.reasoning * PER_TOKEN;
  const cAudioOut = audioOut * price.audioOutput * PER_TOKEN;
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
