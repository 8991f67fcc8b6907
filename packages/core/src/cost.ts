/** Cost = usage × a price table (USD per 1M tokens), and the default table. Never throws. */
import { checkCopies } from "./copies.js";
import { state } from "./global-state.js";
import { DEFAULT_PRICES } from "./prices.js";
import { candidateModelIds } from "./model-ids.js";
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
  /**
   * Long-context pricing: the prices of a call whose input exceeds `tokens` (applied to the whole call, as the
   * providers that have it bill). Prices the tier does not give are the model's own.
   */
  readonly above?: {
    readonly tokens: number;
    readonly input: number;
    readonly output: number;
    readonly cacheRead?: number;
    readonly cacheWrite?: number;
  };
  /** The date (YYYY-MM-DD) the price applies from. */
  readonly effective?: string;
}

export interface PriceTable {
  /** Date or label of the prices. */
  readonly version: string;
  readonly currency?: string;
  /** Where the prices come from (the default table: LiteLLM's price list at a commit). */
  readonly source?: { readonly url?: string; readonly commit?: string; readonly date?: string };
  /**
   * Model id → prices. Ids are matched ignoring case, from the most specific form of the name a span carries to
   * the least: as given; without a route or resource path (`openai/…`, `publishers/google/models/…`, an ARN); without
   * a Bedrock inference-profile prefix (`us.`, `eu.`, `apac.`, …); without a Bedrock vendor prefix (`anthropic.`,
   * `meta.`, …); without a version suffix (`-v1:0`, `@20240620`, `-001`); without a date (`-2024-08-06`,
   * `-20241022`, `-2411`) or `-latest`. The first id in the table wins, so a variant with a price of its own
   * (`gpt-4o-audio-preview`, `gpt-4o-2024-05-13`) is never priced as its base model; a name the table does not
   * know, after these steps, is not priced (and reported once through `diag`).
   */
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
  readonly promptDetails?: {
    readonly input?: number;
    readonly cacheRead?: number;
    readonly cacheWrite?: number;
    readonly audio?: number;
  };
  readonly completionDetails?: { readonly output?: number; readonly reasoning?: number; readonly audio?: number };
}

const PER_TOKEN = 1 / 1_000_000;

function n(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
}

function round(v: number): number {
  return Math.round(v * 1e12) / 1e12;
}

/**
 * Sets the price table used when a span or a {@link computeCost} call gives none (`false`: never price), for
 * every copy of the package in the process.
 */
export function setDefaultPrices(prices: PriceTable | false): void {
  checkCopies("setDefaultPrices()");
  if (prices === false || isPriceTable(prices)) state.defaultPrices = prices;
  else
    swallowed(
      "setDefaultPrices() was given neither a price table ({ version, models }) nor false, so the default table was kept",
    );
}

/** @internal The table {@link setDefaultPrices} set (initially {@link DEFAULT_PRICES}). */
export function defaultPrices(): PriceTable | false {
  return state.defaultPrices ?? DEFAULT_PRICES;
}

