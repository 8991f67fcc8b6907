/**
 * Real OpenTelemetry GenAI spans: the upstream `@opentelemetry/instrumentation-openai` (the OpenTelemetry
 * project's own instrumentation, which writes `gen_ai.*` attributes) patches the real `openai` SDK, the SDK talks
 * to the mock server of `mock-openai-server.ts` on 127.0.0.1, and the spans land in the OTel SDK's
 * `InMemorySpanExporter`.
 *
 * Two releases are installed side by side (`genai-releases.ts`): 0.22, the newest, needs Node ≥ 22.15 and
 * `@opentelemetry/api` 1.10; 0.21 covers Node 20. A capture uses the newest release the running Node supports
 * unless told which.
 *
 * Both releases instrument `openai` `>=4.19.0 <7` only (their module definition's `supportedVersions`): with the
 * newest `openai` (7.x) an app's require hook leaves the SDK unpatched and records nothing. So this capture runs
 * the newest 6.x (`openai-6`, an npm alias), and refuses an SDK outside the instrumentation's declared range rather
 * than patch one the instrumentation itself would not.
 *
 * The instrumentation has no `manuallyInstrument`; inside vitest nothing hooks ES modules (see `capture.ts`), so its
 * module definition's `patch` is applied to the very `openai` module namespace the clients come from, and `unpatch`
 * undoes it. The tracer provider is handed to the instrumentation, so the global one stays untouched. Message
 * content capture is off unless asked for (`captureMessageContent`); the instrumentation writes content to log
 * events, not to span attributes (but `gen_ai.system_instructions` on Responses-API spans), and a capture returns
 * the log records it emitted (`logs`), collected by a logger provider handed to it the same way.
 * Same network guarantees as `captureOpenAISpans`: every client's `fetch` refuses non-loopback hosts.
 */
import { context, metrics } from "@opentelemetry/api";
import semver from "semver";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import * as oiCore from "@arizeai/openinference-core";
import {
  defaultScenarios,
  errorChain,
  loopbackFetch,
  openCapture,
  waitForSpans,
  type Scenario,
  type ScenarioContext,
} from "./capture.js";
import {
  defaultGenAIRelease,
  genaiRelease,
  loadGenAIInstrumentation,
  GENAI_OPENAI,
  type GenAIRelease,
} from "./genai-releases.js";
import { installedPackage } from "./installed.js";
import { startMockOpenAIServer, type MockOpenAIServer } from "./mock-openai-server.js";

/** The scenarios the GenAI capture runs by default: every default scenario except `chat_context` (an OpenInference context feature). */
export const genaiScenarios: readonly Scenario[] = defaultScenarios.filter((s) => s.name !== "chat_context");

export interface GenAICaptureOptions {
  /** Which installed release of `@opentelemetry/instrumentation-openai`; default: the newest this Node supports. */
  readonly release?: GenAIRelease;
  /** How long to wait for a scenario's spans to end. Default 5000 ms. */
  readonly spanTimeoutMs?: number;
  /** The instrumentation's `captureMessageContent` (default false, as the instrumentation's own default). */
  readonly captureMessageContent?: boolean;
}

