/**
 * A streaming reader for one JSON document (a pretty-printed OTLP/JSON `ExportTraceServiceRequest`, an array of
 * plain spans, or one plain span): bytes go in as they arrive, spans come out one by one, and memory holds one span
 * at a time, however large the document. `JSON.parse` of a whole document needs several times its size in memory
 * (and a 512 MiB document, more than the heap), so only the enclosing structure is scanned here:
 *
 *   { "resourceSpans": [ { "scopeSpans": [ { "spans": [ <span>, <span>, … ] } ] } ] }     or     [ <span>, … ]
 *
 * Each span, and every other value (`resource`, `scope`, unknown keys), is cut out of the stream by matching its
 * brackets and parsed on its own with `JSON.parse` (so it is checked exactly as `JSON.parse` checks a document) and
 * converted by `otlp.ts`, as JSON Lines records are. A bad span is rejected on its own, with its line, and reading
 * goes on; a syntax error in the enclosing structure (or mismatched brackets) stops the document: where the next
 * span starts cannot be known.
 */
import { jsonDepthFor, type Limits } from "./limits.js";
import { SCOPE_KEYS, ShapeError, plainSpan, requestSpan, type InputSpan } from "./otlp.js";

export interface JsonSink {
  /**
   * `offset` is where the span's first byte is; `end`, the offset after its last byte (for rewriting the input:
   * `semtrace translate`), or NaN for a plain span read from the keys of the root object.
   */
  span(span: InputSpan, line: number, offset: number, end: number): void;
  reject(line: number, offset: number, reason: string): void;
}

export type JsonDocumentLimits = Pick<
  Limits,
  "maxRecordBytes" | "maxSpanValues" | "maxDocumentSpans" | "maxDocumentBytes" | "maxDepth"
>;

/** A syntax error (or a limit) that stopped the document: where, and what was expected. */
export interface JsonStop {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly reason: string;
  /** True when the rest of the input cannot be read either (a document over the size limit). */
  readonly final?: boolean;
}

// What a frame of the enclosing structure is.
const ROOT_OBJECT = 0; // { "resourceSpans": … } or a plain span { "name": …, "attributes": … }
const PLAIN_SPANS = 1; // [ span, … ]
const RESOURCE_SPANS = 2; // "resourceSpans": [ … ]
const RESOURCE = 3; // { "scopeSpans": … }
const SCOPE_SPANS = 4; // "scopeSpans": [ … ]
const SCOPE = 5; // { "spans": … }
const SPANS = 6; // "spans": [ … ]

// What a frame waits for.
const KEY_OR_END = 0; // after '{'
const KEY = 1; // after ',' in an object
const COLON = 2;
const VALUE = 3; // after ':' in an object, or after ',' in an array
const VALUE_OR_END = 4; // after '['
const COMMA_OR_END = 5;

interface Frame {
  readonly kind: number;
  readonly object: boolean;
  state: number;
  /** Elements seen (arrays), for paths. */
  index: number;
  /** The key whose value is awaited (objects). */
  key: string;
  /** Objects and arrays: the key it is held under in its parent (`scopeSpans` or its deprecated name). */
  readonly name: string;
  /** Its index in its parent array. */
  readonly position: number;
}

// What a captured value is for.
const CAPTURE_KEY = 0;
const CAPTURE_SPAN = 1;
const CAPTURE_PLAIN_SPAN = 2;
const CAPTURE_SKIP = 3; // checked, then dropped (resource, scope, unknown keys)
const CAPTURE_ARRAY_SLOT = 4; // a value where an array was expected (null is an empty one)
const CAPTURE_OBJECT_SLOT = 5; // a value where an object was expected
const CAPTURE_ROOT_ENTRY = 6; // a key of the root object other than resourceSpans
const CAPTURE_ROOT = 7; // a root value that is neither an object nor an array

