/**
 * `@semtrace/cli` as a library: the same router the `semtrace` executable runs, for tools that want to call it
 * in-process (and for tests).
 */
export { main, commands, helpText, type CliIo, type Command } from "./cli.js";
export { runValidateCommand, collectReport, defaultJobs, exitCode, VALIDATE_HELP, type ValidateIo } from "./validate/command.js";
export { render, jsonReport, REPORTERS, type Report, type ReportFinding, type ReporterName } from "./validate/report.js";
export { readInput, parseBody, DEFAULT_LIMITS, type InputEvent, type InputFormat, type InputNote, type Limits, type Source } from "./validate/input.js";
export { loadRegistries, loadSpecDirectory } from "./validate/registries.js";
export { runLiveCheckCommand, startLiveCheck, parseLiveCheckArgs, LIVE_CHECK_HELP, type LiveCheck, type LiveCheckSettings } from "./validate/live-check.js";
/** Collectors receive findings as they come: `collectorFor(reporter)` keeps memory bounded for text and json. */
export { Collector, ReportCollector, TextCollector, JsonCollector, collectorFor, TEXT_FINDINGS_PER_RULE, type CollectorCaps, type Note, type Rejection, type ReportTotals } from "./validate/report.js";
export type { LiveCheckIo, LiveCheckOptions } from "./validate/live-check.js";
/** What a live-check session lets clients make it hold (each a `LiveCheckSettings` field and a flag), and the defaults. */
export { DEFAULT_LIVE_LIMITS, type LiveLimits } from "./validate/live/limits.js";
