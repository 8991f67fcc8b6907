/**
 * Every example runs as a user runs it (`node --import tsx <example>/main.ts`, against the built packages) and
 * prints what its story promises; every example typechecks, `@ts-expect-error` lines included (so a typo key or a
 * wrong value type really is a compile error).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const HERE = fileURLToPath(new URL("..", import.meta.url));

function run(example: string): string {
  const result = spawnSync(process.execPath, ["--import", "tsx", `${example}/main.ts`], {
    cwd: HERE,
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(result.stderr, `${example} wrote to stderr`).toBe("");
  expect(result.status, `${example} exited ${result.status}`).toBe(0);
  return result.stdout;
}

const lines = (text: string) => text.trimEnd().split("\n");

describe("examples", { timeout: 120_000 }, () => {
  it("typed-keys: constants, enum values and a typed record; the runtime validator catches what the types would", () => {
    expect(lines(run("typed-keys"))).toEqual([
      "llm.model_name gen_ai.request.model gen_ai.operation.name=chat",
      "valid: 0 errors",
      "error value.type llm.token_count.prompt",
      "error key.unknown llm.modle_name",
    ]);
  });

  it("builders: typed inputs written as flat OpenInference attributes that validate", () => {
    const out = lines(run("builders"));
    expect(out).toEqual(
      expect.arrayContaining([
        'llm.model_name = "gpt-4o-mini"',
        'llm.input_messages.0.message.role = "user"',
        'llm.output_messages.0.message.content = "Typed semantic conventions."',
        "llm.token_count.total = 17",
        "llm.token_count.prompt_details.cache_read = 4",
        'retrieval.documents.0.document.id = "d1"',
        "retrieval.documents.0.document.score = 0.9",
      ]),
    );
    expect(out.at(-1)).toBe("errors: 0");
  });

  it("core-wrappers: wrapped function, typed handle, decorator and callback form, nested and priced", () => {
    const out = run("core-wrappers");
    expect(out).toContain("echo: semtrace (1 docs)\n");
    expect(out).toContain('tool TOOL parent=Agent.answer\n  tool.description = "Search the docs"\n');
    // 1200 input and 300 output tokens of gpt-4o-mini ($0.15 and $0.60 per 1M).
    expect(out).toContain(
      'chat LLM parent=Agent.answer\n  llm.cost.total = 0.00036\n  llm.model_name = "gpt-4o-mini-2024-07-18"\n  llm.token_count.total = 1500\n',
    );
    expect(out).toContain("Agent.answer AGENT parent=-\n");
    expect(out).toContain("summarise CHAIN parent=-\n  mycompany.batch = 3\n");
  });

  it("streams: the span lasts as long as the stream and records chunks, first chunk and output", () => {
    expect(lines(run("streams"))).toEqual([
      "read: Typed semantic conventions for AI tracing.",
      "span streamAnswer ended after the stream: true",
      "events: semtrace.stream.first_chunk",
      "chunks = 4",
      "output.value = Typed semantic conventions for AI tracing.",
      "time to first chunk recorded: true",
    ]);
  });

  it("context: session, user, metadata and tags on every span inside, another instrumentation's included; requests apart", () => {
    const out = run("context");
    const alice =
      '  metadata = "{\\"tenant\\":\\"acme\\"}"\n  session.id = "s-alice"\n  tag.tags = ["beta"]\n  user.id = "alice"\n';
    const bob = '  session.id = "s-bob"\n  user.id = "bob"\n';
    expect(out).toContain(`SELECT orders\n${alice}`);
    expect(out).toContain(`SELECT invoices\n${bob}`);
    expect(out).toContain(`handle\n${alice}`);
    expect(out).toContain(`handle\n${bob}`);
  });

  it("redaction: hidden content redacted or removed, globally and per span; the same for a record of your own", () => {
    const out = run("redaction");
    expect(out).not.toContain("4242");
    expect(out).not.toContain("llm.input_messages");
    expect(out).toContain('  output.value = "__REDACTED__"\n');
    expect(out).toContain('{"input.value":"__REDACTED__","llm.model_name":"gpt-4o-mini"}\n');
  });

  it("ci-validation: the app's spans in a file, `semtrace validate` fails on the bug and passes without it", () => {
    const out = run("ci-validation");
    expect(out).toContain(
      'with the bug: semtrace validate exited 1\nvalue.type (1)\n  error   legacy-llm-call [trace/span]: `llm.token_count.prompt` must be an int, found "10"\n',
    );
    expect(out).toContain("3 spans (judged: 3 openinference, 0 genai; 0 other), 1 error,");
    expect(out).toContain("fixed: semtrace validate exited 0\n");
    expect(out).toContain("2 spans (judged: 2 openinference, 0 genai; 0 other), 0 errors,");
  });

  it("vendor-conventions: the vendor's generated constants, builder and validator beside OpenInference's", () => {
    expect(lines(run("vendor-conventions"))).toEqual([
      "routed to gpt-4o-mini",
      '  mycompany.operation = "route"',
      "  mycompany.route.candidates = 3",
      '  mycompany.route.model = "gpt-4o-mini"',
      '  mycompany.tenant.id = "acme"',
      "route-by-hand: error value.type mycompany.route.candidates",
      "route-by-hand: error attribute.required mycompany.tenant.id",
      "spans with findings: route-by-hand",
    ]);
  });

  it("every example typechecks, its @ts-expect-error lines included", () => {
    const tsc = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.resolve("typescript/bin/tsc")), "--noEmit", "-p", "."],
      { cwd: HERE, encoding: "utf8", timeout: 300_000 },
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 300_000);
});
