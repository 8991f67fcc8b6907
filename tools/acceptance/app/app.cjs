/**
 * The acceptance app: a small HTTP service that answers with OpenAI, set up as a user sets one up.
 *
 * - `@opentelemetry/instrumentation-http` traces its server and its client requests (real require hooks);
 * - OpenInference's `@arizeai/openinference-instrumentation-openai` patches `openai` 7 through its require hook;
 * - the OpenTelemetry project's `@opentelemetry/instrumentation-openai` (the release tools/real-spans picks for this
 *   Node) patches `openai` 6 with its own module definition's `patch`: it is installed under an npm alias
 *   (`openai-6`), which a name-based require hook cannot see (an app that installs openai 6 as `openai` gets the hook);
 * - `@semtrace/core`'s `SemtraceContextSpanProcessor` stamps `withContext`'s session and user on every span, HTTP
 *   spans included;
 * - spans go to `@semtrace/node`'s `FileSpanExporter` (each as it ends), to the real OTLP/HTTP exporter and to the
 *   real OTLP/gRPC exporter (batched), each into a `semtrace live-check` of its own.
 *
 * Why the globals are registered through the GenAI instrumentation's copy of `@opentelemetry/api`: on Node ≥ 22.15
 * that instrumentation (0.22) peers on api 1.10, which npm nests beside it, while the SDK, `@semtrace/core` and the
 * other instrumentations load the repo's api 1.9. The api keeps one global object per process, stamped with the
 * version that registered it, and a copy uses it only when that version's minor is at least its own: globals
 * registered by 1.9 (the SDK's `provider.register()`) are invisible to 1.10. `registerInstrumentations` of the
 * newest `@opentelemetry/instrumentation` (on 1.10) then reads no tracer provider and hands every instrumentation,
 * HTTP's included, the no-op one: not one span, and nothing says so; and whatever the instrumentation makes active
 * through its copy's context API is lost. Registered by 1.10, the globals serve both copies (1.9 ≤ 1.10). The test
 * runs the app both ways on every Node where the two copies differ.
 *
 * Configuration: the JSON in `ACCEPTANCE_APP` (see test/acceptance.test.ts). Prints one JSON line to stdout: what ran.
 */
"use strict";
const { createRequire } = require("node:module");
const path = require("node:path");

const config = JSON.parse(process.env.ACCEPTANCE_APP ?? "{}");
const fromDir = (dir) => createRequire(path.join(dir, "package.json"));
const genaiRequire = fromDir(config.genaiInstrumentationDir);
const api = genaiRequire("@opentelemetry/api");

const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
const { W3CTraceContextPropagator } = require("@opentelemetry/core");
const { resourceFromAttributes } = require("@opentelemetry/resources");
const { BatchSpanProcessor, SimpleSpanProcessor } = require("@opentelemetry/sdk-trace-base");
const { NodeTracerProvider } = require("@opentelemetry/sdk-trace-node");
const { OTLPTraceExporter } = require("@opentelemetry/exporter-trace-otlp-http");
const { OTLPTraceExporter: OTLPGrpcTraceExporter } = require("@opentelemetry/exporter-trace-otlp-grpc");
const { SemtraceContextSpanProcessor, withContext } = require("@semtrace/core");
const { FileSpanExporter } = require("@semtrace/node");

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ "service.name": "semtrace-acceptance" }),
  spanProcessors: [
    new SemtraceContextSpanProcessor(),
    new SimpleSpanProcessor(new FileSpanExporter({ path: config.tracesFile })),
    ...(config.otlpUrl ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.otlpUrl }))] : []),
    ...(config.otlpGrpcUrl
      ? [new BatchSpanProcessor(new OTLPGrpcTraceExporter({ url: config.otlpGrpcUrl, compression: "gzip" }))]
      : []),
  ],
});
if (config.registerWith === "sdk") {
  // The usual call, for the test that shows what it costs here: it registers through the SDK's api copy (1.9).
  provider.register();
} else {
  // What provider.register() does, through the instrumentation's api copy (see the module comment).
  const registered = [
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()),
    api.trace.setGlobalTracerProvider(provider),
    api.propagation.setGlobalPropagator(new W3CTraceContextPropagator()),
  ];
  if (registered.includes(false)) throw new Error("acceptance app: the OpenTelemetry globals were already registered");
}

