/**
 * The OTLP/HTTP server of `semtrace live-check`: `POST /v1/traces` with the OTLP media types, from processes (web
 * pages only with `--allow-origin`), within every limit of `LiveLimits`: connections, header and body time, body
 * size, the bytes all requests hold together. It hands each complete body to `receive` and answers as OTLP/HTTP
 * asks: 200 with an empty `ExportTraceServiceResponse`; failures with a `google.rpc.Status` in the request's
 * encoding; 429/503 with Retry-After only where retrying helps (the body budget, the connection cap), so exporters
 * retry those and drop what can never succeed (400, 413, 415).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Server as NetServer, Socket } from "node:net";
import { ClientGoneError, SessionResources, receiveBody, type ReceivedBody } from "./body.js";
import { HttpError, OriginPolicy, RETRY_AFTER, otlpFormat, rawResponse, statusBody } from "./http-policy.js";
import type { LiveLimits } from "./limits.js";
import type { BodyFormat } from "./request.js";

export interface ReceiverSettings {
  readonly host: string;
  readonly port: number;
  readonly limits: LiveLimits;
  /** `--allow-origin` values (already checked by `parseOrigin`). */
  readonly allowOrigins: readonly string[];
}

export interface ReceiverEvents {
  /** Checks a complete body; resolves once its spans are counted, or throws an `HttpError` to refuse it. */
  receive(body: Buffer, format: BodyFormat, request: number): Promise<void>;
  /** A request refused or lost (a rejected record): `reason` starts with the status it was answered with, if any; `category` is its kind. */
  reject(request: number, reason: string, category: string): void;
}

/** What was turned away without being a rejected record: exporters retry it, or it did not come from one. */
export interface TurnedAway {
  /** Requests answered 503 because the bodies in flight were at --max-inflight-bytes. */
  busy: number;
  /** Connections answered 503 because --max-connections were open. */
  connections: number;
  /** Requests from web pages refused for their Origin, by origin (the first few origins). */
  readonly origins: Map<string, number>;
}

/** How long a connection being closed after an error may linger (so the client reads the answer) before it is cut. */
const LINGER_MS = 1000;
const MAX_ORIGINS_LISTED = 20;
const MAX_ORIGIN_CHARS = 200;

