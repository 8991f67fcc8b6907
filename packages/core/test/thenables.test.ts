/**
 * What a traced function returns is the caller's: semtrace observes real promises (`instanceof Promise`,
 * subclasses such as an SDK's API promise included) and never calls `then` on any other thenable — a query
 * builder runs its statement when `then`-ed (real Mongoose 8, a Knex-style builder). A value whose `then`
 * cannot even be read comes back intact, and its span still ends.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SpanStatusCode, diag, DiagLogLevel } from "@opentelemetry/api";
import mongoose from "mongoose";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  RESULT_ATTRIBUTES,
  startActiveSpan,
  traceChain,
  traceLLM,
  traceRetriever,
  traceTool,
  withSpan,
} from "../src/index.js";
import { resetSwallowed } from "../src/swallowed.js";
import { setupTracing } from "./support/otel.js";

const t = setupTracing();
beforeEach(() => {
  t.reset();
  resetSwallowed();
});
afterEach(() => {
  vi.restoreAllMocks();
  diag.disable();
});

/** Lets every pending promise job run (a thenable semtrace `then`-ed would have run by now). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("Mongoose 8 queries (real Mongoose, no server: bufferCommands off, so executing fails at once)", () => {
  // Never connected: no MongoDB server exists here. With bufferCommands off, running a query fails at once with
  // Mongoose's own "before initial connection" error — and running it twice fails with "Query was already executed".
  const connection = mongoose.createConnection();
  const User = connection.model("User", new mongoose.Schema({ name: String }, { bufferCommands: false }));
  afterAll(() => connection.close());

  it("a returned query is never executed by semtrace; awaiting it yourself runs it exactly once", async () => {
    const exec = vi.spyOn(mongoose.Query.prototype, "exec");
    let made: unknown;
    const findUser = traceTool(function findUser(name: string) {
      made = User.findOne({ name });
      return made as ReturnType<typeof User.findOne>;
    });
    const query = findUser("ada");
    expect(query).toBe(made);
    expect(query).toBeInstanceOf(mongoose.Query);
    await settle();
    expect(exec).not.toHaveBeenCalled();

    // The span ended at return, saying the result was not awaited; no output was serialised from the query.
    const span = t.span("findUser");
    expect(span.attributes[RESULT_ATTRIBUTES.AWAITED]).toBe(false);
    expect(span.attributes["output.value"]).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);

    // The caller's query still chains and runs once: Mongoose's connection error, not "Query was already executed".
    expect(query.getFilter()).toEqual({ name: "ada" });
    await expect(query.select("name")).rejects.toThrow(/before initial connection is complete/);
    expect(exec).toHaveBeenCalledTimes(1);
  });

  it("a query that is never awaited is never executed", async () => {
    const exec = vi.spyOn(mongoose.Query.prototype, "exec");
    const q = startActiveSpan("RETRIEVER", "lookup", () => User.find({ name: "grace" }));
    const w = withSpan("CHAIN", () => User.countDocuments(), { name: "count" })();
    await settle();
    expect(exec).not.toHaveBeenCalled();
    expect(q).toBeInstanceOf(mongoose.Query);
    expect(w).toBeInstanceOf(mongoose.Query);
    expect(t.spans().map((s) => [s.name, s.attributes[RESULT_ATTRIBUTES.AWAITED]])).toEqual([
      ["lookup", false],
      ["count", false],
    ]);
  });

  it("an async function that awaits its query is a real promise: observed, the query runs once, its error is recorded", async () => {
    const exec = vi.spyOn(mongoose.Query.prototype, "exec");
    const findUser = traceTool(async function findUserAsync(name: string) {
      return await User.findOne({ name });
    });
    await expect(findUser("ada")).rejects.toThrow(/before initial connection is complete/);
    expect(exec).toHaveBeenCalledTimes(1);
    const span = t.span("findUserAsync");
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[RESULT_ATTRIBUTES.AWAITED]).toBeUndefined();
  });
});

/** A Knex/Drizzle-style query builder: chainable, private state, and `then` runs its statement. */
class QueryBuilder implements PromiseLike<string[]> {
  static executions: string[] = [];
  readonly #table: string;
  readonly #clauses: string[] = [];

  constructor(table: string) {
    this.#table = table;
  }

  where(clause: string): this {
    this.#clauses.push(clause);
    return this;
  }

