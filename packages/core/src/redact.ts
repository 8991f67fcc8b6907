/**
 * Spec-driven masking (spec/README.md §2.5 "What hiding does"): a key hidden by an active group is replaced by
 * `__REDACTED__` when the group is named on the leaf and the leaf is a content string, and removed otherwise.
 */
import type { AttributeValue } from "@opentelemetry/api";
import { resolveConfig, type ResolvedConfig, type TraceConfig } from "./config.js";
import { REDACTION_TABLE, type RedactionRule } from "./redaction-table.js";
import { swallowed } from "./swallowed.js";

export const REDACTED = "__REDACTED__";

/** Outcome for one attribute: keep the value, replace it, or drop the key. */
export type Verdict =
  | { readonly action: "keep" }
  | { readonly action: "set"; readonly value: AttributeValue }
  | { readonly action: "drop" };

const KEEP: Verdict = { action: "keep" };
const DROP: Verdict = { action: "drop" };
const MASK: Verdict = { action: "set", value: REDACTED };

const INDEX = /\.\d+(?=\.)/g;
const ruleCache = new Map<string, RedactionRule | null>();
const RULE_CACHE_MAX = 4096;

/** The table rule for a concrete key (`llm.input_messages.3.message.content` → the `*` pattern's rule). */
export function ruleFor(key: string): RedactionRule | undefined {
  const cached = ruleCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const pattern = key.indexOf(".") === -1 ? key : key.replace(INDEX, ".*");
  const rule = Object.hasOwn(REDACTION_TABLE, pattern) ? REDACTION_TABLE[pattern]! : null;
  // Keys can come from anywhere (setCustom): a long one is looked up, not kept for ever.
  if (ruleCache.size < RULE_CACHE_MAX && key.length <= 256) ruleCache.set(key, rule);
  return rule ?? undefined;
}

/** Keys that are never truncated by the size budget. */
export function isProtectedKey(key: string): boolean {
  return (
    key === "openinference.span.kind" ||
    key === "llm.model_name" ||
    key === "llm.request.model_name" ||
    key === "llm.response.model_name" ||
    key === "embedding.model_name" ||
    key === "llm.provider" ||
    key === "llm.system" ||
    key.startsWith("llm.token_count.") ||
    key.startsWith("llm.cost.")
  );
}

/** What the configuration does to one attribute. Never throws. */
export function redactValue(key: string, value: AttributeValue, config: ResolvedConfig): Verdict {
  const rule = ruleFor(key);
  if (rule !== undefined) {
    let mask = false;
    if (config.groups.size > 0) {
      if (rule.remove) for (const g of rule.remove) if (config.groups.has(g)) return DROP;
      if (rule.mask) for (const g of rule.mask) if (config.groups.has(g)) mask = true;
    }
    if (!mask && config.hideContent && rule.content) {
      if (typeof value !== "string") return DROP;
      mask = true;
    }
    if (mask) return typeof value === "string" ? MASK : DROP;
  }
  if (
    typeof value === "string" &&
    key.endsWith("image.url") &&
    value.length > config.base64ImageMaxLength &&
    value.startsWith("data:") &&
    value.includes(";base64,")
  ) {
    return MASK;
  }
  return KEEP;
}

/**
 * Applies a configuration's redaction (default: the global one, `configure` over the environment) to a record,
 * returning a new one (the input is not changed). Never throws: a record that cannot be read yields what was
 * redacted of it so far.
 */
export function redactAttributes(
  attributes: Readonly<Record<string, AttributeValue | undefined>>,
  config?: TraceConfig,
): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (typeof attributes !== "object" || attributes === null) {
    swallowed("redactAttributes() was given something that is not a record, so it returned an empty one");
    return out;
  }
  try {
    const resolved = resolveConfig(config);
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (value === undefined || value === null) continue;
      const v = redactValue(key, value, resolved);
      if (v.action === "keep") out[key] = value;
      else if (v.action === "set") out[key] = v.value;
    }
  } catch (error) {
    swallowed("redactAttributes() could not read the whole record, so it returned what it had redacted so far", error);
  }
  return out;
}
