/**
 * A mapping file (spec/mappings/*.yaml, format in spec/README.md §9) checked against the two registries it joins
 * and compiled into the plan @semtrace/runtime's translation engine follows. Every key it names must exist in its
 * registry, the two sides of a rule must have agreeing types, and every enum value it names must be a member of
 * its attribute's enum; each problem is a diagnostic at its place.
 */
import type { Node, YAMLMap } from "yaml";
import type { Convention, Place, TranslationPlan, TranslationValueType } from "@semtrace/runtime/internal";
import type { SourceLocation } from "../model/diagnostics.js";
import type { Attribute, Registry } from "../model/resolved.js";
import { didYouMean } from "../util/suggest.js";
import type { MappingReader, At } from "./yaml-reader.js";

/** The part types of GenAI's message JSON schemas (1.41.0). */
export const GENAI_PART_TYPES = [
  "text",
  "reasoning",
  "uri",
  "blob",
  "file",
  "tool_call",
  "tool_call_response",
  "server_tool_call",
  "server_tool_call_response",
];
const MODALITIES = ["image", "audio", "video"];
const MESSAGE_FIELDS = [
  "role",
  "content",
  "contents",
  "name",
  "tool_call_id",
  "tool_calls",
  "content_type",
  "content_text",
  "content_image",
  "content_audio",
  "content_video",
  "image_url",
  "audio_url",
  "audio_mime_type",
  "video_url",
  "tool_call_id_field",
  "tool_call_name",
  "tool_call_arguments",
] as const;
const TOP_LEVEL = [
  "mapping",
  "brief",
  "registries",
  "codegen",
  "span_kinds",
  "span_kind_fallback",
  "unmapped_span_kinds",
  "attributes",
  "provider",
  "genai_deprecated",
  "invocation_parameters",
  "total",
  "finish_reasons",
  "messages",
  "message_fields",
  "parts",
  "tools",
  "documents",
  "prompt_variables",
  "shared",
  "unmapped",
];

export interface MappingHeader {
  readonly name: string;
  readonly brief: string;
  readonly registries: { readonly openinference: At<string>; readonly genai: At<string> };
  readonly packageName?: string;
}

/** The header: what the mapping is called and which registries it joins (read before they are loaded). */
export function readHeader(root: YAMLMap, r: MappingReader): MappingHeader | undefined {
  r.only(root, TOP_LEVEL);
  const name = r.str(r.get(root, "mapping", true));
  const brief = r.str(r.get(root, "brief", true));
  const registries = r.map(r.get(root, "registries", true));
  if (!name || !brief || !registries) return undefined;
  r.only(registries, ["openinference", "genai"]);
  const openinference = r.str(r.get(registries, "openinference", true));
  const genai = r.str(r.get(registries, "genai", true));
  if (!openinference || !genai) return undefined;
  const codegen = r.get(root, "codegen");
  let packageName: string | undefined;
  if (codegen !== undefined) {
    const map = r.map(codegen);
    if (map) {
      r.only(map, ["package"]);
      packageName = r.str(r.get(map, "package"))?.value;
    }
  }
  return {
    name: name.value,
    brief: brief.value,
    registries: { openinference, genai },
    ...(packageName ? { packageName } : {}),
  };
}

const SIDES: readonly Convention[] = ["openinference", "genai"];

/** Checks the mapping against both registries and builds the plan; undefined when a check failed. */
export class MappingCompiler {
  private readonly keys: Record<Convention, Map<string, Attribute>>;

  constructor(
    private readonly r: MappingReader,
    private readonly registries: Record<Convention, Registry>,
  ) {
    this.keys = {
      openinference: new Map(registries.openinference.attributes.map((a) => [a.key, a])),
      genai: new Map(registries.genai.attributes.map((a) => [a.key, a])),
    };
  }

  private label(side: Convention): string {
    return `the \`${this.registries[side].name}\` registry`;
  }

