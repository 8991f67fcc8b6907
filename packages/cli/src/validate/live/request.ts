/**
 * One received request body → its spans' findings, in slices of a few milliseconds: decoding yields between two
 * spans and validation between two groups of spans when the slice is up, so a large request never holds the event loop (other
 * connections, timers, `--timeout`) for longer than a slice. The whole request is decoded before any span is
 * validated, so a request rejected anywhere (bad JSON or protobuf, a wrong shape, a cap) adds nothing to the report.
 */
import type { RegistryValidator } from "@semtrace/runtime";
import { checkSpans } from "../batch.js";
import type { InputSpan } from "../otlp.js";
import type { ReportFinding } from "../report.js";
import type { SpanTally } from "../tally.js";
import { jsonRequestSpans } from "./json-request.js";
import { protobufRequestSpans } from "./protobuf-request.js";
import { RequestCounter, type RequestCaps } from "./request-caps.js";

export type BodyFormat = "json" | "protobuf";

/**
 * Decodes a request body into its spans (throws `JsonBodyError`, `ProtobufError`, `ShapeError`, `RequestCapError`),
 * yielding between two spans whenever `due()` says so (default: never).
 */
export function requestSpans(
  body: Uint8Array,
  format: BodyFormat,
  caps: RequestCaps,
  due: () => boolean = () => false,
): Generator<void, InputSpan[]> {
  const counter = new RequestCounter(caps);
  return format === "json" ? jsonRequestSpans(body, counter, due) : protobufRequestSpans(body, counter, due);
}

/** How long work runs before it lets the event loop serve others. */
export const SLICE_MS = 10;

/** Cooperative time slices: long work asks `due()` between steps and awaits `pause()` when it is. */
export class TimeSlices {
  private started = performance.now();
  constructor(private readonly sliceMs = SLICE_MS) {}
  due(): boolean {
    return performance.now() - this.started >= this.sliceMs;
  }
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.started = performance.now();
  }
}

/** Spans validated between two looks at the clock. */
const SPANS_PER_STEP = 16;

/**
 * Decodes and validates one request body; every finding goes to `emit`, once the whole body has decoded, and `tally`
 * counts which registries judged each span. Resolves with the number of spans.
 */
export async function checkRequest(
  body: Uint8Array,
  format: BodyFormat,
  caps: RequestCaps,
  registries: readonly RegistryValidator[],
  emit: (finding: ReportFinding) => void,
  tally?: SpanTally,
  maxContentChars?: number,
): Promise<number> {
  const slices = new TimeSlices();
  // Spans are many: the clock is read every few of them.
  let sinceClock = 0;
  const decoding = requestSpans(body, format, caps, () => (++sinceClock & 7) === 0 && slices.due());
  let spans: InputSpan[];
  for (;;) {
    const step = decoding.next();
    if (step.done) {
      spans = step.value;
      break;
    }
    await slices.pause();
  }
  for (let i = 0; i < spans.length; i += SPANS_PER_STEP) {
    checkSpans(
      spans.length <= SPANS_PER_STEP ? spans : spans.slice(i, i + SPANS_PER_STEP),
      registries,
      emit,
      tally,
      maxContentChars,
    );
    if (slices.due()) await slices.pause();
  }
  return spans.length;
}
