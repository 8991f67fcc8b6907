/**
 * Receiving the one message of a unary gRPC call within live-check's limits: the 5-byte frame header (compressed
 * flag, length), the message's size declared and decompressed (`--max-body-bytes`), the bytes all connections hold
 * together (`--max-inflight-bytes`, shared with OTLP/HTTP), and the time the client takes (`--body-timeout`, or the
 * call's own `grpc-timeout` when it is sooner). Each refusal is a `GrpcFailure` that says which limit or which rule
 * of the gRPC wire format, and what was received.
 */
import { constants, type ServerHttp2Stream } from "node:http2";
import { createGunzip } from "node:zlib";
import { ClientGoneError, type ByteBudget, type ReceivedBody } from "./body.js";
import { GrpcCode } from "./rpc-status.js";

/** A call refused with a gRPC status. `retry`: the answer carries RetryInfo (the client should come back). */
export class GrpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** The kind of problem, for the report's rejected records. */
    readonly category: string,
    readonly retry = false,
  ) {
    super(message);
  }
}

/** How long a call whose message ended short waits for the reset that says it was cancelled (ms). */
const CANCEL_GRACE_MS = 50;

/** The gRPC frame header: a compressed-flag byte and a 4-byte big-endian length. */
const HEADER_BYTES = 5;

export interface MessageLimits {
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
}

function bytes(n: number): string {
  return `${n.toLocaleString("en-US")} byte${n === 1 ? "" : "s"}`;
}

export function busyFailure(budget: ByteBudget): GrpcFailure {
  return new GrpcFailure(
    GrpcCode.RESOURCE_EXHAUSTED,
    `live-check holds ${bytes(budget.held)} of request messages, its limit (--max-inflight-bytes ${budget.cap}); retry later`,
    "busy",
    true,
  );
}

/**
 * Reads the call's message from `stream`. `gzip`: the call's `grpc-encoding` is gzip, so a message flagged compressed
 * is decompressed (a flagged message without it is a protocol error). `deadlineMs`: the client's `grpc-timeout`, if
 * sooner than `--body-timeout`. Throws `GrpcFailure`, or `ClientGoneError` when the client cancels the call.
 */
