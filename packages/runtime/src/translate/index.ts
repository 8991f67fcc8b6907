/** Translation between two registries' attributes, driven by a generated plan (spec/mappings). */
export type * from "./plan.js";
export { currentGenAIKeys, translateToGenAI, translateToOpenInference, type Translation } from "./translate.js";
export type { TranslatedValue, UnmappedAttribute } from "./values.js";