/** Starts `server` listening; resolves with `http://host:port` (a listen error, such as a port in use, rejects). */
export async function listenOn(server: NetServer, port: number, host: string): Promise<string> {
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  return `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
}

function closeSoon(socket: Socket): void {
  socket.end();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export class OtlpReceiver {
  readonly turnedAway: TurnedAway = { busy: 0, connections: 0, origins: new Map() };
  private readonly server: Server;
  private readonly origins: OriginPolicy;
  /** Set when the receiver stops: unreadable requests after it are dropped without a report. */
  private stopping = false;
  /** Set when the connections left at the end are closed: requests cut then are not reported. */
  private cutting = false;
  private refusedConnections = 0;
  /** Connections answered 503 at once (over the cap): whatever they send is ignored. */
  private readonly refused = new WeakSet<Socket>();
  /** Bytes a connection had read when its last request ended: what it sent since is the request in progress. */
  private readonly readBefore = new WeakMap<Socket, number>();

  constructor(
    private readonly settings: ReceiverSettings,
    private readonly events: ReceiverEvents,
    /** Shared with the session's gRPC receiver, if any. */
    private readonly resources = new SessionResources(settings.limits),
  ) {
    const { limits } = settings;
    this.origins = new OriginPolicy(settings.allowOrigins);
    this.server = createServer({
      // Node's own header timeout (it tracks keep-alive requests too); body time is ours (`receiveBody`).
      headersTimeout: limits.headerTimeoutMs,
      requestTimeout: 0,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, limits.headerTimeoutMs / 4)),
    });
    this.server.prependListener("connection", (socket: Socket) => this.admit(socket));
    this.server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => this.respond(res, 500, "json", (error as Error).message, {}));
    });
    this.server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => this.clientError(error, socket));
  }

  /** Starts listening; resolves with the `/v1/traces` URL. */
  async listen(): Promise<string> {
    return `${await listenOn(this.server, this.settings.port, this.settings.host)}/v1/traces`;
  }

  /**
   * Stops accepting connections; requests in progress get `graceMs` to finish, then every connection is closed
   * (requests cut then are not reported as rejected). Resolves once all are closed.
   */
  stop(graceMs: number): Promise<void> {
    this.stopping = true;
    return new Promise<void>((resolveStop) => {
      this.server.close(() => resolveStop());
      this.server.closeIdleConnections();
      setTimeout(() => {
        this.cutting = true;
        this.server.closeAllConnections();
      }, graceMs).unref();
    });
  }

  /** One line per kind of request turned away without being rejected, for the end of the session. */
  turnedAwayNotes(): string[] {
    const notes: string[] = [];
    const { busy, connections, origins } = this.turnedAway;
    if (busy > 0)
      notes.push(
        `${plural(busy, "request")} answered 503 (Retry-After) while request bodies held --max-inflight-bytes (${this.settings.limits.maxInflightBytes}); exporters retry them`,
      );
    if (connections > 0)
      notes.push(
        `${plural(connections, "connection")} answered 503 (Retry-After) while --max-connections (${this.settings.limits.maxConnections}) were open; exporters retry them`,
      );
    for (const [origin, n] of origins)
      notes.push(
        `${plural(n, "request")} from a web page at ${origin} refused (403): start live-check with --allow-origin ${origin} to accept them`,
      );
    return notes;
  }

  /** Every connection is counted; past the cap it is answered 503 at once and closed. */
  private admit(socket: Socket): void {
    const resources = this.resources;
    if (resources.openConnections < this.settings.limits.maxConnections) {
      resources.openConnections++;
      socket.once("close", () => resources.openConnections--);
      return;
    }
    this.turnedAway.connections++;
    this.refused.add(socket);
    // Refused connections linger a moment so the client reads the answer; past as many again, they are cut at once.
    if (this.refusedConnections >= this.settings.limits.maxConnections) {
      socket.destroy();
      return;
    }
    this.refusedConnections++;
    socket.once("close", () => this.refusedConnections--);
    socket.on("error", () => {});
    socket.write(
      rawResponse(
        503,
        "Service Unavailable",
        `live-check has ${resources.openConnections} connections open, its limit (--max-connections); retry later`,
        RETRY_AFTER,
      ),
    );
    closeSoon(socket);
  }

  /** Requests Node could not read: header timeouts, malformed or oversized headers, TLS spoken to plain HTTP. */
  private clientError(error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket): void {
    if (this.refused.has(socket) || this.stopping || !socket.writable || error.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    const sent = socket.bytesRead - (this.readBefore.get(socket) ?? 0);
    let status: number;
    let reason: string;
    let message: string;
    let category = "malformed HTTP";
    if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
      // A connection that sent nothing was idle, not a request.
      if (sent === 0) {
        socket.destroy();
        return;
      }
      [status, reason, category] = [408, "Request Timeout", "timeout"];
      message = `request headers not complete within ${this.settings.limits.headerTimeoutMs / 1000} s (--header-timeout): ${plural(sent, "byte")} received`;
    } else if (error.code === "HPE_HEADER_OVERFLOW") {
      [status, reason, category] = [431, "Request Header Fields Too Large", "over a limit"];
      message = "request headers larger than Node's limit (16 KiB; node --max-http-header-size)";
    } else {
      [status, reason] = [400, "Bad Request"];
      message =
        error.rawPacket?.[0] === 0x16
          ? "a TLS handshake: the exporter sends https:// to live-check's plain http:// endpoint"
          : `malformed HTTP request: ${error.message}${error.code ? ` (${error.code})` : ""}`;
    }
    this.events.reject(this.resources.nextRequest(), `${status}: ${message}`, category);
    socket.on("error", () => {});
    socket.write(rawResponse(status, reason, message));
    closeSoon(socket);
  }

  /** Answers; a failure closes the connection when its request body was not read whole (`close`). */
  private respond(
    res: ServerResponse,
    status: number,
    format: BodyFormat,
    message: string,
    headers: Readonly<Record<string, string>>,
    close = false,
  ): void {
    if (res.headersSent || res.destroyed) return;
    if (status === 200 || status === 204) {
      // An empty ExportTraceServiceResponse: no partial success.
      const body = status === 204 ? "" : format === "protobuf" ? Buffer.alloc(0) : "{}";
      res.writeHead(status, {
        ...(status === 200
          ? { "content-type": format === "protobuf" ? "application/x-protobuf" : "application/json" }
          : {}),
        ...headers,
      });
      res.end(body);
      return;
    }
    const { contentType, body } = statusBody(status, message, format);
    res.writeHead(status, {
      "content-type": contentType,
      "content-length": body.length,
      ...(close ? { connection: "close" } : {}),
      ...headers,
    });
    res.end(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const socket = req.socket;
    if (this.refused.has(socket)) {
      req.resume();
      return;
    }
    res.once("finish", () => this.readBefore.set(socket, socket.bytesRead));
    const origin = req.headers.origin;
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/v1/traces")
      return this.refuse(req, res, new HttpError(404, "not found: only POST /v1/traces is served"), "json");
    if (!this.origins.allows(origin)) {
      // Any client can send any Origin: the first few are counted, each cut to a sane length.
      const origins = this.turnedAway.origins;
      const shown = origin!.slice(0, MAX_ORIGIN_CHARS);
      if (origins.has(shown) || origins.size < MAX_ORIGINS_LISTED) origins.set(shown, (origins.get(shown) ?? 0) + 1);
      return this.refuse(
        req,
        res,
        new HttpError(
          403,
          `requests from web pages are refused (Origin: ${origin}); start live-check with --allow-origin ${origin} to accept them`,
        ),
        "json",
      );
    }
    const cors = this.origins.corsHeaders(origin);
    if (req.method === "OPTIONS") {
      const preflight = origin !== undefined && req.headers["access-control-request-method"] !== undefined;
      req.resume();
      return this.respond(
        res,
        204,
        "json",
        "",
        preflight
          ? this.origins.preflightHeaders(origin, req.headers["access-control-request-headers"])
          : { allow: "POST, OPTIONS" },
      );
    }
    if (req.method !== "POST")
      return this.refuse(
        req,
        res,
        new HttpError(405, `method ${req.method} not allowed: use POST`, { allow: "POST, OPTIONS", ...cors }),
        "json",
      );
    const request = this.resources.nextRequest();
    let format: BodyFormat = "json";
    let body: ReceivedBody | undefined;
    try {
      format = otlpFormat(req.headers["content-type"]);
      const encoding = (req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
      if (encoding !== "gzip" && encoding !== "identity")
        throw new HttpError(415, `unsupported content-encoding '${encoding}': expected gzip or none`);
      body = await receiveBody(req, encoding === "gzip", this.settings.limits, this.resources.budget);
      await this.events.receive(body.bytes, format, request);
      this.respond(res, 200, format, "", cors);
    } catch (error) {
      if (error instanceof ClientGoneError) {
        if (!this.cutting) this.events.reject(request, error.message, "client went away");
        return;
      }
      const refusal = error instanceof HttpError ? error : new HttpError(500, (error as Error).message);
      if (refusal.status === 503) this.turnedAway.busy++;
      else this.events.reject(request, `${refusal.status}: ${refusal.message}`, refusal.category);
      this.refuse(req, res, new HttpError(refusal.status, refusal.message, { ...refusal.headers, ...cors }), format);
    } finally {
      body?.release();
    }
  }

  /**
   * Answers with a failure. A client too slow for a timeout is cut soon. Otherwise a body still coming is read and
   * dropped first, and the answer sent once it has all arrived: answering earlier would not do, since Node 24 closes a
   * connection whose request was answered unread, and the kernel answers data still arriving on a closed socket with
   * a reset, so the client, still writing its body, sees EPIPE or ECONNRESET instead of the 503 it should retry (2 of
   * 64 clients did on Node 20 with an early answer, 3 of 64 on Node 24). What is dropped is bounded as a body is
   * (--max-body-bytes, --body-timeout); past that the connection is cut, so a 413 is sent first.
   */
  private refuse(req: IncomingMessage, res: ServerResponse, error: HttpError, format: BodyFormat): void {
    const answer = () => this.respond(res, error.status, format, error.message, error.headers, error.status === 408);
    if (req.complete || req.destroyed) {
      answer();
      return;
    }
    if (error.status === 408) {
      answer();
      closeSoon(req.socket);
      return;
    }
    // A body over --max-body-bytes will be cut before it ends: its 413 goes first, for the client to read if it can.
    const answerFirst = error.status === 413;
    if (answerFirst) answer();
    const { maxBodyBytes, bodyTimeoutMs } = this.settings.limits;
    let dropped = 0;
    const cut = setTimeout(() => req.socket.destroy(), bodyTimeoutMs);
    cut.unref();
    req.on("data", (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > maxBodyBytes) req.socket.destroy();
    });
    req.once("end", () => {
      clearTimeout(cut);
      if (!answerFirst) answer();
    });
    req.once("close", () => clearTimeout(cut));
    req.resume();
  }
}
