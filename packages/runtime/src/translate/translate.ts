/**
 * The translation engine: one span's attributes from one convention to the other, following a generated plan
 * (plan.ts). Only keys the plan names are read; the result holds the translated attributes alone, and beside
 * them every attribute of the source convention that could not be carried over, with the reason. Never throws.
 */
import { safeJsonStringify } from "../json.js";
import {
  messageKeyTable,
  readMessageKey,
  splitIndex,
  toGenAIMessages,
  toOpenInferenceMessages,
  type FlatMessage,
} from "./messages.js";
import type { AttributeRule, Convention, DeprecatedKey, Place, TranslationPlan } from "./plan.js";

const NONE: readonly never[] = [];
import {
  coerce,
  isPlainObject,
  isProblem,
  isUnder,
  jsonValue,
  reasonFor,
  builtJson,
  type JsonObject,
  TRANSLATION_RULES,
  type TranslationRuleId,
  type TranslatedValue,
  type UnmappedAttribute,
} from "./values.js";

export interface Translation {
  /** The translated attributes (the target convention's keys only). */
  readonly attributes: Record<string, TranslatedValue>;
  /** Source attributes with no counterpart, each with the reason; empty when everything was carried over. */
  readonly unmapped: readonly UnmappedAttribute[];
  /** The span name the target convention gives such a span (GenAI's `{operation} {model}`), when it has one. */
  readonly spanName?: string;
  /** Source keys whose meaning the translated attributes carry (what a converter may remove from the span). */
  readonly translated: readonly string[];
}

type Attributes = Readonly<Record<string, unknown>>;

/** What a plan's strings become once, so a translation allocates nothing for them. */
interface Compiled {
  /** `<list>.` of each message rule, in plan order. */
  readonly messagePrefixes: readonly string[];
  readonly toolsPrefix: string;
  readonly documentsPrefix: string;
  readonly owned: { readonly openinference: readonly string[]; readonly genai: readonly string[] };
  readonly shared: ReadonlySet<string>;
  /** Deprecated GenAI keys by the key that replaces them. */
  readonly deprecatedBy: ReadonlyMap<string, readonly DeprecatedKey[]>;
  /** Each kind row's span-name template as literal text and keys. */
  readonly spanNames: ReadonlyMap<string, readonly { readonly text: string; readonly keys: readonly string[] }[]>;
  /**
   * Per source convention, the attribute rules (indexes into `plan.attributes`) that read each source key (a
   * deprecated GenAI key reads for its replacement's rules): a translation runs only the rules of the keys its span
   * has, in plan order, instead of every rule.
   */
  readonly rulesBySource: Readonly<Record<Convention, ReadonlyMap<string, readonly number[]>>>;
}

