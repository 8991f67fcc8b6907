// The resolve hook of record-loads.mjs: each resolved module's URL, appended to the log.
import { appendFileSync } from "node:fs";

/** @type {string} */
let log;

/** @param {{ log: string }} data */
export function initialize(data) {
  log = data.log;
}

/** @type {import("node:module").ResolveHook} */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
