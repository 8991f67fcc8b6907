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
  /** The line of the assertion (an inline snapshot) the attributes come from. */
  readonly line?: number;
  readonly cassette?: { readonly path: string; readonly commit: string };
}

/**
 * A finding that is the instrumentation's own, not a false one (a key its specification does not define, a SHOULD it
 * does not follow), with why. Validation must report exactly these errors and warnings for the span.
 */
export interface ExpectedFinding {
  readonly severity: "error" | "warning";
  readonly rule: string;
  readonly key: string;
  readonly why: string;
}

export interface ReplayedSpan {
  readonly name: string;
  readonly source: ReplayedSource;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Findings the span is known to get (none when absent); infos are not listed. */
  readonly expected?: readonly ExpectedFinding[];
  /** Attributes whose value the test leaves open (asserts presence or type only): the recorded value is representative. */
  readonly representative?: readonly string[];
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
    .map((file) => ({
      file,
      ...(JSON.parse(readFileSync(join(REPLAYED_DIR, file), "utf8")) as Omit<ReplayedFixture, "file">),
    }));
}
