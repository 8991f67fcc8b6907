/**
 * The content of GenAI's JSON attributes (`gen_ai.input.messages`, `gen_ai.output.messages`,
 * `gen_ai.system_instructions`, `gen_ai.tool.definitions`, `gen_ai.retrieval.documents`), checked by the generated
 * validators against the shapes of spec/genai/registry/content-shapes.yaml.
 *
 * 1. Documents that use every shape validate with no findings, as JSON text and as structured values (the arrays
 *    and maps the CLI decodes OTLP `arrayValue` / `kvlistValue` into, with `bytesValue` as bytes); the upstream
 *    schemas accept them too (ajv, when ../shared is there).
 * 2. The mutation table: removing each property a schema requires, or giving one a wrong type, yields exactly one
 *    finding, with the expected rule and JSON path, in both forms.
 * 3. What the schemas leave open passes; formats from before the schemas are one warning naming the format.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { validateAttributes, type Finding } from "../src/index.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A complete chat span, so the only findings are the content's. */
const SPAN = {
  "gen_ai.operation.name": "chat",
  "gen_ai.provider.name": "openai",
  "gen_ai.request.model": "gpt-4o-mini",
  "gen_ai.response.id": "chatcmpl-1",
  "gen_ai.response.model": "gpt-4o-mini",
  "gen_ai.response.finish_reasons": ["stop"],
  "gen_ai.usage.input_tokens": 30,
  "gen_ai.usage.output_tokens": 5,
};

/** Every part shape of a message, and a role of each kind. */
const INPUT: Json = [
  { role: "system", parts: [{ type: "text", content: "Answer briefly." }] },
  {
    role: "user",
    name: "ana",
    parts: [
      { type: "text", content: "What is in this picture, and the weather in Paris?" },
      { type: "blob", modality: "image", mime_type: "image/png", content: "iVBORw0KGgo=" },
      { type: "uri", modality: "image", mime_type: null, uri: "https://example.com/cat.png" },
      { type: "file", modality: "audio", file_id: "file-abc" },
    ],
  },
  {
    role: "assistant",
    name: null,
    parts: [
      { type: "reasoning", content: "The user wants two things." },
      { type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } },
      { type: "server_tool_call", id: "srv_1", name: "web_search", server_tool_call: { type: "web_search", query: "Paris weather" } },
      { type: "server_tool_call_response", id: "srv_1", server_tool_call_response: { type: "web_search", results: [] } },
    ],
  },
  { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: { temperature: 21 } }] },
];
const OUTPUT: Json = [{ role: "assistant", parts: [{ type: "text", content: "A cat. 21 °C and sunny." }], finish_reason: "stop" }];
const SYSTEM: Json = [{ type: "text", content: "You are a helpful assistant." }];
const TOOLS: Json = [
  { type: "function", name: "get_weather", description: "Weather of a city.", parameters: { type: "object", properties: { city: { type: "string" } } } },
  { type: "web_search", name: "web_search" },
];
const DOCUMENTS: Json = [{ id: "doc_1", score: 0.91 }];

const DOCS: Readonly<Record<string, Json>> = {
  "gen_ai.input.messages": INPUT,
  "gen_ai.output.messages": OUTPUT,
  "gen_ai.system_instructions": SYSTEM,
  "gen_ai.tool.definitions": TOOLS,
  "gen_ai.retrieval.documents": DOCUMENTS,
};

type Form = "json" | "structured";
const FORMS: readonly Form[] = ["json", "structured"];

/** The attribute value in one form: JSON text, or the structured value itself (a deep copy, so mutations stay local). */
function encode(doc: unknown, form: Form): unknown {
  return form === "json" ? JSON.stringify(doc) : structuredClone(doc);
}

function check(key: string, doc: unknown, form: Form): string[] {
  return summary(validateAttributes({ ...SPAN, [key]: encode(doc, form) }));
}

const summary = (findings: readonly Finding[]) => findings.map((f) => `${f.severity} ${f.rule} ${f.key}`);

/** Applies `change` to a copy of `doc` at the property path `at` (`[1, "parts", 0]`). */
function mutate(doc: Json, at: readonly (string | number)[], change: (parent: Record<string, Json>, last: string) => void): Json {
  const copy = structuredClone(doc);
  let node = copy as unknown as Record<string | number, Json>;
  for (const step of at.slice(0, -1)) node = node[step] as unknown as Record<string | number, Json>;
  change(node as unknown as Record<string, Json>, String(at.at(-1)));
  return copy;
}
const without = (doc: Json, at: readonly (string | number)[]) => mutate(doc, at, (parent, last) => delete parent[last]);
const setTo = (value: Json) => (doc: Json, at: readonly (string | number)[]) => mutate(doc, at, (parent, last) => (parent[last] = value));

