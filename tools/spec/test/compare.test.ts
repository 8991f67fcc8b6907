/**
 * Comparing resolved registries: each row edits one copy of a small registry and names the changes the comparison
 * must report (bump, subject, kind, id), and no others. Built through the real pipeline from in-memory YAML.
 */
import { describe, expect, it } from "vitest";
import {
  compareRegistries,
  compatibilityDiagnostics,
  largestBump,
  packageBump,
  readSpecFiles,
  renderChangeset,
  renderChangesJson,
  renderChangesMarkdown,
  renderChangesText,
  type Registry,
} from "../src/index.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;

const MANIFEST = lines(
  "name: demo",
  "version: 0.3.0",
  "span_kind_attribute: demo.operation",
  "codegen:",
  '  package: "@acme/demo"',
  "  naming: otel",
);

const BASE = lines(
  "groups:",
  "  - id: registry.demo",
  "    type: attribute_group",
  "    brief: Demo attributes.",
  "    attributes:",
  "      - id: demo.operation",
  "        brief: The operation.",
  "        stability: stable",
  "        type:",
  "          members:",
  "            - { id: chat, value: chat, brief: A chat., stability: stable }",
  "            - { id: embed, value: embed, brief: Embeddings., stability: development }",
  "      - { id: demo.request.model, type: string, brief: The model., stability: stable, examples: [gpt-4] }",
  "      - { id: demo.usage.prompt_tokens, type: int, brief: Prompt tokens., stability: development }",
  "      - { id: demo.temperature, type: double, brief: Temperature., stability: development }",
  "  - id: span.demo.chat",
  "    type: span",
  "    span_kind: client",
  "    brief: A chat call.",
  "    stability: development",
  "    annotations: { semtrace: { span_kind: chat } }",
  "    attributes:",
  "      - { ref: demo.operation, requirement_level: required }",
  "      - { ref: demo.request.model, requirement_level: required }",
  "      - { ref: demo.usage.prompt_tokens, requirement_level: recommended }",
  "      - { ref: demo.temperature, requirement_level: opt_in }",
);

function registry(spec: string): Registry {
  const built = readSpecFiles(
    "spec/demo",
    new Map([
      ["manifest.yaml", MANIFEST],
      ["registry.yaml", spec],
    ]),
  );
  expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return built.registry!;
}

/** Replaces exactly one occurrence of `from`, so a row that no longer matches the base fails loudly. */
function edit(from: string, to: string): (spec: string) => string {
  return (spec) => {
    expect(spec.split(from).length, `the base holds ${JSON.stringify(from)} once`).toBe(2);
    return spec.replace(from, to);
  };
}

type Row = readonly [name: string, change: (spec: string) => string, expected: readonly string[]];

const RENAMED_TOKENS = [
  "      - { id: demo.usage.prompt_tokens, type: int, brief: Prompt tokens., stability: development, deprecated: { reason: renamed, renamed_to: demo.usage.input_tokens } }",
  "      - { id: demo.usage.input_tokens, type: int, brief: Input tokens., stability: development }",
].join("\n");