function rulesBySource(
  plan: TranslationPlan,
  from: Convention,
  deprecatedBy: ReadonlyMap<string, readonly DeprecatedKey[]>,
): Map<string, number[]> {
  const index = new Map<string, number[]>();
  const add = (key: string, i: number) => {
    const list = index.get(key);
    if (!list) index.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  plan.attributes.forEach((rule, i) => {
    for (const place of from === "genai" ? rule.genai : rule.openinference) {
      add(place.key, i);
      if (from === "genai") for (const d of deprecatedBy.get(place.key) ?? NONE) add(d.key, i);
    }
  });
  return index;
}

/** The attribute rules to run for `source`, in plan order: those that read one of its keys. */
function rulesFor(run: Run): readonly AttributeRule[] {
  const index = run.compiled.rulesBySource[run.from];
  const picked: number[] = [];
  for (const key in run.source) {
    const rules = index.get(key);
    if (rules !== undefined) for (const i of rules) picked.push(i);
  }
  picked.sort((a, b) => a - b);
  const rules: AttributeRule[] = [];
  for (let i = 0; i < picked.length; i++)
    if (i === 0 || picked[i] !== picked[i - 1]) rules.push(run.plan.attributes[picked[i]!]!);
  return rules;
}

const compiledPlans = new WeakMap<TranslationPlan, Compiled>();

function compiled(plan: TranslationPlan): Compiled {
  let c = compiledPlans.get(plan);
  if (c) return c;
  const deprecatedBy = plan.deprecated.reduce(
    (m, d) => m.set(d.replacement, [...(m.get(d.replacement) ?? []), d]),
    new Map<string, DeprecatedKey[]>(),
  );
  c = {
    messagePrefixes: plan.messages.map((r) => `${r.openinference}.`),
    toolsPrefix: `${plan.tools.openinference}.`,
    documentsPrefix: `${plan.documents.openinference}.`,
    owned: { openinference: [...plan.owned.openinference], genai: [...plan.owned.genai] },
    shared: new Set(plan.shared),
    deprecatedBy,
    rulesBySource: {
      openinference: rulesBySource(plan, "openinference", deprecatedBy),
      genai: rulesBySource(plan, "genai", deprecatedBy),
    },
    spanNames: new Map(
      plan.kinds.map((row) => [
        row.openinference,
        row.spanName.split(" ").map((text) => ({ text, keys: [...text.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!) })),
      ]),
    ),
  };
  compiledPlans.set(plan, c);
  return c;
}

interface JsonSource {
  readonly value: Record<string, unknown> | undefined;
  readonly used: Set<string>;
}

/** The state of one translation. */
class Run {
  readonly out: Record<string, TranslatedValue> = {};
  readonly unmapped: UnmappedAttribute[] = [];
  readonly used = new Set<string>();
  private readonly json = new Map<string, JsonSource>();

  /** The plan's compiled strings and indexes, looked up once per translation. */
  readonly compiled: Compiled;

  constructor(
    readonly plan: TranslationPlan,
    readonly source: Attributes,
    readonly from: Convention,
  ) {
    this.compiled = compiled(plan);
  }

  private readonly parsedValues = new Map<string, unknown>();

  /** A source key's JSON value (text parsed, structured as it is), parsed once per translation. */
  parsed(key: string): unknown {
    if (this.parsedValues.has(key)) return this.parsedValues.get(key);
    const value = jsonValue(this.source[key]);
    this.parsedValues.set(key, value);
    return value;
  }

  jsonSource(key: string): JsonSource {
    let source = this.json.get(key);
    if (!source) {
      const parsed = this.parsed(key);
      source = { value: isPlainObject(parsed) ? parsed : undefined, used: new Set() };
      this.json.set(key, source);
    }
    return source;
  }

  /** A place's value on the source side (a deprecated GenAI key stands in for its replacement). */
  read(place: Place | string): unknown {
    const key = typeof place === "string" ? place : place.key;
    const field = typeof place === "string" ? undefined : place.field;
    if (field !== undefined) {
      const source = this.jsonSource(key);
      const value = source.value?.[field];
      if (value !== undefined && value !== null) source.used.add(field);
      return value ?? undefined;
    }
    const value = this.source[key];
    if (value !== undefined && value !== null) {
      this.used.add(key);
      return value;
    }
    if (this.from === "genai") {
      const replaced = this.compiled.deprecatedBy.get(key);
      if (replaced === undefined) return undefined;
      for (const d of replaced) {
        const old = this.source[d.key];
        if (old === undefined || old === null) continue;
        this.used.add(d.key);
        const renamed = typeof old === "string" ? d.values?.find(([from]) => from === old)?.[1] : undefined;
        return renamed ?? old;
      }
    }
    return undefined;
  }

  /** Writes unless something wrote the key already (the first rule that writes a key wins). */
  write(key: string, value: TranslatedValue): void {
    if (!(key in this.out)) this.out[key] = value;
  }

  /** Places whose value was carried by some rule, and later places that said something else. */
  readonly carried = new Set<string>();
  readonly conflicts: UnmappedAttribute[] = [];

  miss(key: string, reason: string, rule: TranslationRuleId = TRANSLATION_RULES.NO_COUNTERPART): void {
    this.unmapped.push({ key, rule, reason });
  }

  /** Fields of JSON attributes read field by field that nothing used; the attribute itself counts as used. */
  reportUnusedFields(keys: Iterable<string>, target: string): void {
    for (const key of keys) {
      const source = this.json.get(key);
      if (!source?.value) continue;
      this.used.add(key);
      for (const field of Object.keys(source.value)) {
        if (!source.used.has(field)) this.miss(`${key}#${field}`, `no ${target} attribute for this setting`);
      }
    }
  }

  /** Every key of the source convention that no rule read, with the plan's reason. */
  reportLeftovers(other: Convention): void {
    const c = this.compiled;
    const owned = c.owned[this.from];
    const reasons = this.plan.reasons[this.from];
    for (const key in this.source) {
      if (this.used.has(key) || c.shared.has(key)) continue;
      let mine = false;
      for (let i = 0; i < owned.length && !mine; i++) mine = isUnder(key, owned[i]!);
      if (!mine) continue;
      const value = this.source[key];
      if (value === undefined || value === null) continue;
      this.miss(key, reasonFor(key, reasons, `no ${other === "genai" ? "GenAI" : "OpenInference"} counterpart`));
    }
  }

  finish(spanName?: string): Translation {
    // A place that disagreed with one rule's choice but was carried by another is not lost.
    for (const conflict of this.conflicts) if (!this.carried.has(conflict.key)) this.unmapped.push(conflict);
    // A key is carried only when nothing of it (a JSON field, a message part, a list element under it) was lost.
    return new TranslationResult(this.out, this.unmapped, this.used, spanName);
  }
}

/** A translation's result; which source keys were carried is computed when asked (the exporter asks; most callers never do). */
class TranslationResult implements Translation {
  readonly spanName?: string;
  readonly #used: ReadonlySet<string>;
  #translated: readonly string[] | undefined;

  constructor(
    readonly attributes: Record<string, TranslatedValue>,
    readonly unmapped: readonly UnmappedAttribute[],
    used: ReadonlySet<string>,
    spanName: string | undefined,
  ) {
    this.#used = used;
    if (spanName !== undefined) this.spanName = spanName;
  }

  get translated(): readonly string[] {
    return (this.#translated ??= carriedKeys(this.#used, this.unmapped));
  }
}

/** Keys used whose meaning went over whole: nothing of them (a JSON field, a part, a list element under them) was lost. */
function carriedKeys(used: ReadonlySet<string>, unmapped: readonly UnmappedAttribute[]): string[] {
  if (unmapped.length === 0) return [...used];
  const lost = new Set(unmapped.map((u) => u.key.split(/[#[]/, 1)[0]!));
  return [...used].filter((key) => {
    for (let at = key.length; at > 0; at = key.lastIndexOf(".", at - 1)) if (lost.has(key.slice(0, at))) return false;
    return true;
  });
}

const applies = (rule: { readonly kinds?: readonly string[] }, kind: string | undefined): boolean =>
  rule.kinds === undefined || (kind !== undefined && rule.kinds.includes(kind));

function renamed(value: unknown, rule: AttributeRule, to: Convention): unknown {
  if (rule.values === undefined || typeof value !== "string") return value;
  const row = rule.values.find((pair) => pair[to === "genai" ? 0 : 1] === value);
  return row ? row[to === "genai" ? 1 : 0] : value;
}

/** Reads a rule's value from the first present place and converts it for the first place of the other side. */
const placeName = (place: Place): string => (place.field === undefined ? place.key : `${place.key}#${place.field}`);

function carry(
  run: Run,
  rule: AttributeRule,
  to: Convention,
  write: (place: Place, value: TranslatedValue) => void,
): void {
  const from = to === "genai" ? rule.openinference : rule.genai;
  const target = (to === "genai" ? rule.genai : rule.openinference)[0]!;
  const name = placeName;
  let chosen: { place: Place; value: unknown } | undefined;
  for (let i = 0; i < from.length; i++) {
    const place = from[i]!;
    const value = run.read(place);
    if (value === undefined) continue;
    if (chosen === undefined) {
      chosen = { place, value };
      if (from.length > 1) run.carried.add(name(place));
      const converted = coerce(renamed(value, rule, to), target.type);
      if (isProblem(converted)) run.miss(name(place), converted.problem, TRANSLATION_RULES.VALUE);
      else write(target, converted);
    } else if (!sameValue(value, chosen.value)) {
      // A later place that says something else is not carried: say so rather than drop it.
      run.conflicts.push({
        key: name(place),
        rule: TRANSLATION_RULES.CONFLICT,
        reason: `differs from ${name(chosen.place)}, which was carried to ${name(target)}`,
      });
    }
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]));
}

function spanNameOf(
  parts: readonly { readonly text: string; readonly keys: readonly string[] }[],
  out: Readonly<Record<string, TranslatedValue>>,
): string {
  let name = "";
  for (const part of parts) {
    let text = part.text;
    let complete = true;
    for (const key of part.keys) {
      const value = out[key];
      if (typeof value !== "string" && typeof value !== "number") complete = false;
      else text = text.replace(`{${key}}`, String(value));
    }
    if (complete && text.length > 0) name = name === "" ? text : `${name} ${text}`;
  }
  return name;
}

/** OpenInference attributes → GenAI attributes. */
export function translateToGenAI(plan: TranslationPlan, attributes: Attributes): Translation {
  const run = new Run(plan, attributes, "openinference");
  try {
    return toGenAI(run);
  } catch (error) {
    // Not reported: returned instead — a bug here must not cost the span, so what was translated so far is kept
    // and the failure is listed beside it (translation.failed), which callers report.
    run.miss("*", `translation stopped: ${(error as Error)?.message ?? String(error)}`, TRANSLATION_RULES.FAILED);
    return run.finish();
  }
}

function toGenAI(run: Run): Translation {
  const { plan, source } = run;
  const kindValue = run.read(plan.kindKeys.openinference);
  const kind = typeof kindValue === "string" ? kindValue : undefined;
  const row = kind === undefined ? undefined : plan.kinds.find((r) => r.openinference === kind);
  if (row) run.write(plan.kindKeys.genai, row.genai[0]!);
  else if (kind !== undefined)
    run.miss(
      plan.kindKeys.openinference,
      plan.unmappedKinds[kind] ?? `no GenAI operation for span kind ${JSON.stringify(kind)}`,
    );

  for (const rule of rulesFor(run)) {
    if (rule.only === "openinference" || !applies(rule, kind)) continue;
    carry(run, rule, "genai", (place, value) => run.write(place.key, value));
  }

  // Provider: the row matching both OpenInference values, else the provider alone, else the system alone.
  const p = plan.provider;
  const provider = run.read(p.provider);
  const system = run.read(p.system);
  if (typeof provider === "string" || typeof system === "string") {
    const byProvider = typeof provider === "string" ? p.rows.filter((r) => r.provider === provider) : [];
    const match =
      byProvider.find((r) => r.system === system) ??
      byProvider[0] ??
      (typeof system === "string" ? p.rows.find((r) => r.system === system) : undefined);
    run.write(p.genai, match?.genai ?? (typeof provider === "string" ? provider : (system as string)));
    if (typeof system === "string" && match !== undefined && match.system !== system) {
      run.miss(
        p.system,
        `GenAI names one provider (${match.genai}); the model family ${JSON.stringify(system)} has no key of its own`,
      );
    }
  }

  const parameterKeys: string[] = [];
  for (const rule of plan.parameters) {
    if (!applies(rule, kind)) continue;
    parameterKeys.push(rule.openinference);
    const object = run.jsonSource(rule.openinference).value;
    if (object === undefined) continue;
    for (const field of rule.fields) {
      carry(
        run,
        {
          openinference: field.fields.map((name) => ({ key: rule.openinference, field: name, type: "any" })),
          genai: [{ key: field.genai, type: field.type }],
        },
        "genai",
        (place, value) => run.write(place.key, value),
      );
    }
  }
  run.reportUnusedFields(parameterKeys, "GenAI");

  // The total is input + output in GenAI: carried when it says so, reported when it does not.
  const total = run.read(plan.total.openinference);
  if (total !== undefined) {
    const parts = plan.total.sum.map((key) => run.out[key]);
    if (!parts.every((v) => typeof v === "number") || (parts as number[]).reduce((a, b) => a + b, 0) !== total) {
      run.miss(
        plan.total.openinference,
        "GenAI has no total; this one is not input + output tokens",
        TRANSLATION_RULES.VALUE,
      );
    }
  }

  const fr = plan.finishReasons;
  const finishReason = run.read(fr.openinference);
  if (typeof finishReason === "string") run.write(fr.genai, [finishReason]);
  const messageFinishReason = (message: JsonObject): string => {
    if (typeof finishReason === "string")
      return fr.messageValues.find(([from]) => from === finishReason)?.[1] ?? finishReason;
    const parts = message.parts as JsonObject[];
    return parts.some((part) => part.type === "tool_call") ? "tool_call" : "stop";
  };

  // One pass over the keys for every list the plan reads structurally.
  const table = messageKeyTable(plan.messageFields);
  const c = compiled(plan);
  const lists: FlatMessage[][] = [];
  for (let i = 0; i < c.messagePrefixes.length; i++) lists.push([]);
  const toolSchemas: unknown[] = [];
  const documents: JsonObject[] = [];
  const { toolsPrefix, documentsPrefix, messagePrefixes } = c;
  for (const key in source) {
    const value = source[key];
    if (value === undefined || value === null) continue;
    let m = -1;
    for (let i = 0; i < messagePrefixes.length; i++) {
      if (key.startsWith(messagePrefixes[i]!)) {
        m = i;
        break;
      }
    }
    if (m >= 0) {
      if (readMessageKey(lists[m]!, key, messagePrefixes[m]!.length, value, table)) run.used.add(key);
    } else if (key.startsWith(toolsPrefix)) {
      const split = splitIndex(key.slice(toolsPrefix.length));
      if (split && split[1] === plan.tools.field) {
        toolSchemas[split[0]] = value;
        run.used.add(key);
      }
    } else if (key.startsWith(documentsPrefix) && kind === "RETRIEVER") {
      const split = splitIndex(key.slice(documentsPrefix.length));
      if (split && (split[1] === plan.documents.id || split[1] === plan.documents.score)) {
        (documents[split[0]] ??= {})[split[1] === plan.documents.id ? "id" : "score"] = value;
        run.used.add(key);
      }
    }
  }
  plan.messages.forEach((rule, i) => {
    const list = lists[i]!;
    if (list.length === 0) return;
    const messages = toGenAIMessages(list, {
      parts: plan.parts,
      prefix: rule.openinference,
      fields: plan.messageFields,
      unmapped: run.unmapped,
      ...(rule.finishReason ? { finishReason: messageFinishReason } : {}),
    });
    if (messages.length > 0) run.write(rule.genai, builtJson(messages));
  });

  if (toolSchemas.length > 0) {
    const definitions: unknown[] = [];
    toolSchemas.forEach((schema, i) => {
      if (schema === undefined) return;
      const definition = toolDefinition(jsonValue(schema));
      if (definition) definitions.push(definition);
      else
        run.miss(
          `${plan.tools.openinference}.${i}.${plan.tools.field}`,
          "not a function tool schema ({type, function: {name, …}} or {name, …})",
          TRANSLATION_RULES.VALUE,
        );
    });
    if (definitions.length > 0) run.write(plan.tools.genai, builtJson(definitions));
  }

  if (documents.length > 0) {
    const out: unknown[] = [];
    documents.forEach((d, i) => {
      if (d === undefined) return;
      if (typeof d.id === "string" && typeof d.score === "number") out.push({ id: d.id, score: d.score });
      else
        run.miss(
          `${plan.documents.openinference}.${i}`,
          "a GenAI retrieval document needs an id and a score",
          TRANSLATION_RULES.VALUE,
        );
    });
    if (out.length > 0) run.write(plan.documents.genai, safeJsonStringify(out));
  }

  const variables = run.read(plan.promptVariables.openinference);
  if (variables !== undefined) {
    const object = jsonValue(variables);
    if (isPlainObject(object)) {
      for (const [name, value] of Object.entries(object)) {
        if (/^[a-z0-9_]+(?:\.[a-z0-9_]+)*$/i.test(name))
          run.write(
            `${plan.promptVariables.genai}.${name}`,
            typeof value === "string" ? value : safeJsonStringify(value),
          );
        else
          run.miss(
            `${plan.promptVariables.openinference}#${name}`,
            "not a name a GenAI attribute key can hold",
            TRANSLATION_RULES.VALUE,
          );
      }
    } else run.miss(plan.promptVariables.openinference, "expected a JSON object of variables", TRANSLATION_RULES.VALUE);
  }

  copyShared(run);
  run.reportLeftovers("genai");
  return run.finish(row ? spanNameOf(compiled(plan).spanNames.get(row.openinference)!, run.out) : undefined);
}

/** Keys both conventions use as they are go along unchanged. */
function copyShared(run: Run): void {
  for (const key of run.plan.shared) {
    const value = run.source[key];
    const converted = value === undefined || value === null ? undefined : coerce(value, "string");
    if (converted === undefined) continue;
    run.used.add(key);
    if (isProblem(converted)) run.miss(key, converted.problem, TRANSLATION_RULES.VALUE);
    else run.write(key, converted);
  }
}

/** An OpenAI-style tool schema (or an already flat one) as a GenAI tool definition. */
function toolDefinition(schema: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(schema)) return undefined;
  const fn = isPlainObject(schema.function) ? schema.function : schema;
  if (typeof fn.name !== "string") return undefined;
  // GenAI's definitions allow more properties: the function's others (OpenAI's `strict`) travel along.
  const {
    type: _type,
    function: _function,
    ...rest
  } = fn === schema ? schema : { ...fn, type: undefined, function: undefined };
  return { type: typeof schema.type === "string" ? schema.type : "function", ...rest, name: fn.name };
}

/** GenAI attributes (current or deprecated keys) → OpenInference attributes. */
export function translateToOpenInference(plan: TranslationPlan, attributes: Attributes): Translation {
  const run = new Run(plan, attributes, "genai");
  try {
    return toOpenInference(run);
  } catch (error) {
    // Not reported: returned instead, listed beside what was translated so far (translation.failed).
    run.miss("*", `translation stopped: ${(error as Error)?.message ?? String(error)}`, TRANSLATION_RULES.FAILED);
    return run.finish();
  }
}

function toOpenInference(run: Run): Translation {
  const { plan, source, out } = run;
  const operation = run.read(plan.kindKeys.genai);
  const row = typeof operation === "string" ? plan.kinds.find((r) => r.genai.includes(operation)) : undefined;
  const kind = row?.openinference;
  if (kind !== undefined) run.write(plan.kindKeys.openinference, kind);
  else if (operation !== undefined) {
    run.write(plan.kindKeys.openinference, plan.fallbackKind);
    run.miss(
      plan.kindKeys.genai,
      `no OpenInference span kind for operation ${JSON.stringify(operation)} (written as ${plan.fallbackKind})`,
    );
  }

  // JSON objects OpenInference keeps settings in, filled field by field and written at the end.
  const objects = new Map<string, Record<string, unknown>>();
  const writePlace = (place: Place, value: TranslatedValue): void => {
    if (place.field === undefined) {
      run.write(place.key, value);
      return;
    }
    let object = objects.get(place.key);
    if (!object) objects.set(place.key, (object = {}));
    if (!(place.field in object)) object[place.field] = value;
  };
  for (const rule of rulesFor(run)) {
    if (rule.only === "genai" || !applies(rule, kind)) continue;
    const before = rule.openinference[0]!.key in out;
    carry(run, rule, "openinference", writePlace);
    const written = out[rule.openinference[0]!.key];
    if (!before && rule.mimeType !== undefined && typeof written === "string") {
      // JSON when the GenAI value it came from is (parsed once, and shared with the message reading below).
      const source = rule.genai.find((place) => run.source[place.key] !== undefined && run.source[place.key] !== null);
      const value = source === undefined ? undefined : run.parsed(source.key);
      run.write(rule.mimeType, isPlainObject(value) || Array.isArray(value) ? "application/json" : "text/plain");
    }
  }
  for (const rule of plan.parameters) {
    if (!applies(rule, kind)) continue;
    for (const field of rule.fields) {
      const value = run.read(field.genai);
      if (value === undefined) continue;
      const converted = coerce(value, field.type);
      if (isProblem(converted)) run.miss(field.genai, converted.problem, TRANSLATION_RULES.VALUE);
      else writePlace({ key: rule.openinference, field: field.fields[0]!, type: "any" }, converted);
    }
  }
  // Attribute values checked above: plain data.
  for (const [key, object] of objects) run.write(key, builtJson(object));

  const p = plan.provider;
  const provider = run.read(p.genai);
  if (typeof provider === "string") {
    const match = p.rows.find((r) => r.genai === provider);
    if (match?.provider !== undefined) run.write(p.provider, match.provider);
    if (match?.system !== undefined) run.write(p.system, match.system);
    if (match === undefined) run.write(p.provider, provider);
  }

  const sum = plan.total.sum.map((key) => run.read(key));
  if (sum.every((v) => typeof v === "number"))
    run.write(
      plan.total.openinference,
      (sum as number[]).reduce((a, b) => a + b, 0),
    );

  const fr = plan.finishReasons;
  const reasons = run.read(fr.genai);
  if (Array.isArray(reasons) && typeof reasons[0] === "string") {
    run.write(fr.openinference, reasons[0]);
    if (reasons.length > 1)
      run.miss(fr.genai, `OpenInference keeps one finish reason; not carried: ${reasons.slice(1).join(", ")}`);
  }

  const f = plan.messageFields;
  for (const rule of plan.messages) {
    let next = 0;
    const context = { parts: plan.parts, fields: f, unmapped: run.unmapped, out };
    if (rule.systemInstructions !== undefined) {
      const instructions = run.read(rule.systemInstructions);
      if (instructions !== undefined) {
        const parts = jsonValue(instructions);
        next = toOpenInferenceMessages(
          [
            {
              role: "system",
              parts: Array.isArray(parts)
                ? parts
                : [
                    {
                      type: "text",
                      content: typeof instructions === "string" ? instructions : safeJsonStringify(instructions),
                    },
                  ],
            },
          ],
          rule.openinference,
          next,
          { ...context, source: rule.systemInstructions },
        );
      }
    }
    const messages = run.read(rule.genai);
    if (messages !== undefined) {
      toOpenInferenceMessages(run.parsed(rule.genai), rule.openinference, next, {
        ...context,
        source: rule.genai,
        parsedFromText: typeof messages === "string",
      });
    }
    if (rule.finishReason && !(fr.openinference in out) && messages !== undefined) {
      const first = run.parsed(rule.genai);
      const reason = Array.isArray(first) && isPlainObject(first[0]) ? first[0].finish_reason : undefined;
      if (typeof reason === "string") run.write(fr.openinference, reason);
    }
  }

  const definitions = run.read(plan.tools.genai);
  if (definitions !== undefined) {
    const list = jsonValue(definitions);
    if (Array.isArray(list)) {
      list.forEach((d: unknown, i) => {
        if (isPlainObject(d) && typeof d.name === "string") {
          const { type, ...fn } = d;
          out[`${plan.tools.openinference}.${i}.${plan.tools.field}`] = safeJsonStringify({
            type: typeof type === "string" ? type : "function",
            function: fn,
          });
        } else run.miss(`${plan.tools.genai}[${i}]`, "a tool definition needs a name", TRANSLATION_RULES.VALUE);
      });
    } else run.miss(plan.tools.genai, "expected a JSON array of tool definitions", TRANSLATION_RULES.VALUE);
  }

  const documents = run.read(plan.documents.genai);
  if (documents !== undefined) {
    const list = jsonValue(documents);
    if (Array.isArray(list)) {
      for (const [i, d] of (list as unknown[]).entries()) {
        if (!isPlainObject(d)) {
          run.miss(`${plan.documents.genai}[${i}]`, "expected a document object", TRANSLATION_RULES.VALUE);
          continue;
        }
        const at = `${plan.documents.openinference}.${i}.`;
        if (d.id !== undefined && d.id !== null)
          out[at + plan.documents.id] = typeof d.id === "string" ? d.id : safeJsonStringify(d.id);
        if (typeof d.score === "number") out[at + plan.documents.score] = d.score;
      }
    } else run.miss(plan.documents.genai, "expected a JSON array of documents", TRANSLATION_RULES.VALUE);
  }

  const prefix = `${plan.promptVariables.genai}.`;
  const variables: Record<string, unknown> = {};
  let anyVariable = false;
  for (const key of Object.keys(source)) {
    if (!key.startsWith(prefix) || source[key] === undefined || source[key] === null) continue;
    variables[key.slice(prefix.length)] = source[key];
    run.used.add(key);
    anyVariable = true;
  }
  if (anyVariable) run.write(plan.promptVariables.openinference, safeJsonStringify(variables));

  copyShared(run);
  run.reportLeftovers("openinference");
  return run.finish();
}

/**
 * The current GenAI keys a span written with deprecated ones lacks (`gen_ai.provider.name` from `gen_ai.system`,
 * `gen_ai.usage.input_tokens` from `gen_ai.usage.prompt_tokens`, …), values renamed; empty when it lacks none.
 */
export function currentGenAIKeys(plan: TranslationPlan, attributes: Attributes): Record<string, TranslatedValue> {
  const out: Record<string, TranslatedValue> = {};
  try {
    for (const d of plan.deprecated) {
      const old = attributes[d.key];
      if (
        old === undefined ||
        old === null ||
        (attributes[d.replacement] !== undefined && attributes[d.replacement] !== null) ||
        d.replacement in out
      )
        continue;
      const renamedValue = typeof old === "string" ? (d.values?.find(([from]) => from === old)?.[1] ?? old) : old;
      if (typeof renamedValue === "string" || typeof renamedValue === "number" || typeof renamedValue === "boolean")
        out[d.replacement] = renamedValue;
    }
  } catch {
    // Not reported: the runtime has no diag and this helper returns only additions; an attributes object that
    // throws on reads gets none (what it is missing is then simply not upgraded).
  }
  return out;
}
