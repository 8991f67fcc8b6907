/**
 * `imports:` as Weaver defines it: glob patterns, per kind of signal, naming groups of the dependencies that the
 * registry takes in as its own (a metric imported is this registry's metric). A pattern is matched against the
 * group's id, its id without the kind's prefix (`metric.`, `event.`, `span.`, `entity.`, `registry.`) and the
 * signal's name (metric name, event name); a pattern that matches nothing is an error, as in Weaver.
 */
import type { Diagnostic } from "../../model/diagnostics.js";
import type { RawGroup, RawImports } from "../../model/raw.js";

const KINDS: readonly { readonly field: keyof Omit<RawImports, "location">; readonly types: readonly string[]; readonly section: string }[] = [
  { field: "metrics", types: ["metric", "metric_group"], section: "metrics" },
  { field: "events", types: ["event"], section: "events" },
  { field: "entities", types: ["entity", "resource"], section: "entities" },
  { field: "spans", types: ["span"], section: "spans" },
  { field: "attributeGroups", types: ["attribute_group"], section: "attribute_groups" },
];

/** The groups the imports take from `available` (dependency groups, each once), and a diagnostic per unmatched pattern. */
export function applyImports(imports: readonly RawImports[], available: Iterable<RawGroup & { readonly from?: string }>): { groups: RawGroup[]; diagnostics: Diagnostic[] } {
  const candidates = [...available];
  const taken = new Map<string, RawGroup>();
  const diagnostics: Diagnostic[] = [];
  for (const section of imports) {
    for (const kind of KINDS) {
      for (const pattern of section[kind.field] ?? []) {
        const regex = globToRegExp(pattern);
        let matched = false;
        for (const group of candidates) {
          if (!kind.types.includes(group.type) || !matchKeys(group).some((k) => regex.test(k))) continue;
          matched = true;
          if (!taken.has(group.id)) taken.set(group.id, { ...group, importedFrom: group.from ?? "" });
        }
        if (!matched) {
          diagnostics.push({ id: "import.unmatched", severity: "error", message: `\`imports.${kind.section}\` pattern \`${pattern}\` matches no ${kind.section.replace(/s$/, "").replace("_", " ")} of the dependencies`, location: section.location });
        }
      }
    }
  }
  return { groups: [...taken.values()], diagnostics };
}

function matchKeys(group: RawGroup): string[] {
  const keys = [group.id];
  for (const prefix of ["metric.", "event.", "span.", "entity.", "registry."]) if (group.id.startsWith(prefix)) keys.push(group.id.slice(prefix.length));
  if (group.metric) keys.push(group.metric.name);
  if (group.eventName) keys.push(group.eventName);
  return keys;
}

/** `*` any run of characters, `?` one, `[…]` a class, `{a,b}` alternatives (globset's syntax, which Weaver uses). */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") out += ".*";
    else if (c === "?") out += ".";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end === -1) out += "\\[";
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        out += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else if (c === "{") {
      inBraces = true;
      out += "(?:";
    } else if (c === "}" && inBraces) {
      inBraces = false;
      out += ")";
    } else if (c === "," && inBraces) out += "|";
    else out += c.replace(/[.+^$()|\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}
