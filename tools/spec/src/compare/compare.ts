/**
 * Compares two resolved registries (base → head) and classifies every difference a user of the generated code
 * can notice (changes.ts says which bump each kind needs). Pure: it reads the resolved model and the builder plan
 * the emitters use, nothing else.
 *
 * Items defined by a dependency registry (`from`, when the resolver records one) are not the registry's own API
 * and are left out; metric and event definitions are compared when the resolved model carries them.
 */
import { planBuilders, type InputNode } from "../emit/builder-plan.js";
import type { SourceLocation } from "../model/diagnostics.js";
import type {
  Attribute,
  AttributeUse,
  Deprecation,
  EnumMember,
  Registry,
  RequirementLevel,
  ResolvedType,
  Stability,
} from "../model/resolved.js";
import { sortChanges, type Bump, type ChangeKind, type ChangeSubject, type RegistryChange } from "./changes.js";

/** What metric and event definitions share, read structurally so registries without them compare too. */
interface SignalLike {
  readonly id: string;
  readonly name: string;
  readonly brief: string;
  readonly note: string;
  readonly stability: Stability;
  readonly deprecated?: Deprecation;
  readonly attributes: readonly AttributeUse[];
  readonly constName?: string;
  readonly instrument?: string;
  readonly unit?: string;
}

interface WithSignals {
  readonly metrics?: readonly SignalLike[];
  readonly events?: readonly SignalLike[];
}

/** Every change from `base` to `head`, sorted (major first). */
export function compareRegistries(base: Registry, head: Registry): RegistryChange[] {
  const out: RegistryChange[] = [];
  const headAttrs = byKey(ownAttributes(head));
  compareAttributes(ownAttributes(base), headAttrs, out);
  const ctx: UseContext = {
    renames: renameTargets(head),
    baseAttrs: byKey(base.attributes),
    headAttrs: byKey(head.attributes),
    out,
  };
  compareDefinitions("span", base.spans, head.spans, ctx);
  // `registry.*` groups only define attributes (compared above); other groups are reused by spans and builders.
  const reusable = (r: Registry) => r.attributeGroups.filter((g) => !g.id.startsWith("registry."));
  compareDefinitions("attribute group", reusable(base), reusable(head), ctx);
  const structures = (r: Registry) => r.objects.map((o) => ({ ...o, attributes: o.fields }));
  compareDefinitions("structure", structures(base), structures(head), ctx);
  compareDefinitions("metric", (base as WithSignals).metrics ?? [], (head as WithSignals).metrics ?? [], ctx);
  compareDefinitions("event", (base as WithSignals).events ?? [], (head as WithSignals).events ?? [], ctx);
  compareBuilderFields(base, head, headAttrs, out);
  return sortChanges(out);
}

function ownAttributes(registry: Registry): Attribute[] {
  return registry.attributes.filter((a) => (a as { from?: string }).from === undefined);
}

function byKey(attrs: readonly Attribute[]): Map<string, Attribute> {
  return new Map(attrs.map((a) => [a.key, a]));
}

/** Deprecated key → the key it was renamed to, in the head registry. */
function renameTargets(head: Registry): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of head.attributes)
    if (a.deprecated?.reason === "renamed" && a.deprecated.renamedTo) out.set(a.key, a.deprecated.renamedTo);
  return out;
}

function push(
  out: RegistryChange[],
  bump: Bump,
  subject: ChangeSubject,
  kind: ChangeKind,
  id: string,
  message: string,
  stable: boolean,
  location?: SourceLocation,
): void {
  out.push({ bump, subject, kind, id, message, stable, ...(location ? { location } : {}) });
}

// ---------------------------------------------------------------------------------------------------------------
// Attributes and enum members

export function typeText(type: ResolvedType): string {
  switch (type.kind) {
    case "primitive":
      return type.name;
    case "template":
      return `template[${type.inner}]`;
    case "enum":
      return `enum of ${type.valueType}`;
    case "list":
      return `list[${type.object}]`;
    case "object":
      return `object[${type.object}]`;
    case "namespace":
      return "namespace";
  }
}

