/**
 * Cost: the default price table (spec/prices/default.yaml, from LiteLLM's price list), the matching rules that
 * find a model's price from the name a span carries, and pricing at the end of a span.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  DEFAULT_PRICES,
  computeCost,
  findPrice,
  startActiveSpan,
  traceLLM,
  type ModelPrice,
  type PriceTable,
} from "../src/index.js";
import { candidateModelIds } from "../src/model-ids.js";
import { captureDiagWarnings } from "./support/diag.js";
import { expectValid, setupTracing } from "./support/otel.js";

const t = setupTracing();
beforeEach(() => t.reset());

const here = dirname(fileURLToPath(import.meta.url));
const SPEC = join(here, "../../../spec/prices/default.yaml");
const GENERATOR = join(here, "../scripts/generate-prices.mjs");
const TABLE: PriceTable = {
  version: "test-1",
  models: { "model-a": { input: 1, output: 2, cacheRead: 0.5, cacheWrite: 1.5 } },
};

let spec: { models: Record<string, { litellm: string }> } | undefined;
/** spec/prices/default.yaml, parsed once. */
const specModels = () =>
  (spec ??= parse(readFileSync(SPEC, "utf8")) as { models: Record<string, { litellm: string }> });

/** The entry of `id` in the default table (the test fails when it is missing). */
function entry(id: string): ModelPrice {
  const found = DEFAULT_PRICES.models[id];
  expect(found, `DEFAULT_PRICES has "${id}"`).toBeDefined();
  return found!;
}

