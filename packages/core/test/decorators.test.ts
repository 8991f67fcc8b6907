import { SpanStatusCode } from "@opentelemetry/api";
import { beforeEach, expect, it } from "vitest";
import { RESULT_ATTRIBUTES, traced } from "../src/index.js";
import { expectValid, parentOf, setupTracing } from "./support/otel.js";

const t = setupTracing();
beforeEach(() => t.reset());

class Agent {
  constructor(private readonly prefix: string) {}

  @traced("TOOL")
  search(q: string): string {
    return `${this.prefix}:${q}`;
  }

  @traced("agent", { name: "run-agent" })
  async run(q: string): Promise<string> {
    return this.search(q);
  }

  @traced("LLM")
  fail(): never {
    throw new Error("nope");
  }

  @traced("CHAIN")
  static helper(x: number): number {
    return x + 1;
  }
}

it("TC39 method decorators trace methods, keep `this` and nest", async () => {
  const a = new Agent("p");
  await expect(a.run("x")).resolves.toBe("p:x");
  const run = t.span("run-agent");
  const search = t.span("Agent.search");
  expect(run.attributes["openinference.span.kind"]).toBe("AGENT");
  expect(search.attributes).toMatchObject({
    "openinference.span.kind": "TOOL",
    "input.value": "x",
    "output.value": "p:x",
  });
  expect(parentOf(search)).toBe(run.spanContext().spanId);
  expect(Agent.helper(1)).toBe(2);
  expect(t.span("Agent.helper").attributes["openinference.span.kind"]).toBe("CHAIN");
  expect(() => a.fail()).toThrow("nope");
  expect(t.span("Agent.fail").status.code).toBe(SpanStatusCode.ERROR);
  expectValid(t.spans());
});

it("a decorated method returning a thenable that is not a Promise (a query builder) leaves it alone", async () => {
  let runs = 0;
  const query = {
    where: () => query,
    then(onOk?: (rows: string[]) => unknown) {
      runs++;
      return Promise.resolve(["row"]).then(onOk);
    },
  };
  class Repository {
    @traced("RETRIEVER")
    users() {
      return query;
    }
  }
  const got = new Repository().users();
  expect(got).toBe(query);
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(runs).toBe(0);
  expect(t.span("Repository.users").attributes[RESULT_ATTRIBUTES.AWAITED]).toBe(false);
  expect(await got.where()).toEqual(["row"]);
  expect(runs).toBe(1);
});
