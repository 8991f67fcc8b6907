/**
 * Loads @semtrace/core's built ES module (dist/index.js) and its built CommonJS (dist/index.cjs) into this one
 * process — two copies of every module, as a mixed application gets them — and drives one through the other on the
 * real OpenTelemetry SDK. Prints what it observed as JSON; test/dual-copies.test.ts asserts on it.
 *
 *   node dual-copies-child.mjs shared          the two copies of this version
 *   node dual-copies-child.mjs other-version   a copy of another state version already loaded (its slot set first)
 *   node dual-copies-child.mjs foreign-slot    something that is not a state in this version's slot
 */
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DiagLogLevel, context, diag, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

const mode = process.argv[2];
const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
const GLOBAL_KEY = Symbol.for("semtrace.core.state");
const slotsOnGlobal = /** @type {Record<symbol, unknown>} */ (globalThis);

// Another copy's state, set before ours loads (as if that copy had loaded first).
const otherVersionState = { version: 2, config: { hideInputs: false }, marker: "untouched" };
if (mode === "other-version") slotsOnGlobal[GLOBAL_KEY] = { 2: otherVersionState };
if (mode === "foreign-slot") slotsOnGlobal[GLOBAL_KEY] = { 1: { version: "not a state" } };

/** @type {string[]} */
const warnings = [];
diag.setLogger(
  { error: () => {}, warn: (m) => void warnings.push(m), info: () => {}, debug: () => {}, verbose: () => {} },
  { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
);

const esm = await import(pathToFileURL(`${dist}index.js`).href);
const cjs = createRequire(import.meta.url)(`${dist}index.cjs`);

/** Keeps every exported span, also after shutdown (the SDK's in-memory exporter forgets them then). */
/** @type {import("@opentelemetry/sdk-trace-base").ReadableSpan[]} */
const exported = [];
/** @type {import("@opentelemetry/sdk-trace-base").SpanExporter} */
const exporter = {
  export: (spans, done) => {
    exported.push(...spans);
    done({ code: 0 });
  },
  shutdown: async () => {},
  forceFlush: async () => {},
};
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
// The context processor of the ES module copy; most spans below are started by the CommonJS copy.
const processor = new esm.SemtraceContextSpanProcessor();
const provider = new BasicTracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);

/** @param {string} name */
function attributesOf(name) {
  const spans = exported.filter((s) => s.name === name);
  if (spans.length !== 1) throw new Error(`expected one span named ${name}, found ${spans.length}`);
  return spans[0]?.attributes ?? {};
}

/** @type {{ [key: string]: any }} */
const out = { copiesDiffer: esm.traceChain !== cjs.traceChain, warnings };

// Configuration: the CommonJS copy resolves (and caches) its configuration first, then the ES module copy configures.
cjs.traceChain((/** @type {string} */ input) => input.length, { name: "before-configure" })("secret input");
esm.configure({ hideInputs: true });
cjs.traceChain((/** @type {string} */ input) => input.length, { name: "after-esm-configure" })("secret input");
cjs.resetConfig();
esm.traceChain((/** @type {string} */ input) => input.length, { name: "after-cjs-reset" })("secret input");
out.inputs = {
  beforeConfigure: attributesOf("before-configure")["input.value"] ?? null,
  afterEsmConfigure: attributesOf("after-esm-configure")["input.value"] ?? null,
  afterCjsReset: attributesOf("after-cjs-reset")["input.value"] ?? null,
};

// currentSpan() across copies, both ways, with the typed handle's methods.
out.currentSpan = {
  cjsInsideEsm: esm.traceLLM(
    () => {
      const span = cjs.currentSpan("LLM");
      span?.setModel("model-from-cjs-handle");
      return { found: span !== undefined, kind: span?.kind ?? null, anyKind: cjs.currentSpan()?.kind ?? null };
    },
    { name: "esm-llm" },
  )(),
  esmInsideCjs: cjs.startActiveSpan("TOOL", "cjs-tool", () => {
    const span = esm.currentSpan("TOOL");
    span?.setCustom("mycompany.seen_by", "esm");
    return { found: span !== undefined, kind: span?.kind ?? null, otherKind: esm.currentSpan("LLM") ?? null };
  }),
};
out.currentSpan.modelWritten = attributesOf("esm-llm")["llm.model_name"] ?? null;
out.currentSpan.customWritten = attributesOf("cjs-tool")["mycompany.seen_by"] ?? null;

// Prices: the ES module copy sets the default table, the CommonJS copy prices with it; then turns pricing off.
esm.setDefaultPrices({ version: "test-1", models: { "house-model": { input: 1, output: 2 } } });
const priced = (/** @type {string} */ name) =>
  cjs.traceLLM(
    () => void cjs.currentSpan("LLM")?.setModel("house-model").setUsage({ input: 1_000_000, output: 500_000 }),
    { name },
  )();
priced("cjs-priced");
const findPriceInEsm = esm.findPrice("house-model")?.output ?? null;
cjs.setDefaultPrices(false);
esm.traceLLM(
  () => void esm.currentSpan("LLM")?.setModel("house-model").setUsage({ input: 1_000_000, output: 500_000 }),
  { name: "esm-unpriced" },
)();
out.prices = {
  findPriceInEsm,
  costWithSharedTable: attributesOf("cjs-priced")["llm.cost.total"] ?? null,
  costAfterOtherCopyTurnedPricingOff: attributesOf("esm-unpriced")["llm.cost.total"] ?? null,
};
esm.setDefaultPrices(esm.DEFAULT_PRICES);

// Trace context set through one copy, spans written by the other.
esm.withContext({ sessionId: "session-esm", tags: ["esm"] }, () =>
  cjs.traceTool(() => 1, { name: "cjs-in-esm-context" })(),
);
out.traceContext = {
  sessionId: attributesOf("cjs-in-esm-context")["session.id"] ?? null,
  readBack: esm.withContext({ userId: "user-esm" }, () => cjs.getTraceContext()?.userId ?? null),
};

// One report per cause, whichever copy swallows it.
esm.configure("not an object");
cjs.configure("not an object");
out.reportsOfOneCause = warnings.filter((m) =>
  m.includes("configure() was given a configuration that is not an object"),
).length;

// A span the CommonJS copy started and nobody ended: the ES module copy's processor ends it at shutdown.
cjs.startSpan("AGENT", "left-open");
out.openSpansBeforeShutdown = processor.openSpans;
await provider.shutdown();
const leftOpen = exported.find((s) => s.name === "left-open");
out.leftOpenEndedAtShutdown = leftOpen?.events.some((e) => e.name === "semtrace.span.ended_at_shutdown") ?? false;

if (mode === "other-version") out.otherVersionState = otherVersionState;
out.slots = Object.keys(slotsOnGlobal[GLOBAL_KEY] ?? {});
process.stdout.write(`${JSON.stringify(out)}\n`);
