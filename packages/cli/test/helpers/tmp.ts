/**
 * Temporary folders for a test file, removed when the file's tests are done (importing this module registers
 * the cleanup on the file's root suite).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the system's temporary folder, named `semtrace-<prefix>-…`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `semtrace-${prefix}-`));
  made.push(dir);
  return dir;
}
