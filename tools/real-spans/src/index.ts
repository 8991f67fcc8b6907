/**
 * @semtrace/real-spans: real OpenInference spans from the upstream OpenAI instrumentation, for acceptance tests.
 *
 * - `startMockOpenAIServer()`: an OpenAI-compatible server on 127.0.0.1 (chat, tools, streaming, embeddings).
 * - `captureOpenAISpans()`: runs the real `openai` SDK, patched by `@arizeai/openinference-instrumentation-openai`,
 *   against it and returns the spans from the OTel SDK's in-memory exporter.
 * - `captureGenAISpans()`: the same SDK and server with the OpenTelemetry project's `@opentelemetry/instrumentation-openai`,
 *   which writes OpenTelemetry GenAI (`gen_ai.*`) attributes; `GENAI_RELEASES` are the releases installed side by
 *   side (0.22 on Node ≥ 22.15, 0.21 for Node 20), `genaiRelease()` tells what each is and whether this Node runs it.
 * - `captureOpenLLMetrySpans()`: the same SDK and server with OpenLLMetry's `@traceloop/instrumentation-openai`.
 * - `toFixture()`: the deterministic JSON form of captured spans (`test/fixtures/*.json`, written by
 *   `npm run record -w @semtrace/real-spans`), and `loadFixture()` / `loadGenAIFixture()` to read them back.
 */
export {
  startMockOpenAIServer,
  MOCK_CREATED,
  MOCK_EMBEDDING_DIMENSIONS,
  MOCK_SYSTEM_FINGERPRINT,
  type ChatUsage,
  type MockOpenAIServer,
  type MockOpenAIServerOptions,
  type MockResponse,
  type RecordedExchange,
} from "./mock-openai-server.js";
export {
  captureOpenAISpans,
  defaultScenarios,
  packageVersions,
  IMAGE_URL,
  type CaptureOptions,
  type CaptureResult,
  type Scenario,
  type ScenarioContext,
} from "./capture.js";
export {
  toFixture,
  spanToFixture,
  fixtureText,
  sortKeysDeep,
  loadFixture,
  loadGenAIFixture,
  loadOpenLLMetryFixture,
  OPENLLMETRY_FIXTURE_PATH,
  genaiFixturePath,
  FIXTURE_PATH,
  type SpanFixture,
  type SpansFixture,
} from "./fixture.js";
export {
  captureGenAISpans,
  genaiScenarios,
  openaiModuleDefinition,
  responsesScenario,
  type CapturedLogRecord,
  type GenAICaptureOptions,
  type GenAICaptureResult,
} from "./capture-genai.js";
export {
  GENAI_OPENAI,
  GENAI_RELEASES,
  defaultGenAIRelease,
  genaiPackageVersions,
  genaiRelease,
  genaiReleasesForThisNode,
  type GenAIRelease,
  type GenAIReleaseInfo,
} from "./genai-releases.js";
export {
  captureOpenLLMetrySpans,
  openllmetryScenarios,
  openllmetryPackageVersions,
  OPENLLMETRY_INSTRUMENTATION,
  type OpenLLMetryCaptureResult,
} from "./capture-openllmetry.js";
export { installedPackage, type InstalledPackage, type PackageManifest } from "./installed.js";
export {
  loadReplayedFixtures,
  REPLAYED_DIR,
  type ExpectedFinding,
  type ReplayedFixture,
  type ReplayedSource,
  type ReplayedSpan,
} from "./replayed.js";
