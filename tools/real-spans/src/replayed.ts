/**
 * Span attribute sets replayed from other projects' test suites (`test/fixtures/replayed/*.json`): what their tests
 * assert a span carries, recorded by hand with the source of every span named (repository, path, commit, test), for
 * instrumentations this repo cannot run (Python ones). Validated with both built-in registries by the CLI's tests.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES_DIR } from "./fixture.js";

export const REPLAYED_DIR = join(FIXTURES_DIR, "replayed");

export interface ReplayedSource {
  readonly repository: string;
  readonly path: string;
  readonly commit: string;
  readonly test: string;
  readonly cassette?: { readonly path: string; readonly commit: string };
}

export interface ReplayedSpan {
  readonly name: string;
  readonly source: ReplayedSource;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface ReplayedFixture {
  /** The file name, e.g. `otel-python-openai-v2.json`. */
  readonly file: string;
  readonly description: string;
  readonly spans: readonly ReplayedSpan[];
}

/** Every replayed fixture, by file name. */
export function loadReplayedFixtures(): ReplayedFixture[] {
  return readdirSync(REPLAYED_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, ...(JSON.parse(readFileSync(join(REPLAYED_DIR, file), "utf8")) as Omit<ReplayedFixture, "file">) }));
}