/** A log record the instrumentation emitted (its events: messages, choices, inference operation details). */
export interface CapturedLogRecord {
  readonly scenario: string;
  /** `eventName`, or the `event.name` attribute of the older events. */
  readonly eventName: string | undefined;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

export interface GenAICaptureResult {
  /** Every finished span, in the order they ended. */
  readonly spans: ReadableSpan[];
  /** Scenario name → its spans, in the order the scenarios ran. */
  readonly byScenario: Map<string, ReadableSpan[]>;
  /** The release that ran (`"0.22"`, `"0.21"`). */
  readonly release: GenAIRelease;
  /** The installed version of that release of `@opentelemetry/instrumentation-openai`, as the instrumentation reports it. */
  readonly instrumentationVersion: string;
  /** Every log record the instrumentation emitted, in order. */
  readonly logs: readonly CapturedLogRecord[];
}

/**
 * The Responses API (`client.responses.create`, not streamed), in two turns: instructions, a user message and a
 * function tool, which the model calls; then the call and its output sent back, and the model's answer. Not in the
 * default scenarios (the OpenInference instrumentation does not trace it).
 */
export const responsesScenario: Scenario = {
  name: "responses_tools",
  description:
    "`responses.create` twice: instructions, a user message and a function tool the model calls; then the call, its output and the answer",
  expectedSpans: 2,
  async run({ client }) {
    const tools = [
      {
        type: "function" as const,
        name: "get_weather",
        description: "Current weather of a city.",
        strict: false,
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    ];
    const input = [{ role: "user" as const, content: "What is the weather in Paris?" }];
    const first = await client.responses.create({
      model: "gpt-4o-mini",
      instructions: "Answer in one sentence.",
      input,
      tools,
    });
    const call = first.output.find((item) => item.type === "function_call");
    if (call?.type !== "function_call") throw new Error("responses_tools: the mock did not call the tool");
    await client.responses.create({
      model: "gpt-4o-mini",
      instructions: "Answer in one sentence.",
      input: [
        ...input,
        call,
        { type: "function_call_output", call_id: call.call_id, output: '{"temperature":21,"sky":"sunny"}' },
      ],
      tools,
    });
  },
};

/** A logger provider (the @opentelemetry/api-logs interface) that keeps what the instrumentation emits. */
function collectingLoggerProvider(records: CapturedLogRecord[], scenario: () => string) {
  const logger = {
    emit(record: { eventName?: string; attributes?: Record<string, unknown>; body?: unknown }): void {
      const attributes = record.attributes ?? {};
      const eventName =
        record.eventName ??
        (typeof attributes["event.name"] === "string" ? (attributes["event.name"] as string) : undefined);
      records.push({ scenario: scenario(), eventName, attributes, body: record.body });
    },
  };
  return { getLogger: () => logger };
}

interface ModuleDefinition {
  readonly name: string;
  readonly supportedVersions: readonly string[];
  patch?: (exports: unknown, version?: string) => unknown;
  unpatch?: (exports: unknown, version?: string) => void;
}

/** The instrumentation's module definition for `openai`: what its require hook would patch, and how. */
export function openaiModuleDefinition(instrumentation: object): ModuleDefinition | undefined {
  const definitions = (instrumentation as { getModuleDefinitions(): ModuleDefinition[] }).getModuleDefinitions();
  return definitions.find((d) => d.name === "openai");
}

/**
 * Runs the scenarios (default: {@link genaiScenarios}) against a fresh mock server with the OpenTelemetry OpenAI
 * instrumentation and returns the finished spans. Everything is unpatched and shut down before it returns.
 * Rejects a release the running Node does not support (its `engines`), naming both.
 */
export async function captureGenAISpans(
  scenarios: readonly Scenario[] = genaiScenarios,
  options: GenAICaptureOptions = {},
): Promise<GenAICaptureResult> {
  const release = genaiRelease(options.release ?? defaultGenAIRelease());
  const spanTimeoutMs = options.spanTimeoutMs ?? 5000;
  const { OpenAIInstrumentation } = await loadGenAIInstrumentation(release.name);
  const { exporter, provider, close } = openCapture();

  let server: MockOpenAIServer | undefined;
  let instrumentation: InstanceType<typeof OpenAIInstrumentation> | undefined;
  const logs: CapturedLogRecord[] = [];
  let current = "";
  let definition: ModuleDefinition | undefined;
  const openaiVersion = installedPackage(GENAI_OPENAI).version;
  const openaiModule = (await import("openai-6")) as unknown as typeof import("openai");
  try {
    instrumentation = new OpenAIInstrumentation({ captureMessageContent: options.captureMessageContent ?? false });
    instrumentation.setTracerProvider(provider);
    (instrumentation as unknown as { setLoggerProvider(provider: unknown): void }).setLoggerProvider(
      collectingLoggerProvider(logs, () => current),
    );
    // The token and duration histograms are created from the meter provider; the global one is a no-op unless an app set one.
    instrumentation.setMeterProvider(metrics.getMeterProvider());
    definition = openaiModuleDefinition(instrumentation);
    if (!definition?.patch || !definition.unpatch)
      throw new Error(`captureGenAISpans: ${release.describe()} has no module definition to patch openai with`);
    if (!definition.supportedVersions.some((range) => semver.satisfies(openaiVersion, range))) {
      throw new Error(
        `captureGenAISpans: ${release.describe()} instruments openai ${definition.supportedVersions.join(" || ")}, not the installed ${openaiVersion}`,
      );
    }
    definition.patch(openaiModule, openaiVersion);
    if ((openaiModule.OpenAI.Chat.Completions.prototype.create as { __wrapped?: boolean }).__wrapped !== true) {
      throw new Error(`captureGenAISpans: ${release.describe()} did not patch openai's Chat.Completions.create`);
    }
    server = await startMockOpenAIServer();
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
      oiCore,
      context,
      server: mock,
    };
    const byScenario = new Map<string, ReadableSpan[]>();
    for (const scenario of scenarios) {
      const before = exporter.getFinishedSpans().length;
      current = scenario.name;
      try {
        await scenario.run(scenarioContext);
      } catch (error) {
        throw new Error(`captureGenAISpans: scenario "${scenario.name}" failed: ${errorChain(error)}`, {
          cause: error,
        });
      }
      await waitForSpans(exporter, before + scenario.expectedSpans, spanTimeoutMs, `scenario "${scenario.name}"`);
      byScenario.set(scenario.name, exporter.getFinishedSpans().slice(before));
    }
    await provider.forceFlush();
    const spans = [...exporter.getFinishedSpans()];
    const expected = scenarios.reduce((n, s) => n + s.expectedSpans, 0);
    if (spans.length !== expected)
      throw new Error(`captureGenAISpans: expected ${expected} spans in all, got ${spans.length}`);
    return {
      spans,
      byScenario,
      release: release.name,
      instrumentationVersion: (instrumentation as unknown as { instrumentationVersion: string }).instrumentationVersion,
      logs,
    };
  } finally {
    definition?.unpatch?.(openaiModule, openaiVersion);
    instrumentation?.disable();
    await close();
    await server?.close();
  }
}
