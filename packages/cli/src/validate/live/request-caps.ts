/**
 * Counting what a request carries while it is decoded, so a request over a cap is refused before the rest of it
 * is built in memory.
 */

/** The request carries more than a cap allows (answered 413). */
export class RequestCapError extends Error {
  constructor(
    readonly what: "spans" | "attribute values",
    readonly cap: number,
    readonly flag: string,
  ) {
    super(`request carries more than ${cap.toLocaleString("en-US")} ${what}, the cap per request (${flag}); send smaller batches (e.g. the SDK's maxExportBatchSize) or raise the cap`);
  }
}

export interface RequestCaps {
  readonly maxRequestSpans: number;
  readonly maxRequestAttributes: number;
}

/** Spans and attribute values (array elements and map entries included) seen so far in one request. */
export class RequestCounter {
  spans = 0;
  values = 0;
  constructor(private readonly caps: RequestCaps) {}

  span(): void {
    if (++this.spans > this.caps.maxRequestSpans) throw new RequestCapError("spans", this.caps.maxRequestSpans, "--max-request-spans");
  }

  value(): void {
    if (++this.values > this.caps.maxRequestAttributes) throw new RequestCapError("attribute values", this.caps.maxRequestAttributes, "--max-request-attributes");
  }
}
