// Licence verification: type, number and holder name in; valid / expired / revoked /
// no_match and the validity dates out, nothing else. Neither numbers nor holder names
// are stored, only keyed HMACs, so the table cannot be searched or reversed without the
// platform secret. An unknown number and a known number with the wrong holder give the
// same bytes, after the same work (one lookup, one HMAC, one constant-time compare), so
// a caller cannot learn that a number exists without knowing its holder. A tight
// per-account limit bounds guessing.
import { z } from '@hono/zod-openapi';
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { defineCapability } from './registry';
import { licenceRecords } from './tables';

export const LICENCE_TYPES = ['business_licence', 'food_business', 'drug_retail'] as const;
export type LicenceType = (typeof LICENCE_TYPES)[number];

const HKDF_SALT = 'kaifang/capabilities/licence-verification/v1';
const keys = new Map<string, Buffer>();

/** The HMAC key for licence lookups, derived from the platform secret. */
export function licenceKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), HKDF_SALT, 'licence-records', 32));
    keys.set(secret, key);
  }
  return key;
}

export function normalizeLicenceNumber(number: string): string {
  return number.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}

/** Holder names compare without case, width or whitespace differences. */
export function normalizeHolderName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

const hmac = (key: Buffer, ...parts: string[]) => createHmac('sha256', key).update(parts.join('\u0000'), 'utf8').digest();

export function numberHmac(key: Buffer, type: string, number: string): string {
  return hmac(key, 'number', type, normalizeLicenceNumber(number)).toString('hex');
}

export function holderHmac(key: Buffer, type: string, number: string, holder: string): string {
  return hmac(key, 'holder', type, normalizeLicenceNumber(number), normalizeHolderName(holder)).toString('hex');
}

// Compared against when the number is unknown, so both negative paths do the same work.
const UNKNOWN_HOLDER = randomBytes(32);

const Input = z
  .object({
    type: z.enum(LICENCE_TYPES).openapi({ description: 'Licence type: `business_licence` (营业执照), `food_business` (食品经营许可证), `drug_retail` (药品经营许可证).', example: 'food_business' }),
    number: z.string().trim().min(4).max(64).openapi({ description: 'Licence number as printed.', example: 'JY13401040012345' }),
    holderName: z.string().trim().min(1).max(200).openapi({ description: 'Holder name as printed on the licence.', example: '合肥庐州餐饮有限公司' }),
  })
  .strict()
  .openapi('LicenceVerificationInput');

const Output = z
  .object({
    status: z.enum(['valid', 'expired', 'revoked', 'no_match']).openapi({
      description: '`valid`, `expired` (past its end date), `revoked`, or `no_match`: no licence of this type and number held by this name. A wrong name and an unknown number give the same answer.',
      example: 'valid',
    }),
    validFrom: z.string().nullable().openapi({ description: 'First day of validity (YYYY-MM-DD), or null for `no_match`.', example: '2023-05-01' }),
    validUntil: z.string().nullable().openapi({ description: 'Last day of validity (YYYY-MM-DD), or null for `no_match`.', example: '2028-04-30' }),
  })
  .strict()
  .openapi('LicenceVerificationResult');

const NO_MATCH = { status: 'no_match', validFrom: null, validUntil: null } as const;

/** Today's date in China Standard Time (UTC+8, no daylight saving), as YYYY-MM-DD. */
export function chinaDate(nowMs: number): string {
  return new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10);
}

export const licenceVerification = defineCapability({
  id: 'licence-verification',
  name: 'LicenceVerification',
  title: 'Licence verification',
  description:
    'Checks an electronic licence: given its type, number and holder name, answers whether it is valid, expired or revoked, with its validity dates. Nothing else about the licence or its holder is disclosed; an unknown number and a wrong holder name give byte-for-byte the same `no_match` answer.',
  input: Input,
  output: Output,
  scope: 'capabilities:invoke',
  rateLimit: { limit: 30, windowSeconds: 3600 },
  requiresGrant: null,
  async invoke(ctx, input) {
    const key = licenceKey(ctx.secret);
    const [row] = await ctx.tx
      .select()
      .from(licenceRecords)
      .where(and(eq(licenceRecords.licenceType, input.type), eq(licenceRecords.numberHmac, numberHmac(key, input.type, input.number))));
    const presented = Buffer.from(holderHmac(key, input.type, input.number, input.holderName), 'hex');
    const expected = row ? Buffer.from(row.holderHmac, 'hex') : UNKNOWN_HOLDER;
    const holderMatches = timingSafeEqual(presented, expected);
    if (!row || !holderMatches) return { ...NO_MATCH };
    const today = chinaDate(ctx.clock.nowMs());
    const status: 'valid' | 'expired' | 'revoked' = row.revoked ? 'revoked' : row.validUntil < today ? 'expired' : 'valid';
    return { status, validFrom: row.validFrom, validUntil: row.validUntil };
  },
  auditDetails: (input, output) => ({ licenceType: input.type, status: output.status }),
});