/** The keys of a root object read as a plain span (see `plainSpan`); the others are checked and dropped. */
const PLAIN_KEYS = new Set([
  "name",
  "attributes",
  "spanContext",
  "traceId",
  "spanId",
  "parentSpanId",
  "kind",
  "startTimeUnixNano",
  "endTimeUnixNano",
  "status",
  "events",
]);

const utf8 = new TextDecoder("utf-8", { fatal: true });

function describeByte(b: number): string {
  if (b >= 0x21 && b < 0x7f) return `'${String.fromCharCode(b)}'`;
  return `byte 0x${b.toString(16).padStart(2, "0")}`;
}

/** Decodes one JSON document pushed in chunks; see the module comment. */
export class JsonDocumentDecoder {
  private readonly stack: Frame[] = [];
  private started = false;
  private done = false;
  /** The document stopped early: a syntax error or a limit. */
  stop: JsonStop | undefined;

  // Position: the current line and the absolute offset where it starts; the offset of the next byte.
  line: number;
  private lineStart: number;
  private offset: number;
  private readonly startOffset: number;
  private readonly startLine: number;

  // The value being cut out of the stream (one at a time).
  private capturing = false;
  private purpose = 0;
  private parts: Buffer[] = [];
  private bytes = 0;
  private depth = 0;
  private readonly closers: Uint8Array;
  private inString = false;
  private escape = false;
  private scalar = false;
  /** Deeper than the limit: the value is only scanned to its end, then rejected. */
  private tooDeep = false;
  /** Larger than the limit: its bytes are no longer kept. */
  private tooLarge = false;
  /** JSON values seen in it (a count of '{', '[' and ','): over the limit, its bytes are no longer kept. */
  private values = 0;
  /** Spans of the document so far. */
  private spanCount = 0;
  private captureLine = 0;
  private captureColumn = 0;
  private captureOffset = 0;
  /** The line where the value went past the depth limit. */
  private deepLine = 0;
  /** Where in the chunk scanning stopped, when a captured value broke the structure. */
  private scanStop = 0;

  private sawResourceSpans = false;
  private readonly rootEntries = new Map<string, unknown>();
  /** A key a plain span is read from was rejected: the span is not read without it. */
  private rootEntryRejected = false;

  constructor(
    private readonly limits: JsonDocumentLimits,
    private readonly sink: JsonSink,
    start: { readonly offset: number; readonly line: number; readonly lineStart: number },
  ) {
    this.offset = this.startOffset = start.offset;
    this.line = this.startLine = start.line;
    this.lineStart = start.lineStart;
    this.closers = new Uint8Array(jsonDepthFor(limits.maxDepth));
  }

  /** True once the document is complete or has stopped. */
  get finished(): boolean {
    return this.done || this.stop !== undefined;
  }

  /** Absolute offset of the next byte, and where its line starts. */
  get position(): { readonly offset: number; readonly line: number; readonly lineStart: number } {
    return { offset: this.offset, line: this.line, lineStart: this.lineStart };
  }

  /**
   * Reads a chunk. Returns the index in `chunk` where the document ended (the rest belongs to what follows it) or
   * stopped (at the offending byte), or -1 when every byte was taken and more are needed.
   */
  push(chunk: Buffer): number {
    if (this.finished) return 0;
    const base = this.offset;
    // Nothing past the size limit is read: a document that has not ended by then stops there.
    const room = this.startOffset + this.limits.maxDocumentBytes - base;
    const end = this.scan(chunk.length > room ? chunk.subarray(0, room) : chunk, base);
    this.offset = base + (end < 0 ? Math.min(chunk.length, room) : end);
    if (end < 0 && chunk.length > room) {
      // A value already over a limit is the first problem to name.
      const first = this.capturing && this.tooDeep ? `${this.tooDeepReason()}; ` : "";
      this.stopAt(
        this.offset,
        `${first}JSON document (from line ${this.startLine}) larger than ${this.limits.maxDocumentBytes} bytes (--max-document-bytes); the spans before this point were validated, the rest was not read`,
        true,
      );
      return chunk.length;
    }
    return end;
  }

