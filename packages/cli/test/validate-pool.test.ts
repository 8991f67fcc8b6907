/**
 * Validating JSON Lines in a pool of worker threads gives exactly the report of one thread: same findings in
 * the same order, same rejected lines with their line numbers and byte offsets. The workers are the built
 * ones (dist/validate-worker.js, which turbo builds before the tests).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRegistrySet, type RegistrySource } from "../src/validate/registries.js";
import { collectReport } from "../src/validate/command.js";
import { LineBatcher, checkBatch } from "../src/validate/batch.js";
import { PoolError, ValidationPool, workerExecArgv } from "../src/validate/pool.js";
import type { RegistryValidator } from "@semtrace/runtime";

const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const script = new URL("../dist/validate-worker.js", import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "semtrace-pool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const hex16 = (n: number) => n.toString(16).padStart(16, "0");

/** One OTLP line of `count` spans; every 7th span has a type error, every 11th an unknown key. */
function line(first: number, count: number): string {
  const spans = [];
  for (let i = first; i < first + count; i++) {
    const attributes: { key: string; value: Record<string, unknown> }[] = [
      { key: "openinference.span.kind", value: { stringValue: "LLM" } },
      { key: "llm.model_name", value: { stringValue: `model-${i % 5}` } },
      { key: "llm.token_count.prompt", value: i % 7 === 0 ? { stringValue: "many" } : { intValue: String(i) } },
      { key: "llm.input_messages.0.message.role", value: { stringValue: "user" } },
      { key: "llm.input_messages.0.message.content", value: { stringValue: "x".repeat(200 + (i % 300)) } },
    ];
    if (i % 11 === 0) attributes.push({ key: "llm.unknown_thing", value: { boolValue: true } });
    spans.push({ traceId: TRACE, spanId: hex16(i + 1), name: `span ${i}`, attributes });
  }
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
}

/** ~3 MiB of JSON Lines (several batches) with malformed lines spread through it, its span count and the numbers of its bad lines. */
function bigJsonl(): { bytes: Buffer; spans: number; badLines: number[] } {
  const lines: string[] = [];
  let n = 0;
  for (let i = 0; i < 400; i++) {
    if (i === 37) lines.push('{"resourceSpans": [ {"scopeSpans": ');
    else if (i === 150) lines.push('{"resourceSpans": "not an array"}');
    else if (i === 151) lines.push("");
    else {
      lines.push(line(n, 12));
      n += 12;
    }
  }
  const text = Buffer.from(`${lines.join("\n")}\n`);
  // An invalid UTF-8 line in the middle (a lone continuation byte).
  const bad = Buffer.from([0x7b, 0x22, 0x80, 0x22, 0x7d, 0x0a]);
  const mid = text.indexOf(0x0a, text.length >> 1) + 1;
  let badLine = 1;
  for (let i = 0; i < mid; i++) if (text[i] === 0x0a) badLine++;
  // Lines 38 and 151 come before the middle; the inserted line pushes the later ones down by one.
  expect(badLine).toBeGreaterThan(151);
  return {
    bytes: Buffer.concat([text.subarray(0, mid), bad, text.subarray(mid)]),
    spans: n,
    badLines: [38, 151, badLine],
  };
}

let file: string;
let expected: { spans: number; badLines: number[] };
let registries: RegistryValidator[];
let sources: RegistrySource[];

beforeAll(async () => {
  expect(
    existsSync(fileURLToPath(script)),
    "dist/validate-worker.js is missing: run `npm run build` first (turbo's test task does)",
  ).toBe(true);
  file = join(dir, "spans.jsonl");
  const big = bigJsonl();
  expected = big;
  writeFileSync(file, big.bytes);
  writeFileSync(`${file}.gz`, gzipSync(big.bytes));
  ({ validators: registries, sources } = await loadRegistrySet(["openinference"], "/"));
});