function compareAttributes(
  base: readonly Attribute[],
  head: ReadonlyMap<string, Attribute>,
  out: RegistryChange[],
): void {
  const seen = new Set<string>();
  for (const b of base) {
    seen.add(b.key);
    const h = head.get(b.key);
    const stable = b.stability === "stable";
    if (!h) {
      const what = b.deprecated ? "deprecated attribute" : "attribute";
      push(
        out,
        "major",
        "attribute",
        "removed",
        b.key,
        `${what} \`${b.key}\` removed${b.emitted ? ` (constant ${b.constName} is gone)` : ""}`,
        stable,
        b.definedAt,
      );
      continue;
    }
    compareAttribute(b, h, out);
  }
  for (const h of head.values()) {
    if (seen.has(h.key)) continue;
    push(
      out,
      "minor",
      "attribute",
      "added",
      h.key,
      `attribute \`${h.key}\` added (${typeText(h.type)}${h.emitted ? `, ${h.constName}` : ""})`,
      false,
      h.definedAt,
    );
  }
}

function compareAttribute(b: Attribute, h: Attribute, out: RegistryChange[]): void {
  const stable = b.stability === "stable";
  const at = h.definedAt;
  const bt = typeText(b.type);
  const ht = typeText(h.type);
  if (bt !== ht)
    push(
      out,
      "major",
      "attribute",
      "type-changed",
      h.key,
      `attribute \`${h.key}\` changed type from ${bt} to ${ht}`,
      stable,
      at,
    );
  else if (b.type.kind === "enum" && h.type.kind === "enum")
    compareMembers(h.key, b.type.members, h.type.members, at, out);

  compareDeprecation("attribute", h.key, b.deprecated, h.deprecated, at, out);
  compareStability("attribute", h.key, b.stability, h.stability, at, out);

  // The attribute's own constant (and enum object name, under the openinference preset).
  if (b.emitted && !h.emitted)
    push(
      out,
      "major",
      "constant",
      "removed",
      b.constName,
      `constant ${b.constName} (\`${h.key}\`) is no longer generated`,
      stable,
      at,
    );
  else if (!b.emitted && h.emitted)
    push(
      out,
      "minor",
      "constant",
      "added",
      h.constName,
      `constant ${h.constName} (\`${h.key}\`) is generated`,
      false,
      at,
    );
  else if (b.emitted && b.constName !== h.constName) {
    push(
      out,
      "major",
      "constant",
      "renamed",
      b.constName,
      `constant ${b.constName} renamed to ${h.constName} without an alias (\`${h.key}\`)`,
      stable,
      at,
    );
  }
  if (b.emitted && h.emitted && b.enumName !== undefined && b.enumName !== h.enumName) {
    push(
      out,
      "major",
      "constant",
      "renamed",
      b.enumName,
      `enum ${b.enumName} renamed to ${h.enumName ?? "nothing"} without an alias (\`${h.key}\`)`,
      stable,
      at,
    );
  }
  const docs = docChanges(b, h);
  if (docs.length > 0)
    push(
      out,
      "patch",
      "attribute",
      "docs-changed",
      h.key,
      `attribute \`${h.key}\`: ${docs.join(", ")} changed`,
      false,
      at,
    );
}

function compareMembers(
  key: string,
  base: readonly EnumMember[],
  head: readonly EnumMember[],
  at: SourceLocation,
  out: RegistryChange[],
): void {
  const headById = new Map(head.map((m) => [m.id, m]));
  const baseIds = new Set(base.map((m) => m.id));
  for (const b of base) {
    const id = `${key} ${b.id}`;
    const stable = b.stability === "stable";
    const h = headById.get(b.id);
    if (!h) {
      push(
        out,
        "major",
        "enum member",
        "removed",
        id,
        `enum member \`${b.id}\` (${JSON.stringify(b.value)}) of \`${key}\` removed${b.emitted ? ` (${b.constName} is gone)` : ""}`,
        stable,
        at,
      );
      continue;
    }
    if (b.value !== h.value) {
      push(
        out,
        "major",
        "enum member",
        "value-changed",
        id,
        `enum member \`${b.id}\` of \`${key}\` changed value from ${JSON.stringify(b.value)} to ${JSON.stringify(h.value)}`,
        stable,
        at,
      );
    }
    if (b.emitted && !h.emitted)
      push(
        out,
        "major",
        "constant",
        "removed",
        b.constName,
        `constant ${b.constName} (\`${key}\` member \`${b.id}\`) is no longer generated`,
        stable,
        at,
      );
    else if (!b.emitted && h.emitted)
      push(
        out,
        "minor",
        "constant",
        "added",
        h.constName,
        `constant ${h.constName} (\`${key}\` member \`${h.id}\`) is generated`,
        false,
        at,
      );
    else if (b.emitted && b.constName !== h.constName) {
      push(
        out,
        "major",
        "constant",
        "renamed",
        b.constName,
        `constant ${b.constName} renamed to ${h.constName} without an alias (\`${key}\` member \`${h.id}\`)`,
        stable,
        at,
      );
    }
    compareDeprecation("enum member", id, b.deprecated, h.deprecated, at, out);
    compareStability("enum member", id, b.stability, h.stability, at, out);
    const docs = docChanges(b, h);
    if (docs.length > 0)
      push(
        out,
        "patch",
        "enum member",
        "docs-changed",
        id,
        `enum member \`${h.id}\` of \`${key}\`: ${docs.join(", ")} changed`,
        false,
        at,
      );
  }
  for (const h of head) {
    if (baseIds.has(h.id)) continue;
    push(
      out,
      "minor",
      "enum member",
      "added",
      `${key} ${h.id}`,
      `enum member \`${h.id}\` (${JSON.stringify(h.value)}) added to \`${key}\`${h.emitted ? ` (${h.constName})` : ""}`,
      false,
      at,
    );
  }
}

