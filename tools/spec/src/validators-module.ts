/**
 * A registry's validator as one JavaScript module, for tools that validate against a spec directory without
 * compiling TypeScript (`semtrace validate --registry <dir>`). It is the plan the generator prints as the
 * generated packages' `validators.ts` (emit/validators.ts), printed by the same printer with the types left
 * out, so its findings are the generated validator's by construction.
 */
import { emitValidators } from "./emit/validators.js";
import type { Registry } from "./model/resolved.js";
import { printCode } from "./print/printer.js";

/** The module's specifier of the runtime helpers it imports (`@semtrace/runtime/internal`), to be mapped by the loader. */
export { RUNTIME_INTERNAL } from "./emit/runtime-import.js";

/** ES module source: imports from `@semtrace/runtime/internal`, exports the check functions and `<name>Registry`. */
export function validatorsModule(registry: Registry): string {
  return printCode(emitValidators(registry), "js");
}
