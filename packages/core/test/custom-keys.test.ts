/** The owned namespaces core's types know are the spec's, and the run-time check agrees with the generated registry. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DiagLogLevel, diag } from "@opentelemetry/api";
import { openinferenceRegistry } from "@semtrace/openinference";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { OWNED_NAMESPACES, checkCustomKey } from "../src/custom-keys.js";
import { resetSwallowed } from "../src/swallowed.js";

const manifest = parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../../spec/openinference/manifest.yaml"), "utf8"),
) as { owns: string[] };

describe("custom keys", () => {
  it("OWNED_NAMESPACES (the type OwnedNamespace) is spec/openinference/manifest.yaml's `owns`", () => {
    expect([...OWNED_NAMESPACES].sort()).toEqual([...manifest.owns].sort());
    for (const ns of OWNED_NAMESPACES) expect(openinferenceRegistry.owns(`${ns}.anything`), ns).toBe(true);
  });

  it.each([
    ["mycompany.request_id", "custom"],
    ["channel", "custom"],
    ["user.email", "custom"],
    ["session.previous_id", "custom"],
    ["semtrace.stream.chunks", "custom"],
    ["llm.model_name", "registry"],
    ["llm.token_count.prompt_details.my_category", "registry"],
    ["llm.input_messages.3.message.content", "registry"],
    ["session.id", "registry"],
    ["user.id", "registry"],
    ["metadata", "registry"],
    ["llm.modle_name", "reject"],
    ["tool.nmae", "reject"],
    ["session.annotations.0.annotation.nmae", "reject"],
    ["llm", "reject"],
  ])("%s → %s", (key, verdict) => {
    expect(checkCustomKey(key, "x")).toBe(verdict);
  });
});

it("the did-you-mean keeps the key's own list indices", () => {
  const messages: string[] = [];
  resetSwallowed();
  diag.setLogger(
    { error: () => {}, warn: (m) => void messages.push(m), info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  try {
    expect(checkCustomKey("llm.input_messages.3.message.contnet", "x")).toBe("reject");
    expect(checkCustomKey("session.annotations.2.annotation.nmae", "x")).toBe("reject");
  } finally {
    diag.disable();
  }
  expect(messages[0]).toContain("did you mean `llm.input_messages.3.message.content`?");
  expect(messages[1]).toContain("did you mean `session.annotations.2.annotation.name`?");
});
