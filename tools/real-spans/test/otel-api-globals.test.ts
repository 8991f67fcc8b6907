/**
 * This workspace runs on @opentelemetry/api 1.10 while the rest of the repo (and the tests that use the captures)
 * run on 1.9. The api keeps one global object per process, stamped with the version that created it; a capture must
 * neither record spans without context propagation under a 1.9 global, nor leave a 1.10 global behind that a 1.9 api
 * can no longer register into.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { captureOpenAISpans, defaultScenarios, installedPackage } from "../src/index.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const fromRoot = createRequire(repoRoot);
/** The repo's own api (the lockfile's 1.9) and context manager, as the other workspaces load them. */
const api19 = fromRoot("@opentelemetry/api") as typeof import("@opentelemetry/api");
const { AsyncLocalStorageContextManager } = fromRoot(
  "@opentelemetry/context-async-hooks",
) as typeof import("@opentelemetry/context-async-hooks");
const GLOBAL = Symbol.for("opentelemetry.js.api.1");
const otelGlobal = () => (globalThis as Record<symbol, { version: string } | undefined>)[GLOBAL];
const chatContext = defaultScenarios.filter((s) => s.name === "chat_context");

afterEach(() => {
  api19.context.disable();
  delete (globalThis as Record<symbol, unknown>)[GLOBAL];
});

describe("OpenTelemetry API globals of two versions in one process", () => {
  it("the versions are the ones this test is about", () => {
    expect(installedPackage("@opentelemetry/api", repoRoot).version).toBe("1.9.1");
    expect(installedPackage("@opentelemetry/api").version).toBe("1.10.0");
  });

  it("a capture removes the global object it created, so an api 1.9 app can register afterwards", async () => {
    expect(otelGlobal()).toBeUndefined();
    const capture = await captureOpenAISpans(chatContext);
    // The context reached the instrumentation (it needs propagation for these attributes).
    expect(capture.spans[0]!.attributes["session.id"]).toBe("session-1234");
    expect(otelGlobal()).toBeUndefined();
    expect(api19.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())).toBe(true);
    expect(otelGlobal()?.version).toBe("1.9.1");
  });

  it("under globals an api 1.9 registered first, a capture fails naming both versions instead of losing the context", async () => {
    expect(api19.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())).toBe(true);
    await expect(captureOpenAISpans(chatContext)).rejects.toThrow(
      "@semtrace/real-spans: context propagation does not work in this process: its OpenTelemetry API globals were registered by @opentelemetry/api 1.9.1, which the api 1.10.0 of this workspace cannot use.",
    );
    // The api 1.9 app's registration is left as it was.
    expect(otelGlobal()?.version).toBe("1.9.1");
    const key = api19.createContextKey("k");
    expect(
      api19.context.with(api19.context.active().setValue(key, 1), () => api19.context.active().getValue(key)),
    ).toBe(1);
  });

  it("under globals a compatible api (1.10) registered first, a capture uses them and leaves them in place", async () => {
    const { context } = await import("@opentelemetry/api");
    const { AsyncLocalStorageContextManager: Manager110 } = await import("@opentelemetry/context-async-hooks");
    expect(context.setGlobalContextManager(new Manager110().enable())).toBe(true);
    try {
      const capture = await captureOpenAISpans(chatContext);
      expect(capture.spans[0]!.attributes["session.id"]).toBe("session-1234");
      expect(otelGlobal()?.version).toBe("1.10.0");
      expect(Object.keys(otelGlobal()!)).toContain("context");
    } finally {
      context.disable();
    }
  });
});
