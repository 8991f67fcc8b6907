/**
 * Custom attributes: keys of the application's own, outside the registry. At the type level a custom key is
 * any string that is neither a registry key (those go through `set`, with their value types) nor inside a
 * namespace the registry owns (`llm.modle_name` is a typo there, not a custom key); at run time the same rule
 * holds, with a did-you-mean reported through `diag`.
 */
import type { AttributeValue } from "@opentelemetry/api";
import { openinferenceRegistry, type AttributeKey, type AttributeTypes } from "@semtrace/openinference";
// The did-you-mean and the scratch context of a key check are the runtime's internals, shared with generated code.
import { RULES, ValidationContext, closest } from "@semtrace/runtime/internal";
import { reportOnceFor, swallowed } from "./swallowed.js";

/**
 * The namespaces the OpenInference registry owns (spec/openinference/manifest.yaml `owns`; test/custom-keys.test.ts
 * checks they agree): a key inside one of them that the registry does not define is an error for validators.
 */
export const OWNED_NAMESPACES = [
  "agent",
  "annotation",
  "annotations",
  "audio",
  "completion",
  "document",
  "embedding",
  "evaluation",
  "evaluations",
  "graph",
  "image",
  "input",
  "llm",
  "message",
  "message_content",
  "metadata",
  "openinference",
  "output",
  "prompt",
  "reranker",
  "retrieval",
  "session.annotations",
  "session.evaluations",
  "tag",
  "tool",
  "tool_call",
  "trace.annotations",
  "trace.evaluations",
  "video",
] as const;

/** A namespace the OpenInference registry owns (see {@link OWNED_NAMESPACES}). */
export type OwnedNamespace = (typeof OWNED_NAMESPACES)[number];

/**
 * `Key` when it is a custom key; otherwise a message type naming the problem, so that the compiler's error
 * says what to do (`setCustom("llm.model_name", …)`: use `set`).
 */
export type CustomKey<Key extends string = string> = string extends Key
  ? string
  : Key extends AttributeKey
    ? `${Key} is a key of the OpenInference registry: use set()`
    : Key extends OwnedNamespace | `${OwnedNamespace}.${string}`
      ? `${Key} is not a key of the OpenInference registry, and custom keys cannot be in a namespace it owns`
      : Key;

/**
 * Attributes given to a wrapper or span (`attributes`): registry keys with their value types, and custom keys
 * ({@link CustomKey}) with any OpenTelemetry attribute value. Used as `A & SpanAttributes<A>`, `A` inferred.
 */
export type SpanAttributes<A> = {
  readonly [P in keyof A]: P extends AttributeKey
    ? AttributeTypes[P] | undefined
    : P extends string
      ? CustomKey<P> extends P
        ? AttributeValue | undefined
        : CustomKey<P>
      : never;
};

const registry = openinferenceRegistry;
/** Registry keys outside its owned namespaces (`session.id`, `user.id`): plain keys, found once. */
let unownedKeys: ReadonlySet<string> | undefined;
const scratch = new ValidationContext();

/** What {@link checkCustomKey} decided. */
export type CustomKeyVerdict = "custom" | "registry" | "reject";

/**
 * Classifies a key given as custom: `custom` (write it), `registry` (a registry key: write it as `set` would,
 * and say so once), `reject` (an unknown key inside an owned namespace: not written, reported once with the
 * closest registry key). Never throws.
 */
export function checkCustomKey(key: string, value: unknown): CustomKeyVerdict {
  const known = verdicts.get(key);
  if (known !== undefined) return known;
  const verdict = classify(key, value);
  // Keys can come from anywhere: a long one is classified, not kept for ever.
  if (verdicts.size < MAX_VERDICTS && key.length <= 256) verdicts.set(key, verdict);
  return verdict;
}

const verdicts = new Map<string, CustomKeyVerdict>();
const MAX_VERDICTS = 1024;

/** The closest registry key or pattern, with the key's own list indices put back (`llm.input_messages.3.message.rol` → `…3.message.role`). */
function suggest(key: string): string | undefined {
  const indices: string[] = [];
  const pattern = key.replace(/\.(\d+)(?=\.|$)/g, (_, index: string) => {
    indices.push(index);
    return ".<i>";
  });
  const found = closest(pattern, registry.suggestions);
  if (found === undefined) return undefined;
  let i = 0;
  return found.replace(/<i>/g, () => indices[i++] ?? "<i>");
}

function classify(key: string, value: unknown): CustomKeyVerdict {
  try {
    if (registry.owns(key)) {
      scratch.reset();
      // A key under a known list whose field the structure lacks is "known" to checkKey, with an unknown-field finding.
      if (registry.checkKey(key, value, scratch) && !scratch.findings.some((f) => f.rule === RULES.UNKNOWN_FIELD)) {
        reportOnceFor(
          "setCustom() was given a key of the OpenInference registry",
          key,
          "written as set() would; use set() for its value type to be checked",
        );
        return "registry";
      }
      const suggestion = suggest(key);
      reportOnceFor(
        "setCustom() was given a key inside a namespace the OpenInference registry owns that it does not define, so it was not written",
        key,
        suggestion === undefined
          ? "custom keys need a namespace of their own (`mycompany.…`)"
          : `did you mean \`${suggestion}\`?`,
      );
      return "reject";
    }
    unownedKeys ??= new Set(registry.suggestions.filter((k) => !k.includes("<") && !registry.owns(k)));
    if (unownedKeys.has(key)) {
      reportOnceFor(
        "setCustom() was given a key of the OpenInference registry",
        key,
        "written as set() would; use set() for its value type to be checked",
      );
      return "registry";
    }
    return "custom";
  } catch (error) {
    swallowed(
      "setCustom() could not check a key against the OpenInference registry (a key whose text cannot be read?), so it was written as a custom key",
      error,
    );
    return "custom";
  }
}
