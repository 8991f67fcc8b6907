import { flagHelp, wrapWords } from "../limits.js";
/** Caps on what fetching one dependency may cost: each is a flag of `semtrace generate` with this default. */
export interface FetchLimits {
  /** Bytes downloaded for one archive, or written by one git fetch (`--max-download-bytes`). */
  readonly maxDownloadBytes: number;
  /** Entries (files and folders) of one archive or checkout (`--max-archive-entries`). */
  readonly maxArchiveEntries: number;
  /** Bytes of one archive's or checkout's files once extracted (`--max-extracted-bytes`). */
  readonly maxExtractedBytes: number;
  /** Milliseconds one download or git fetch may take (`--fetch-timeout`, in seconds on the command line). */
  readonly timeoutMs: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  // OpenTelemetry's semantic-conventions repository at a tag is ~6 MiB zipped, ~40 MiB and ~3,000 files unpacked.
  maxDownloadBytes: 64 * 1024 * 1024,
  maxArchiveEntries: 20_000,
  maxExtractedBytes: 256 * 1024 * 1024,
  timeoutMs: 120_000,
};

export function fetchLimits(given: Partial<FetchLimits> = {}): FetchLimits {
  return { ...DEFAULT_FETCH_LIMITS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
}

/**
 * Unpacks the archive `file` (`display` is how the dependency names it) into the folder `target`, within `limits`;
 * throws `FetchRefused` for an unsafe entry or a cap. @semtrace/codegen supplies one (`unpackArchive`, on yauzl and
 * tar-stream); @semtrace/spec itself needs only `yaml`, so it has none of its own.
 */
export type ArchiveUnpacker = (
  file: string,
  format: "zip" | "tar.gz",
  display: string,
  target: string,
  limits: FetchLimits,
) => Promise<void>;

/** A fetch that went over a cap or met an unsafe archive: reported with its own diagnostic id. */
export class FetchRefused extends Error {
  constructor(
    readonly id: "dependency.too-large" | "dependency.unsafe-path",
    message: string,
  ) {
    super(message);
  }
}

/** The caps' flags: bytes and counts as whole numbers, the timeout in seconds. */
const FETCH_LIMIT_FLAGS: readonly {
  readonly flag: string;
  readonly limit: keyof FetchLimits;
  readonly scale: number;
  readonly help: string;
}[] = [
  {
    flag: "max-download-bytes",
    limit: "maxDownloadBytes",
    scale: 1,
    help: "Bytes one archive download or git fetch may have",
  },
  {
    flag: "max-archive-entries",
    limit: "maxArchiveEntries",
    scale: 1,
    help: "Files and folders one archive or checkout may hold",
  },
  {
    flag: "max-extracted-bytes",
    limit: "maxExtractedBytes",
    scale: 1,
    help: "Bytes one archive or checkout may unpack to",
  },
  { flag: "fetch-timeout", limit: "timeoutMs", scale: 1000, help: "Seconds one download or git fetch may take" },
];

export const FETCH_LIMIT_OPTIONS = Object.fromEntries(
  FETCH_LIMIT_FLAGS.map(({ flag }) => [flag, { type: "string" as const }]),
) as Record<string, { type: "string" }>;

export function parseFetchLimitFlags(values: Readonly<Record<string, unknown>>): Partial<FetchLimits> | string {
  const out: { -readonly [K in keyof FetchLimits]?: number } = {};
  for (const { flag, limit, scale } of FETCH_LIMIT_FLAGS) {
    const text = values[flag];
    if (text === undefined) continue;
    // Digits only, as the YAML caps take them: no `1e6`, `0x10` or blanks that `Number` would read.
    const n = typeof text === "string" && /^[1-9]\d*$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(n * scale))
      return `--${flag} expects a whole number of at least 1, found '${String(text)}'`;
    out[limit] = n * scale;
  }
  return out;
}

export function fetchLimitsHelp(column: number): string {
  return flagHelp(
    FETCH_LIMIT_FLAGS.map(
      ({ flag, limit, scale, help }) =>
        [`--${flag} <n>`, wrapWords(`${help} (default\u00a0${DEFAULT_FETCH_LIMITS[limit] / scale}).`, column)] as const,
    ),
    column,
  );
}