function compareDeprecation(
  subject: ChangeSubject,
  id: string,
  b: Deprecation | undefined,
  h: Deprecation | undefined,
  at: SourceLocation | undefined,
  out: RegistryChange[],
): void {
  const what =
    subject === "enum member"
      ? `enum member \`${id.split(" ")[1]}\` of \`${id.split(" ")[0]}\``
      : `${subject} \`${id}\``;
  if (!b && h) {
    if (h.reason === "renamed" && h.renamedTo)
      push(
        out,
        "minor",
        subject,
        "renamed",
        id,
        `${what} renamed to \`${h.renamedTo}\` (deprecated alias kept)`,
        false,
        at,
      );
    else push(out, "minor", subject, "deprecated", id, `${what} deprecated (${h.reason})`, false, at);
  } else if (b && !h) push(out, "minor", subject, "undeprecated", id, `${what} is no longer deprecated`, false, at);
  else if (b && h && (b.reason !== h.reason || b.renamedTo !== h.renamedTo)) {
    push(
      out,
      "minor",
      subject,
      "deprecated",
      id,
      `${what}: deprecation changed from ${deprecationText(b)} to ${deprecationText(h)}`,
      false,
      at,
    );
  } else if (b && h && (b.note ?? "") !== (h.note ?? ""))
    push(out, "patch", subject, "docs-changed", id, `${what}: deprecation note changed`, false, at);
}

function deprecationText(d: Deprecation): string {
  return d.renamedTo ? `${d.reason} to \`${d.renamedTo}\`` : d.reason;
}

function compareStability(
  subject: ChangeSubject,
  id: string,
  b: Stability | undefined,
  h: Stability | undefined,
  at: SourceLocation | undefined,
  out: RegistryChange[],
): void {
  if (b === h || b === undefined || h === undefined) return;
  // Deprecation has its own change; `deprecated` as a stability value says the same.
  if (h === "deprecated" || b === "deprecated") return;
  const what =
    subject === "enum member"
      ? `enum member \`${id.split(" ")[1]}\` of \`${id.split(" ")[0]}\``
      : `${subject} \`${id}\``;
  if (b === "stable")
    push(out, "major", subject, "stability-changed", id, `${what} is no longer stable (${h})`, true, at);
  else push(out, "minor", subject, "stability-changed", id, `${what}: stability ${b} → ${h}`, false, at);
}

interface Documented {
  readonly brief: string;
  readonly note: string;
  readonly examples?: readonly unknown[];
}