describe("the default table", () => {
  it("covers current and recent models of every provider the issue names, with an effective date each and its source recorded", () => {
    const ids = Object.keys(DEFAULT_PRICES.models);
    expect(ids.length).toBeGreaterThanOrEqual(80);
    const providers: Record<string, RegExp> = {
      OpenAI: /^(gpt-|o\d|chatgpt-|codex-|text-embedding-)/,
      Anthropic: /claude-/,
      Google: /^gemini-/,
      Mistral: /^(mistral-|codestral|devstral|magistral|ministral|pixtral|open-mistral)/,
      Cohere: /^(command-|embed-|cohere\.)/,
      "Meta via Bedrock": /^(?:[a-z]+\.)?meta\.llama/,
      "Meta via Vertex AI": /^llama-.*-maas$/,
      xAI: /^grok-/,
      DeepSeek: /deepseek/,
    };
    for (const [provider, pattern] of Object.entries(providers))
      expect(ids.filter((id) => pattern.test(id)).length, provider).toBeGreaterThanOrEqual(3);
    for (const [id, price] of Object.entries(DEFAULT_PRICES.models)) {
      expect(price.input, id).toBeGreaterThan(0);
      expect(price.output, id).toBeGreaterThanOrEqual(0);
      expect(price.effective, id).toMatch(/^20\d\d-\d\d-\d\d$/);
      expect(price.effective! <= DEFAULT_PRICES.version, `${id}: effective no later than the table`).toBe(true);
      expect(id, "ids are lower case").toBe(id.toLowerCase());
    }
    expect(DEFAULT_PRICES.source).toEqual({
      url: "https://github.com/BerriAI/litellm/blob/00035b69f416be24e2e323c13198d9b7d2d1bdf9/model_prices_and_context_window.json",
      commit: "00035b69f416be24e2e323c13198d9b7d2d1bdf9",
      date: "2026-07-18",
    });
    // Reasoning, audio, cache write and long-context prices are carried where the source publishes them.
    expect(entry("gemini-2.5-flash").reasoning).toBe(2.5);
    expect(entry("gpt-4o-audio-preview")).toMatchObject({ audioInput: 40, audioOutput: 80 });
    expect(entry("claude-sonnet-4-5").cacheWrite).toBe(3.75);
    expect(entry("gemini-2.5-pro").above).toEqual({ tokens: 200000, input: 2.5, output: 15, cacheRead: 0.25 });
  });

  // USD per token in LiteLLM's list at the recorded commit (read from the file itself), and what the table must
  // say per million tokens: the conversion is exact, not a float product (2.5e-06 × 1e6 = 2.4999999999999996).
  const SOURCE_SAMPLE: readonly [id: string, litellmKey: string, perToken: Record<string, number>][] = [
    ["gpt-4o", "gpt-4o", { input: 2.5e-6, output: 1e-5, cacheRead: 1.25e-6 }],
    ["gpt-4o-2024-05-13", "gpt-4o-2024-05-13", { input: 5e-6, output: 1.5e-5 }],
    ["gpt-4o-mini", "gpt-4o-mini", { input: 1.5e-7, output: 6e-7, cacheRead: 7.5e-8 }],
    [
      "gpt-4o-audio-preview",
      "gpt-4o-audio-preview",
      { input: 2.5e-6, output: 1e-5, audioInput: 4e-5, audioOutput: 8e-5 },
    ],
    ["gpt-audio-mini", "gpt-audio-mini", { input: 6e-7, output: 2.4e-6, audioInput: 1e-5, audioOutput: 2e-5 }],
    ["claude-opus-4-8", "claude-opus-4-8", { input: 5e-6, output: 2.5e-5, cacheRead: 5e-7, cacheWrite: 6.25e-6 }],
    ["claude-fable-5", "claude-fable-5", { input: 1e-5, output: 5e-5, cacheRead: 1e-6, cacheWrite: 1.25e-5 }],
    [
      "claude-sonnet-4",
      "claude-sonnet-4-20250514",
      { input: 3e-6, output: 1.5e-5, cacheRead: 3e-7, cacheWrite: 3.75e-6 },
    ],
    ["gemini-2.5-pro", "gemini/gemini-2.5-pro", { input: 1.25e-6, output: 1e-5, cacheRead: 1.25e-7 }],
    [
      "gemini-3.1-flash-lite",
      "gemini/gemini-3.1-flash-lite",
      { input: 2.5e-7, output: 1.5e-6, cacheRead: 2.5e-8, reasoning: 1.5e-6, audioInput: 5e-7 },
    ],
    [
      "gemini-3.5-flash",
      "gemini/gemini-3.5-flash",
      { input: 1.5e-6, output: 9e-6, cacheRead: 1.5e-7, reasoning: 9e-6, audioInput: 1e-6 },
    ],
    ["command-r", "command-r", { input: 1.5e-7, output: 6e-7 }],
    ["command-r7b-12-2024", "command-r7b-12-2024", { input: 3.75e-8, output: 1.5e-7 }],
    ["deepseek-chat", "deepseek-chat", { input: 2.8e-7, output: 4.2e-7, cacheRead: 2.8e-8 }],
    ["meta.llama3-3-70b-instruct-v1:0", "meta.llama3-3-70b-instruct-v1:0", { input: 7.2e-7, output: 7.2e-7 }],
    [
      "meta.llama4-maverick-17b-instruct-v1:0",
      "meta.llama4-maverick-17b-instruct-v1:0",
      { input: 2.4e-7, output: 9.7e-7 },
    ],
    ["mistral.mistral-large-2402-v1:0", "mistral.mistral-large-2402-v1:0", { input: 8e-6, output: 2.4e-5 }],
  ];

  it.each(SOURCE_SAMPLE)("%s: the source's USD per token × 1 000 000 (from %s)", (id, litellmKey, perToken) => {
    const price = entry(id);
    for (const [field, value] of Object.entries(perToken)) {
      // Decimal shift of the source's own digits: what the table must hold, exactly.
      expect(price[field as keyof ModelPrice], `${id}.${field}`).toBe(Number((value * 1e6).toPrecision(12)));
    }
    expect(specModels().models[id]!.litellm).toBe(litellmKey);
  });
});

