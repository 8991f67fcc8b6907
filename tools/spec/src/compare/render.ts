/**
 * Reports of a registry comparison: text for terminals, Markdown for a pull-request comment, JSON for tools, the
 * `.changeset/*.md` that records the bump, and the compatibility diagnostics `semtrace check --baseline` prints.
 * Pure: strings in, strings out.
 */
import type { Diagnostic } from "../model/diagnostics.js";
import { breaksStability, largestBump, packageBump, type Bump, type RegistryChange } from "./changes.js";

export interface ComparedRegistries {
  /** What the base was read from (a directory, or `ref:dir`). */
  readonly base: string;
  readonly head: string;
  readonly registry: string;
  /** The package generated from the registry (manifest `codegen.package`), when it names one. */
  readonly packageName?: string;
  readonly changes: readonly RegistryChange[];
}

const HEADINGS: Readonly<Record<Bump, string>> = {
  major: "Breaking (major)",
  minor: "Compatible additions and deprecations (minor)",
  patch: "Documentation (patch)",
};
const BUMPS: readonly Bump[] = ["major", "minor", "patch"];

function counts(changes: readonly RegistryChange[]): string {
  const n = (b: Bump) => changes.filter((c) => c.bump === b).length;
  return `${changes.length} change${changes.length === 1 ? "" : "s"} (${n("major")} major, ${n("minor")} minor, ${n("patch")} patch)`;
}

function summary(r: ComparedRegistries): string {
  const bump = largestBump(r.changes);
  return bump === undefined ? "no changes" : `${counts(r.changes)}; the registry needs a ${bump} bump`;
}

export function renderChangesText(r: ComparedRegistries): string {
  const lines = [`${r.registry}: ${r.base} → ${r.head}: ${summary(r)}`];
  for (const bump of BUMPS) {
    const group = r.changes.filter((c) => c.bump === bump);
    if (group.length === 0) continue;
    lines.push("", `${HEADINGS[bump]}:`);
    for (const c of group)
      lines.push(`  ${bump.padEnd(5)}  ${c.message}${c.stable && c.bump === "major" ? " [stable]" : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Markdown for a pull-request comment: a summary line and one table per bump. */
export function renderChangesMarkdown(r: ComparedRegistries): string {
  const lines = [`### \`${r.registry}\`: ${summary(r)}`, "", `Compared \`${r.base}\` → \`${r.head}\`.`];
  for (const bump of BUMPS) {
    const group = r.changes.filter((c) => c.bump === bump);
    if (group.length === 0) continue;
    lines.push("", `#### ${HEADINGS[bump]}`, "", "| Subject | Change | Id |", "| ------- | ------ | -- |");
    for (const c of group)
      lines.push(
        `| ${c.subject} | ${escapeCell(c.message)}${c.stable && c.bump === "major" ? " **(stable)**" : ""} | \`${escapeCell(c.id)}\` |`,
      );
  }
  return `${lines.join("\n")}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function renderChangesJson(r: ComparedRegistries): string {
  return `${JSON.stringify({ registry: r.registry, base: r.base, head: r.head, package: r.packageName ?? null, bump: largestBump(r.changes) ?? null, changes: r.changes }, null, 2)}\n`;
}

export interface ChangesetPackage {
  readonly name: string;
  /** The package's current version: a 0.x package takes a breaking change as a minor bump. */
  readonly version: string;
}

/**
 * A `.changeset/*.md` for the changes, or `undefined` when there are none: every affected package with the bump
 * its version needs (packageBump) and one line per change, breaking ones first.
 */
export function renderChangeset(
  changes: readonly RegistryChange[],
  packages: readonly ChangesetPackage[],
  registry: string,
): string | undefined {
  const bump = largestBump(changes);
  if (bump === undefined || packages.length === 0) return undefined;
  const header = packages.map((p) => `"${p.name}": ${packageBump(bump, p.version)}`);
  const lines = changes.map((c) => `- ${c.bump === "major" ? "**Breaking:** " : ""}${capitalise(c.message)}.`);
  return ["---", ...header, "---", "", `The \`${registry}\` registry changed:`, "", ...lines, ""].join("\n");
}

function capitalise(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/**
 * The compatibility findings of `semtrace check --baseline`: an error for every change that breaks a stable
 * item's promise, a warning for every other breaking change. Placed where the head registry defines the item, or
 * at the registry's root when it is gone.
 */
export function compatibilityDiagnostics(changes: readonly RegistryChange[], root: string): Diagnostic[] {
  return changes
    .filter((c) => c.bump === "major")
    .map((c) => ({
      id: breaksStability(c) ? "compat.stable-broken" : "compat.breaking",
      severity: breaksStability(c) ? "error" : "warning",
      message: breaksStability(c)
        ? `${c.message}: it was stable, and stable items may not change incompatibly`
        : `${c.message} (a breaking change)`,
      location: c.location ?? { file: root, line: 1, col: 1 },
    }));
}
