/**
 * `imports:` as Weaver defines it: glob patterns, per kind of signal, naming groups of the dependencies that the
 * registry takes in as its own (a metric imported is this registry's metric). A pattern is matched against the
 * group's id, its id without the kind's prefix (`metric.`, `event.`, `span.`, `entity.`, `registry.`) and the
 * signal's name (metric name, event name), with Weaver's keys for each syntax; a pattern that matches nothing is a
 * warning (in Weaver a non-fatal error).
 */
import type { Diagnostic } from "../../model/diagnostics.js";
import type { RawGroup, RawImports } from "../../model/raw.js";

const KINDS: readonly {
  readonly field: keyof Omit<RawImports, "location">;
  readonly types: readonly string[];
  readonly section: string;
}[] = [
  { field: "metrics", types: ["metric", "metric_group"], section: "metrics" },
  { field: "events", types: ["event"], section: "events" },
  { field: "entities", types: ["entity", "resource"], section: "entities" },
  { field: "spans", types: ["span"], section: "spans" },
  { field: "attributeGroups", types: ["attribute_group"], section: "attribute_groups" },
];

/** The groups the imports take from `available` (dependency groups, each once), and a diagnostic per unmatched pattern. */
export function applyImports(
  imports: readonly RawImports[],
  available: Iterable<RawGroup & { readonly from?: string }>,
): { groups: RawGroup[]; diagnostics: Diagnostic[] } {
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
          diagnostics.push({
            id: "import.unmatched",
            severity: "warning",
            message: `\`imports.${kind.section}\` pattern \`${pattern}\` matches no ${kind.section.replace(/s$/, "").replace("_", " ")} of the dependencies`,
            location: section.location,
          });
        }
      }
    }
  }
  return { groups: [...taken.values()], diagnostics };
}

/** What a pattern is matched against, as Weaver matches (imports.rs `import_match_keys`). */
function matchKeys(group: RawGroup): string[] {
  const strip = (prefix: string) => (group.id.startsWith(prefix) ? [group.id.slice(prefix.length)] : []);
  if (group.syntax === "v2") {
    const keys = [
      group.id,
      ...(group.metric ? [group.metric.name] : []),
      ...(group.eventName ? [group.eventName] : []),
    ];
    if (group.type === "attribute_group") keys.push(...strip("registry."), ...strip("attribute_group."));
    for (const prefix of ["span.", "event.", "metric.", "entity."]) keys.push(...strip(prefix));
    return keys;
  }
  switch (group.type) {
    case "event":
      return group.eventName ? [group.eventName] : [];
    case "metric":
      return group.metric ? [group.metric.name] : [];
    case "entity":
    case "resource":
      return [group.id, ...strip("entity.")];
    default:
      return [group.id];
  }
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
