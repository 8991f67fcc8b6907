import { context, trace } from "@opentelemetry/api";
import { loadFixture } from "@semtrace/real-spans";
import { genaiRegistry } from "@semtrace/genai";
import { openinferenceRegistry } from "@semtrace/openinference";
import { describe, expect, it } from "vitest";
import { collectSpans, semtraceMatchers, spanProblems, toBeValidSpan } from "../src/index.js";
import "../src/vitest.js";

const fixture = loadFixture();
const realSpans = Object.values(fixture.scenarios).flatMap((s) => s.spans);

const badLlm = { name: "bad", attributes: { "openinference.span.kind": "LLM", "llm.token_count.prompt": "twelve" } };

describe("toBeValidSpan", () => {
  it("passes on every real span from the OpenAI instrumentation", () => {
    expect(realSpans.length).toBeGreaterThan(0);
    for (const span of realSpans) expect(span).toBeValidSpan();
    expect(realSpans.find((s) => s.name === "OpenAI Embeddings")).toBeValidSpan({ kind: "EMBEDDING" });
  });

  it("fails with the findings in the message; .not inverts", () => {
    expect(() => expect(badLlm).toBeValidSpan()).toThrowError(
      /expected span "bad" to be a valid span, found 1 problem\(s\):\n {2}error value\.type llm\.token_count\.prompt/,
    );
    expect(badLlm).not.toBeValidSpan();
    expect(() => expect(realSpans[0]).not.toBeValidSpan()).toThrowError(/not to be a valid span/);
  });

  it("checks the expected kind, and failOn lowers the bar", () => {
    const llm = realSpans.find((s) => s.attributes["openinference.span.kind"] === "LLM")!;
    expect(() => expect(llm).toBeValidSpan({ kind: "CHAIN" })).toThrowError(/span-kind\.mismatch/);
    expect(llm).not.toBeValidSpan({ failOn: "info" }); // llm.provider is recommended
    expect({ "openinference.span.kind": "CHAIN" }).toBeValidSpan(); // a bare attribute record
  });

  it("works without a matcher context (Jest-style extend) and rejects non-objects", () => {
    expect(toBeValidSpan(badLlm).pass).toBe(false);
    expect(toBeValidSpan(42).message()).toContain("expected a span");
    expect(spanProblems(badLlm).map((f) => f.rule)).toEqual(["value.type"]);
    expect(Object.keys(semtraceMatchers)).toEqual(["toBeValidSpan", "toAllBeValidSpans", "toHaveAttributes"]);
  });
});

describe("other registries", () => {
  const chat = {
    name: "chat gpt-4o",
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.usage.output_tokens": 3,
    },
  };

  it("validates OpenTelemetry GenAI spans with registries: [genaiRegistry]", () => {
    expect(chat).toBeValidSpan({ registries: [genaiRegistry], kind: "chat" });
    const typo = { ...chat, attributes: { ...chat.attributes, "gen_ai.request.modle": "gpt-4o" } };
    expect(() => expect(typo).toBeValidSpan({ registries: [genaiRegistry] })).toThrowError(
      /key\.unknown gen_ai\.request\.modle/,
    );
    // The default registry (OpenInference) does not judge gen_ai spans: asserting one is valid fails, saying why.
    expect(chat).not.toBeValidSpan();
    expect(() => expect(chat).toBeValidSpan()).toThrowError(
      /no registry judges it \(openinference\): it declares none of their span kinds/,
    );
  });

  it("with both registries, OpenInference and GenAI spans are each held to their own conventions", () => {
    const both = { registries: [openinferenceRegistry, genaiRegistry] };
    expect([chat, ...realSpans]).toAllBeValidSpans(both);
  });
});

describe("toAllBeValidSpans", () => {
  it("passes on the real spans, and names the failing indices", () => {
    expect(realSpans).toAllBeValidSpans();
    expect(() => expect([realSpans[0], badLlm, null]).toAllBeValidSpans()).toThrowError(
      /2 are not:\n {2}\[1\] span "bad":\n {4}error value\.type[\s\S]*\[2\] is not a span \(null\)/,
    );
    expect([badLlm]).not.toAllBeValidSpans();
  });
});