  toSQL(): string {
    return `select * from ${this.#table}${this.#clauses.length > 0 ? ` where ${this.#clauses.join(" and ")}` : ""}`;
  }

  then<A = string[], B = never>(
    onOk?: ((rows: string[]) => A | PromiseLike<A>) | null,
    onErr?: ((e: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    const sql = this.toSQL();
    QueryBuilder.executions.push(sql);
    return Promise.resolve([`row of ${sql}`]).then(onOk, onErr);
  }
}

describe("a Knex-style query builder whose `then` runs its statement", () => {
  beforeEach(() => {
    QueryBuilder.executions = [];
  });

  it("is returned untouched and runs zero times when never awaited", async () => {
    let built: QueryBuilder | undefined;
    const users = traceRetriever(function users() {
      built = new QueryBuilder("users");
      return built;
    });
    const builder = users();
    expect(builder).toBe(built);
    await settle();
    expect(QueryBuilder.executions).toEqual([]);
    expect(t.span("users").attributes[RESULT_ATTRIBUTES.AWAITED]).toBe(false);
  });

  it("runs exactly once when the caller awaits it, and keeps its methods and private state", async () => {
    const users = traceRetriever(() => new QueryBuilder("users"), { name: "users" });
    const rows = await users().where("age > 30").where("active");
    expect(rows).toEqual(["row of select * from users where age > 30 and active"]);
    expect(QueryBuilder.executions).toEqual(["select * from users where age > 30 and active"]);
  });

  it("every way of starting a span leaves it alone (withSpan, startActiveSpan, each kind's wrapper)", async () => {
    const made = [
      withSpan("CHAIN", () => new QueryBuilder("a"))(),
      startActiveSpan("TOOL", "b", () => new QueryBuilder("b")),
      traceLLM(() => new QueryBuilder("c"))(),
      traceChain(() => new QueryBuilder("d"))(),
    ];
    await settle();
    expect(QueryBuilder.executions).toEqual([]);
    expect(t.spans()).toHaveLength(4);
    for (const span of t.spans()) expect(span.attributes[RESULT_ATTRIBUTES.AWAITED]).toBe(false);
    await Promise.all(made);
    expect(QueryBuilder.executions).toHaveLength(4);
  });

  it("a builder an async iterator hands out as its next result is not `then`-ed either", async () => {
    const iterator = {
      [Symbol.asyncIterator]() {
        return this;
      },
      next: () => new QueryBuilder("chunks") as unknown as Promise<IteratorResult<string>>,
    };
    const stream = traceChain(() => iterator, { name: "iterating", streamTimeoutMs: 20 })();
    const handedOut = stream.next();
    expect(handedOut).toBeInstanceOf(QueryBuilder);
    await settle();
    expect(QueryBuilder.executions).toEqual([]);
  });
});

describe("real promises, subclasses included, are observed", () => {
  /** An SDK-style API promise: a Promise subclass whose `then` parses the response lazily, once. */
  class ApiPromise<T> extends Promise<T> {
    static parses = 0;
    #parsed: Promise<T> | undefined;
    #response: Promise<T>;
    constructor(response: Promise<T>) {
      super((resolve) => resolve(undefined as T));
      this.#response = response;
    }
    static override get [Symbol.species]() {
      return Promise;
    }
    #parse(): Promise<T> {
      if (this.#parsed === undefined) {
        ApiPromise.parses++;
        this.#parsed = this.#response;
      }
      return this.#parsed;
    }
    override then<A = T, B = never>(
      onOk?: ((v: T) => A | PromiseLike<A>) | null,
      onErr?: ((e: unknown) => B | PromiseLike<B>) | null,
    ): Promise<A | B> {
      return this.#parse().then(onOk, onErr);
    }
    withResponse(): Promise<{ data: T; status: number }> {
      return this.#parse().then((data) => ({ data, status: 200 }));
    }
  }

  beforeEach(() => {
    ApiPromise.parses = 0;
  });

  it("a Promise subclass comes back as the same object (extra methods kept), observed: output and end at resolution", async () => {
    let made: ApiPromise<number> | undefined;
    const call = traceLLM(function api(x: number) {
      made = new ApiPromise(Promise.resolve(x * 2));
      return made;
    });
    const p = call(21);
    expect(p).toBe(made);
    await expect(p.withResponse()).resolves.toEqual({ data: 42, status: 200 });
    expect(await p).toBe(42);
    expect(ApiPromise.parses).toBe(1);
    expect(t.span("api").attributes["output.value"]).toBe("42");
    expect(t.span("api").status.code).toBe(SpanStatusCode.OK);
  });

  it("a rejecting Promise subclass records the error and the caller still sees the rejection", async () => {
    const err = new Error("api down");
    const call = traceLLM(() => new ApiPromise<never>(Promise.reject(err)), { name: "api-fail" });
    await expect(call()).rejects.toBe(err);
    await settle();
    expect(t.span("api-fail").status.code).toBe(SpanStatusCode.ERROR);
  });

  it("a plain PromiseLike that is not a Promise is returned untouched and never `then`-ed", async () => {
    let thens = 0;
    const like: PromiseLike<number> = {
      then(onOk, onErr) {
        thens++;
        return Promise.resolve(1).then(onOk, onErr);
      },
    };
    const got = traceLLM(() => like, { name: "like" })();
    expect(got).toBe(like);
    await settle();
    expect(thens).toBe(0);
    expect(t.span("like").attributes[RESULT_ATTRIBUTES.AWAITED]).toBe(false);
    expect(await got).toBe(1);
    expect(thens).toBe(1);
  });
});

describe("the real OpenAI SDK: its APIPromise (a Promise subclass) against a local server", () => {
  let server: Server;
  let requests = 0;
  let client: OpenAI;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json", "x-request-id": "req-1" });
        res.end(
          JSON.stringify({
            id: "chatcmpl-1",
            object: "chat.completion",
            created: 1,
            model: "gpt-4o-mini",
            choices: [{ index: 0, message: { role: "assistant", content: "Paris" }, finish_reason: "stop" }],
            usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    client = new OpenAI({ apiKey: "test", baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests = 0;
  });

  it("the caller gets the APIPromise itself (withResponse works), one request is made, the span records the completion", async () => {
    const chat = traceLLM(
      (question: string) =>
        client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: question }] }),
      { name: "chat" },
    );
    const p = chat("Capital of France?");
    expect(typeof p.withResponse).toBe("function");
    const { data, response, request_id } = await p.withResponse();
    expect(data.choices[0]!.message.content).toBe("Paris");
    expect(response.status).toBe(200);
    expect(request_id).toBe("req-1");
    expect((await p).id).toBe("chatcmpl-1");
    expect(requests).toBe(1);
    const span = t.span("chat");
    expect(String(span.attributes["output.value"])).toContain("Paris");
    expect(span.status.code).toBe(SpanStatusCode.OK);
  });
});

describe("a returned value whose `then` cannot be read comes back intact, and its span ends", () => {
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const cases: [string, () => object][] = [
    [
      "a proxy whose get trap throws",
      () =>
        new Proxy(
          { a: 1 },
          {
            get() {
              throw new Error("get trap");
            },
          },
        ),
    ],
    [
      "a proxy whose every trap throws",
      () =>
        new Proxy(
          {},
          Object.fromEntries(
            ["get", "has", "ownKeys", "getPrototypeOf", "getOwnPropertyDescriptor"].map((trap) => [
              trap,
              () => {
                throw new Error(trap);
              },
            ]),
          ),
        ),
    ],
    ["a revoked proxy", () => revocable.proxy],
    [
      "an object whose `then` getter throws",
      () =>
        Object.defineProperty({}, "then", {
          get() {
            throw new Error("then getter");
          },
          enumerable: true,
        }),
    ],
  ];

  it.each(cases)("%s (wrapper and startActiveSpan)", (_label, make) => {
    const value = make();
    expect(traceTool(() => value, { name: "w" })()).toBe(value);
    expect(startActiveSpan("CHAIN", "s", () => value)).toBe(value);
    expect(t.spans().map((s) => s.name)).toEqual(["w", "s"]);
    expect(t.span("w").status.code).toBe(SpanStatusCode.OK);
  });

  it("what was swallowed is reported through diag, once per cause", () => {
    const messages: string[] = [];
    const record = (m: string) => void messages.push(m);
    diag.setLogger(
      { error: record, warn: record, info: record, debug: record, verbose: record },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    const value = Object.defineProperty({}, "then", {
      get() {
        throw new Error("then getter");
      },
    });
    for (let i = 0; i < 3; i++) traceTool(() => value, { name: "r" })();
    const ours = messages.filter((m) => m.includes("@semtrace/core"));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/then/);
    expect(ours[0]).toContain("then getter");
    expect(t.spans()).toHaveLength(3);
  });
});
