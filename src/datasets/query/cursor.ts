// Opaque keyset cursors. A cursor carries where the previous page ended (the last row's
// sort values and `_kf_row`) and what it belongs to (dataset, version, and a fingerprint
// of the filters, search, order and select). It is signed with HMAC-SHA256 so a client
// cannot forge one, edit the position, or replay it against another dataset, version or
// query: any of those would page through rows the position does not describe.
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { KaifangError } from '../../errors';
import type { KeysetPosition } from './compile-records-sql';
import { MAX_CURSOR_CHARS, type RecordsQuery } from './parse-records-query';

export interface CursorPayload {
  datasetId: string;
  version: number;
  /** queryFingerprint(query) of the query that produced the page. */
  fingerprint: string;
  /** Last row's sort values (canonical text, null for NULL), in the order of the query's sort fields. */
  values: (string | null)[];
  /** Last row's `_kf_row`, as decimal text (a bigint). */
  row: string;
}

export interface CursorExpectation {
  datasetId: string;
  version: number;
  fingerprint: string;
}

const KEY_BYTES = 32;
const MIN_SECRET_BYTES = 16;
// Fixed, public HKDF salt: it separates this use of the platform secret from every other one.
const HKDF_SALT = 'kaifang/datasets/cursor/v1';
// Bytes of the HMAC kept in the cursor: 128 bits is far beyond guessing and keeps URLs short.
const MAC_BYTES = 16;

/** The cursor signing key, derived from the platform secret (config `secret`). Derive once at start. */
export function deriveCursorKey(platformSecret: string | Uint8Array): Buffer {
  const secret = typeof platformSecret === 'string' ? Buffer.from(platformSecret, 'utf8') : platformSecret;
  if (secret.byteLength < MIN_SECRET_BYTES) throw new Error('the platform secret must be at least 128 bits');
  return Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, 'records-cursor', KEY_BYTES));
}

/**
 * A fingerprint of what decides which rows follow a position: filters (in any order),
 * `q`, the sort terms and the selected fields. Limit and count may change between pages.
 */
export function queryFingerprint(query: Pick<RecordsQuery, 'filters' | 'q' | 'order' | 'select'>): string {
  const filters = query.filters.map((filter) => JSON.stringify(filter)).sort();
  const canonical = JSON.stringify({ filters, q: query.q, order: query.order, select: query.select });
  return createHash('sha256').update(canonical, 'utf8').digest('base64url').slice(0, 22);
}

// Compact on the wire: short keys, since the cursor travels in every next-page URL.
const wireSchema = z.object({
  d: z.string().min(1).max(64),
  v: z.number().int().positive(),
  f: z.string().min(1).max(64),
  k: z.array(z.string().max(10_000).nullable()).max(32),
  r: z.string().regex(/^\d{1,19}$/),
});

export function encodeCursor(payload: CursorPayload, key: Uint8Array): string {
  const wire: z.infer<typeof wireSchema> = { d: payload.datasetId, v: payload.version, f: payload.fingerprint, k: payload.values, r: payload.row };
  const body = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
  return `${body}.${mac(body, key).toString('base64url')}`;
}

/**
 * Verifies a cursor and returns the position it holds. Every refusal is a 400
 * `validation_failed` at `query.cursor` saying why, so a client knows to start over.
 */
export function decodeCursor(text: string, key: Uint8Array, expected: CursorExpectation): KeysetPosition & CursorPayload {
  const refuse = (message: string) =>
    new KaifangError('validation_failed', 'The cursor cannot be used.', { errors: [{ location: 'query.cursor', message }] });

  const parts = text.length <= MAX_CURSOR_CHARS ? text.split('.') : [];
  const [body, signature] = parts;
  if (parts.length !== 2 || !body || !signature || !/^[A-Za-z0-9_-]+$/.test(body) || !/^[A-Za-z0-9_-]+$/.test(signature)) {
    throw refuse('not a cursor issued by this API: pass the `next` value of the previous page unchanged');
  }
  const given = Buffer.from(signature, 'base64url');
  const wanted = mac(body, key);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw refuse('the cursor signature does not verify: it was changed or was not issued by this API');
  }
  let wire: z.infer<typeof wireSchema>;
  try {
    wire = wireSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    // Signed by us but unreadable: only an older cursor format could do this.
    throw refuse('the cursor is in a format this API no longer reads; start again from the first page');
  }
  if (wire.d !== expected.datasetId) throw refuse('the cursor belongs to another dataset');
  if (wire.v !== expected.version) throw refuse(`the cursor belongs to version ${wire.v} of this dataset, not version ${expected.version}; start again from the first page`);
  if (wire.f !== expected.fingerprint) {
    throw refuse('the cursor belongs to a different query: filters, q, order and select must stay the same while paging (limit may change)');
  }
  return { datasetId: wire.d, version: wire.v, fingerprint: wire.f, values: wire.k, row: wire.r };
}

/**
 * The version a genuine cursor was issued for, or null when the text is not one (the
 * full check in decodeCursor then says why). A request that pages by cursor without
 * `version=n` keeps reading the version its first page came from, so publishing a new
 * version mid-way neither skips nor repeats rows.
 */
export function cursorVersion(text: string, key: Uint8Array): number | null {
  const parts = text.length <= MAX_CURSOR_CHARS ? text.split('.') : [];
  const [body, signature] = parts;
  if (parts.length !== 2 || !body || !signature) return null;
  const given = Buffer.from(signature, 'base64url');
  const wanted = mac(body, key);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return null;
  try {
    return wireSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))).v;
  } catch {
    return null;
  }
}

function mac(body: string, key: Uint8Array): Buffer {
  if (key.byteLength < MIN_SECRET_BYTES) throw new Error('a cursor key must be at least 128 bits');
  return createHmac('sha256', key).update(`kaifang-cursor.${body}`, 'utf8').digest().subarray(0, MAC_BYTES);
}