describe("matching a model name to its price", () => {
  // [name a span carries, id it must be priced as (undefined: not priced)]
  const CASES: readonly [string, string | undefined][] = [
    // Exact ids and dated snapshots.
    ["gpt-4o", "gpt-4o"],
    ["GPT-4o", "gpt-4o"],
    ["gpt-4o-2024-08-06", "gpt-4o"],
    ["gpt-4o-mini-2024-07-18", "gpt-4o-mini"],
    ["o3-mini-2025-01-31", "o3-mini"],
    ["claude-3-5-sonnet-20241022", "claude-3-5-sonnet"],
    ["claude-3-5-sonnet-latest", "claude-3-5-sonnet"],
    ["claude-sonnet-4-20250514", "claude-sonnet-4"],
    ["claude-opus-4-1-20250805", "claude-opus-4-1"],
    ["claude-opus-4-20250514", "claude-opus-4"],
    ["mistral-large-latest", "mistral-large-latest"],
    ["grok-2-1212", "grok-2"],
    ["command-r-08-2024", "command-r"],
    // A variant with a price of its own is never priced as its base model.
    ["gpt-4o-audio-preview", "gpt-4o-audio-preview"],
    ["gpt-4o-audio-preview-2024-12-17", "gpt-4o-audio-preview"],
    ["gpt-4o-2024-05-13", "gpt-4o-2024-05-13"],
    ["gpt-4o-mini-search-preview-2025-03-11", "gpt-4o-mini-search-preview"],
    ["mistral-large-2411", "mistral-large-2411"],
    ["mistral-large-2402", "mistral-large-2402"],
    ["o1-pro-2025-03-19", "o1-pro"],
    // Unknown variants are not priced (rather than priced as something they are not).
    ["gpt-4o-realtime-preview", undefined],
    ["gpt-4o-transcribe", undefined],
    ["ft:gpt-4o-mini-2024-07-18:acme::abc123", undefined],
    ["gemini-1.5-pro", undefined],
    ["my-own-model", undefined],
    // Route and resource paths.
    ["openai/gpt-4o", "gpt-4o"],
    ["models/gemini-2.5-flash", "gemini-2.5-flash"],
    ["projects/p-1/locations/us-central1/publishers/google/models/gemini-2.5-pro", "gemini-2.5-pro"],
    ["publishers/google/models/gemini-2.0-flash-001", "gemini-2.0-flash"],
    // Vertex AI versions.
    ["claude-sonnet-4-5@20250929", "claude-sonnet-4-5"],
    ["publishers/anthropic/models/claude-opus-4-1@20250805", "claude-opus-4-1"],
    ["claude-3-5-haiku@20241022", "claude-3-5-haiku@20241022"],
    ["meta/llama-4-maverick-17b-128e-instruct-maas", "llama-4-maverick-17b-128e-instruct-maas"],
    ["mistral-small-2503@001", "mistral-small-2503@001"],
    // Bedrock ids, inference profiles and ARNs.
    ["anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3-5-sonnet"],
    ["anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet"],
    ["us.anthropic.claude-3-5-sonnet-20240620-v1:0", "claude-3-5-sonnet"],
    ["anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"],
    ["global.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"],
    ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"],
    ["eu.anthropic.claude-haiku-4-5-20251001-v1:0", "eu.anthropic.claude-haiku-4-5-20251001-v1:0"],
    ["apac.anthropic.claude-haiku-4-5-20251001-v1:0", "apac.anthropic.claude-haiku-4-5-20251001-v1:0"],
    ["anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0"],
    ["meta.llama3-3-70b-instruct-v1:0", "meta.llama3-3-70b-instruct-v1:0"],
    ["us.meta.llama3-3-70b-instruct-v1:0", "meta.llama3-3-70b-instruct-v1:0"],
    ["eu.meta.llama3-2-3b-instruct-v1:0", "eu.meta.llama3-2-3b-instruct-v1:0"],
    ["cohere.command-r-plus-v1:0", "cohere.command-r-plus-v1:0"],
    ["mistral.mistral-large-2402-v1:0", "mistral.mistral-large-2402-v1:0"],
    [
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    ],
    ["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0", "claude-3-7-sonnet"],
    ["us.deepseek.r1-v1:0", "us.deepseek.r1-v1:0"],
    ["deepseek.v3.2", "deepseek.v3.2"],
    ["eu.deepseek.v3.2", "eu.deepseek.v3.2"],
    // Names that keep their dots.
    ["gpt-4.1-2025-04-14", "gpt-4.1"],
    ["gemini-2.5-flash-lite-preview-06-17", "gemini-2.5-flash-lite-preview-06-17"],
    ["grok-4.3", "grok-4.3"],
  ];

  it.each(CASES)("%s → %s", (name, id) => {
    expect(findPrice(name)).toBe(id === undefined ? undefined : entry(id));
  });

  it("tries the forms of a name from the most to the least specific", () => {
    expect(candidateModelIds("bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0")).toEqual([
      "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
      "anthropic.claude-sonnet-4-5-20250929-v1:0",
      "claude-sonnet-4-5-20250929-v1:0",
      "claude-sonnet-4-5-20250929",
      "claude-sonnet-4-5",
    ]);
    expect(candidateModelIds("gpt-4.1")).toEqual(["gpt-4.1"]);
  });

  it("applies the same rules to a table of your own, keys matched ignoring case", () => {
    const mine: PriceTable = {
      version: "mine",
      models: { "My-Model": { input: 1, output: 1 }, "my-model-large": { input: 9, output: 9 } },
    };
    expect(findPrice("my-model-2025-01-01", mine)).toBe(mine.models["My-Model"]);
    expect(findPrice("MY-MODEL-LARGE", mine)).toBe(mine.models["my-model-large"]);
    // A longer name is not a dated variant: not priced as `my-model` (the old prefix match did).
    expect(findPrice("my-model-xl", mine)).toBeUndefined();
  });
});

