/**
 * Real OpenInference spans: the upstream `@arizeai/openinference-instrumentation-openai` patches the real `openai` SDK,
 * the SDK talks to the mock server of `mock-openai-server.ts` on 127.0.0.1, and the spans land in the OTel SDK's
 * `InMemorySpanExporter`.
 *
 * How the instrumentation gets hold of `openai`:
 * - ESM (the default; what vitest does): `InstrumentationBase` only hooks `require()` and, with a loader registered
 *   (`--import @opentelemetry/instrumentation/hook.mjs`), `import`. Inside vitest and without that loader nothing hooks
 *   the ES module, so the instrumentation's README way (`registerInstrumentations`) alone produces no spans; we call
 *   `instrumentation.manuallyInstrument(openaiModule)` on the very module namespace the client comes from.
 * - CJS (`moduleFormat: "cjs"`): the instrumentation and `openai` are `require()`d (their CommonJS builds, separate
 *   class objects from the ESM ones); constructing the instrumentation installs its require hook, and the `require`
 *   of `openai` that follows is patched by that hook, the way a CommonJS app gets instrumented. `manuallyInstrument`
 *   is then a no-op (the instrumentation keeps a set of patched classes). Only the first time in a process, though:
 *   `@opentelemetry/instrumentation` 0.46 keeps one require-in-the-middle hook per process, which caches every module
 *   it has returned and never offers it to an instrumentation again, so on later captures `manuallyInstrument` patches.
 *   `patchedBy` in the result says which happened; the spans are the same either way.
 *
 * Nothing is registered globally except an AsyncLocalStorage context manager for the duration of the capture (the
 * `chat_context` scenario needs context propagation; without a context manager `context.with` is a no-op). The tracer
 * provider is handed to the instrumentation directly, so the global tracer provider stays untouched.
 *
 * No request leaves 127.0.0.1: every client gets a `fetch` that refuses any other host, and `NO_PROXY` covers the
 * loopback addresses while the capture runs.
 */
import { createRequire } from "node:module";
import { context, createContextKey, type Context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import type * as OpenAIModuleNs from "openai";
import type OpenAI from "openai";
import type * as InstrumentationModuleNs from "@arizeai/openinference-instrumentation-openai";
import type * as OICoreNs from "@arizeai/openinference-core";
import type { TraceConfigOptions } from "@arizeai/openinference-core";
import { installedPackage } from "./installed.js";
import { startMockOpenAIServer, type MockOpenAIServer, type RecordedExchange } from "./mock-openai-server.js";

type OpenAIModule = typeof OpenAIModuleNs;
type InstrumentationModule = typeof InstrumentationModuleNs;
type OICore = typeof OICoreNs;

const require = createRequire(import.meta.url);
/** The @opentelemetry/api this workspace imports. */
const API_VERSION = installedPackage("@opentelemetry/api").version;

/** What a scenario gets to work with. */
export interface ScenarioContext {
  /** An OpenAI client for the mock server (`baseURL: http://127.0.0.1:<port>/v1`, `apiKey: "test"`, no retries). */
  readonly client: OpenAI;
  /**
   * A client whose `baseURL` names another host (e.g. `https://api.openai.com/v1`) but whose `fetch` sends every
   * request to the mock server: the instrumentation derives `llm.provider` from the `baseURL` host.
   */
  clientFor(baseURL: string): OpenAI;
  /** `@arizeai/openinference-core` (the same build the instrumentation uses): `setSession`, `setTags`, … */
  readonly oiCore: OICore;
  /** The OTel context API, for `context.with(setSession(context.active(), …), fn)`. */
  readonly context: typeof context;
  readonly server: MockOpenAIServer;
}

export interface Scenario {
  /** Key of `byScenario`; unique within one capture. */
  readonly name: string;
  /** One line for humans (written to the fixture). */
  readonly description: string;
  /** How many spans the scenario produces (one per SDK call); the capture waits for exactly this many. */
  readonly expectedSpans: number;
  run(ctx: ScenarioContext): Promise<void>;
}

const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Get the current weather in a city.",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string", description: "City name, e.g. Paris" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
      },
      required: ["city"],
      additionalProperties: false,
    },
    strict: true,
  },
} as const;

