#!/usr/bin/env node
/**
 * Validator throughput: the generated `@semtrace/openinference` validator against ajv validating the
 * same attributes with the generated JSON Schema (`schema.json`, draft 2020-12), in one process.
 *
 *   node tools/bench/src/validators.mjs [--seconds 1] [--rounds 5] [--write]
 *
 * Needs the built package (`npm run build`, or `npx tsup` in packages/openinference). For each
 * attribute set both validators are warmed up, then timed in alternating rounds of ~`--seconds` each;
 * the table shows the median ops/s over the rounds and the ratio semtrace / ajv (goal ≥ 1.5×).
 * ajv runs with its defaults (stops at the first error); the semtrace validator always checks every
 * key and does more (unknown keys in owned namespaces, index gaps, JSON parsing, requirement levels).
 * --write rewrites the "Validators" section of BENCHMARKS.md.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { table, updateSection } from "./report.mjs";

const { values } = parseArgs({
  options: { seconds: { type: "string" }, rounds: { type: "string" }, write: { type: "boolean" } },
});
const SECONDS = Number(values.seconds ?? 1);
const ROUNDS = Number(values.rounds ?? 5);
const GOAL = 1.5;

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const pkg = join(repoRoot, "packages/openinference");
const dist = join(pkg, "dist/index.js");
if (!existsSync(dist)) {
  process.stderr.write(`${dist} is missing: build first (npm run build).\n`);
  process.exit(1);
}
const { validateAttributes } = await import(pathToFileURL(dist).href);
const schema = JSON.parse(readFileSync(join(pkg, "src/generated/schema.json"), "utf8"));
const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020").default;
const ajvValidate = new Ajv2020().compile(schema);

const chat = JSON.parse(readFileSync(join(pkg, "test/fixtures/llm-chat-span.json"), "utf8"));

/** A long conversation: `turns` user/assistant pairs, multimodal parts, tool calls, tools offered. */
function longChat(turns) {
  const a = { ...chat };
  for (const k of Object.keys(a))
    if (k.startsWith("llm.input_messages.") || k.startsWith("llm.output_messages.")) delete a[k];
  let i = 0;
  a[`llm.input_messages.${i}.message.role`] = "system";
  a[`llm.input_messages.${i++}.message.content`] = "You are a helpful assistant.";
  for (let t = 0; t < turns; t++) {
    a[`llm.input_messages.${i}.message.role`] = "user";
    a[`llm.input_messages.${i}.message.contents.0.message_content.type`] = "text";
    a[`llm.input_messages.${i}.message.contents.0.message_content.text`] = `Question ${t}`;
    a[`llm.input_messages.${i}.message.contents.1.message_content.type`] = "image";
    a[`llm.input_messages.${i++}.message.contents.1.message_content.image.image.url`] = `https://example.com/${t}.png`;
    a[`llm.input_messages.${i}.message.role`] = "assistant";
    a[`llm.input_messages.${i}.message.tool_calls.0.tool_call.id`] = `call_${t}`;
    a[`llm.input_messages.${i}.message.tool_calls.0.tool_call.function.name`] = "lookup";
    a[`llm.input_messages.${i++}.message.tool_calls.0.tool_call.function.arguments`] = `{"q":${t}}`;
    a[`llm.input_messages.${i}.message.role`] = "tool";
    a[`llm.input_messages.${i}.message.tool_call_id`] = `call_${t}`;
    a[`llm.input_messages.${i++}.message.content`] = `Answer ${t}`;
  }
  a["llm.output_messages.0.message.role"] = "assistant";
  a["llm.output_messages.0.message.content"] = "Done.";
  for (let t = 0; t < 3; t++) a[`llm.tools.${t}.tool.json_schema`] = `{"type":"function","function":{"name":"f${t}"}}`;
  a["llm.token_count.prompt_details.cache_read"] = 5;
  a["llm.cost.total"] = 0.0012;
  return a;
}

const ours = (attributes) => validateAttributes(attributes).length === 0;
const ajv = (attributes) => ajvValidate(attributes);

/**
 * @typedef {{ name: string, attributes: any, ours: (a: any) => boolean, ajv: (a: any) => boolean, anchor?: string,
 *   parseOnly?: (a: any) => boolean }} BenchSet
 * @type {BenchSet[]}
 */
