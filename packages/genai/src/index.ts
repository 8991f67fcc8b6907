/**
 * OpenTelemetry GenAI semantic conventions (`gen_ai.*`) as typed constants, enum values, builders and validators.
 *
 * Everything is generated from `spec/genai/` into `./generated/` by `npm run generate`; this hand-written entry only
 * re-exports it, so the generated files can be replaced wholesale.
 */
export * from "./generated/index.js";