export const IMAGE_URL = "https://example.com/images/cat.png";

/** The default scenarios, in the order they run. */
export const defaultScenarios: readonly Scenario[] = [
  {
    name: "chat",
    description: "chat.completions.create: system + user message, sampling parameters",
    expectedSpans: 1,
    async run({ client }) {
      await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [
          { role: "system", content: "You are a terse assistant." },
          { role: "user", content: "Say hello in French." },
        ],
        temperature: 0.2,
        max_completion_tokens: 64,
        seed: 7,
      });
    },
  },
  {
    name: "chat_tools",
    description:
      "two chat.completions.create turns with a function tool: the model calls the tool; the follow-up sends the assistant tool_call message and a tool-role result",
    expectedSpans: 2,
    async run({ client }) {
      const question = { role: "user" as const, content: "What is the weather in Paris?" };
      const first = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [question],
        tools: [WEATHER_TOOL],
        tool_choice: "auto",
      });
      const assistant = first.choices[0]!.message;
      const call = assistant.tool_calls![0]!;
      await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [
          question,
          assistant,
          {
            role: "tool",
            tool_call_id: call.id,
            content: JSON.stringify({ city: "Paris", temperature_c: 18, sky: "cloudy" }),
          },
        ],
        tools: [WEATHER_TOOL],
      });
    },
  },
  {
    name: "chat_stream",
    description: "chat.completions.create with stream: true and stream_options.include_usage, stream fully consumed",
    expectedSpans: 1,
    async run({ client }) {
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "Count from one to five in words." }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      if (!text) throw new Error("chat_stream: the stream carried no content");
    },
  },
  {
    name: "chat_stream_tools",
    description: "streaming chat whose answer is a tool call (arguments arrive in pieces)",
    expectedSpans: 1,
    async run({ client }) {
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "What is the weather in Paris?" }],
        tools: [WEATHER_TOOL],
        stream: true,
      });
      for await (const _chunk of stream) {
        // consume
      }
    },
  },
  {
    name: "embeddings",
    description: "embeddings.create of 2 inputs (the SDK asks for base64 and decodes it)",
    expectedSpans: 1,
    async run({ client }) {
      const result = await client.embeddings.create({
        model: "text-embedding-3-small",
        input: ["The quick brown fox", "jumps over the lazy dog"],
      });
      if (result.data.length !== 2) throw new Error(`embeddings: expected 2 vectors, got ${result.data.length}`);
    },
  },
  {
    name: "chat_image",
    description: "chat with a user message of a text part and an image_url part",
    expectedSpans: 1,
    async run({ client }) {
      await client.chat.completions.create({
        model: "gpt-4o",
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is in this image?" },
              { type: "image_url", image_url: { url: IMAGE_URL, detail: "low" } },
            ],
          },
        ],
      });
    },
  },
  {
    name: "chat_context",
    description:
      "chat inside context.with(session, user, metadata, tags, prompt template) from @arizeai/openinference-core, on a client whose baseURL host is api.openai.com",
    expectedSpans: 1,
    async run({ clientFor, oiCore, context: ctxApi }) {
      const client = clientFor("https://api.openai.com/v1");
      let ctx: Context = ctxApi.active();
      ctx = oiCore.setSession(ctx, { sessionId: "session-1234" });
      ctx = oiCore.setUser(ctx, { userId: "user-5678" });
      ctx = oiCore.setMetadata(ctx, { tenant: "acme", experiment: 3 });
      ctx = oiCore.setTags(ctx, ["real-spans", "context"]);
      ctx = oiCore.setPromptTemplate(ctx, {
        template: "Describe {city} in one sentence.",
        variables: { city: "Lyon" },
        version: "v1",
      });
      await ctxApi.with(ctx, () =>
        client.chat.completions.create({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: "Describe Lyon in one sentence." }],
        }),
      );
    },
  },
];

