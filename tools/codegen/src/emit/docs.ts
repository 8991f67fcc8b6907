/**
 * JSDoc text for generated declarations, in one fixed order: brief, one `@example` per example,
 * `@note`, `@experimental`, `@deprecated` with the replacement. Any text from the spec is made safe
 * for a block comment here: `*\/` cannot close the comment early.
 */
import type { Attribute, Deprecation, EnumMember } from "../model/resolved.js";

export function escapeDocText(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\r\n?/g, "\n");
}

function exampleText(example: unknown): string {
  return typeof example === "string" ? example : JSON.stringify(example);
}

export function deprecationText(dep: Deprecation, constNameOf?: (key: string) => string | undefined): string {
  if (dep.renamedTo !== undefined) {
    const target = constNameOf?.(dep.renamedTo);
    const note = dep.note ? ` ${dep.note.trim()}` : "";
    return `Replaced by \`${dep.renamedTo}\`${target ? ` ({@link ${target}})` : ""}.${note}`;
  }
  return (dep.note ?? (dep.reason === "obsoleted" ? "Removed, no replacement." : "Deprecated.")).trim();
}

export function attributeDoc(attr: Attribute, constNameOf: (key: string) => string | undefined, extra: readonly string[] = []): string {
  const parts: string[] = [];
  parts.push(attr.brief.trim() || `The \`${attr.key}\` attribute.`);
  for (const line of extra) parts.push(line);
  for (const example of attr.examples) parts.push(`@example ${exampleText(example)}`);
  if (attr.note.trim()) parts.push(`@note ${attr.note.trim()}`);
  if (attr.stability !== "stable") parts.push("@experimental This attribute is not yet stable and may change.");
  if (attr.deprecated) parts.push(`@deprecated ${deprecationText(attr.deprecated, constNameOf)}`);
  return escapeDocText(parts.join("\n\n"));
}

export function memberDoc(attr: Attribute, member: EnumMember): string {
  const parts: string[] = [];
  parts.push(member.brief.trim() || `Value \`${String(member.value)}\` of \`${attr.key}\`.`);
  if (member.note.trim()) parts.push(`@note ${member.note.trim()}`);
  if (member.stability !== "stable") parts.push("@experimental This enum value is not yet stable and may change.");
  if (member.deprecated) parts.push(`@deprecated ${deprecationText(member.deprecated)}`);
  return escapeDocText(parts.join("\n\n"));
}

export function plainDoc(text: string): string {
  return escapeDocText(text.trim());
}
