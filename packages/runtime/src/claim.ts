/**
 * Which registries judge a span: the one rule semtrace applies everywhere a span is validated (`semtrace validate`,
 * `semtrace live-check`, `ValidatingSpanProcessor`, `@semtrace/testing`).
 *
 * 1. A span **declares** a registry when it carries the registry's span-kind attribute (`openinference.span.kind`,
 *    `gen_ai.operation.name`), or when the caller expects a kind the registry defines (`{ kind }`).
 * 2. A span that declares a registry is judged by the registries it declares.
 * 3. A span that declares none is judged by every registry that owns a namespace one of its keys lies in, **context
 *    keys excepted**: the keys a registry marks `annotations: { semtrace: { context: true } }` (`session.id`,
 *    `user.id`, `metadata`, `tag.tags`, …), which context propagation stamps on every span of a request, HTTP and
 *    database spans included. A registry with span kinds that judges a span this way reports its kind missing: a
 *    kind-less span with `llm.modle_name` is caught, an HTTP span with `session.id` is not an AI span.
 * 4. A registry without span kinds (a company's own attributes) judges every span that carries one of its
 *    non-context keys, declared or not.
 * 5. A span no registry judges is an **other** span (HTTP, database, framework spans): no findings. With
 *    `strict`, every span must declare a kind of a loaded registry (when one defines kinds): an other span, or one
 *    judged only by keys, gets `span-kind.missing`.
 *
 * Keys in a namespace owned by a registry that does not judge the span are never errors: the span is checked
 * against the conventions it declares. Keys that registry defines pass (a span may mix conventions, as a GenAI span
 * priced with `llm.cost.*`); the others (OpenLLMetry's `llm.request.type`) get one info per convention
 * (`key.foreign`) naming it.
 */
import type { AttributeRecord, RegistryValidator } from "./validator.js";

/** The registries that judge a span, and how they were chosen. */
export interface Claim {
  /** In the order the registries were given; empty for an other span. */
  readonly judges: readonly RegistryValidator[];
  /** True when the span declared the judges with kinds (rule 2); false when keys chose them (rule 3) or none did. */
  readonly declared: boolean;
}

const NONE: readonly RegistryValidator[] = Object.freeze([]);
const OTHER: Claim = Object.freeze({ judges: NONE, declared: false });

/** True when `key` is a context key of any of `registries` (stamped on every span; never claims one). */
export function isContextKey(registries: readonly RegistryValidator[], key: string): boolean {
  for (let r = 0; r < registries.length; r++) {
    const keys = registries[r]!.contextKeys;
    if (keys?.includes(key)) return true;
  }
  return false;
}

/** True when the span carries a key with a value in a namespace `registry` owns that is no context key. */
function ownsSomeKey(
  registry: RegistryValidator,
  registries: readonly RegistryValidator[],
  attributes: AttributeRecord,
  keys: readonly string[],
): boolean {
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (attributes[key] !== undefined && registry.owns(key) && !isContextKey(registries, key)) return true;
  }
  return false;
}

/**
 * The registries that judge a span with these attributes (see the module comment for the rule). `keys` are the
 * attributes' own keys (`Object.keys(attributes)`), listed once by the caller; `kind` is the kind the caller expects.
 */
export function claimSpan(
  registries: readonly RegistryValidator[],
  attributes: AttributeRecord,
  keys: readonly string[],
  kind?: string,
): Claim {
  let declared: RegistryValidator[] | undefined;
  for (let r = 0; r < registries.length; r++) {
    const registry = registries[r]!;
    if (registry.spanKindKey === undefined) continue;
    if (attributes[registry.spanKindKey] !== undefined || (kind !== undefined && registry.spanKinds.includes(kind)))
      (declared ??= []).push(registry);
  }
  let judges: RegistryValidator[] | undefined;
  for (let r = 0; r < registries.length; r++) {
    const registry = registries[r]!;
    const judging =
      declared !== undefined && registry.spanKindKey !== undefined
        ? declared.includes(registry)
        : ownsSomeKey(registry, registries, attributes, keys);
    if (judging) (judges ??= []).push(registry);
  }
  if (judges === undefined) return OTHER;
  return { judges, declared: declared !== undefined };
}