  /** The input has ended: the document must be complete. */
  end(): void {
    if (this.finished) return;
    if (this.capturing && this.scalar && !this.inString && this.depth === 0) {
      // A number or literal at the very end of the input.
      this.finishCapture();
      if (this.finished) return;
    }
    if (!this.started) return;
    if (this.capturing && this.tooDeep) {
      // The value that went too deep never closed: it is the problem, where it starts.
      const path = this.path(this.purpose);
      return this.stopAt(
        this.captureOffset,
        `${path ? `${path}: ` : ""}${this.tooDeepReason()}; the document ends before it closes`,
        false,
        { line: this.captureLine, column: this.captureColumn },
      );
    }
    const open =
      this.stack.length > 0
        ? this.stack[this.stack.length - 1]!.object
          ? "an object"
          : "an array"
        : this.inString
          ? "a string"
          : "a value";
    this.stopAt(
      this.offset,
      `invalid JSON at line ${this.line}: the document (from line ${this.startLine}) ends early, inside ${open}: the input is truncated`,
    );
  }

  private stopAt(offset: number, reason: string, final = false, at?: { line: number; column: number }): void {
    this.stop = {
      line: at?.line ?? this.line,
      column: at?.column ?? offset - this.lineStart + 1,
      offset,
      reason,
      ...(final ? { final } : {}),
    };
    this.capturing = false;
    this.parts = [];
  }

  private syntax(buf: Buffer, i: number, base: number, expected: string): number {
    const b = buf[i]!;
    this.stopAt(
      base + i,
      `invalid JSON at line ${this.line} column ${base + i - this.lineStart + 1}: expected ${expected}, found ${describeByte(b)}`,
    );
    return i;
  }

  /** Reads `buf` from its start; returns where the document ended or stopped, or -1. */
  private scan(buf: Buffer, base: number): number {
    const size = buf.length;
    let i = 0;
    while (i < size) {
      if (this.capturing) {
        const after = this.continueCapture(buf, i, base);
        if (after < 0) return this.stop ? this.scanStop : -1;
        i = after;
        this.finishCapture();
        if (this.stop) return i;
        if (this.done) return i;
        continue;
      }
      const b = buf[i]!;
      if (b === 0x20 || b === 0x09 || b === 0x0d) {
        i++;
        continue;
      }
      if (b === 0x0a) {
        this.line++;
        this.lineStart = base + i + 1;
        i++;
        continue;
      }
      const frame = this.stack[this.stack.length - 1];
      if (!frame) {
        if (this.started) return i; // the document is complete: this byte is what follows it
        this.started = true;
        this.startValue(buf, i, base, -1, undefined);
        i = this.capturing ? i : i + 1;
        if (this.stop) return i;
        continue;
      }
      switch (frame.state) {
        case KEY_OR_END:
        case KEY:
          if (b === 0x22) {
            this.beginCapture(buf, i, base, CAPTURE_KEY);
            continue;
          }
          if (b === 0x7d && frame.state === KEY_OR_END) {
            i++;
            this.close();
            if (this.done) return i;
            continue;
          }
          return this.syntax(
            buf,
            i,
            base,
            frame.state === KEY
              ? "a key in double quotes (no comma after the last member)"
              : "a key in double quotes or '}'",
          );
        case COLON:
          if (b !== 0x3a) return this.syntax(buf, i, base, "':' after the key");
          frame.state = VALUE;
          i++;
          continue;
        case VALUE:
        case VALUE_OR_END:
          if (b === 0x5d && frame.state === VALUE_OR_END) {
            i++;
            this.close();
            if (this.done) return i;
            continue;
          }
          if (b === 0x5d || b === 0x7d || b === 0x2c || b === 0x3a)
            return this.syntax(buf, i, base, frame.object ? "a value" : "a value (no comma after the last element)");
          frame.state = COMMA_OR_END;
          this.startValue(buf, i, base, frame.kind, frame);
          if (this.stop) return i;
          if (!this.capturing) i++;
          continue;
        case COMMA_OR_END:
          if (b === 0x2c) {
            frame.state = frame.object ? KEY : VALUE;
            i++;
            continue;
          }
          if (b === (frame.object ? 0x7d : 0x5d)) {
            i++;
            this.close();
            if (this.done) return i;
            continue;
          }
          return this.syntax(
            buf,
            i,
            base,
            frame.object ? "',' or '}' after a value in an object" : "',' or ']' after an element of an array",
          );
      }
    }
    return -1;
  }

