/**
 * `@semtrace/cli` as a library: the same router the `semtrace` executable runs, for tools that want to call it
 * in-process (and for tests).
 */
export { main, commands, helpText, type CliIo, type Command } from "./cli.js";
