/**
 * A raw OTLP/gRPC client for tests (`node:http2`): calls whose frames, headers and timing the test controls, to send
 * what no well-behaved exporter would; and an independent decoder (protobufjs) of the `google.rpc.Status` with
 * `RetryInfo` that live-check's failures carry in `grpc-status-details-bin`.
 */
import {
  connect,
  constants,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type IncomingHttpHeaders,
} from "node:http2";
import protobuf from "protobufjs";

export const EXPORT = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

/** One gRPC frame: the compressed flag, the 4-byte length, the message. */
export function frame(message: Uint8Array, compressed = false): Buffer {
  const header = Buffer.alloc(5);
  header[0] = compressed ? 1 : 0;
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

const root = protobuf.Root.fromJSON({
  nested: {
    Status: {
      fields: {
        code: { type: "int32", id: 1 },
        message: { type: "string", id: 2 },
        details: { rule: "repeated", type: "Any", id: 3 },
      },
    },
    Any: { fields: { typeUrl: { type: "string", id: 1 }, value: { type: "bytes", id: 2 } } },
    RetryInfo: { fields: { retryDelay: { type: "Duration", id: 1 } } },
    Duration: { fields: { seconds: { type: "int64", id: 1 }, nanos: { type: "int32", id: 2 } } },
  },
});
const Status = root.lookupType("Status");
const RetryInfo = root.lookupType("RetryInfo");

export interface GrpcAnswer {
  /** The HTTP status (200 for every gRPC answer; 415 for a request that is not gRPC). */
  readonly httpStatus: number;
  /** `grpc-status` (from the trailers, or the headers of a trailers-only answer). */
  readonly code: number | undefined;
  /** `grpc-message`, percent-decoded. */
  readonly message: string;
  /** The RetryInfo delay in `grpc-status-details-bin`, in seconds, if any. */
  readonly retryDelaySeconds: number | undefined;
  readonly headers: IncomingHttpHeaders;
  /** The response messages' bytes (framed). */
  readonly body: Buffer;
  /** The RST_STREAM code the server closed the stream with (NO_ERROR after a trailers-only answer to a call still sending). */
  readonly rstCode: number | undefined;
}

function decodeRetry(details: string | undefined): number | undefined {
  if (!details) return undefined;
  const status = Status.toObject(Status.decode(Buffer.from(details, "base64")), { longs: Number }) as {
    details?: { typeUrl: string; value: Uint8Array }[];
  };
  const retry = status.details?.find((d) => d.typeUrl === "type.googleapis.com/google.rpc.RetryInfo");
  if (!retry) return undefined;
  const info = RetryInfo.toObject(RetryInfo.decode(retry.value), { longs: Number }) as {
    retryDelay?: { seconds?: number };
  };
  return info.retryDelay?.seconds ?? 0;
}

export function openSession(url: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(url);
    session.once("connect", () => resolve(session));
    session.once("error", reject);
  });
}

/** Collects the answer of a stream already sent. */
export function answerOf(stream: ClientHttp2Stream): Promise<GrpcAnswer> {
  return new Promise((resolve, reject) => {
    let headers: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on("response", (h) => (headers = h));
    stream.on("trailers", (t) => (trailers = t));
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", (error: NodeJS.ErrnoException) => {
      // A stream reset after its answer arrived still has its answer.
      if (headers[":status"] === undefined) reject(error);
    });
    let done = false;
    const settle = () => {
      if (done) return;
      done = true;
      if (headers[":status"] === undefined)
        return reject(new Error(`stream closed without an answer (RST_STREAM ${stream.rstCode})`));
      const all = { ...headers, ...trailers };
      resolve({
        httpStatus: Number(headers[":status"]),
        code: all["grpc-status"] === undefined ? undefined : Number(all["grpc-status"]),
        message: decodeURIComponent(String(all["grpc-message"] ?? "")),
        retryDelaySeconds: decodeRetry(all["grpc-status-details-bin"] as string | undefined),
        headers: all,
        body: Buffer.concat(chunks),
        rstCode:
          stream.rstCode === constants.NGHTTP2_NO_ERROR && trailers["grpc-status"] !== undefined
            ? undefined
            : stream.rstCode,
      });
      // A stream the server reset while this side was still writing never emits 'close' in Node's client (its
      // writes can never flush): the answer is complete at the end of the readable side, as grpc-js takes it.
      if (!stream.closed || !stream.destroyed) stream.destroy();
    };
    stream.once("end", settle);
    stream.once("close", settle);
    stream.resume();
  });
}

export interface CallOptions {
  /** Request headers over the defaults (POST, the Export path, application/grpc, te: trailers). */
  readonly headers?: Record<string, string>;
  /** Bytes to send (framed messages, or anything); the stream ends after them unless `end` is false. */
  readonly body?: Uint8Array;
  readonly end?: boolean;
  /** A session to use (default: a new one, closed after the call). */
  readonly session?: ClientHttp2Session;
}

/** One call: sends the headers and `body`, and resolves with the answer. */
export async function grpcCall(url: string, options: CallOptions = {}): Promise<GrpcAnswer> {
  const session = options.session ?? (await openSession(url));
  try {
    const stream = session.request(
      { ":method": "POST", ":path": EXPORT, "content-type": "application/grpc", te: "trailers", ...options.headers },
      { endStream: false },
    );
    const answer = answerOf(stream);
    if (options.body) stream.write(options.body);
    if (options.end !== false) stream.end();
    return await answer;
  } finally {
    if (!options.session) session.close();
  }
}
