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

/** A fetch that went over a cap or met an unsafe archive: reported with its own diagnostic id. */
export class FetchRefused extends Error {
  constructor(
    readonly id: "dependency.too-large" | "dependency.unsafe-path",
    message: string,
  ) {
    super(message);
  }
}