  /** A value begins at `buf[i]` in a slot of frame kind `parent` (-1: the root): stream it, or cut it out. */
  private startValue(buf: Buffer, i: number, base: number, parent: number, frame: Frame | undefined): void {
    const b = buf[i]!;
    const key = frame?.object ? frame.key : "";
    const position = frame && !frame.object ? frame.index++ : 0;
    if (parent === -1) {
      if (b === 0x7b) return this.open(ROOT_OBJECT, true, "", 0);
      if (b === 0x5b) return this.open(PLAIN_SPANS, false, "", 0);
      return this.beginCapture(buf, i, base, CAPTURE_ROOT);
    }
    let streamed = -1;
    let slot = CAPTURE_SKIP;
    if ((parent === SPANS || parent === PLAIN_SPANS) && this.spanCount++ === this.limits.maxDocumentSpans) {
      return this.stopAt(base + i, tooManySpans(this.startLine, this.limits.maxDocumentSpans));
    }
    switch (parent) {
      case ROOT_OBJECT:
        if (key === "resourceSpans") {
          this.sawResourceSpans = true;
          streamed = RESOURCE_SPANS;
          slot = CAPTURE_ARRAY_SLOT;
        } else slot = CAPTURE_ROOT_ENTRY;
        break;
      case RESOURCE_SPANS:
        streamed = RESOURCE;
        slot = CAPTURE_OBJECT_SLOT;
        break;
      case RESOURCE:
        if ((SCOPE_KEYS as readonly string[]).includes(key)) {
          streamed = SCOPE_SPANS;
          slot = CAPTURE_ARRAY_SLOT;
        }
        break;
      case SCOPE_SPANS:
        streamed = SCOPE;
        slot = CAPTURE_OBJECT_SLOT;
        break;
      case SCOPE:
        if (key === "spans") {
          streamed = SPANS;
          slot = CAPTURE_ARRAY_SLOT;
        }
        break;
      case SPANS:
        slot = CAPTURE_SPAN;
        break;
      case PLAIN_SPANS:
        slot = CAPTURE_PLAIN_SPAN;
        break;
    }
    const streamedIsObject = streamed === RESOURCE || streamed === SCOPE;
    if (streamed !== -1 && b === (streamedIsObject ? 0x7b : 0x5b))
      return this.open(streamed, streamedIsObject, key, position);
    this.beginCapture(buf, i, base, slot);
  }

  private open(kind: number, object: boolean, name: string, position: number): void {
    if (this.stack.length + 1 > this.closers.length) return void this.stopAt(this.offset, this.tooDeepReason());
    this.stack.push({ kind, object, state: object ? KEY_OR_END : VALUE_OR_END, index: 0, key: "", name, position });
  }

  /** The top frame has closed. */
  private close(): void {
    const frame = this.stack.pop()!;
    if (frame.kind === ROOT_OBJECT) this.finishRootObject();
    if (this.stack.length === 0) this.done = true;
  }