const ROWS: readonly Row[] = [
  ["nothing", (s) => s, []],
  [
    "an attribute added",
    edit(
      "      - { id: demo.temperature,",
      "      - { id: demo.top_k, type: int, brief: Top k., stability: development }\n      - { id: demo.temperature,",
    ),
    ["minor attribute added demo.top_k"],
  ],
  [
    "an attribute removed (and with it its place in the span and its builder field)",
    (s) =>
      edit(
        "      - { ref: demo.temperature, requirement_level: opt_in }\n",
        "",
      )(edit("      - { id: demo.temperature, type: double, brief: Temperature., stability: development }\n", "")(s)),
    [
      "major attribute removed demo.temperature",
      "major builder field removed buildChatAttributes.temperature",
      "major span removed span.demo.chat demo.temperature",
    ],
  ],
  [
    "a stable attribute retyped",
    edit("demo.request.model, type: string", "demo.request.model, type: 'string[]'"),
    ["major! attribute type-changed demo.request.model"],
  ],
  [
    "an enum member added",
    edit(
      "            - { id: embed,",
      "            - { id: rerank, value: rerank, brief: Reranking., stability: development }\n            - { id: embed,",
    ),
    ["minor enum member added demo.operation rerank"],
  ],
  [
    "an enum member removed",
    edit("            - { id: embed, value: embed, brief: Embeddings., stability: development }\n", ""),
    ["major enum member removed demo.operation embed"],
  ],
  [
    "a stable enum member's value changed",
    edit("{ id: chat, value: chat,", "{ id: chat, value: chat_v2,"),
    ["major! enum member value-changed demo.operation chat"],
  ],
  [
    "a requirement made stricter",
    edit(
      "demo.usage.prompt_tokens, requirement_level: recommended",
      "demo.usage.prompt_tokens, requirement_level: required",
    ),
    ["major span requirement-stricter span.demo.chat demo.usage.prompt_tokens"],
  ],
  [
    "a requirement relaxed",
    edit("demo.request.model, requirement_level: required", "demo.request.model, requirement_level: recommended"),
    ["minor span requirement-relaxed span.demo.chat demo.request.model"],
  ],
  [
    "a renamed attribute (deprecated + renamed_to), its builder field dropped",
    (s) =>
      edit(
        "{ ref: demo.usage.prompt_tokens,",
        "{ ref: demo.usage.input_tokens,",
      )(
        edit(
          "      - { id: demo.usage.prompt_tokens, type: int, brief: Prompt tokens., stability: development }",
          RENAMED_TOKENS,
        )(s),
      ),
    [
      "minor attribute added demo.usage.input_tokens",
      "minor attribute renamed demo.usage.prompt_tokens",
      "minor span renamed span.demo.chat demo.usage.prompt_tokens",
      "minor builder field added buildChatAttributes.usage.inputTokens",
      // The old field stays as a deprecated alias that writes the new key.
      "minor builder field renamed buildChatAttributes.usage.promptTokens",
    ],
  ],
  [
    "an attribute deprecated without a replacement",
    edit(
      "brief: Temperature., stability: development }",
      "brief: Temperature., stability: development, deprecated: { reason: obsoleted } }",
    ),
    ["minor attribute deprecated demo.temperature", "major builder field removed buildChatAttributes.temperature"],
  ],
  [
    "a brief changed",
    edit("brief: The model.,", "brief: The model the request names.,"),
    ["patch attribute docs-changed demo.request.model"],
  ],
  [
    "examples changed",
    edit("examples: [gpt-4]", "examples: [gpt-4o]"),
    ["patch attribute docs-changed demo.request.model"],
  ],
  [
    "a span's brief changed",
    edit("brief: A chat call.", "brief: One chat completion."),
    ["patch span docs-changed span.demo.chat"],
  ],
  [
    "a stable attribute made unstable",
    edit("brief: The model., stability: stable", "brief: The model., stability: development"),
    ["major! attribute stability-changed demo.request.model"],
  ],
  [
    "an attribute stabilised",
    edit("brief: Temperature., stability: development", "brief: Temperature., stability: stable"),
    ["minor attribute stability-changed demo.temperature"],
  ],
  [
    "a span definition added",
    (s) =>
      `${s}${lines("  - id: span.demo.embed", "    type: span", "    span_kind: client", "    brief: Embeddings.", "    annotations: { semtrace: { span_kind: embed } }", "    attributes:", "      - { ref: demo.request.model }")}`,
    ["minor span added span.demo.embed", "minor builder field added buildEmbedAttributes"],
  ],
  [
    "a span definition's kind changed",
    edit("    span_kind: client\n", "    span_kind: internal\n"),
    ["major span definition-changed span.demo.chat"],
  ],
];

function summarise(base: Registry, head: Registry): string[] {
  return compareRegistries(base, head)
    .map((c) => `${c.bump}${c.stable && c.bump === "major" ? "!" : ""} ${c.subject} ${c.kind} ${c.id}`)
    .sort();
}

