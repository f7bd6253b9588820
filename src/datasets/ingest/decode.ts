// Streaming byte-to-text decoding for CSV uploads.
//
// Every decoder here is fed raw chunks as they arrive and never holds more than a few
// bytes (a character split across chunks) or, while detecting, one bounded sample.
// Instead of throwing on bad bytes they emit U+FFFD and report where they did so, so
// the reader can name the line of every undecodable byte and keep collecting problems.

import iconv from 'iconv-lite';

export type CsvEncoding = 'utf-8' | 'gb18030' | 'gbk';

/** Decoded text plus the offsets in `text` where undecodable bytes were replaced. */
export interface DecodedText {
  text: string;
  badOffsets: number[];
}

export interface StreamDecoder {
  /** The encoding in use; `ascii` while auto-detection has only seen ASCII bytes. */
  readonly encoding: CsvEncoding | 'ascii';
  /** What to tell the uploader about a replaced byte (never includes the bytes). */
  readonly badByteMessage: string;
  write(bytes: Uint8Array): DecodedText;
  end(): DecodedText;
}

/**
 * How many bytes auto-detection looks at, counted from the first non-ASCII byte.
 * ASCII decodes the same in UTF-8 and GB18030, so a long ASCII prefix is passed through
 * undecided and the sample only holds bytes that tell the two encodings apart.
 */
export const DETECT_SAMPLE_BYTES = 64 * 1024;

const EMPTY = new Uint8Array(0);
const NO_BAD: number[] = [];
const UTF8_MESSAGE = 'bytes are not valid UTF-8; save the file as UTF-8 CSV or choose encoding gb18030';

export function createDecoder(encoding: CsvEncoding | 'auto'): StreamDecoder {
  switch (encoding) {
    case 'utf-8':
      return new Utf8Decoder(UTF8_MESSAGE);
    case 'gb18030':
    case 'gbk':
      return new IconvDecoder(encoding);
    case 'auto':
      return new AutoDecoder();
  }
}

/**
 * Strict UTF-8. TextDecoder's own `stream: true` mode cannot say where a fatal error
 * happened, so the split-character carry is handled here and only whole sequences are
 * decoded; on failure the chunk is walked to place each replacement exactly.
 */
class Utf8Decoder implements StreamDecoder {
  readonly encoding = 'utf-8' as const;
  // ignoreBOM: each decode() call would otherwise drop a leading U+FEFF of every chunk;
  // the reader strips the BOM once, at the start of the file.
  private readonly fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private carry: Uint8Array = EMPTY;

  constructor(readonly badByteMessage: string) {}

  write(bytes: Uint8Array): DecodedText {
    const buf = this.carry.length === 0 ? bytes : concatBytes(this.carry, bytes);
    const cut = completeUtf8Length(buf);
    this.carry = buf.slice(cut);
    return this.decode(buf.subarray(0, cut));
  }

  end(): DecodedText {
    const rest = this.carry;
    this.carry = EMPTY;
    return this.decode(rest);
  }

  private decode(bytes: Uint8Array): DecodedText {
    if (bytes.length === 0) return { text: '', badOffsets: NO_BAD };
    try {
      return { text: this.fatal.decode(bytes), badOffsets: NO_BAD };
    } catch {
      return this.decodeWithReplacement(bytes);
    }
  }

  private decodeWithReplacement(bytes: Uint8Array): DecodedText {
    const parts: string[] = [];
    const badOffsets: number[] = [];
    let textLength = 0;
    let i = 0;
    while (i < bytes.length) {
      const end = validUtf8Prefix(bytes, i);
      if (end > i) {
        const part = this.fatal.decode(bytes.subarray(i, end));
        parts.push(part);
        textLength += part.length;
      }
      if (end >= bytes.length) break;
      badOffsets.push(textLength);
      parts.push('\uFFFD');
      textLength += 1;
      i = end + 1;
    }
    return { text: parts.join(''), badOffsets };
  }
}

