/**
 * The state of @semtrace/core that must be one per process, however many copies of the package are loaded: an
 * application that loads it once as ES module and once as CommonJS (its own code and a dependency's, say) has two
 * copies of every module, and `configure({ hideInputs: true })` on one must hide inputs in spans the other writes.
 * So, as `@opentelemetry/api` keeps its globals, the state lives on `globalThis` under a `Symbol.for` key (one
 * registry-wide symbol, whichever copy asks), and every copy uses the first one's.
 *
 * Copies share it only when they agree on its shape: the state is kept per {@link STATE_VERSION}, and a copy
 * whose version differs (an older or newer @semtrace/core) gets a state of its own rather than reading one it does
 * not understand; `configure()` and the other process-wide calls then say so through `diag` (./copies.ts).
 *
 * What stays per copy: caches that are pure functions of their keys (price-table indexes, redaction rules per key,
 * custom-key verdicts, the global tracer per provider). A second copy holding its own gives the same answers.
 */
import type { ResolvedConfig, TraceConfig } from "./config.js";
import type { PriceTable } from "./cost.js";
import type { OpenSpans } from "./open-spans.js";

/**
 * The version of {@link CoreState}'s shape and of what copies hand each other through it (span handles found
 * under {@link CoreState.handleKey}, open-span lists, the trace context stored under
 * {@link CoreState.traceContextKey}). Any change to one of them bumps it: copies of different versions never share.
 */
export const STATE_VERSION = 1;

/** The one key every copy finds the states under: `globalThis[GLOBAL_KEY][STATE_VERSION]`. */
export const GLOBAL_KEY: unique symbol = Symbol.for("semtrace.core.state") as never;

/** Everything @semtrace/core keeps per process. */
export interface CoreState {
  readonly version: typeof STATE_VERSION;

  /** `configure()`'s configuration (merged over the environment); undefined: the environment alone. */
  config: TraceConfig | undefined;
  /** The environment's configuration, read once (reading `process.env` is slow). */
  envConfig: TraceConfig | undefined;
  /** The resolved global configuration, until `configure()` or `resetConfig()` changes it. */
  resolvedConfig: ResolvedConfig | undefined;
  /** Resolved per-span configurations, by the options object that carried them (replaced on every change). */
  configByObject: WeakMap<object, ResolvedConfig>;

  /** `setDefaultPrices()`'s table, or false; undefined: each copy's own `DEFAULT_PRICES`. */
  defaultPrices: PriceTable | false | undefined;

  /** The property under which a span semtrace started carries its handle (for `currentSpan()`). */
  readonly handleKey: symbol;
  /** The OpenTelemetry context key of the trace context (`withContext`). */
  readonly traceContextKey: symbol;

  /** True inside semtrace's `tracer.startSpan` call: the span a context processor sees start is semtrace's. */
  starting: boolean;
  /** The span being started is written in GenAI only (`conventions: "genai"`): its handle stamps the context. */
  genaiOnly: boolean;
  /** A context processor stamped the trace context on the span being started. */
  stamped: boolean;
  /** The open-span list of the context processor that saw the span being started. */
  claimedBy: OpenSpans | undefined;

  /** Causes reported through `diag` (each once per process). */
  readonly reported: Set<string>;
  /** Subjects reported per cause (an unpriced model, a misspelled key). */
  readonly reportedSubjects: Map<string, Set<string>>;
}

function newState(): CoreState {
  return {
    version: STATE_VERSION,
    config: undefined,
    envConfig: undefined,
    resolvedConfig: undefined,
    configByObject: new WeakMap(),
    defaultPrices: undefined,
    handleKey: Symbol("semtrace.core.handle"),
    traceContextKey: Symbol("semtrace.core.trace-context"),
    starting: false,
    genaiOnly: false,
    stamped: false,
    claimedBy: undefined,
    reported: new Set(),
    reportedSubjects: new Map(),
  };
}

/** How this copy came by its state. */
export interface Claim {
  readonly state: CoreState;
  /**
   * Why this copy could not share its state with others of its version (a frozen `globalThis`, a foreign
   * value under the key), or undefined when it shares it.
   */
  readonly unshared: string | undefined;
}

/**
 * Finds (or creates) the state of `version` under `key` on `holder`. A slot holding something that is not a
 * state of that version is left alone: this copy then keeps a state of its own. Never throws.
 */
export function claimState(holder: object, key: symbol, version: number = STATE_VERSION): Claim {
  try {
    let slots = (holder as Record<symbol, unknown>)[key];
    if (slots === undefined) {
      slots = Object.create(null) as object;
      // Not enumerable: tools that list the global object's properties do not see it.
      Object.defineProperty(holder, key, { value: slots, writable: false, enumerable: false, configurable: true });
    }
    if (typeof slots !== "object" || slots === null)
      return { state: newState(), unshared: "the global slot of @semtrace/core holds something else" };
    const found = (slots as Record<number, unknown>)[version];
    if (found === undefined) {
      const state = newState();
      (slots as Record<number, unknown>)[version] = state;
      return { state, unshared: undefined };
    }
    if (isState(found, version)) return { state: found as CoreState, unshared: undefined };
    return {
      state: newState(),
      unshared: `the global slot of @semtrace/core's state version ${version} holds something else`,
    };
  } catch {
    // Not reported: here, at load, before any diag logger is set; the reason is kept and ./copies.ts reports it.
    return {
      state: newState(),
      unshared: "the global object cannot hold @semtrace/core's state (a frozen globalThis?)",
    };
  }
}

function isState(value: unknown, version: number): boolean {
  return typeof value === "object" && value !== null && (value as { version?: unknown }).version === version;
}

/**
 * The state versions of other copies of @semtrace/core loaded in this process (copies that keep a state of their
 * own because they disagree on its shape). Never throws.
 */
export function otherStateVersions(holder: object = globalThis, key: symbol = GLOBAL_KEY): string[] {
  try {
    const slots = (holder as Record<symbol, unknown>)[key];
    if (typeof slots !== "object" || slots === null) return [];
    return Object.keys(slots).filter((v) => v !== String(STATE_VERSION));
  } catch {
    // Not reported: the caller asks only to warn about other copies; an unreadable slot tells it nothing.
    return [];
  }
}

const claimed = claimState(globalThis, GLOBAL_KEY);

/** This copy's state: the process's, shared with every copy of the same {@link STATE_VERSION}. */
export const state: CoreState = claimed.state;

/** Why this copy keeps a state of its own although its version is shared (see {@link Claim.unshared}). */
export const unsharedReason: string | undefined = claimed.unshared;
