/**
 * Rewriting an input as it is read: validate's reader taps its decompressed bytes here (`InputTap`) and hands out
 * its spans with their places; the bytes that are not spans are copied through, and each span is replaced by its
 * translation. Memory holds the bytes from the last place written up to where the reader is, bounded by
 * `maxHeldBytes`.
 *
 * - JSON (documents and JSON Lines): every byte outside the spans is copied as it was, so resources, scopes,
 *   unknown keys and the layout stay; a span is replaced by its translated JSON.
 * - Protobuf: a span's new length changes the lengths of the ScopeSpans and ResourceSpans around it, which are
 *   written before their content, so one ResourceSpans message is held until it ends and written with its new
 *   lengths; bytes between ResourceSpans messages are copied through.
 */
import { lengthDelimited, varint } from "./spans.js";

/** Where the rewritten bytes go (awaited for back-pressure). */
export type Write = (bytes: Buffer) => Promise<void> | void;

export class HeldTooLarge extends Error {}

/** The input's bytes from an offset on, as chunks. */
class Held {
  private chunks: Buffer[] = [];
  /** Absolute offset of `chunks[0][0]`. */
  private start = 0;
  /** Absolute offset after the last byte held. */
  end = 0;

  constructor(private readonly max: number) {}

  append(chunk: Buffer, keepFrom: number): void {
    this.chunks.push(chunk);
    this.end += chunk.length;
    if (this.end - Math.max(this.start, keepFrom) > this.max) {
      throw new HeldTooLarge(
        `more than ${this.max} bytes (--max-held-bytes) would have to be held at once from byte ${keepFrom} (a protobuf ResourceSpans message that large, or that much JSON between two spans)`,
      );
    }
  }

  /** Bytes [from, to), from held chunks (`from` must still be held). */
  slice(from: number, to: number): Buffer {
    const parts: Buffer[] = [];
    let at = this.start;
    for (const chunk of this.chunks) {
      const chunkEnd = at + chunk.length;
      if (chunkEnd > from && at < to)
        parts.push(chunk.subarray(Math.max(0, from - at), Math.min(chunk.length, to - at)));
      at = chunkEnd;
      if (at >= to) break;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Forgets the bytes before `offset`. */
  drop(offset: number): void {
    while (this.chunks.length > 0 && this.start + this.chunks[0]!.length <= offset)
      this.start += this.chunks.shift()!.length;
  }
}

/** One span's place and, when translated, its new bytes (JSON text, or a protobuf Span's content). */
export interface SpanPlace {
  readonly offset: number;
  readonly end: number;
  readonly replacement: Buffer | undefined;
}

/** What both rewriters share: the bytes held from the last place written on. */
abstract class Rewriter {
  protected readonly held: Held;
  protected written = 0;

  constructor(
    maxHeldBytes: number,
    protected readonly write: Write,
  ) {
    this.held = new Held(maxHeldBytes);
  }

  /** The input's next decompressed bytes (from the reader's tap). */
  bytes(chunk: Buffer): void {
    this.held.append(chunk, this.written);
  }

  /** A span's original bytes (for translating it). */
  text(place: { offset: number; end: number }): Buffer {
    return this.held.slice(place.offset, place.end);
  }
}

/** JSON: the input with its spans replaced, everything else copied through. */
export class JsonRewriter extends Rewriter {
  async span(place: SpanPlace): Promise<void> {
    if (place.replacement === undefined) return this.flush(place.end); // copied through with the bytes around it
    if (place.offset > this.written) await this.write(this.held.slice(this.written, place.offset));
    await this.write(place.replacement);
    this.written = place.end;
    this.held.drop(this.written);
  }

  /** Everything up to `offset` can be written (no span before it is still to come). */
  async flush(offset = this.held.end): Promise<void> {
    if (offset > this.written) await this.write(this.held.slice(this.written, offset));
    this.written = Math.max(this.written, offset);
    this.held.drop(this.written);
  }
}

interface Frame {
  readonly field: number;
  readonly tagAt: number;
  readonly start: number;
  readonly end: number;
}

interface ResourceSpans extends Frame {
  readonly scopes: Frame[];
  readonly spans: SpanPlace[];
}

/** Protobuf: ResourceSpans messages held until they end, then written with their new lengths. */
export class ProtobufRewriter extends Rewriter {
  /** ResourceSpans messages that started and are not written yet, in order. */
  private readonly open: ResourceSpans[] = [];

  frame(level: 1 | 2, field: number, tagAt: number, start: number, end: number): void {
    if (level === 1) this.open.push({ field, tagAt, start, end, scopes: [], spans: [] });
    else this.open[this.open.length - 1]?.scopes.push({ field, tagAt, start, end });
  }

  async span(place: SpanPlace): Promise<void> {
    // The reader hands out spans after the frames read with them: messages that end before this span are complete.
    await this.flush(place.offset);
    const owner = this.open.find((r) => r.start <= place.offset && place.end <= r.end);
    if (owner && place.replacement !== undefined) owner.spans.push(place);
  }

  /** Writes every held message that ends by `offset`, and the bytes between them. */
  async flush(offset = this.held.end): Promise<void> {
    while (this.open.length > 0 && this.open[0]!.end <= offset) {
      const r = this.open.shift()!;
      if (r.tagAt > this.written) await this.write(this.held.slice(this.written, r.tagAt));
      await this.write(r.spans.length === 0 ? this.held.slice(r.tagAt, r.end) : this.resourceSpans(r));
      this.written = r.end;
      this.held.drop(this.written);
    }
    // Bytes past the held messages (other fields of the request) go through as they come.
    const until = this.open.length > 0 ? Math.min(offset, this.open[0]!.tagAt) : offset;
    if (until > this.written) {
      await this.write(this.held.slice(this.written, until));
      this.written = until;
      this.held.drop(this.written);
    }
  }

  /** A ResourceSpans message with its translated spans, every length around them recomputed. */
  private resourceSpans(r: ResourceSpans): Buffer {
    const content: Buffer[] = [];
    let at = r.start;
    for (const scope of r.scopes) {
      const spans = r.spans.filter((s) => s.offset >= scope.start && s.end <= scope.end);
      if (spans.length === 0) continue;
      content.push(this.held.slice(at, scope.tagAt));
      const inner: Buffer[] = [];
      let pos = scope.start;
      for (const span of spans) {
        inner.push(this.held.slice(pos, span.offset), lengthDelimited(2, span.replacement!));
        pos = span.end;
      }
      inner.push(this.held.slice(pos, scope.end));
      content.push(lengthDelimited(scope.field, Buffer.concat(inner)));
      at = scope.end;
    }
    content.push(this.held.slice(at, r.end));
    const body = Buffer.concat(content);
    return Buffer.concat([Buffer.from([...varint(r.field * 8 + 2), ...varint(body.length)]), body]);
  }
}
