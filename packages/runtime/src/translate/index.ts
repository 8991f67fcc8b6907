/** Translation between two registries' attributes, driven by a generated plan (spec/mappings). */
export type * from "./plan.js";
export { currentGenAIKeys, translateToGenAI, translateToOpenInference, type Translation } from "./translate.js";
export { TRANSLATION_RULES, type TranslatedValue, type TranslationRuleId, type UnmappedAttribute } from "./values.js";
