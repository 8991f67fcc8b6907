/**
 * Unpacking a downloaded registry archive (`.zip` with yauzl, `.tar.gz` with tar-stream over node:zlib) into a
 * folder, as Weaver does: the archive's single top-level folder is stripped. Every entry is checked before a byte
 * of it is written: its path must stay inside the folder (no absolute path, no `..`, no link of any kind), and the
 * entries and their bytes are counted against the caps, both as declared and as actually decompressed (a zip
 * bomb lies in its headers). On any refusal the caller deletes the folder, so nothing half-unpacked is kept.
 *
 * It lives in the generator rather than in @semtrace/spec because its libraries are the only ones reading a
 * registry would need besides `yaml`: `semtrace validate --registry` installs the spec alone and loads this
 * package on demand, only for an archive dependency that is not yet in the cache.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import * as tarStream from "tar-stream";
import yauzl from "yauzl";
import { FetchRefused, type ArchiveUnpacker, type FetchLimits } from "@semtrace/spec/internal";

/** Counts entries and bytes across one archive. */
class Budget {
  private entries = 0;
  private bytes = 0;
  private declared = 0;
  constructor(
    private readonly archive: string,
    private readonly limits: FetchLimits,
  ) {}

  entry(): void {
    if (++this.entries > this.limits.maxArchiveEntries) {
      throw new FetchRefused(
        "dependency.too-large",
        `${this.archive} has more than ${this.limits.maxArchiveEntries} entries (--max-archive-entries)`,
      );
    }
  }

  add(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.maxExtractedBytes) {
      throw new FetchRefused(
        "dependency.too-large",
        `${this.archive} unpacks to more than ${this.limits.maxExtractedBytes} bytes (--max-extracted-bytes)`,
      );
    }
  }

  /** An entry's size as its header gives it: refused before a byte is inflated when the sum is over the cap. */
  declare(bytes: number): void {
    this.declared += bytes;
    if (this.declared > this.limits.maxExtractedBytes) {
      throw new FetchRefused(
        "dependency.too-large",
        `${this.archive} unpacks to more than ${this.limits.maxExtractedBytes} bytes (--max-extracted-bytes), by the sizes its entries declare`,
      );
    }
  }

  /** A stream stage that counts what really passes through. */
  meter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback: TransformCallback) => {
        try {
          this.add(chunk.length);
          callback(null, chunk);
        } catch (error) {
          callback(error as Error);
        }
      },
    });
  }
}

/**
 * The path an entry is written to below `target`, its first component (the archive's top folder) stripped;
 * undefined for the top folder itself. Throws on a path that would leave `target`.
 */
export function entryTarget(archive: string, name: string, target: string): string | undefined {
  const unsafe = () =>
    new FetchRefused(
      "dependency.unsafe-path",
      `${archive}: entry ${JSON.stringify(name)} would be written outside the folder it is unpacked to`,
    );
  if (name.includes("\0") || name.includes("\\") || name.startsWith("/") || /^[A-Za-z]:/.test(name)) throw unsafe();
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === "..")) throw unsafe();
  if (parts.length <= 1) return undefined;
  const out = path.join(target, ...parts.slice(1));
  if (!out.startsWith(target + path.sep)) throw unsafe();
  return out;
}

export async function extractArchive(
  file: string,
  format: "zip" | "tar.gz",
  display: string,
  target: string,
  limits: FetchLimits,
): Promise<void> {
  await mkdir(target, { recursive: true });
  const budget = new Budget(display, limits);
  if (format === "zip") await extractZip(file, display, target, budget);
  else await extractTarGz(file, display, target, budget, limits);
}

/** The unpacker @semtrace/spec's dependency loader takes (`dependencies.unpackArchive`). */
export const unpackArchive: ArchiveUnpacker = extractArchive;

async function writeEntry(source: Readable, to: string, budget: Budget): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  // `wx`: an entry never overwrites another (a duplicate name is refused with the error of `open`).
  await pipeline(source, budget.meter(), createWriteStream(to, { flags: "wx", mode: 0o644 }));
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

