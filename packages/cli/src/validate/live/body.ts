/**
 * Receiving a request body within its limits: its size (compressed and decompressed), the bytes all connections
 * hold together, and the time the client takes. Each refusal is an `HttpError` that says which limit and what was
 * received; a client that goes away mid-body is a `ClientGoneError`.
 */
import type { IncomingMessage } from "node:http";
import { createGunzip } from "node:zlib";
import { HttpError, RETRY_AFTER } from "./http-policy.js";

/** Body bytes held across every connection (received, decompressed, waiting to be checked), within a cap. */
export class ByteBudget {
  private used = 0;
  constructor(readonly cap: number) {}

  get held(): number {
    return this.used;
  }

  /** Takes `n` bytes if they fit under the cap. */
  take(n: number): boolean {
    if (this.used + n > this.cap) return false;
    this.used += n;
    return true;
  }

  give(n: number): void {
    this.used -= n;
  }
}

/**
 * What the receivers of one session (OTLP/HTTP and OTLP/gRPC) share: the body bytes held (`--max-inflight-bytes`
 * counts both), the connections open (`--max-connections` counts both), and the numbers of requests (`<request N>`
 * in the report, in the order they arrive, whichever the protocol).
 */
export class SessionResources {
  readonly budget: ByteBudget;
  openConnections = 0;
  private requests = 0;
  constructor(limits: { readonly maxInflightBytes: number }) {
    this.budget = new ByteBudget(limits.maxInflightBytes);
  }

  nextRequest(): number {
    return ++this.requests;
  }
}

/** The client closed the connection before its body was complete. */
export class ClientGoneError extends Error {}

export interface BodyLimits {
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
}

/** A received body and the budget it holds until `release()`. */
export interface ReceivedBody {
  readonly bytes: Buffer;
  release(): void;
}

function bytes(n: number): string {
  return `${n.toLocaleString("en-US")} byte${n === 1 ? "" : "s"}`;
}

/**
 * Reads `req`'s body (decompressing gzip as it arrives). Refuses with 413 past `maxBodyBytes` (compressed or
 * decompressed), 503 with Retry-After when the budget cannot hold it, 408 when it is not complete within
 * `bodyTimeoutMs` of the headers, 400 for bad gzip.
 */
export function receiveBody(
  req: IncomingMessage,
  gzip: boolean,
  limits: BodyLimits,
  budget: ByteBudget,
): Promise<ReceivedBody> {
  const { maxBodyBytes } = limits;
  const declared = req.headers["content-length"] === undefined ? undefined : Number(req.headers["content-length"]);
  if (declared !== undefined && declared > maxBodyBytes)
    return Promise.reject(
      new HttpError(
        413,
        `request body of ${bytes(declared)} is over the limit of ${bytes(maxBodyBytes)} (--max-body-bytes)`,
      ),
    );
  let held = 0;
  const hold = (n: number): boolean => {
    if (!budget.take(n)) return false;
    held += n;
    return true;
  };
  const release = () => {
    budget.give(held);
    held = 0;
  };
  const busy = () =>
    new HttpError(
      503,
      `live-check holds ${bytes(budget.held)} of request bodies, its limit (--max-inflight-bytes ${budget.cap}); retry later`,
      RETRY_AFTER,
    );
  // A declared length is held at once: a request that cannot fit is answered before it is read.
  if (declared !== undefined && !hold(declared)) return Promise.reject(busy());

  return new Promise<ReceivedBody>((resolve, reject) => {
    const parts: Buffer[] = [];
    // A declared, uncompressed body is copied into place as it comes: no copy of the whole at the end.
    const whole = declared !== undefined && !gzip ? Buffer.allocUnsafe(declared) : undefined;
    let received = 0;
    let decompressed = 0;
    let settled = false;
    const gunzip = gzip ? createGunzip() : undefined;
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
      if (gunzip) {
        gunzip.removeAllListeners("data");
        gunzip.destroy();
      }
      if (error) {
        release();
        reject(error);
      } else resolve({ bytes: whole ?? (parts.length === 1 ? parts[0]! : Buffer.concat(parts)), release });
    };
    const keep = (chunk: Buffer): boolean => {
      if (!hold(chunk.length)) {
        finish(busy());
        return false;
      }
      parts.push(chunk);
      return true;
    };
    const expected = () => (declared === undefined ? "" : ` of ${bytes(declared)}`);
    const timer = setTimeout(
      () =>
        finish(
          new HttpError(
            408,
            `request body not complete within ${limits.bodyTimeoutMs / 1000} s (--body-timeout): ${bytes(received)}${expected()} received`,
          ),
        ),
      limits.bodyTimeoutMs,
    );
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBodyBytes)
        return finish(
          new HttpError(413, `request body is over the limit of ${bytes(maxBodyBytes)} (--max-body-bytes)`),
        );
      if (whole) return void chunk.copy(whole, received - chunk.length);
      if (!gunzip) return void keep(chunk);
      // The compressed bytes are held while zlib works on them, then only the output is kept.
      if (declared === undefined && !hold(chunk.length)) return finish(busy());
      gunzip.write(chunk);
    };
    let ended = false;
    const onEnd = () => {
      ended = true;
      if (!gunzip) return finish(undefined);
      gunzip.end();
    };
    // 'close' also follows a complete body (while zlib may still be working on it): only before 'end' is the client gone.
    const onClose = () => {
      if (!ended)
        finish(
          new ClientGoneError(`the client closed the connection after ${bytes(received)}${expected()} of the body`),
        );
    };
    if (gunzip) {
      gunzip.on("data", (chunk: Buffer) => {
        decompressed += chunk.length;
        if (decompressed > maxBodyBytes)
          return finish(
            new HttpError(413, `decompressed body is over the limit of ${bytes(maxBodyBytes)} (--max-body-bytes)`),
          );
        keep(chunk);
      });
      gunzip.once("end", () => {
        // The compressed bytes are no longer needed: only the decompressed body stays held.
        const compressed = declared ?? received;
        budget.give(compressed);
        held -= compressed;
        finish(undefined);
      });
      gunzip.once("error", (error) =>
        finish(new HttpError(400, `invalid gzip body: ${error.message}`, {}, "invalid gzip")),
      );
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("close", onClose);
  });
}
