/**
 * The drop-in swap as a user does it: drop-in-swap/ (its package.json and main.cjs) installed by npm into a fresh
 * project, @semtrace/openinference from its packed tarball, everything else at the versions the repository's
 * lockfile holds (a registry on 127.0.0.1, see helpers/local-registry.ts), and run against the mock OpenAI server of
 * @semtrace/real-spans. Three installs of the same app:
 * - upstream: without the swap (the alias and `overrides` removed);
 * - alias: a plain dependency alias, without `overrides`: the app's own import is swapped, but npm nests
 *   upstream's package under the instrumentation and @arizeai/openinference-core, which pin it exactly;
 * - overrides: the example's package.json as committed: one copy in the tree, semtrace's, loaded by the
 *   instrumentation itself.
 * The spans must be the same in all three: the swap changes which package defines the keys, not the keys.
 */
import { execFile, execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startMockOpenAIServer } from "@semtrace/real-spans";
import semver from "semver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalRegistry, type LocalRegistry, type PackedPackage } from "./helpers/local-registry.js";

const EXAMPLE = fileURLToPath(new URL("../drop-in-swap/", import.meta.url));
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const UPSTREAM = "@arizeai/openinference-semantic-conventions";

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  overrides?: Record<string, string>;
  [field: string]: unknown;
}

const run = promisify(execFile);
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;

/** Published workspaces by name → folder. */
function workspaces(): Map<string, string> {
  const found = new Map<string, string>();
  for (const parent of ["packages", "tools"]) {
    for (const entry of readdirSync(path.join(REPO, parent), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(REPO, parent, entry.name);
      if (!existsSync(path.join(dir, "package.json"))) continue;
      const manifest = readJson<Manifest & { private?: boolean }>(path.join(dir, "package.json"));
      if (!manifest.private) found.set(manifest.name, dir);
    }
  }
  return found;
}

/** Environment for npm without the settings of the npm that runs this test (`npm test` exports its config). */
function npmEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)),
  );
  return { ...env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
}

/** `npm pack` of a workspace and of the workspaces it depends on, into `dest`. */
function packWithDependencies(name: string, dest: string): PackedPackage[] {
  const all = workspaces();
  const packed: PackedPackage[] = [];
  const visit = (pkg: string) => {
    const dir = all.get(pkg);
    if (!dir || packed.some((p) => p.manifest.name === pkg)) return;
    const manifest = readJson<Manifest>(path.join(dir, "package.json"));
    const [{ filename }] = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dest], {
        cwd: dir,
        encoding: "utf8",
        env: npmEnv(),
      }),
    ) as [{ filename: string }];
    packed.push({ tarball: path.join(dest, filename), manifest });
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency);
  };
  visit(name);
  return packed;
}

interface Installed {
  /** Each copy of upstream's name in node_modules: its folder → the package behind it. */
  readonly tree: Map<string, string>;
  /** `npm ls <upstream> --all --parseable --long`: its exit code and lines (folders relative to the project). */
  readonly ls: { readonly status: number | null; readonly lines: readonly string[] };
  readonly spans: string[];
  readonly rest: string[];
}

const example = readJson<Manifest>(path.join(EXAMPLE, "package.json"));

const { overrides: _overrides, ...withoutOverrides } = example;

/** The example's package.json without the swap, with only the alias, and as committed. */
const variants: Record<"upstream" | "alias" | "overrides", Manifest> = {
  upstream: {
    ...withoutOverrides,
    dependencies: Object.fromEntries(Object.entries(example.dependencies ?? {}).filter(([name]) => name !== UPSTREAM)),
  },
  alias: withoutOverrides,
  overrides: example,
};

/** Every installed copy of upstream's name in a project: its folder → the package.json behind it (`name@version`). */
function copiesOf(project: string): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (modules: string) => {
    let entries;
    try {
      entries = readdirSync(modules, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const dirs = entry.name.startsWith("@")
        ? readdirSync(path.join(modules, entry.name)).map((n) => path.join(modules, entry.name, n))
        : [path.join(modules, entry.name)];
      for (const dir of dirs) {
        const relative = path.relative(project, dir).split(path.sep).join("/");
        if (relative.endsWith(`node_modules/${UPSTREAM}`)) {
          const { name, version } = readJson<Manifest>(path.join(dir, "package.json"));
          found.set(relative, `${name}@${version}`);
        }
        visit(path.join(dir, "node_modules"));
      }
    }
  };
  visit(path.join(project, "node_modules"));
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : 1)));
}

