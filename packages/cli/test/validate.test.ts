import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli.js";
import { runValidateCommand, VALIDATE_HELP } from "../src/validate/command.js";
import { progressLine } from "../src/validate/progress.js";
import { realSpanFiles, type FormatFiles } from "./helpers/formats.js";
import { withoutSources } from "./helpers/reports.js";
import { tempDir } from "./helpers/tmp.js";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export async function validate(argv: string[], options: { stdin?: Readable; cwd?: string } = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runValidateCommand(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: options.cwd ?? "/",
    progress: false,
    color: false,
    ...(options.stdin ? { stdin: options.stdin } : {}),
  });
  return { code, stdout, stderr };
}

function tmp(): string {
  return tempDir("validate");
}

function otlpLine(spans: { name: string; attributes: unknown[]; spanId?: string }[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: spans.map((s, i) => ({
              traceId: "0af7651916cd43dd8448eb211c80319c",
              spanId: s.spanId ?? `00000000000000${String(i).padStart(2, "0")}`,
              name: s.name,
              attributes: s.attributes,
            })),
          },
        ],
      },
    ],
  });
}

const goodLlm = [
  { key: "openinference.span.kind", value: { stringValue: "LLM" } },
  { key: "llm.model_name", value: { stringValue: "gpt-4o" } },
  { key: "llm.token_count.prompt", value: { intValue: "12" } },
];
const badLlm = [
  { key: "openinference.span.kind", value: { stringValue: "LLM" } },
  { key: "llm.token_count.prompt", value: { stringValue: "twelve" } },
];

let real: FormatFiles;

beforeAll(async () => {
  real = await realSpanFiles();
}, 60_000);

describe("real spans in every input format", () => {
  it("give identical findings (OTLP JSON, pretty JSON, JSONL, protobuf, plain array, gzip of each)", async () => {
    const reports = new Map<string, unknown>();
    for (const [name, path] of Object.entries(real.files)) {
      const { code, stdout, stderr } = await validate(["--reporter", "json", path]);
      expect(stderr, name).toBe("");
      expect([0, 1], name).toContain(code);
      reports.set(name, withoutSources(JSON.parse(stdout)));
    }
    expect(reports.size).toBe(10);
    const reference = reports.get("otlp.json") as { summary: { spans: number; rejected: number } };
    expect(reference.summary.spans).toBe(real.spans.length);
    expect(reference.summary.rejected).toBe(0);
    for (const [name, report] of reports) expect(report, name).toEqual(reference);
  });

  it("a directory reads every file in it; '-' reads stdin", async () => {
    const dir = await validate(["-f", "json", real.dir]);
    expect(JSON.parse(dir.stdout).summary.spans).toBe(real.spans.length * 10);
    const stdin = await validate(["-f", "json", "-"], {
      stdin: Readable.from([readFileSync(real.files["otlp.pb.gz"]!)]),
    });
    expect(withoutSources(JSON.parse(stdin.stdout))).toEqual(
      withoutSources(JSON.parse((await validate(["-f", "json", real.files["otlp.json"]!])).stdout)),
    );
  });

  it("a spec directory as --registry gives the same findings as the built-in registry", async () => {
    const builtIn = await validate(["-f", "json", "-r", "openinference", real.files["otlp.jsonl"]!]);
    const fromSpec = await validate([
      "-f",
      "json",
      "--registry",
      join(repoRoot, "spec/openinference"),
      real.files["otlp.jsonl"]!,
    ]);
    expect(fromSpec.stderr).toBe("");
    expect(JSON.parse(fromSpec.stdout)).toEqual(JSON.parse(builtIn.stdout));
  }, 30_000);
});

