// Unified social credit code, GB 32100-2015. Enterprises' codes are public (they are
// printed on business licences and in the national enterprise credit registry), but the
// same format also identifies sole traders, so detection stays on and the policy decides.
import { normalizeForDetection } from '../normalize';
import type { Detector } from '../types';
import { findMatches, hasDigit } from './find-matches';

/** The 31 characters of the code; I, O, S, V and Z are left out to avoid misreading. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const MODULUS = 31;
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % MODULUS);

/** The check character for the first 17 characters (which must be in the alphabet). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return CREDIT_CODE_ALPHABET[(MODULUS - (sum % MODULUS)) % MODULUS]!;
}

/** Strict check of an upper-case, normalised value; positions 3-8 are the region code, digits. */
export function isCreditCode(normalized: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(normalized)) return false;
  return creditCodeCheckChar(normalized) === normalized[17];
}

const PATTERN = /(?<![0-9A-Za-z])[0-9A-Za-z]{18}(?![0-9A-Za-z])/g;

export const creditCodeDetector: Detector = {
  type: 'credit_code',
  label: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  columnHint: /信用代码|社会信用|credit[ _-]?code|uscc/i,
  validate: (candidate) => isCreditCode(normalizeForDetection(candidate).toUpperCase()),
  find: (text) =>
    hasDigit(text)
      ? findMatches(text, 'credit_code', PATTERN, ({ value }) => isCreditCode(value.toUpperCase()))
      : [],
};