describe("documents using every shape", () => {
  it.each(FORMS)("validate with no findings (%s)", (form) => {
    for (const [key, doc] of Object.entries(DOCS)) expect({ key, findings: check(key, doc, form) }).toEqual({ key, findings: [] });
  });

  it("blob content may be bytes in the structured form (OTLP bytesValue), not in JSON text", () => {
    const doc = [{ type: "blob", modality: "audio", content: new Uint8Array([1, 2, 3]) }];
    expect(summary(validateAttributes({ ...SPAN, "gen_ai.system_instructions": doc }))).toEqual([]);
    const asNumber = [{ type: "blob", modality: "audio", content: 7 }];
    expect(check("gen_ai.system_instructions", asNumber, "json")).toEqual(["error content.type gen_ai.system_instructions[0].content"]);
  });

  const schemas = fileURLToPath(new URL("../../../../shared/conformance/otel-genai-json-schemas-1.41.0/", import.meta.url));
  const files: Readonly<Record<string, string>> = {
    "gen_ai.input.messages": "gen-ai-input-messages.json",
    "gen_ai.output.messages": "gen-ai-output-messages.json",
    "gen_ai.system_instructions": "gen-ai-system-instructions.json",
    "gen_ai.tool.definitions": "gen-ai-tool-definitions.json",
    "gen_ai.retrieval.documents": "gen-ai-retrieval-documents.json",
  };
  it.skipIf(!existsSync(schemas))("are valid under the upstream JSON schemas too (ajv)", () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const [key, file] of Object.entries(files)) {
      const validate = ajv.compile(JSON.parse(readFileSync(schemas + file, "utf8")) as object);
      expect({ key, valid: validate(DOCS[key]), errors: validate.errors ?? null }).toEqual({ key, valid: true, errors: null });
    }
  });
  if (!existsSync(schemas)) console.info(`[content] ${schemas} is absent: the upstream schemas do not check the documents`);
});

interface Mutation {
  readonly key: string;
  /** Where, inside the document. */
  readonly at: readonly (string | number)[];
  readonly change: (doc: Json, at: readonly (string | number)[]) => Json;
  /** `severity rule path`: the one finding expected. */
  readonly finding: string;
}

const IN = "gen_ai.input.messages";
const OUT = "gen_ai.output.messages";
const SYS = "gen_ai.system_instructions";
const TOOL = "gen_ai.tool.definitions";
const RET = "gen_ai.retrieval.documents";
const missing = (key: string, at: readonly (string | number)[]): Mutation => ({ key, at, change: without, finding: `error content.required ${path(key, at)}` });
const wrongType = (key: string, at: readonly (string | number)[], value: Json): Mutation => ({ key, at, change: setTo(value), finding: `error content.type ${path(key, at)}` });
function path(key: string, at: readonly (string | number)[]): string {
  return key + at.map((step) => (typeof step === "number" ? `[${step}]` : `.${step}`)).join("");
}

