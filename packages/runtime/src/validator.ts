/**
 * Running registry validators over a span's attributes. Each generated package emits one
 * `RegistryValidator` (specialised code: key lookups and structure matchers generated from the
 * spec); this module combines any number of them — OpenInference plus a company's own registry —
 * and adds what is the same for every registry: unknown-key suggestions and index-gap checks.
 */
import { RULES, type Finding } from "./findings.js";
import { DEFAULT_MAX_CONTENT_CHARS } from "./content.js";
import { closest } from "./suggest.js";

export type AttributeRecord = Readonly<Record<string, unknown>>;

/** Collects findings and the list indices seen, while keys are checked. */
export class ValidationContext {
  readonly findings: Finding[] = [];
  /** list prefix (`llm.input_messages.`) → indices seen under it. */
  readonly lists = new Map<string, Set<number>>();
  /**
   * The attribute record being validated and its keys, when {@link validateWith} runs the checks:
   * `hasKeyUnder(attributes, prefix, ctx)` scans these keys instead of listing the record's keys again.
   */
  attributes: AttributeRecord | undefined = undefined;
  keys: readonly string[] | undefined = undefined;
  /** Content findings the JSON value being checked may still report (see `checkJsonContent`). */
  contentBudget = 0;
  /** The JSON path of the content being checked: the attribute key, then property names and list indices (content.ts). */
  readonly contentPath: (string | number)[] = [];
  /** How many segments of {@link contentPath} are in use. */
  contentDepth = 0;
  /** The longest JSON text whose content is checked (`ValidateOptions.maxContentChars`). */
  maxContentChars = DEFAULT_MAX_CONTENT_CHARS;
  // The last (prefix, index) recorded: the keys of one list element come one after another.
  private lastPrefix: string | undefined = undefined;
  private lastIndex = -1;

  /** Forgets everything, for the next span. */
  reset(): void {
    this.findings.length = 0;
    if (this.lists.size > 0) this.lists.clear(); // clear() allocates a new table: skip it when there is nothing to clear
    this.attributes = undefined;
    this.keys = undefined;
    this.contentBudget = 0;
    this.contentDepth = 0;
    this.maxContentChars = DEFAULT_MAX_CONTENT_CHARS;
    this.lastPrefix = undefined;
    this.lastIndex = -1;
  }

  report(finding: Finding): void {
    this.findings.push(finding);
  }

  /** Records that `<prefix><index>.` was used. */
  index(prefix: string, index: number): void {
    if (index === this.lastIndex && prefix === this.lastPrefix) return;
    this.lastPrefix = prefix;
    this.lastIndex = index;
    const seen = this.lists.get(prefix);
    if (seen) seen.add(index);
    else this.lists.set(prefix, new Set([index]));
  }
}

/** Where list indices are recorded: a {@link ValidationContext}, or a {@link KeyPlan} being resolved. */
export interface IndexSink {
  index(prefix: string, index: number): void;
}

/** The check of one key's value: one generated function per distinct check of a registry. */
export type KeyCheck = (key: string, value: unknown, ctx: ValidationContext) => void;

/**
 * How a registry checks one attribute key, resolved once per distinct key by the generated
 * validators: its check (undefined when the registry does not define the key) and the list
 * indices the key enters, as (prefix, index) pairs in the order they are entered. Replaying a plan
 * records the same indices and runs the same check as walking the key again.
 */
export class KeyPlan implements IndexSink {
  check: KeyCheck | undefined = undefined;
  /** `[prefix, index, prefix, index, …]`. */
  readonly lists: (string | number)[] = [];

  index(prefix: string, index: number): void {
    this.lists.push(prefix, index);
  }
}

/** Keys longer than this are resolved on every use rather than remembered. */
const PLAN_KEY_LIMIT = 256;
/** Distinct keys remembered per registry; later keys are resolved on every use. */
const PLAN_CACHE_LIMIT = 8192;

/**
 * The plan of `key` from `cache`, or `resolve(key, plan)` remembered there (bounded: long keys and
 * keys beyond the cache limit are resolved each time). Replays the plan's list indices into `ctx`
 * and returns its check.
 */
