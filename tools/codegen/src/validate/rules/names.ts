/** Constant-name collisions after case conversion (see naming/assign.ts). */
import { assignNames } from "../../naming/assign.js";
import type { Rule } from "../context.js";

export const nameCollisions: Rule = (ctx) => {
  const { diagnostics } = assignNames(ctx.index, ctx.naming, ctx.registry.manifest?.codegen);
  for (const d of diagnostics) ctx.report(d.id, d.severity, d.message, d.location);
};
