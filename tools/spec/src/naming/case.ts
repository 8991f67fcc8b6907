/** Case conversion for generated identifiers. Pure and table-tested. */

/** Words of a key, member id or name: split on anything not a letter or digit, and on camelCase humps. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** `llm.token_count.prompt` → `LLM_TOKEN_COUNT_PROMPT`; `_OTHER` → `OTHER`. */
export function screamingSnake(text: string): string {
  return safeIdentifier(
    words(text)
      .map((w) => w.toUpperCase())
      .join("_"),
  );
}

/** `llm.input_messages` → `llmInputMessages`. */
export function camelCase(text: string): string {
  const parts = words(text).map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase()));
  return safeIdentifier(parts.join(""));
}

/** camelCase for a property name: reserved words are fine there (`function`, `arguments`); never empty. */
export function camelCaseProperty(text: string): string {
  const parts = words(text).map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase()));
  return parts.join("") || "_";
}

/** `openinference.message` → `OpenInferenceMessage`-style: `OpeninferenceMessage`. */
export function pascalCase(text: string): string {
  return safeIdentifier(
    words(text)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(""),
  );
}

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function " +
    "if import in instanceof new null return super switch this throw true try typeof var void while with yield let static " +
    "implements interface package private protected public await arguments eval undefined NaN Infinity"
  ).split(" "),
);

/** Makes any word list a valid, non-reserved identifier: a leading digit or reserved word gets a `_` prefix. */
export function safeIdentifier(name: string): string {
  if (name.length === 0) return "_";
  if (/^[0-9]/.test(name) || RESERVED.has(name)) return `_${name}`;
  return name;
}
