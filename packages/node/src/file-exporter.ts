/**
 * An OpenTelemetry span exporter that appends OTLP/JSON Lines to a file: one `ExportTraceServiceRequest` per line,
 * as the OpenTelemetry Collector's file exporter writes them, so `semtrace validate` (or a Collector) reads it.
 *
 * Several processes may append to one file (a test runner's workers): each line is written by a single `write(2)`
 * on a descriptor opened with `O_APPEND`. POSIX makes "move to the end, then write" one atomic step for such a
 * descriptor, and on local filesystems (Linux ext4, xfs, btrfs, tmpfs; macOS APFS) a write to a regular file is
 * not interleaved with another write to the same file, whatever its size: `PIPE_BUF` bounds atomic writes to pipes
 * and FIFOs, not to regular files. So lines of different processes never mix. Not covered: network filesystems
 * (NFS emulates `O_APPEND` on the client), and a short write (disk full, a file-size limit), which is reported
 * through `diag` and fails the export.
 *
 * Each export is written synchronously, so a span is on disk when its export returns, even when a test runner
 * ends the worker process right after; `shutdown` (and `forceFlush`) sync the file to disk.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { diag } from "@opentelemetry/api";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

export interface FileSpanExporterOptions {
  /** The file to append to (created with its folders when missing); relative to the working directory. */
  readonly path: string;
}

const NEWLINE = 0x0a;

export class FileSpanExporter implements SpanExporter {
  /** The absolute path of the file. */
  readonly path: string;
  private fd: number | undefined;
  private openError: Error | undefined;
  private closed = false;

  constructor(options: FileSpanExporterOptions) {
    this.path = resolve(String(options.path));
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, "a");
    } catch (error) {
      this.openError = new Error(
        `semtrace FileSpanExporter: cannot open ${this.path} for appending: ${(error as Error).message}`,
        { cause: error },
      );
      diag.error(this.openError.message);
    }
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    resultCallback(this.write(spans));
  }

  private write(spans: ReadableSpan[]): ExportResult {
    if (this.closed) return failed(new Error(`semtrace FileSpanExporter: ${this.path}: the exporter is shut down`));
    if (this.fd === undefined) return failed(this.openError!);
    if (spans.length === 0) return { code: ExportResultCode.SUCCESS };
    let line: Buffer;
    try {
      const json = JsonTraceSerializer.serializeRequest(spans);
      if (json === undefined)
        return failed(new Error(`semtrace FileSpanExporter: ${spans.length} span(s) could not be serialised`));
      line = Buffer.allocUnsafe(json.byteLength + 1);
      line.set(json, 0);
      line[json.byteLength] = NEWLINE;
    } catch (error) {
      return failed(
        new Error(
          `semtrace FileSpanExporter: ${spans.length} span(s) could not be serialised: ${(error as Error).message}`,
          { cause: error },
        ),
      );
    }
    try {
      const written = writeSync(this.fd, line, 0, line.length);
      if (written === line.length) return { code: ExportResultCode.SUCCESS };
      // A short write (disk full, a file-size limit): finish the line so the file stays line-delimited, but another
      // process's line may now sit inside it.
      let offset = written;
      while (offset < line.length) offset += writeSync(this.fd, line, offset, line.length - offset);
      diag.warn(
        `semtrace FileSpanExporter: ${this.path}: a line of ${line.length} bytes took several writes; a line another process appended at the same time may be mixed into it`,
      );
      return { code: ExportResultCode.SUCCESS };
    } catch (error) {
      return failed(
        new Error(`semtrace FileSpanExporter: cannot append to ${this.path}: ${(error as Error).message}`, {
          cause: error,
        }),
      );
    }
  }

  forceFlush(): Promise<void> {
    if (this.fd !== undefined && !this.closed) syncQuietly(this.fd, this.path);
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    if (this.fd !== undefined) {
      syncQuietly(this.fd, this.path);
      try {
        closeSync(this.fd);
      } catch (error) {
        diag.error(`semtrace FileSpanExporter: cannot close ${this.path}: ${(error as Error).message}`);
      }
      this.fd = undefined;
    }
    return Promise.resolve();
  }
}

function failed(error: Error): ExportResult {
  diag.error(error.message);
  return { code: ExportResultCode.FAILED, error };
}

function syncQuietly(fd: number, path: string): void {
  try {
    fsyncSync(fd);
  } catch (error) {
    diag.error(`semtrace FileSpanExporter: cannot sync ${path} to disk: ${(error as Error).message}`);
  }
}
