/**
 * Issue 11's acceptance: app/app.cjs (real HTTP instrumentation, both OpenAI instrumentations, @semtrace/core's
 * context processor) runs in a child process against the mock OpenAI server and exports every span twice: to
 * @semtrace/node's file exporter, over the real OTLP/HTTP exporter into one `semtrace live-check` (the built bin, port
 * 0) and over the real OTLP/gRPC exporter (gzip) into another. Then `semtrace validate` (the built bin) reads the file.
 * The three reports must be the same (sources aside), with no error on the valid spans, the HTTP spans counted as
 * other spans, and every mutation of a real span caught.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  defaultGenAIRelease,
  genaiPackageVersions,
  genaiRelease,
  GENAI_OPENAI,
  installedPackage,
  loadFixture,
  loadGenAIFixture,
  startMockOpenAIServer,
} from "@semtrace/real-spans";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutSources } from "../../../packages/cli/test/helpers/reports.js";

const here = dirname(fileURLToPath(import.meta.url));
const bin = fileURLToPath(new URL("../../../packages/cli/bin/semtrace.js", import.meta.url));
const realSpansDir = fileURLToPath(new URL("../../real-spans/", import.meta.url));
const rootDir = fileURLToPath(new URL("../../../", import.meta.url));
const packageDir = (name: string) => installedPackage(name, realSpansDir).dir;

type Attrs = Record<string, unknown>;
interface Finding {
  readonly spanName: string;
  readonly rule: string;
  readonly key: string;
  readonly severity: "error" | "warning" | "info";
  readonly source?: unknown;
}
interface Report {
  readonly summary: Record<string, unknown> & { spans: number; other: number; errors: number };
  readonly findings: Finding[];
  readonly rejected: { source?: unknown }[];
}

const set = (extra: Attrs) => (a: Attrs) => ({ ...a, ...extra });
const drop = (key: string) => (a: Attrs) => Object.fromEntries(Object.entries(a).filter(([k]) => k !== key));
const rename = (from: string, to: string) => (a: Attrs) =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k === from ? to : k, v]));

// Real chat spans, recorded by tools/real-spans. The GenAI instrumentation writes the deprecated gen_ai.system and no
// gen_ai.provider.name: the base here is that span as the current conventions want it.
const genaiRelease_ = defaultGenAIRelease();
const oiChat = loadFixture().scenarios["chat"]!.spans[0]!.attributes as Attrs;
const genaiChat = rename(
  "gen_ai.system",
  "gen_ai.provider.name",
)(loadGenAIFixture(genaiRelease_).scenarios["chat"]!.spans[0]!.attributes as Attrs);

/** Mutations of real spans (as in the registries' mutation tables) and the findings (warning and above) each must give. */
const MUTATIONS: readonly { name: string; base: Attrs; mutate: (a: Attrs) => Attrs; want: readonly string[] }[] = [
  { name: "OpenInference chat, unchanged", base: oiChat, mutate: (a) => a, want: [] },
  {
    name: "OpenInference: typo'd key inside llm",
    base: oiChat,
    mutate: rename("llm.model_name", "llm.modle_name"),
    want: ["error key.unknown llm.modle_name"],
  },
  {
    name: "OpenInference: a string token count",
    base: oiChat,
    mutate: set({ "llm.token_count.prompt": "12" }),
    want: ["error value.type llm.token_count.prompt"],
  },
  {
    name: "OpenInference: no span kind",
    base: oiChat,
    mutate: drop("openinference.span.kind"),
    want: ["error span-kind.missing openinference.span.kind"],
  },
  { name: "GenAI chat, unchanged", base: genaiChat, mutate: (a) => a, want: [] },
  {
    name: "GenAI: typo'd key inside gen_ai",
    base: genaiChat,
    mutate: rename("gen_ai.request.model", "gen_ai.request.modle"),
    want: ["error key.unknown gen_ai.request.modle"],
  },
  {
    name: "GenAI: a string token count",
    base: genaiChat,
    mutate: set({ "gen_ai.usage.input_tokens": "25" }),
    want: ["error value.type gen_ai.usage.input_tokens"],
  },
  {
    name: "GenAI: no operation name",
    base: genaiChat,
    mutate: drop("gen_ai.operation.name"),
    want: ["error span-kind.missing gen_ai.operation.name"],
  },
  {
    name: "GenAI: the deprecated gen_ai.system",
    base: genaiChat,
    mutate: set({ "gen_ai.system": "openai" }),
    want: ["warning key.deprecated gen_ai.system"],
  },
  {
    name: "GenAI: OpenLLMetry's total tokens",
    base: genaiChat,
    mutate: set({ "gen_ai.usage.total_tokens": 33 }),
    want: ["warning key.deprecated gen_ai.usage.total_tokens"],
  },
];
const given = MUTATIONS.map((m) => ({ name: `mutation: ${m.name}`, attributes: m.mutate(m.base) }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <args>`; `onStderr` sees stderr as it comes (live-check's "listening on"). */
function node(
  args: string[],
  env: Record<string, string> = {},
  onStderr?: (all: string) => void,
): { done: Promise<Run>; kill(signal: NodeJS.Signals): void } {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
    onStderr?.(stderr);
  });
  const done = new Promise<Run>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { done, kill: (signal) => child.kill(signal) };
}

/** Runs app/app.cjs with the instrumentations tools/real-spans installs (the GenAI release it picks for this Node). */
function runApp(config: {
  mockBaseURL: string;
  tracesFile: string;
  otlpUrl?: string;
  otlpGrpcUrl?: string;
  givenSpans?: unknown[];
  registerWith?: "sdk";
}): Promise<Run> {
  return node([join(here, "../app/app.cjs")], {
    ACCEPTANCE_APP: JSON.stringify({
      ...config,
      genaiInstrumentationDir: genaiRelease(genaiRelease_).installed.dir,
      openinferenceInstrumentationDir: packageDir("@arizeai/openinference-instrumentation-openai"),
      openaiDir: packageDir("openai"),
      openai6Dir: packageDir(GENAI_OPENAI),
    }),
  }).done;
}

const work = mkdtempSync(join(tmpdir(), "semtrace-acceptance-"));
const tracesFile = join(work, "spans.jsonl");
let app: { versions: { api: string; openai6: string }; run: Run };
let live: { run: Run; report: Report };
let liveGrpc: { run: Run; report: Report };

/** Starts `semtrace live-check` (the built bin) with `args`; resolves once it listens, with the address `pattern` finds. */
async function startLiveCheck(
  args: string[],
  pattern: RegExp,
): Promise<{ url: string; done: Promise<Run>; kill(signal: NodeJS.Signals): void }> {
  let listening!: (url: string) => void;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const liveCheck = node(
    [bin, "live-check", "--port", "0", "--reporter", "json", "--timeout", "120", ...args],
    {},
    (all) => {
      const found = pattern.exec(all);
      if (found) listening(found[1]!);
    },
  );
  const found = await Promise.race([
    url,
    liveCheck.done.then((r) => Promise.reject(new Error(`live-check ended before listening: ${r.stderr}`))),
  ]);
  return { url: found, ...liveCheck };
}
let fromFile: { run: Run; report: Report };

beforeAll(async () => {
  const mock = await startMockOpenAIServer();
  try {
    const overHttp = await startLiveCheck(["--no-grpc"], /listening on (http:\/\/127\.0\.0\.1:\d+\/v1\/traces)/);
    const overGrpc = await startLiveCheck(["--grpc-port", "0"], /and (http:\/\/127\.0\.0\.1:\d+) \(OTLP\/gRPC\)/);
    const appRun = await runApp({
      mockBaseURL: mock.baseURL,
      tracesFile,
      otlpUrl: overHttp.url,
      otlpGrpcUrl: overGrpc.url,
      givenSpans: given,
    }).finally(() => {
      overHttp.kill("SIGINT");
      overGrpc.kill("SIGINT");
    });
    const [liveRun, grpcRun] = await Promise.all([overHttp.done, overGrpc.done]);
    expect(appRun.stderr).toBe("");
    expect(appRun.code).toBe(0);
    app = { versions: JSON.parse(appRun.stdout), run: appRun };
    live = { run: liveRun, report: JSON.parse(liveRun.stdout) };
    liveGrpc = { run: grpcRun, report: JSON.parse(grpcRun.stdout) };
    const fileRun = await node([bin, "validate", "--reporter", "json", tracesFile]).done;
    fromFile = { run: fileRun, report: JSON.parse(fileRun.stdout) };
  } finally {
    await mock.close();
  }
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const SPAN_KIND_SERVER = 2; // OTLP's SPAN_KIND_SERVER
const SPAN_KIND_CLIENT = 3;

interface FileSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly kind: number;
  readonly attributes: Record<string, unknown>;
}

/** The spans of an OTLP/JSON Lines file, attribute values unwrapped (ids are hex strings in OTLP/JSON). */
function readSpans(file: string): FileSpan[] {
  const unwrap = (v: Record<string, unknown>): unknown =>
    v["stringValue"] ?? v["intValue"] ?? v["boolValue"] ?? v["doubleValue"] ?? v;
  type Line = {
    resourceSpans: {
      scopeSpans: {
        spans: (Omit<FileSpan, "attributes"> & { attributes?: { key: string; value: Record<string, unknown> }[] })[];
      }[];
    }[];
  };
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .flatMap((l) => (JSON.parse(l) as Line).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)))
    .map((s) => ({ ...s, attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, unwrap(a.value)])) }));
}

const SPANS_PER_REQUEST = 4; // chat, streamed chat, chat with a tool, embeddings
const HTTP_SPANS = 4; // per SDK: the app's client request and its server span

describe(`the acceptance app (Node ${process.versions.node}, ${genaiRelease(genaiRelease_).describe()})`, () => {
  it("registered the globals through the GenAI instrumentation's copy of @opentelemetry/api", () => {
    expect(app.versions.api).toBe(genaiPackageVersions(genaiRelease_)["@opentelemetry/api"]);
  });

  // Where the instrumentation's api is not the SDK's (api 1.10 beside instrumentation-openai 0.22 on Node >= 22.15).
  it.runIf(
    genaiPackageVersions(genaiRelease_)["@opentelemetry/api"] !==
      installedPackage("@opentelemetry/api", rootDir).version,
  )(
    "registered through the SDK's api copy instead (provider.register()), no instrumentation records anything, silently",
    async () => {
      const mock = await startMockOpenAIServer();
      const file = join(work, "sdk-registered.jsonl");
      try {
        const run = await runApp({ mockBaseURL: mock.baseURL, tracesFile: file, registerWith: "sdk" });
        expect(run.code, run.stderr).toBe(0);
      } finally {
        await mock.close();
      }
      // registerInstrumentations (the newest, on api 1.10) found no tracer provider: every instrumentation got the
      // no-op one. Not a span of the HTTP or either OpenAI instrumentation, and nothing said so.
      expect(existsSync(file) ? readSpans(file) : []).toEqual([]);
    },
  );

  it("the file and live-check report the same, sources aside", () => {
    expect(live.run.stderr).toMatch(/listening on/);
    expect(withoutSources(live.report)).toEqual(withoutSources(fromFile.report));
    expect(live.report.rejected).toEqual([]);
  });

  it("live-check over OTLP/gRPC (the real gRPC exporter, gzip) reports what it reports over OTLP/HTTP and from the file", () => {
    expect(liveGrpc.run.stderr).toMatch(/\(OTLP\/gRPC\)/);
    expect(liveGrpc.report.rejected).toEqual([]);
    expect(withoutSources(liveGrpc.report)).toEqual(withoutSources(live.report));
    expect(withoutSources(liveGrpc.report)).toEqual(withoutSources(fromFile.report));
  });

  it("judges every AI span, counts the HTTP spans as other spans", () => {
    expect(fromFile.report.summary.spans).toBe(2 * SPANS_PER_REQUEST + HTTP_SPANS + given.length);
    expect(fromFile.report.summary.other).toBe(HTTP_SPANS);
    const http = fromFile.report.findings.filter((f) => /^(GET|POST)\b/.test(f.spanName));
    expect(http).toEqual([]);
  });

  it("one trace per request: the OpenAI spans are children of the HTTP server span, and every span carries its request's session", () => {
    const spans = readSpans(tracesFile);
    for (const sdk of ["openinference", "genai"]) {
      const server = spans.find((s) => s.kind === SPAN_KIND_SERVER && s.attributes["url.query"] === `sdk=${sdk}`);
      expect(server, `the server span of /answer?sdk=${sdk}`).toBeDefined();
      const children = spans.filter((s) => s.parentSpanId === server!.spanId);
      expect(children).toHaveLength(SPANS_PER_REQUEST);
      for (const child of children) {
        expect(child.traceId).toBe(server!.traceId);
        expect(child.attributes["session.id"]).toBe(`session-${sdk}`);
        expect(child.attributes["user.id"]).toBe("user-1");
      }
      const client = spans.find((s) => s.spanId === server!.parentSpanId);
      expect(client?.kind).toBe(SPAN_KIND_CLIENT);
      expect(client?.attributes["session.id"]).toBe(`client-${sdk}`); // an HTTP span with a context key: still an other span
    }
  });

  it("no error on the instrumentations' spans but the GenAI instrumentation's own (no gen_ai.provider.name)", () => {
    const errors = fromFile.report.findings
      .filter((f) => f.severity === "error" && !f.spanName.startsWith("mutation: "))
      .map((f) => `${f.spanName}: ${f.rule} ${f.key}`);
    expect(errors.filter((e) => !/: attribute\.required gen_ai\.provider\.name$/.test(e))).toEqual([]);
    expect(errors).toHaveLength(SPANS_PER_REQUEST); // one per GenAI span
  });

  it.each(MUTATIONS.map((m) => [m.name, m.want] as const))("%s", (name, want) => {
    for (const report of [fromFile.report, live.report, liveGrpc.report]) {
      const got = report.findings
        .filter((f) => f.spanName === `mutation: ${name}` && f.severity !== "info")
        .map((f) => `${f.severity} ${f.rule} ${f.key}`);
      expect(got.sort()).toEqual([...want].sort());
    }
  });

  it("every run exits 1 for the errors", () => {
    expect(fromFile.run.code).toBe(1);
    expect(live.run.code).toBe(1);
    expect(liveGrpc.run.code).toBe(1);
  });
});