export function planKey(cache: Map<string, KeyPlan>, key: string, resolve: (key: string, plan: KeyPlan) => KeyCheck | undefined, ctx: IndexSink): KeyCheck | undefined {
  let plan = cache.get(key);
  if (plan === undefined) {
    plan = new KeyPlan();
    plan.check = resolve(key, plan);
    if (key.length <= PLAN_KEY_LIMIT && cache.size < PLAN_CACHE_LIMIT) cache.set(key, plan);
  }
  const lists = plan.lists;
  for (let i = 0; i < lists.length; i += 2) ctx.index(lists[i] as string, lists[i + 1] as number);
  return plan.check;
}

export interface RegistryValidator {
  readonly name: string;
  /** The attribute that carries the span kind, when the registry defines span kinds. */
  readonly spanKindKey?: string;
  readonly spanKinds: readonly string[];
  /** True when the key lies in a namespace the registry owns: unknown keys there are errors. */
  owns(key: string): boolean;
  /** Checks one key and its value; returns false when the registry does not define the key. */
  checkKey(key: string, value: unknown, ctx: ValidationContext): boolean;
  /** Requirement levels of a span kind, given every attribute of the span. */
  checkRequirements(attributes: AttributeRecord, kind: string, ctx: ValidationContext): void;
  /** Every plain key and key pattern, for "did you mean" suggestions. */
  readonly suggestions: readonly string[];
}

export interface ValidateOptions {
  /** The span kind the caller expects; used when the span has none, and compared when it has one. */
  readonly kind?: string;
  /**
   * The longest JSON text (characters) whose content is checked against its shape (default 1 Mi, ~35 MiB of memory
   * at most while checking); longer text is checked for its syntax only, with a `content.not-checked` info.
   */
  readonly maxContentChars?: number;
}

/** The minimal span shape: a ReadableSpan of the OTel SDK fits, and so does `{ name, attributes }`. */
export interface SpanLike {
  readonly name?: string;
  readonly attributes?: AttributeRecord;
}

export interface Validator {
  validateAttributes(attributes: AttributeRecord, options?: ValidateOptions): Finding[];
  validateSpan(span: SpanLike, options?: ValidateOptions): Finding[];
}

const NO_OPTIONS: ValidateOptions = Object.freeze({});
const NO_ATTRIBUTES: AttributeRecord = Object.freeze({});

export function validateWith(registries: readonly RegistryValidator[], attributes: AttributeRecord, options: ValidateOptions = NO_OPTIONS): Finding[] {
  // One context is kept for the next call (a call from inside a check gets a fresh one).
  const ctx = spare ?? new ValidationContext();
  spare = undefined;
  try {
    return runChecks(ctx, registries, attributes, options);
  } finally {
    ctx.reset();
    spare = ctx;
  }
}

let spare: ValidationContext | undefined;

function runChecks(ctx: ValidationContext, registries: readonly RegistryValidator[], attributes: AttributeRecord, options: ValidateOptions): Finding[] {
  const attrs = attributes ?? NO_ATTRIBUTES;
  const keys = Object.keys(attrs);
  if (options.maxContentChars !== undefined) ctx.maxContentChars = options.maxContentChars;
  ctx.attributes = attrs;
  ctx.keys = keys;
  const count = registries.length;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const value = attrs[key];
    if (value === undefined) continue; // the OTel API drops undefined values
    let known = false;
    for (let r = 0; r < count; r++) {
      if (registries[r]!.checkKey(key, value, ctx)) {
        known = true;
        break;
      }
    }
    if (known) continue;
    let owner: RegistryValidator | undefined;
    for (let r = 0; r < count; r++) {
      if (registries[r]!.owns(key)) {
        owner = registries[r];
        break;
      }
    }
    if (owner) {
      const suggestion = closest(key, owner.suggestions);
      ctx.report({
        key,
        rule: RULES.UNKNOWN_KEY,
        severity: "error",
        message: `\`${key}\` is not defined by the ${owner.name} registry${suggestion ? ` (did you mean \`${suggestion}\`?)` : ""}`,
        ...(suggestion ? { expected: suggestion } : {}),
        actual: key,
      });
    }
  }
  checkIndexGaps(ctx);
  const claimed = claimingRegistries(registries, attrs, keys, options.kind);
  for (const registry of registries) {
    if (registry.spanKindKey === undefined) continue;
    if (claimed !== undefined && !claimed.has(registry)) continue;
    const present = attrs[registry.spanKindKey];
    const kind = typeof present === "string" ? present : options.kind;
    if (present === undefined && options.kind === undefined) {
      ctx.report({
        key: registry.spanKindKey,
        rule: RULES.SPAN_KIND_MISSING,
        severity: "error",
        message: `the span has no \`${registry.spanKindKey}\`: expected one of ${registry.spanKinds.join(", ")}`,
        expected: `one of ${registry.spanKinds.join(", ")}`,
      });
      continue;
    }
    if (options.kind !== undefined && typeof present === "string" && present !== options.kind) {
      ctx.report({
        key: registry.spanKindKey,
        rule: RULES.SPAN_KIND_MISMATCH,
        severity: "error",
        message: `expected a ${options.kind} span, found ${present}`,
        expected: options.kind,
        actual: present,
      });
    }
    if (kind === undefined) continue;
    if (!registry.spanKinds.includes(kind)) {
      // checkKey already reported a bad value when the attribute was present.
      if (present === undefined) {
        ctx.report({ key: registry.spanKindKey, rule: RULES.SPAN_KIND_UNKNOWN, severity: "error", message: `unknown span kind ${JSON.stringify(kind)}: expected one of ${registry.spanKinds.join(", ")}`, expected: `one of ${registry.spanKinds.join(", ")}`, actual: kind });
      }
      continue;
    }
    registry.checkRequirements(attrs, kind, ctx);
  }
  const findings = ctx.findings;
  return findings.length === 0 ? [] : findings.splice(0);
}

