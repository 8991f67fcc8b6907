/**
 * A local OTLP/HTTP JSON receiver on 127.0.0.1 (port 0) for tests that export through the real
 * `@opentelemetry/exporter-trace-otlp-http`: it keeps every span it receives, with its attributes decoded.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
};

export interface ReceivedSpan {
  readonly name: string;
  readonly attributes: Record<string, unknown>;
  readonly events: readonly { readonly name: string; readonly attributes: Record<string, unknown> }[];
  readonly status: { readonly code?: number; readonly message?: string };
}

export interface OtlpReceiver {
  readonly url: string;
  readonly spans: ReceivedSpan[];
  span(name: string): ReceivedSpan;
  close(): Promise<void>;
}

function decode(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decode);
  return undefined;
}

function attributes(list: readonly { key: string; value: AnyValue }[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((a) => [a.key, decode(a.value)]));
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        resourceSpans?: {
          scopeSpans?: {
            spans?: {
              name: string;
              attributes?: { key: string; value: AnyValue }[];
              events?: { name: string; attributes?: { key: string; value: AnyValue }[] }[];
              status?: { code?: number; message?: string };
            }[];
          }[];
        }[];
      };
      for (const rs of body.resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? [])
          for (const s of ss.spans ?? [])
            spans.push({
              name: s.name,
              attributes: attributes(s.attributes),
              events: (s.events ?? []).map((e) => ({ name: e.name, attributes: attributes(e.attributes) })),
              status: s.status ?? {},
            });
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    span(name) {
      const found = spans.filter((s) => s.name === name);
      if (found.length !== 1)
        throw new Error(
          `expected one span "${name}", received ${found.length}: ${spans.map((s) => s.name).join(", ")}`,
        );
      return found[0]!;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