/**
 * GB18030 or GBK through iconv-lite's decoder. Only whole characters are passed to it:
 * iconv-lite 0.7 sizes its output for 2 bytes per input byte, so a chunk that finishes a
 * 4-byte GB18030 character begun in the previous chunk silently loses its last
 * character. Holding back an incomplete trailing sequence avoids that.
 */
class IconvDecoder implements StreamDecoder {
  readonly badByteMessage: string;
  private readonly decoder: iconv.DecoderStream;
  private carry: Uint8Array = EMPTY;

  constructor(readonly encoding: 'gb18030' | 'gbk') {
    this.decoder = iconv.getDecoder(encoding);
    this.badByteMessage = `bytes are not valid ${encoding.toUpperCase()}; save the file as UTF-8 CSV`;
  }

  write(bytes: Uint8Array): DecodedText {
    const buf = this.carry.length === 0 ? bytes : concatBytes(this.carry, bytes);
    const cut = completeGb18030Length(buf);
    this.carry = buf.slice(cut);
    return withReplacementOffsets(cut === 0 ? '' : this.decoder.write(toBuffer(buf.subarray(0, cut))));
  }

  end(): DecodedText {
    const rest = this.carry;
    this.carry = EMPTY;
    const text = (rest.length > 0 ? this.decoder.write(toBuffer(rest)) : '') + (this.decoder.end() ?? '');
    return withReplacementOffsets(text);
  }
}

/**
 * Length of `bytes` without a trailing incomplete GB18030 character. GB18030 is only
 * self-synchronising from the front, so this walks the chunk: bytes below 0x81 (and 0xFF)
 * stand alone, a lead byte 0x81-0xFE takes one more byte, or three more when the second
 * is a digit (the 4-byte form). GBK is the 2-byte subset and walks the same way.
 */
export function completeGb18030Length(bytes: Uint8Array): number {
  const len = bytes.length;
  let i = 0;
  while (i < len) {
    const b = bytes[i]!;
    if (b < 0x81 || b === 0xff) {
      i += 1;
      continue;
    }
    if (i + 1 >= len) return i;
    const second = bytes[i + 1]!;
    const size = second >= 0x30 && second <= 0x39 ? 4 : 2;
    if (i + size > len) return i;
    i += size;
  }
  return len;
}

/**
 * UTF-8 BOM → UTF-8; a sample that is valid UTF-8 → UTF-8; a sample that decodes as
 * GB18030 without any replacement → GB18030; otherwise UTF-8, so every undecodable
 * line is reported. Caveat: the decision rests on the sample only (64 KiB from the
 * first non-ASCII byte); a file that changes encoding later fails with line numbers.
 */
class AutoDecoder implements StreamDecoder {
  private inner: StreamDecoder | undefined;
  private sample: Uint8Array[] = [];
  private sampleBytes = 0;

  get encoding(): CsvEncoding | 'ascii' {
    return this.inner?.encoding ?? 'ascii';
  }

  get badByteMessage(): string {
    return this.inner?.badByteMessage ?? UTF8_MESSAGE;
  }

  write(bytes: Uint8Array): DecodedText {
    if (this.inner) return this.inner.write(bytes);
    if (this.sampleBytes === 0) {
      const firstHigh = bytes.findIndex((b) => b >= 0x80);
      if (firstHigh === -1) return { text: asciiText(bytes), badOffsets: NO_BAD };
      const prefix = asciiText(bytes.subarray(0, firstHigh));
      const rest = this.addToSample(bytes.subarray(firstHigh));
      return { text: prefix + rest.text, badOffsets: rest.badOffsets.map((o) => o + prefix.length) };
    }
    return this.addToSample(bytes);
  }

  end(): DecodedText {
    if (!this.inner) {
      if (this.sampleBytes === 0) return { text: '', badOffsets: NO_BAD };
      const head = this.decide(true);
      const tail = this.inner!.end();
      return joinDecoded(head, tail);
    }
    return this.inner.end();
  }

