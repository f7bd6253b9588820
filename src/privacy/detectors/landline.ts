// Fixed-line numbers with an area code: 010 and 02x are followed by 8 digits, the 4-digit
// codes (0xxx) by 7 or 8. Without an area code a 7-8 digit number is too ambiguous to flag.
import { foldWidth } from '../normalize';
import type { Detector } from '../types';
import { findMatches, hasDigit } from './find-matches';

/** Strict check of a bare digit string: area code with leading 0 + subscriber number. */
export function isLandlineDigits(digits: string): boolean {
  if (/^0(?:10|2\d)/.test(digits)) return /^0\d{2}[2-9]\d{7}$/.test(digits);
  return /^0[3-9]\d{2}[2-9]\d{6,7}$/.test(digits);
}

/** Digits of a written landline: parentheses, spaces and hyphens dropped; +86 restores the 0. */
export function landlineDigits(candidate: string): string | null {
  let folded = foldWidth(candidate).trim();
  const international = /^(?:\+ ?86|0086)[ -]?\(?0?/.exec(folded);
  if (international) folded = `0${folded.slice(international[0].length)}`;
  if (!/^[\d ()-]+$/.test(folded)) return null;
  return folded.replace(/[ ()-]/g, '');
}

const PATTERN = /(?<![\dA-Za-z])(?:\(0\d{2,3}\)|0\d{2,3})[ -]?[2-9]\d{2,3}[ -]?\d{4}(?![\dA-Za-z])/g;

export const landlineDetector: Detector = {
  type: 'landline',
  label: { zh: '固定电话', en: 'Landline phone number' },
  columnHint: /电话|座机|固话|传真|phone|tel|fax/i,
  validate: (candidate) => {
    const digits = landlineDigits(candidate);
    return digits !== null && isLandlineDigits(digits);
  },
  find: (text) =>
    hasDigit(text)
      ? findMatches(text, 'landline', PATTERN, ({ value }) => isLandlineDigits(value.replace(/[ ()-]/g, '')))
      : [],
};