async function extractZip(file: string, display: string, target: string, budget: Budget): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    // validateEntrySizes: yauzl fails the stream when an entry inflates to other than its declared size.
    yauzl.open(
      file,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: true, autoClose: true },
      (error, z) => (error ? reject(error) : resolve(z)),
    ),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => {
        zip.close();
        const e = error instanceof Error ? error : new Error(String(error));
        // yauzl's own checks of entry names (strictFileNames) are refusals of an unsafe path.
        if (/invalid relative path|absolute path|invalid characters in fileName/.test(e.message))
          reject(new FetchRefused("dependency.unsafe-path", `${display}: ${e.message}`));
        // validateEntrySizes: an entry that inflates past the size its header declares (a zip bomb that lies).
        else if (/too many bytes in the stream/.test(e.message))
          reject(
            new FetchRefused(
              "dependency.too-large",
              `${display}: an entry inflates past the size it declares (${e.message})`,
            ),
          );
        else reject(e);
      };
      zip.on("error", fail);
      zip.on("end", () => resolve());
      zip.on("entry", (entry: yauzl.Entry) => {
        void (async () => {
          budget.entry();
          const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
          if (mode === S_IFLNK)
            throw new FetchRefused(
              "dependency.unsafe-path",
              `${display}: entry ${JSON.stringify(entry.fileName)} is a symbolic link`,
            );
          const to = entryTarget(display, entry.fileName, target);
          if (entry.fileName.endsWith("/")) {
            if (to) await mkdir(to, { recursive: true });
          } else if (to) {
            budget.declare(entry.uncompressedSize);
            if (entry.uncompressedSize > 0) {
              // Declared sizes first, so a bomb is refused before it is inflated; the meter counts what really comes.
              const stream = await new Promise<Readable>((res, rej) =>
                zip.openReadStream(entry, (error, s) => (error ? rej(error) : res(s))),
              );
              // yauzl may report a size lie after the pipeline let go of the stream: seen here, thrown there.
              stream.on("error", () => {});
              await writeEntry(stream, to, budget);
            } else await writeEntry(Readable.from([]), to, budget);
          }
          zip.readEntry();
        })().catch(fail);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

async function extractTarGz(
  file: string,
  display: string,
  target: string,
  budget: Budget,
  limits: FetchLimits,
): Promise<void> {
  const extract = tarStream.extract();
  const reading = pipeline(createReadStream(file), createGunzip(), new GunzipCap(display, limits), extract);
  // Its failure surfaces through the loop below (the extractor is destroyed with it) or at the final await.
  reading.catch(() => {});
  try {
    await unpackTarEntries(extract, display, target, budget);
  } catch (error) {
    extract.destroy();
    throw error;
  }
  await reading;
}

async function unpackTarEntries(
  extract: tarStream.Extract,
  display: string,
  target: string,
  budget: Budget,
): Promise<void> {
  for await (const entry of extract) {
    const header = entry.header;
    budget.entry();
    if (header.type !== "file" && header.type !== "directory") {
      entry.resume();
      throw new FetchRefused(
        "dependency.unsafe-path",
        `${display}: entry ${JSON.stringify(header.name)} is a ${header.type ?? "special file"}, not a file or folder`,
      );
    }
    const to = entryTarget(display, header.name, target);
    if (header.type === "directory") {
      if (to) await mkdir(to, { recursive: true });
      entry.resume();
      continue;
    }
    if (header.type !== "file" || !to) {
      entry.resume();
      continue;
    }
    budget.declare(header.size ?? 0);
    await writeEntry(entry as unknown as Readable, to, budget);
  }
}

/**
 * Gunzip's output is counted too: a tar's headers and padding are not file bytes, so this allows the file cap
 * plus the headers of as many entries as may be, and stops a gzip bomb of padding.
 */
class GunzipCap extends Transform {
  private bytes = 0;
  constructor(
    private readonly display: string,
    private readonly limits: FetchLimits,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const limits = this.limits;
    if (this.bytes > limits.maxExtractedBytes + 1024 * (limits.maxArchiveEntries + 2)) {
      callback(
        new FetchRefused(
          "dependency.too-large",
          `${this.display} decompresses to more than ${limits.maxExtractedBytes} bytes of files (--max-extracted-bytes)`,
        ),
      );
      return;
    }
    callback(null, chunk);
  }
}
