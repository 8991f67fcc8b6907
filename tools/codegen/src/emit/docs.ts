/**
 * Doc text for generated declarations, in one fixed order: brief, one `@example` per example, `@note`,
 * `@experimental`, `@deprecated` with the replacement. Only what a user of the item needs: an item's
 * `rationale` (why semtrace decided what it did) is never part of it. Stability is stated once where the whole
 * registry shares it (the manifest's `stability`, in each file's module doc); an item says its own only when it
 * differs. Making the text safe inside a comment is the printer's job.
 */
import type { Attribute, Deprecation, EnumMember, Registry, Stability } from "@semtrace/spec/internal";

export interface DocContext {
  /** The constant a key is emitted as, for `{@link}`s (undefined when the key has none). */
  readonly constNameOf: (key: string) => string | undefined;
  /** The stability every item shares unless it says otherwise (the manifest's `stability`). */
  readonly registryStability: Stability | undefined;
}

export function docContext(registry: Registry): DocContext {
  const names = new Map(registry.attributes.filter((a) => a.emitted).map((a) => [a.key, a.constName]));
  return { constNameOf: (key) => names.get(key), registryStability: registry.stability };
}

function exampleText(example: unknown): string {
  return typeof example === "string" ? example : JSON.stringify(example);
}

/** `` `key` ({@link CONST}) `` — a key with a link to its constant when it has one. */
export function keyLink(key: string, ctx: DocContext): string {
  const name = ctx.constNameOf(key);
  return name === undefined ? `\`${key}\`` : `{@link ${name}}`;
}

export function deprecationText(dep: Deprecation, ctx?: DocContext): string {
  if (dep.renamedTo !== undefined) {
    const target = ctx?.constNameOf(dep.renamedTo);
    const note = dep.note ? ` ${dep.note.trim()}` : "";
    return `Replaced by \`${dep.renamedTo}\`${target ? ` ({@link ${target}})` : ""}.${note}`;
  }
  return (dep.note ?? (dep.reason === "obsoleted" ? "Removed, no replacement." : "Deprecated.")).trim();
}

/** The item's own stability line, when it differs from what the registry states once. */
function stabilityLine(stability: Stability, ctx: DocContext, what: string): string | undefined {
  if (stability === ctx.registryStability) return undefined;
  if (stability === "stable")
    return ctx.registryStability === undefined ? undefined : `Stable, unlike the rest of the registry.`;
  return `@experimental This ${what} is not yet stable and may change.`;
}

export function attributeDoc(attr: Attribute, ctx: DocContext, extra: readonly string[] = []): string {
  const parts: string[] = [attr.brief.trim() || `The \`${attr.key}\` attribute.`, ...extra];
  for (const example of attr.examples) parts.push(`@example ${exampleText(example)}`);
  if (attr.note.trim()) parts.push(`@note ${attr.note.trim()}`);
  const stability = stabilityLine(attr.stability, ctx, "attribute");
  if (stability) parts.push(stability);
  if (attr.deprecated) parts.push(`@deprecated ${deprecationText(attr.deprecated, ctx)}`);
  return parts.join("\n\n");
}

/** A member's doc, linking the attribute(s) it is a value of. */
export function memberDoc(attrs: readonly Attribute[], member: EnumMember, ctx: DocContext): string {
  const of = `a value of ${attrs.map((a) => keyLink(a.key, ctx)).join(" and ")}.`;
  const brief = member.brief.trim();
  const parts: string[] = brief
    ? [brief, `${of[0]!.toUpperCase()}${of.slice(1)}`]
    : [`\`${String(member.value)}\`: ${of}`];
  if (member.note.trim()) parts.push(`@note ${member.note.trim()}`);
  const stability = stabilityLine(member.stability, ctx, "enum value");
  if (stability) parts.push(stability);
  if (member.deprecated) parts.push(`@deprecated ${deprecationText(member.deprecated, ctx)}`);
  return parts.join("\n\n");
}

/** The module doc's stability paragraph, when the registry states one. */
export function stabilityNote(registry: Registry): string | undefined {
  const stability = registry.stability;
  if (stability === undefined) return undefined;
  if (stability === "stable") return `Stability: every item is stable unless its own doc says otherwise.`;
  return (
    `Stability: the \`${registry.name}\` registry is \`${stability}\`, and so is every item here unless its own doc says ` +
    `otherwise: experimental, so names, types and values may change in any release.`
  );
}
