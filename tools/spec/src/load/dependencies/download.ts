/** One HTTP(S) download to a file, within a byte cap and a time limit. */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { FetchRefused, type FetchLimits } from "./limits.js";

export async function download(url: string, file: string, limits: FetchLimits): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${limits.timeoutMs / 1000} s (--fetch-timeout)`)),
    limits.timeoutMs,
  );
  try {
    const response = await fetch(url, {
      signal: controller.signal,
      redirect: "follow",
      headers: { "user-agent": "semtrace" },
    });
    if (!response.ok || response.body === null)
      throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    const declared = Number(response.headers.get("content-length") ?? NaN);
    if (declared > limits.maxDownloadBytes) {
      await response.body.cancel().catch(() => {});
      throw tooLarge(url, declared, limits);
    }
    const out = createWriteStream(file);
    let bytes = 0;
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        // A server may send more than it declared, or declare nothing.
        if (bytes > limits.maxDownloadBytes) {
          controller.abort();
          throw tooLarge(url, bytes, limits);
        }
        if (!out.write(chunk)) await once(out, "drain");
      }
    } finally {
      out.end();
      await once(out, "close").catch(() => {});
    }
  } catch (error) {
    if (error instanceof FetchRefused) throw error;
    const reason =
      controller.signal.aborted && controller.signal.reason instanceof Error
        ? controller.signal.reason
        : (error as Error);
    throw new Error(`cannot download ${url}: ${reason.message}`);
  } finally {
    clearTimeout(timer);
  }
}

function tooLarge(url: string, bytes: number, limits: FetchLimits): FetchRefused {
  return new FetchRefused(
    "dependency.too-large",
    `${url} is over the ${limits.maxDownloadBytes} bytes a download may have (${bytes} bytes or more; --max-download-bytes)`,
  );
}