// registerInstrumentations of the @opentelemetry/instrumentation beside the newest instrumentation (on api 1.10 on
// Node >= 22.15), as an app that installs the newest packages imports it.
const { registerInstrumentations } = genaiRequire("@opentelemetry/instrumentation");
const { HttpInstrumentation } = require("@opentelemetry/instrumentation-http");
const { OpenAIInstrumentation: OpenInferenceOpenAI } = require(config.openinferenceInstrumentationDir);
const { OpenAIInstrumentation: GenAIOpenAI } = genaiRequire(config.genaiInstrumentationDir);
const genai = new GenAIOpenAI();
// No tracerProvider here, as usual: it hands every instrumentation the global one, read through its api copy.
registerInstrumentations({ instrumentations: [new HttpInstrumentation(), new OpenInferenceOpenAI(), genai] });

const http = require("node:http");
const OpenAI7 = require(config.openaiDir);
const OpenAI6 = require(config.openai6Dir);
const openai6Version = require(path.join(config.openai6Dir, "package.json")).version;
const definition = genai.getModuleDefinitions().find((d) => d.name === "openai");
definition.patch(OpenAI6, openai6Version);
for (const [name, sdk] of [
  ["openai 7 (OpenInference)", OpenAI7],
  ["openai 6 (GenAI)", OpenAI6],
]) {
  if (sdk.OpenAI.Chat.Completions.prototype.create.__wrapped !== true)
    throw new Error(`acceptance app: ${name} was not instrumented`);
}

const clientOptions = {
  baseURL: config.mockBaseURL,
  apiKey: "test",
  organization: null,
  project: null,
  maxRetries: 0,
  timeout: 10_000,
  logLevel: "off",
};
const clients = { openinference: new OpenAI7.OpenAI(clientOptions), genai: new OpenAI6.OpenAI(clientOptions) };
const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

/** One request's work: a chat, a streamed chat, a chat with a tool, and embeddings, with the given SDK. */
async function answer(client) {
  await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hello!" },
    ],
    temperature: 0.2,
  });
  const stream = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Count to three." }],
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const _ of stream);
  await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Weather in Paris?" }],
    tools: [weatherTool],
  });
  await client.embeddings.create({ model: "text-embedding-3-small", input: ["one", "two"] });
}

/** Spans of the conventions under test with attributes the test hands in (mutations of real spans), ended at once. */
function emitGiven(spans) {
  const tracer = provider.getTracer("acceptance-mutations");
  for (const { name, attributes } of spans) tracer.startSpan(name, { attributes }).end();
}

const server = http.createServer((req, res) => {
  const sdk = new URL(req.url, "http://app").searchParams.get("sdk");
  withContext({ sessionId: `session-${sdk}`, userId: "user-1" }, () => answer(clients[sdk])).then(
    () => res.end("ok"),
    (error) => {
      res.statusCode = 500;
      res.end(String(error?.stack ?? error));
    },
  );
});

function get(port, sdk) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: `/answer?sdk=${sdk}` }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (body += c));
        res.on("end", () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`GET /answer?sdk=${sdk}: ${res.statusCode} ${body}`)),
        );
      })
      .on("error", reject);
  });
}

/** The version of the package `name` that the file belongs to (its `exports` hide its package.json from require). */
function packageVersion(file, name) {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const json = require(path.join(dir, "package.json"));
      if (json.name === name) return json.version;
    } catch {}
  }
  return null;
}

async function main() {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  // Each request from a session of its own: the client span carries it too (the context processor stamps every span).
  for (const sdk of ["openinference", "genai"]) await withContext({ sessionId: `client-${sdk}` }, () => get(port, sdk));
  emitGiven(config.givenSpans ?? []);
  await new Promise((resolve) => server.close(resolve));
  await provider.shutdown();
  process.stdout.write(
    `${JSON.stringify({ api: packageVersion(genaiRequire.resolve("@opentelemetry/api"), "@opentelemetry/api"), openai6: openai6Version })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`acceptance app failed: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
