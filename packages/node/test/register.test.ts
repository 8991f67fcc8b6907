import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runValidateCommand } from "@semtrace/cli/internal";
import { describe, expect, it } from "vitest";

const app = fileURLToPath(new URL("./children/app.mjs", import.meta.url));

/** Runs the small app of children/app.mjs with `register(options)` and the environment given (plus PATH). */
function runApp(
  options: object,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [app, JSON.stringify(options)], {
      env: { PATH: process.env["PATH"] ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

interface OtlpSpan {
  name: string;
  attributes: { key: string; value: { stringValue?: string } }[];
}

function spansOf(requests: unknown[]): { service: string; span: OtlpSpan }[] {
  return (
    requests as {
      resourceSpans: {
        resource: { attributes: { key: string; value: { stringValue: string } }[] };
        scopeSpans: { spans: OtlpSpan[] }[];
      }[];
    }[]
  ).flatMap((r) =>
    r.resourceSpans.flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) =>
        ss.spans.map((span) => ({
          service: rs.resource.attributes.find((a) => a.key === "service.name")!.value.stringValue,
          span,
        })),
      ),
    ),
  );
}

const attribute = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value.stringValue;

async function validate(file: string) {
  let stdout = "";
  const code = await runValidateCommand(["--reporter", "json", file], {
    stdout: (s) => (stdout += s),
    stderr: () => {},
    cwd: "/",
    progress: false,
    color: false,
  });
  return { code, report: JSON.parse(stdout) };
}

describe("register()", () => {
  it("SEMTRACE_TRACES_FILE points an app set up for OTLP at a file: context stamped on every span, findings logged, then validated", {
    timeout: 60_000,
  }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), "semtrace-register-")), "spans.jsonl");
    const run = await runApp({ serviceName: "shop", exporter: "otlp" }, { SEMTRACE_TRACES_FILE: file });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.split("\n")[0]!)).toEqual({ exporter: "file", file, validate: "log" });
    // The validating processor logged the bad span's finding (warnings and above), not the valid ones.
    expect(run.stderr).toContain('span "bad llm": value.type llm.token_count.prompt');
    expect(run.stderr).not.toContain('span "answer"');

    const spans = spansOf(
      readFileSync(file, "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l)),
    );
    expect(spans.map((s) => s.span.name)).toEqual(["answer", "GET /health", "bad llm"]);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(["shop"]));
    // The context processor stamps the session on every span inside withContext, the plain one included.
    expect(spans.map((s) => attribute(s.span, "session.id"))).toEqual(["s-1", "s-1", undefined]);

    const { code, report } = await validate(file);
    expect(code).toBe(1);
    expect(report.summary).toMatchObject({ spans: 3, other: 1, judged: { openinference: 2, genai: 0 }, errors: 1 });
    expect(
      report.findings
        .filter((f: { severity: string }) => f.severity === "error")
        .map((f: { spanName: string; rule: string }) => `${f.spanName} ${f.rule}`),
    ).toEqual(["bad llm value.type"]);
  });

  it('exporter "otlp" sends OTLP/HTTP to the URL given, flushed when the event loop empties; validate false checks nothing', {
    timeout: 60_000,
  }, async () => {
    const requests: unknown[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        requests.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as { port: number };
      const run = await runApp({
        serviceName: "shop",
        exporter: "otlp",
        otlp: { url: `http://127.0.0.1:${port}/v1/traces` },
        validate: false,
      });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout.split("\n")[0]!)).toEqual({ exporter: "otlp", validate: false });
      expect(run.stderr).toBe("");
      expect(spansOf(requests).map((s) => s.span.name)).toEqual(["answer", "GET /health", "bad llm"]);
    } finally {
      server.close();
    }
  });

  it("SEMTRACE_EXPORTER and SEMTRACE_VALIDATE override the code; NODE_ENV=production turns validation off by default", {
    timeout: 60_000,
  }, async () => {
    const consoleRun = await runApp(
      { exporter: "file", validate: "log" },
      { SEMTRACE_EXPORTER: "console", SEMTRACE_VALIDATE: "off" },
    );
    expect(consoleRun.code).toBe(0);
    expect(JSON.parse(consoleRun.stdout.split("\n")[0]!)).toEqual({ exporter: "console", validate: false });
    expect(consoleRun.stdout).toContain("name: 'GET /health'");
    expect(consoleRun.stderr).toBe("");

    const production = await runApp({ exporter: "none" }, { NODE_ENV: "production" });
    expect(JSON.parse(production.stdout.split("\n")[0]!)).toEqual({ exporter: "none", validate: false });
    expect(production.stderr).toBe("");

    const throwing = await runApp({ exporter: "none" }, { SEMTRACE_VALIDATE: "throw" });
    expect(JSON.parse(throwing.stdout.split("\n")[0]!)).toEqual({ exporter: "none", validate: "throw" });
    // The span's end() throws into the app (what "throw" asks for), naming the finding.
    expect(throwing.code).not.toBe(0);
    expect(throwing.stderr).toContain("SpanValidationError");
    expect(throwing.stderr).toContain("llm.token_count.prompt");
  });
});
