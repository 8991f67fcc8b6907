/** Constant-name collisions after case conversion (see naming/assign.ts), and type-name collisions. */
import path from "node:path";
import { isExcludedFromCodegen } from "../../model/raw-index.js";
import { assignNames } from "../../naming/assign.js";
import { camelCase, pascalCase } from "../../naming/case.js";
import type { Rule } from "../context.js";

export const nameCollisions: Rule = (ctx) => {
  const { diagnostics } = assignNames(ctx.index, ctx.naming, ctx.registry.manifest?.codegen);
  for (const d of diagnostics) ctx.report(d.id, d.severity, d.message, d.location);
};

/** Declared by emit/types.ts for every registry. */
const FIXED_TYPE_NAMES = ["AttributeTypes", "AttributeKey", "AttributeValue", "Attributes"];

/**
 * Type names must be unique too, or the generated files do not compile: the fixed names of
 * types.ts, one `…Field` type per object group (emit/types.ts `objectFieldTypeName`) and one type
 * per emitted enum (emit/enums.ts `enumValueTypeName`: `…Value` in the otel preset, the enum object's
 * name in the openinference preset, where keys may share one through `codegen.enums`).
 */
export const typeNameCollisions: Rule = (ctx) => {
  const codegen = ctx.registry.manifest?.codegen;
  // As the pipeline names the registry when the manifest does not.
  const registryName = ctx.registry.manifest?.name ?? (path.basename(ctx.registry.root) || "registry");
  const claimed = new Map<string, { what: string; enumObject: boolean }>(FIXED_TYPE_NAMES.map((n) => [n, { what: `the generated type \`${n}\``, enumObject: false }]));
  const claim = (name: string, what: string, enumObject: boolean, location: Parameters<typeof ctx.report>[3]) => {
    const first = claimed.get(name);
    if (!first) claimed.set(name, { what, enumObject });
    else if (!(enumObject && first.enumObject)) {
      const hint = enumObject ? " or name the enum in `codegen.enums` in manifest.yaml" : "";
      ctx.report("name.collision", "error", `${what} and ${first.what} both become the type \`${name}\`; rename one${hint}`, location);
    }
  };
  for (const group of ctx.registry.groups) {
    if (group.type !== "object" || ctx.index.groups.get(group.id) !== group) continue;
    const trimmed = group.id.startsWith(`${registryName}.`) ? group.id.slice(registryName.length + 1) : group.id;
    claim(`${pascalCase(trimmed)}Field`, `the field type of object group \`${group.id}\``, false, group.location);
  }
  const names = assignNames(ctx.index, ctx.naming, codegen);
  for (const [key, { def }] of ctx.index.definitions) {
    if (def.type?.kind !== "enum" || isExcludedFromCodegen(def.annotations) || names.attributes.get(key)?.emitted === false) continue;
    if (ctx.naming === "openinference") {
      // A name chosen in `codegen.enums` is checked against every export where it is written (rules/identifiers.ts).
      if (codegen?.enums !== undefined && Object.hasOwn(codegen.enums, key)) continue;
      claim(pascalCase(key), `the enum type of \`${key}\``, true, def.location);
    } else claim(`${pascalCase(key)}Value`, `the enum type of \`${key}\``, false, def.location);
  }
};

/** Key builders (emit/keys.ts): `llmInputMessagesKey` etc. must not collide after camel-casing either. */
export const keyBuilderCollisions: Rule = (ctx) => {
  const seen = new Map<string, string>();
  for (const [key, { def }] of ctx.index.definitions) {
    const kind = def.type?.kind;
    const hasBuilder = kind === "list" || kind === "object" || (kind === "template" && ctx.naming !== "otel");
    if (!hasBuilder || isExcludedFromCodegen(def.annotations)) continue;
    const name = `${camelCase(key)}Key`;
    const first = seen.get(name);
    if (first !== undefined) {
      ctx.report("name.collision", "error", `\`${key}\` and \`${first}\` both get the key builder \`${name}\`; rename one`, def.location);
    } else seen.set(name, key);
  }
};