describe("compareRegistries", () => {
  const base = registry(BASE);
  it.each(ROWS)("%s", (_name, change, expected) => {
    expect(summarise(base, registry(change(BASE)))).toEqual([...expected].sort());
  });

  it("is symmetric where it should be: what one direction adds, the other removes", () => {
    const head = registry(
      edit(
        "      - { id: demo.temperature,",
        "      - { id: demo.top_k, type: int, brief: Top k., stability: development }\n      - { id: demo.temperature,",
      )(BASE),
    );
    expect(summarise(head, base)).toEqual(["major attribute removed demo.top_k"]);
  });
});

describe("bumps", () => {
  it.each([
    ["major", "0.3.0", "minor"],
    ["minor", "0.3.0", "patch"],
    ["patch", "0.3.0", "patch"],
    ["major", "1.2.0", "major"],
    ["minor", "1.2.0", "minor"],
    ["patch", "2.0.0-rc.1", "patch"],
  ] as const)("a %s change to %s is a %s bump", (bump, version, want) => {
    expect(packageBump(bump, version)).toBe(want);
  });
});

describe("reports", () => {
  const base = registry(BASE);
  const head = registry(
    edit(
      "demo.request.model, type: string",
      "demo.request.model, type: int",
    )(
      edit(
        "            - { id: embed,",
        "            - { id: rerank, value: rerank, brief: Reranking. }\n            - { id: embed,",
      )(BASE),
    ),
  );
  const changes = compareRegistries(base, head);
  const compared = { base: "main:spec/demo", head: "spec/demo", registry: "demo", packageName: "@acme/demo", changes };

  it("text names the bump, groups by level and marks stable breaks", () => {
    const text = renderChangesText(compared);
    expect(text.split("\n")[0]).toBe(
      "demo: main:spec/demo → spec/demo: 2 changes (1 major, 1 minor, 0 patch); the registry needs a major bump",
    );
    expect(text).toContain("major  attribute `demo.request.model` changed type from string to int [stable]");
    expect(text).toContain(
      'minor  enum member `rerank` ("rerank") added to `demo.operation` (DEMO_OPERATION_VALUE_RERANK)',
    );
  });

  it("Markdown is one table per level, pipes escaped", () => {
    const md = renderChangesMarkdown({ ...compared, changes: [{ ...changes[0]!, message: "a | b" }] });
    expect(md).toContain("| attribute | a \\| b **(stable)** | `demo.request.model` |");
  });

  it("JSON carries every change and the bump", () => {
    const json = JSON.parse(renderChangesJson(compared)) as { bump: string; package: string; changes: unknown[] };
    expect(json).toMatchObject({ bump: "major", package: "@acme/demo" });
    expect(json.changes).toHaveLength(2);
  });

  it("a changeset bumps a 0.x package's minor version for a breaking change, and lists every change", () => {
    const text = renderChangeset(changes, [{ name: "@acme/demo", version: "0.3.0" }], "demo")!;
    expect(text.split("\n").slice(0, 3)).toEqual(["---", '"@acme/demo": minor', "---"]);
    expect(text).toContain("- **Breaking:** Attribute `demo.request.model` changed type from string to int.");
    expect(text).toContain("- Enum member `rerank`");
    expect(renderChangeset(changes, [{ name: "@acme/demo", version: "1.0.0" }], "demo")).toContain(
      '"@acme/demo": major',
    );
    expect(renderChangeset([], [{ name: "@acme/demo", version: "1.0.0" }], "demo")).toBeUndefined();
  });

  it("compatibility: a stable item's break is an error, another break a warning, additions nothing", () => {
    const diagnostics = compatibilityDiagnostics(changes, "spec/demo");
    expect(diagnostics.map((d) => `${d.severity} ${d.id}`)).toEqual(["error compat.stable-broken"]);
    expect(diagnostics[0]!.location.file).toBe("spec/demo/registry.yaml");
    const unstable = compareRegistries(
      base,
      registry(
        edit("            - { id: embed, value: embed, brief: Embeddings., stability: development }\n", "")(BASE),
      ),
    );
    expect(compatibilityDiagnostics(unstable, "spec/demo").map((d) => `${d.severity} ${d.id}`)).toEqual([
      "warning compat.breaking",
    ]);
    expect(largestBump(unstable)).toBe("major");
  });
});