  /** The attribute `key` names in `side`'s registry (a key under a template is the template's), or a diagnostic. */
  attribute(side: Convention, key: At<string>): Attribute | undefined {
    const own = this.keys[side].get(key.value);
    if (own) return own;
    for (let at = key.value.lastIndexOf("."); at > 0; at = key.value.lastIndexOf(".", at - 1)) {
      const parent = this.keys[side].get(key.value.slice(0, at));
      if (parent?.type.kind === "template") return parent;
    }
    this.r.report(
      "mapping.unknown-key",
      key.at,
      `\`${key.value}\` is not a key of ${this.label(side)}${didYouMean(key.value, this.keys[side].keys())}`,
    );
    return undefined;
  }

  /** What a value of `attr` is, as the engine checks it. */
  valueType(attr: Attribute): TranslationValueType | undefined {
    const t = attr.type;
    if (t.kind === "primitive")
      return attr.semtrace.format === "json" ? "json" : t.name === "any" ? "json" : (t.name as TranslationValueType);
    if (t.kind === "template") return t.inner as TranslationValueType;
    if (t.kind === "enum") return t.valueType;
    return undefined;
  }

  /** The members an enum attribute names, or undefined for other attributes. */
  private members(attr: Attribute): string[] | undefined {
    return attr.type.kind === "enum" ? attr.type.members.map((m) => String(m.value)) : undefined;
  }

  /** Reports a value that is not a member of `attr`'s enum. */
  enumValue(side: Convention, attr: Attribute | undefined, value: At<string>): void {
    const members = attr && this.members(attr);
    if (members && !members.includes(value.value)) {
      this.r.report(
        "mapping.enum-value",
        value.at,
        `${JSON.stringify(value.value)} is not a value of \`${attr!.key}\` in ${this.label(side)}${didYouMean(value.value, members)}`,
      );
    }
  }

  /** Values of two attributes' types can stand for each other. */
  private agree(a: TranslationValueType, b: TranslationValueType): boolean {
    if (a === b) return true;
    const pair = new Set([a, b]);
    return (pair.has("int") && pair.has("double")) || (pair.has("string") && pair.has("json")) || pair.has("any");
  }

  /** A place (`key` or `key#field`) of `side`, resolved and typed. */
  place(side: Convention, spec: At<string>): { place: Place; attr?: Attribute } | undefined {
    const [key, field] = spec.value.split("#", 2) as [string, string | undefined];
    const attr = this.attribute(side, { value: key, at: spec.at });
    if (!attr) return undefined;
    const type = this.valueType(attr);
    if (field !== undefined) {
      // JSON text, or a string whose MIME-type key may say it is JSON (`input.value`): read when it parses.
      if (type !== "json" && !(type === "string" && attr.semtrace.mimeType !== undefined)) {
        this.r.report("mapping.type", spec.at, `\`${key}\` does not hold JSON, so it has no field \`${field}\``);
        return undefined;
      }
      return { place: { key, field, type: "any" } };
    }
    if (type === undefined) {
      this.r.report("mapping.type", spec.at, `\`${key}\` is a ${attr.type.kind}, which holds no value of its own`);
      return undefined;
    }
    return { place: { key, type }, attr };
  }

