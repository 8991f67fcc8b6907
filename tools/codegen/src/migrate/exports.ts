/**
 * The exported values of a package as the migrated file would load it (resolved from the file's folder, as
 * Node would), to know which upstream names semtrace's package really offers, with the same value.
 */
import { createRequire } from "node:module";
import path from "node:path";

export type Exports = ReadonlyMap<string, unknown>;

export class ModuleExports {
  private readonly cache = new Map<string, Exports | Error>();

  /** The package's exports seen from `dir`, or the error that says why it cannot be loaded. */
  load(specifier: string, dir: string): Exports | Error {
    const require = createRequire(path.join(dir, "noop.js"));
    let resolved: string;
    try {
      resolved = require.resolve(specifier);
    } catch (error) {
      return new Error(
        `${specifier} is not installed where this file can import it (${(error as Error).message.split("\n")[0]})`,
      );
    }
    let done = this.cache.get(resolved);
    if (done === undefined) {
      try {
        done = new Map(Object.entries(require(resolved) as Record<string, unknown>));
      } catch (error) {
        done = new Error(`${specifier} could not be loaded: ${(error as Error).message.split("\n")[0]}`);
      }
      this.cache.set(resolved, done);
    }
    return done;
  }
}
