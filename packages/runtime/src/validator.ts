/**
 * Running registry validators over a span's attributes. Each generated package emits one
 * `RegistryValidator` (specialised code: key lookups and structure matchers generated from the
 * spec); this module combines any number of them — OpenInference plus a company's own registry —
 * and adds what is the same for every registry: which registries judge a span (`claim.ts`), unknown-key suggestions
 * and index-gap checks.
 */
import { RULES, type Finding } from "./findings.js";
import { DEFAULT_MAX_CONTENT_CHARS } from "./content.js";
import { claimSpan, isContextKey } from "./claim.js";
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
export function planKey(
  cache: Map<string, KeyPlan>,
  key: string,
  resolve: (key: string, plan: KeyPlan) => KeyCheck | undefined,
  ctx: IndexSink,
): KeyCheck | undefined {
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
  /**
   * Context keys: attributes stamped on every span of a request (`session.id`, `tag.tags`; `semtrace: { context:
   * true }` in the spec). They never make a registry judge a span (see `claim.ts`). Absent: none.
   */
  readonly contextKeys?: readonly string[];
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
  /**
   * Hold every span to "declares a kind of a loaded registry": a span no registry judges, or one judged only by its
   * keys, gets `span-kind.missing` (default false: such spans are other spans, HTTP or database spans).
   */
  readonly strict?: boolean;
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

/** What validating one span found, and which registries judged it (`claim.ts`). */
export interface SpanJudgement {
  readonly findings: Finding[];
  /** The registries that judged the span, in the order given; empty for an other span (no registry claims it). */
  readonly judges: readonly RegistryValidator[];
}

const NO_OPTIONS: ValidateOptions = Object.freeze({});
const NO_ATTRIBUTES: AttributeRecord = Object.freeze({});

/** The findings of a span's attributes under the registries that judge it (see {@link judgeWith}). */
export function validateWith(
  registries: readonly RegistryValidator[],
  attributes: AttributeRecord,
  options: ValidateOptions = NO_OPTIONS,
): Finding[] {
  return judgeWith(registries, attributes, options).findings;
}

/**
 * Validates a span's attributes against the registries that judge it — chosen by the one rule of `claim.ts` — and
 * says which did. A span no registry judges (an HTTP span) has no findings unless `options.strict`.
 */
export function judgeWith(
  registries: readonly RegistryValidator[],
  attributes: AttributeRecord,
  options: ValidateOptions = NO_OPTIONS,
): SpanJudgement {
  // One context is kept for the next call (a call from inside a check gets a fresh one).
  const ctx = spare ?? new ValidationContext();
  spare = undefined;
  try {
    return runChecks(ctx, registries, attributes ?? NO_ATTRIBUTES, options ?? NO_OPTIONS);
  } finally {
    ctx.reset();
    spare = ctx;
  }
}

let spare: ValidationContext | undefined;

function runChecks(
  ctx: ValidationContext,
  registries: readonly RegistryValidator[],
  attrs: AttributeRecord,
  options: ValidateOptions,
): SpanJudgement {
  const keys = Object.keys(attrs);
  const { judges, declared } = claimSpan(registries, attrs, keys, options.kind);
  if (options.kind !== undefined && !registries.some((r) => r.spanKinds.includes(options.kind!)))
    reportUnknownExpectedKind(registries, options.kind, ctx);
  if (options.strict === true && !declared) reportUndeclared(registries, judges, ctx);
  if (judges.length === 0) return { findings: takeFindings(ctx), judges };
  if (options.maxContentChars !== undefined) ctx.maxContentChars = options.maxContentChars;
  ctx.attributes = attrs;
  ctx.keys = keys;
  const count = judges.length;
  // Per registry that does not judge the span: the keys of its namespaces found on it (reported as one info each).
  let foreign: Map<RegistryValidator, string[]> | undefined;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const value = attrs[key];
    if (value === undefined) continue; // the OTel API drops undefined values
    let known = false;
    for (let r = 0; r < count; r++) {
      if (judges[r]!.checkKey(key, value, ctx)) {
        known = true;
        break;
      }
    }
    if (known) continue;
    let owner: RegistryValidator | undefined;
    for (let r = 0; r < count; r++) {
      if (judges[r]!.owns(key)) {
        owner = judges[r];
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
      continue;
    }
    if (count === registries.length) continue;
    for (let r = 0; r < registries.length; r++) {
      const other = registries[r]!;
      if (judges.includes(other) || !other.owns(key) || isContextKey(registries, key)) continue;
      // That convention's own key (a mix of conventions, as `llm.cost.*` priced onto a GenAI span) passes unchecked.
      if (defines(other, key, value)) break;
      foreign ??= new Map();
      const list = foreign.get(other);
      if (list) list.push(key);
      else foreign.set(other, [key]);
      break;
    }
  }
  checkIndexGaps(ctx);
  for (let r = 0; r < count; r++) {
    const registry = judges[r]!;
    if (registry.spanKindKey !== undefined) checkKind(registry, attrs, options.kind, ctx);
  }
  if (foreign) for (const [registry, list] of foreign) reportForeign(registry, list, judges, ctx);
  return { findings: takeFindings(ctx), judges };
}

/** Whether `registry` defines `key`, asked without reporting anything. */
function defines(registry: RegistryValidator, key: string, value: unknown): boolean {
  const scratch = new ValidationContext();
  return registry.checkKey(key, value, scratch);
}

function takeFindings(ctx: ValidationContext): Finding[] {
  const findings = ctx.findings;
  return findings.length === 0 ? [] : findings.splice(0);
}

/** The span kind of a registry that judges the span: missing, mismatched, unknown, or known and its requirement levels. */
function checkKind(
  registry: RegistryValidator,
  attrs: AttributeRecord,
  expected: string | undefined,
  ctx: ValidationContext,
): void {
  const kindKey = registry.spanKindKey!;
  const present = attrs[kindKey];
  if (present === undefined && expected === undefined) {
    ctx.report({
      key: kindKey,
      rule: RULES.SPAN_KIND_MISSING,
      severity: "error",
      message: `the span has no \`${kindKey}\`: expected one of ${registry.spanKinds.join(", ")}`,
      expected: `one of ${registry.spanKinds.join(", ")}`,
    });
    return;
  }
  if (expected !== undefined && typeof present === "string" && present !== expected) {
    ctx.report({
      key: kindKey,
      rule: RULES.SPAN_KIND_MISMATCH,
      severity: "error",
      message: `expected a ${expected} span, found ${present}`,
      expected,
      actual: present,
    });
  }
  const kind = typeof present === "string" ? present : expected;
  // Unknown: checkKey already reported a bad value when the attribute was present, and the caller's unknown kind is reported once for every registry.
  if (kind === undefined || !registry.spanKinds.includes(kind)) return;
  registry.checkRequirements(attrs, kind, ctx);
}

/** The caller expects a kind that no registry defines: one finding, whatever the number of registries. */
function reportUnknownExpectedKind(
  registries: readonly RegistryValidator[],
  kind: string,
  ctx: ValidationContext,
): void {
  const kinded = registries.filter((r) => r.spanKindKey !== undefined);
  if (kinded.length === 0) return;
  const known = kinded.flatMap((r) => r.spanKinds).join(", ");
  ctx.report({
    key: kinded[0]!.spanKindKey!,
    rule: RULES.SPAN_KIND_UNKNOWN,
    severity: "error",
    message: `unknown span kind ${JSON.stringify(kind)}: expected one of ${known}`,
    expected: `one of ${known}`,
    actual: kind,
  });
}

/** `strict`: a span that declares no kind of a loaded registry, and that no registry with kinds asks for its kind already. */
function reportUndeclared(
  registries: readonly RegistryValidator[],
  judges: readonly RegistryValidator[],
  ctx: ValidationContext,
): void {
  const kinded = registries.filter((r) => r.spanKindKey !== undefined);
  if (kinded.length === 0 || judges.some((r) => r.spanKindKey !== undefined)) return;
  const expected = kinded.map((r) => `\`${r.spanKindKey}\` (${r.name})`).join(" or ");
  ctx.report({
    key: kinded[0]!.spanKindKey!,
    rule: RULES.SPAN_KIND_MISSING,
    severity: "error",
    message: `the span declares no span kind (strict): expected ${expected}`,
    expected,
  });
}

const FOREIGN_LISTED = 3;

function reportForeign(
  registry: RegistryValidator,
  keys: readonly string[],
  judges: readonly RegistryValidator[],
  ctx: ValidationContext,
): void {
  const listed = keys
    .slice(0, FOREIGN_LISTED)
    .map((k) => `\`${k}\``)
    .join(", ");
  const more = keys.length > FOREIGN_LISTED ? ` and ${keys.length - FOREIGN_LISTED} more` : "";
  ctx.report({
    key: keys[0]!,
    rule: RULES.FOREIGN_KEY,
    severity: "info",
    message: `${listed}${more} ${keys.length === 1 ? "lies in a namespace" : "lie in namespaces"} of the ${registry.name} conventions without being ${keys.length === 1 ? "one of their keys" : "their keys"}; the span is judged as ${judges.map((j) => j.name).join(" and ")}, so ${keys.length === 1 ? "it is" : "they are"} not checked`,
    actual: keys.slice(0, FOREIGN_LISTED).join(", "),
  });
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
      // The specifications ask for contiguous indices as a SHOULD, and producers keep a provider's index after a skipped part.
      severity: "warning",
      message: `\`${prefix}<i>\` indices should start at 0 with no gaps: missing ${missing.join(", ")}${max + 1 - seen.size > missing.length ? ", …" : ""} (highest is ${max})`,
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
