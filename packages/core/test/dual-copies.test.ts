/**
 * One state per process: @semtrace/core's built ES module and CommonJS outputs loaded together in one process (two
 * copies of every module, as in a mixed application) share configuration, default prices, the trace context, the
 * span handles `currentSpan()` finds, the context processor's open spans and the "reported once" memory. A copy of
 * another state version keeps its own state and says so through `diag`. The copies run in a child process
 * (test/support/dual-copies-child.mjs) on the real OpenTelemetry SDK; the state's slots are tested here directly.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GLOBAL_KEY, STATE_VERSION, claimState, otherStateVersions, state } from "../src/global-state.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const child = fileURLToPath(new URL("./support/dual-copies-child.mjs", import.meta.url));

interface Observed {
  readonly copiesDiffer: boolean;
  readonly warnings: readonly string[];
  readonly inputs: { beforeConfigure: unknown; afterEsmConfigure: unknown; afterCjsReset: unknown };
  readonly currentSpan: {
    cjsInsideEsm: { found: boolean; kind: unknown; anyKind: unknown };
    esmInsideCjs: { found: boolean; kind: unknown; otherKind: unknown };
    modelWritten: unknown;
    customWritten: unknown;
  };
  readonly prices: {
    findPriceInEsm: unknown;
    costWithSharedTable: unknown;
    costAfterOtherCopyTurnedPricingOff: unknown;
  };
  readonly traceContext: { sessionId: unknown; readBack: unknown };
  readonly reportsOfOneCause: number;
  readonly openSpansBeforeShutdown: number;
  readonly leftOpenEndedAtShutdown: boolean;
  readonly otherVersionState?: unknown;
  readonly slots: readonly string[];
}

function observe(mode: "shared" | "other-version" | "foreign-slot"): Observed {
  for (const file of ["dist/index.js", "dist/index.cjs"]) {
    if (!existsSync(`${packageDir}/${file}`))
      throw new Error(`packages/core/${file} is missing: build first (npm run build, or npx tsup in packages/core)`);
  }
  const run = spawnSync(process.execPath, [child, mode], { cwd: packageDir, encoding: "utf8", timeout: 60_000 });
  if (run.status !== 0) throw new Error(`child (${mode}) exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Observed;
}

describe("the ES module and CommonJS builds loaded together", () => {
  const seen = observe("shared");

  it("are two copies of the package", () => {
    expect(seen.copiesDiffer).toBe(true);
    expect(seen.slots).toEqual([String(STATE_VERSION)]);
  });

  it("configure() on one copy applies to spans the other writes (input hidden), and resetConfig() on that one undoes it", () => {
    expect(seen.inputs).toEqual({
      beforeConfigure: "secret input",
      afterEsmConfigure: "__REDACTED__",
      afterCjsReset: "secret input",
    });
  });

  it("currentSpan() finds the span the other copy started, typed by kind, and its handle writes to it", () => {
    expect(seen.currentSpan).toEqual({
      cjsInsideEsm: { found: true, kind: "LLM", anyKind: "LLM" },
      esmInsideCjs: { found: true, kind: "TOOL", otherKind: null },
      modelWritten: "model-from-cjs-handle",
      customWritten: "esm",
    });
  });

  it("setDefaultPrices() on one copy prices the other's spans (1M input × $1 + 500k output × $2 = $2), and false turns it off for both", () => {
    expect(seen.prices).toEqual({
      findPriceInEsm: 2,
      costWithSharedTable: 2,
      costAfterOtherCopyTurnedPricingOff: null,
    });
  });

  it("withContext() through one copy is stamped on the other's spans and read back by it", () => {
    expect(seen.traceContext).toEqual({ sessionId: "session-esm", readBack: "user-esm" });
  });

  it("one diag report per cause, whichever copy swallowed it; no other warning", () => {
    expect(seen.reportsOfOneCause).toBe(1);
    expect(seen.warnings).toHaveLength(1);
  });

  it("the context processor of one copy ends the other's open spans at shutdown", () => {
    expect(seen.openSpansBeforeShutdown).toBe(1);
    expect(seen.leftOpenEndedAtShutdown).toBe(true);
  });
});

describe("a copy of another state version in the process", () => {
  const seen = observe("other-version");

  it("is left alone: the copies of this version share their own state beside it", () => {
    expect([...seen.slots].sort()).toEqual([String(STATE_VERSION), "2"]);
    expect(seen.otherVersionState).toEqual({ version: 2, config: { hideInputs: false }, marker: "untouched" });
    expect(seen.inputs.afterEsmConfigure).toBe("__REDACTED__");
    expect(seen.currentSpan.cjsInsideEsm.found).toBe(true);
  });

  it("configure(), setDefaultPrices() and the context processor say once each that they do not reach it", () => {
    const about = seen.warnings.filter(
      (m) =>
        m.includes("does not reach the copies of @semtrace/core of another version") && m.includes("state version 2"),
    );
    expect(about.map((m) => m.slice(0, m.indexOf(" does not")))).toEqual([
      "@semtrace/core: SemtraceContextSpanProcessor",
      "@semtrace/core: configure()",
      "@semtrace/core: setDefaultPrices()",
    ]);
    expect(about[0]).toContain("npm ls @semtrace/core");
  });
});

describe("a slot of this version holding something that is not a state", () => {
  const seen = observe("foreign-slot");

  it("is not overwritten or read: each copy keeps a state of its own, and says so", () => {
    expect(seen.slots).toEqual([String(STATE_VERSION)]);
    expect(seen.inputs.afterEsmConfigure).toBe("secret input");
    expect(seen.currentSpan.cjsInsideEsm.found).toBe(false);
    expect(
      seen.warnings.some((m) =>
        m.includes("configure() applies to this copy of @semtrace/core alone, because the global slot"),
      ),
    ).toBe(true);
  });
});

describe("claimState", () => {
  const key = Symbol("test-slots");

  it("creates the slots object (not enumerable) and the state of the version on first claim; later claims get the same state", () => {
    const holder = {};
    const first = claimState(holder, key);
    expect(first.unshared).toBeUndefined();
    expect(first.state.version).toBe(STATE_VERSION);
    expect(Object.getOwnPropertySymbols(holder)).toEqual([key]);
    expect(Object.keys(holder)).toEqual([]);
    expect(claimState(holder, key).state).toBe(first.state);
  });

  it("keeps the states of different versions apart, and lists the others", () => {
    const holder = {};
    const mine = claimState(holder, key).state;
    const other = claimState(holder, key, STATE_VERSION + 1).state;
    expect(other).not.toBe(mine);
    expect(otherStateVersions(holder, key)).toEqual([String(STATE_VERSION + 1)]);
    expect(otherStateVersions({}, key)).toEqual([]);
  });

  it.each([
    ["a frozen holder", Object.freeze({}), /frozen globalThis/],
    ["a slot that is not an object", { [key]: 42 }, /holds something else/],
    [
      "a state of the wrong shape in the version's slot",
      { [key]: { [STATE_VERSION]: { version: "1" } } },
      /state version 1 holds something else/,
    ],
    [
      "a holder whose slot throws when read",
      Object.defineProperty({}, key, {
        get: () => {
          throw new Error("no");
        },
      }),
      /frozen globalThis/,
    ],
  ])("%s: a private state, with the reason", (_, holder, reason) => {
    const claim = claimState(holder, key);
    expect(claim.state.version).toBe(STATE_VERSION);
    expect(claim.unshared).toMatch(reason);
  });

  it("this copy's state is the process's, under Symbol.for(\"semtrace.core.state\")", () => {
    expect(GLOBAL_KEY).toBe(Symbol.for("semtrace.core.state"));
    expect((globalThis as unknown as Record<symbol, Record<number, unknown>>)[GLOBAL_KEY]![STATE_VERSION]).toBe(state);
  });
});
