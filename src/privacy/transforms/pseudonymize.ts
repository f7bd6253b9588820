// Pseudonyms are keyed: HMAC-SHA256 under a key derived per dataset. A plain hash of a
// resident ID or a phone number is reversible by enumerating the few billion valid values,
// and one key for every dataset would let anyone join releases on the pseudonym.
import * as nodeCrypto from 'node:crypto';
import { createHmac, hkdfSync } from 'node:crypto';
import { KaifangError } from '../../errors';
import { normalizeForDetection } from '../normalize';
import type { PrivacyType } from '../types';

const KEY_BYTES = 32;
const MIN_SECRET_BYTES = 16;
export const MIN_PSEUDONYM_BITS = 128;
// Fixed, public HKDF salt: it separates this use of the platform secret from any other.
const HKDF_SALT = 'kaifang/privacy/pseudonymize/v1';

/** The per-dataset HMAC key: HKDF-SHA256(platformSecret, salt, "dataset:" + datasetId). */
export function deriveDatasetKey(platformSecret: string | Uint8Array, datasetId: string): Buffer {
  const secret = typeof platformSecret === 'string' ? Buffer.from(platformSecret, 'utf8') : platformSecret;
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw new KaifangError('internal_error', 'the platform secret for pseudonyms must be at least 128 bits');
  }
  if (datasetId.length === 0) throw new KaifangError('internal_error', 'a dataset key needs a dataset id');
  return Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, `dataset:${datasetId}`, KEY_BYTES));
}

export interface PseudonymizeOptions {
  /** Identifier types are normalised first, so `138 0013 8000` and `13800138000` agree. */
  type?: PrivacyType;
  encoding?: 'hex' | 'base64url';
  /** Bits of the HMAC kept; at least 128, at most 256, a multiple of 8. Default 128. */
  bits?: number;
}

// Types whose written variants should map to one pseudonym, so linkage inside a dataset holds.
const NORMALISED_TYPES: ReadonlySet<PrivacyType> = new Set([
  'resident_id', 'credit_code', 'bank_card', 'mobile', 'landline', 'passport', 'hk_macau_permit', 'licence_plate',
]);

function canonical(value: string, type: PrivacyType | undefined): string {
  if (type === undefined) return value.normalize('NFC').trim();
  if (type === 'email') return value.normalize('NFKC').trim().toLowerCase();
  if (NORMALISED_TYPES.has(type)) return normalizeForDetection(value).replace(/[ ()-]/g, '').toUpperCase();
  return value.normalize('NFKC').trim();
}

/**
 * Keyed pseudonym of `value`: deterministic for one dataset key, unrelated across keys.
 * Hex by default so the pseudonym never contains separator characters a detector could
 * stitch into a number.
 */
export function pseudonymize(value: string, datasetKey: Uint8Array, options: PseudonymizeOptions = {}): string {
  const bits = options.bits ?? MIN_PSEUDONYM_BITS;
  if (!Number.isInteger(bits) || bits < MIN_PSEUDONYM_BITS || bits > 256 || bits % 8 !== 0) {
    throw new RangeError('pseudonym bits must be a multiple of 8 between 128 and 256');
  }
  if (datasetKey.byteLength < MIN_SECRET_BYTES) {
    throw new KaifangError('internal_error', 'a dataset key for pseudonyms must be at least 128 bits');
  }
  const digest = hmacSha256(datasetKey, canonical(value, options.type));
  return digest.subarray(0, bits / 8).toString(options.encoding ?? 'hex');
}

// An import pseudonymizes every cell of a column, and creating an Hmac object per cell
// was most of that cost. So HMAC-SHA256 is written out (RFC 2104: H(K^opad || H(K^ipad || m)))
// over the one-shot crypto.hash (Node >= 20.12), with the padded keys computed once per
// dataset key: the same bytes as createHmac, which remains the path on older Node.
const SHA256_BLOCK_BYTES = 64;
const SHA256_BYTES = 32;
const SCRATCH_MESSAGE_BYTES = 1024;
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }).hash;
/** Padded keys by dataset key object; a WeakMap, so keys of finished imports are collected. */
const paddedKeys = new WeakMap<Uint8Array, { inner: Buffer; outer: Buffer }>();
// Reused for messages up to SCRATCH_MESSAGE_BYTES; the hash runs synchronously, so no call can interleave.
const innerScratch = Buffer.alloc(SHA256_BLOCK_BYTES + SCRATCH_MESSAGE_BYTES);
const outerScratch = Buffer.alloc(SHA256_BLOCK_BYTES + SHA256_BYTES);

function hmacSha256(key: Uint8Array, message: string): Buffer {
  if (oneShotHash === undefined) return createHmac('sha256', key).update(message, 'utf8').digest();
  let pads = paddedKeys.get(key);
  if (pads === undefined) {
    const block = Buffer.alloc(SHA256_BLOCK_BYTES);
    (key.byteLength > SHA256_BLOCK_BYTES ? oneShotHash('sha256', key, 'buffer') : Buffer.from(key)).copy(block);
    pads = { inner: Buffer.from(block.map((byte) => byte ^ 0x36)), outer: Buffer.from(block.map((byte) => byte ^ 0x5c)) };
    paddedKeys.set(key, pads);
  }
  let inner: Buffer;
  if (Buffer.byteLength(message, 'utf8') <= SCRATCH_MESSAGE_BYTES) {
    pads.inner.copy(innerScratch);
    const written = innerScratch.write(message, SHA256_BLOCK_BYTES, 'utf8');
    inner = oneShotHash('sha256', innerScratch.subarray(0, SHA256_BLOCK_BYTES + written), 'buffer');
  } else {
    inner = oneShotHash('sha256', Buffer.concat([pads.inner, Buffer.from(message, 'utf8')]), 'buffer');
  }
  pads.outer.copy(outerScratch);
  inner.copy(outerScratch, SHA256_BLOCK_BYTES);
  return oneShotHash('sha256', outerScratch, 'buffer');
}
