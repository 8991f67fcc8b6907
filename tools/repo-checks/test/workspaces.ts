/** The workspaces the checks run over, read from the same package.json files npm reads. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { workspacePackages } from "../../../vitest.shared.js";

export interface Workspace {
  readonly name: string;
  readonly dir: string;
  readonly manifest: {
    readonly private?: boolean;
    readonly scripts?: Readonly<Record<string, string>>;
  };
}

export const repoRoot = join(import.meta.dirname, "../../..");

export function workspaces(): Workspace[] {
  return workspacePackages().map(({ name, dir }) => ({
    name,
    dir,
    manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Workspace["manifest"],
  }));
}

/** Every workspace npm would publish. */
export function publicWorkspaces(): Workspace[] {
  return workspaces().filter((w) => w.manifest.private !== true);
}

/** `npm pack` into a fresh temporary folder; returns the tarball's bytes, exactly what `npm publish` would upload. */
export function packTarball(dir: string): Uint8Array {
  const dest = mkdtempSync(join(tmpdir(), "semtrace-pack-"));
  const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dest], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [{ filename }] = JSON.parse(out) as [{ filename: string }];
  try {
    return new Uint8Array(readFileSync(join(dest, filename)));
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}
