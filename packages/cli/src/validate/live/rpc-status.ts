/**
 * `google.rpc.Status` as protobuf, with the `google.rpc.RetryInfo` detail OTLP asks for when a client should come
 * back later: the failure body of OTLP/HTTP (in protobuf) and the `grpc-status-details-bin` trailer of OTLP/gRPC.
 */

/** The gRPC status codes live-check answers with. */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

export const GRPC_CODE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(GrpcCode).map(([name, code]) => [code, name]),
);

const RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  out.push(n);
  return out;
}

/** A length-delimited field. */
function bytesField(field: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...varint(bytes.length)]), bytes]);
}

function varintField(field: number, value: number): Buffer {
  return Buffer.from([field << 3, ...varint(value)]);
}

/**
 * `Status { code, message, details }`; with `retryDelaySeconds`, one detail: `Any { RetryInfo { retry_delay:
 * Duration { seconds } } }`, which tells an OTLP client the failure is worth retrying after that delay.
 */
export function encodeStatus(code: number, message: string, retryDelaySeconds?: number): Buffer {
  const parts = [
    code === 0 ? Buffer.alloc(0) : varintField(1, code),
    message === "" ? Buffer.alloc(0) : bytesField(2, Buffer.from(message, "utf8")),
  ];
  if (retryDelaySeconds !== undefined) {
    const retryInfo = bytesField(1, varintField(1, retryDelaySeconds));
    parts.push(bytesField(3, Buffer.concat([bytesField(1, Buffer.from(RETRY_INFO_TYPE)), bytesField(2, retryInfo)])));
  }
  return Buffer.concat(parts);
}
