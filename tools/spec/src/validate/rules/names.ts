/** Constant-name collisions after case conversion (see naming/assign.ts), and type-name collisions. */
import { isExcludedFromCodegen } from "../../model/raw-index.js";
import { assignNames } from "../../naming/assign.js";
import {
  enumTypeName,
  FIXED_EXPORTS,
  hasKeyBuilder,
  keyBuilderName,
  objectFieldTypeName,
  rawRegistryName,
} from "../../naming/exports.js";
import type { Rule } from "../context.js";

export const nameCollisions: Rule = (ctx) => {
  const { diagnostics } = assignNames(ctx.index, ctx.naming, ctx.registry.manifest?.codegen);
  for (const d of diagnostics) ctx.report(d.id, d.severity, d.message, d.location);
};

/** The type names every generated package declares or re-exports. */
const FIXED_TYPE_NAMES = Object.keys(FIXED_EXPORTS).filter((name) => FIXED_EXPORTS[name] === "type");

/**
 * Type names must be unique too, or the generated files do not compile: the fixed ones, one `…Field` type per
 * object group and one type per emitted enum (naming/exports.ts `enumTypeName`: `…Value` in the otel preset, the
 * enum object's name in the openinference preset, where keys may share one through `codegen.enums`).
 */
export const typeNameCollisions: Rule = (ctx) => {
  const codegen = ctx.registry.manifest?.codegen;
  const registryName = rawRegistryName(ctx.registry);
  const claimed = new Map<string, { what: string; enumObject: boolean }>(
    FIXED_TYPE_NAMES.map((n) => [n, { what: `the generated type \`${n}\``, enumObject: false }]),
  );
  const claim = (name: string, what: string, enumObject: boolean, location: Parameters<typeof ctx.report>[3]) => {
    const first = claimed.get(name);
    if (!first) claimed.set(name, { what, enumObject });
    else if (!(enumObject && first.enumObject)) {
      const hint = enumObject ? " or name the enum in `codegen.enums` in manifest.yaml" : "";
      ctx.report(
        "name.collision",
        "error",
        `${what} and ${first.what} both become the type \`${name}\`; rename one${hint}`,
        location,
      );
    }
  };
  for (const group of ctx.registry.groups) {
    if (group.type !== "object" || ctx.index.groups.get(group.id) !== group) continue;
    claim(
      objectFieldTypeName(group.id, registryName),
      `the field type of object group \`${group.id}\``,
      false,
      group.location,
    );
  }
  const names = assignNames(ctx.index, ctx.naming, codegen);
  for (const [key, { def }] of ctx.index.definitions) {
    if (
      def.type?.kind !== "enum" ||
      isExcludedFromCodegen(def.annotations) ||
      names.attributes.get(key)?.emitted === false
    )
      continue;
    // A name chosen in `codegen.enums` is checked against every export where it is written (rules/identifiers.ts).
    if (ctx.naming === "openinference" && codegen?.enums !== undefined && Object.hasOwn(codegen.enums, key)) continue;
    claim(
      enumTypeName(key, ctx.naming, undefined),
      `the enum type of \`${key}\``,
      ctx.naming === "openinference",
      def.location,
    );
  }
};

/** Key builders (emit/keys.ts): `llmInputMessagesKey` etc. must not collide after camel-casing either. */
export const keyBuilderCollisions: Rule = (ctx) => {
  const seen = new Map<string, string>();
  for (const [key, { def }] of ctx.index.definitions) {
    if (!hasKeyBuilder(def.type?.kind, ctx.naming) || isExcludedFromCodegen(def.annotations)) continue;
    const name = keyBuilderName(key);
    const first = seen.get(name);
    if (first !== undefined) {
      ctx.report(
        "name.collision",
        "error",
        `\`${key}\` and \`${first}\` both get the key builder \`${name}\`; rename one`,
        def.location,
      );
    } else seen.set(name, key);
  }
};
