/**
 * The OTLP/gRPC server of `semtrace live-check`. OTLP export is one unary call,
 * `/opentelemetry.proto.collector.trace.v1.TraceService/Export`: an HTTP/2 POST of `application/grpc` whose body is
 * one length-prefixed `ExportTraceServiceRequest`, answered with an empty `ExportTraceServiceResponse` and a
 * `grpc-status` trailer. That is served here on `node:http2` (cleartext, prior knowledge, as OTLP exporters speak
 * to `http://` endpoints), so the CLI carries no gRPC library.
 *
 * Every limit of `LiveLimits` holds as for OTLP/HTTP, and the two share the body budget and the connection count:
 * connections (`--max-connections`), calls in progress per connection (`--max-streams`, the HTTP/2 setting), time to
 * a call's headers (`--header-timeout`: a connection with no call in progress for that long is closed) and to its
 * message (`--body-timeout`, or the call's `grpc-timeout` when sooner), message size declared and decompressed
 * (`--max-body-bytes`), bytes held (`--max-inflight-bytes`). Failures are answered as OTLP/gRPC asks: RESOURCE_EXHAUSTED
 * past a size cap (not retried), RESOURCE_EXHAUSTED with `RetryInfo` while the body budget is full and UNAVAILABLE
 * with `RetryInfo` over the connection cap or while stopping (retried after the delay), INVALID_ARGUMENT for a
 * malformed request, INTERNAL for a broken gRPC frame, UNIMPLEMENTED for another method or message encoding.
 * Each rejected call names its connection and stream.
 */
