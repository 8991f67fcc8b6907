/**
 * Matchers on semantic-convention validators, in the shape Vitest's and Jest's `expect.extend` take:
 * each returns `{ pass, message }`, and `.not` works as usual.
 */
import { openinferenceRegistry } from "@semtrace/openinference";
import { judgeWith, type Finding, type RegistryValidator, type Severity } from "@semtrace/runtime";

export interface SpanMatcherOptions {
  /** The span kind the span must have (or, when it has none, is validated as). */
  readonly kind?: string;
  /** Registries to validate against (default: OpenInference). */
  readonly registries?: readonly RegistryValidator[];
  /** The lowest severity that makes a span invalid (default `"error"`). */
  readonly failOn?: Severity;
  /**
   * Every span must declare a kind of one of the registries (default false: spans no registry judges — HTTP or
   * database spans — are other spans, left alone by `toAllBeValidSpans`).
   */
  readonly strict?: boolean;
}

/** What the matchers accept: an SDK `ReadableSpan`, `{ name, attributes }`, or an attribute record. */
export type SpanInput =
  | { readonly name?: string; readonly attributes?: Readonly<Record<string, unknown>> }
  | Readonly<Record<string, unknown>>;

interface MatcherContext {
  readonly isNot?: boolean;
  equals?(a: unknown, b: unknown): boolean;
}

export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

function isSpan(value: unknown): value is { name?: string; attributes?: Record<string, unknown> } {
  return (
    typeof value === "object" &&
    value !== null &&
    "attributes" in value &&
    typeof (value as { attributes: unknown }).attributes === "object"
  );
}

function attributesOf(value: unknown): Readonly<Record<string, unknown>> {
  if (isSpan(value)) return value.attributes ?? {};
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  return {};
}

function nameOf(value: unknown): string {
  return isSpan(value) && typeof value.name === "string" ? `span "${value.name}"` : "attributes";
}

/** A span's findings at or above `failOn`, and whether a registry judged it (the rule of `@semtrace/runtime`). */
function judge(span: unknown, options: SpanMatcherOptions): { problems: Finding[]; judged: boolean } {
  const registries = options.registries ?? [openinferenceRegistry];
  const failOn = options.failOn ?? "error";
  const { findings, judges } = judgeWith(registries, attributesOf(span), {
    ...(options.kind === undefined ? {} : { kind: options.kind }),
    ...(options.strict ? { strict: true } : {}),
  });
  return { problems: findings.filter((f) => RANK[f.severity] >= RANK[failOn]), judged: judges.length > 0 };
}

/** Findings at or above `failOn` for one span (none for a span no registry judges; see `toBeValidSpan`). */
export function spanProblems(span: unknown, options: SpanMatcherOptions = {}): Finding[] {
  return judge(span, options).problems;
}

function registryNames(options: SpanMatcherOptions): string {
  return (options.registries ?? [openinferenceRegistry]).map((r) => r.name).join(", ");
}

function list(findings: readonly Finding[], indent = "  "): string {
  return findings.map((f) => `${indent}${f.severity} ${f.rule} ${f.key}: ${f.message}`).join("\n");
}

function badInput(matcher: string, received: unknown): MatcherResult | undefined {
  if (typeof received === "object" && received !== null) return undefined;
  return {
    pass: false,
    message: () =>
      `${matcher}: expected a span ({ name, attributes }) or an attribute record, received ${received === null ? "null" : typeof received}`,
  };
}

export function toBeValidSpan(
  this: MatcherContext | void,
  received: unknown,
  options: SpanMatcherOptions = {},
): MatcherResult {
  const bad = badInput("toBeValidSpan", received);
  if (bad) return bad;
  const { problems, judged } = judge(received, options);
  const what = `${nameOf(received)}${options.kind ? ` (kind ${options.kind})` : ""}`;
  // A span no registry judges is valid for none: asserting it is a valid span is a mistake worth a failure.
  if (!judged && problems.length === 0) {
    return {
      pass: false,
      message: () =>
        `expected ${what} to be a valid span, but no registry judges it (${registryNames(options)}): it declares none of their span kinds and carries none of their keys (context keys aside)`,
    };
  }
  return problems.length === 0
    ? {
        pass: true,
        message: () =>
          `expected ${what} not to be a valid span, but it has no findings at ${options.failOn ?? "error"} level or above`,
      }
    : {
        pass: false,
        message: () => `expected ${what} to be a valid span, found ${problems.length} problem(s):\n${list(problems)}`,
      };
}

