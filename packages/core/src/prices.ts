/**
 * The default price table: USD per 1 million tokens for a few common models, kept in the spec
 * (spec/prices/default.yaml, versioned) and generated into src/generated/prices.ts. Data only, no
 * network; pass your own {@link PriceTable} (or extend this one) for current prices.
 */
export { DEFAULT_PRICES } from "./generated/prices.js";
