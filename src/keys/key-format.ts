// The API key format: `kf_live_` + 22 base62 characters (131 random bits) + 6 base62
// characters of CRC32 over everything before them. The readable prefix lets secret
// scanners find leaked keys; the checksum lets a mistyped or truncated key be refused
// before any database lookup. Only the SHA-256 of the whole key is stored.
import { createHash, randomBytes } from 'node:crypto';

export const KEY_PREFIX = 'kf_live_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62^22 > 2^130: at least 128 bits of entropy. */
const SECRET_CHARS = 22;
/** 62^6 > 2^32: room for any CRC32 value. */
const CHECKSUM_CHARS = 6;
/** Characters kept for display (`kf_live_` + 4 of the secret): enough to tell keys apart, far too few to guess. */
const DISPLAY_PREFIX_CHARS = KEY_PREFIX.length + 4;

export const KEY_LENGTH = KEY_PREFIX.length + SECRET_CHARS + CHECKSUM_CHARS;
const KEY_SHAPE = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${SECRET_CHARS + CHECKSUM_CHARS}}$`);
/** Anything that looks like one of our keys, for refusing keys in query strings. */
export const KEY_LIKE = /kf_(live|test)_[0-9A-Za-z]{8,}/;

export interface NewKey {
  /** The full key: returned once to the caller, never stored or logged. */
  key: string;
  hash: string;
  displayPrefix: string;
}

export function generateKey(): NewKey {
  const secret = randomBase62(SECRET_CHARS);
  const body = KEY_PREFIX + secret;
  const key = body + toBase62(crc32(body), CHECKSUM_CHARS);
  return { key, hash: hashKey(key), displayPrefix: displayPrefix(key) };
}

export type KeyShapeProblem = 'malformed' | 'checksum';

/** Checks shape and checksum only (no I/O); `undefined` means the key may be looked up. */
export function checkKeyShape(candidate: string): KeyShapeProblem | undefined {
  if (candidate.length !== KEY_LENGTH || !KEY_SHAPE.test(candidate)) return 'malformed';
  const body = candidate.slice(0, -CHECKSUM_CHARS);
  return toBase62(crc32(body), CHECKSUM_CHARS) === candidate.slice(-CHECKSUM_CHARS) ? undefined : 'checksum';
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function displayPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_CHARS);
}

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    // Rejection sampling: bytes >= 248 (= 4 * 62) would bias the first characters.
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

function toBase62(value: number, width: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE), as in zlib; written out because zlib.crc32 needs Node 20.15. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
