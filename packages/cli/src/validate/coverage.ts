/**
 * `--coverage`: which attributes and span kinds of each registry the judged spans carried, and how often, against
 * what the registry defines, so a team sees what its instrumentation never sets.
 *
 * Keys are counted under their pattern, as the registry writes it (`llm.input_messages.<i>.message.role`,
 * `gen_ai.prompt.variable.<key>`), once per span: memory holds one counter per defined pattern, a bounded cache of
 * key → pattern, and at most {@link MAX_KINDS} distinct span-kind values, however many spans and keys go by. What
 * a registry defines is asked of the registry itself (its suggestion patterns, each probed with `checkKey`): leaves
 * only (no list, object or namespace roots), deprecated keys left out.
 */
import { ValidationContext, type AttributeRecord, type RegistryValidator } from "@semtrace/runtime/internal";

/** Distinct span-kind values counted per registry; further values are counted together. */
export const MAX_KINDS = 64;
/** Distinct keys whose pattern is remembered per registry. */
const PATTERN_CACHE_LIMIT = 8192;
const INDEX_LETTERS = "ijklmnpq";

/** One registry's coverage, as the report holds it (plain data: it crosses threads and JSON reports). */
export interface RegistryCoverage {
  readonly registry: string;
  /** Spans the registry judged. */
  readonly spans: number;
  /** Per span kind the registry defines, in its order: spans that declared it. */
  readonly kinds: Readonly<Record<string, number>>;
  /** Span-kind values the registry does not define (a provider's own operation), with their counts. */
  readonly otherKinds: Readonly<Record<string, number>>;
  /** Spans whose kind value was not counted by name (past {@link MAX_KINDS} distinct values). */
  readonly otherKindsOmitted: number;
  /** Per attribute pattern the registry defines, in its order: spans that carried it (0: never set). */
  readonly attributes: Readonly<Record<string, number>>;
}

/** `llm.input_messages.3.message.contents.0.x` → `llm.input_messages.<i>.message.contents.<j>.x`. */
export function indexPattern(key: string): string {
  let out = "";
  let start = 0;
  let letter = 0;
  for (let i = 0; i <= key.length; i++) {
    if (i < key.length && key.charCodeAt(i) !== 46) continue;
    const segment = key.slice(start, i);
    const isIndex = segment.length > 0 && /^(0|[1-9]\d*)$/.test(segment);
    out += (start > 0 ? "." : "") + (isIndex ? `<${INDEX_LETTERS[letter++] ?? "n"}>` : segment);
    start = i + 1;
  }
  return out;
}

/** A key that stands for a pattern, for probing the registry: indices become 0, `<key>` a name. */
function instance(pattern: string): string {
  return pattern.replace(/<key>/g, "key").replace(/<[a-z]>/g, "0");
}

/** The leaf patterns a registry defines (not deprecated), in its order, and its template patterns. */
function definedPatterns(registry: RegistryValidator): {
  leaves: string[];
  templates: { prefix: string; pattern: string }[];
} {
  const leaves: string[] = [];
  const templates: { prefix: string; pattern: string }[] = [];
  const seen = new Set<string>();
  for (const pattern of registry.suggestions) {
    if (seen.has(pattern)) continue;
    seen.add(pattern);
    const probe = new ValidationContext();
    if (!registry.checkKey(instance(pattern), null, probe)) continue;
    if (probe.findings.some((f) => f.rule === "key.deprecated" || (f.expected ?? "").startsWith("no value"))) continue;
    leaves.push(pattern);
    if (pattern.endsWith(".<key>"))
      templates.push({ prefix: indexPattern(pattern.slice(0, -"<key>".length)), pattern });
  }
  return { leaves, templates };
}

class RegistryCounter {
  spans = 0;
  readonly counts: number[];
  private readonly index = new Map<string, number>();
  private readonly templates: { prefix: string; pattern: string }[];
  private readonly cache = new Map<string, number>();
  readonly kinds = new Map<string, number>();
  otherKindsOmitted = 0;
  /** Patterns counted for the span in progress (each once per span). */
  private readonly marked: number[] = [];
  private readonly mark: Uint8Array;

  constructor(readonly registry: RegistryValidator) {
    const { leaves, templates } = definedPatterns(registry);
    for (const [i, p] of leaves.entries()) this.index.set(p, i);
    this.templates = templates;
    this.counts = new Array<number>(leaves.length).fill(0);
    this.mark = new Uint8Array(leaves.length);
    for (const kind of registry.spanKinds) this.kinds.set(kind, 0);
  }

  get patterns(): IterableIterator<string> {
    return this.index.keys();
  }

  /** The pattern's counter, or -1 when the key is none the registry defines. */
  private slot(key: string): number {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const pattern = indexPattern(key);
    let slot = this.index.get(pattern) ?? -1;
    if (slot < 0) {
      for (const t of this.templates) {
        if (pattern.startsWith(t.prefix) && pattern.indexOf(".", t.prefix.length) < 0) {
          slot = this.index.get(t.pattern) ?? -1;
          break;
        }
      }
    }
    if (this.cache.size < PATTERN_CACHE_LIMIT && key.length <= 256) this.cache.set(key, slot);
    return slot;
  }

