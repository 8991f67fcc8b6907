/**
 * The releases of `@opentelemetry/instrumentation-openai` this workspace installs side by side (npm aliases), and
 * which of them the running Node supports.
 *
 * - 0.22 (installed under its own name): the newest; needs Node ≥ 22.15 and `@opentelemetry/api` 1.10 (peer), so npm
 *   nests it with `@opentelemetry/instrumentation` 0.300 and api 1.10 in this workspace's node_modules, while the
 *   rest of the repo keeps the lockfile's api 1.9.
 * - 0.21 (alias `instrumentation-openai-0.21`): the newest release for Node 20 and api 1.9; kept while the repo
 *   supports Node 20.
 *
 * Support is read from each installed package's own `engines.node`, not restated here.
 */
import semver from "semver";
import type { Instrumentation, InstrumentationConfig } from "@opentelemetry/instrumentation";
import { installedPackage, type InstalledPackage } from "./installed.js";

/**
 * The `openai` SDK the GenAI captures run: an npm alias of the newest 6.x, since both releases instrument
 * `openai` `>=4.19.0 <7` only (the OpenInference capture runs the newest SDK, `openai` itself).
 */
export const GENAI_OPENAI = "openai-6";

/** Newest first. */
export const GENAI_RELEASES = ["0.22", "0.21"] as const;
export type GenAIRelease = (typeof GENAI_RELEASES)[number];

const INSTALL_NAMES: Readonly<Record<GenAIRelease, string>> = {
  "0.22": "@opentelemetry/instrumentation-openai",
  "0.21": "instrumentation-openai-0.21",
};

export interface GenAIReleaseInfo {
  readonly name: GenAIRelease;
  /** The folder name under node_modules (an npm alias for older releases). */
  readonly installName: string;
  /** The installed version, e.g. `0.22.0`. */
  readonly version: string;
  /** Its `engines.node`. */
  readonly nodeRange: string;
  /** Its peer range of `@opentelemetry/api`. */
  readonly apiRange: string;
  /** Whether `process.versions.node` satisfies {@link nodeRange}. */
  readonly supportedHere: boolean;
  readonly installed: InstalledPackage;
  /** "@opentelemetry/instrumentation-openai 0.22.0 (needs Node >=22.15.0)" */
  describe(): string;
}

export function genaiRelease(name: GenAIRelease): GenAIReleaseInfo {
  const installName = INSTALL_NAMES[name];
  if (installName === undefined)
    throw new Error(
      `real-spans: no release "${String(name)}" of @opentelemetry/instrumentation-openai is installed (have ${GENAI_RELEASES.join(", ")})`,
    );
  const installed = installedPackage(installName);
  const nodeRange = installed.json.engines?.["node"] ?? "*";
  const apiRange = installed.json.peerDependencies?.["@opentelemetry/api"] ?? "*";
  return {
    name,
    installName,
    version: installed.version,
    nodeRange,
    apiRange,
    supportedHere: semver.satisfies(process.versions.node, nodeRange),
    installed,
    describe: () => `@opentelemetry/instrumentation-openai ${installed.version} (needs Node ${nodeRange})`,
  };
}

/** The releases whose `engines.node` the running Node satisfies, newest first. */
export function genaiReleasesForThisNode(): GenAIRelease[] {
  return GENAI_RELEASES.filter((name) => genaiRelease(name).supportedHere);
}

/** The newest release the running Node supports. */
export function defaultGenAIRelease(): GenAIRelease {
  const [newest] = genaiReleasesForThisNode();
  if (newest === undefined) {
    throw new Error(
      `real-spans: Node ${process.version} runs none of ${GENAI_RELEASES.map((n) => genaiRelease(n).describe()).join(", ")}`,
    );
  }
  return newest;
}

type InstrumentationClass = new (
  config?: InstrumentationConfig & { captureMessageContent?: boolean },
) => Instrumentation;

/**
 * Imports a release's `OpenAIInstrumentation`. Refuses one the running Node does not support: upstream declares
 * what it was built and tested for, and spans from an unsupported runtime would not be what its users get.
 */
export async function loadGenAIInstrumentation(
  name: GenAIRelease,
): Promise<{ OpenAIInstrumentation: InstrumentationClass }> {
  const release = genaiRelease(name);
  if (!release.supportedHere)
    throw new Error(
      `real-spans: ${release.describe()} does not support Node ${process.version}; this Node runs ${genaiReleasesForThisNode().join(", ") || "none of them"}`,
    );
  // Literal specifiers, so bundlers and vitest see both.
  const module =
    name === "0.22"
      ? await import("@opentelemetry/instrumentation-openai")
      : await import("instrumentation-openai-0.21");
  return module as unknown as { OpenAIInstrumentation: InstrumentationClass };
}

/** Name → version of the packages that shape a release's spans, each resolved from where that release resolves it. */
export function genaiPackageVersions(name: GenAIRelease): Record<string, string> {
  const release = genaiRelease(name);
  const from = `${release.installed.dir}/`;
  return {
    "@opentelemetry/instrumentation-openai": release.version,
    "@opentelemetry/instrumentation": installedPackage("@opentelemetry/instrumentation", from).version,
    "@opentelemetry/semantic-conventions": installedPackage("@opentelemetry/semantic-conventions", from).version,
    "@opentelemetry/api": installedPackage("@opentelemetry/api", from).version,
    "@opentelemetry/sdk-trace-base": installedPackage("@opentelemetry/sdk-trace-base").version,
    openai: installedPackage(GENAI_OPENAI).version,
  };
}
