/**
 * `@traced` under both decorator proposals, as users' builds compile them: test/fixtures/decorators/service.ts
 * is type-checked and compiled by the real TypeScript compiler with standard (TC39) decorators and with
 * `experimentalDecorators` + `emitDecoratorMetadata` (NestJS, TypeORM, Angular), and both outputs run on the
 * real SDK and must produce the same spans.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { SpanStatusCode } from "@opentelemetry/api";
import ts from "typescript";
import { beforeEach, describe, expect, it } from "vitest";
import { expectValid, parentOf, setupTracing } from "./support/otel.js";

const t = setupTracing();
beforeEach(() => t.reset());

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "decorators");

/** Type-checks the fixture under `tsconfig`, emits its JavaScript into a fresh folder, and returns the file's path. */
function compile(tsconfig: string): string {
  const configPath = join(fixtures, tsconfig);
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!parsed) throw new Error(`could not read ${configPath}`);
  const outDir = mkdtempSync(join(tmpdir(), "semtrace-decorators-"));
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: { ...parsed.options, outDir, noEmit: false, declaration: false, sourceMap: false },
  });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    );
  expect(diagnostics, `${tsconfig}: the fixture compiles without errors`).toEqual([]);
  const source = program.getSourceFile(join(fixtures, "service.ts"));
  const file = join(outDir, "service.js");
  let written = false;
  // Only the fixture is emitted (the sources it imports through `paths` are the tests' own, run from source).
  const emitted = program.emit(source, (name, text) => {
    if (name.endsWith("service.js")) {
      writeFileSync(file, text);
      written = true;
    }
  });
  expect(emitted.emitSkipped || !written).toBe(false);
  return file;
}

describe.each([
  ["TC39 decorators (TypeScript 5 default)", "tsconfig.tc39.json", "__esDecorate"],
  ["experimentalDecorators + emitDecoratorMetadata", "tsconfig.legacy.json", "__decorate"],
])("%s", (_label, tsconfig, helper) => {
  it("compile with the real compiler, and run: spans named Class.method, `this` kept, nesting, errors, options", async () => {
    const file = compile(tsconfig);
    // The compiler lowered the decorators the way that proposal does.
    expect(readFileSync(file, "utf8")).toContain(helper);
    const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
      exercise(): Promise<{ run: string; helper: number; failed: string }>;
    };
    await expect(mod.exercise()).resolves.toEqual({ run: "P:O-1", helper: 2, failed: "p: declined" });

    const run = t.span("run-agent");
    const lookup = t.span("OrderService.lookup");
    const chat = t.span("OrderService.chat");
    expect(run.attributes["openinference.span.kind"]).toBe("AGENT");
    expect(lookup.attributes).toMatchObject({
      "openinference.span.kind": "TOOL",
      "tool.name": "OrderService.lookup",
      "input.value": "o-1",
      "output.value": "p:o-1",
    });
    expect(chat.attributes).toMatchObject({
      "openinference.span.kind": "LLM",
      "llm.model_name": "gpt-4o-2024-08-06",
      "llm.cost.total": 0.0035,
    });
    expect(parentOf(lookup)).toBe(run.spanContext().spanId);
    expect(parentOf(chat)).toBe(run.spanContext().spanId);
    const helperSpan = t.span("OrderService.helper");
    expect(helperSpan.attributes).toMatchObject({ "openinference.span.kind": "CHAIN", "input.value": "1" });
    expect(helperSpan.attributes).not.toHaveProperty("output.value");
    const failed = t.span("OrderService.fail");
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: "Error: p: declined" });
    expect(failed.attributes).toEqual({ "order.source": "web" });
    expectValid(t.spans().filter((s) => s !== failed));
  }, 60_000);
});
