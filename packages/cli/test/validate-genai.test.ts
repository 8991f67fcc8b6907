/**
 * `semtrace validate --registry genai`: the built-in OpenTelemetry GenAI registry (@semtrace/genai, a dependency
 * of the CLI) on JSON Lines of gen_ai spans, alone and together with OpenInference.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectReport, runValidateCommand } from "../src/validate/command.js";
import { DEFAULT_LIMITS } from "../src/validate/limits.js";
import { BUILT_IN_REGISTRIES, loadRegistries, loadRegistrySet } from "../src/validate/registries.js";
import { encodeRequest } from "./helpers/otlp-proto.js";
import { tempDir } from "./helpers/tmp.js";

async function validate(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runValidateCommand(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: "/",
    progress: false,
    color: false,
  });
  return { code, stdout, stderr };
}

const TRACE = "0af7651916cd43dd8448eb211c80319c";

/** One OTLP/JSON request per line, as the Collector's file exporter writes them. */
function jsonl(
  spans: { name: string; spanId: string; attributes: Record<string, string | number | string[]> }[],
): string {
  const value = (v: string | number | string[]) =>
    Array.isArray(v)
      ? { arrayValue: { values: v.map((s) => ({ stringValue: s })) } }
      : typeof v === "number"
        ? Number.isInteger(v)
          ? { intValue: String(v) }
          : { doubleValue: v }
        : { stringValue: v };
  return spans
    .map((s) =>
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: TRACE,
                    spanId: s.spanId,
                    name: s.name,
                    attributes: Object.entries(s.attributes).map(([key, v]) => ({ key, value: value(v) })),
                  },
                ],
              },
            ],
          },
        ],
      }),
    )
    .join("\n")
    .concat("\n");
}

const goodChat = {
  name: "chat gpt-4o-mini",
  spanId: "0000000000000001",
  attributes: {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.request.temperature": 0.5,
    "gen_ai.response.id": "chatcmpl-1",
    "gen_ai.response.model": "gpt-4o-mini",
    "gen_ai.response.finish_reasons": ["stop"],
    "gen_ai.usage.input_tokens": 12,
    "gen_ai.usage.output_tokens": 3,
    "server.address": "api.openai.com",
  },
};
/** What @opentelemetry/instrumentation-openai 0.21 writes: the deprecated provider key. Plus a typo and a wrong type. */
const badChat = {
  name: "chat gpt-4o-mini",
  spanId: "0000000000000002",
  attributes: {
    "gen_ai.operation.name": "chat",
    "gen_ai.system": "openai",
    "gen_ai.request.modle": "gpt-4o-mini",
    "gen_ai.response.id": "chatcmpl-2",
    "gen_ai.response.model": "gpt-4o-mini",
    "gen_ai.response.finish_reasons": ["stop"],
    "gen_ai.usage.input_tokens": "12",
    "gen_ai.usage.output_tokens": 3,
  },
};
const tool = {
  name: "execute_tool get_weather",
  spanId: "0000000000000003",
  attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.call.arguments": '{"city": "Par' },
};
const oiLlm = {
  name: "ChatCompletion",
  spanId: "0000000000000004",
  attributes: {
    "openinference.span.kind": "LLM",
    "llm.model_name": "gpt-4o",
    "llm.token_count.prompt": 12,
    "llm.provider": "openai",
  },
};

interface Report {
  summary: { spans: number; errors: number; warnings: number; infos: number; rejected: number };
  findings: { spanId: string; key: string; rule: string; severity: string }[];
}

const lines = (report: Report) => report.findings.map((f) => `${f.spanId.slice(-1)} ${f.severity} ${f.rule} ${f.key}`);

function file(name: string, text: string): string {
  const path = join(tempDir("validate-genai"), name);
  writeFileSync(path, text);
  return path;
}

