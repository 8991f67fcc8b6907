/**
 * @semtrace/spec/internal: every stage's building blocks, for @semtrace/codegen (its emitters build on the code
 * model, the printer, the naming rules and the raw model) and for tests. Not a stable API: it changes with the
 * generator. The public entry (`@semtrace/spec`) re-exports what users need from here, so an application that
 * loads both gets one copy.
 */
export * from "./read-spec.js";
export * from "./validators-module.js";
export * from "./load/attributes.js";
export * from "./load/dependencies/flags.js";
export * from "./load/dependencies/imports.js";
export * from "./load/dependencies/limits.js";
export * from "./load/dependencies/load-dependencies.js";
export * from "./load/dependencies/overrides.js";
export * from "./load/dependencies/registry-path.js";
export * from "./load/limits.js";
export * from "./load/load-registry.js";
export * from "./load/manifest.js";
export * from "./load/pyyaml-compat.js";
export * from "./model/annotations.js";
export * from "./model/diagnostic-ids.js";
export * from "./model/diagnostics.js";
export * from "./model/flatten.js";
export * from "./model/raw.js";
export * from "./model/raw-index.js";
export * from "./model/resolved.js";
export * from "./naming/assign.js";
export * from "./naming/case.js";
export * from "./naming/exports.js";
export * from "./naming/identifiers.js";
export * from "./naming/presets.js";
export * from "./validate/context.js";
export * from "./validate/validate.js";
export * from "./validate/rules/identifiers.js";
export * from "./resolve/resolve.js";
export * from "./mapping/read-mapping.js";
export * from "./emit/code.js";
export * from "./emit/literals.js";
export * from "./emit/names.js";
export * from "./emit/type-map.js";
export * from "./emit/validators.js";
export * from "./print/layout.js";
export * from "./print/printer.js";
export * from "./emit/builder-plan.js";
export * from "./compare/changes.js";
export * from "./compare/compare.js";
export * from "./compare/render.js";
