/**
 * The default price table: USD per 1 million tokens, for a few common models. Data only, no network; pass your
 * own {@link PriceTable} (or extend this one) for current prices, since providers change them.
 */
import type { PriceTable } from "./cost.js";

export const DEFAULT_PRICES: PriceTable = {
  version: "2025-06-01",
  currency: "USD",
  models: {
    "gpt-4o": { input: 2.5, output: 10, cacheRead: 1.25 },
    "gpt-4o-mini": { input: 0.15, output: 0.6, cacheRead: 0.075 },
    "gpt-4.1": { input: 2, output: 8, cacheRead: 0.5 },
    "gpt-4.1-mini": { input: 0.4, output: 1.6, cacheRead: 0.1 },
    "o3-mini": { input: 1.1, output: 4.4, cacheRead: 0.55 },
    "claude-3-5-haiku": { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
    "claude-sonnet-4": { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    "claude-opus-4": { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
    "gemini-2.0-flash": { input: 0.1, output: 0.4, cacheRead: 0.025 },
  },
};
