#!/usr/bin/env node
/**
 * Translation benchmark entry: `node tools/bench/src/translate-run.mjs [--quick] [--write]`. Needs the built
 * @semtrace/translate, @semtrace/genai and @semtrace/openinference. --write rewrites the "Translation" section of
 * BENCHMARKS.md. Exit code 0 even when a goal is missed (reported, not fatal).
 */
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { table, updateSection } from "./report.mjs";
import { runTranslateBench } from "./translate.mjs";

const { values } = parseArgs({ options: { quick: { type: "boolean" }, write: { type: "boolean" } } });
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const load = os.loadavg()[0];
const r = runTranslateBench({ quick: values.quick ?? false });
const pass = (ok) => (ok ? "✅ pass" : "❌ fail");
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const body = [
  "## Translation",
  "",
  `_${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ${cpu} · ${os.cpus().length} cores · ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM · Node ${process.version} · 1-min load average ${load.toFixed(2)}_`,
  "",
  `The builders benchmark's chat span (system + user + assistant with one tool call, token counts; ${r.attributes.openinference} OpenInference attributes, ${r.attributes.genai} GenAI attributes) translated by \`@semtrace/translate\`, against building the same translated attributes (checked equal, JSON parsed) from typed input with the target registry's generated builder, both serialising the messages; side by side in one process, each candidate in turn for 150 ms slices over 9 rounds, median and fastest slice reported. Timings on a shared machine under load: the ratios are what to read, and a goal passes only when both the median's ratio and the fastest slice's (the least disturbed by other processes) are within it.`,
  "",
  table(["Candidate", "Median per span", "Min per span", "Spans/s"], r.rows, ["", "r", "r", "r"]),
  "",
  table(
    ["Goal", "Measured", "Result"],
    [
      [
        "toGenAI ≤ 2× buildInferenceAttributes",
        `median ${r.toGenAIRatio.toFixed(2)}×, fastest ${r.toGenAIMinRatio.toFixed(2)}×`,
        pass(r.goals.toGenAI),
      ],
      [
        "toOpenInference ≤ 2× the OpenInference builders",
        `median ${r.toOpenInferenceRatio.toFixed(2)}×, fastest ${r.toOpenInferenceMinRatio.toFixed(2)}×`,
        pass(r.goals.toOpenInference),
      ],
    ],
  ),
].join("\n");
process.stdout.write(`${body}\n`);
if (values.write) updateSection(join(repoRoot, "BENCHMARKS.md"), "translate", body);