  private finishRootObject(): void {
    if (this.sawResourceSpans || this.rootEntryRejected) return;
    const entries = this.rootEntries;
    const line = this.startLine;
    if (entries.has("name") || entries.has("attributes")) {
      const span: Record<string, unknown> = {};
      for (const [key, value] of entries) span[key] = value;
      this.convert(() => plainSpan(span, "", this.limits.maxDepth), "", line, this.startOffset, Number.NaN);
    } else {
      this.sink.reject(
        line,
        this.startOffset,
        `wrong shape: the record: expected an ExportTraceServiceRequest (with \`resourceSpans\`), a span (\`name\`, \`attributes\`) or an array of spans, found an object`,
      );
    }
    entries.clear();
  }

  private tooDeepReason(): string {
    return `JSON nested deeper than ${this.closers.length} levels at line ${this.tooDeep ? this.deepLine : this.line} (--max-depth ${this.limits.maxDepth} allows OTLP values nested ${this.limits.maxDepth} deep)`;
  }

  // --- cutting values out of the stream --------------------------------------------------------------------------

  private beginCapture(buf: Buffer, i: number, base: number, purpose: number): void {
    const b = buf[i]!;
    this.capturing = true;
    this.purpose = purpose;
    this.parts = [];
    this.bytes = 0;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.tooDeep = false;
    this.tooLarge = false;
    this.values = 1;
    this.scalar = b !== 0x7b && b !== 0x5b;
    this.captureLine = this.line;
    this.captureOffset = base + i;
    this.captureColumn = base + i - this.lineStart + 1;
  }