function docChanges(b: Documented, h: Documented): string[] {
  const out: string[] = [];
  if (b.brief.trim() !== h.brief.trim()) out.push("brief");
  if (b.note.trim() !== h.note.trim()) out.push("note");
  if (JSON.stringify(b.examples ?? []) !== JSON.stringify(h.examples ?? [])) out.push("examples");
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Definitions: spans, attribute groups, structures, metrics, events

interface DefinitionLike {
  readonly id: string;
  readonly brief: string;
  readonly note?: string;
  readonly stability?: Stability;
  readonly deprecated?: Deprecation;
  readonly attributes: readonly AttributeUse[];
  readonly spanKind?: string;
  readonly name?: string;
  readonly instrument?: string;
  readonly unit?: string;
}

const STRICTNESS: Readonly<Record<RequirementLevel["level"], number>> = {
  opt_in: 0,
  recommended: 1,
  conditionally_required: 2,
  required: 3,
};

function requirementText(r: RequirementLevel): string {
  return r.level === "conditionally_required" ? `conditionally_required (${r.condition})` : r.level;
}

interface UseContext {
  /** Deprecated key → the key it was renamed to, in the head registry. */
  readonly renames: ReadonlyMap<string, string>;
  readonly baseAttrs: ReadonlyMap<string, Attribute>;
  readonly headAttrs: ReadonlyMap<string, Attribute>;
  readonly out: RegistryChange[];
}

function compareDefinitions(
  subject: ChangeSubject,
  base: readonly DefinitionLike[],
  head: readonly DefinitionLike[],
  ctx: UseContext,
): void {
  const { out } = ctx;
  const headById = new Map(head.map((d) => [d.id, d]));
  const baseIds = new Set(base.map((d) => d.id));
  for (const b of base) {
    const stable = b.stability === "stable";
    const h = headById.get(b.id);
    if (!h) {
      push(
        out,
        "major",
        subject,
        "removed",
        b.id,
        `${subject} \`${b.id}\`${b.name && b.name !== b.id ? ` (${b.name})` : ""} removed`,
        stable,
      );
      continue;
    }
    for (const field of ["spanKind", "name", "instrument", "unit"] as const) {
      if ((b[field] ?? "") !== (h[field] ?? "")) {
        push(
          out,
          "major",
          subject,
          "definition-changed",
          b.id,
          `${subject} \`${b.id}\`: ${FIELD_TEXT[field]} changed from ${JSON.stringify(b[field] ?? "")} to ${JSON.stringify(h[field] ?? "")}`,
          stable,
        );
      }
    }
    compareDeprecation(subject, b.id, b.deprecated, h.deprecated, undefined, out);
    compareStability(subject, b.id, b.stability, h.stability, undefined, out);
    compareUses(subject, b.id, stable, b.attributes, h.attributes, ctx);
    const docs = docChanges({ brief: b.brief, note: b.note ?? "" }, { brief: h.brief, note: h.note ?? "" });
    if (docs.length > 0)
      push(out, "patch", subject, "docs-changed", b.id, `${subject} \`${b.id}\`: ${docs.join(", ")} changed`, false);
  }
  for (const h of head) {
    if (baseIds.has(h.id)) continue;
    push(
      out,
      "minor",
      subject,
      "added",
      h.id,
      `${subject} \`${h.id}\`${h.name && h.name !== h.id ? ` (${h.name})` : ""} added`,
      false,
    );
  }
}

/** The use's own brief, note or examples, where it refines its attribute's. */
function refined(use: AttributeUse, attrs: ReadonlyMap<string, Attribute>, field: string): boolean {
  const attr = attrs.get(use.key);
  if (!attr) return true;
  return docChanges(use, attr).includes(field);
}

const FIELD_TEXT = { spanKind: "span kind", name: "name", instrument: "instrument", unit: "unit" } as const;

function compareUses(
  subject: ChangeSubject,
  id: string,
  stable: boolean,
  base: readonly AttributeUse[],
  head: readonly AttributeUse[],
  ctx: UseContext,
): void {
  const { renames, baseAttrs, headAttrs, out } = ctx;
  const headByKey = new Map(head.map((u) => [u.key, u]));
  const baseKeys = new Set(base.map((u) => u.key));
  const where = `${subject} \`${id}\``;
  for (const b of base) {
    const h = headByKey.get(b.key);
    if (!h) {
      const target = renames.get(b.key);
      if (target !== undefined && headByKey.has(target)) {
        push(
          out,
          "minor",
          subject,
          "renamed",
          `${id} ${b.key}`,
          `${where}: \`${b.key}\` replaced by \`${target}\`, its new name`,
          false,
        );
      } else
        push(out, "major", subject, "removed", `${id} ${b.key}`, `${where}: attribute \`${b.key}\` removed`, stable);
      continue;
    }
    const from = STRICTNESS[b.requirementLevel.level];
    const to = STRICTNESS[h.requirementLevel.level];
    const bt = requirementText(b.requirementLevel);
    const ht = requirementText(h.requirementLevel);
    if (to > from)
      push(
        out,
        "major",
        subject,
        "requirement-stricter",
        `${id} ${b.key}`,
        `${where}: \`${b.key}\` made stricter, ${bt} → ${ht}`,
        stable,
      );
    else if (to < from)
      push(
        out,
        "minor",
        subject,
        "requirement-relaxed",
        `${id} ${b.key}`,
        `${where}: \`${b.key}\` relaxed, ${bt} → ${ht}`,
        false,
      );
    else if (bt !== ht)
      push(out, "patch", subject, "docs-changed", `${id} ${b.key}`, `${where}: \`${b.key}\`: condition changed`, false);
    const docs = docChanges(b, h).filter((field) => refined(b, baseAttrs, field) || refined(h, headAttrs, field));
    if (docs.length > 0)
      push(
        out,
        "patch",
        subject,
        "docs-changed",
        `${id} ${b.key}`,
        `${where}: \`${b.key}\`: ${docs.join(", ")} changed`,
        false,
      );
  }
  for (const h of head) {
    if (baseKeys.has(h.key)) continue;
    // An attribute that replaces a renamed one is reported with the rename.
    if ([...renames].some(([old, target]) => target === h.key && baseKeys.has(old))) continue;
    if (h.requirementLevel.level === "required") {
      push(
        out,
        "major",
        subject,
        "requirement-stricter",
        `${id} ${h.key}`,
        `${where}: required attribute \`${h.key}\` added`,
        stable,
      );
    } else
      push(
        out,
        "minor",
        subject,
        "added",
        `${id} ${h.key}`,
        `${where}: attribute \`${h.key}\` added (${requirementText(h.requirementLevel)})`,
        false,
      );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Builder input fields

interface BuilderField {
  /** `buildChatAttributes.request.model` */
  readonly id: string;
  readonly key: string;
  /** Set when the field is a renamed attribute's deprecated alias: the new key it writes. */
  readonly aliasOf?: string;
}

/** Every builder input field of a registry, by `<builder>.<path>`. */
export function builderFields(registry: Registry): Map<string, BuilderField> {
  const out = new Map<string, BuilderField>();
  for (const scope of planBuilders(registry).scopes) {
    const walk = (node: InputNode, path: string[]): void => {
      for (const child of node.children.values()) {
        const p = [...path, child.name];
        const id = `${scope.functionName}.${p.join(".")}`;
        if (child.leaf) out.set(id, { id, key: child.leaf.key });
        else if (child.alias) out.set(id, { id, key: child.alias.deprecated.key, aliasOf: child.alias.target.key });
        walk(child, p);
      }
    };
    walk(scope.root, []);
  }
  return out;
}

function compareBuilderFields(
  base: Registry,
  head: Registry,
  headAttrs: ReadonlyMap<string, Attribute>,
  out: RegistryChange[],
): void {
  const before = builderFields(base);
  const after = builderFields(head);
  const baseAttrs = byKey(base.attributes);
  const builders = (fields: Map<string, BuilderField>) => new Set([...fields.keys()].map((id) => id.split(".")[0]!));
  const headBuilders = builders(after);
  const baseBuilders = builders(before);
  for (const name of baseBuilders) {
    if (!headBuilders.has(name)) push(out, "major", "builder field", "removed", name, `builder ${name} removed`, false);
  }
  for (const name of headBuilders) {
    if (!baseBuilders.has(name)) push(out, "minor", "builder field", "added", name, `builder ${name} added`, false);
  }
  for (const [id, b] of before) {
    const builder = id.split(".")[0]!;
    if (!headBuilders.has(builder)) continue;
    const stable = baseAttrs.get(b.key)?.stability === "stable";
    const h = after.get(id);
    if (!h) {
      const renamedTo = headAttrs.get(b.key)?.deprecated?.renamedTo;
      const message = renamedTo
        ? `builder field ${id} (\`${b.key}\`) renamed without an alias: \`${renamedTo}\` has another field, and a JavaScript caller passing the old one loses the value`
        : `builder field ${id} (\`${b.key}\`) removed`;
      push(out, "major", "builder field", renamedTo ? "renamed" : "removed", id, message, stable);
    } else if (h.key !== b.key) {
      push(
        out,
        "major",
        "builder field",
        "definition-changed",
        id,
        `builder field ${id} now carries \`${h.key}\` instead of \`${b.key}\``,
        stable,
      );
    } else if (h.aliasOf !== undefined && b.aliasOf === undefined) {
      push(
        out,
        "minor",
        "builder field",
        "renamed",
        id,
        `builder field ${id} kept as a deprecated alias that writes \`${h.aliasOf}\``,
        false,
      );
    }
  }
  for (const [id, h] of after) {
    const builder = id.split(".")[0]!;
    if (before.has(id) || !baseBuilders.has(builder)) continue;
    push(out, "minor", "builder field", "added", id, `builder field ${id} (\`${h.key}\`) added`, false);
  }
}