export interface CaptureOptions {
  /** Which build of `openai` and of the instrumentation to use; see the module comment. Default `"esm"`. */
  readonly moduleFormat?: "esm" | "cjs";
  /**
   * Passed to `new OpenAIInstrumentation({ traceConfig })`. Default `undefined`: the instrumentation's defaults, and
   * then it reads no `OPENINFERENCE_*` environment variable (with any object, unset options come from the
   * environment), so the spans do not depend on the environment.
   */
  readonly traceConfig?: TraceConfigOptions;
  /** How long to wait for a scenario's spans to end (streams end theirs after the last chunk). Default 5000 ms. */
  readonly spanTimeoutMs?: number;
}

export interface CaptureResult {
  /** Every finished span, in the order they ended. */
  readonly spans: ReadableSpan[];
  /** Scenario name → its spans, in the order the scenarios ran. */
  readonly byScenario: Map<string, ReadableSpan[]>;
  /** Scenario name → the HTTP exchanges the mock server saw while it ran. */
  readonly exchangesByScenario: Map<string, RecordedExchange[]>;
  /** How the `openai` module got patched: by the instrumentation's require hook, or by `manuallyInstrument`. */
  readonly patchedBy: "require-hook" | "manuallyInstrument";
  readonly moduleFormat: "esm" | "cjs";
}

interface Loaded {
  readonly instrumentation: InstrumentationModule;
  readonly oiCore: OICore;
  loadOpenAI(): Promise<OpenAIModule>;
}

async function load(format: "esm" | "cjs"): Promise<Loaded> {
  if (format === "cjs") {
    return {
      instrumentation: require("@arizeai/openinference-instrumentation-openai") as InstrumentationModule,
      oiCore: require("@arizeai/openinference-core") as OICore,
      loadOpenAI: async () => require("openai") as OpenAIModule,
    };
  }
  return {
    instrumentation: await import("@arizeai/openinference-instrumentation-openai"),
    oiCore: await import("@arizeai/openinference-core"),
    loadOpenAI: () => import("openai"),
  };
}

function isLoopback(hostname: string): boolean {
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}

/** A `fetch` that sends `rewriteOrigin` requests to the mock server and refuses every non-loopback host. */
export function loopbackFetch(server: MockOpenAIServer, rewriteOrigin?: string) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    let url = new URL(input instanceof Request ? input.url : input.toString());
    if (rewriteOrigin !== undefined && url.origin === rewriteOrigin)
      url = new URL(`${url.pathname}${url.search}`, server.origin);
    if (!isLoopback(url.hostname)) {
      throw new Error(
        `@semtrace/real-spans: refusing a request to ${url.origin}; only the mock server on 127.0.0.1 may be reached`,
      );
    }
    return input instanceof Request ? fetch(new Request(url, input), init) : fetch(url, init);
  };
}