export function receiveMessage(
  stream: ServerHttp2Stream,
  gzip: boolean,
  limits: MessageLimits,
  budget: ByteBudget,
  deadline?: { ms: number; text: string },
): Promise<ReceivedBody> {
  const { maxBodyBytes } = limits;
  let held = 0;
  const release = () => {
    budget.give(held);
    held = 0;
  };
  const hold = (n: number): boolean => {
    if (!budget.take(n)) return false;
    held += n;
    return true;
  };

  return new Promise<ReceivedBody>((resolve, reject) => {
    const header = Buffer.alloc(HEADER_BYTES);
    let headerBytes = 0;
    let message: Buffer | undefined;
    let filled = 0;
    let compressed = false;
    let received = 0;
    let settled = false;
    const finish = (error: Error | undefined, body?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("close", onClose);
      if (error) {
        release();
        reject(error);
      } else resolve({ bytes: body!, release });
    };
    const progress = () =>
      message ? `${bytes(filled)} of the ${bytes(message.length)} its message declared` : `${bytes(received)}`;
    const useDeadline = deadline !== undefined && deadline.ms < limits.bodyTimeoutMs;
    const timer = setTimeout(
      () =>
        finish(
          new GrpcFailure(
            GrpcCode.DEADLINE_EXCEEDED,
            useDeadline
              ? `the call's deadline (grpc-timeout ${deadline.text}) passed before its message was complete: ${progress()} received`
              : `request message not complete within ${limits.bodyTimeoutMs / 1000} s (--body-timeout): ${progress()} received`,
            "timeout",
          ),
        ),
      useDeadline ? deadline.ms : limits.bodyTimeoutMs,
    );
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      let at = 0;
      if (message === undefined) {
        const take = Math.min(HEADER_BYTES - headerBytes, chunk.length);
        chunk.copy(header, headerBytes, 0, take);
        headerBytes += take;
        at = take;
        if (headerBytes < HEADER_BYTES) return;
        const flag = header[0]!;
        const length = header.readUInt32BE(1);
        if (flag > 1)
          return finish(
            new GrpcFailure(
              GrpcCode.INTERNAL,
              `invalid message header: compressed flag ${flag} (0 or 1 expected); is this a gRPC client?`,
              "malformed gRPC",
            ),
          );
        if (flag === 1 && !gzip)
          return finish(
            new GrpcFailure(
              GrpcCode.INTERNAL,
              "the message is flagged compressed, but the call's grpc-encoding is identity (send grpc-encoding: gzip)",
              "malformed gRPC",
            ),
          );
        if (length > maxBodyBytes)
          return finish(
            new GrpcFailure(
              GrpcCode.RESOURCE_EXHAUSTED,
              `request message of ${bytes(length)} is over the limit of ${bytes(maxBodyBytes)} (--max-body-bytes)`,
              "over a limit",
            ),
          );
        // The declared length is held at once: a message that cannot fit is answered before it is read.
        if (!hold(length)) return finish(busyFailure(budget));
        compressed = flag === 1;
        message = Buffer.allocUnsafe(length);
      }
      const rest = chunk.length - at;
      if (filled + rest > message.length) {
        return finish(
          new GrpcFailure(
            GrpcCode.INTERNAL,
            `a second message began at byte ${HEADER_BYTES + message.length} of the call: Export is a unary call and takes one message`,
            "malformed gRPC",
          ),
        );
      }
      chunk.copy(message, filled, at);
      filled += rest;
    };
    // A client cancelling a call (Node's and grpc-js's `stream.close(CANCEL)`) ends its side of the stream, then resets
    // it: a message cut short is reported a moment later, once a reset that follows has had time to arrive, so a
    // cancelled call is not reported as a short message.
    const onEnd = () => {
      if (message !== undefined && filled === message.length) return ended();
      setTimeout(ended, CANCEL_GRACE_MS).unref();
    };
    const ended = () => {
      if (cancelled()) return onClose();
      if (message === undefined) {
        return finish(
          new GrpcFailure(
            GrpcCode.INTERNAL,
            headerBytes === 0
              ? "the call ended without a request message"
              : `the call ended ${bytes(headerBytes)} into the 5-byte message header: the message is truncated`,
            "malformed gRPC",
          ),
        );
      }
      if (filled < message.length)
        return finish(
          new GrpcFailure(
            GrpcCode.INTERNAL,
            `the call ended after ${progress()}: the message is truncated`,
            "malformed gRPC",
          ),
        );
      if (!compressed) return finish(undefined, message);
      gunzipWithin(message, maxBodyBytes, hold).then(
        (plain) => {
          // Only the decompressed message stays held.
          budget.give(message!.length);
          held -= message!.length;
          finish(undefined, plain);
        },
        (error: Error) => finish(error === BUSY ? busyFailure(budget) : error),
      );
    };
    // 'close' before 'end': the client reset the stream (cancelled the call) or the connection went.
    const cancelled = () =>
      stream.aborted || (stream.rstCode !== undefined && stream.rstCode !== constants.NGHTTP2_NO_ERROR);
    const onClose = () => {
      if (!stream.readableEnded || cancelled())
        finish(
          new ClientGoneError(
            `the client cancelled the call (RST_STREAM code ${stream.rstCode ?? "none"}) after ${progress()}`,
          ),
        );
    };
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("close", onClose);
  });
}

/** Thrown inside `gunzipWithin` when the budget cannot hold more output. */
const BUSY = new Error("busy");

/** Decompresses a gzip message, holding each output chunk in the budget, and stopping past `maxBytes` of output. */
function gunzipWithin(input: Buffer, maxBytes: number, hold: (n: number) => boolean): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const gunzip = createGunzip();
    const parts: Buffer[] = [];
    let size = 0;
    let done = false;
    const stop = (error: Error) => {
      if (done) return;
      done = true;
      gunzip.removeAllListeners("data");
      gunzip.destroy();
      reject(error);
    };
    gunzip.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes)
        return stop(
          new GrpcFailure(
            GrpcCode.RESOURCE_EXHAUSTED,
            `decompressed request message is over the limit of ${bytes(maxBytes)} (--max-body-bytes)`,
            "over a limit",
          ),
        );
      if (!hold(chunk.length)) return stop(BUSY);
      parts.push(chunk);
    });
    gunzip.once("error", (error) =>
      stop(new GrpcFailure(GrpcCode.INTERNAL, `invalid gzip message: ${error.message}`, "invalid gzip")),
    );
    gunzip.once("end", () => {
      if (done) return;
      done = true;
      resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    });
    gunzip.end(input);
  });
}
