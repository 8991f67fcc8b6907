/**
 * Real OpenTelemetry GenAI spans: the upstream `@opentelemetry/instrumentation-openai` (the OpenTelemetry
 * project's own instrumentation, which writes `gen_ai.*` attributes) patches the real `openai` SDK, the SDK talks
 * to the mock server of `mock-openai-server.ts` on 127.0.0.1, and the spans land in the OTel SDK's
 * `InMemorySpanExporter`.
 *
 * The instrumentation has no `manuallyInstrument`; inside vitest nothing hooks ES modules (see `capture.ts`), so its
 * module definition's `patch` is applied to the very `openai` module namespace the clients come from, and `unpatch`
 * undoes it. The tracer provider is handed to the instrumentation, so the global one stays untouched; message
 * content capture stays off (the instrumentation writes content to log events, not to span attributes, anyway).
 * Same network guarantees as `captureOpenAISpans`: every client's `fetch` refuses non-loopback hosts.
 */
import { context, metrics } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { OpenAIInstrumentation } from "@opentelemetry/instrumentation-openai";
import * as oiCore from "@arizeai/openinference-core";
import { defaultScenarios, errorChain, loopbackFetch, openCapture, waitForSpans, type Scenario, type ScenarioContext } from "./capture.js";
import { startMockOpenAIServer, type MockOpenAIServer } from "./mock-openai-server.js";

/** The scenarios the GenAI capture runs by default: every default scenario except `chat_context` (an OpenInference context feature). */
export const genaiScenarios: readonly Scenario[] = defaultScenarios.filter((s) => s.name !== "chat_context");

export interface GenAICaptureResult {
  /** Every finished span, in the order they ended. */
  readonly spans: ReadableSpan[];
  /** Scenario name → its spans, in the order the scenarios ran. */
  readonly byScenario: Map<string, ReadableSpan[]>;
  /** The installed version of `@opentelemetry/instrumentation-openai`. */
  readonly instrumentationVersion: string;
}

interface ModuleDefinition {
  patch?: (exports: unknown, version?: string) => unknown;
  unpatch?: (exports: unknown, version?: string) => void;
}

/**
 * Runs the scenarios (default: {@link genaiScenarios}) against a fresh mock server with the OpenTelemetry OpenAI
 * instrumentation and returns the finished spans. Everything is unpatched and shut down before it returns.
 */
export async function captureGenAISpans(scenarios: readonly Scenario[] = genaiScenarios, options: { spanTimeoutMs?: number } = {}): Promise<GenAICaptureResult> {
  const spanTimeoutMs = options.spanTimeoutMs ?? 5000;
  const { exporter, provider, close } = openCapture();

  let server: MockOpenAIServer | undefined;
  const instrumentation = new OpenAIInstrumentation({ captureMessageContent: false });
  instrumentation.setTracerProvider(provider);
  // The token and duration histograms are created from the meter provider; the global one is a no-op unless an app set one.
  instrumentation.setMeterProvider(metrics.getMeterProvider());
  const openaiModule = await import("openai");
  const definitions = (instrumentation as unknown as { getModuleDefinitions(): ModuleDefinition[] }).getModuleDefinitions();
  const definition = definitions[0];
  if (!definition?.patch || !definition.unpatch) throw new Error("captureGenAISpans: @opentelemetry/instrumentation-openai has no module definition to patch openai with");
  try {
    definition.patch(openaiModule);
    if ((openaiModule.OpenAI.Chat.Completions.prototype.create as { __wrapped?: boolean }).__wrapped !== true) {
      throw new Error("captureGenAISpans: the instrumentation did not patch openai's Chat.Completions.create");
    }
    server = await startMockOpenAIServer();
    const mock = server;
    const makeClient = (baseURL: string, rewriteOrigin?: string) =>
      new openaiModule.OpenAI({ baseURL, apiKey: "test", organization: null, project: null, maxRetries: 0, timeout: 10_000, logLevel: "off", fetch: loopbackFetch(mock, rewriteOrigin) });
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
      try {
        await scenario.run(scenarioContext);
      } catch (error) {
        throw new Error(`captureGenAISpans: scenario "${scenario.name}" failed: ${errorChain(error)}`, { cause: error });
      }
      await waitForSpans(exporter, before + scenario.expectedSpans, spanTimeoutMs, `scenario "${scenario.name}"`);
      byScenario.set(scenario.name, exporter.getFinishedSpans().slice(before));
    }
    await provider.forceFlush();
    const spans = [...exporter.getFinishedSpans()];
    const expected = scenarios.reduce((n, s) => n + s.expectedSpans, 0);
    if (spans.length !== expected) throw new Error(`captureGenAISpans: expected ${expected} spans in all, got ${spans.length}`);
    return { spans, byScenario, instrumentationVersion: (instrumentation as unknown as { instrumentationVersion: string }).instrumentationVersion };
  } finally {
    definition.unpatch(openaiModule);
    instrumentation.disable();
    await close();
    await server?.close();
  }
}