export function toAllBeValidSpans(
  this: MatcherContext | void,
  received: unknown,
  options: SpanMatcherOptions = {},
): MatcherResult {
  if (!Array.isArray(received))
    return {
      pass: false,
      message: () =>
        `toAllBeValidSpans: expected an array of spans, received ${received === null ? "null" : typeof received}`,
    };
  const failing: string[] = [];
  let other = 0;
  received.forEach((span, i) => {
    if (typeof span !== "object" || span === null) {
      failing.push(`  [${i}] is not a span (${span === null ? "null" : typeof span})`);
      return;
    }
    const { problems, judged } = judge(span, options);
    if (!judged) other++;
    if (problems.length > 0) failing.push(`  [${i}] ${nameOf(span)}:\n${list(problems, "    ")}`);
  });
  if (failing.length > 0)
    return {
      pass: false,
      message: () =>
        `expected all ${received.length} span(s) to be valid; ${failing.length} are not:\n${failing.join("\n")}`,
    };
  // Nothing judged: the instrumentation under test produced no span of these conventions (or none at all).
  if (other === received.length) {
    return {
      pass: false,
      message: () =>
        `expected valid spans, but no registry judges any of the ${received.length} span(s) (${registryNames(options)}): none declares their span kinds or carries their keys`,
    };
  }
  const others = other > 0 ? ` (${other} other span(s) that no registry judges left alone)` : "";
  return {
    pass: true,
    message: () => `expected some of the ${received.length} span(s) to be invalid, but all are valid${others}`,
  };
}

function defaultEquals(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => defaultEquals(v, b[i]));
  return false;
}

function show(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

export function toHaveAttributes(
  this: MatcherContext | void,
  received: unknown,
  expected: Readonly<Record<string, unknown>>,
): MatcherResult {
  const bad = badInput("toHaveAttributes", received);
  if (bad) return bad;
  const attributes = attributesOf(received);
  const equals = (this && typeof this.equals === "function" ? this.equals.bind(this) : undefined) ?? defaultEquals;
  const mismatches: string[] = [];
  for (const key of Object.keys(expected)) {
    if (!Object.hasOwn(attributes, key)) mismatches.push(`  ${key}: missing (expected ${show(expected[key])})`);
    else if (!equals(attributes[key], expected[key]))
      mismatches.push(`  ${key}: expected ${show(expected[key])}, found ${show(attributes[key])}`);
  }
  return mismatches.length === 0
    ? { pass: true, message: () => `expected ${nameOf(received)} not to have the attributes ${show(expected)}` }
    : { pass: false, message: () => `expected ${nameOf(received)} to have the attributes:\n${mismatches.join("\n")}` };
}

/** Pass to `expect.extend(semtraceMatchers)` (Vitest or Jest). */
export const semtraceMatchers = { toBeValidSpan, toAllBeValidSpans, toHaveAttributes };

/** The matcher signatures, for typing `expect` (`interface Assertion<T> extends SemtraceMatchers<void> {}`). */
export interface SemtraceMatchers<R = unknown> {
  /** Judged by a registry (default OpenInference), with no finding at `failOn` (default error) or above. */
  toBeValidSpan(options?: SpanMatcherOptions): R;
  /** Every span no registry judges is left alone (HTTP spans…); every other one is valid; at least one is judged. */
  toAllBeValidSpans(options?: SpanMatcherOptions): R;
  /** Every listed attribute is present and equal (asymmetric matchers such as `expect.any(Number)` work). */
  toHaveAttributes(expected: Readonly<Record<string, unknown>>): R;
}