/** Every property a schema requires, removed, and a wrong type for each kind of property. */
const MUTATIONS: readonly Mutation[] = [
  // ChatMessage
  missing(IN, [0, "role"]),
  missing(IN, [0, "parts"]),
  // TextPart; a part without `type` is checked as the generic part, which requires it
  missing(IN, [0, "parts", 0, "type"]),
  missing(IN, [0, "parts", 0, "content"]),
  // BlobPart, UriPart, FilePart
  missing(IN, [1, "parts", 1, "modality"]),
  missing(IN, [1, "parts", 1, "content"]),
  missing(IN, [1, "parts", 2, "modality"]),
  missing(IN, [1, "parts", 2, "uri"]),
  missing(IN, [1, "parts", 3, "modality"]),
  missing(IN, [1, "parts", 3, "file_id"]),
  // ReasoningPart, ToolCallRequestPart, ServerToolCallPart, ServerToolCallResponsePart, ToolCallResponsePart
  missing(IN, [2, "parts", 0, "content"]),
  missing(IN, [2, "parts", 1, "name"]),
  missing(IN, [2, "parts", 2, "name"]),
  missing(IN, [2, "parts", 2, "server_tool_call"]),
  missing(IN, [2, "parts", 2, "server_tool_call", "type"]),
  missing(IN, [2, "parts", 3, "server_tool_call_response"]),
  missing(IN, [2, "parts", 3, "server_tool_call_response", "type"]),
  missing(IN, [3, "parts", 0, "response"]),
  // OutputMessage
  missing(OUT, [0, "role"]),
  missing(OUT, [0, "parts"]),
  missing(OUT, [0, "finish_reason"]),
  missing(OUT, [0, "parts", 0, "content"]),
  // System instructions: parts
  missing(SYS, [0, "type"]),
  missing(SYS, [0, "content"]),
  // FunctionToolDefinition, GenericToolDefinition
  missing(TOOL, [0, "name"]),
  missing(TOOL, [1, "name"]),
  missing(TOOL, [1, "type"]),
  // RetrievalDocument
  missing(RET, [0, "id"]),
  missing(RET, [0, "score"]),
  // Wrong types: strings, arrays, objects, nullable strings, numbers, enums' own type, elements
  wrongType(IN, [0, "role"], 5),
  wrongType(IN, [0, "parts"], "Answer briefly."),
  wrongType(IN, [0, "parts", 0], "Answer briefly."),
  wrongType(IN, [0, "parts", 0, "type"], 7),
  wrongType(IN, [0, "parts", 0, "content"], ["Answer", "briefly"]),
  wrongType(IN, [1, "name"], 42),
  wrongType(IN, [1, "parts", 1, "mime_type"], false),
  wrongType(IN, [1, "parts", 1, "modality"], null),
  wrongType(IN, [2, "parts", 1, "name"], null),
  wrongType(IN, [2, "parts", 1, "id"], 1),
  wrongType(IN, [2, "parts", 2, "server_tool_call"], "web_search"),
  wrongType(IN, [0], [{ type: "text", content: "x" }]),
  wrongType(OUT, [0, "finish_reason"], 1),
  wrongType(TOOL, [0, "description"], 3),
  wrongType(RET, [0, "score"], "0.91"),
];

describe("the mutation table: each change yields exactly the finding listed", () => {
  for (const form of FORMS) {
    it.each(MUTATIONS.map((m) => [`${m.finding} (${form})`, m] as const))("%s", (_, m) => {
      expect(check(m.key, m.change(DOCS[m.key]!, m.at), form)).toEqual([m.finding]);
    });
  }

  it("the value itself: JSON text that does not parse, a list that is an object, a number", () => {
    expect(summary(validateAttributes({ ...SPAN, [IN]: '[{"role": "user", "parts": [' }))).toEqual([`error value.json ${IN}`]);
    expect(check(IN, { role: "user", parts: [] }, "json")).toEqual([`error content.type ${IN}`]);
    expect(check(IN, { role: "user", parts: [] }, "structured")).toEqual([`error content.type ${IN}`]);
    expect(summary(validateAttributes({ ...SPAN, [IN]: 3 }))).toEqual([`error value.type ${IN}`]);
  });

  it("messages name the path and what was expected", () => {
    const [finding] = validateAttributes({ ...SPAN, [IN]: JSON.stringify(without(INPUT, [2, "parts", 1, "name"])) });
    expect(finding).toMatchObject({ key: `${IN}[2].parts[1].name`, rule: "content.required", severity: "error", expected: "name" });
    expect(finding!.message).toBe(`\`${IN}[2].parts[1].name\` is missing: \`gen_ai.tool_call_request_part\` requires \`name\``);
    const [typed] = validateAttributes({ ...SPAN, [OUT]: JSON.stringify(setTo(3)(OUTPUT, [0, "parts", 0, "content"])) });
    expect(typed!.message).toBe(`\`${OUT}[0].parts[0].content\` must be a string, found 3 (int)`);
  });
});

describe("what the schemas leave open passes", () => {
  it.each(FORMS)("any role or finish reason (an info naming the well-known values), extra properties, unknown part and tool types, nulls where allowed (%s)", (form) => {
    const input = [
      { role: "developer", parts: [{ type: "text", content: "Be brief.", annotations: [] }], id: "msg_1" },
      { role: "user", parts: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }, { type: "text", content: "" }] },
      { role: "assistant", parts: [{ type: "tool_call", id: null, name: "f", arguments: null }, { type: "tool_call", name: "g" }] },
    ];
    expect(check(IN, input, form)).toEqual([`info content.enum ${IN}[0].role`]);
    const output = [{ role: "assistant", parts: [], finish_reason: "max_tokens", index: 0 }];
    expect(check(OUT, output, form)).toEqual([`info content.enum ${OUT}[0].finish_reason`]);
    expect(check(TOOL, [{ type: "function", name: "f", parameters: null, strict: true }, { type: "code_interpreter", name: "python", container: {} }], form)).toEqual([]);
    expect(check(IN, [], form)).toEqual([]);
  });
});