describe("validation in worker threads", () => {
  it("ValidationPool answers each batch exactly as checkBatch does in this thread", async () => {
    const pool = new ValidationPool(script, 2, { registries: sources });
    try {
      const batches = [0, 1, 2, 3, 4].map((b) => {
        const batcher = new LineBatcher("x.jsonl", 1);
        for (let i = 0; i < 3; i++)
          batcher.add({
            bytes: Buffer.from(line(b * 100 + i * 10, 10)),
            number: b * 3 + i + 1,
            offset: (b * 3 + i) * 1000,
          });
        if (b === 2) batcher.add({ bytes: Buffer.from("{oops"), number: 99, offset: 99_000 });
        if (b === 3) batcher.add({ bytes: Buffer.from('{"resourceSpans":5}'), number: 100, offset: 100_000 });
        return batcher;
      });
      const expected = batches.map((b) => {
        const copy = b.take();
        return {
          copy: { ...copy, bytes: copy.bytes.slice(), meta: copy.meta.slice() },
          result: checkBatch(copy, registries),
        };
      });
      const results = await Promise.all(expected.map((e) => pool.run(e.copy)));
      for (let i = 0; i < results.length; i++) {
        const got = results[i]!;
        const want = expected[i]!.result;
        expect({ ...got, where: [...got.where] }).toEqual({ ...want, where: [...want.where] });
      }
      expect(results.reduce((n, r) => n + r.findings.length, 0)).toBeGreaterThan(10);
      expect(results[2]!.rejected).toEqual([
        { line: 99, offset: 99_000, reason: expect.stringContaining("invalid JSON"), category: "invalid JSON" },
      ]);
      expect(results[3]!.rejected).toEqual([
        {
          line: 100,
          offset: 100_000,
          reason: expect.stringContaining("wrong shape: resourceSpans: expected an array"),
          category: "wrong shape",
        },
      ]);
    } finally {
      await pool.close();
    }
  });

  it.each([
    ["JSON Lines", () => file],
    ["gzip JSON Lines", () => `${file}.gz`],
  ])("%s: the report with 3 workers equals the one-thread report, rejected lines included", async (_label, input) => {
    const one = await collectReport([input()], registries, { cwd: "/", jobs: 1 });
    const three = await collectReport([input()], registries, {
      cwd: "/",
      jobs: 3,
      registrySources: sources,
      workerScript: script,
      poolAfterBytes: 0,
    });
    expect(one.spans).toBe(expected.spans);
    expect(one.findings.length).toBeGreaterThan(1000);
    expect(one.rejected.map((r) => r.source.line)).toEqual(expected.badLines);
    expect(three).toEqual(one);
  });

  it("a spec directory as the registry: workers load the code the main thread compiled, with the same report", async () => {
    const specDir = fileURLToPath(new URL("../../../spec/openinference", import.meta.url));
    const fromSpec = await loadRegistrySet([specDir], "/");
    expect(fromSpec.sources).toEqual([{ kind: "code", code: expect.stringContaining("checkKey"), specDir }]);
    const one = await collectReport([file], registries, { cwd: "/", jobs: 1 });
    const pooled = await collectReport([file], fromSpec.validators, {
      cwd: "/",
      jobs: 2,
      registrySources: fromSpec.sources,
      workerScript: script,
      poolAfterBytes: 0,
    });
    expect(pooled).toEqual(one);
  }, 30_000);

  it("starts workers only past the size threshold: a worker that cannot start fails a big input, not a small one", async () => {
    const broken = join(dir, "broken-worker.mjs");
    writeFileSync(broken, "throw new Error('this worker cannot start');\n");
    const small = join(dir, "small.jsonl");
    writeFileSync(small, `${line(0, 20)}\n${line(20, 20)}\n`);
    const options = {
      cwd: "/",
      jobs: 2,
      registrySources: sources,
      workerScript: new URL(`file://${broken}`),
      poolAfterBytes: 1024 * 1024,
    };
    const report = await collectReport([small], registries, options);
    expect(report.spans).toBe(40);
    // With the default threshold (64 MiB), a few MiB are validated in this thread: no worker is started.
    const { poolAfterBytes: _threshold, ...defaults } = options;
    expect((await collectReport([file], registries, defaults)).spans).toBe(expected.spans);
    await expect(collectReport([file], registries, options)).rejects.toThrow(PoolError);
    await expect(collectReport([file], registries, options)).rejects.toThrow(
      /a validation worker failed: this worker cannot start/,
    );
    // A gzip file counts by its decompressed size (from its trailer): a few hundred KiB that hold 3 MiB start workers.
    expect(statSync(`${file}.gz`).size).toBeLessThan(1024 * 1024);
    await expect(collectReport([`${file}.gz`], registries, options)).rejects.toThrow(PoolError);
    // Many small files together are worth the workers too (each file's lines go as a batch of their own).
    const many = join(dir, "many");
    mkdirSync(many);
    for (let i = 0; i < 60; i++)
      writeFileSync(join(many, `part-${String(i).padStart(2, "0")}.jsonl`), `${line(i * 40, 40)}\n`);
    await expect(collectReport([many], registries, options)).rejects.toThrow(PoolError);
    const one = await collectReport([many], registries, { cwd: "/", jobs: 1 });
    const pooled = await collectReport([many], registries, { ...options, workerScript: script });
    expect(one.spans).toBe(2400);
    expect(pooled).toEqual(one);
  });

  it.each([
    [
      ["--input-type=module", "-e", "x"],
      ["-e", "x"],
    ],
    [["--input-type", "module", "--enable-source-maps"], ["--enable-source-maps"]],
    [
      ["--max-old-space-size=512", "--conditions=dev"],
      ["--max-old-space-size=512", "--conditions=dev"],
    ],
  ])("workers get the parent's Node options but --input-type: %j", (given, want) => {
    expect(workerExecArgv(given)).toEqual(want);
  });

  it("works from `node --input-type=module -e` (whose option a worker would reject)", () => {
    const code = `import { main } from "@semtrace/cli"; let out = ""; const exit = await main(["validate", "--jobs", "2", "-f", "json", ${JSON.stringify(file)}], { stdout: (s) => (out += s), stderr: (s) => process.stderr.write(s) }); console.log(exit, JSON.parse(out).summary.spans);`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, SEMTRACE_POOL_AFTER_BYTES: "0" },
    });
    // Exit 2 for the file's malformed lines (listed on stderr), with every readable span validated by the workers.
    expect(r.stderr).not.toContain("worker");
    expect(r.stderr.trim().split("\n")).toHaveLength(expected.badLines.length);
    expect(r.stdout.trim()).toBe(`2 ${expected.spans}`);
  });

  it("works under `node --max-old-space-size=…` (a V8 option a worker refuses: it is left out for the workers)", {
    timeout: 60_000,
  }, () => {
    const r = spawnSync(
      process.execPath,
      ["--max-old-space-size=512", bin, "validate", "--jobs", "2", "-f", "json", file],
      {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, CI: "1", SEMTRACE_POOL_AFTER_BYTES: "0" },
      },
    );
    expect(r.stderr).not.toContain("ERR_WORKER_INVALID_EXEC_ARGV");
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ spans: expected.spans, rejected: 3 });
  });

  it("the bin with capped reporters: workers send back the first findings of each rule, and the report is the one of --jobs 1", {
    timeout: 60_000,
  }, () => {
    for (const reporter of ["text", "junit", "sarif", "github"]) {
      const run = (...args: string[]) =>
        spawnSync(
          process.execPath,
          [
            bin,
            "validate",
            "--reporter",
            reporter,
            "--max-findings-per-rule",
            "3",
            "--max-listed-per-kind",
            "0",
            ...args,
            file,
          ],
          {
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
            env: { ...process.env, CI: "1", SEMTRACE_POOL_AFTER_BYTES: "0" },
          },
        );
      const one = run("--jobs", "1");
      const two = run("--jobs", "2");
      expect(one.status, reporter).toBe(2);
      expect(two.stdout, reporter).toBe(one.stdout);
      expect(two.stderr, reporter).toBe(one.stderr);
      expect(one.stderr.trim().split("\n").sort(), reporter).toEqual([
        "semtrace validate: … and 1 more rejected record of this kind: invalid JSON (--max-listed-per-kind)",
        "semtrace validate: … and 1 more rejected record of this kind: invalid UTF-8 (--max-listed-per-kind)",
        "semtrace validate: … and 1 more rejected record of this kind: wrong shape (--max-listed-per-kind)",
      ]);
    }
  });

  it("the bin: --jobs 1 and --jobs 4 print the same report and exit codes; a bad --jobs is a usage error", {
    timeout: 60_000,
  }, () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [bin, "validate", "--reporter", "json", ...args, file], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, CI: "1", SEMTRACE_POOL_AFTER_BYTES: "0" },
      });
    const one = run("--jobs", "1");
    const four = run("--jobs", "4");
    expect(one.status).toBe(2);
    expect(four.status).toBe(2);
    expect(four.stdout).toBe(one.stdout);
    expect(four.stderr).toBe(one.stderr);
    expect(JSON.parse(one.stdout).summary).toMatchObject({ spans: expected.spans, rejected: 3 });
    const bad = run("--jobs", "0");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--jobs expects a whole number from 1 to 999, found '0'");
  });
});
