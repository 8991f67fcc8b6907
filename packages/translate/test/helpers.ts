/** What the translation tests share: validators of both registries and GenAI's upstream JSON schemas. */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { validateAttributes as validateGenAI } from "@semtrace/genai";
import { validateAttributes as validateOpenInference } from "@semtrace/openinference";
import { expect } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCHEMAS_DIR = path.join(here, "../../../../shared/conformance/otel-genai-json-schemas-1.41.0");
export const HAVE_SCHEMAS = existsSync(SCHEMAS_DIR);
if (!HAVE_SCHEMAS) console.warn(`[translate tests] SKIPPED the upstream JSON-schema checks: ${SCHEMAS_DIR} is absent`);

/** The GenAI JSON attributes and the upstream schema each must follow. */
const SCHEMA_OF: Record<string, string> = {
  "gen_ai.input.messages": "gen-ai-input-messages.json",
  "gen_ai.output.messages": "gen-ai-output-messages.json",
  "gen_ai.system_instructions": "gen-ai-system-instructions.json",
  "gen_ai.tool.definitions": "gen-ai-tool-definitions.json",
  "gen_ai.retrieval.documents": "gen-ai-retrieval-documents.json",
};

let validators: Map<string, ValidateFunction> | undefined;
function schemaValidators(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // Tool definitions' parameters point at the draft-07 meta-schema.
  ajv.addFormat("binary", true); // base64 content of blob parts: any string
  ajv.addMetaSchema(createRequire(import.meta.url)("ajv/dist/refs/json-schema-draft-07.json"));
  validators = new Map(
    Object.entries(SCHEMA_OF).map(([key, file]) => [
      key,
      ajv.compile(JSON.parse(readFileSync(path.join(SCHEMAS_DIR, file), "utf8"))),
    ]),
  );
  return validators;
}

/** Every GenAI JSON attribute of `attributes` follows its upstream schema. */
export function expectUpstreamSchemas(attributes: Readonly<Record<string, unknown>>): void {
  if (!HAVE_SCHEMAS) return;
  for (const [key, validate] of schemaValidators()) {
    const value = attributes[key];
    if (value === undefined) continue;
    const ok = validate(typeof value === "string" ? JSON.parse(value) : value);
    expect(ok, `${key} against ${SCHEMA_OF[key]}: ${JSON.stringify(validate.errors)}\n${String(value)}`).toBe(true);
  }
}

type Attrs = Readonly<Record<string, unknown>>;
const errorsOf = (findings: readonly { severity: string; rule: string; key?: string; message: string }[]) =>
  findings.filter((f) => f.severity === "error").map((f) => `${f.rule} ${f.key ?? ""}: ${f.message}`);

export function expectValidGenAI(attributes: Attrs): void {
  expect(errorsOf(validateGenAI(attributes as never)), JSON.stringify(attributes)).toEqual([]);
  expectUpstreamSchemas(attributes);
}

export function expectValidOpenInference(attributes: Attrs): void {
  expect(errorsOf(validateOpenInference(attributes as never)), JSON.stringify(attributes)).toEqual([]);
}
