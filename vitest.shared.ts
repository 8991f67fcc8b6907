/**
 * The one vitest setup every workspace uses (`<workspace>/vitest.config.ts` calls `workspaceConfig`).
 *
 * Tests import `@semtrace/<name>` and get that workspace's `src/index.ts`, so `vitest run` needs no build.
 * Only the publish-shape checks in tools/repo-checks look at `dist/`, and they do it through files and
 * tarballs, not through imports.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineProject, type UserWorkspaceConfig } from "vitest/config";

const repoRoot = dirname(fileURLToPath(import.meta.url));

interface WorkspacePackage {
  readonly name: string;
  readonly dir: string;
}

/** Every workspace folder named by the root package.json (`"tools/*"`-style globs only). */
export function workspacePackages(): WorkspacePackage[] {
  const rootPkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { workspaces: string[] };
  const found: WorkspacePackage[] = [];
  for (const pattern of rootPkg.workspaces) {
    if (!pattern.endsWith("/*")) {
      // A single workspace folder (`examples`).
      const manifest = join(repoRoot, pattern, "package.json");
      if (existsSync(manifest))
        found.push({
          name: (JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name,
          dir: join(repoRoot, pattern),
        });
      continue;
    }
    const parent = join(repoRoot, pattern.slice(0, -2));
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      const manifest = join(parent, entry.name, "package.json");
      if (!entry.isDirectory() || !existsSync(manifest)) continue;
      const { name } = JSON.parse(readFileSync(manifest, "utf8")) as { name: string };
      found.push({ name, dir: join(parent, entry.name) });
    }
  }
  return found;
}

/**
 * `@semtrace/<name>` → `<workspace>/src/index.ts`, and each subpath export `@semtrace/<name>/<sub>` (e.g.
 * `@semtrace/runtime/internal`) → `<workspace>/src/<sub>.ts`, for the entries whose source exists.
 */
export function sourceAliases(): { find: RegExp; replacement: string }[] {
  const escape = (text: string) => text.replace(/[/@.-]/g, (c) => `\\${c}`);
  return workspacePackages()
    .filter((p) => p.name.startsWith("@semtrace/"))
    .flatMap((p) => {
      const { exports } = JSON.parse(readFileSync(join(p.dir, "package.json"), "utf8")) as {
        exports?: Record<string, unknown>;
      };
      const subpaths = Object.keys(exports ?? {}).filter((s) => /^\.\/[\w-]+$/.test(s));
      return [
        { find: new RegExp(`^${escape(p.name)}$`), replacement: join(p.dir, "src/index.ts") },
        ...subpaths.map((s) => ({
          find: new RegExp(`^${escape(p.name)}/${escape(s.slice(2))}$`),
          replacement: join(p.dir, `src/${s.slice(2)}.ts`),
        })),
      ].filter((alias) => existsSync(alias.replacement));
    });
}

export interface WorkspaceConfigOptions {
  /** Per-test and per-hook timeout in ms (default {@link DEFAULT_TEST_TIMEOUT_MS}). */
  readonly testTimeout?: number;
}

/**
 * A timeout catches a test that hangs; it is not a speed limit (speed is for benchmarks). Tests that compile
 * TypeScript take 1-3 s on an idle 2-core machine and 5-6 s when other processes share the cores (CI runs the
 * suite once per Node version), which vitest's 5 s default turned into failures on every Node.
 */
export const DEFAULT_TEST_TIMEOUT_MS = 30_000;

/** The config of the workspace whose `vitest.config.ts` passes its own `import.meta.url`. */
export function workspaceConfig(configUrl: string, options: WorkspaceConfigOptions = {}): UserWorkspaceConfig {
  const dir = dirname(fileURLToPath(configUrl));
  const { name } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string };
  return defineProject({
    resolve: { alias: sourceAliases() },
    test: {
      name,
      root: dir,
      testTimeout: options.testTimeout ?? DEFAULT_TEST_TIMEOUT_MS,
      hookTimeout: options.testTimeout ?? DEFAULT_TEST_TIMEOUT_MS,
    },
  });
}
