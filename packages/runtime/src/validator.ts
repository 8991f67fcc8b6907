/**
 * Running registry validators over a span's attributes. Each generated package emits one
 * `RegistryValidator` (specialised code: key lookups and structure matchers generated from the
 * spec); this module combines any number of them — OpenInference plus a company's own registry —
 * and adds what is the same for every registry: unknown-key suggestions and index-gap checks.
 */
import { RULES, type Finding } from "./findings.js";
import { closest } from "./suggest.js";

export type AttributeRecord = Readonly<Record<string, unknown>>;

/** Collects findings and the list indices seen, while keys are checked. */
export class ValidationContext {
  readonly findings: Finding[] = [];
  /** list prefix (`llm.input_messages.`) → indices seen under it. */
  readonly lists = new Map<string, Set<number>>();

  report(finding: Finding): void {
    this.findings.push(finding);
  }

  /** Records that `<prefix><index>.` was used. */
  index(prefix: string, index: number): void {
    const seen = this.lists.get(prefix);
    if (seen) seen.add(index);
    else this.lists.set(prefix, new Set([index]));
  }
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

export function validateWith(registries: readonly RegistryValidator[], attributes: AttributeRecord, options: ValidateOptions = {}): Finding[] {
  const ctx = new ValidationContext();
  const attrs = attributes ?? {};
  for (const key of Object.keys(attrs)) {
    const value = attrs[key];
    if (value === undefined) continue; // the OTel API drops undefined values
    let known = false;
    for (const registry of registries) {
      if (registry.checkKey(key, value, ctx)) {
        known = true;
        break;
      }
    }
    if (known) continue;
    const owner = registries.find((r) => r.owns(key));
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
  for (const registry of registries) {
    if (registry.spanKindKey === undefined) continue;
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
  return ctx.findings;
}

function checkIndexGaps(ctx: ValidationContext): void {
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
