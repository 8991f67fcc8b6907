/**
 * The releases of `@opentelemetry/instrumentation-openai` side by side: what npm installed for each (and where),
 * what each declares, and what each writes differently. The span comparison reads the committed fixtures, so it runs
 * on every Node; `capture-genai.test.ts` proves each fixture equal to a live capture wherever that release runs.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import semver from "semver";
import { describe, expect, it } from "vitest";
import {
  GENAI_OPENAI,
  GENAI_RELEASES,
  genaiRelease,
  genaiReleasesForThisNode,
  installedPackage,
  loadGenAIFixture,
  openaiModuleDefinition,
  type GenAIRelease,
  type SpansFixture,
} from "../src/index.js";
import { loadGenAIInstrumentation } from "../src/genai-releases.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const workspace = fileURLToPath(new URL("../", import.meta.url));

/** What each release is and brings with it, as installed from the lockfile. */
const RELEASES: readonly {
  release: GenAIRelease;
  installName: string;
  version: string;
  node: string;
  apiPeer: string;
  /** The `@opentelemetry/api` it resolves, and the `@opentelemetry/instrumentation` it runs on. */
  api: string;
  instrumentation: string;
  /** Where its log events (message contents) go: api 1.10 carries the logs API itself. */
  logsApi: "@opentelemetry/api" | "@opentelemetry/api-logs";
}[] = [
  {
    release: "0.22",
    installName: "@opentelemetry/instrumentation-openai",
    version: "0.22.0",
    node: ">=22.15.0",
    apiPeer: "^1.10.0",
    api: "1.10.0",
    instrumentation: "0.300.0",
    logsApi: "@opentelemetry/api",
  },
  {
    release: "0.21",
    installName: "instrumentation-openai-0.21",
    version: "0.21.0",
    node: "^18.19.0 || >=20.6.0",
    apiPeer: "^1.3.0",
    api: "1.9.1",
    instrumentation: "0.223.0",
    logsApi: "@opentelemetry/api-logs",
  },
];

describe("what npm installed", () => {
  it("the table covers every release, newest first", () => {
    expect(RELEASES.map((r) => r.release)).toEqual([...GENAI_RELEASES]);
  });

  it.each(RELEASES)(
    "$release: $installName $version, Node $node, api $apiPeer → resolves api $api and instrumentation $instrumentation",
    (row) => {
      const info = genaiRelease(row.release);
      expect({
        installName: info.installName,
        version: info.version,
        node: info.nodeRange,
        apiPeer: info.apiRange,
      }).toEqual({
        installName: row.installName,
        version: row.version,
        node: row.node,
        apiPeer: row.apiPeer,
      });
      const from = `${info.installed.dir}/`;
      const api = installedPackage("@opentelemetry/api", from);
      expect(api.version).toBe(row.api);
      expect(
        semver.satisfies(api.version, info.apiRange),
        `api ${api.version} satisfies the peer range ${info.apiRange}`,
      ).toBe(true);
      const instrumentation = installedPackage("@opentelemetry/instrumentation", from);
      expect(instrumentation.version).toBe(row.instrumentation);
      // @opentelemetry/instrumentation's own peer range on the api is met by the copy it resolves.
      const instrumentationApiPeer = instrumentation.json.peerDependencies!["@opentelemetry/api"]!;
      expect(
        semver.satisfies(
          installedPackage("@opentelemetry/api", `${instrumentation.dir}/`).version,
          instrumentationApiPeer,
        ),
      ).toBe(true);
      const dependencies = Object.keys(info.installed.json.dependencies ?? {});
      expect(dependencies.includes("@opentelemetry/api-logs")).toBe(row.logsApi === "@opentelemetry/api-logs");
    },
  );

  it("this app runs on api 1.10, while the rest of the repo keeps the lockfile's api 1.9", () => {
    expect(installedPackage("@opentelemetry/api", workspace).version).toBe("1.10.0");
    expect(installedPackage("@opentelemetry/api", repoRoot).version).toBe("1.9.1");
    // What this workspace's code imports at run time is the 1.10 copy, nested in its own node_modules.
    expect(createRequire(import.meta.url).resolve("@opentelemetry/api")).toContain(
      `${workspace}node_modules/@opentelemetry/api/`,
    );
    for (const name of ["core", "testing", "cli"]) {
      expect(installedPackage("@opentelemetry/api", `${repoRoot}packages/${name}/`).version, `packages/${name}`).toBe(
        "1.9.1",
      );
    }
  });
});

