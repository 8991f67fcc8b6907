/**
 * @semtrace/genai against the gen_ai exports of @opentelemetry/semantic-conventions 1.44.0 (`/incubating`): every
 * `ATTR_GEN_AI_*`, `GEN_AI_*_VALUE_*`, `METRIC_GEN_AI_*` and `EVENT_GEN_AI_*` upstream has is exported here under the
 * same name with the same value, and the README's comparison table states the counts this test computes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as upstream from "@opentelemetry/semantic-conventions/incubating";
import { describe, expect, it } from "vitest";
import * as genai from "../src/index.js";

const KINDS = [
  { label: "`ATTR_GEN_AI_*`", pattern: /^ATTR_GEN_AI_/ },
  { label: "`GEN_AI_*_VALUE_*`", pattern: /^GEN_AI_.*_VALUE_/ },
  { label: "`METRIC_GEN_AI_*`", pattern: /^METRIC_GEN_AI_/ },
  { label: "`EVENT_GEN_AI_*`", pattern: /^EVENT_GEN_AI_/ },
] as const;

const theirs = upstream as Record<string, unknown>;
const ours = genai as Record<string, unknown>;
const upstreamNames = Object.keys(theirs).filter((name) => KINDS.some((k) => k.pattern.test(name)));

describe("@opentelemetry/semantic-conventions 1.44.0 (incubating) gen_ai exports", () => {
  it("are many, of every kind (the filters find them)", () => {
    for (const { pattern } of KINDS) expect(upstreamNames.filter((n) => pattern.test(n)).length).toBeGreaterThan(5);
  });

  it.each(upstreamNames)("%s: same name, same value", (name) => {
    expect(ours[name], `${name} is missing from @semtrace/genai`).toBe(theirs[name]);
  });

  it("are what the README's comparison table says, kind by kind", () => {
    const readme = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "../README.md"), "utf8");
    const table = /<!-- otel-compat:start -->\n([\s\S]*?)\n<!-- otel-compat:end -->/.exec(readme)?.[1];
    expect(table, "README.md lacks the otel-compat table").toBeDefined();
    const rows = new Map(
      table!
        .split("\n")
        .slice(2)
        .map((line) => line.split("|").map((cell) => cell.trim()))
        .map((cells) => [cells[1]!, cells.slice(2, 5).map(Number)] as const),
    );
    for (const { label, pattern } of KINDS) {
      const inUpstream = Object.keys(theirs).filter((n) => pattern.test(n));
      const same = inUpstream.filter((n) => ours[n] === theirs[n]);
      const onlyHere = Object.keys(ours).filter((n) => pattern.test(n) && !(n in theirs));
      expect(rows.get(label), label).toEqual([inUpstream.length, same.length, onlyHere.length]);
    }
    expect([...rows.keys()]).toEqual(KINDS.map((k) => k.label));
  });

  it("token usage and its attribute are kept, deprecated, as the README says", () => {
    const metrics = readFileSync(
      path.join(path.dirname(fileURLToPath(import.meta.url)), "../src/generated/metrics.ts"),
      "utf8",
    );
    expect(metrics).toMatch(
      /@deprecated Removed by the GenAI conventions[\s\S]*?export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = "gen_ai.client.token.usage";/,
    );
    expect(ours["ATTR_GEN_AI_TOKEN_TYPE"]).toBe("gen_ai.token.type");
  });
});
