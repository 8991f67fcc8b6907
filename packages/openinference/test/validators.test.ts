/**
 * The generated OpenInference validator.
 *
 * 1. The mutation table (test/cases.ts): a valid LLM chat span (system, user and assistant messages, one tool call,
 *    token counts; test/fixtures/llm-chat-span.json) has no findings; each mutation of it yields
 *    exactly the findings listed (`rule key`), no more.
 * 2. A company registry (test/fixtures/mycompany, generated here with the real generator, as `semtrace-codegen
 *    generate` runs it) combined with OpenInference: each validates the keys in its own namespaces, other keys pass.
 * 3. The generated JSON Schema, run by ajv on the same records, agrees on every type error.
 */
import { realpathSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { runGenerateCommand } from "@semtrace/codegen";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createValidator,
  openinferenceRegistry,
  validateAttributes,
  validateSpan,
  type Finding,
  type RegistryValidator,
} from "../src/index.js";
import { BASE, MUTATIONS, rename, set, type Attrs } from "./cases.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** `rule key` of every finding, in the order reported. */
const rules = (findings: readonly Finding[]) => findings.map((f) => `${f.rule} ${f.key}`);

describe("the mutation table (OpenInference alone)", () => {
  it("the base LLM chat span has no findings", () => {
    expect(validateAttributes(BASE)).toEqual([]);
    expect(validateSpan({ name: "chat gpt-4o", attributes: BASE })).toEqual([]);
  });

  it.each(MUTATIONS.map((m) => [m.name, m] as const))("%s", (_, m) => {
    const findings = validateAttributes(m.mutate(BASE), m.options);
    expect(rules(findings)).toEqual(m.want);
    if (m.severity) expect(findings[0]!.severity).toBe(m.severity);
  });

  it("a typo gets a suggestion", () => {
    const [finding] = validateAttributes(rename("llm.model_name", "llm.modle_name")(BASE));
    expect(finding).toMatchObject({ rule: "key.unknown", expected: "llm.model_name" });
    expect(finding!.message).toContain("did you mean `llm.model_name`?");
  });

  it("an unknown field lists the fields of the structure", () => {
    const [finding] = validateAttributes(set({ "llm.input_messages.1.message.sentiment": "happy" })(BASE));
    expect(finding!.message).toContain(
      "is not a field of openinference.message: expected one of `message.role`, `message.content`",
    );
  });

  it("every span kind of the enum has a span definition, in the enum's order", () => {
    expect(openinferenceRegistry.spanKindKey).toBe("openinference.span.kind");
    expect(openinferenceRegistry.spanKinds).toEqual([
      "LLM",
      "EMBEDDING",
      "CHAIN",
      "RETRIEVER",
      "RERANKER",
      "TOOL",
      "AGENT",
      "GUARDRAIL",
      "EVALUATOR",
      "PROMPT",
      "UNKNOWN",
    ]);
  });

  it("owns exactly the manifest's namespaces (user.* and session.* stay shared with OpenTelemetry)", () => {
    for (const key of [
      "llm.x",
      "llm",
      "input.value",
      "session.annotations.0.annotation.name",
      "trace.evaluations",
      "message_content.type",
    ])
      expect(openinferenceRegistry.owns(key), key).toBe(true);
    for (const key of ["user.email", "session.previous_id", "trace.id", "llmx.y", "http.method", "mycompany.tenant.id"])
      expect(openinferenceRegistry.owns(key), key).toBe(false);
  });
});

