import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { withoutSources } from "./helpers/reports.js";
import { tempDir } from "./helpers/tmp.js";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const built = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const manifest = JSON.parse(readFileSync(`${pkgDir}/package.json`, "utf8")) as { bin: { semtrace: string } };
const linked = fileURLToPath(new URL(`../${manifest.bin.semtrace}`, import.meta.url));

function node(file: string, ...args: string[]) {
  return spawnSync(process.execPath, [file, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe("the built bin (dist/bin.js)", () => {
  it("exists: run `npm run build` first (turbo's test task does)", () => {
    expect(existsSync(built), `${built} is missing`).toBe(true);
  });

  it("starts with a node shebang", () => {
    expect(readFileSync(built, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("`node dist/bin.js --help` prints usage and exits 0", () => {
    const result = node(built, "--help");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: semtrace <command> [options]");
    expect(result.stdout).toContain("generate");
  });

  it("exits 2 on an unknown command", () => {
    const result = node(built, "nope");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown command 'nope'");
  });
});

describe("the bin npm links (package.json `bin.semtrace`)", () => {
  it("is an executable file with a node shebang, present before any build", () => {
    expect(readFileSync(linked, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(() => accessSync(linked, constants.X_OK)).not.toThrow();
  });

  it("runs the built command: `semtrace --version`", () => {
    const result = node(linked, "--version");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("the built bin: semtrace validate (end to end)", () => {
  it("validates real spans from a gzip JSONL file and a protobuf file with the same findings", async () => {
    const { realSpanFiles } = await import("./helpers/formats.js");
    const real = await realSpanFiles();
    // The spec directory (its validator printed as JavaScript at run time) rather than the built-in registry, which
    // test/standalone.test.ts runs from the built bin and the in-process tests cover.
    const registry = ["--registry", fileURLToPath(new URL("../../../spec/openinference", import.meta.url))];
    const jsonl = node(built, "validate", ...registry, "--reporter", "json", real.files["otlp.jsonl.gz"]!);
    expect(jsonl.stderr).toBe("");
    expect(jsonl.status).toBe(0);
    const report = JSON.parse(jsonl.stdout);
    expect(report.summary).toMatchObject({ spans: real.spans.length, errors: 0, rejected: 0 });
    const pb = node(built, "validate", ...registry, "--reporter", "json", real.files["otlp.pb"]!);
    expect(withoutSources(JSON.parse(pb.stdout))).toEqual(withoutSources(report));
    const text = node(built, "validate", ...registry, real.files["otlp.json"]!);
    expect(text.stdout.trimEnd().split("\n").at(-1)).toBe(
      `${real.spans.length} spans (judged: ${real.spans.length} openinference; 0 other), 0 errors, 0 warnings, ${report.summary.infos} infos`,
    );
  }, 120_000); // several processes of the built bin: minutes on a loaded machine

  it("draws no progress line when stderr is piped, even outside CI", () => {
    const dir = tempDir("bin");
    const file = join(dir, "spans.jsonl");
    const span = {
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "00f067aa0ba902b7",
      name: "chain",
      attributes: [{ key: "openinference.span.kind", value: { stringValue: "CHAIN" } }],
    };
    writeFileSync(
      file,
      `${JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: 2000 }, () => span) }] }] })}\n`,
    );
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env["CI"];
    const registry = ["--registry", fileURLToPath(new URL("../../../spec/openinference", import.meta.url))];
    const result = spawnSync(process.execPath, [built, "validate", ...registry, "--reporter", "json", file], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout).summary.spans).toBe(2000);
  }, 30_000);

  it("exits 2 on malformed input, naming the file and line, and documents its flags in --help", () => {
    const dir = tempDir("bin");
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, '{"resourceSpans":[]}\n{"resourceSpans":\n');
    const result = node(
      built,
      "validate",
      "--registry",
      fileURLToPath(new URL("../../../spec/openinference", import.meta.url)),
      file,
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}:2: invalid JSON`);
    expect(result.stdout).toContain("0 spans, 0 errors, 0 warnings, 0 infos, 1 record rejected");
    const help = node(built, "validate", "--help");
    expect(help.status).toBe(0);
    for (const flag of ["--registry", "--reporter", "--output", "--fail-on", "--format"])
      expect(help.stdout).toContain(flag);
  }, 30_000);
});

describe("the built bin: semtrace live-check (end to end)", () => {
  it("listens on 127.0.0.1, validates what arrives, and reports on SIGINT", async () => {
    const { spawn } = await import("node:child_process");
    const registry = fileURLToPath(new URL("../../../spec/openinference", import.meta.url));
    const child = spawn(
      process.execPath,
      [
        built,
        "live-check",
        "--port",
        "0",
        "--grpc-port",
        "0",
        "--registry",
        registry,
        "--reporter",
        "json",
        "--timeout",
        "30",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (d) => {
        stderr += d;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1\/traces)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.on("exit", () => reject(new Error(`exited early: ${stderr}`)));
    });
    const body = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  name: "s",
                  attributes: [
                    { key: "openinference.span.kind", value: { stringValue: "LLM" } },
                    { key: "llm.token_count.prompt", value: { stringValue: "x" } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await fetch(url, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(200);
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.summary).toMatchObject({ spans: 1, rejected: 0 });
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain("value.type");
  }, 30_000);
});