describe("computing a cost", () => {
  it("prices usage with the cache breakdown", () => {
    const cost = computeCost(
      "model-a",
      { input: 1_000_000, output: 500_000, cacheRead: 200_000, cacheWrite: 100_000 },
      TABLE,
    )!;
    expect(cost.promptDetails).toEqual({ input: 0.7, cacheRead: 0.1, cacheWrite: 0.15 });
    expect(cost.prompt).toBeCloseTo(0.95, 12);
    expect(cost.completion).toBeCloseTo(1, 12);
    expect(cost.total).toBeCloseTo(1.95, 12);
    expect(computeCost("model-a", {}, TABLE)).toBeUndefined();
    expect(computeCost("nope", { input: 1 }, TABLE)).toBeUndefined();
  });

  it("prices reasoning and audio tokens at their own rates where published", () => {
    // gpt-4o-audio-preview: text 2.5 / 10, audio 40 / 80 per 1M.
    const audio = computeCost("gpt-4o-audio-preview", {
      input: 1_000_000,
      output: 1_000_000,
      audio: 250_000,
      audioOutput: 500_000,
    })!;
    expect(audio.promptDetails).toEqual({ input: 1.875, audio: 10 });
    expect(audio.completionDetails).toEqual({ output: 5, audio: 40 });
    // o3-mini has no reasoning price of its own: reasoning tokens are output tokens.
    const reasoning = computeCost("o3-mini", { input: 0, output: 1_000_000, reasoning: 600_000 })!;
    expect(reasoning.completionDetails).toEqual({ output: 1.76, reasoning: 2.64 });
    expect(reasoning.completion).toBeCloseTo(4.4, 12);
  });

  it("applies long-context prices to the whole call when the input exceeds the threshold", () => {
    // gemini-2.5-pro: 1.25 / 10 up to 200k input tokens, 2.5 / 15 above.
    expect(computeCost("gemini-2.5-pro", { input: 200_000, output: 1_000 })!.total).toBeCloseTo(0.25 + 0.01, 12);
    expect(computeCost("gemini-2.5-pro", { input: 200_001, output: 1_000 })!.total).toBeCloseTo(
      200_001 * 2.5e-6 + 0.015,
      12,
    );
    // A cache price the tier gives applies too; one it does not give is the model's own.
    const tiered = computeCost("gemini-2.5-pro", { input: 300_000, output: 0, cacheRead: 100_000 })!;
    expect(tiered.promptDetails).toEqual({ input: 0.5, cacheRead: 0.025 });
  });

  it("a span prices its usage at the end with the given table", () => {
    startActiveSpan(
      "LLM",
      "priced",
      (span) => {
        span.setModel("model-a");
        span.setUsage({ input: 2_000_000, output: 1_000_000 });
      },
      { prices: TABLE },
    );
    expect(t.span("priced").attributes).toMatchObject({
      "llm.cost.prompt": 2,
      "llm.cost.completion": 2,
      "llm.cost.total": 4,
      "llm.cost.prompt_details.input": 2,
      "llm.cost.completion_details.output": 2,
    });
    expectValid(t.spans());
  });

  it("a span with a Bedrock model id is priced by default", () => {
    traceLLM(() => "ok", {
      name: "bedrock",
      processOutput: (_out, span) =>
        void span.setModel("us.anthropic.claude-3-5-sonnet-20240620-v1:0").setUsage({ input: 1000, output: 100 }),
    })();
    expect(t.span("bedrock").attributes).toMatchObject({
      "llm.cost.prompt": 0.003,
      "llm.cost.completion": 0.0015,
      "llm.cost.total": 0.0045,
    });
  });

  it("a cost given by the caller always wins", () => {
    startActiveSpan(
      "LLM",
      "given",
      (span) => {
        span.setModel("model-a");
        span.setUsage({ input: 2_000_000, output: 1_000_000 });
        span.setCost({ total: 0.01 });
      },
      { prices: TABLE },
    );
    const a = t.span("given").attributes;
    expect(a["llm.cost.total"]).toBe(0.01);
    expect(a).not.toHaveProperty("llm.cost.prompt");
  });

  it("prices: false never prices; an unknown model is not priced", () => {
    startActiveSpan("LLM", "off", (span) => void span.setModel("model-a").setUsage({ input: 10, output: 10 }), {
      prices: false,
    });
    startActiveSpan("LLM", "unknown", (span) => void span.setModel("mystery").setUsage({ input: 10, output: 10 }));
    expect(Object.keys(t.span("off").attributes).some((k) => k.startsWith("llm.cost."))).toBe(false);
    expect(Object.keys(t.span("unknown").attributes).some((k) => k.startsWith("llm.cost."))).toBe(false);
  });
});

