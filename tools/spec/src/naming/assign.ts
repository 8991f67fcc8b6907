/**
 * Gives every attribute and enum member its constant name, and settles collisions after case
 * conversion: when a deprecated item and a current one end up with the same name, the current one
 * wins and the deprecated one is not emitted (a warning, as upstream OpenTelemetry does); any other
 * collision is an error. Used by validation (to report) and resolution (to name).
 */
import type { Diagnostic, SourceLocation } from "../model/diagnostics.js";
import { isExcludedFromCodegen, type RawIndex } from "../model/raw-index.js";
import type { RawCodegenSettings, RawEnumMember } from "../model/raw.js";
import type { NamingPreset } from "../model/resolved.js";
import { enumTypeName } from "./exports.js";
import { attributeConstName, enumMemberConstName } from "./presets.js";

export interface AssignedName {
  readonly name: string;
  readonly emitted: boolean;
}

export interface NameAssignment {
  readonly attributes: ReadonlyMap<string, AssignedName>;
  /** key → member id → name */
  readonly members: ReadonlyMap<string, ReadonlyMap<string, AssignedName>>;
  /** enum attribute key → enum object name (openinference preset only). */
  readonly enumNames: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
}

interface Candidate {
  readonly name: string;
  readonly what: string;
  readonly deprecated: boolean;
  readonly location: SourceLocation;
  readonly settle: (emitted: boolean) => void;
  /** How to resolve a collision at this candidate, when not by naming a key in `codegen.constants`. */
  readonly fix?: string;
}

const CHOOSE_IN_MANIFEST = "choose another name in manifest.yaml";

export function assignNames(
  index: RawIndex,
  naming: NamingPreset,
  codegen: RawCodegenSettings | undefined,
): NameAssignment {
  const diagnostics: Diagnostic[] = [];
  const attributes = new Map<string, AssignedName>();
  const members = new Map<string, Map<string, AssignedName>>();
  const enumNames = new Map<string, string>();
  const global: Candidate[] = [];
  const overrides = codegen?.constants ?? {};

  for (const [key, { def }] of index.definitions) {
    // Own entries only: a key such as `constructor` must not find Object.prototype's.
    const name = (Object.hasOwn(overrides, key) ? overrides[key] : undefined) ?? attributeConstName(naming, key);
    if (isExcludedFromCodegen(def.annotations)) {
      attributes.set(key, { name, emitted: false });
      continue;
    }
    attributes.set(key, { name, emitted: true });
    global.push({
      name,
      what: `attribute \`${key}\``,
      deprecated: def.deprecated !== undefined,
      location: def.location,
      settle: (emitted) => attributes.set(key, { name, emitted }),
    });
    if (def.type?.kind !== "enum") continue;
    const memberMap = new Map<string, AssignedName>();
    members.set(key, memberMap);
    const local: Candidate[] = [];
    for (const member of def.type.members) {
      const memberName = enumMemberConstName(naming, key, member.id);
      memberMap.set(member.id, { name: memberName, emitted: true });
      const candidate = memberCandidate(memberName, key, member, (emitted) =>
        memberMap.set(member.id, { name: memberName, emitted }),
      );
      (naming === "otel" ? global : local).push(candidate);
    }
    settle(local, diagnostics);
    if (naming === "openinference") enumNames.set(key, enumTypeName(key, naming, codegen?.enums));
  }
  // Enum objects shared by several keys (e.g. MimeType) are one name; they join the global set once.
  const seenEnumNames = new Set<string>();
  for (const [key, enumName] of enumNames) {
    if (seenEnumNames.has(enumName)) continue;
    seenEnumNames.add(enumName);
    global.push({
      name: enumName,
      what: `enum object for \`${key}\``,
      deprecated: false,
      location: index.definitions.get(key)!.def.location,
      settle: () => {},
    });
  }
  const manifestLocation = codegen?.location;
  if (manifestLocation) {
    for (const [name] of Object.entries(codegen?.prefixConstants ?? {})) {
      global.push({
        name,
        what: `prefix constant \`${name}\``,
        deprecated: false,
        location: codegen?.at?.prefixConstants?.[name] ?? manifestLocation,
        settle: () => {},
        fix: CHOOSE_IN_MANIFEST,
      });
    }
    for (const compat of codegen?.compatObjects ?? []) {
      global.push({
        name: compat.name,
        what: `compat object \`${compat.name}\``,
        deprecated: false,
        location: compat.nameLocation ?? compat.location,
        settle: () => {},
        fix: CHOOSE_IN_MANIFEST,
      });
    }
    for (const compat of codegen?.compatEnums ?? []) {
      global.push({
        name: compat.name,
        what: `compat enum \`${compat.name}\``,
        deprecated: false,
        location: compat.nameLocation ?? compat.location,
        settle: () => {},
        fix: CHOOSE_IN_MANIFEST,
      });
    }
  }
  settle(global, diagnostics);
  return { attributes, members, enumNames, diagnostics };
}

function memberCandidate(name: string, key: string, member: RawEnumMember, set: (emitted: boolean) => void): Candidate {
  return {
    name,
    what: `enum member \`${key}\`.\`${member.id}\``,
    deprecated: member.deprecated !== undefined,
    location: member.location,
    settle: set,
  };
}

function settle(candidates: readonly Candidate[], diagnostics: Diagnostic[]): void {
  const byName = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const list = byName.get(c.name);
    if (list) list.push(c);
    else byName.set(c.name, [c]);
  }
  for (const [name, list] of byName) {
    if (list.length < 2) continue;
    const current = list.filter((c) => !c.deprecated);
    if (current.length === 1) {
      const winner = current[0]!;
      for (const loser of list) {
        if (loser === winner) continue;
        loser.settle(false);
        diagnostics.push({
          id: "name.collision",
          severity: "warning",
          message: `${loser.what} (deprecated) and ${winner.what} both become \`${name}\`; ${winner.what} wins and the deprecated one is not emitted`,
          location: loser.location,
        });
      }
      continue;
    }
    const [first, ...rest] = list;
    for (const other of rest) {
      diagnostics.push({
        id: "name.collision",
        severity: "error",
        message: `${other.what} and ${first!.what} both become the constant \`${name}\`; ${other.fix ?? "rename one or set `codegen.constants` in manifest.yaml"}`,
        location: other.location,
      });
    }
  }
}