const sets = [
  { name: "LLM chat span (system, user, assistant with a tool call; token counts)", attributes: chat, ours, ajv },
  {
    name: "long LLM chat span (10 turns: text + image parts, tool calls, tool results; 3 tools)",
    attributes: longChat(10),
    ours,
    ajv,
  },
];

/**
 * GenAI messages: a chat span of @semtrace/genai whose `gen_ai.input.messages` / `gen_ai.output.messages` hold a
 * 10-turn conversation as JSON text. semtrace parses and checks the content against the recorded shapes; the anchor
 * is ajv with the genai `schema.json` for the attributes plus, after `JSON.parse`, ajv with the upstream GenAI
 * message schemas (../shared; the row is left out when they are absent).
 */
const genaiDist = join(repoRoot, "packages/genai/dist/index.js");
const upstream = join(repoRoot, "../shared/conformance/otel-genai-json-schemas-1.41.0");
let genaiNote = "";
if (existsSync(genaiDist) && existsSync(upstream)) {
  const genai = await import(pathToFileURL(genaiDist).href);
  const AjvDraft7 = require("ajv").default;
  // Typed as a plain predicate: ajv's type guard would narrow the span to `unknown` for the message checks after it.
  /** @type {(a: unknown) => boolean} */
  const attributesSchema = new Ajv2020().compile(
    JSON.parse(readFileSync(join(repoRoot, "packages/genai/src/generated/schema.json"), "utf8")),
  );
  const draft7 = new AjvDraft7({ strict: false });
  const inputSchema = draft7.compile(JSON.parse(readFileSync(join(upstream, "gen-ai-input-messages.json"), "utf8")));
  const outputSchema = draft7.compile(JSON.parse(readFileSync(join(upstream, "gen-ai-output-messages.json"), "utf8")));
  /** @type {any[]} */
  const input = [{ role: "system", parts: [{ type: "text", content: "You are a helpful assistant." }] }];
  for (let t = 0; t < 10; t++) {
    input.push({
      role: "user",
      parts: [
        { type: "text", content: `Question ${t}` },
        { type: "uri", modality: "image", uri: `https://example.com/${t}.png` },
      ],
    });
    input.push({
      role: "assistant",
      parts: [{ type: "tool_call", id: `call_${t}`, name: "lookup", arguments: { q: t } }],
    });
    input.push({ role: "tool", parts: [{ type: "tool_call_response", id: `call_${t}`, response: `Answer ${t}` }] });
  }
  const attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.response.id": "chatcmpl-1",
    "gen_ai.response.model": "gpt-4o-mini",
    "gen_ai.response.finish_reasons": ["stop"],
    "gen_ai.usage.input_tokens": 812,
    "gen_ai.usage.output_tokens": 9,
    "gen_ai.input.messages": JSON.stringify(input),
    "gen_ai.output.messages": JSON.stringify([
      { role: "assistant", parts: [{ type: "text", content: "Done." }], finish_reason: "stop" },
    ]),
  };
  const anchor = "ajv + genai `schema.json` + upstream message schemas";
  const structured = {
    ...attributes,
    "gen_ai.input.messages": input,
    "gen_ai.output.messages": JSON.parse(attributes["gen_ai.output.messages"]),
  };
  sets.push({
    name: "GenAI chat span, messages structured (as decoded from OTLP arrayValue / kvlistValue; 10 turns: text + uri parts, tool calls, tool results), content checked",
    attributes: structured,
    ours: (a) => genai.validateAttributes(a).length === 0,
    ajv: (a) =>
      attributesSchema(a) && inputSchema(a["gen_ai.input.messages"]) && outputSchema(a["gen_ai.output.messages"]),
    anchor,
  });
  sets.push({
    name: "the same span, messages as JSON text, content checked",
    attributes,
    ours: (a) => genai.validateAttributes(a).length === 0,
    ajv: (a) =>
      attributesSchema(a) &&
      inputSchema(JSON.parse(a["gen_ai.input.messages"])) &&
      outputSchema(JSON.parse(a["gen_ai.output.messages"])),
    anchor,
    // Both sides parse the text with JSON.parse first, which costs most of either's time: the goal is not a ratio.
    parseOnly: (a) =>
      JSON.parse(a["gen_ai.input.messages"]) !== null && JSON.parse(a["gen_ai.output.messages"]) !== null,
  });
} else {
  genaiNote = ` The GenAI row needs the built \`@semtrace/genai\` and the upstream schemas in ../shared; ${existsSync(genaiDist) ? "the schemas were absent" : "the package was not built"}, so it is left out.`;
}