export function withLoopbackNoProxy(): () => void {
  const saved = { NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
  for (const key of ["NO_PROXY", "no_proxy"] as const) {
    const current = process.env[key];
    process.env[key] = [current, "127.0.0.1", "localhost", "::1"].filter(Boolean).join(",");
  }
  return () => {
    for (const key of ["NO_PROXY", "no_proxy"] as const) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  };
}

/** Where @opentelemetry/api 1.x keeps its globals (one object per process, stamped with the version that created it). */
const OTEL_API_GLOBAL = Symbol.for("opentelemetry.js.api.1");

function otelGlobal(): ({ version?: string } & Record<string, unknown>) | undefined {
  return (globalThis as Record<symbol, ({ version?: string } & Record<string, unknown>) | undefined>)[OTEL_API_GLOBAL];
}

/**
 * What every capture sets up: loopback without proxies, an in-memory exporter on its own tracer provider (handed to
 * the instrumentation, so the global one stays untouched) and an AsyncLocalStorage context manager. `close` shuts
 * the provider down and undoes the rest.
 *
 * This workspace runs on `@opentelemetry/api` 1.10 while the rest of the repo has 1.9. The api keeps one global
 * object per process, stamped with the version that created it: a 1.10 api can neither register into nor read a
 * 1.9 one, and a 1.9 api cannot register into a 1.10 one. So the capture checks that context propagation works
 * (and fails, naming the versions, if it does not), and removes the global object again if it created it.
 */
export function openCapture(): {
  exporter: InMemorySpanExporter;
  provider: BasicTracerProvider;
  close(): Promise<void>;
} {
  const hadGlobal = otelGlobal() !== undefined;
  const restoreEnv = withLoopbackNoProxy();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    // Explicit, so OTEL_* environment variables cannot change what is captured (BasicTracerProvider reads them).
    sampler: new AlwaysOnSampler(),
    spanLimits: { attributeCountLimit: 10_000, attributeValueLengthLimit: Number.POSITIVE_INFINITY },
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const ownsContextManager = context.setGlobalContextManager(contextManager);
  const close = async () => {
    try {
      await provider.shutdown();
    } finally {
      if (ownsContextManager) context.disable();
      else contextManager.disable();
      restoreEnv();
      const global = otelGlobal();
      if (!hadGlobal && global !== undefined && Object.keys(global).every((k) => k === "version")) {
        delete (globalThis as Record<symbol, unknown>)[OTEL_API_GLOBAL];
      }
    }
  };
  const probe = createContextKey("@semtrace/real-spans context probe");
  if (context.with(context.active().setValue(probe, true), () => context.active().getValue(probe)) !== true) {
    const version = otelGlobal()?.version;
    void close();
    throw new Error(
      `@semtrace/real-spans: context propagation does not work in this process: its OpenTelemetry API globals were registered by @opentelemetry/api ${version ?? "(unknown)"}, ` +
        `which the api ${API_VERSION} of this workspace cannot use. Capture before anything registers OpenTelemetry globals, or in a process of its own.`,
    );
  }
  return { exporter, provider, close };
}

export async function waitForSpans(
  exporter: InMemorySpanExporter,
  count: number,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (exporter.getFinishedSpans().length < count) {
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: waited ${timeoutMs} ms for ${count} finished spans, have ${exporter.getFinishedSpans().length}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Runs the scenarios (default: `defaultScenarios`) one after the other against a fresh mock server, tracer provider
 * and instrumentation, and returns the finished spans. Everything is shut down and unpatched before it returns.
 */
export async function captureOpenAISpans(
  scenarios: readonly Scenario[] = defaultScenarios,
  options: CaptureOptions = {},
): Promise<CaptureResult> {
  const names = new Set<string>();
  for (const s of scenarios) {
    if (names.has(s.name)) throw new Error(`captureOpenAISpans: duplicate scenario name "${s.name}"`);
    names.add(s.name);
  }
  const moduleFormat = options.moduleFormat ?? "esm";
  const spanTimeoutMs = options.spanTimeoutMs ?? 5000;

  const { exporter, provider, close } = openCapture();

  let server: MockOpenAIServer | undefined;
  let instrumentation: InstanceType<InstrumentationModule["OpenAIInstrumentation"]> | undefined;
  try {
    server = await startMockOpenAIServer();
    const loaded = await load(moduleFormat);
    instrumentation = new loaded.instrumentation.OpenAIInstrumentation({
      tracerProvider: provider,
      ...(options.traceConfig === undefined ? {} : { traceConfig: options.traceConfig }),
    });
    const openaiModule = await loaded.loadOpenAI();
    const patchedByHook = isWrapped(openaiModule.OpenAI.Chat.Completions.prototype.create);
    // Typed (and documented upstream) as taking the default export, the OpenAI class; it reads `.OpenAI` off it,
    // which the class has as a static self-reference.
    instrumentation.manuallyInstrument(openaiModule.OpenAI);
    if (!isWrapped(openaiModule.OpenAI.Chat.Completions.prototype.create)) {
      throw new Error("captureOpenAISpans: the instrumentation did not patch openai's Chat.Completions.create");
    }

    const mock = server;
    const makeClient = (baseURL: string, rewriteOrigin?: string) =>
      new openaiModule.OpenAI({
        baseURL,
        apiKey: "test",
        organization: null,
        project: null,
        maxRetries: 0,
        timeout: 10_000,
        logLevel: "off",
        fetch: loopbackFetch(mock, rewriteOrigin),
      });
    const scenarioContext: ScenarioContext = {
      client: makeClient(mock.baseURL),
      clientFor: (baseURL) => makeClient(baseURL, new URL(baseURL).origin),
      oiCore: loaded.oiCore,
      context,
      server: mock,
    };

    const byScenario = new Map<string, ReadableSpan[]>();
    const exchangesByScenario = new Map<string, RecordedExchange[]>();
    for (const scenario of scenarios) {
      const spansBefore = exporter.getFinishedSpans().length;
      const exchangesBefore = mock.exchanges.length;
      try {
        await scenario.run(scenarioContext);
      } catch (error) {
        throw new Error(`captureOpenAISpans: scenario "${scenario.name}" failed: ${errorChain(error)}`, {
          cause: error,
        });
      }
      await waitForSpans(exporter, spansBefore + scenario.expectedSpans, spanTimeoutMs, `scenario "${scenario.name}"`);
      byScenario.set(scenario.name, exporter.getFinishedSpans().slice(spansBefore));
      exchangesByScenario.set(scenario.name, mock.exchanges.slice(exchangesBefore));
    }

    await provider.forceFlush();
    const spans = [...exporter.getFinishedSpans()];
    const expected = scenarios.reduce((n, s) => n + s.expectedSpans, 0);
    if (spans.length !== expected) {
      throw new Error(
        `captureOpenAISpans: expected ${expected} spans in all, got ${spans.length} (a scenario's expectedSpans is wrong)`,
      );
    }
    return {
      spans,
      byScenario,
      exchangesByScenario,
      patchedBy: patchedByHook ? "require-hook" : "manuallyInstrument",
      moduleFormat,
    };
  } finally {
    // Unpatches every module the instrumentation patched (by hook or by hand) and removes its require hook.
    instrumentation?.disable();
    await close();
    await server?.close();
  }
}

/** "message ← cause's message ← …": the SDK wraps fetch failures in a bare "Connection error.". */
export function errorChain(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && parts.length < 5; e = (e as { cause?: unknown } | null)?.cause) {
    parts.push(e instanceof Error ? e.message : String(e));
  }
  return parts.join(" ← ");
}

function isWrapped(fn: unknown): boolean {
  return typeof fn === "function" && (fn as { __wrapped?: boolean }).__wrapped === true;
}

/**
 * Name → version of the packages that shape the captured spans. The instrumentation's own dependencies (its
 * `@opentelemetry/instrumentation`, semantic conventions and `@opentelemetry/api`) are resolved from where it is
 * installed; the SDK, `openai` and `@arizeai/openinference-core` from this workspace, as the capture imports them.
 */
export function packageVersions(): Record<string, string> {
  const instrumentation = installedPackage("@arizeai/openinference-instrumentation-openai");
  const fromInstrumentation = `${instrumentation.dir}/`;
  return {
    "@arizeai/openinference-instrumentation-openai": instrumentation.version,
    "@arizeai/openinference-core": installedPackage("@arizeai/openinference-core").version,
    "@arizeai/openinference-semantic-conventions": installedPackage(
      "@arizeai/openinference-semantic-conventions",
      fromInstrumentation,
    ).version,
    openai: installedPackage("openai").version,
    "@opentelemetry/api": installedPackage("@opentelemetry/api", fromInstrumentation).version,
    "@opentelemetry/sdk-trace-base": installedPackage("@opentelemetry/sdk-trace-base").version,
    "@opentelemetry/instrumentation": installedPackage("@opentelemetry/instrumentation", fromInstrumentation).version,
  };
}
