/**
 * Tracing never throws into the traced code, so what goes wrong inside semtrace is swallowed — and reported
 * through OpenTelemetry's `diag`, once per cause: a hostile value that fails on every call must neither flood
 * the application's log nor slow the traced code down with logging.
 */
import { diag } from "@opentelemetry/api";
import { state } from "./global-state.js";

/**
 * Causes already reported, per process (shared by every copy of the package, see ./global-state.ts). Causes are
 * fixed strings written in this package, so the set stays small.
 */
const reported = state.reported;

/** Longest error description passed on (an error's message can be as large as any user string). */
const MAX_DETAIL = 300;

/**
 * Reports, once per `cause`, that semtrace swallowed a problem and carried on. `cause` must be a constant
 * sentence (never built from user values); `error` is described safely, without calling into it beyond
 * reading an Error's `name` and `message`.
 */
export function swallowed(cause: string, error?: unknown): void {
  if (reported.has(cause)) return;
  reported.add(cause);
  try {
    // biome-ignore lint/complexity/noArguments: tells `swallowed(cause)` from a thrown `undefined` passed as `error`.
    const detail = arguments.length > 1 ? `: ${describe(error)}` : "";
    diag.warn(`@semtrace/core: ${cause} — tracing carried on (reported once)${detail}`);
  } catch {
    // Not reported: the diag logger itself threw, and there is no other channel that does not disturb the application.
  }
}

/** Subjects reported per cause by {@link reportOnceFor}, each set capped at {@link MAX_SUBJECTS}. */
const subjects = state.reportedSubjects;
/** Distinct subjects (model names, keys) reported per cause: they come from user values, so the set is bounded. */
const MAX_SUBJECTS = 100;
/** Longest subject quoted in a message. */
const MAX_SUBJECT = 120;

/**
 * Reports `message` once per `subject` of a `cause` (an unpriced model, a misspelled key): `cause` is a constant
 * sentence, `subject` a user value, quoted clipped. After {@link MAX_SUBJECTS} subjects of one cause, one last
 * message says that further ones are not reported, so a value that changes on every call cannot flood the log.
 */
export function reportOnceFor(cause: string, subject: string, message: string): void {
  let seen = subjects.get(cause);
  if (seen === undefined) subjects.set(cause, (seen = new Set()));
  const key = subject.length > MAX_SUBJECT ? subject.slice(0, MAX_SUBJECT) : subject;
  if (seen.has(key) || seen.size > MAX_SUBJECTS) return;
  seen.add(key);
  try {
    if (seen.size > MAX_SUBJECTS)
      diag.warn(`@semtrace/core: ${cause}: more than ${MAX_SUBJECTS} different ones; the rest are not reported`);
    else
      diag.warn(
        `@semtrace/core: ${cause}: "${key}${key === subject ? "" : "…"}"${message ? ` — ${message}` : ""} (reported once)`,
      );
  } catch {
    // Not reported: the diag logger itself threw, and there is no other channel that does not disturb the application.
  }
}

/** A short description of a thrown value that cannot itself throw. */
function describe(error: unknown): string {
  try {
    if (error instanceof Error) {
      const name = typeof error.name === "string" ? error.name : "Error";
      const message = typeof error.message === "string" ? error.message : "";
      return clip(message === "" ? name : `${name}: ${message}`);
    }
    switch (typeof error) {
      case "string":
        return clip(error);
      case "number":
      case "boolean":
      case "bigint":
      case "undefined":
        return String(error);
      case "symbol":
        return "a symbol";
      case "function":
        return "a function";
      default:
        return error === null ? "null" : "a non-Error object";
    }
  } catch {
    // Not reported: this describes an error for a report under way, and says so in the description.
    return "an unreadable value";
  }
}

function clip(text: string): string {
  return text.length <= MAX_DETAIL ? text : `${text.slice(0, MAX_DETAIL)}…`;
}

/** @internal For tests: forget what was reported, so each test sees its own reports. */
export function resetSwallowed(): void {
  reported.clear();
  subjects.clear();
}