describe("spans of other conventions (the claiming rule of @semtrace/runtime)", () => {
  const http = {
    name: "GET /chat",
    attributes: { "http.request.method": "GET", "session.id": "s-1", "tag.tags": ["beta"], metadata: "{}" },
  };
  const typo = { name: "typo", attributes: { "llm.modle_name": "gpt-4o" } };

  it("toAllBeValidSpans leaves HTTP spans alone, even with context keys, and says so", () => {
    expect([http, ...realSpans]).toAllBeValidSpans();
    expect(() => expect([http, ...realSpans]).not.toAllBeValidSpans()).toThrowError(
      /all are valid \(1 other span\(s\) that no registry judges left alone\)/,
    );
  });

  it("toAllBeValidSpans fails when no span is judged at all (the instrumentation produced none)", () => {
    expect(() => expect([http, { name: "bare", attributes: {} }]).toAllBeValidSpans()).toThrowError(
      /no registry judges any of the 2 span\(s\) \(openinference\)/,
    );
    expect(() => expect([]).toAllBeValidSpans()).toThrowError(/no registry judges any of the 0 span/);
  });

  it("a kind-less span with a key inside an owned namespace is judged, and its typo caught", () => {
    expect(spanProblems(typo).map((f) => `${f.rule} ${f.key}`)).toEqual([
      "key.unknown llm.modle_name",
      "span-kind.missing openinference.span.kind",
    ]);
    expect([http, typo]).not.toAllBeValidSpans();
  });

  it("strict holds every span to a declared kind", () => {
    expect(() => expect([http, ...realSpans]).toAllBeValidSpans({ strict: true })).toThrowError(
      /\[0\] span "GET \/chat":\n {4}error span-kind\.missing/,
    );
    expect(http).not.toBeValidSpan({ strict: true });
    expect(http).not.toBeValidSpan();
  });
});

describe("toHaveAttributes", () => {
  it("matches a partial record, with asymmetric matchers", () => {
    const chat = realSpans.find((s) => s.name === "OpenAI Chat Completions")!;
    expect(chat).toHaveAttributes({
      "llm.system": "openai",
      "openinference.span.kind": "LLM",
      "llm.token_count.total": expect.any(Number),
    });
    expect(() => expect(chat).toHaveAttributes({ "llm.system": "anthropic", "no.such": 1 })).toThrowError(
      /llm\.system: expected "anthropic", found "openai"\n {2}no\.such: missing/,
    );
    expect(chat).not.toHaveAttributes({ "llm.system": "anthropic" });
  });
});

describe("collectSpans", () => {
  it("returns the spans finished while the code ran, with context across await, and restores the global", async () => {
    const { result, spans } = await collectSpans(async (tracer) => {
      return tracer.startActiveSpan("agent", async (parent) => {
        parent.setAttribute("openinference.span.kind", "AGENT");
        await new Promise((r) => setTimeout(r, 1));
        const child = trace.getTracer("instrumented-lib").startSpan("llm");
        child.setAttributes({ "openinference.span.kind": "LLM", "llm.model_name": "m" });
        child.end();
        parent.end();
        return 42;
      });
    });
    expect(result).toBe(42);
    expect(spans.map((s) => s.name)).toEqual(["llm", "agent"]);
    expect(spans[0]!.parentSpanContext?.spanId).toBe(spans[1]!.spanContext().spanId);
    expect(spans).toAllBeValidSpans();
    expect(spans[0]).toHaveAttributes({ "llm.model_name": "m" });
    // After the harness, the global tracer is a no-op again.
    const after = trace.getTracer("x").startSpan("after");
    expect(after.isRecording()).toBe(false);
    expect(context.active()).toBeDefined();
  });
});

describe("the built package (dist/), as Jest would load it", () => {
  it("require() gives matchers that work without Vitest's context", async () => {
    const { spawnSync } = await import("node:child_process");
    const script = `
      const { semtraceMatchers } = require("@semtrace/testing");
      const bad = semtraceMatchers.toBeValidSpan({ name: "x", attributes: { "openinference.span.kind": "LLM", "llm.token_count.prompt": "a" } });
      const good = semtraceMatchers.toHaveAttributes({ attributes: { a: [1, 2] } }, { a: [1, 2] });
      console.log(JSON.stringify({ bad: bad.pass, message: bad.message(), good: good.pass }));
    `;
    const result = spawnSync(process.execPath, ["-e", script], {
      encoding: "utf8",
      cwd: new URL("..", import.meta.url),
    });
    expect(result.stderr).toBe("");
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ bad: false, good: true });
    expect(out.message).toContain("value.type llm.token_count.prompt");
  });
});
