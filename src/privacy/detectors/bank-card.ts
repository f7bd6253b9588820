// Bank card numbers: 12-19 digits with a Luhn check digit. Luhn alone passes one random
// number in ten, so runs that are really resident IDs or phone numbers are excluded, and a
// card never starts with 0 (landlines with area code) or 1 (mobiles, timestamps).
import { foldWidth, normalizeForDetection } from '../normalize';
import type { Detector } from '../types';
import { findMatches, hasDigit } from './find-matches';
import { isMobile } from './mobile';
import { isResidentId } from './resident-id';

/** The Luhn check digit to append to `payloadDigits`. */
export function luhnCheckDigit(payloadDigits: string): string {
  let sum = 0;
  // Doubling starts at the digit next to the check digit, i.e. the last payload digit.
  for (let i = payloadDigits.length - 1, double = true; i >= 0; i--, double = !double) {
    let digit = Number(payloadDigits[i]);
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

export function passesLuhn(digits: string): boolean {
  return luhnCheckDigit(digits.slice(0, -1)) === digits.slice(-1);
}

/** Strict check of a normalised value. */
export function isBankCard(normalized: string): boolean {
  if (!/^[2-9]\d{11,18}$/.test(normalized)) return false;
  if (isResidentId(normalized) || isMobile(normalized)) return false;
  return passesLuhn(normalized);
}

// Unbroken, or grouped the way cards are printed (4-4-4-4[-1..4], or 4-6-4/5 for 15-digit
// cards) with spaces or hyphens. Any other grouping is more likely two numbers side by
// side; a dot would turn a decimal into a "card".
const PATTERN =
  /(?<![\dA-Za-z])(?:\d{12,19}|\d{4}([ -])\d{4}\1\d{4}(?:\1\d{4})?(?:\1\d{1,4})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\dA-Za-z])/g;

const WHOLE_CELL = /^(?:\d{12,19}|\d{4}([ -])\d{4}\1\d{4}(?:\1\d{4})?(?:\1\d{1,4})?|\d{4}([ -])\d{6}\2\d{4,5})$/;

export const bankCardDetector: Detector = {
  type: 'bank_card',
  label: { zh: '银行卡号', en: 'Bank card number' },
  columnHint: /银行卡|卡号|账号|账户|card|account/i,
  // A whole cell is a card only when grouped the way cards are printed: a code such as
  // 340100-001000-001 is 15 digits once its hyphens go, and passes Luhn one time in ten.
  validate: (candidate) => WHOLE_CELL.test(foldWidth(candidate).trim()) && isBankCard(normalizeForDetection(candidate)),
  find: (text) =>
    hasDigit(text)
      ? findMatches(text, 'bank_card', PATTERN, ({ value }) => isBankCard(normalizeForDetection(value)))
      : [],
};