describe("which openai each release instruments", () => {
  it.each(GENAI_RELEASES)(
    "%s: openai >=4.19.0 <7 — the GenAI captures' openai-6, not the newest openai",
    async (release) => {
      const info = genaiRelease(release);
      if (!info.supportedHere) {
        // Not loadable on this Node (see capture-genai.test.ts); its declaration is still in its fixture's package list.
        expect(loadGenAIFixture(release).packages.openai).toBe(installedPackage(GENAI_OPENAI).version);
        return;
      }
      const { OpenAIInstrumentation } = await loadGenAIInstrumentation(release);
      const instrumentation = new OpenAIInstrumentation({ enabled: false });
      const definition = openaiModuleDefinition(instrumentation)!;
      expect(definition.supportedVersions).toEqual([">=4.19.0 <7"]);
      expect(semver.satisfies(installedPackage(GENAI_OPENAI).version, definition.supportedVersions[0]!)).toBe(true);
      expect(semver.satisfies(installedPackage("openai").version, definition.supportedVersions[0]!)).toBe(false);
    },
  );

  it.each(genaiReleasesForThisNode())(
    "%s: an app that requires the newest openai (7.x) after enabling the instrumentation gets no patch",
    async (release) => {
      const { OpenAIInstrumentation } = await loadGenAIInstrumentation(release);
      const instrumentation = new OpenAIInstrumentation(); // enabled: installs its require hook, as in an app
      try {
        // The definitions the hook works with (getModuleDefinitions() builds new ones on every call).
        const definition = (
          instrumentation as unknown as {
            _modules: { name: string; moduleVersion?: string; moduleExports?: unknown }[];
          }
        )._modules.find((m) => m.name === "openai")!;
        // A fresh CommonJS copy, so the hook sees a first require (vitest gave this file a fresh worker).
        const require = createRequire(import.meta.url);
        delete require.cache[require.resolve("openai")];
        const openai = require("openai") as typeof import("openai");
        // The hook did see it (it recorded the version it found), and declined it.
        expect(definition).toMatchObject({ moduleVersion: installedPackage("openai").version });
        expect(definition.moduleExports).toBeUndefined();
        expect((openai.OpenAI.Chat.Completions.prototype.create as { __wrapped?: boolean }).__wrapped).not.toBe(true);
      } finally {
        instrumentation.disable();
      }
    },
  );
});

/** `path → [value in the older fixture, value in the newer]` for every leaf that differs between two fixtures. */
function differences(older: unknown, newer: unknown, path = ""): Map<string, [unknown, unknown]> {
  const out = new Map<string, [unknown, unknown]>();
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object";
  if (isObject(older) && isObject(newer)) {
    for (const key of new Set([...Object.keys(older), ...Object.keys(newer)])) {
      for (const [p, d] of differences(older[key], newer[key], path ? `${path}.${key}` : key)) out.set(p, d);
    }
  } else if (JSON.stringify(older) !== JSON.stringify(newer)) out.set(path, [older, newer]);
  return out;
}

/** Every path a span can differ at, with the scenario and span index folded away: `spans[].<field>`. */
function spanDifferences(older: SpansFixture, newer: SpansFixture): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [path, [a, b]] of differences(older.scenarios, newer.scenarios)) {
    const key = path.replace(/^[^.]+\.spans\.\d+\./, "spans[].");
    out.set(key, (out.get(key) ?? new Set()).add(`${JSON.stringify(a)} → ${JSON.stringify(b)}`));
  }
  return out;
}

/**
 * What 0.22 writes differently from 0.21, scenario by scenario on the same SDK (openai 6.49) and mock: nothing in the
 * spans but the instrumentation scope's version. Their attributes, names, kinds, statuses and events are the same
 * (`gen_ai.system`, not `gen_ai.provider.name`, on chat and embeddings spans in both); what changed is underneath:
 * api 1.10 and @opentelemetry/instrumentation 0.300 (table above).
 */
const WRITES_DIFFERENTLY: readonly {
  older: GenAIRelease;
  newer: GenAIRelease;
  spans: Record<string, string[]>;
  packages: Record<string, [string, string]>;
}[] = [
  {
    older: "0.21",
    newer: "0.22",
    spans: { "spans[].instrumentationScope.version": ['"0.21.0" → "0.22.0"'] },
    packages: {
      "@opentelemetry/instrumentation-openai": ["0.21.0", "0.22.0"],
      "@opentelemetry/instrumentation": ["0.223.0", "0.300.0"],
      "@opentelemetry/api": ["1.9.1", "1.10.0"],
    },
  },
];

describe("what each release writes differently", () => {
  it.each(WRITES_DIFFERENTLY)("$newer vs $older", ({ older, newer, spans, packages }) => {
    const a = loadGenAIFixture(older);
    const b = loadGenAIFixture(newer);
    expect(Object.keys(b.scenarios)).toEqual(Object.keys(a.scenarios));
    const found = Object.fromEntries([...spanDifferences(a, b)].map(([path, values]) => [path, [...values].sort()]));
    expect(found).toEqual(spans);
    expect(Object.fromEntries(differences(a.packages, b.packages))).toEqual(packages);
  });

  it("the comparison sees a difference in an attribute (it is not blind)", () => {
    const a = loadGenAIFixture("0.21");
    const b = structuredClone(a) as unknown as {
      scenarios: Record<string, { spans: { attributes: Record<string, unknown> }[] }>;
    };
    b.scenarios["chat"]!.spans[0]!.attributes["gen_ai.provider.name"] = "openai";
    expect(Object.fromEntries(spanDifferences(a, b as unknown as SpansFixture))).toEqual({
      "spans[].attributes.gen_ai.provider.name": new Set(['undefined → "openai"']),
    });
  });
});