describe("a company registry combined with OpenInference", () => {
  let dir: string;
  let mycompanyRegistry: RegistryValidator;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "semtrace-mycompany-"));
    let stderr = "";
    const code = await runGenerateCommand(
      ["--spec", path.join(here, "fixtures/mycompany"), "--out", path.join(dir, "src")],
      { stdout: () => {}, stderr: (s) => (stderr += s) },
    );
    expect(code, stderr).toBe(0);
    // The generated TypeScript, imported as is (vitest transpiles it; @semtrace/runtime resolves to the workspace).
    ({ mycompanyRegistry } = (await import(pathToFileURL(path.join(dir, "src/validators.ts")).href)) as {
      mycompanyRegistry: RegistryValidator;
    });
  }, 60_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const company = {
    "mycompany.tenant.id": "acme",
    "mycompany.request.tier": "pro",
    "mycompany.feedback.0.feedback_item.thumb": "up",
    "mycompany.feedback.0.feedback_item.comment": "Great",
  };

  it.each([
    ["both registries' keys, valid", {}, []],
    ["a deprecated key (renamed)", { "mycompany.customer_id": "acme" }, ["key.deprecated mycompany.customer_id"]],
    [
      "a closed enum of the company registry",
      { "mycompany.request.tier": "gold" },
      ["value.enum mycompany.request.tier"],
    ],
    ["a typo in the company namespace", { "mycompany.tenant.idd": "acme" }, ["key.unknown mycompany.tenant.idd"]],
    ["a wrong type in the company namespace", { "mycompany.tenant.id": 7 }, ["value.type mycompany.tenant.id"]],
    [
      "an index gap in a company list",
      { "mycompany.feedback.2.feedback_item.thumb": "down" },
      ["index.gap mycompany.feedback.1"],
    ],
    [
      "an unknown field of a company structure",
      { "mycompany.feedback.0.feedback_item.stars": 5 },
      ["index.unknown-field mycompany.feedback.0.feedback_item.stars"],
    ],
    ["an OpenInference typo is still caught", { "llm.modle_name": "x" }, ["key.unknown llm.modle_name"]],
    [
      "keys outside both owned namespaces pass",
      { "acme.anything": 1, "http.request.method": "GET", "user.id2": 3 },
      [],
    ],
  ] as const)("%s", (_, extra, want) => {
    const findings = createValidator(openinferenceRegistry, mycompanyRegistry).validateAttributes({
      ...BASE,
      ...company,
      ...extra,
    });
    expect(rules(findings)).toEqual(want);
  });

  it("the deprecation names the replacement; the typo gets the company registry's suggestion", () => {
    const v = createValidator(openinferenceRegistry, mycompanyRegistry);
    const [dep] = v.validateAttributes({ ...BASE, "mycompany.customer_id": "acme" });
    expect(dep).toMatchObject({
      severity: "warning",
      expected: "mycompany.tenant.id",
      message: "`mycompany.customer_id` is deprecated: use `mycompany.tenant.id`",
    });
    const [typo] = v.validateAttributes({ ...BASE, "mycompany.tenant.idd": "acme" });
    expect(typo).toMatchObject({
      expected: "mycompany.tenant.id",
      message: "`mycompany.tenant.idd` is not defined by the mycompany registry (did you mean `mycompany.tenant.id`?)",
    });
  });

  it("OpenInference alone leaves the company's keys alone, and the company registry alone leaves OpenInference's", () => {
    expect(rules(validateAttributes({ ...BASE, ...company, "mycompany.request.tier": "gold" }))).toEqual([]);
    expect(mycompanyRegistry.spanKindKey).toBeUndefined();
    expect(
      rules(
        createValidator(mycompanyRegistry).validateAttributes({
          ...company,
          "llm.modle_name": 1,
          "llm.token_count.prompt": "x",
        }),
      ),
    ).toEqual([]);
  });
});

describe("schema.json with ajv agrees with the validator on type errors", () => {
  const ajv = new Ajv2020({ allErrors: true });
  let validateSchema: ReturnType<Ajv2020["compile"]>;

  beforeAll(async () => {
    validateSchema = ajv.compile(
      JSON.parse(await readFile(path.join(here, "../src/generated/schema.json"), "utf8")) as object,
    );
  });

  /** Keys ajv rejects (the first segment of each error's JSON pointer). */
  const ajvKeys = (attributes: Attrs): string[] => {
    validateSchema(attributes);
    const keys = (validateSchema.errors ?? []).map((e) =>
      e.instancePath.split("/")[1]!.replace(/~1/g, "/").replace(/~0/g, "~"),
    );
    return [...new Set(keys)].sort();
  };
  /** Keys with a value error the schema can express: types, mixed arrays, values outside a closed enum. */
  const typeKeys = (findings: readonly Finding[]): string[] =>
    [
      ...new Set(
        findings
          .filter(
            (f) =>
              f.rule === "value.type" ||
              f.rule === "value.array-mixed" ||
              (f.rule === "value.enum" && f.severity === "error"),
          )
          .map((f) => f.key),
      ),
    ].sort();

  it("is published as `@semtrace/openinference/schema.json`", () => {
    const resolved = createRequire(import.meta.url).resolve("@semtrace/openinference/schema.json");
    expect(realpathSync(resolved)).toBe(realpathSync(path.join(here, "../src/generated/schema.json")));
  });

  it("accepts the base span", () => {
    expect(ajvKeys(BASE)).toEqual([]);
  });

  it.each(MUTATIONS.map((m) => [m.name, m] as const))("%s", (_, m) => {
    const attributes = m.mutate(BASE);
    if (m.schemaCannot) expect(ajvKeys(attributes), m.schemaCannot).toEqual([]);
    else expect(ajvKeys(attributes)).toEqual(typeKeys(validateAttributes(attributes, m.options)));
  });

  it("more type errors in structures, nested and top level", () => {
    const attributes = {
      ...BASE,
      "llm.input_messages.0.message.contents.0.message_content.image.image.url": 5,
      "retrieval.documents.0.document.score": "high",
      "embedding.embeddings.0.embedding.vector": [0.1, "x"],
      "llm.cost.prompt_details.cache_read": true,
      "llm.tools.0.tool.json_schema": {},
    };
    const ours = typeKeys(validateAttributes(attributes));
    expect(ours).toHaveLength(5);
    expect(ajvKeys(attributes)).toEqual(ours);
  });
});
