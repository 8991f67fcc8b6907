/**
 * `@semtrace/cli` as a library: the programmatic API its README documents ("As a library"), and nothing else.
 * Internals that the repository's own tools need are behind `@semtrace/cli/internal`, with no stability promise.
 */
import type { Collector as FindingsCollector } from "./validate/report.js";

export { main, type CliIo } from "./cli.js";
export { collectReport, type CollectOptions } from "./validate/command.js";
export { loadRegistries } from "./validate/registries.js";
export {
  readInput,
  DEFAULT_LIMITS,
  type InputEvent,
  type InputFormat,
  type InputNote,
  type Limits,
  type ReadOptions,
  type Source,
} from "./validate/input.js";
export type { InputSpan } from "./validate/otlp.js";
export {
  render,
  collectorFor,
  REPORTERS,
  type CollectorCaps,
  type Note,
  type Rejection,
  type Report,
  type ReportFinding,
  type ReporterName,
} from "./validate/report.js";
export {
  startLiveCheck,
  type LiveCheck,
  type LiveCheckOptions,
  type LiveCheckSettings,
} from "./validate/live-check.js";
/** What a live-check session lets clients make it hold (each a `LiveCheckSettings` field and a flag), and the defaults. */
export { DEFAULT_LIVE_LIMITS, type LiveLimits } from "./validate/live/limits.js";

/**
 * What `collectorFor` returns and `startLiveCheck` accepts: it receives findings as they arrive, then `write`s its
 * report. A type only, the class behind it being internal (`export { type Collector }` of a class the declaration
 * bundler puts in a chunk shared with `./internal` comes out as a value export that the JavaScript lacks).
 */
export type Collector = FindingsCollector;
