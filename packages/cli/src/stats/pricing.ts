/**
 * Pricing spans that carry token counts but no cost, from the spec's price table (spec/prices), with the matching
 * rules of `@semtrace/core` (Bedrock and Vertex ids, dates, versions): the table and the rules are core's, loaded
 * from it rather than copied. Core is an optional peer dependency of the CLI, like the generated packages (core
 * depends on `@semtrace/openinference`, whose build runs this CLI, so a dependency would be a cycle); without it,
 * costs the spans carry are still added up and the rest is reported as unpriced, saying why.
 */

/** The part of `@semtrace/core` used here (structural, so the CLI builds without it). */
interface CoreModule {
  computeCost(model: string | undefined, usage: Record<string, number | undefined>): { total?: number } | undefined;
  spanUsage(
    attributes: Readonly<Record<string, unknown>>,
  ): { model: string; usage: Record<string, number | undefined> } | undefined;
  findPrice(model: string | undefined): unknown;
  DEFAULT_PRICES: { version: string; currency?: string };
}

export interface Pricer {
  /** The price table's version (its date) and currency. */
  readonly table: { readonly version: string; readonly currency: string } | undefined;
  /** Why nothing can be priced from a table, when that is so. */
  readonly unavailable: string | undefined;
  /** The cost of a span's usage from the table, or undefined when its model has no price (or it reports no usage). */
  price(attributes: Readonly<Record<string, unknown>>): number | undefined;
}

const CORE = "@semtrace/core";

export async function loadPricer(): Promise<Pricer> {
  let core: CoreModule;
  try {
    // A variable specifier: resolved at run time only (an optional peer dependency).
    core = (await import(/* @vite-ignore */ CORE)) as CoreModule;
    if (typeof core.computeCost !== "function" || typeof core.spanUsage !== "function")
      throw new Error(`${CORE} has no computeCost or spanUsage: install a version that matches @semtrace/cli`);
  } catch (error) {
    const why = `pricing from the price table needs the ${CORE} package next to @semtrace/cli (npm install -D ${CORE}): ${(error as Error).message.split("\n")[0]}`;
    return { table: undefined, unavailable: why, price: () => undefined };
  }
  const table = { version: core.DEFAULT_PRICES.version, currency: core.DEFAULT_PRICES.currency ?? "USD" };
  return {
    table,
    unavailable: undefined,
    price(attributes) {
      const found = core.spanUsage(attributes);
      if (found === undefined) return undefined;
      return core.computeCost(found.model, found.usage)?.total;
    },
  };
}

/** Where a model call's cost comes from: the span itself, the price table, or nowhere. */
export type CostSource = "span" | "table" | "unpriced";

/** The cost of a span with usage: the one it carries, else the price table's; `cost` undefined when unpriced. */
export function costOf(
  spanCost: number | undefined,
  attributes: Readonly<Record<string, unknown>>,
  pricer: Pricer,
): { cost: number | undefined; source: CostSource } {
  if (spanCost !== undefined) return { cost: spanCost, source: "span" };
  const cost = pricer.price(attributes);
  return { cost, source: cost === undefined ? "unpriced" : "table" };
}

/** Nothing priced from a table (`--no-prices`). */
export const NO_PRICER: Pricer = {
  table: undefined,
  unavailable: "pricing from the price table was turned off (--no-prices)",
  price: () => undefined,
};