function opsPerSecond(fn, attributes) {
  // Batches of 256 calls until SECONDS have passed.
  let n = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(SECONDS * 1e9));
  let elapsed = 0n;
  while (elapsed < limit) {
    for (let i = 0; i < 256; i++) sink += fn(attributes) ? 1 : 0;
    n += 256;
    elapsed = process.hrtime.bigint() - start;
  }
  if (sink < 0) console.log(sink);
  return n / (Number(elapsed) / 1e9);
}

/**
 * A copy of the timing loop for one candidate. One loop shared by both candidates sees two call targets once the
 * second runs, and V8 may then re-optimise it without inlining either: in some runs and not others, the candidate
 * measured after that was 2-3× slower (seen with both the old and the new generated validators). Each copy, compiled
 * from the same source, has its own type feedback.
 */
function timerFor() {
  return new Function("process", "SECONDS", `return ${opsPerSecond.toString()}`)(process, SECONDS);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n) => Math.round(n).toLocaleString("en-US");

const loadStart = os.loadavg()[0];
const rows = [];
for (const set of sets) {
  const keys = Object.keys(set.attributes).length;
  // Both must accept the set, or the comparison is meaningless.
  if (!set.ours(set.attributes)) throw new Error(`${set.name}: the semtrace validator reports findings`);
  if (!set.ajv(set.attributes)) throw new Error(`${set.name}: ajv rejects the set`);
  const timeOurs = timerFor();
  const timeAjv = timerFor();
  timeOurs(set.ours, set.attributes);
  timeAjv(set.ajv, set.attributes);
  const a = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(timeOurs(set.ours, set.attributes));
    b.push(timeAjv(set.ajv, set.attributes));
  }
  const ratio = median(a) / median(b);
  let result = ratio >= GOAL ? "✅ pass" : "❌ fail";
  if (set.parseOnly) {
    const timeParse = timerFor();
    timeParse(set.parseOnly, set.attributes);
    const p = [];
    for (let r = 0; r < ROUNDS; r++) p.push(timeParse(set.parseOnly, set.attributes));
    result = `— (JSON.parse alone: ${fmt(median(p))} ops/s, ${Math.round((100 * median(a)) / median(p))}% of semtrace's time)`;
  }
  rows.push([
    set.name,
    keys,
    fmt(median(a)),
    `${fmt(median(b))}${set.anchor ? ` (${set.anchor})` : ""}`,
    `${ratio.toFixed(2)}×`,
    result,
  ]);
}

const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
const body = [
  "## Validators",
  "",
  `_${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ${cpu} · ${os.cpus().length} cores · Node ${process.version} · 1-min load average ${loadStart.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}_`,
  "",
  table(
    [
      "Attribute set (valid spans)",
      "Keys",
      "semtrace `validateAttributes` ops/s",
      "ajv + `schema.json` ops/s",
      "Ratio",
      `Goal ≥ ${GOAL}×`,
    ],
    rows,
    ["", "r", "r", "r", "r", ""],
  ),
  "",
  `**Method.** \`tools/bench/src/validators.mjs\`, one process: the built \`@semtrace/openinference\` (\`validateAttributes\`) and ajv 8 (\`Ajv2020\`, default options: stops at the first error) compiled from the generated \`schema.json\`, on the same attribute records; both are warmed up, then timed in ${ROUNDS} alternating rounds of ${SECONDS} s, each by its own copy of the timing loop (a shared loop sees two call targets, which made some runs 2-3× slower for whichever ran second); median ops/s. The semtrace validator does more per call than the schema can say (unknown keys in owned namespaces with suggestions, index gaps, JSON parsing of JSON-string attributes, span kind and requirement levels). The GenAI row runs the built \`@semtrace/genai\`, whose validator parses the message attributes and checks their content against the shapes recorded from the GenAI JSON schemas; its anchor validates them with ajv 8 (draft-07, the schemas' own dialect) compiled from the upstream schemas. Structured, neither parses; as JSON text, both parse the text with \`JSON.parse\` first, which is most of either's time (the share is in the row), so that row reports its ratio without a goal.${genaiNote} Re-run with \`npm run bench:validators -w @semtrace/bench -- --write\` after a build.`,
].join("\n");
console.log(body);
if (values.write) updateSection(join(repoRoot, "BENCHMARKS.md"), "validators", body);
