/**
 * What a comparison of two resolved registries reports: one `RegistryChange` per difference a user of the
 * generated package can notice, each with the semver bump it needs. Pure data and pure helpers.
 *
 * The bump of each kind of change (spec/README.md, "Compatibility"):
 * - major: an attribute, enum member, span, metric, event, group or structure removed; a type, enum value, unit or
 *   instrument changed; a requirement made stricter; a constant or builder input field gone without an alias;
 *   a stable item made unstable;
 * - minor: anything added; a deprecation (a rename keeps the old constant and builder field as aliases); a
 *   requirement relaxed; an item made stable;
 * - patch: brief, note or examples changed.
 */
import type { SourceLocation } from "../model/diagnostics.js";

export type Bump = "major" | "minor" | "patch";

export type ChangeSubject =
  | "attribute"
  | "enum member"
  | "span"
  | "metric"
  | "event"
  | "attribute group"
  | "structure"
  | "constant"
  | "builder field";

export type ChangeKind =
  | "added"
  | "removed"
  | "type-changed"
  | "value-changed"
  | "renamed"
  | "deprecated"
  | "undeprecated"
  | "stability-changed"
  | "requirement-stricter"
  | "requirement-relaxed"
  | "definition-changed"
  | "docs-changed";

export interface RegistryChange {
  readonly bump: Bump;
  readonly subject: ChangeSubject;
  readonly kind: ChangeKind;
  /** The attribute key, `key` + member id, definition id, constant name or `builder.field.path`. */
  readonly id: string;
  /** One sentence for people: what changed, from what to what. */
  readonly message: string;
  /**
   * The item was `stable` in the base registry: a major change to it breaks the registry's own promise
   * (`semtrace check --baseline` fails on these).
   */
  readonly stable: boolean;
  /** Where the item is defined in the changed registry (or the base's, for removals), when known. */
  readonly location?: SourceLocation;
}

const ORDER: Readonly<Record<Bump, number>> = { major: 0, minor: 1, patch: 2 };

/** The largest bump of a set of changes; `undefined` when there are none. */
export function largestBump(changes: readonly RegistryChange[]): Bump | undefined {
  let best: Bump | undefined;
  for (const c of changes) if (best === undefined || ORDER[c.bump] < ORDER[best]) best = c.bump;
  return best;
}

/** Major first, then by subject and id, so reports read the same whatever order they were found in. */
export function sortChanges(changes: readonly RegistryChange[]): RegistryChange[] {
  return [...changes].sort(
    (a, b) =>
      ORDER[a.bump] - ORDER[b.bump] ||
      cmp(a.subject, b.subject) ||
      cmp(a.id, b.id) ||
      cmp(a.kind, b.kind) ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The bump a package at `version` needs for a change of `bump`, under semver's rule for 0.x versions as Cargo
 * and npm's caret read it: while the major version is 0, the minor digit is the breaking one, so a breaking change
 * bumps the minor version and anything else the patch version. From 1.0.0 on, the bump is the change's own.
 */
export function packageBump(bump: Bump, version: string): Bump {
  const major = /^(\d+)\./.exec(version)?.[1];
  if (major !== "0") return bump;
  return bump === "major" ? "minor" : "patch";
}

/** A change that breaks what the base registry promised: a major change to an item that was stable. */
export function breaksStability(change: RegistryChange): boolean {
  return change.bump === "major" && change.stable;
}
