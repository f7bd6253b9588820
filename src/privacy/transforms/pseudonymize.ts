// Pseudonyms are keyed: HMAC-SHA256 under a key derived per dataset. A plain hash of a
// resident ID or a phone number is reversible by enumerating the few billion valid values,
// and one key for every dataset would let anyone join releases on the pseudonym.
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
  const digest = createHmac('sha256', datasetKey).update(canonical(value, options.type), 'utf8').digest();
  return digest.subarray(0, bits / 8).toString(options.encoding ?? 'hex');
}