  /**
   * Scans a captured value from `buf[i]`; keeps its bytes. Returns the index after its end, or -1 when the chunk
   * ends first (or the value broke the structure: `stop` is set).
   */
  private continueCapture(buf: Buffer, start: number, base: number): number {
    const size = buf.length;
    const closers = this.closers;
    const limit = closers.length - this.stack.length;
    let depth = this.depth;
    let inString = this.inString;
    let escape = this.escape;
    let values = this.values;
    const scalar = this.scalar;
    let i = start;
    let endAt = -1;
    scan: while (i < size) {
      if (inString) {
        if (escape) {
          escape = false;
          i++;
          continue;
        }
        // The body of a string: nothing but its end, an escape or a (forbidden) raw line break matters.
        let b = buf[i]!;
        while (b !== 0x22 && b !== 0x5c && b !== 0x0a) {
          if (++i === size) break scan;
          b = buf[i]!;
        }
        i++;
        if (b === 0x5c) escape = true;
        else if (b === 0x22) {
          inString = false;
          if (scalar && depth === 0) {
            endAt = i;
            break;
          }
        } else {
          this.line++;
          this.lineStart = base + i;
        }
        continue;
      }
      const b = buf[i]!;
      switch (b) {
        case 0x22:
          inString = true;
          break;
        case 0x7b:
        case 0x5b:
          if (scalar) {
            endAt = i;
            break scan;
          }
          values++;
          if (depth < limit) closers[depth] = b === 0x7b ? 0x7d : 0x5d;
          else if (!this.tooDeep) {
            this.tooDeep = true;
            this.deepLine = this.line;
          }
          depth++;
          break;
        case 0x7d:
        case 0x5d:
          if (scalar && depth === 0) {
            endAt = i;
            break scan;
          }
          if (depth <= limit && closers[depth - 1] !== b) {
            this.depth = depth;
            this.scanStop = i;
            this.stopAt(
              base + i,
              `invalid JSON at line ${this.line} column ${base + i - this.lineStart + 1}: expected ${closers[depth - 1] === 0x7d ? "'}'" : "']'"} to close the ${closers[depth - 1] === 0x7d ? "object" : "array"}, found ${describeByte(b)}`,
            );
            return -1;
          }
          depth--;
          if (depth === 0) {
            endAt = i + 1;
            break scan;
          }
          break;
        case 0x0a:
          if (scalar && depth === 0) {
            endAt = i;
            break scan;
          }
          this.line++;
          this.lineStart = base + i + 1;
          break;
        case 0x2c:
          if (scalar && depth === 0) {
            endAt = i;
            break scan;
          }
          values++;
          break;
        case 0x20:
        case 0x09:
        case 0x0d:
        case 0x3a:
          if (scalar && depth === 0) {
            endAt = i;
            break scan;
          }
          break;
      }
      i++;
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
    this.values = values;
    const stop = endAt < 0 ? size : endAt;
    const taken = stop - start;
    if (!this.tooLarge && !this.tooDeep) {
      if (this.bytes + taken > this.limits.maxRecordBytes || values > this.limits.maxSpanValues) {
        this.tooLarge = true;
        this.parts = [];
      } else if (taken > 0) this.parts.push(buf.subarray(start, stop));
    }
    this.bytes += taken;
    if (this.tooDeep) this.parts = [];
    return endAt;
  }

  /** A captured value is complete: parse it and use it for its purpose. */
  private finishCapture(): void {
    this.capturing = false;
    const purpose = this.purpose;
    const frame = this.stack[this.stack.length - 1];
    const line = this.captureLine;
    const offset = this.captureOffset;
    const path = this.path(purpose);
    if (this.tooDeep || this.tooLarge) {
      const what = purpose === CAPTURE_SPAN || purpose === CAPTURE_PLAIN_SPAN ? "a span" : "a value";
      // A plain span's own key over a limit takes the span with it.
      const skipped =
        purpose === CAPTURE_ROOT_ENTRY && frame && PLAIN_KEYS.has(frame.key)
          ? "the span was skipped"
          : "it was skipped";
      const reason = this.tooDeep
        ? `${path ? `${path}: ` : ""}${this.tooDeepReason()}`
        : this.values > this.limits.maxSpanValues
          ? `${path ? `${path}: ` : ""}${what} of ${this.values} JSON values is more than the limit of ${this.limits.maxSpanValues} (--max-span-values); ${skipped}`
          : `${path ? `${path}: ` : ""}${what} of ${this.bytes} bytes is larger than the limit of ${this.limits.maxRecordBytes} bytes (--max-record-bytes); ${skipped}`;
      this.parts = [];
      if (purpose === CAPTURE_KEY)
        return this.stopAt(offset, `invalid JSON at line ${line}: ${reason}`, false, {
          line,
          column: this.captureColumn,
        });
      this.noteRootEntryRejected(purpose, frame);
      if (frame?.object) frame.key = "";
      this.sink.reject(line, offset, reason);
      if (purpose === CAPTURE_ROOT) this.done = true;
      return;
    }
    const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      const reason = `invalid UTF-8 in the ${purpose === CAPTURE_KEY ? "key" : "value"} starting at line ${line} column ${this.captureColumn}; expected UTF-8 JSON text`;
      if (purpose === CAPTURE_KEY) return this.stopAt(offset, reason, false, { line, column: this.captureColumn });
      this.noteRootEntryRejected(purpose, frame);
      this.sink.reject(line, offset, `${path ? `${path}: ` : ""}${reason}`);
      if (purpose === CAPTURE_ROOT) this.done = true;
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const reason = `invalid JSON: ${parseError(error, text, line, this.captureColumn)}`;
      if (purpose === CAPTURE_KEY) return this.stopAt(offset, reason, false, { line, column: this.captureColumn });
      this.noteRootEntryRejected(purpose, frame);
      this.sink.reject(line, offset, `${path ? `${path}: ` : ""}${reason}`);
      if (purpose === CAPTURE_ROOT) this.done = true;
      return;
    }
    switch (purpose) {
      case CAPTURE_KEY:
        frame!.key = value as string;
        frame!.state = COLON;
        return;
      case CAPTURE_SPAN:
        return this.convert(() => requestSpan(value, this.limits.maxDepth), path, line, offset, offset + this.bytes);
      case CAPTURE_PLAIN_SPAN:
        return this.convert(() => plainSpan(value, "", this.limits.maxDepth), path, line, offset, offset + this.bytes);
      case CAPTURE_ARRAY_SLOT:
        if (value !== null)
          this.sink.reject(line, offset, `wrong shape: ${new ShapeError(path, "an array", value).message}`);
        return;
      case CAPTURE_OBJECT_SLOT: {
        const what = frame!.kind === RESOURCE_SPANS ? "a ResourceSpans object" : "a ScopeSpans object";
        this.sink.reject(line, offset, `wrong shape: ${new ShapeError(path, what, value).message}`);
        return;
      }
      case CAPTURE_ROOT_ENTRY:
        if (PLAIN_KEYS.has(frame!.key)) this.rootEntries.set(frame!.key, value);
        return;
      case CAPTURE_ROOT:
        this.done = true;
        this.sink.reject(
          line,
          offset,
          `wrong shape: ${new ShapeError("", "an ExportTraceServiceRequest object or an array of spans", value).message}`,
        );
        return;
      default:
        return; // CAPTURE_SKIP: checked by JSON.parse, not needed
    }
  }