function isPriceTable(value: unknown): value is PriceTable {
  try {
    if (typeof value !== "object" || value === null) return false;
    const models = (value as { models?: unknown }).models;
    return typeof models === "object" && models !== null;
  } catch (error) {
    swallowed(
      "setDefaultPrices() was given a table whose models could not be read (a hostile proxy?), so the default table was kept",
      error,
    );
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

/** Per table (treated as immutable once used): its ids in lower case, and the names looked up so far. */
interface TableIndex {
  readonly ids: ReadonlyMap<string, ModelPrice>;
  readonly lookups: Map<string, ModelPrice | null>;
}
const indexes = new WeakMap<PriceTable, TableIndex>();

function indexOf(table: PriceTable): TableIndex {
  let index = indexes.get(table);
  if (index === undefined) {
    const ids = new Map<string, ModelPrice>();
    const models = table.models;
    for (const id of Object.keys(models)) {
      const price = models[id];
      const key = id.toLowerCase();
      // Two ids that differ only in case: the first one wins, as in the table's order.
      if (price !== undefined && !ids.has(key)) ids.set(key, price);
    }
    indexes.set(table, (index = { ids, lookups: new Map() }));
  }
  return index;
}

/**
 * Finds a model's prices in `table` (default: the default table) by the matching rules of
 * {@link PriceTable.models}; `undefined` when the table has no price for it.
 */
export function findPrice(model: string | undefined, table?: PriceTable): ModelPrice | undefined {
  if (typeof model !== "string" || model === "") return undefined;
  if (model.length > MAX_MODEL_NAME) {
    swallowed("a model name longer than 1024 characters was given, so it was not looked up in the price table");
    return undefined;
  }
  const t: unknown = table === undefined ? defaultPrices() : table;
  if (t === false) return undefined;
  if (typeof t !== "object" || t === null) {
    swallowed("a price table that is not an object was given, so nothing was priced");
    return undefined;
  }
  // The same model priced again from the same table (every call of one wrapper): no lookup at all.
  if (t === lastTable && model === lastModel) return lastPrice;
  let index: TableIndex;
  try {
    index = indexOf(t as PriceTable);
  } catch (error) {
    swallowed("reading a price table threw, so nothing was priced", error);
    return undefined;
  }
  const hit = index.lookups.get(model);
  if (hit !== undefined) return remember(t as PriceTable, model, hit ?? undefined);
  let found: ModelPrice | undefined;
  for (const id of candidateModelIds(model)) {
    found = index.ids.get(id);
    if (found !== undefined) break;
  }
  if (index.lookups.size < MAX_CACHED_NAMES && model.length <= MAX_CACHED_NAME) index.lookups.set(model, found ?? null);
  return remember(t as PriceTable, model, found);
}

/** The last lookup: the table, the name and its price (model names are compared by value; long ones are not kept). */
let lastTable: unknown;
let lastModel: string | undefined;
let lastPrice: ModelPrice | undefined;

function remember(table: PriceTable, model: string, price: ModelPrice | undefined): ModelPrice | undefined {
  if (model.length <= MAX_CACHED_NAME) {
    lastTable = table;
    lastModel = model;
    lastPrice = price;
  }
  return price;
}

/**
 * Prices usage with a model's prices from `table` (default: the default table); `undefined` when the model is
 * not in the table, there is no usage, or the table's prices are not numbers.
 */
export function computeCost(model: string | undefined, usage: Usage, table?: PriceTable): Cost | undefined {
  try {
    const price = findPrice(model, table);
    if (!price || usage == null || typeof usage !== "object") return undefined;
    const flat = costAttributes(price, usage);
    return flat === undefined ? undefined : nestedCost(flat);
  } catch (error) {
    swallowed("computing a cost threw (a hostile usage or price entry?), so nothing was priced", error);
    return undefined;
  }
}

/** A per-1M-tokens rate: a finite, non-negative number, else `fallback`. */
function rate(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** The `llm.cost.*` attributes of a priced call, as the flat record written on spans. */
export interface CostAttributes {
  "llm.cost.prompt": number;
  "llm.cost.completion": number;
  "llm.cost.total": number;
  "llm.cost.prompt_details.input": number;
  "llm.cost.completion_details.output": number;
  "llm.cost.prompt_details.cache_read"?: number;
  "llm.cost.prompt_details.cache_write"?: number;
  "llm.cost.prompt_details.audio"?: number;
  "llm.cost.completion_details.reasoning"?: number;
  "llm.cost.completion_details.audio"?: number;
}

/**
 * @internal Prices `usage` with `entry` as the flat `llm.cost.*` attributes spans carry (built directly: this
 * runs at the end of every priced span). `undefined` when there is nothing to price or the entry has no
 * numeric input and output prices. May throw on a hostile usage or entry (callers catch).
 */
export function costAttributes(entry: ModelPrice, usage: Usage): CostAttributes | undefined {
  const input = n(usage.input);
  const output = n(usage.output);
  const cacheReadTokens = n(usage.cacheRead);
  const cacheWriteTokens = n(usage.cacheWrite);
  if (input === 0 && output === 0 && cacheReadTokens === 0 && cacheWriteTokens === 0) return undefined;
  const above = entry.above;
  const tier =
    above !== undefined &&
    above !== null &&
    typeof above === "object" &&
    input > rate(above.tokens, Number.POSITIVE_INFINITY)
      ? above
      : undefined;
  const inputRate = rate(tier !== undefined ? tier.input : entry.input, Number.NaN);
  const outputRate = rate(tier !== undefined ? tier.output : entry.output, Number.NaN);
  if (Number.isNaN(inputRate) || Number.isNaN(outputRate)) {
    swallowed("a price table entry has no numeric input and output prices, so it priced nothing");
    return undefined;
  }
  const cacheReadRate = rate(tier?.cacheRead, rate(entry.cacheRead, inputRate));
  const cacheWriteRate = rate(tier?.cacheWrite, rate(entry.cacheWrite, inputRate));
  const cacheRead = Math.min(cacheReadTokens, input || Infinity);
  const cacheWrite = Math.min(cacheWriteTokens, Math.max(0, (input || Infinity) - cacheRead));
  const audioIn = Math.min(n(usage.audio), Math.max(0, (input || Infinity) - cacheRead - cacheWrite));
  const plainIn = Math.max(0, input - cacheRead - cacheWrite - audioIn);
  const reasoning = Math.min(n(usage.reasoning), output || Infinity);
  const audioOut = Math.min(n(usage.audioOutput), Math.max(0, (output || Infinity) - reasoning));
  const plainOut = Math.max(0, output - reasoning - audioOut);

  const cInput = plainIn * inputRate * PER_TOKEN;
  const cOutput = plainOut * outputRate * PER_TOKEN;
  let prompt = cInput;
  let completion = cOutput;
  const out: CostAttributes = {
    "llm.cost.prompt": 0,
    "llm.cost.completion": 0,
    "llm.cost.total": 0,
    "llm.cost.prompt_details.input": round(cInput),
    "llm.cost.completion_details.output": round(cOutput),
  };
  if (cacheRead) {
    const c = cacheRead * cacheReadRate * PER_TOKEN;
    prompt += c;
    out["llm.cost.prompt_details.cache_read"] = round(c);
  }
  if (cacheWrite) {
    const c = cacheWrite * cacheWriteRate * PER_TOKEN;
    prompt += c;
    out["llm.cost.prompt_details.cache_write"] = round(c);
  }
  if (audioIn) {
    const c = audioIn * rate(entry.audioInput, inputRate) * PER_TOKEN;
    prompt += c;
    out["llm.cost.prompt_details.audio"] = round(c);
  }
  if (reasoning) {
    const c = reasoning * rate(entry.reasoning, outputRate) * PER_TOKEN;
    completion += c;
    out["llm.cost.completion_details.reasoning"] = round(c);
  }
  if (audioOut) {
    const c = audioOut * rate(entry.audioOutput, outputRate) * PER_TOKEN;
    completion += c;
    out["llm.cost.completion_details.audio"] = round(c);
  }
  out["llm.cost.prompt"] = round(prompt);
  out["llm.cost.completion"] = round(completion);
  out["llm.cost.total"] = round(prompt + completion);
  return out;
}

function nestedCost(flat: CostAttributes): Cost {
  const promptDetails: Record<string, number> = { input: flat["llm.cost.prompt_details.input"] };
  if (flat["llm.cost.prompt_details.cache_read"] !== undefined)
    promptDetails["cacheRead"] = flat["llm.cost.prompt_details.cache_read"];
  if (flat["llm.cost.prompt_details.cache_write"] !== undefined)
    promptDetails["cacheWrite"] = flat["llm.cost.prompt_details.cache_write"];
  if (flat["llm.cost.prompt_details.audio"] !== undefined)
    promptDetails["audio"] = flat["llm.cost.prompt_details.audio"];
  const completionDetails: Record<string, number> = { output: flat["llm.cost.completion_details.output"] };
  if (flat["llm.cost.completion_details.reasoning"] !== undefined)
    completionDetails["reasoning"] = flat["llm.cost.completion_details.reasoning"];
  if (flat["llm.cost.completion_details.audio"] !== undefined)
    completionDetails["audio"] = flat["llm.cost.completion_details.audio"];
  return {
    prompt: flat["llm.cost.prompt"],
    completion: flat["llm.cost.completion"],
    total: flat["llm.cost.total"],
    promptDetails,
    completionDetails,
  };
}
