/**
 * Counting what a request carries while it is decoded, so a request over a cap is refused before the rest of it
 * is built in memory.
 */
import { jsonDepthFor } from "../limits.js";

/** The request carries more than a cap allows (answered 413). */
export class RequestCapError extends Error {
  constructor(
    readonly what: "spans" | "attribute values",
    readonly per: "request" | "span",
    readonly cap: number,
    readonly flag: string,
  ) {
    const advice = per === "request" ? "send smaller batches (e.g. the SDK's maxExportBatchSize) or raise the cap" : "record fewer values on the span (e.g. the SDK's attributeCountLimit) or raise the cap";
    super(`${per === "request" ? "request" : "a span"} carries more than ${cap.toLocaleString("en-US")} ${what}, the cap per ${per} (${flag}); ${advice}`);
  }
}

export interface RequestCaps {
  readonly maxRequestSpans: number;
  readonly maxRequestAttributes: number;
  readonly maxSpanValues: number;
  /** How deeply attribute values (`arrayValue`, `kvlistValue`) may nest. */
  readonly maxDepth: number;
}

/** Spans and attribute values (array elements and map entries included) seen so far in one request, and in its current span. */
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
    if (++this.spans > this.caps.maxRequestSpans) throw new RequestCapError("spans", "request", this.caps.maxRequestSpans, "--max-request-spans");
  }

  /** One attribute value of the current span. */
  value(): void {
    if (++this.spanValues > this.caps.maxSpanValues) throw new RequestCapError("attribute values", "span", this.caps.maxSpanValues, "--max-span-values");
    if (++this.values > this.caps.maxRequestAttributes) throw new RequestCapError("attribute values", "request", this.caps.maxRequestAttributes, "--max-request-attributes");
  }
}
