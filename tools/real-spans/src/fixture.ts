/**
 * The deterministic JSON form of captured spans, so tests can use real spans without running the instrumentation.
 *
 * `npm run record -w @semtrace/real-spans` writes the fixtures from live captures (tests never write them):
 * `test/fixtures/openai-spans.json` (OpenInference; `loadFixture()`) and `test/fixtures/genai-spans-<release>.json`
 * per release of the OpenTelemetry instrumentation (`loadGenAIFixture(release)`). Per span a fixture keeps what the
 * instrumentation decided (name, kind, status, attributes, events, instrumentation scope) and drops what changes
 * from run to run (trace/span ids, timestamps, durations, the resource). Object keys are sorted at every level; the
 * mock server's random port becomes `<port>` inside strings and 0 as the `server.port` of a loopback `server.address`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SpanKind, SpanStatusCode, type AttributeValue } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { CaptureResult, Scenario } from "./capture.js";
import type { GenAIRelease } from "./genai-releases.js";

/** This workspace's folder: the first one up from this module with its package.json (also from a bundle of src/ in node_modules/.cache). */
function workspaceDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; ) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "@semtrace/real-spans"
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(
        `@semtrace/real-spans: no package.json of @semtrace/real-spans above ${fileURLToPath(import.meta.url)}`,
      );
    dir = parent;
  }
}

export const FIXTURES_DIR = join(workspaceDir(), "test", "fixtures");

/** The OpenInference spans of the default scenarios. */
export const FIXTURE_PATH = join(FIXTURES_DIR, "openai-spans.json");

/** OpenLLMetry's spans (`@traceloop/instrumentation-openai`). */
export const OPENLLMETRY_FIXTURE_PATH = join(FIXTURES_DIR, "openllmetry-spans.json");

/** The GenAI spans of one release of `@opentelemetry/instrumentation-openai`. */
export function genaiFixturePath(release: GenAIRelease): string {
  return join(FIXTURES_DIR, `genai-spans-${release}.json`);
}

export interface SpanFixture {
  readonly name: string;
  /** `SpanKind` member name: `INTERNAL`, `CLIENT`, … */
  readonly kind: string;
  readonly status: { readonly code: "UNSET" | "OK" | "ERROR"; readonly message?: string };
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly events: readonly { readonly name: string; readonly attributes: Readonly<Record<string, AttributeValue>> }[];
  readonly instrumentationScope: { readonly name: string; readonly version?: string };
  readonly droppedAttributesCount: number;
}

export interface SpansFixture {
  readonly generatedBy: string;
  /** Installed versions of the packages that shape the spans. */
  readonly packages: Readonly<Record<string, string>>;
  readonly scenarios: Readonly<
    Record<string, { readonly description: string; readonly spans: readonly SpanFixture[] }>
  >;
}

const PORT = /127\.0\.0\.1:\d+/g;
const LOOPBACK_ADDRESSES = new Set(["127.0.0.1", "localhost", "::1"]);

function scrub<T>(value: T): T {
  if (typeof value === "string") return value.replace(PORT, "127.0.0.1:<port>") as T;
  if (Array.isArray(value)) return value.map(scrub) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)])) as T;
  }
  return value;
}

/** Every object's keys sorted (arrays keep their order), so `JSON.stringify` is stable. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeysDeep((value as Record<string, unknown>)[k])]),
    ) as T;
  }
  return value;
}

/** A loopback server's port is whatever the OS gave the mock: 0 stands for it. */
function scrubServerPort(attributes: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const address = attributes["server.address"];
  if (typeof address !== "string" || !LOOPBACK_ADDRESSES.has(address) || typeof attributes["server.port"] !== "number")
    return attributes;
  return { ...attributes, "server.port": 0 };
}

export function spanToFixture(span: ReadableSpan): SpanFixture {
  const status: SpanFixture["status"] =
    span.status.message === undefined
      ? { code: SpanStatusCode[span.status.code] as SpanFixture["status"]["code"] }
      : { code: SpanStatusCode[span.status.code] as SpanFixture["status"]["code"], message: span.status.message };
  return sortKeysDeep(
    scrub({
      name: span.name,
      // The SDK's ReadableSpan is typed with its own copy of the API's enums (api 1.9 here, 1.10 in this file).
      kind: SpanKind[span.kind as number] ?? String(span.kind),
      status,
      attributes: scrubServerPort(span.attributes as Record<string, AttributeValue>),
      events: span.events.map((e) => ({
        name: e.name,
        attributes: (e.attributes ?? {}) as Record<string, AttributeValue>,
      })),
      instrumentationScope: {
        name: span.instrumentationScope.name,
        ...(span.instrumentationScope.version === undefined ? {} : { version: span.instrumentationScope.version }),
      },
      droppedAttributesCount: span.droppedAttributesCount,
    }),
  );
}

export function toFixture(
  result: Pick<CaptureResult, "byScenario">,
  scenarios: readonly Pick<Scenario, "name" | "description">[],
  packages: Record<string, string>,
): SpansFixture {
  const byName = new Map(scenarios.map((s) => [s.name, s.description]));
  const out: Record<string, { description: string; spans: SpanFixture[] }> = {};
  for (const [name, spans] of result.byScenario) {
    out[name] = { description: byName.get(name) ?? "", spans: spans.map(spanToFixture) };
  }
  return sortKeysDeep({ generatedBy: "npm run record -w @semtrace/real-spans", packages, scenarios: out });
}

/** The stable text of a fixture: sorted keys, two-space indent, trailing newline. */
export function fixtureText(fixture: SpansFixture): string {
  return `${JSON.stringify(sortKeysDeep(fixture), null, 2)}\n`;
}

export function loadFixture(path: string = FIXTURE_PATH): SpansFixture {
  return JSON.parse(readFileSync(path, "utf8")) as SpansFixture;
}

export function loadOpenLLMetryFixture(): SpansFixture {
  return loadFixture(OPENLLMETRY_FIXTURE_PATH);
}

export function loadGenAIFixture(release: GenAIRelease): SpansFixture {
  return loadFixture(genaiFixturePath(release));
}
