/**
 * The forms of a model name a price table may know it by, most specific first. A span carries whatever the
 * caller or provider wrote: `gpt-4o-2024-08-06`, `openai/gpt-4o`, a Vertex AI resource name
 * (`projects/p/locations/l/publishers/google/models/gemini-2.5-pro`), a Bedrock id with an inference profile
 * (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`) or an ARN. Each step removes one decoration and keeps the
 * earlier removals; a name without a decoration skips its step.
 */

/** Bedrock cross-region inference profiles: `us.anthropic.…`. */
const REGION_PREFIXES: ReadonlySet<string> = new Set([
  "us",
  "eu",
  "apac",
  "global",
  "jp",
  "au",
  "ca",
  "sa",
  "us-gov",
  "ap",
]);
/** Bedrock model vendors: `anthropic.claude-…`, `meta.llama…`. */
const VENDOR_PREFIXES: ReadonlySet<string> = new Set([
  "ai21",
  "amazon",
  "anthropic",
  "cohere",
  "deepseek",
  "google",
  "meta",
  "minimax",
  "mistral",
  "moonshot",
  "moonshotai",
  "nvidia",
  "openai",
  "qwen",
  "stability",
  "twelvelabs",
  "writer",
  "zai",
]);

/** A `prefix.` followed by a letter (so `gpt-4.1` and `gemini-2.5-pro` keep theirs). */
const DOTTED_PREFIX = /^([a-z0-9-]+)\.(?=[a-z])/;
/** Bedrock `-v1:0` / `-v2` / `:0`, Vertex AI `@20240620` / `@001` / `@default`, Gemini `-001`. */
const VERSION_SUFFIX = /(?:-v\d+(?::\d+)?|:\d+|@[a-z0-9._-]*|-\d{3})$/;
/** `-2024-08-06`, `-20241022`, `-08-2024`, `-06-17`, `-2411` / `-0613`, `-latest`. */
const DATE_SUFFIX = /(?:-\d{4}-\d{2}-\d{2}|-\d{8}|-\d{2}-\d{4}|-\d{2}-\d{2}|-\d{4}|-latest)$/;

/** The ids to look `model` up by, in lower case, most specific first (2 to 7 of them). */
export function candidateModelIds(model: string): string[] {
  let id = model.trim().toLowerCase();
  const out = [id];
  const push = (next: string): void => {
    if (next !== "" && next !== id) out.push((id = next));
  };
  push(id.slice(id.lastIndexOf("/") + 1));
  let m = DOTTED_PREFIX.exec(id);
  if (m !== null && REGION_PREFIXES.has(m[1]!)) push(id.slice(m[0].length));
  m = DOTTED_PREFIX.exec(id);
  if (m !== null && VENDOR_PREFIXES.has(m[1]!)) push(id.slice(m[0].length));
  m = VERSION_SUFFIX.exec(id);
  if (m !== null) push(id.slice(0, m.index));
  m = DATE_SUFFIX.exec(id);
  if (m !== null) push(id.slice(0, m.index));
  return out;
}
