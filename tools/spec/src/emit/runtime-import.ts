/** The module generated code imports its helpers from (validators here, builders and writers in @semtrace/codegen). */
export const RUNTIME_INTERNAL = "@semtrace/runtime/internal";
