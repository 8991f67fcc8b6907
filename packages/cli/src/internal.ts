/**
 * `@semtrace/cli/internal`: what the repository's own tools (tools/bench) need beyond the public API. No stability
 * promise: it changes with the CLI, in any release.
 */
export { defaultJobs, runValidateCommand } from "./validate/command.js";
