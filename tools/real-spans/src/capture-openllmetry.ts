/**
 * Real OpenLLMetry spans: Traceloop's `@traceloop/instrumentation-openai` (OpenLLMetry's JS instrumentation, which
 * writes `gen_ai.*` attributes beside its own `llm.request.type`, `llm.is_streaming`, `llm.usage.total_tokens` and
 * the indexed `gen_ai.prompt.<i>.*` / `gen_ai.completion.<i>.*` content keys) patches the real `openai` SDK, which
 * talks to the mock server on 127.0.0.1; the spans land in the OTel SDK's `InMemorySpanExporter`.
 *
 * The instrumentation instruments `openai` `>=4 <7` (its module definition), so the capture runs `openai` 6.x
 * (`openai-6`), patched through that module definition as `captureGenAISpans` does; it does not instrument
 * embeddings, so the scenarios are the chat ones. Content capture is on (its default: `traceContent: true`), so the
 * prompts and completions are span attributes. Same network guarantees as `captureOpenAISpans`.
 */
import { context } from "@opentelemetry/api";
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
import { openaiModuleDefinition } from "./capture-genai.js";
import { GENAI_OPENAI } from "./genai-releases.js";
import { installedPackage } from "./installed.js";
import { startMockOpenAIServer, type MockOpenAIServer } from "./mock-openai-server.js";

export const OPENLLMETRY_INSTRUMENTATION = "@traceloop/instrumentation-openai";

/** The default scenarios OpenLLMetry instruments: the chat ones (no embeddings; `chat_context` is OpenInference's). */
export const openllmetryScenarios: readonly Scenario[] = defaultScenarios.filter(
  (s) => s.name !== "chat_context" && s.name !== "embeddings",
);

export interface OpenLLMetryCaptureResult {
  readonly spans: ReadableSpan[];
  readonly byScenario: Map<string, ReadableSpan[]>;
  /** The installed version of `@traceloop/instrumentation-openai`. */
  readonly instrumentationVersion: string;
}

/** Installed versions of the packages that shape OpenLLMetry's spans (the fixture's `packages`). */
export function openllmetryPackageVersions(): Record<string, string> {
  return {
    [OPENLLMETRY_INSTRUMENTATION]: installedPackage(OPENLLMETRY_INSTRUMENTATION).version,
    "@traceloop/ai-semantic-conventions": installedPackage("@traceloop/ai-semantic-conventions").version,
    openai: installedPackage(GENAI_OPENAI).version,
  };
}

/** Runs the scenarios against a fresh mock server with OpenLLMetry's OpenAI instrumentation; everything is undone before it returns. */
export async function captureOpenLLMetrySpans(
  scenarios: readonly Scenario[] = openllmetryScenarios,
  spanTimeoutMs = 5000,
): Promise<OpenLLMetryCaptureResult> {
  const { OpenAIInstrumentation } = await import("@traceloop/instrumentation-openai");
  const { exporter, provider, close } = openCapture();
  const openaiVersion = installedPackage(GENAI_OPENAI).version;
  const openaiModule = (await import("openai-6")) as unknown as typeof import("openai");
  let server: MockOpenAIServer | undefined;
  let instrumentation: InstanceType<typeof OpenAIInstrumentation> | undefined;
  let definition: ReturnType<typeof openaiModuleDefinition>;
  try {
    instrumentation = new OpenAIInstrumentation({ enrichTokens: false });
    instrumentation.setTracerProvider(provider);
    definition = openaiModuleDefinition(instrumentation);
    if (!definition?.patch || !definition.unpatch)
      throw new Error(
        `captureOpenLLMetrySpans: ${OPENLLMETRY_INSTRUMENTATION} has no module definition to patch openai with`,
      );
    if (!definition.supportedVersions.some((range) => semver.satisfies(openaiVersion, range))) {
      throw new Error(
        `captureOpenLLMetrySpans: ${OPENLLMETRY_INSTRUMENTATION} instruments openai ${definition.supportedVersions.join(" || ")}, not the installed ${openaiVersion}`,
      );
    }
    definition.patch(openaiModule, openaiVersion);
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
      try {
        await scenario.run(scenarioContext);
      } catch (error) {
        throw new Error(`captureOpenLLMetrySpans: scenario "${scenario.name}" failed: ${errorChain(error)}`, {
          cause: error,
        });
      }
      await waitForSpans(exporter, before + scenario.expectedSpans, spanTimeoutMs, `scenario "${scenario.name}"`);
      byScenario.set(scenario.name, exporter.getFinishedSpans().slice(before));
    }
    await provider.forceFlush();
    const spans = [...exporter.getFinishedSpans()];
    return { spans, byScenario, instrumentationVersion: installedPackage(OPENLLMETRY_INSTRUMENTATION).version };
  } finally {
    definition?.unpatch?.(openaiModule, openaiVersion);
    instrumentation?.disable();
    await close();
    await server?.close();
  }
}