  count(attributes: AttributeRecord, keys: readonly string[]): void {
    this.spans++;
    for (const key of keys) {
      if (attributes[key] === undefined) continue;
      const slot = this.slot(key);
      if (slot < 0 || this.mark[slot] === 1) continue;
      this.mark[slot] = 1;
      this.marked.push(slot);
      this.counts[slot]!++;
    }
    for (const slot of this.marked) this.mark[slot] = 0;
    this.marked.length = 0;
    const kindKey = this.registry.spanKindKey;
    const kind = kindKey === undefined ? undefined : attributes[kindKey];
    if (typeof kind === "string") this.countKind(kind, 1);
  }

  countKind(kind: string, n: number): void {
    const known = this.kinds.get(kind);
    if (known !== undefined) this.kinds.set(kind, known + n);
    else if (this.kinds.size < this.registry.spanKinds.length + MAX_KINDS) this.kinds.set(kind, n);
    else this.otherKindsOmitted += n;
  }

  data(): RegistryCoverage {
    const defined = new Set(this.registry.spanKinds);
    const kinds: Record<string, number> = {};
    const otherKinds: Record<string, number> = {};
    for (const [kind, n] of this.kinds) (defined.has(kind) ? kinds : otherKinds)[kind] = n;
    const attributes: Record<string, number> = {};
    let i = 0;
    for (const pattern of this.patterns) attributes[pattern] = this.counts[i++]!;
    return {
      registry: this.registry.name,
      spans: this.spans,
      kinds,
      otherKinds,
      otherKindsOmitted: this.otherKindsOmitted,
      attributes,
    };
  }
}

/** Counts coverage for the registries of a run; `merge` adds what another thread or report counted. */
export class CoverageCounter {
  private readonly counters: RegistryCounter[];

  constructor(readonly registries: readonly RegistryValidator[]) {
    this.counters = registries.map((r) => new RegistryCounter(r));
  }

  /** A span judged by `judges` (a subset of the registries). */
  count(judges: readonly RegistryValidator[], attributes: AttributeRecord, keys: readonly string[]): void {
    for (const judge of judges) {
      const i = this.registries.indexOf(judge);
      if (i >= 0) this.counters[i]!.count(attributes, keys);
    }
  }

  data(): RegistryCoverage[] {
    return this.counters.map((c) => c.data());
  }
}

/** Adds `more` into `into`, registry by registry (by name) and pattern by pattern: shards and worker threads. */
export function mergeCoverage(into: RegistryCoverage[], more: readonly RegistryCoverage[]): RegistryCoverage[] {
  const out = into.map((c) => ({
    ...c,
    kinds: { ...c.kinds },
    otherKinds: { ...c.otherKinds },
    attributes: { ...c.attributes },
  }));
  for (const m of more) {
    let target = out.find((c) => c.registry === m.registry);
    if (!target) {
      out.push(
        (target = { registry: m.registry, spans: 0, kinds: {}, otherKinds: {}, otherKindsOmitted: 0, attributes: {} }),
      );
    }
    const t = target as {
      spans: number;
      otherKindsOmitted: number;
      kinds: Record<string, number>;
      otherKinds: Record<string, number>;
      attributes: Record<string, number>;
    };
    t.spans += m.spans;
    t.otherKindsOmitted += m.otherKindsOmitted;
    for (const [k, n] of Object.entries(m.kinds)) t.kinds[k] = (t.kinds[k] ?? 0) + n;
    for (const [k, n] of Object.entries(m.otherKinds)) {
      if (t.otherKinds[k] !== undefined || Object.keys(t.otherKinds).length < MAX_KINDS)
        t.otherKinds[k] = (t.otherKinds[k] ?? 0) + n;
      else t.otherKindsOmitted += n;
    }
    for (const [p, n] of Object.entries(m.attributes)) t.attributes[p] = (t.attributes[p] ?? 0) + n;
  }
  return out;
}

/** The coverage section of the text report. `printable` escapes text that came from the traces (kind values). */
export function coverageText(coverage: readonly RegistryCoverage[], printable: (s: string) => string): string[] {
  const out: string[] = ["coverage"];
  for (const c of coverage) {
    out.push(`  ${c.registry}: ${c.spans} span${c.spans === 1 ? "" : "s"} judged`);
    const kinds = Object.entries(c.kinds);
    if (kinds.length > 0) {
      const seen = kinds.filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
      const never = kinds.filter(([, n]) => n === 0).map(([k]) => k);
      out.push(`    span kinds: ${seen.join(", ") || "none"}${never.length > 0 ? `; never: ${never.join(", ")}` : ""}`);
    }
    const others = Object.entries(c.otherKinds).map(([k, n]) => `${printable(k)} ${n}`);
    if (others.length > 0 || c.otherKindsOmitted > 0)
      out.push(
        `    other kind values: ${others.join(", ")}${c.otherKindsOmitted > 0 ? `${others.length > 0 ? ", " : ""}${c.otherKindsOmitted} more` : ""}`,
      );
    const attributes = Object.entries(c.attributes);
    const set = attributes.filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const never = attributes.filter(([, n]) => n === 0).map(([p]) => p);
    out.push(`    attributes set (${set.length} of ${attributes.length}; spans carrying each):`);
    const width = Math.max(0, ...set.map(([p]) => p.length));
    for (const [p, n] of set) out.push(`      ${p.padEnd(width)}  ${n}`);
    if (never.length > 0) out.push(`    never set (${never.length}): ${never.join(", ")}`);
  }
  return out;
}
