#!/usr/bin/env node
/**
 * spec/prices/default.yaml → src/generated/prices.ts (the default price table, as typed data).
 *   node scripts/generate-prices.mjs [--check] [--spec <file.yaml>] [--out <file.ts>]
 * --check writes nothing and exits 1 when the committed file is stale. Bad YAML or a malformed
 * table fails with file:line:col and what was expected; nothing is written then. --spec and --out
 * (default: spec/prices/default.yaml, src/generated/prices.ts) let tests run it on other files.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { LineCounter, isMap, isScalar, parseDocument } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, "..");
const { values: args } = parseArgs({
  options: { check: { type: "boolean" }, spec: { type: "string" }, out: { type: "string" } },
});
const spec = args.spec ? resolve(args.spec) : join(pkg, "../../spec/prices/default.yaml");
const out = args.out ? resolve(args.out) : join(pkg, "src/generated/prices.ts");
const check = args.check === true;
const specName = relative(process.cwd(), spec) || spec;

/** YAML field → PriceTable field, for a model's prices and for its `above` (long-context) tier. */
const PRICE_FIELDS = {
  input: "input",
  output: "output",
  cache_read: "cacheRead",
  cache_write: "cacheWrite",
  reasoning: "reasoning",
  audio_input: "audioInput",
  audio_output: "audioOutput",
};
const TIER_FIELDS = { input: "input", output: "output", cache_read: "cacheRead", cache_write: "cacheWrite" };
const SOURCE_FIELDS = ["name", "repository", "path", "commit", "url", "date"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const lines = new LineCounter();
const doc = parseDocument(readFileSync(spec, "utf8"), { lineCounter: lines });
/** @type {string[]} */
const problems = [];
/** @typedef {import("yaml").YAMLMap} YamlMap */
/** @param {unknown} node a YAML node, or anything with its `range` */
const at = (node) => {
  const p = lines.linePos(
    /** @type {{ range?: readonly number[] | null } | null | undefined} */ (node)?.range?.[0] ?? 0,
  );
  return `${specName}:${p.line}:${p.col}`;
};
for (const e of doc.errors) problems.push(`${at({ range: e.pos })}: ${e.message.split("\n")[0]}`);
const root = doc.contents;
/** @type {(map: YamlMap, key: string) => unknown} */
const get = (map, key) => map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value;
/** @param {import("yaml").Pair} pair */
const keyOf = (pair) => (isScalar(pair.key) ? pair.key.value : undefined);
/** @type {(v: unknown) => v is string} */
const isDate = (v) =>
  typeof v === "string" &&
  DATE.test(v) &&
  !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
  new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** @type {(map: YamlMap, key: string, what: string) => string | undefined} */
function readString(map, key, what) {
  const node = get(map, key);
  if (!isScalar(node) || typeof node.value !== "string" || node.value === "") {
    problems.push(`${at(node ?? map)}: expected \`${key}\`: ${what}`);
    return undefined;
  }
  return node.value;
}

/** Reads the prices of a mapping (a model, or its `above` tier) into `into`; returns false when a field is wrong. */
/** @type {(map: YamlMap, fields: Record<string, string>, name: string, into: Record<string, number>) => void} */
function readPrices(map, fields, name, into) {
  for (const f of map.items) {
    const key = String(keyOf(f));
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (!field) continue;
    if (
      !isScalar(f.value) ||
      typeof f.value.value !== "number" ||
      !Number.isFinite(f.value.value) ||
      f.value.value < 0
    ) {
      problems.push(`${at(f.value)}: expected a non-negative number for \`${name}.${key}\``);
      continue;
    }
    into[field] = f.value.value;
  }
  if (into.input === undefined || into.output === undefined)
    problems.push(`${at(map)}: \`${name}\` needs at least input and output prices`);
}

/** @type {string | undefined} */
let version;
/** @type {string | undefined} */
let currency;
/** @type {Record<string, string | undefined> | undefined} */
let source;
/** @type {[string, Entry][]} */
const models = [];
/** @typedef {Record<string, number>} Prices */
/** @typedef {Prices & { above?: Prices; effective?: string }} Entry */
if (problems.length === 0) {
  if (!isMap(root)) problems.push(`${at(root)}: expected a mapping with version, currency, unit, source and models`);
  else {
    version = readString(root, "version", "the date of the prices (YYYY-MM-DD)");
    currency = readString(root, "currency", "a currency code such as USD");
    const unit = get(root, "unit");
    if (!isScalar(unit) || unit.value !== "per_million_tokens")
      problems.push(`${at(unit ?? root)}: expected \`unit: per_million_tokens\``);
    const src = get(root, "source");
    if (!isMap(src))
      problems.push(`${at(src ?? root)}: expected \`source\`: a mapping with ${SOURCE_FIELDS.join(", ")}`);
    else {
      source = {};
      for (const field of SOURCE_FIELDS)
        source[field] = readString(
          src,
          field,
          field === "date" ? "the date of the source list (YYYY-MM-DD)" : "a string",
        );
      if (source.date !== undefined && !isDate(source.date))
        problems.push(`${at(get(src, "date"))}: expected \`source.date\` as YYYY-MM-DD, found \`${source.date}\``);
      if (source.commit !== undefined && !/^[0-9a-f]{40}$/.test(source.commit))
        problems.push(`${at(get(src, "commit"))}: expected \`source.commit\`: a 40-hex-digit commit`);
    }
    const m = get(root, "models");
    if (!isMap(m)) problems.push(`${at(m ?? root)}: expected \`models\`: a mapping of model id → prices`);
    else
      for (const pair of m.items) {
        const name = String(keyOf(pair));
        if (name !== name.toLowerCase() || name.trim() !== name || name === "")
          problems.push(
            `${at(pair.key)}: model ids are matched ignoring case, so they are written in lower case without spaces: \`${name}\``,
          );
        if (!isMap(pair.value)) {
          problems.push(
            `${at(pair.value ?? pair.key)}: expected the prices of \`${name}\` as a mapping (${Object.keys(PRICE_FIELDS).join(", ")}, above, effective, litellm)`,
          );
          continue;
        }
        /** @type {Entry} */
        const entry = {};
        for (const f of pair.value.items) {
          const key = keyOf(f);
          if (!Object.hasOwn(PRICE_FIELDS, String(key)) && key !== "above" && key !== "effective" && key !== "litellm")
            problems.push(
              `${at(f.key)}: unknown field \`${key}\` for \`${name}\`: expected ${Object.keys(PRICE_FIELDS).join(", ")}, above, effective or litellm`,
            );
        }
        readPrices(pair.value, PRICE_FIELDS, name, entry);
        const above = get(pair.value, "above");
        if (above !== undefined) {
          if (!isMap(above))
            problems.push(
              `${at(above)}: expected \`${name}.above\`: { tokens, input, output, cache_read?, cache_write? }`,
            );
          else {
            /** @type {Prices} */
            const tier = {};
            const tokens = get(above, "tokens");
            if (
              !isScalar(tokens) ||
              typeof tokens.value !== "number" ||
              !Number.isInteger(tokens.value) ||
              tokens.value <= 0
            )
              problems.push(
                `${at(tokens ?? above)}: expected \`${name}.above.tokens\`: a positive integer (the input size above which these prices apply)`,
              );
            else tier.tokens = tokens.value;
            for (const f of above.items)
              if (!Object.hasOwn(TIER_FIELDS, String(keyOf(f))) && keyOf(f) !== "tokens")
                problems.push(
                  `${at(f.key)}: unknown field \`${keyOf(f)}\` in \`${name}.above\`: expected tokens, ${Object.keys(TIER_FIELDS).join(", ")}`,
                );
            readPrices(above, TIER_FIELDS, `${name}.above`, tier);
            entry.above = tier;
          }
        }
        const effective = get(pair.value, "effective");
        if (!isScalar(effective) || !isDate(effective.value))
          problems.push(
            `${at(effective ?? pair.value)}: expected \`${name}.effective\`: the date the price applies from (YYYY-MM-DD)`,
          );
        else entry.effective = effective.value;
        const litellm = get(pair.value, "litellm");
        if (!isScalar(litellm) || typeof litellm.value !== "string" || litellm.value === "")
          problems.push(
            `${at(litellm ?? pair.value)}: expected \`${name}.litellm\`: the key of the source list's entry the prices were taken from`,
          );
        models.push([name, entry]);
      }
  }
}
if (problems.length > 0) {
  process.stderr.write(`${problems.join("\n")}\n${problems.length} problem(s); nothing was written.\n`);
  process.exit(1);
}

const ORDER = ["input", "output", "cacheRead", "cacheWrite", "reasoning", "audioInput", "audioOutput"];
/** @param {Prices} p */
const printPrices = (p) => ORDER.filter((k) => p[k] !== undefined).map((k) => `${k}: ${p[k]}`);
/** @param {Entry} e */
const printEntry = (e) => {
  const parts = printPrices(e);
  if (e.above) parts.push(`above: { tokens: ${e.above.tokens}, ${printPrices(e.above).join(", ")} }`);
  parts.push(`effective: ${JSON.stringify(e.effective)}`);
  return `{ ${parts.join(", ")} }`;
};

const text = [
  "// DO NOT EDIT. Generated by @semtrace/core scripts/generate-prices.mjs from spec/prices/default.yaml.",
  "// Regenerate with: npm run generate -w @semtrace/core",
  "",
  'import type { PriceTable } from "../cost.js";',
  "",
  `/** The default price table (spec/prices/default.yaml): USD per 1 million tokens of ${models.length} models, from ${source?.name} as of ${source?.date}. */`,
  "export const DEFAULT_PRICES: PriceTable = {",
  `  version: ${JSON.stringify(version)},`,
  `  currency: ${JSON.stringify(currency)},`,
  `  source: { url: ${JSON.stringify(source?.url)}, commit: ${JSON.stringify(source?.commit)}, date: ${JSON.stringify(source?.date)} },`,
  "  models: {",
  ...models.map(([name, e]) => `    ${JSON.stringify(name)}: ${printEntry(e)},`),
  "  },",
  "};",
  "",
].join("\n");

let current;
try {
  current = readFileSync(out, "utf8");
} catch {}
if (check) {
  if (current !== text) {
    process.stderr.write(`${relative(process.cwd(), out)} is stale. Fix: npm run generate -w @semtrace/core\n`);
    process.exit(1);
  }
  process.stdout.write(`${relative(process.cwd(), out)} is up to date.\n`);
} else if (current !== text) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, text);
  renameSync(`${out}.tmp`, out);
  process.stdout.write(`wrote ${relative(process.cwd(), out)} (${models.length} models, version ${version})\n`);
} else process.stdout.write(`${relative(process.cwd(), out)} unchanged.\n`);