describe("semtrace validate --registry genai", () => {
  it("is a built-in registry", async () => {
    expect(BUILT_IN_REGISTRIES).toContain("genai");
    const [registry] = await loadRegistries(["genai"], "/");
    expect(registry!.name).toBe("genai");
    expect(registry!.spanKindKey).toBe("gen_ai.operation.name");
  });

  it("reports the findings of gen_ai spans in a JSON Lines file", async () => {
    const path = file("genai.jsonl", jsonl([goodChat, badChat, tool]));
    const { code, stdout, stderr } = await validate(["--registry", "genai", "-f", "json", path]);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Report;
    expect(report.summary).toEqual({
      spans: 3,
      other: 0,
      judged: { genai: 3 },
      errors: 5,
      warnings: 1,
      infos: 0,
      rejected: 0,
    });
    expect(lines(report).sort()).toEqual(
      [
        "2 warning key.deprecated gen_ai.system",
        "2 error key.unknown gen_ai.request.modle",
        "2 error value.type gen_ai.usage.input_tokens",
        "2 error attribute.required gen_ai.provider.name",
        "3 error value.json gen_ai.tool.call.arguments",
        "3 error attribute.required gen_ai.tool.name",
      ].sort(),
    );
    const unknown = report.findings.find((f) => f.rule === "key.unknown") as unknown as { message: string };
    expect(unknown.message).toContain("did you mean `gen_ai.request.model`?");
  });

  it("structured message attributes (arrayValue of kvlistValues, as SDKs that record them write) are accepted", async () => {
    const kv = (entries: Record<string, unknown>): unknown => ({
      kvlistValue: { values: Object.entries(entries).map(([key, v]) => ({ key, value: v })) },
    });
    const text = (s: string) => ({ stringValue: s });
    const messages = {
      arrayValue: {
        values: [
          kv({
            role: text("user"),
            parts: { arrayValue: { values: [kv({ type: text("text"), content: text("Weather in Paris?") })] } },
          }),
        ],
      },
    };
    const attributes = [
      ...Object.entries(goodChat.attributes).map(([key, v]) => ({
        key,
        value:
          typeof v === "string"
            ? text(v)
            : Array.isArray(v)
              ? { arrayValue: { values: v.map(text) } }
              : Number.isInteger(v)
                ? { intValue: String(v) }
                : { doubleValue: v },
      })),
      { key: "gen_ai.input.messages", value: messages },
      { key: "gen_ai.output.messages", value: { intValue: "7" } },
    ];
    const line = JSON.stringify({
      resourceSpans: [
        { scopeSpans: [{ spans: [{ traceId: TRACE, spanId: "0000000000000009", name: "chat", attributes }] }] },
      ],
    });
    const { code, stdout } = await validate(["-r", "genai", "-f", "json", file("structured.jsonl", `${line}\n`)]);
    expect(code).toBe(1);
    // The structured input messages pass; a number where messages belong does not.
    expect(lines(JSON.parse(stdout) as Report)).toEqual(["9 error value.type gen_ai.output.messages"]);
  });

  it("message content is checked in all three forms (JSON text, OTLP/JSON kvlists, OTLP protobuf), findings named by JSON path", async () => {
    const kv = (entries: Record<string, unknown>): unknown => ({
      kvlistValue: { values: Object.entries(entries).map(([key, v]) => ({ key, value: v })) },
    });
    const text = (s: string) => ({ stringValue: s });
    const list = (...values: unknown[]) => ({ arrayValue: { values } });
    // Message 1: a tool call without `name`, a blob whose bytes are an OTLP bytesValue, a part without `type`.
    const structured = list(
      kv({ role: text("user"), parts: list(kv({ type: text("text"), content: text("Weather in Paris?") })) }),
      kv({
        role: text("assistant"),
        parts: list(
          kv({ type: text("tool_call"), id: text("call_1") }),
          kv({ type: text("blob"), modality: text("image"), content: { bytesValue: "AQID" } }),
          kv({ content: text("x") }),
        ),
      }),
    );
    const asText = JSON.stringify([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      {
        role: "assistant",
        parts: [
          { type: "tool_call", id: "call_1" },
          { type: "blob", modality: "image", content: "AQID" },
          { content: "x" },
        ],
      },
    ]);
    const scalar = (v: string | number | string[]) =>
      typeof v === "string"
        ? text(v)
        : Array.isArray(v)
          ? list(...v.map(text))
          : Number.isInteger(v)
            ? { intValue: String(v) }
            : { doubleValue: v };
    const span = (spanId: string, messages: unknown) => ({
      traceId: TRACE,
      spanId,
      name: "chat",
      attributes: [
        ...Object.entries(goodChat.attributes).map(([key, v]) => ({ key, value: scalar(v) })),
        { key: "gen_ai.input.messages", value: messages },
      ],
    });
    const request = {
      resourceSpans: [
        { scopeSpans: [{ spans: [span("000000000000000a", structured), span("000000000000000b", text(asText))] }] },
      ],
    };
    const want = (id: string) => [
      `${id} error content.required gen_ai.input.messages[1].parts[0].name`,
      `${id} error content.required gen_ai.input.messages[1].parts[2].type`,
    ];
    const json = await validate(["-r", "genai", "-f", "json", file("content.json", JSON.stringify(request))]);
    expect(lines(JSON.parse(json.stdout) as Report)).toEqual([...want("a"), ...want("b")]);
    const proto = join(tempDir("validate-genai"), "content.pb");
    writeFileSync(proto, encodeRequest(request));
    const pb = await validate(["-r", "genai", "-f", "json", proto]);
    expect(pb.stderr).toBe("");
    expect(lines(JSON.parse(pb.stdout) as Report)).toEqual([...want("a"), ...want("b")]);
    const report = JSON.parse(json.stdout) as { findings: { key: string; message: string }[] };
    expect(report.findings[0]!.message).toBe(
      "`gen_ai.input.messages[1].parts[0].name` is missing: `gen_ai.tool_call_request_part` requires `name`",
    );
  });

  it("--max-content-chars: JSON text past it is checked for its syntax only, with an info (in this thread and in workers)", async () => {
    const messages = JSON.stringify([{ role: "user", parts: [{ type: "text" }] }]);
    const path = file(
      "content-cap.jsonl",
      jsonl([{ ...goodChat, attributes: { ...goodChat.attributes, "gen_ai.input.messages": messages } }]),
    );
    const checked = await validate(["-r", "genai", "-f", "json", path]);
    expect(lines(JSON.parse(checked.stdout) as Report)).toEqual([
      "1 error content.required gen_ai.input.messages[0].parts[0].content",
    ]);
    const capped = await validate([
      "-r",
      "genai",
      "-f",
      "json",
      "--max-content-chars",
      String(messages.length - 1),
      path,
    ]);
    expect(capped.code).toBe(0);
    expect(lines(JSON.parse(capped.stdout) as Report)).toEqual(["1 info content.not-checked gen_ai.input.messages"]);
    // The limit travels to the worker threads with the batches.
    const workerScript = new URL("../dist/validate-worker.js", import.meta.url);
    const { validators, sources } = await loadRegistrySet(["genai"], "/");
    const limits = { ...DEFAULT_LIMITS, maxContentChars: messages.length - 1 };
    const pooled = await collectReport([path], validators, {
      cwd: "/",
      jobs: 2,
      registrySources: sources,
      workerScript,
      poolAfterBytes: 0,
      limits,
    });
    expect(pooled.findings.map((f) => `${f.severity} ${f.rule} ${f.key}`)).toEqual([
      "info content.not-checked gen_ai.input.messages",
    ]);
    const bad = await validate(["-r", "genai", "--max-content-chars", "x", path]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-content-chars expects");
  });

  it("a clean file exits 0", async () => {
    const { code, stdout } = await validate(["-r", "genai", "-f", "json", file("good.jsonl", jsonl([goodChat]))]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Report).findings).toEqual([]);
  });

  it("-r openinference -r genai on a mixed file: each registry checks its own keys", async () => {
    const path = file("mixed.jsonl", jsonl([goodChat, badChat, oiLlm]));
    const { code, stdout } = await validate(["-r", "openinference", "-r", "genai", "-f", "json", path]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Report;
    const found = lines(report);
    // The gen_ai problems are reported once, by the genai registry.
    for (const want of [
      "2 warning key.deprecated gen_ai.system",
      "2 error key.unknown gen_ai.request.modle",
      "2 error value.type gen_ai.usage.input_tokens",
      "2 error attribute.required gen_ai.provider.name",
    ]) {
      expect(found).toContain(want);
    }
    // Neither registry flags the other's keys as unknown.
    expect(found.filter((l) => l.includes("key.unknown"))).toEqual(["2 error key.unknown gen_ai.request.modle"]);
    // Each span is held to the span kinds of the registry it speaks: no `span-kind.missing` for the other one.
    expect(found.filter((l) => l.includes("span-kind"))).toEqual([]);
    // The OpenInference span gets exactly what OpenInference alone reports (infos for recommended keys).
    expect(found.filter((l) => l.startsWith("4 ") && !l.includes("gen_ai"))).toEqual(
      lines(
        JSON.parse(
          (await validate(["-r", "openinference", "-f", "json", file("oi.jsonl", jsonl([oiLlm]))])).stdout,
        ) as Report,
      ),
    );
  });

  it("a name that is neither a built-in registry nor a directory says so, and lists the built-ins", async () => {
    const { code, stderr } = await validate(["-r", "gen-ai", file("x.jsonl", jsonl([goodChat]))]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "semtrace validate: unknown registry 'gen-ai': neither a built-in registry (openinference, genai) nor a directory (did you mean 'genai'?)\n",
    );
    const file2 = file("y.jsonl", jsonl([goodChat]));
    expect((await validate(["-r", file2, file2])).stderr).toContain(
      `unknown registry '${file2}': neither a built-in registry (openinference, genai) nor a directory\n`,
    );
  });
});
