/**
 * Expanding the inputs of `semtrace validate`: files as given, directories walked recursively (in name order)
 * for the files whose names say they are trace exports. Symbolic links are followed (a link back to a directory
 * being walked is not, and a file reached twice is read once); nothing is left out in silence: every entry not
 * read is reported as a note (its name, or what it is), and a directory or link that cannot be read is a rejected
 * input, while everything readable is still validated.
 */
import { readdir, stat, lstat, readlink } from "node:fs/promises";
import type { Stats } from "node:fs";
import { join, resolve } from "node:path";
import type { Note, Rejection } from "./report.js";

/** The file names a directory walk reads. */
export const TRACE_FILE = /\.(json|jsonl|ndjson|pb|binpb|bin|otlp|protobuf)(\.gz)?$/i;
const TRACE_FILE_NAMES = ".json, .jsonl, .ndjson, .pb, .binpb, .bin, .otlp or .protobuf, optionally followed by .gz";

/** An input to read: its name as shown in reports, and its size when it is a regular file (for the progress bar). */
export interface InputFile {
  readonly name: string;
  readonly size?: number;
}

export interface WalkEvents {
  /** An entry that was not read, and why. */
  skipped(note: Note): void;
  /** An input, directory or link that could not be read. */
  rejected(rejection: Rejection): void;
}

function identity(info: Stats): string {
  return `${info.dev}:${info.ino}`;
}

function reason(error: unknown): string {
  return (error as Error).message;
}

/**
 * The files of one input (`-` is stdin). `seen` holds the files already listed (by device and inode), so a file
 * reached again through a link or a second directory is read once.
 */
export async function expandInput(
  input: string,
  cwd: string,
  events: WalkEvents,
  seen: Set<string>,
): Promise<InputFile[]> {
  if (input === "-") return [{ name: "-" }];
  const path = resolve(cwd, input);
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    events.rejected({ source: { file: input }, reason: await unreadable(path, error) });
    return [];
  }
  if (!info.isDirectory()) return [{ name: input, ...(info.isFile() ? { size: info.size } : {}) }];
  const files: InputFile[] = [];
  await walk(path, input, new Set([identity(info)]), files, events, seen);
  return files;
}

/** Why a path cannot be read: a broken link says where it points. */
async function unreadable(path: string, error: unknown): Promise<string> {
  try {
    if ((await lstat(path)).isSymbolicLink())
      return `broken symbolic link to ${await readlink(path)}: ${reason(error)}`;
  } catch {
    // Not even the link can be read: the first error says why.
  }
  return `cannot read: ${reason(error)}`;
}

async function walk(
  dir: string,
  shown: string,
  ancestors: Set<string>,
  files: InputFile[],
  events: WalkEvents,
  seen: Set<string>,
): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    events.rejected({ source: { file: shown }, reason: `cannot read directory: ${reason(error)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    const display = join(shown, entry.name);
    if (entry.name.startsWith(".")) {
      events.skipped({
        category: "skipped",
        text: `skipped: hidden (its name starts with '.')`,
        source: { file: display },
      });
      continue;
    }
    let info: Stats;
    try {
      // Follows symbolic links: a link to a file or a directory is read as what it points to.
      info = await stat(full);
    } catch (error) {
      const why = await unreadable(full, error);
      if (TRACE_FILE.test(entry.name)) events.rejected({ source: { file: display }, reason: why });
      else events.skipped({ category: "skipped", text: `skipped: ${why}`, source: { file: display } });
      continue;
    }
    if (info.isDirectory()) {
      const id = identity(info);
      if (ancestors.has(id)) {
        events.skipped({
          category: "skipped",
          text: "skipped: a symbolic link to a directory that contains it (a loop)",
          source: { file: display },
        });
        continue;
      }
      ancestors.add(id);
      await walk(full, display, ancestors, files, events, seen);
      ancestors.delete(id);
      continue;
    }
    if (!info.isFile()) {
      events.skipped({ category: "skipped", text: "skipped: not a regular file", source: { file: display } });
      continue;
    }
    if (!TRACE_FILE.test(entry.name)) {
      events.skipped({
        category: "skipped",
        text: `skipped: its name does not end in ${TRACE_FILE_NAMES}`,
        source: { file: display },
      });
      continue;
    }
    const id = identity(info);
    if (seen.has(id)) {
      events.skipped({
        category: "skipped",
        text: "skipped: the same file was already read under another name (a link)",
        source: { file: display },
      });
      continue;
    }
    seen.add(id);
    files.push({ name: display, size: info.size });
  }
}