import {
  constants,
  createServer,
  type Http2Server,
  type Http2Session,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from "node:http2";
import { ClientGoneError, type SessionResources } from "./body.js";
import { GrpcFailure, receiveMessage } from "./grpc-message.js";
import { HttpError, grpcCodeOf } from "./http-policy.js";
import type { LiveLimits } from "./limits.js";
import { GRPC_CODE_NAMES, GrpcCode, encodeStatus } from "./rpc-status.js";
import { listenOn, type ReceiverEvents } from "./server.js";

export const EXPORT_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

/** What a RetryInfo asks clients to wait (seconds), as OTLP/HTTP's `Retry-After: 1`. */
const RETRY_DELAY_SECONDS = 1;
/** How long a connection being closed may linger (so the client reads its answer) before it is cut. */
const LINGER_MS = 1000;
/** The largest header block a call may send (as Node's HTTP/1 limit, 16 KiB). */
const MAX_HEADER_LIST_BYTES = 16 * 1024;
/** An empty `ExportTraceServiceResponse`, framed: not compressed, 0 bytes. */
const EMPTY_RESPONSE = Buffer.alloc(5);
const MAX_ERRORS_LISTED = 5;

export interface GrpcReceiverSettings {
  readonly host: string;
  readonly port: number;
  readonly limits: LiveLimits;
}

/** One HTTP/2 connection. */
interface Connection {
  readonly id: number;
  readonly session: Http2Session;
  /** Over --max-connections: every call on it is answered UNAVAILABLE, then it is closed. */
  readonly refused: boolean;
  /** Calls in progress. */
  active: number;
  /** Whether any call's headers arrived whole. */
  sawCall: boolean;
  idle?: NodeJS.Timeout | undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `grpc-message` is percent-encoded: bytes outside printable ASCII, and `%`. */
function percentEncode(message: string): string {
  let out = "";
  for (const byte of Buffer.from(message, "utf8"))
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}

const TIMEOUT_UNITS: Readonly<Record<string, number>> = {
  H: 3_600_000,
  M: 60_000,
  S: 1000,
  m: 1,
  u: 0.001,
  n: 0.000001,
};

/** `grpc-timeout`: up to 8 digits and a unit. */
function parseTimeout(text: string): number | undefined {
  const match = /^(\d{1,8})([HMSmun])$/.exec(text);
  return match ? Number(match[1]) * TIMEOUT_UNITS[match[2]!]! : undefined;
}

export class GrpcReceiver {
  /** Calls and connections turned away without being rejected records (exporters retry them), and connections closed early. */
  readonly turnedAway = { busy: 0, connections: 0, stopping: 0, slow: 0, protocolErrors: 0 };
  private readonly server: Http2Server;
  private readonly connections = new Set<Connection>();
  private readonly protocolErrors: string[] = [];
  private connectionIds = 0;
  private refusedConnections = 0;
  private stopping = false;
  /** Set when the connections left at the end are cut: calls cut then are not reported. */
  private cutting = false;

  constructor(
    private readonly settings: GrpcReceiverSettings,
    private readonly events: ReceiverEvents,
    private readonly resources: SessionResources,
  ) {
    const { limits } = settings;
    this.server = createServer({
      settings: { maxConcurrentStreams: limits.maxStreams, maxHeaderListSize: MAX_HEADER_LIST_BYTES },
    });
    this.server.on("session", (session: Http2Session) => this.admit(session));
    this.server.on("stream", (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => this.call(stream, headers));
  }

  /** Starts listening; resolves with the `http://host:port` endpoint OTLP/gRPC exporters are given. */
  listen(): Promise<string> {
    return listenOn(this.server, this.settings.port, this.settings.host);
  }

  /**
   * Stops accepting connections and tells every client so (GOAWAY); calls in progress get `graceMs` to finish, then
   * every connection is closed (calls cut then are not reported). Resolves once all are closed.
   */
  stop(graceMs: number): Promise<void> {
    this.stopping = true;
    return new Promise<void>((resolveStop) => {
      this.server.close(() => resolveStop());
      for (const connection of this.connections) {
        clearTimeout(connection.idle);
        connection.session.close();
      }
      setTimeout(() => {
        this.cutting = true;
        for (const connection of this.connections) connection.session.destroy();
      }, graceMs).unref();
    });
  }

  /** One line per kind of call or connection turned away or closed early, for the end of the session. */
  turnedAwayNotes(): string[] {
    const notes: string[] = [];
    const { busy, connections, stopping, slow, protocolErrors } = this.turnedAway;
    const { limits } = this.settings;
    if (busy > 0)
      notes.push(
        `${plural(busy, "gRPC call")} answered RESOURCE_EXHAUSTED with RetryInfo while request bodies held --max-inflight-bytes (${limits.maxInflightBytes}); exporters that follow OTLP retry them`,
      );
    if (connections > 0)
      notes.push(
        `${plural(connections, "gRPC connection")} answered UNAVAILABLE with RetryInfo while --max-connections (${limits.maxConnections}) were open; exporters retry them`,
      );
    if (stopping > 0) notes.push(`${plural(stopping, "gRPC call")} answered UNAVAILABLE while live-check was stopping`);
    if (slow > 0)
      notes.push(
        `${plural(slow, "gRPC connection")} closed after --header-timeout (${limits.headerTimeoutMs / 1000} s) without a complete call`,
      );
    if (protocolErrors > 0)
      notes.push(
        `${plural(protocolErrors, "gRPC connection")} closed for HTTP/2 errors (${this.protocolErrors.join("; ")}${protocolErrors > this.protocolErrors.length ? "; …" : ""})`,
      );
    return notes;
  }

  /** Every connection is counted (with OTLP/HTTP's); past the cap its calls are answered UNAVAILABLE and it is closed. */
  private admit(session: Http2Session): void {
    const id = ++this.connectionIds;
    const resources = this.resources;
    const refused = resources.openConnections >= this.settings.limits.maxConnections;
    session.on("error", (error: NodeJS.ErrnoException) => {
      if (this.cutting) return;
      this.turnedAway.protocolErrors++;
      if (this.protocolErrors.length < MAX_ERRORS_LISTED)
        this.protocolErrors.push(`connection ${id}: ${describeSessionError(error)}`);
    });
    if (refused) {
      this.turnedAway.connections++;
      // Refused connections linger a moment so the client reads the answer; past as many again, they are cut at once.
      if (this.refusedConnections >= this.settings.limits.maxConnections) {
        session.destroy();
        return;
      }
      this.refusedConnections++;
      session.once("close", () => this.refusedConnections--);
      setTimeout(() => session.destroy(), LINGER_MS).unref();
    } else {
      resources.openConnections++;
      session.once("close", () => resources.openConnections--);
    }
    const connection: Connection = { id, session, refused, active: 0, sawCall: false };
    this.connections.add(connection);
    session.once("close", () => {
      clearTimeout(connection.idle);
      this.connections.delete(connection);
    });
    (session as Http2Session & { connection?: Connection }).connection = connection;
    if (!refused) this.idleFrom(connection);
  }

  /** A connection with no call in progress is closed after --header-timeout (an idle exporter reconnects when it next exports). */
  private idleFrom(connection: Connection): void {
    clearTimeout(connection.idle);
    connection.idle = setTimeout(() => {
      if (connection.active > 0) return;
      if (!connection.sawCall) this.turnedAway.slow++;
      connection.session.close();
      setTimeout(() => connection.session.destroy(), LINGER_MS).unref();
    }, this.settings.limits.headerTimeoutMs);
  }

  private call(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on("error", () => {});
    const connection = (stream.session as (Http2Session & { connection?: Connection }) | undefined)?.connection;
    if (!connection) {
      stream.close(constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    const { limits } = this.settings;
    if (connection.refused) {
      this.answer(
        stream,
        new GrpcFailure(
          GrpcCode.UNAVAILABLE,
          `live-check has ${this.resources.openConnections} connections open, its limit (--max-connections); retry later`,
          "busy",
          true,
        ),
      );
      connection.session.close();
      return;
    }
    connection.sawCall = true;
    connection.active++;
    clearTimeout(connection.idle);
    stream.once("close", () => {
      if (--connection.active === 0 && !this.stopping) this.idleFrom(connection);
    });
    if (this.stopping) {
      this.turnedAway.stopping++;
      this.answer(stream, new GrpcFailure(GrpcCode.UNAVAILABLE, "live-check is stopping", "busy", true));
      return;
    }
    const request = this.resources.nextRequest();
    const place = `gRPC connection ${connection.id}, stream ${stream.id}`;
    void this.serve(stream, headers, request, limits).catch((error: unknown) => {
      let failure: GrpcFailure;
      if (error instanceof ClientGoneError) {
        if (!this.cutting) this.events.reject(request, `${error.message} (${place})`, "client went away");
        return;
      }
      if (error instanceof GrpcFailure) failure = error;
      else if (error instanceof HttpError)
        failure = new GrpcFailure(
          grpcCodeOf(error.status),
          error.message,
          error.status === 503 ? "busy" : error.category,
          error.status === 503,
        );
      else failure = new GrpcFailure(GrpcCode.INTERNAL, (error as Error).message, "server error");
      if (failure.category === "busy") this.turnedAway.busy++;
      else
        this.events.reject(
          request,
          `${GRPC_CODE_NAMES[failure.code]}: ${failure.message} (${place})`,
          failure.category,
        );
      this.answer(stream, failure);
    });
  }

  /** Checks a call's headers, receives its message and has it checked; throws what the call is refused with. */
  private async serve(
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    request: number,
    limits: LiveLimits,
  ): Promise<void> {
    const path = headers[":path"] ?? "";
    const contentType = String(headers["content-type"] ?? "");
    if (!/^application\/grpc(\+proto)?(;|$)/i.test(contentType.trim())) {
      // Not gRPC at all: the gRPC spec asks for HTTP 415.
      throw new GrpcFailure(
        GrpcCode.INVALID_ARGUMENT,
        `unsupported content-type '${contentType}' on live-check's OTLP/gRPC port: expected application/grpc (OTLP/HTTP goes to the other port, /v1/traces)`,
        "unsupported media type",
      );
    }
    if (headers[":method"] !== "POST" || path !== EXPORT_PATH) {
      throw new GrpcFailure(
        GrpcCode.UNIMPLEMENTED,
        `unknown method ${headers[":method"]} ${path}: live-check serves ${EXPORT_PATH.slice(1)} (traces only)`,
        "invalid request",
      );
    }
    const encoding = String(headers["grpc-encoding"] ?? "identity")
      .trim()
      .toLowerCase();
    if (encoding !== "identity" && encoding !== "gzip")
      throw new GrpcFailure(
        GrpcCode.UNIMPLEMENTED,
        `unsupported grpc-encoding '${encoding}': expected gzip or identity`,
        "unsupported media type",
      );
    let deadline: { ms: number; text: string } | undefined;
    const timeout = headers["grpc-timeout"];
    if (timeout !== undefined) {
      const ms = parseTimeout(String(timeout));
      if (ms === undefined)
        throw new GrpcFailure(
          GrpcCode.INVALID_ARGUMENT,
          `malformed grpc-timeout '${String(timeout).slice(0, 40)}': expected up to 8 digits and a unit (H, M, S, m, u or n)`,
          "invalid request",
        );
      deadline = { ms, text: String(timeout) };
    }
    const body = await receiveMessage(stream, encoding === "gzip", limits, this.resources.budget, deadline);
    try {
      await this.events.receive(body.bytes, "protobuf", request);
    } finally {
      body.release();
    }
    this.answer(stream);
  }

  /**
   * Answers a call: the empty response and `grpc-status: 0`, or a failure as a trailers-only response (with RetryInfo
   * when the client should retry). A message still arriving is cut with RST_STREAM(NO_ERROR), as gRPC servers do.
   */
  private answer(stream: ServerHttp2Stream, failure?: GrpcFailure): void {
    if (stream.destroyed || stream.closed || stream.headersSent) return;
    if (!failure) {
      stream.respond(
        { ":status": 200, "content-type": "application/grpc", "grpc-accept-encoding": "identity,gzip" },
        { waitForTrailers: true },
      );
      stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(EMPTY_RESPONSE);
      return;
    }
    const trailers: Record<string, string | number> = {
      ":status":
        failure.category === "unsupported media type" && failure.code === GrpcCode.INVALID_ARGUMENT ? 415 : 200,
      "content-type": "application/grpc",
      "grpc-status": String(failure.code),
      "grpc-message": percentEncode(failure.message),
    };
    if (failure.code === GrpcCode.UNIMPLEMENTED) trailers["grpc-accept-encoding"] = "identity,gzip";
    if (failure.retry)
      trailers["grpc-status-details-bin"] = encodeStatus(failure.code, failure.message, RETRY_DELAY_SECONDS).toString(
        "base64",
      );
    const respond = () => {
      if (!stream.destroyed && !stream.closed && !stream.headersSent) stream.respond(trailers, { endStream: true });
    };
    if (stream.readableEnded) return respond();
    if (failure.code === GrpcCode.DEADLINE_EXCEEDED) {
      // Too slow already: answered, and cut a moment later (the client reads its answer, then the stream is reset).
      respond();
      setTimeout(() => stream.close(constants.NGHTTP2_CANCEL), LINGER_MS).unref();
      return;
    }
    // A message over --max-body-bytes will be cut before it ends: its answer goes first, for the client to read if it can.
    const answerFirst = failure.code === GrpcCode.RESOURCE_EXHAUSTED && !failure.retry;
    if (answerFirst) respond();
    this.drain(stream, answerFirst ? undefined : respond);
  }

  /**
   * The rest of a refused call's message is read and dropped, and the answer sent once it has all arrived (as
   * OTLP/HTTP does): answered earlier, a client still writing a large message lost its answer (Node's HTTP/2 client
   * reset the stream with ENHANCE_YOUR_CALM, in the test of 64 × 16 MiB calls). What is dropped is bounded as a
   * message is (--max-body-bytes, --body-timeout); past that the stream is reset.
   */
  private drain(stream: ServerHttp2Stream, then?: () => void): void {
    const { maxBodyBytes, bodyTimeoutMs } = this.settings.limits;
    let dropped = 0;
    const cut = setTimeout(() => stream.close(constants.NGHTTP2_CANCEL), bodyTimeoutMs);
    cut.unref();
    stream.on("data", (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > maxBodyBytes + 5) stream.close(constants.NGHTTP2_CANCEL);
    });
    stream.once("end", () => {
      clearTimeout(cut);
      then?.();
    });
    stream.once("close", () => clearTimeout(cut));
    stream.resume();
  }
}

function describeSessionError(error: NodeJS.ErrnoException): string {
  const text = `${error.message}${error.code ? ` (${error.code})` : ""}`;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
