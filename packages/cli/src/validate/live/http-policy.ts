/**
 * What the OTLP/HTTP receiver accepts and how it answers: the two OTLP media types, the `Origin` policy that keeps
 * web pages from posting spans (CORS), and failure bodies as the OTLP/HTTP spec asks — a `google.rpc.Status` in the
 * request's own encoding.
 */
import type { BodyFormat } from "./request.js";
import { GrpcCode, encodeStatus } from "./rpc-status.js";

/** What 503 answers carry: exporters wait this long before they retry. */
export const RETRY_AFTER: Readonly<Record<string, string>> = { "retry-after": "1" };

/** The kind of problem a refusal reports (rejected records are listed up to a cap per kind). */
function categoryOf(status: number): string {
  if (status === 413 || status === 431) return "over a limit";
  if (status === 415) return "unsupported media type";
  if (status === 408) return "timeout";
  if (status >= 500) return "server error";
  return "invalid request";
}

/** Thrown to answer a request with `status`; `message` is what the client (and the report) are told. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra response headers (Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
    /** The kind of problem, for the report (default: from the status). */
    readonly category = categoryOf(status),
  ) {
    super(message);
  }
}

/**
 * The body format of an OTLP/HTTP `Content-Type`: exactly `application/json` or `application/x-protobuf` (any case,
 * with parameters; JSON only in UTF-8). Anything else — `text/plain;json`, a CORS "simple" type a web page can send
 * without asking — is 415.
 */
export function otlpFormat(contentType: string | undefined): BodyFormat {
  if (contentType === undefined || contentType.trim() === "")
    throw new HttpError(415, "no content-type: expected application/json or application/x-protobuf (OTLP/HTTP)");
  const [essence = "", ...parameters] = contentType.split(";");
  const type = essence.trim().toLowerCase();
  if (type === "application/x-protobuf") return "protobuf";
  if (type === "application/json") {
    for (const parameter of parameters) {
      const [name = "", value = ""] = parameter.split("=");
      const charset = value
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .toLowerCase();
      if (name.trim().toLowerCase() === "charset" && charset !== "utf-8" && charset !== "utf8")
        throw new HttpError(415, `unsupported charset '${charset}': OTLP/JSON is UTF-8`);
    }
    return "json";
  }
  throw new HttpError(
    415,
    `unsupported content-type '${contentType}': expected application/json or application/x-protobuf (OTLP/HTTP)`,
  );
}

/** `--allow-origin` values: `*`, `null`, or an origin (`scheme://host[:port]`), compared as browsers send them. */
export function parseOrigin(value: string): string | undefined {
  if (value === "*" || value === "null") return value;
  const origin = value.replace(/\/$/, "").toLowerCase();
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/.test(origin) ? origin : undefined;
}

/**
 * Which web origins may post spans. Browsers send `Origin` with every cross-origin request and every POST, and a
 * page can send a CORS "simple" request (no preflight) to any local port, so a request that carries `Origin` comes
 * from a web page: refused (403) unless `--allow-origin` names its origin (or `*`).
 */
export class OriginPolicy {
  private readonly origins: ReadonlySet<string>;
  constructor(allowed: readonly string[]) {
    this.origins = new Set(allowed);
  }

  /** Whether a request with this `Origin` header (undefined: none, not from a page) is let in. */
  allows(origin: string | undefined): boolean {
    return origin === undefined || this.origins.has("*") || this.origins.has(origin.toLowerCase());
  }

  /** CORS response headers for an allowed request from a page. */
  corsHeaders(origin: string | undefined): Record<string, string> {
    if (origin === undefined) return {};
    return {
      "access-control-allow-origin": this.origins.has("*") ? "*" : origin,
      "access-control-expose-headers": "Retry-After",
      vary: "Origin",
    };
  }

  /** The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`) from an allowed origin. */
  preflightHeaders(origin: string, requestedHeaders: string | undefined): Record<string, string> {
    return {
      ...this.corsHeaders(origin),
      "access-control-allow-methods": "POST",
      // The exporter's own headers (content-type, content-encoding, any it is configured with) are echoed back.
      ...(requestedHeaders ? { "access-control-allow-headers": requestedHeaders } : {}),
      "access-control-max-age": "600",
      vary: "Origin, Access-Control-Request-Headers",
    };
  }
}

/** The gRPC code of an HTTP failure status (a `google.rpc.Status` carries it; live-check's gRPC answers use it). */
export function grpcCodeOf(status: number): number {
  switch (status) {
    case 400:
    case 415:
      return GrpcCode.INVALID_ARGUMENT;
    case 403:
      return GrpcCode.PERMISSION_DENIED;
    case 404:
    case 405:
      return GrpcCode.UNIMPLEMENTED;
    case 408:
      return GrpcCode.DEADLINE_EXCEEDED;
    case 413:
    case 429:
      return GrpcCode.RESOURCE_EXHAUSTED;
    case 503:
      return GrpcCode.UNAVAILABLE;
    default:
      return GrpcCode.INTERNAL;
  }
}

/** A failure body: `google.rpc.Status { code, message }` as OTLP/JSON or binary protobuf, with its content type. */
export function statusBody(status: number, message: string, format: BodyFormat): { contentType: string; body: Buffer } {
  const code = grpcCodeOf(status);
  if (format === "json")
    return { contentType: "application/json", body: Buffer.from(JSON.stringify({ code, message })) };
  return { contentType: "application/x-protobuf", body: encodeStatus(code, message) };
}

/**
 * A complete HTTP/1.1 response written straight to a socket (for connections that never reach a request handler:
 * over the connection cap, header timeouts, unparsable requests); the connection closes after it.
 */
export function rawResponse(
  status: number,
  reason: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): string {
  const { body } = statusBody(status, message, "json");
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    "content-type: application/json",
    `content-length: ${body.length}`,
    "connection: close",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join("\r\n")}\r\n\r\n${body.toString("utf8")}`;
}