/**
 * With several registries that define span kinds (OpenInference and GenAI together), each span is held to the
 * kinds and requirements of the registries it declares: those whose kind attribute it carries or whose kind
 * `options.kind` names. A span that declares none is held to the registries whose keys it has (their kind is
 * missing), and a span without any of their keys to all of them (so a bare span is still reported). Keys alone
 * do not claim a declared span: context attributes one registry stamps on every span (`session.id`,
 * `tag.tags`) must not make another registry's span ask for its kind. `undefined`: every registry applies.
 */
function claimingRegistries(registries: readonly RegistryValidator[], attrs: AttributeRecord, keys: readonly string[], kind: string | undefined): Set<RegistryValidator> | undefined {
  let kinded = 0;
  for (let r = 0; r < registries.length; r++) if (registries[r]!.spanKindKey !== undefined) kinded++;
  if (kinded < 2) return undefined;
  const declared = new Set<RegistryValidator>();
  for (const registry of registries) {
    if (registry.spanKindKey === undefined) continue;
    if (attrs[registry.spanKindKey] !== undefined || (kind !== undefined && registry.spanKinds.includes(kind))) declared.add(registry);
  }
  if (declared.size > 0) return declared;
  const owning = new Set<RegistryValidator>();
  for (const registry of registries) {
    if (registry.spanKindKey !== undefined && keys.some((key) => attrs[key] !== undefined && registry.owns(key))) owning.add(registry);
  }
  return owning.size === 0 ? undefined : owning;
}

function checkIndexGaps(ctx: ValidationContext): void {
  if (ctx.lists.size === 0) return;
  for (const [prefix, seen] of ctx.lists) {
    if (seen.size === 1 && seen.has(0)) continue;
    let max = -1;
    for (const i of seen) if (i > max) max = i;
    if (max + 1 === seen.size) continue;
    const missing: number[] = [];
    for (let i = 0; i <= max && missing.length < 5; i++) if (!seen.has(i)) missing.push(i);
    ctx.report({
      key: `${prefix}${missing[0]}`,
      rule: RULES.INDEX_GAP,
      severity: "error",
      message: `\`${prefix}<i>\` indices must start at 0 with no gaps: missing ${missing.join(", ")}${max + 1 - seen.size > missing.length ? ", …" : ""} (highest is ${max})`,
      expected: `indices 0..${max}`,
      actual: `indices ${[...seen].sort((a, b) => a - b).join(", ")}`,
    });
  }
}

export function createValidator(...registries: RegistryValidator[]): Validator {
  return {
    validateAttributes: (attributes, options) => validateWith(registries, attributes, options),
    validateSpan: (span, options) => validateWith(registries, span?.attributes ?? {}, options),
  };
}