describe("an unpriced model is reported once through diag", () => {
  const messages = captureDiagWarnings();

  it("once per model name, naming the model and the table, however many spans", () => {
    for (let i = 0; i < 5; i++) {
      for (const model of ["gemini-1.5-pro", "my-finetune"])
        startActiveSpan("LLM", "call", (span) => void span.setModel(model).setUsage({ input: 10, output: 10 }));
    }
    startActiveSpan("LLM", "priced", (span) => void span.setModel("gpt-4o").setUsage({ input: 10, output: 10 }));
    const unpriced = messages.filter((m) => m.includes("has no price"));
    expect(unpriced).toHaveLength(2);
    expect(unpriced[0]).toContain('"gemini-1.5-pro"');
    expect(unpriced[0]).toContain("version 2026-07-18");
    expect(unpriced[1]).toContain('"my-finetune"');
  });

  it("stops after 100 different names, saying so once", () => {
    for (let i = 0; i < 150; i++)
      startActiveSpan("LLM", "call", (span) => void span.setModel(`model-${i}-x`).setUsage({ input: 1, output: 1 }));
    const unpriced = messages.filter((m) => m.includes("has no price"));
    expect(unpriced).toHaveLength(101);
    expect(unpriced[100]).toContain("more than 100 different ones");
  });
});

describe("the generator (spec/prices → src/generated/prices.ts)", () => {
  const dir = mkdtempSync(join(tmpdir(), "semtrace-prices-"));
  const run = (yaml: string) => {
    const spec = join(dir, "prices.yaml");
    writeFileSync(spec, yaml);
    return spawnSync(process.execPath, [GENERATOR, "--spec", spec, "--out", join(dir, "prices.ts")], {
      encoding: "utf8",
    });
  };
  const HEAD =
    'version: "2026-01-01"\ncurrency: USD\nunit: per_million_tokens\nsource: { name: n, repository: r, path: p, commit: "0000000000000000000000000000000000000000", url: u, date: "2026-01-01" }\nmodels:\n';

  it.each([
    [
      "a model without an output price",
      "  m: { input: 1, effective: 2026-01-01, litellm: m }\n",
      "prices.yaml:6:6: `m` needs at least input and output prices",
    ],
    [
      "a negative price",
      "  m: { input: -1, output: 1, effective: 2026-01-01, litellm: m }\n",
      "prices.yaml:6:15: expected a non-negative number for `m.input`",
    ],
    [
      "an unknown field",
      "  m: { input: 1, output: 1, cache_reed: 1, effective: 2026-01-01, litellm: m }\n",
      "prices.yaml:6:29: unknown field `cache_reed` for `m`: expected input, output",
    ],
    [
      "an impossible date",
      "  m: { input: 1, output: 1, effective: 2026-02-30, litellm: m }\n",
      "prices.yaml:6:40: expected `m.effective`: the date the price applies from (YYYY-MM-DD)",
    ],
    [
      "a model id in upper case",
      "  M: { input: 1, output: 1, effective: 2026-01-01, litellm: m }\n",
      "prices.yaml:6:3: model ids are matched ignoring case",
    ],
    [
      "a tier without its threshold",
      "  m: { input: 1, output: 1, above: { input: 2, output: 2 }, effective: 2026-01-01, litellm: m }\n",
      "prices.yaml:6:36: expected `m.above.tokens`: a positive integer",
    ],
    [
      "a duplicate model",
      "  m: { input: 1, output: 1, effective: 2026-01-01, litellm: m }\n  m: { input: 2, output: 2, effective: 2026-01-01, litellm: m }\n",
      "prices.yaml:7:3: Map keys must be unique",
    ],
  ])("rejects %s with the place and what was expected, writing nothing", (_what, models, message) => {
    const result = run(HEAD + models);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("nothing was written");
  });

  it("writes a table that is valid TypeScript data", () => {
    const result = run(
      `${HEAD}  m: { input: 1.5, output: 3, above: { tokens: 1000, input: 3, output: 6 }, effective: 2026-01-01, litellm: m }\n`,
    );
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(dir, "prices.ts"), "utf8")).toContain(
      '"m": { input: 1.5, output: 3, above: { tokens: 1000, input: 3, output: 6 }, effective: "2026-01-01" },',
    );
  });
});