  private noteRootEntryRejected(purpose: number, frame: Frame | undefined): void {
    if (purpose === CAPTURE_ROOT_ENTRY && frame && PLAIN_KEYS.has(frame.key)) this.rootEntryRejected = true;
  }

  /** Converts a parsed span; a shape error rejects it alone, under its path. */
  private convert(build: () => InputSpan, path: string, line: number, offset: number, end: number): void {
    let span: InputSpan;
    try {
      span = build();
    } catch (error) {
      if (error instanceof ShapeError)
        return this.sink.reject(
          line,
          offset,
          `wrong shape: ${new ShapeError(path + (path && error.path && !error.path.startsWith(".") && !error.path.startsWith("[") ? "." : "") + error.path, error.expected, error.found).message}`,
        );
      if (error instanceof RangeError)
        return this.sink.reject(line, offset, `${path ? `${path}: ` : ""}too deeply nested: ${error.message}`);
      throw error;
    }
    this.sink.span(span, line, offset, end);
  }

  /** The JSON path of the value being captured (`resourceSpans[0].scopeSpans[1].spans[2]`, `[3]`, `resource`). */
  private path(purpose: number): string {
    if (purpose === CAPTURE_ROOT) return "";
    let path = "";
    for (let k = 0; k < this.stack.length; k++) {
      const frame = this.stack[k]!;
      const child = this.stack[k + 1];
      if (frame.object) {
        const key = child ? child.name : frame.key;
        if (key) path += path ? `.${key}` : key;
      } else {
        const index = child ? child.position : frame.index - 1;
        path += `[${index}]`;
      }
    }
    return path;
  }
}

/** Why a document stopped at `--max-document-spans`. */
export function tooManySpans(line: number, max: number): string {
  return `the JSON document (from line ${line}) holds more than ${max} spans (--max-document-spans): the first ${max} were read, the rest was not`;
}

/** `JSON.parse`'s message with the line and column in the input (V8 gives a position for most errors). */
export function parseError(error: unknown, text: string, startLine: number, startColumn = 1): string {
  const message = (error as Error).message;
  const match = /at position (\d+)/.exec(message);
  if (!match)
    return /end of JSON input/.test(message)
      ? `${message}: the text ends early`
      : `${shorten(message)} (in the value starting at line ${startLine} column ${startColumn})`;
  const pos = Number(match[1]);
  let line = startLine;
  let lastBreak = -1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastBreak = i;
    }
  }
  const column = line === startLine ? startColumn + pos : pos - lastBreak;
  return `${message.replace(/ in JSON at position \d+.*$/, "")} at line ${line} column ${column}`;
}

/** V8 quotes the text around an unexpected token: a few dozen characters are enough to recognise it. */
function shorten(message: string): string {
  return message.length > 200 ? `${message.slice(0, 197)}...` : message;
}