  spanKinds(node: Node | undefined): TranslationPlan["kinds"] {
    const kindAttr = this.kindAttributes();
    const rows: TranslationPlan["kinds"][number][] = [];
    for (const item of this.r.items(node, "a list of span kinds")) {
      const map = this.r.map(item);
      if (!map) continue;
      this.r.only(map, ["openinference", "genai", "span_name"]);
      const oi = this.r.str(this.r.get(map, "openinference", true));
      const genai = this.r.strings(this.r.get(map, "genai", true));
      const name = this.r.str(this.r.get(map, "span_name", true));
      if (!oi || !genai || !name) continue;
      this.enumValue("openinference", kindAttr.openinference, oi);
      for (const op of genai) this.enumValue("genai", kindAttr.genai, op);
      for (const [, key] of name.value.matchAll(/\{([^}]*)\}/g)) this.attribute("genai", { value: key!, at: name.at });
      rows.push({ openinference: oi.value, genai: genai.map((g) => g.value), spanName: name.value });
    }
    return rows;
  }

  kindAttributes(): Record<Convention, Attribute | undefined> {
    const of = (side: Convention) => {
      const key = this.registries[side].spanKindAttribute;
      return key === undefined ? undefined : this.keys[side].get(key);
    };
    return { openinference: of("openinference"), genai: of("genai") };
  }

  reasons(node: Node | undefined, checkKey: (key: At<string>) => void): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { key, value } of this.r.pairs(node)) {
      checkKey(key);
      out[key.value] = value.value;
    }
    return out;
  }

  /** A key or a prefix of keys of `side`'s registry. */
  keyOrPrefix(side: Convention, key: At<string>): void {
    if (this.keys[side].has(key.value)) return;
    const prefix = `${key.value}.`;
    for (const k of this.keys[side].keys()) if (k.startsWith(prefix)) return;
    this.r.report(
      "mapping.unknown-key",
      key.at,
      `\`${key.value}\` is neither a key of ${this.label(side)} nor a prefix of one${didYouMean(key.value, this.keys[side].keys())}`,
    );
  }

  kinds(node: Node | undefined): string[] | undefined {
    if (node === undefined) return undefined;
    const kinds = this.r.strings(node) ?? [];
    for (const k of kinds) this.enumValue("openinference", this.kindAttributes().openinference, k);
    return kinds.map((k) => k.value);
  }

  attributeRules(node: Node | undefined): TranslationPlan["attributes"] {
    const rules: TranslationPlan["attributes"][number][] = [];
    for (const item of this.r.items(node, "a list of attribute rules")) {
      const map = this.r.map(item);
      if (!map) continue;
      this.r.only(map, ["openinference", "genai", "kinds", "only", "values", "mime_type"]);
      const sides = SIDES.map((side) =>
        (this.r.strings(this.r.get(map, side, true)) ?? []).map((p) => ({ spec: p, resolved: this.place(side, p) })),
      );
      if (sides.some((places) => places.length === 0 || places.some((p) => p.resolved === undefined))) continue;
      const [oi, genai] = sides as [
        { spec: At<string>; resolved: { place: Place; attr?: Attribute } }[],
        { spec: At<string>; resolved: { place: Place; attr?: Attribute } }[],
      ];
      // Every place read on one side must fit the place written on the other.
      let ok = true;
      const reported = new Set<string>();
      for (const [from, to] of [
        [oi, genai],
        [genai, oi],
      ] as const) {
        const target = to[0]!.resolved.place;
        for (const p of from) {
          const pair = [p.spec.value, to[0]!.spec.value].sort().join("\n");
          if (!this.agree(p.resolved.place.type, target.type) && !reported.has(pair)) {
            reported.add(pair);
            this.r.report(
              "mapping.type",
              p.spec.at,
              `\`${p.spec.value}\` is ${p.resolved.place.type} but \`${to[0]!.spec.value}\` is ${target.type}`,
            );
            ok = false;
          }
        }
      }
      if (!ok) continue;
      const onlyNode = this.r.get(map, "only");
      const only = onlyNode === undefined ? undefined : this.r.str(onlyNode);
      if (only && !SIDES.includes(only.value as Convention))
        this.r.report("yaml.shape", only.at, `expected openinference or genai, found ${JSON.stringify(only.value)}`);
      const values = this.r.get(map, "values") === undefined ? undefined : this.r.pairs(this.r.get(map, "values"));
      for (const v of values ?? []) {
        this.enumValue("openinference", oi[0]!.resolved.attr, v.key);
        this.enumValue("genai", genai[0]!.resolved.attr, v.value);
      }
      const mimeNode = this.r.get(map, "mime_type");
      const mime = mimeNode === undefined ? undefined : this.r.str(mimeNode);
      if (mime) this.attribute("openinference", mime);
      // An OpenInference string written from GenAI JSON takes a structured value as JSON text.
      const receiving = (places: typeof oi, other: typeof oi): Place[] =>
        places.map((p, i) =>
          i === 0 && p.resolved.place.type === "string" && other[0]!.resolved.place.type === "json"
            ? { ...p.resolved.place, type: "text" }
            : p.resolved.place,
        );
      const kinds = this.kinds(this.r.get(map, "kinds"));
      rules.push({
        openinference: receiving(oi, genai),
        genai: genai.map((p) => p.resolved.place),
        ...(kinds ? { kinds } : {}),
        ...(only ? { only: only.value as Convention } : {}),
        ...(values ? { values: values.map((v) => [v.key.value, v.value.value] as const) } : {}),
        ...(mime ? { mimeType: mime.value } : {}),
      });
    }
    return rules;
  }

  provider(node: Node | undefined): TranslationPlan["provider"] | undefined {
    const map = this.r.map(node);
    if (!map) return undefined;
    this.r.only(map, ["genai", "openinference", "rows"]);
    const genai = this.r.str(this.r.get(map, "genai", true));
    const oi = this.r.map(this.r.get(map, "openinference", true));
    if (!genai || !oi) return undefined;
    this.r.only(oi, ["provider", "system"]);
    const provider = this.r.str(this.r.get(oi, "provider", true));
    const system = this.r.str(this.r.get(oi, "system", true));
    if (!provider || !system) return undefined;
    const attrs = {
      genai: this.attribute("genai", genai),
      provider: this.attribute("openinference", provider),
      system: this.attribute("openinference", system),
    };
    const rows: TranslationPlan["provider"]["rows"][number][] = [];
    for (const item of this.r.items(this.r.get(map, "rows", true), "a list of provider rows")) {
      const row = this.r.map(item);
      if (!row) continue;
      this.r.only(row, ["genai", "provider", "system"]);
      const g = this.r.str(this.r.get(row, "genai", true));
      const p = this.r.get(row, "provider") === undefined ? undefined : this.r.str(this.r.get(row, "provider"));
      const s = this.r.get(row, "system") === undefined ? undefined : this.r.str(this.r.get(row, "system"));
      if (!g) continue;
      this.enumValue("genai", attrs.genai, g);
      if (p) this.enumValue("openinference", attrs.provider, p);
      if (s) this.enumValue("openinference", attrs.system, s);
      rows.push({ genai: g.value, ...(p ? { provider: p.value } : {}), ...(s ? { system: s.value } : {}) });
    }
    return { genai: genai.value, provider: provider.value, system: system.value, rows };
  }

  /** Deprecated GenAI keys: those the mapping names, then every `renamed_to` deprecation of the registry. */
  deprecated(node: Node | undefined): TranslationPlan["deprecated"] {
    const out: TranslationPlan["deprecated"][number][] = [];
    for (const item of node === undefined ? [] : this.r.items(node, "a list of deprecated keys")) {
      const map = this.r.map(item);
      if (!map) continue;
      this.r.only(map, ["key", "replacement", "values"]);
      const key = this.r.str(this.r.get(map, "key", true));
      const replacement = this.r.str(this.r.get(map, "replacement", true));
      if (!key || !replacement) continue;
      const old = this.attribute("genai", key);
      const current = this.attribute("genai", replacement);
      if (!old || !current) continue;
      if (!old.deprecated)
        this.r.report("mapping.deprecated", key.at, `\`${key.value}\` is not deprecated in ${this.label("genai")}`);
      if (current.deprecated)
        this.r.report(
          "mapping.deprecated",
          replacement.at,
          `the replacement \`${replacement.value}\` is itself deprecated`,
        );
      const oldType = this.valueType(old);
      const currentType = this.valueType(current);
      if (oldType !== currentType)
        this.r.report(
          "mapping.type",
          replacement.at,
          `\`${key.value}\` is ${oldType} but \`${replacement.value}\` is ${currentType}`,
        );
      const values = this.r.get(map, "values") === undefined ? [] : this.r.pairs(this.r.get(map, "values"));
      for (const v of values) {
        this.enumValue("genai", old, v.key);
        this.enumValue("genai", current, v.value);
      }
      // The old enum's own renamed members carry over too.
      const renamedMembers =
        old.type.kind === "enum"
          ? old.type.members.flatMap((m) =>
              m.deprecated?.renamedTo ? [[String(m.value), m.deprecated.renamedTo] as const] : [],
            )
          : [];
      const all = [
        ...values.map((v) => [v.key.value, v.value.value] as const),
        ...renamedMembers.filter(([from]) => !values.some((v) => v.key.value === from)),
      ];
      out.push({ key: key.value, replacement: replacement.value, ...(all.length > 0 ? { values: all } : {}) });
    }
    for (const attr of this.registries.genai.attributes) {
      const to = attr.deprecated?.renamedTo;
      if (to === undefined || out.some((d) => d.key === attr.key)) continue;
      const target = this.keys.genai.get(to);
      if (target && this.valueType(target) === this.valueType(attr)) out.push({ key: attr.key, replacement: to });
    }
    return out;
  }

  parameters(node: Node | undefined): TranslationPlan["parameters"] {
    const out: TranslationPlan["parameters"][number][] = [];
    for (const item of this.r.items(node, "a list of invocation-parameter objects")) {
      const map = this.r.map(item);
      if (!map) continue;
      this.r.only(map, ["openinference", "kinds", "fields"]);
      const key = this.r.str(this.r.get(map, "openinference", true));
      const attr = key && this.attribute("openinference", key);
      if (key && attr && this.valueType(attr) !== "json")
        this.r.report("mapping.type", key.at, `\`${key.value}\` does not hold JSON`);
      const kinds = this.kinds(this.r.get(map, "kinds", true)) ?? [];
      const fields: TranslationPlan["parameters"][number]["fields"][number][] = [];
      for (const f of this.r.items(this.r.get(map, "fields", true), "a list of fields")) {
        const fm = this.r.map(f);
        if (!fm) continue;
        this.r.only(fm, ["field", "genai"]);
        const names = this.r.strings(this.r.get(fm, "field", true));
        const genai = this.r.str(this.r.get(fm, "genai", true));
        const target = genai && this.attribute("genai", genai);
        const type = target && this.valueType(target);
        if (names && genai && type) fields.push({ fields: names.map((n) => n.value), genai: genai.value, type });
      }
      if (key) out.push({ openinference: key.value, kinds, fields });
    }
    return out;
  }

  /** `{ <name>: key }` entries that must be keys of `side` of the given value types. */
  keysOf<K extends string>(
    node: Node | undefined,
    side: Record<K, Convention>,
    types: Partial<Record<K, readonly string[]>> = {},
    more: readonly string[] = [],
  ): Record<K, string> | undefined {
    const map = this.r.map(node);
    if (!map) return undefined;
    const names = Object.keys(side) as K[];
    this.r.only(map, [...names, ...more]);
    const out = {} as Record<K, string>;
    let ok = true;
    for (const name of names) {
      const key = this.r.str(this.r.get(map, name, true));
      const attr = key && this.attribute(side[name], key);
      if (!key || !attr) {
        ok = false;
        continue;
      }
      const expected = types[name];
      const actual = attr.type.kind === "list" ? `list` : (this.valueType(attr) ?? attr.type.kind);
      if (expected && !expected.includes(actual)) {
        this.r.report("mapping.type", key.at, `\`${key.value}\` is ${actual}; expected ${expected.join(" or ")}`);
        ok = false;
      }
      out[name] = key.value;
    }
    return ok ? out : undefined;
  }

  messageFields(node: Node | undefined): TranslationPlan["messageFields"] | undefined {
    const side = Object.fromEntries(MESSAGE_FIELDS.map((f) => [f, "openinference" as const])) as Record<
      (typeof MESSAGE_FIELDS)[number],
      Convention
    >;
    const fields = this.keysOf(node, side);
    if (!fields) return undefined;
    for (const name of MESSAGE_FIELDS) {
      const attr = this.keys.openinference.get(fields[name])!;
      if (attr.fieldOf.length === 0) {
        const map = this.r.map(node)!;
        this.r.report(
          "mapping.type",
          this.r.at(this.r.get(map, name)),
          `\`${fields[name]}\` is not a field of any structure of ${this.label("openinference")}`,
        );
      }
    }
    return fields;
  }

  parts(node: Node | undefined, contentType: Attribute | undefined): TranslationPlan["parts"] {
    const out: TranslationPlan["parts"][number][] = [];
    for (const item of this.r.items(node, "a list of part rules")) {
      const map = this.r.map(item);
      if (!map) continue;
      this.r.only(map, ["openinference", "genai", "modality"]);
      const oi = this.r.str(this.r.get(map, "openinference", true));
      const genai = this.r.str(this.r.get(map, "genai", true));
      const modality = this.r.get(map, "modality") === undefined ? undefined : this.r.str(this.r.get(map, "modality"));
      if (!oi || !genai) continue;
      this.enumValue("openinference", contentType, oi);
      if (!GENAI_PART_TYPES.includes(genai.value))
        this.r.report(
          "mapping.enum-value",
          genai.at,
          `${JSON.stringify(genai.value)} is not a part type of GenAI's message schemas${didYouMean(genai.value, GENAI_PART_TYPES)}`,
        );
      if (modality && !MODALITIES.includes(modality.value))
        this.r.report(
          "mapping.enum-value",
          modality.at,
          `${JSON.stringify(modality.value)} is not a GenAI modality (${MODALITIES.join(", ")})`,
        );
      out.push({ openinference: oi.value, genai: genai.value, ...(modality ? { modality: modality.value } : {}) });
    }
    return out;
  }

  messages(node: Node | undefined): TranslationPlan["messages"] {
    const out: TranslationPlan["messages"][number][] = [];
    for (const item of this.r.items(node, "a list of message lists")) {
      const map = this.r.map(item);
      if (!map) continue;
      const keys = this.keysOf(
        map,
        { openinference: "openinference", genai: "genai" },
        { openinference: ["list"], genai: ["json"] },
        ["system_instructions", "finish_reason"],
      );
      const si =
        this.r.get(map, "system_instructions") === undefined
          ? undefined
          : this.r.str(this.r.get(map, "system_instructions"));
      const siAttr = si && this.attribute("genai", si);
      if (si && siAttr && this.valueType(siAttr) !== "json")
        this.r.report("mapping.type", si.at, `\`${si.value}\` does not hold JSON`);
      const fr =
        this.r.get(map, "finish_reason") === undefined
          ? false
          : (this.r.bool(this.r.get(map, "finish_reason")) ?? false);
      if (keys) out.push({ ...keys, ...(si ? { systemInstructions: si.value } : {}), finishReason: fr });
    }
    return out;
  }

  /** A list key and one field of its structure. */
  listField(list: At<string> | undefined, field: At<string> | undefined): void {
    if (!list || !field) return;
    const attr = this.keys.openinference.get(list.value);
    const group = attr?.type.kind === "list" ? attr.type.object : undefined;
    const fieldAttr = this.keys.openinference.get(field.value);
    if (group !== undefined && !fieldAttr?.fieldOf.includes(group)) {
      this.r.report(
        "mapping.unknown-key",
        field.at,
        `\`${field.value}\` is not a field of \`${group}\`, the structure of \`${list.value}\``,
      );
    }
  }

  at(map: YAMLMap | undefined, key: string): At<string> | undefined {
    const node = map && this.r.get(map, key);
    return node === undefined ? undefined : { value: String((node as { value?: unknown }).value), at: this.r.at(node) };
  }

  location(node: Node | undefined): SourceLocation {
    return this.r.at(node);
  }
}
