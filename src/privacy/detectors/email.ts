// E-mail addresses. The lookbehind only lets a match start at the beginning of a run of
// address characters, which keeps the scan linear on long text without an "@".
import { foldWidth } from '../normalize';
import type { Detector } from '../types';
import { findMatches } from './find-matches';

const EMAIL = /^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$/;
const MAX_LOCAL_PART_CHARS = 64;
const MAX_ADDRESS_CHARS = 254;

/** Strict check of a width-folded, trimmed value. */
export function isEmail(folded: string): boolean {
  if (folded.length > MAX_ADDRESS_CHARS || !EMAIL.test(folded)) return false;
  return folded.indexOf('@') <= MAX_LOCAL_PART_CHARS;
}

const PATTERN =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

export const emailDetector: Detector = {
  type: 'email',
  label: { zh: '电子邮箱', en: 'E-mail address' },
  columnHint: /邮箱|邮件|电邮|e-?mail/i,
  validate: (candidate) => isEmail(foldWidth(candidate).trim()),
  find: (text) =>
    /[@\uff20]/.test(text) ? findMatches(text, 'email', PATTERN, ({ value }) => isEmail(value)) : [],
};