describe("formats from before the schemas are one warning naming the format", () => {
  const legacy = `warning content.legacy-format`;
  it.each(FORMS)("messages with content or tool_calls, choices, OpenAI text parts and function tools (%s)", (form) => {
    const input = [
      { role: "system", content: "Answer briefly." },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }] },
      { role: "assistant", tool_calls: [{ id: "call_2", type: "function", function: { name: "g" } }] },
      { role: "user", parts: [{ type: "text", text: "Hello" }] },
    ];
    expect(check(IN, input, form)).toEqual([`${legacy} ${IN}[0]`, `${legacy} ${IN}[1]`, `${legacy} ${IN}[2]`, `${legacy} ${IN}[3].parts[0]`]);
    expect(check(OUT, [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "Hi" } }], form)).toEqual([`${legacy} ${OUT}[0]`]);
    expect(check(TOOL, [{ type: "function", function: { name: "get_weather", parameters: {} } }], form)).toEqual([`${legacy} ${TOOL}[0]`]);
  });

  it("the warning says which format", () => {
    const [finding] = validateAttributes({ ...SPAN, [IN]: JSON.stringify([{ role: "user", content: "Hi" }]) });
    expect(finding!.message).toContain("is written in an older format (an OpenAI-style message (text in `content`, not `parts`), as GenAI events before 1.37 wrote it)");
    expect(finding!.message).toContain("not as `gen_ai.chat_message`");
  });

  it("a message with neither parts nor an older format's properties is an error, not a warning", () => {
    expect(check(IN, [{ role: "user", text: "Hi" }], "json")).toEqual([`error content.required ${IN}[0].parts`]);
  });
});

describe("one value reports at most 100 content findings", () => {
  it("then one info says the rest are not listed", () => {
    const input = Array.from({ length: 150 }, () => ({ role: "user" }));
    const findings = summary(validateAttributes({ ...SPAN, [IN]: JSON.stringify(input) }));
    expect(findings).toHaveLength(101);
    expect(findings.slice(0, 100).every((f) => f.startsWith("error content.required"))).toBe(true);
    expect(findings[100]).toBe(`info content.truncated ${IN}[100].parts`);
    // The budget is per value: the next attribute reports its own.
    const both = validateAttributes({ ...SPAN, [IN]: JSON.stringify(input), [OUT]: JSON.stringify([{ role: "assistant", parts: [] }]) });
    expect(summary(both).at(-1)).toBe(`error content.required ${OUT}[0].finish_reason`);
  });
});

describe("memory: JSON text past the content limit is not parsed", () => {
  const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
  /** Peak RSS (MiB) of a fresh process that validates a span whose input messages are `chars` characters of `[{},{},…]`. */
  function peakRss(chars: number, options = "{}"): { rss: number; rules: string[] } {
    const script = `
      const { validateAttributes } = await import(${JSON.stringify(pathToFileURL(dist).href)});
      const text = "[" + "{},".repeat(${Math.floor(chars / 3)}) + "{}]";
      const findings = validateAttributes({ "gen_ai.operation.name": "chat", "gen_ai.input.messages": text }, ${options});
      const rules = [...new Set(findings.filter((f) => f.key.startsWith("gen_ai.input.messages")).map((f) => f.rule))];
      console.log(JSON.stringify({ rss: process.resourceUsage().maxRSS / 1024, rules }));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as { rss: number; rules: string[] };
  }

  it.skipIf(!existsSync(dist))("48 Mi characters of dense JSON text: syntax only, peak RSS bounded; 2 Mi characters checked with the limit raised", () => {
    const big = peakRss(48 * 1024 * 1024);
    expect(big.rules).toEqual(["content.not-checked"]);
    // The text itself is 48 MiB (one byte per character); parsing it would build 16 million objects (gigabytes).
    expect(big.rss).toBeLessThan(300);
    const raised = peakRss(2 * 1024 * 1024, "{ maxContentChars: 4 * 1024 * 1024 }");
    expect(raised.rules).toEqual(["content.required", "content.truncated"]);
    console.info(`[content] peak RSS: ${Math.round(big.rss)} MiB for 48 Mi characters (not parsed); ${Math.round(raised.rss)} MiB for 2 Mi characters parsed and checked`);
  }, 60_000);
  if (!existsSync(dist)) console.info(`[content] ${dist} is missing (build first): the peak-RSS test is skipped`);
});
