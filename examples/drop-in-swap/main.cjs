// An app traced by OpenInference's own OpenAI instrumentation, as its README sets it up (CommonJS: constructing the
// instrumentation hooks `require`, so the `openai` required after it is patched). It prints its spans, which copies
// of @arizeai/openinference-semantic-conventions were loaded, and, when one of them is @semtrace/openinference,
// what its validator finds in the instrumentation's spans.
const { OpenAIInstrumentation } = require("@arizeai/openinference-instrumentation-openai");
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require("@opentelemetry/sdk-trace-base");
const fs = require("node:fs");
const path = require("node:path");

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
new OpenAIInstrumentation({ tracerProvider: provider });
const { OpenAI } = require("openai");

const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: "test", maxRetries: 0 });
const weather = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

async function main() {
  await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "What is semtrace?" },
    ],
  });
  await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Weather in Paris?" }],
    tools: [weather],
  });
  const stream = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Count to three." }],
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const _chunk of stream);
  await client.embeddings.create({ model: "text-embedding-3-small", input: ["typed", "conventions"] });
  await provider.forceFlush();

  const spans = exporter.getFinishedSpans();
  for (const span of spans) {
    const attributes = Object.fromEntries(
      Object.entries(span.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    console.log(`span ${JSON.stringify({ name: span.name, attributes })}`);
  }
  // The copies the instrumentation and @arizeai/openinference-core loaded; the app's own import comes after.
  for (const [dir, pkg] of loadedConventions()) console.log(`loaded ${dir} = ${pkg.name}@${pkg.version}`);

  const conventions = require("@arizeai/openinference-semantic-conventions");
  if (typeof conventions.validateSpan === "function") {
    const errors = spans.flatMap((span) => conventions.validateSpan(span).filter((f) => f.severity === "error"));
    console.log(
      `the app's import is @semtrace/openinference: ${spans.length} spans validated, ${errors.length} errors`,
    );
    for (const f of errors) console.log(`  ${f.rule} ${f.key}: ${f.message}`);
  } else console.log("the app's import is upstream's");
}

/** Every copy of @arizeai/openinference-semantic-conventions this process loaded: its folder → its package.json. */
function loadedConventions() {
  const found = new Map();
  const marker = `${path.sep}node_modules${path.sep}@arizeai${path.sep}openinference-semantic-conventions${path.sep}`;
  for (const file of Object.keys(require.cache)) {
    const at = file.lastIndexOf(marker);
    if (at < 0) continue;
    const dir = file.slice(0, at + marker.length - 1);
    const shown = path.relative(__dirname, dir).split(path.sep).join("/");
    if (!found.has(shown)) found.set(shown, JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")));
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : 1));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
