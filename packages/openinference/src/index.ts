/**
 * OpenInference semantic conventions as typed constants: attribute keys, enum values and key helpers.
 *
 * Everything is generated from `spec/openinference/` into `./generated/` by `npm run generate`; this hand-written
 * entry only re-exports it, so the generated files can be replaced wholesale.
 */
export * from "./generated/index.js";
