/** Rules about manifest.yaml's code-generation settings. */
import path from "node:path";
import { isNamingPreset, NAMING_PRESETS } from "../../naming/presets.js";
import { didYouMean } from "../../util/suggest.js";
import type { Rule } from "../context.js";

export const manifestSettings: Rule = (ctx) => {
  const codegen = ctx.registry.manifest?.codegen;
  if (!codegen) return;
  const at = codegen.location;
  if (codegen.naming !== undefined && !isNamingPreset(codegen.naming)) {
    ctx.report(
      "manifest.naming",
      "error",
      `unknown naming preset \`${codegen.naming}\`: expected ${NAMING_PRESETS.join(" or ")}`,
      codegen.at?.naming ?? at,
    );
  }
  // The split is @opentelemetry/semantic-conventions' (stand-alone constants); enum objects cannot be split by member.
  if (codegen.incubatingEntry === true && ctx.naming !== "otel") {
    ctx.report(
      "manifest.split",
      "error",
      "`codegen.incubating_entry` splits stable from incubating constants as @opentelemetry/semantic-conventions does, which needs the otel naming preset (each enum value its own constant)",
      codegen.at?.incubatingEntry ?? at,
    );
  }
  if (codegen.docs !== undefined) {
    const problem = docsFolderProblem(codegen.docs);
    if (problem)
      ctx.report(
        "manifest.docs",
        "error",
        `\`codegen.docs\` ${JSON.stringify(codegen.docs)} ${problem}`,
        codegen.at?.docs ?? at,
      );
  }
  for (const key of Object.keys(codegen.constants ?? {})) {
    if (!ctx.index.definitions.has(key)) {
      ctx.report(
        "manifest.unknown-key",
        "error",
        `\`codegen.constants\` names \`${key}\`, which is not defined${didYouMean(key, ctx.index.definitions.keys())}`,
        codegen.at?.constants?.[key] ?? at,
      );
    }
  }
  const membersByName = new Map<string, { key: string; signature: string }>();
  for (const [key, name] of Object.entries(codegen.enums ?? {})) {
    const def = ctx.index.definitions.get(key)?.def;
    if (!def) {
      ctx.report(
        "manifest.unknown-key",
        "error",
        `\`codegen.enums\` names \`${key}\`, which is not defined${didYouMean(key, ctx.index.definitions.keys())}`,
        codegen.at?.enums?.[key] ?? at,
      );
      continue;
    }
    if (def.type?.kind !== "enum") {
      ctx.report(
        "manifest.not-an-enum",
        "error",
        `\`codegen.enums\` names \`${key}\`, which is not an enum`,
        codegen.at?.enums?.[key] ?? at,
      );
      continue;
    }
    const signature = JSON.stringify(def.type.members.map((m) => [m.id, m.value]));
    const first = membersByName.get(name);
    if (first && first.signature !== signature) {
      ctx.report(
        "enum.name-conflict",
        "error",
        `\`${key}\` and \`${first.key}\` share the enum name \`${name}\` but their members differ`,
        def.location,
      );
    } else if (!first) membersByName.set(name, { key, signature });
  }
  for (const compat of codegen.compatObjects ?? []) {
    if (compat.segmentsUnder === undefined && compat.constants === undefined && compat.entries === undefined) {
      ctx.report(
        "manifest.compat",
        "error",
        `compat object \`${compat.name}\` needs \`segments_under\`, \`constants: all\` or \`entries\``,
        compat.location,
      );
    }
    if (compat.segmentsUnder) {
      const prefix = `${compat.segmentsUnder}.`;
      if (![...ctx.index.definitions.keys()].some((k) => k.startsWith(prefix))) {
        ctx.report(
          "manifest.compat",
          "warning",
          `compat object \`${compat.name}\`: no attribute key starts with \`${prefix}\``,
          compat.location,
        );
      }
    }
  }
};

/**
 * Why a `codegen.docs` value cannot name the reference docs' folder, or undefined when it can: the same registry
 * generates on every machine, so the path is relative to the manifest's folder, in `/` form, and a folder of its
 * own (stale pages there are removed), not the spec folder itself.
 */
export function docsFolderProblem(docs: string): string | undefined {
  if (docs.trim() === "") return "is empty: expected a folder relative to the manifest's folder";
  if (docs.startsWith("/") || /^[A-Za-z]:/.test(docs) || docs.includes("\\")) {
    return "must be a relative path with `/` separators (relative to the manifest's folder), so it is the same on every machine";
  }
  if (path.posix.normalize(docs).replace(/\/$/, "") === ".")
    return "is the spec folder itself: the reference docs need a folder of their own";
  return undefined;
}
