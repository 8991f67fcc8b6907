/**
 * Counting what a request carries while it is decoded, so a request over a cap is refused before the rest of it
 * is built in memory. A span's values are counted as `SPAN_VALUES` defines them, in either encoding: the JSON
 * decoder counts them in the text before it builds them, the protobuf one as `decodeSpan` reads them.
 */
import { SPAN_VALUES } from "../otlp.js";
import { jsonDepthFor } from "../limits.js";

/** The request carries more than a cap allows (answered 413). */
export class RequestCapError extends Error {
  constructor(
    readonly what: "spans" | "values",
    readonly per: "request" | "span",
    readonly cap: number,
    readonly flag: string,
    /** The span where the cap was passed (`resourceSpans[0].scopeSpans[1].spans[7]`), once known. */
    readonly at = "",
  ) {
    const advice =
      per === "request"
        ? "send smaller batches (e.g. the SDK's maxExportBatchSize) or raise the cap"
        : "record fewer values on the span (e.g. the SDK's attributeCountLimit and eventCountLimit) or raise the cap";
    const carried = what === "spans" ? "spans" : SPAN_VALUES;
    super(
      `${at ? `${at}: ` : ""}${per === "request" ? "the request" : "a span"} carries more than ${cap.toLocaleString("en-US")} ${carried}, the cap per ${per} (${flag}); ${advice}`,
    );
  }

  /** The same error, naming the span where the cap was passed. */
  withPlace(span: string): RequestCapError {
    return this.at ? this : new RequestCapError(this.what, this.per, this.cap, this.flag, span);
  }
}

export interface RequestCaps {
  readonly maxRequestSpans: number;
  readonly maxRequestAttributes: number;
  readonly maxSpanValues: number;
  /** How deeply attribute values (`arrayValue`, `kvlistValue`) may nest. */
  readonly maxDepth: number;
}

/** Spans and values (`SPAN_VALUES`) seen so far in one request, and in its current span. */
export class RequestCounter {
  spans = 0;
  values = 0;
  private spanValues = 0;
  /** The JSON nesting a body may have for its attribute values to nest `maxDepth` deep. */
  readonly jsonDepth: number;
  constructor(readonly caps: RequestCaps) {
    this.jsonDepth = jsonDepthFor(caps.maxDepth);
  }

  /** A span begins. */
  span(): void {
    this.spanValues = 0;
    if (++this.spans > this.caps.maxRequestSpans)
      throw new RequestCapError("spans", "request", this.caps.maxRequestSpans, "--max-request-spans");
  }

  /** One value of the current span. */
  value(): void {
    if (++this.spanValues > this.caps.maxSpanValues)
      throw new RequestCapError("values", "span", this.caps.maxSpanValues, "--max-span-values");
    if (++this.values > this.caps.maxRequestAttributes)
      throw new RequestCapError("values", "request", this.caps.maxRequestAttributes, "--max-request-attributes");
  }
}

/** Runs `read` (the decoding of one span); a cap it passes is reported at that span. */
export function atSpan<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof RequestCapError ? error.withPlace(path) : error;
  }
}
