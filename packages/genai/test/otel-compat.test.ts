/**
 * @semtrace/genai against the gen_ai exports of @opentelemetry/semantic-conventions 1.44.0 (`/incubating`): every
 * `ATTR_GEN_AI_*` and `GEN_AI_*_VALUE_*` upstream has is exported here under the same name with the same value,
 * except what spec/genai leaves out on purpose (each with its reason in spec/README.md, GenAI decisions).
 */
import * as upstream from "@opentelemetry/semantic-conventions/incubating";
import { describe, expect, it } from "vitest";
import * as genai from "../src/index.js";

const GEN_AI_EXPORT = /^(ATTR_GEN_AI_|GEN_AI_.*_VALUE_)/;

/** Upstream exports left out, and why. */
const LEFT_OUT: Readonly<Record<string, string>> = {
  ATTR_GEN_AI_TOKEN_TYPE: "gen_ai.token.type was removed by the GenAI conventions (per-direction token metrics replace it)",
  GEN_AI_TOKEN_TYPE_VALUE_INPUT: "a value of the removed gen_ai.token.type",
  GEN_AI_TOKEN_TYPE_VALUE_OUTPUT: "a value of the removed gen_ai.token.type",
  GEN_AI_TOKEN_TYPE_VALUE_COMPLETION: "a value of the removed gen_ai.token.type",
};

const upstreamNames = Object.keys(upstream).filter((name) => GEN_AI_EXPORT.test(name));
const ours = genai as Record<string, unknown>;

describe("@opentelemetry/semantic-conventions 1.44.0 (incubating) gen_ai exports", () => {
  it("are many (the filter finds them)", () => {
    expect(upstreamNames.length).toBeGreaterThan(100);
  });

  it.each(upstreamNames.filter((name) => !(name in LEFT_OUT)))("%s: same name, same value", (name) => {
    expect(ours[name], `${name} is missing from @semtrace/genai`).toBe((upstream as Record<string, unknown>)[name]);
  });

  it("the ones left out are exactly the documented ones", () => {
    expect(upstreamNames.filter((name) => !(name in ours)).sort()).toEqual(Object.keys(LEFT_OUT).sort());
    for (const name of Object.keys(LEFT_OUT)) expect(upstreamNames, `${name} is no longer upstream: drop it from LEFT_OUT`).toContain(name);
  });
});