  private addToSample(bytes: Uint8Array): DecodedText {
    this.sample.push(bytes.slice());
    this.sampleBytes += bytes.length;
    if (this.sampleBytes < DETECT_SAMPLE_BYTES) return { text: '', badOffsets: NO_BAD };
    return this.decide(false);
  }

  private decide(final: boolean): DecodedText {
    const sample = concatBytes(...this.sample);
    this.sample = [];
    const hasBom = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;
    if (hasBom || isValidUtf8(sample, final)) this.inner = new Utf8Decoder(UTF8_MESSAGE);
    else if (decodesCleanlyAsGb18030(sample, final)) this.inner = new IconvDecoder('gb18030');
    else this.inner = new Utf8Decoder('bytes are neither valid UTF-8 nor GB18030; save the file as UTF-8 CSV');
    return this.inner.write(sample);
  }
}

function decodesCleanlyAsGb18030(sample: Uint8Array, final: boolean): boolean {
  const decoder = iconv.getDecoder('gb18030');
  const text = decoder.write(toBuffer(sample)) + (final ? (decoder.end() ?? '') : '');
  return !text.includes('\uFFFD');
}

function isValidUtf8(bytes: Uint8Array, final: boolean): boolean {
  const end = final ? bytes.length : completeUtf8Length(bytes);
  return validUtf8Prefix(bytes, 0) >= end;
}

/**
 * Length of `bytes` without a trailing, possibly incomplete multi-byte sequence (which
 * must wait for the next chunk). Invalid trailing bytes are left in to be reported.
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  const len = bytes.length;
  for (let i = len - 1; i >= 0 && i >= len - 3; i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 1;
    return i + need > len ? i : len;
  }
  return len;
}

/** Index of the first byte at or after `start` that does not begin a valid UTF-8 sequence. */
export function validUtf8Prefix(bytes: Uint8Array, start: number): number {
  const len = bytes.length;
  let i = start;
  while (i < len) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f; // UTF-16 surrogates are not valid UTF-8
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= len) return i; // truncated sequence
    const second = bytes[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return len;
}

/**
 * Counts physical lines of decoded text the way the reader splits records: CRLF, LF and
 * a lone CR each end a line. A CR at the end of a chunk waits for the next chunk.
 */
export class LineCounter {
  /** 1-based number of the line the next character belongs to (before a pending CR). */
  private line = 1;
  private pendingCr = false;

  /** Line of the character at `offset` once `advance(text, 0, offset)` has been called. */
  current(): number {
    return this.line + (this.pendingCr ? 1 : 0);
  }

  advance(text: string, from: number, to: number): void {
    if (from >= to) return;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (text.charCodeAt(from) !== 10) this.line += 1;
    }
    for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) this.line += 1;
    for (let i = text.indexOf('\r', from); i !== -1 && i < to; i = text.indexOf('\r', i + 1)) {
      if (i + 1 < to) {
        if (text.charCodeAt(i + 1) !== 10) this.line += 1;
      } else this.pendingCr = true;
    }
  }
}

/** Number of line breaks (CRLF, LF or lone CR) inside one string, e.g. a quoted value. */
export function countLineBreaks(value: string): number {
  let n = 0;
  for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) n += 1;
  for (let i = value.indexOf('\r'); i !== -1; i = value.indexOf('\r', i + 1)) {
    if (value.charCodeAt(i + 1) !== 10) n += 1;
  }
  return n;
}

function withReplacementOffsets(text: string): DecodedText {
  let badOffsets = NO_BAD;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) {
    if (badOffsets === NO_BAD) badOffsets = [];
    badOffsets.push(i);
  }
  return { text, badOffsets };
}

function joinDecoded(a: DecodedText, b: DecodedText): DecodedText {
  if (b.text.length === 0) return a;
  return { text: a.text + b.text, badOffsets: [...a.badOffsets, ...b.badOffsets.map((o) => o + a.text.length)] };
}

function asciiText(bytes: Uint8Array): string {
  return toBuffer(bytes).toString('latin1');
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