// The example is no workspace, so a release's version bump does not reach its alias: say so here, at once, rather
// than as a failed install inside the test below.
it("the example's alias accepts the version of @semtrace/openinference this repository holds", () => {
  const alias = example.dependencies?.[UPSTREAM] ?? "";
  const range = /^npm:@semtrace\/openinference@(.+)$/.exec(alias)?.[1];
  expect(
    range,
    `${UPSTREAM} in drop-in-swap/package.json is not an npm: alias of @semtrace/openinference`,
  ).toBeDefined();
  const version = readJson<Manifest>(path.join(workspaces().get("@semtrace/openinference")!, "package.json")).version;
  expect(
    semver.satisfies(version, range!),
    `drop-in-swap/package.json aliases @semtrace/openinference@${range}, which ${version} (the workspace's) is outside: update the range`,
  ).toBe(true);
});

describe("drop-in swap: @semtrace/openinference under OpenInference's own OpenAI instrumentation", {
  timeout: 600_000,
}, () => {
  const work = mkdtempSync(path.join(os.tmpdir(), "semtrace-drop-in-"));
  let registry: LocalRegistry;
  const installed = new Map<keyof typeof variants, Installed>();

  beforeAll(async () => {
    mkdirSync(path.join(work, "tarballs"));
    registry = await startLocalRegistry({
      lockfile: path.join(REPO, "package-lock.json"),
      packed: packWithDependencies("@semtrace/openinference", path.join(work, "tarballs")),
    });
    // One cache of the test's own for the three installs (the shared npm cache is only read, by the registry), and
    // everything asynchronous: the registry and the mock servers answer from this process.
    const npmArgs = [
      "--registry",
      registry.url,
      "--cache",
      path.join(work, "npm-cache"),
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
    ];
    const installOne = async (variant: keyof typeof variants, manifest: Manifest): Promise<void> => {
      const project = path.join(work, variant);
      mkdirSync(project);
      writeFileSync(path.join(project, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
      copyFileSync(path.join(EXAMPLE, "main.cjs"), path.join(project, "main.cjs"));
      await run("npm", ["install", "--ignore-scripts", ...npmArgs], { cwd: project, env: npmEnv(), timeout: 300_000 });
      const ls = await run("npm", ["ls", UPSTREAM, "--all", "--parseable", "--long", ...npmArgs], {
        cwd: project,
        env: npmEnv(),
      }).then(
        ({ stdout }) => ({ status: 0, stdout }),
        (error: { code?: number; stdout?: string }) => ({ status: error.code ?? null, stdout: error.stdout ?? "" }),
      );
      const server = await startMockOpenAIServer(); // its own: response ids count up per server
      try {
        const app = await run(process.execPath, ["main.cjs"], {
          cwd: project,
          env: { ...npmEnv(), OPENAI_BASE_URL: server.baseURL },
          timeout: 120_000,
        });
        expect(app.stderr, `${variant}: main.cjs wrote to stderr`).toBe("");
        const lines = app.stdout.trimEnd().split("\n");
        installed.set(variant, {
          tree: copiesOf(project),
          ls: {
            status: ls.status,
            lines: ls.stdout
              .trim()
              .split("\n")
              .map((line) => line.replace(`${project}${path.sep}`, "")),
          },
          spans: lines.filter((l) => l.startsWith("span ")),
          rest: lines.filter((l) => !l.startsWith("span ")),
        });
      } finally {
        await server.close();
      }
    };
    await Promise.all(
      (Object.entries(variants) as [keyof typeof variants, Manifest][]).map(([variant, manifest]) =>
        installOne(variant, manifest),
      ),
    );
  }, 900_000);

  afterAll(async () => {
    await registry?.close();
    rmSync(work, { recursive: true, force: true });
  }, 180_000);

  const semtrace = () =>
    `@semtrace/openinference@${readJson<Manifest>(path.join(workspaces().get("@semtrace/openinference")!, "package.json")).version}`;
  const nested = [
    "node_modules/@arizeai/openinference-core/node_modules",
    "node_modules/@arizeai/openinference-instrumentation-openai/node_modules",
  ].map((dir) => `${dir}/${UPSTREAM}`);

  it("upstream: the instrumentation loads upstream's package, the one copy in the tree", () => {
    const { tree, rest } = installed.get("upstream")!;
    expect([...tree]).toEqual([[`node_modules/${UPSTREAM}`, `${UPSTREAM}@2.12.0`]]);
    expect(installed.get("upstream")!.ls).toEqual({
      status: 0,
      lines: [`node_modules/${UPSTREAM}:${UPSTREAM}@2.12.0`],
    });
    expect(rest).toEqual([`loaded node_modules/${UPSTREAM} = ${UPSTREAM}@2.12.0`, "the app's import is upstream's"]);
  });

  it("alias: only the app's own import is swapped; npm nests upstream's package under the packages that pin it", () => {
    const { tree, rest } = installed.get("alias")!;
    const ls = installed.get("alias")!.ls;
    expect(ls.status).toBe(0);
    expect([...ls.lines].sort()).toEqual(
      [
        `node_modules/${UPSTREAM}:${UPSTREAM}@npm:${semtrace()}`,
        ...nested.map((dir) => `${dir}:${UPSTREAM}@2.12.0`),
      ].sort(),
    );
    expect([...tree]).toEqual(
      [[`node_modules/${UPSTREAM}`, semtrace()], ...nested.map((dir) => [dir, `${UPSTREAM}@2.12.0`] as const)].sort(
        ([a], [b]) => (a! < b! ? -1 : 1),
      ),
    );
    expect(rest.slice(0, -1)).toEqual(nested.map((dir) => `loaded ${dir} = ${UPSTREAM}@2.12.0`).sort());
    expect(rest.at(-1)).toMatch(/^the app's import is @semtrace\/openinference: 4 spans validated, 0 errors$/);
  });

  it("overrides: one copy in the tree, @semtrace/openinference, loaded by the instrumentation; its validator finds no error in the spans", () => {
    const { tree, rest } = installed.get("overrides")!;
    // What the README tells users to check: `npm ls` names semtrace's package for every entry, and finds no problem.
    expect(installed.get("overrides")!.ls).toEqual({
      status: 0,
      lines: [`node_modules/${UPSTREAM}:${UPSTREAM}@npm:${semtrace()}`],
    });
    expect([...tree]).toEqual([[`node_modules/${UPSTREAM}`, semtrace()]]);
    expect(rest).toEqual([
      `loaded node_modules/${UPSTREAM} = ${semtrace()}`,
      "the app's import is @semtrace/openinference: 4 spans validated, 0 errors",
    ]);
  });

  it("the spans are the same with and without the swap: chat, tool call, stream and embeddings, every attribute", () => {
    const upstream = installed.get("upstream")!.spans;
    expect(upstream).toHaveLength(4);
    const kinds = upstream.map(
      (line) =>
        (JSON.parse(line.slice("span ".length)) as { attributes: Record<string, unknown> }).attributes[
          "openinference.span.kind"
        ],
    );
    expect(kinds).toEqual(["LLM", "LLM", "LLM", "EMBEDDING"]);
    expect(upstream.join("\n")).toContain(
      '"llm.output_messages.0.message.tool_calls.0.tool_call.function.name":"get_weather"',
    );
    expect(installed.get("alias")!.spans).toEqual(upstream);
    expect(installed.get("overrides")!.spans).toEqual(upstream);
  });

  it("npm resolved every package through the local registry, @semtrace/openinference included", () => {
    expect(registry.requested).toEqual(
      expect.arrayContaining([
        "@semtrace/openinference",
        "@semtrace/runtime",
        "@arizeai/openinference-instrumentation-openai",
        "openai",
      ]),
    );
  });
});
