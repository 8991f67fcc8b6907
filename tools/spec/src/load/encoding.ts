/**
 * The characters of a spec file. YAML is Unicode text: UTF-8 (with or without a byte order mark) or UTF-16
 * with one, and only printable characters (YAML 1.2 `c-printable`; other control characters must be written as
 * escapes in double-quoted strings). Anything else is reported at its place instead of turning into U+FFFD or
 * an invisible character in generated code.
 */

/** A problem with the characters of a file, at an offset of its text. */
export interface TextProblem {
  readonly message: string;
  readonly offset: number;
}

/** A problem with the bytes of a file, at the line and column of the text before it. */
export interface BytesProblem {
  readonly message: string;
  readonly line: number;
  readonly col: number;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });
const UTF8_LENIENT = new TextDecoder("utf-8");
const UTF16LE = new TextDecoder("utf-16le", { fatal: true });

/** Bytes → text, or the first byte that is not part of a UTF-8 (or, after a BOM, UTF-16) character. */
export function decodeSpecBytes(bytes: Uint8Array): { text: string } | { problem: BytesProblem } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes.subarray(2), false);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes.subarray(2), true);
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    const prefix = UTF8_LENIENT.decode(bytes.subarray(0, at));
    const shown = [...bytes.subarray(at, at + 4)]
      .map((b) => `0x${b.toString(16).padStart(2, "0").toUpperCase()}`)
      .join(" ");
    return {
      problem: {
        message: `not valid UTF-8 at byte offset ${at} (${shown}): save the file as UTF-8`,
        ...lineAndColumn(prefix, prefix.length),
      },
    };
  }
}

function decodeUtf16(body: Uint8Array, bigEndian: boolean): { text: string } | { problem: BytesProblem } {
  if (body.length % 2 === 1)
    return {
      problem: {
        message: "UTF-16 text (it starts with a byte order mark) with an odd number of bytes",
        line: 1,
        col: 1,
      },
    };
  const little = bigEndian ? swapPairs(body) : body;
  try {
    return { text: UTF16LE.decode(little) };
  } catch {
    return {
      problem: {
        message: "UTF-16 text (it starts with a byte order mark) with an unpaired surrogate: save the file as UTF-8",
        line: 1,
        col: 1,
      },
    };
  }
}

function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      // No overlong forms (E0 80..9F) and no surrogates (ED A0..BF).
      min = b === 0xe0 ? 0xa0 : 0x80;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = b === 0xf0 ? 0x90 : 0x80;
      if (b === 0xf4) max = 0x8f;
    } else return i;
    const second = bytes[i + 1];
    if (second === undefined || second < min || second > max) return i;
    for (let k = 2; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

/** Characters YAML does not allow unescaped: C0 and C1 controls but tab, line feed, return and NEL; DEL; U+FFFE/U+FFFF; lone surrogates. */
const NOT_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|\p{Cs}/u;

/** The first character YAML does not allow in a file, if any. */
export function unprintableCharacter(text: string): TextProblem | undefined {
  const match = NOT_PRINTABLE.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return {
    message: `character U+${code} is not allowed in YAML: write it as an escape (\`\\u${code}\`) inside a double-quoted string`,
    offset: match.index,
  };
}

/** 1-based line and column of `offset` in `text` (lines end at `\n`, as YAML counts them). */
export function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}