describe("attribute values", () => {
  it("accepts every OTLP value shape; whole numbers in a double[] (intValue) are accepted", async () => {
    const dir = tmp();
    const file = join(dir, "values.jsonl");
    const attributes = [
      { key: "openinference.span.kind", value: { stringValue: "EMBEDDING" } },
      { key: "embedding.model_name", value: { stringValue: "m" } },
      {
        key: "embedding.embeddings.0.embedding.vector",
        value: {
          arrayValue: { values: [{ doubleValue: 0.5 }, { intValue: "1" }, { intValue: 0 }, { doubleValue: "NaN" }] },
        },
      },
      { key: "llm.token_count.prompt", value: { intValue: 3 } },
      { key: "input.value", value: { stringValue: "x" } },
      { key: "some.flag", value: { boolValue: true } },
      { key: "some.bytes", value: { bytesValue: "AAEC" } },
      { key: "some.map", value: { kvlistValue: { values: [{ key: "a", value: { intValue: "1" } }] } } },
    ];
    writeFileSync(file, `${otlpLine([{ name: "embed", attributes }])}\n`);
    const { code, stdout } = await validate(["-f", "json", file]);
    const report = JSON.parse(stdout);
    expect(report.findings.filter((f: { rule: string }) => f.rule.startsWith("value."))).toEqual([]);
    expect(code).toBe(0);
  });
});

