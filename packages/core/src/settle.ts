// biome-ignore-all lint/suspicious/noExplicitAny: settles the result of a user's function of any type, whose type the public wrappers already carry.
/**
 * When a traced call's span ends, decided by what the call returned: at once for a plain value; when a real
 * promise settles; with the stream for generators, async iterables and readable streams (also inside a promise).
 * Any other thenable is left alone (see ./shape.ts): the span ends at return, saying the result was not awaited.
 */
import type { Context } from "@opentelemetry/api";
import { buildOutputAttributes, type Attributes } from "@semtrace/openinference";
import { shapeOf } from "./shape.js";
import type { SpanHandle } from "./span.js";
import { streamKind, traceStream, type StreamOptions } from "./stream.js";
import { swallowed } from "./swallowed.js";

/** Attributes semtrace writes about a traced call's result (outside the OpenInference namespaces). */
export const RESULT_ATTRIBUTES = {
  /**
   * `false` when the call returned a thenable that is not a Promise (a query builder, say): semtrace did not
   * `then` it (that would run it), so the span ended at return, without output or status.
   */
  AWAITED: "semtrace.result.awaited",
} as const;

/** What settling a result reads of the wrapper's options. */
export interface ResultOptions extends StreamOptions<any> {
  readonly processOutput?: (output: any, span: any) => Attributes | void;
  readonly captureOutput?: boolean;
}

/**
 * Ends `handle` when `result` is done and returns what the caller gets: `result` itself, except for a plain
 * `Promise` (the promise of the span's end) and a `ReadableStream` (an equivalent traced one). Never throws.
 */
export function settleResult<R>(
  handle: SpanHandle,
  result: R,
  options: ResultOptions | undefined,
  ctx: Context,
  capture: boolean,
): R {
  switch (shapeOf(result)) {
    case "promise":
      return settlePromise(handle, result as unknown as Promise<unknown>, options, ctx, capture) as R;
    case "promise-subclass":
      observeSubclass(handle, result as unknown as Promise<unknown>, options, ctx, capture);
      return result;
    case "thenable":
      handle.put(RESULT_ATTRIBUTES.AWAITED, false);
      handle.end();
      return result;
    default:
      return finishValue(handle, result, options, ctx, capture);
  }
}

/** A plain promise: the caller gets the promise of the span's end, so the span has ended when the caller resumes. */
function settlePromise(
  handle: SpanHandle,
  promise: Promise<unknown>,
  options: ResultOptions | undefined,
  ctx: Context,
  capture: boolean,
): Promise<unknown> {
  try {
    return promise.then(
      (value) => finishValue(handle, value, options, ctx, capture),
      (error: unknown) => {
        handle.recordError(error);
        handle.end();
        throw error;
      },
    );
  } catch (error) {
    // A `then` replaced on the promise object itself.
    swallowed("calling `then` on a returned promise threw, so its span ended at return", error);
    handle.end();
    return promise;
  }
}

/**
 * A Promise subclass (an SDK's API promise with methods of its own, such as `withResponse()`): the caller keeps
 * that very object, semtrace subscribes beside it. A `ReadableStream` it resolves to cannot be swapped for a
 * traced one (the caller reads the subclass's own value), so the span ends at resolution rather than at the
 * stream timeout; iterables are instrumented in place as usual.
 */
function observeSubclass(
  handle: SpanHandle,
  promise: Promise<unknown>,
  options: ResultOptions | undefined,
  ctx: Context,
  capture: boolean,
): void {
  try {
    promise.then(
      (value) => {
        if (streamKind(value) === "readable-stream") {
          handle.ok();
          handle.end();
        } else finishValue(handle, value, options, ctx, capture);
      },
      (error: unknown) => {
        handle.recordError(error);
        handle.end();
      },
    );
  } catch (error) {
    swallowed("calling `then` on a returned Promise subclass threw, so its span ended at return", error);
    handle.end();
  }
}

/** A value (or a promise's value): a stream ends the span when it finishes; anything else is the output, now. Never throws. */
export function finishValue<T>(
  handle: SpanHandle,
  value: T,
  options: ResultOptions | undefined,
  ctx: Context,
  capture: boolean,
): T {
  try {
    const kind = streamKind(value);
    if (kind !== undefined) {
      const traced = traceStream(value, kind, handle, options ?? {}, ctx);
      if (traced !== undefined) return traced;
    } else if (capture && handle.recording) recordOutput(handle, value, options);
    handle.ok();
  } catch (error) {
    swallowed("recording a traced call's result threw, so its span ended without its output", error);
  }
  handle.end();
  return value;
}

function recordOutput(handle: SpanHandle, value: unknown, options: ResultOptions | undefined): void {
  let processOutput: ResultOptions["processOutput"];
  try {
    if (options?.captureOutput === false || value === undefined) return;
    processOutput = options?.processOutput;
  } catch (error) {
    swallowed("the options' captureOutput or processOutput could not be read, so no output was recorded", error);
    return;
  }
  if (typeof processOutput !== "function") {
    handle.putAll(buildOutputAttributes({ value }));
    return;
  }
  let attributes: Attributes | undefined;
  try {
    attributes = processOutput.call(options, value, handle) as Attributes | undefined;
  } catch (error) {
    swallowed("processOutput threw, so no output was recorded", error);
    return;
  }
  if (attributes != null) handle.setAttributes(attributes);
}