describe("exit codes and --fail-on", () => {
  it("0 without findings at the level, 1 with; --fail-on lowers the bar", async () => {
    const dir = tmp();
    const good = join(dir, "good.jsonl");
    const bad = join(dir, "bad.jsonl");
    writeFileSync(good, `${otlpLine([{ name: "llm", attributes: goodLlm }])}\n`);
    writeFileSync(bad, `${otlpLine([{ name: "llm", attributes: badLlm }])}\n`);
    expect((await validate([good])).code).toBe(0);
    expect((await validate(["--fail-on", "info", good])).code).toBe(1); // recommended attributes are infos
    const failing = await validate([bad]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain("value.type (1)");
    expect(failing.stdout).toMatch(
      /1 span \(judged: 1 openinference, 0 genai; 0 other\), 1 error, \d+ warnings?, \d+ infos?\n$/,
    );
  });

  it("2 on usage errors", async () => {
    expect((await validate([])).code).toBe(2);
    expect((await validate(["--reporter", "xml", "x"])).stderr).toContain("unknown reporter 'xml'");
    expect((await validate(["--fail-on", "fatal", "x"])).stderr).toContain("unknown --fail-on 'fatal'");
    expect((await validate(["--bogus", "x"])).code).toBe(2);
    expect((await validate(["--registry", "/nonexistent/spec", "x"])).code).toBe(2);
  });
});

describe("malformed input", () => {
  it("a bad JSON line is rejected with file and line; the other lines are still reported", async () => {
    const dir = tmp();
    const file = join(dir, "mixed.jsonl");
    writeFileSync(
      file,
      [
        otlpLine([{ name: "a", attributes: goodLlm }]),
        '{"resourceSpans": [',
        otlpLine([{ name: "b", attributes: badLlm }]),
        '{"resourceSpans": 5}',
        "",
      ].join("\n"),
    );
    const { code, stdout, stderr } = await validate(["-f", "json", file]);
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(report.summary.spans).toBe(2);
    expect(report.summary.rejected).toBe(2);
    expect(
      report.findings.some((f: { spanName: string; rule: string }) => f.spanName === "b" && f.rule === "value.type"),
    ).toBe(true);
    expect(stderr).toContain(`${file}:2: invalid JSON`);
    expect(stderr).toContain(`${file}:4: wrong shape: resourceSpans: expected an array, found 5 (number)`);
  });

  it("a bad first line does not hide the rest", async () => {
    const dir = tmp();
    const file = join(dir, "first.jsonl");
    writeFileSync(file, ["{oops", otlpLine([{ name: "a", attributes: goodLlm }]), ""].join("\n"));
    const { code, stdout, stderr } = await validate(["-f", "json", file]);
    expect(code).toBe(2);
    expect(JSON.parse(stdout).summary).toMatchObject({ spans: 1, rejected: 1 });
    expect(stderr).toContain(`${file}:1: invalid JSON`);
  });

  it("a truncated pretty-printed document names the file, the line and what was expected", async () => {
    const dir = tmp();
    const file = join(dir, "doc.json");
    const text = readFileSync(real.files["otlp-pretty.json"]!, "utf8");
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const { code, stderr } = await validate([file]);
    expect(code).toBe(2);
    const lines = text.slice(0, Math.floor(text.length / 2)).split("\n").length;
    expect(stderr).toContain(
      `${file}:${lines}: invalid JSON at line ${lines}: the document (from line 1) ends early, inside an array: the input is truncated`,
    );
  });

  it("wrong protobuf bytes name the byte offset", async () => {
    const dir = tmp();
    const file = join(dir, "bad.pb");
    const bytes = readFileSync(real.files["otlp.pb"]!);
    writeFileSync(file, bytes.subarray(0, bytes.length - 7));
    const { code, stderr } = await validate([file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /\(byte \d+\): invalid protobuf ExportTraceServiceRequest: the message ends early, inside the ScopeSpans that starts at byte \d+ and should end at byte \d+: the input is truncated \(at byte \d+\)/,
    );
  });

  it("invalid UTF-8, corrupt gzip and a missing file are rejected records", async () => {
    const dir = tmp();
    const utf = join(dir, "utf.jsonl");
    writeFileSync(
      utf,
      Buffer.concat([
        Buffer.from(`${otlpLine([{ name: "a", attributes: goodLlm }])}\n{"name":"`),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}\n'),
      ]),
    );
    const gz = join(dir, "bad.json.gz");
    writeFileSync(gz, gzipSync(Buffer.from(otlpLine([{ name: "a", attributes: goodLlm }]))).subarray(0, 20));
    const { code, stdout, stderr } = await validate(["-f", "json", utf, gz, join(dir, "missing.json")]);
    expect(code).toBe(2);
    expect(JSON.parse(stdout).summary).toMatchObject({ spans: 1, rejected: 3 });
    expect(stderr).toContain(`${utf}:2: line: invalid UTF-8 at byte 9`);
    expect(stderr).toContain(
      `${gz}: the gzip data ends early, after 20 bytes of the file (0 bytes decompressed): the file is truncated`,
    );
    expect(stderr).toContain("missing.json: cannot read");
  });
});

describe("reporters", () => {
  async function reportOf(reporter: string, ...extra: string[]) {
    const dir = tmp();
    const file = join(dir, "in.jsonl");
    writeFileSync(
      file,
      [
        otlpLine([
          { name: "good", attributes: goodLlm },
          { name: "bad, 100%", attributes: badLlm, spanId: "00000000000000ff" },
        ]),
        "not json",
        "",
      ].join("\n"),
    );
    return { file, ...(await validate(["--reporter", reporter, ...extra, file])) };
  }

  it("json has exactly the documented shape", async () => {
    const { stdout, code } = await reportOf("json");
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(["summary", "findings", "rejected"]);
    expect(Object.keys(report.summary)).toEqual([
      "spans",
      "other",
      "judged",
      "errors",
      "warnings",
      "infos",
      "rejected",
    ]);
    expect(report.summary).toMatchObject({ spans: 2, other: 0, judged: { openinference: 2, genai: 0 }, rejected: 1 });
    for (const f of report.findings)
      expect(Object.keys(f)).toEqual(["traceId", "spanId", "spanName", "key", "rule", "severity", "message", "source"]);
    expect(report.findings[0].source).toEqual({ file: expect.stringMatching(/in\.jsonl$/), line: 1, offset: 0 });
    expect(report.rejected).toEqual([
      {
        source: { file: expect.stringMatching(/in\.jsonl$/), line: 2, offset: expect.any(Number) },
        reason: expect.stringContaining("invalid JSON"),
        category: "invalid JSON",
      },
    ]);
    expect(report.findings).toContainEqual({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "00000000000000ff",
      spanName: "bad, 100%",
      key: "llm.token_count.prompt",
      rule: "value.type",
      severity: "error",
      message: expect.stringContaining("must be an int"),
      source: expect.objectContaining({ line: 1 }),
    });
  });

  it("junit is well-formed XML with a failure per failing span and an error per rejected record", async () => {
    const { stdout } = await reportOf("junit");
    expect(XMLValidator.validate(stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(stdout);
    const suite = doc.testsuites.testsuite;
    expect(suite["@_failures"]).toBe("1");
    expect(suite["@_errors"]).toBe("1");
  });

  it("sarif is SARIF 2.1.0 JSON with results and rules", async () => {
    const { stdout, file } = await reportOf("sarif");
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe("semtrace");
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    for (const result of run.results) expect(ruleIds).toContain(result.ruleId);
    expect(run.results).toContainEqual(expect.objectContaining({ ruleId: "value.type", level: "error" }));
    expect(run.results).toContainEqual(
      expect.objectContaining({
        ruleId: "input.rejected",
        locations: [{ physicalLocation: { artifactLocation: { uri: file }, region: { startLine: 2 } } }],
      }),
    );
  });

  it("github prints one workflow command per finding, escaped, and a summary", async () => {
    const { stdout, file } = await reportOf("github");
    const lines = stdout.trimEnd().split("\n");
    const annotations = lines.slice(0, -1);
    for (const line of annotations)
      expect(line).toMatch(/^::(error|warning|notice) file=[^,]+,line=\d+,title=[^:]+::\S/);
    expect(stdout).toContain(`::error file=${file},line=1,title=value.type (bad%2C 100%25)::llm.token_count.prompt: `);
    expect(stdout).toContain(`::error file=${file},line=2,title=rejected record::`);
    expect(lines.at(-1)).toMatch(
      /^2 spans \(judged: 2 openinference, 0 genai; 0 other\), \d+ errors?, .*1 record rejected$/,
    );
  });

  it("text groups by rule and ends with the summary; --output writes the report to a file", async () => {
    const dir = tmp();
    const out = join(dir, "report.txt");
    const { stdout } = await reportOf("text", "--output", out);
    expect(stdout).toBe("");
    const text = readFileSync(out, "utf8");
    expect(text).toMatch(/^value\.type \(1\)\n {2}error {3}bad, 100% \[/m);
    expect(text).not.toContain("\u001b[");
    expect(text).toMatch(/rejected records \(1\)\n/);
    expect(text.trimEnd().split("\n").at(-1)).toMatch(/^2 spans \(judged: 2 openinference, 0 genai; 0 other\), /);
  });
});

describe("help", () => {
  it("semtrace --help lists validate; validate --help documents every flag", async () => {
    let stdout = "";
    await main(["--help"], { stdout: (s) => (stdout += s), stderr: () => {} });
    expect(stdout).toMatch(/^ {2}validate {2,}\S/m);
    expect(stdout).toMatch(/^ {2}live-check {2,}\S/m);
    const help = await validate(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(VALIDATE_HELP);
    for (const flag of [
      "--registry",
      "--reporter",
      "--output",
      "--fail-on",
      "--allow-empty",
      "--strict",
      "--coverage",
      "--input-format",
      "--jobs",
      "--help",
    ])
      expect(help.stdout).toContain(flag);
    // Every cap, with its default.
    for (const [flag, value] of [
      ["--max-record-bytes", "64M"],
      ["--max-span-values", "1,000,000"],
      ["--max-document-spans", "1,000,000"],
      ["--max-document-bytes", "512M"],
      ["--max-depth", "64"],
      ["--max-findings-per-rule", "100"],
      ["--max-listed-per-kind", "100"],
    ]) {
      expect(help.stdout).toMatch(new RegExp(`${flag}[^]*?\\(default ${value}[;)]`));
    }
  });
});

describe("directories", () => {
  it("reads matching files recursively, in name order, skipping other files", async () => {
    const dir = tmp();
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "b.jsonl"), `${otlpLine([{ name: "b", attributes: goodLlm }])}\n`);
    writeFileSync(join(dir, "sub", "a.json.gz"), gzipSync(otlpLine([{ name: "a", attributes: goodLlm }])));
    writeFileSync(join(dir, "README.md"), "# not traces\n");
    const { code, stdout } = await validate(["-f", "json", dir]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).summary.spans).toBe(2);
  });
});

describe("--registry <spec dir>: a company's own conventions", () => {
  function writeSpec(registryYaml: string): string {
    const dir = tmp();
    writeFileSync(
      join(dir, "manifest.yaml"),
      "name: mycompany\nversion: 1.0.0\nowns: [mycompany]\ncodegen:\n  naming: otel\n",
    );
    writeFileSync(join(dir, "registry.yaml"), registryYaml);
    return dir;
  }
  const REGISTRY = [
    "groups:",
    "  - id: registry.mycompany",
    "    type: attribute_group",
    "    brief: MyCompany attributes.",
    "    attributes:",
    "      - { id: mycompany.tenant.id, type: string, brief: Tenant. }",
    "      - { id: mycompany.cost_center, type: int, brief: Cost center. }",
    "",
  ].join("\n");

  it("validates mycompany.* keys alongside OpenInference", async () => {
    const spec = writeSpec(REGISTRY);
    const dir = tmp();
    const file = join(dir, "in.jsonl");
    const attributes = [
      ...goodLlm,
      { key: "mycompany.tenant.id", value: { intValue: "5" } },
      { key: "mycompany.cost_centre", value: { intValue: "7" } },
      { key: "llm.modle_name", value: { stringValue: "x" } },
    ];
    writeFileSync(file, `${otlpLine([{ name: "s", attributes }])}\n`);
    const { code, stdout, stderr } = await validate(["-f", "json", "-r", "openinference", "-r", spec, file]);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    const errors = JSON.parse(stdout)
      .findings.filter((f: { severity: string }) => f.severity === "error")
      .map((f: { rule: string; key: string }) => `${f.rule} ${f.key}`);
    expect(errors.sort()).toEqual([
      "key.unknown llm.modle_name",
      "key.unknown mycompany.cost_centre",
      "value.type mycompany.tenant.id",
    ]);
    const message = JSON.parse(stdout).findings.find((f: { key: string }) => f.key === "mycompany.cost_centre").message;
    expect(message).toContain("did you mean `mycompany.cost_center`");
  });

  it("a spec with errors is a usage error (exit 2) that prints the diagnostics", async () => {
    const spec = writeSpec(
      "groups:\n  - id: registry.mycompany\n    type: attribute_group\n    attributes:\n      - { id: mycompany.x, type: nonsense }\n",
    );
    const { code, stderr } = await validate(["-r", spec, "/dev/null"]);
    expect(code).toBe(2);
    expect(stderr).toContain(`the registry at ${spec} has`);
    expect(stderr).toContain("registry.yaml");
  });
});

describe("progress", () => {
  it("draws a progress bar on stderr only when asked (TTY), and clears it", async () => {
    let stderr = "";
    const code = await runValidateCommand([real.files["otlp.jsonl"]!], {
      stdout: () => {},
      stderr: (s) => (stderr += s),
      cwd: "/",
      progress: true,
      color: true,
    });
    expect(code).toBe(0);
    // A file's size is known: a bar with a percentage, reaching 100%.
    expect(stderr).toMatch(/validating… \[[█░]{24}\] +\d+% [\d.]+ of [\d.]+ MiB, \d+ spans/);
    expect(stderr).toContain("100%");
    expect(stderr.endsWith("\r\u001b[2K")).toBe(true);
    let quiet = "";
    await runValidateCommand([real.files["otlp.jsonl"]!], {
      stdout: () => {},
      stderr: (s) => (quiet += s),
      cwd: "/",
      progress: false,
      color: true,
    });
    expect(quiet).toBe("");
  });

  it("from stdin (size unknown) counts spans and bytes instead of a bar", async () => {
    let stderr = "";
    const stdin = Readable.from([readFileSync(real.files["otlp.jsonl"]!)]);
    const code = await runValidateCommand(["-"], {
      stdout: () => {},
      stderr: (s) => (stderr += s),
      cwd: "/",
      progress: true,
      color: false,
      stdin,
    });
    expect(code).toBe(0);
    expect(stderr).toMatch(/validating… \d+ spans, [\d.]+ MiB read/);
    expect(stderr).not.toContain("%");
  });

  it.each([
    [{ spans: 0, bytes: 0, total: 1048576 }, "validating… [░░░░░░░░░░░░░░░░░░░░░░░░]   0% 0.0 of 1.0 MiB, 0 spans"],
    [
      { spans: 12345, bytes: 524288, total: 1048576 },
      "validating… [████████████░░░░░░░░░░░░]  50% 0.5 of 1.0 MiB, 12,345 spans",
    ],
    [
      { spans: 7, bytes: 2097152, total: 2097152 },
      "validating… [████████████████████████] 100% 2.0 of 2.0 MiB, 7 spans",
    ],
    [{ spans: 1500, bytes: 3145728 }, "validating… 1,500 spans, 3.0 MiB read"],
  ])("progressLine(%o)", (progress, line) => {
    expect(progressLine(progress)).toBe(line);
  });

  it("colours the text report only when colour is on", async () => {
    let colored = "";
    await runValidateCommand([real.files["otlp.json"]!], {
      stdout: (s) => (colored += s),
      stderr: () => {},
      cwd: "/",
      progress: false,
      color: true,
    });
    expect(colored).toContain("\u001b[");
    const plain = await validate([real.files["otlp.json"]!]);
    expect(plain.stdout).not.toContain("\u001b[");
  });
});
