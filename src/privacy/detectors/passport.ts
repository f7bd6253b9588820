// Chinese ordinary passports: E + 8 digits, E + letter + 7 digits, or the older G + 8
// digits. "E12345678" also looks like many order or part numbers, so inside free text a
// cue word must come shortly before; a whole cell of this shape is enough on its own.
import { foldWidth } from '../normalize';
import type { Detector } from '../types';
import { findMatches, hasCueBefore } from './find-matches';

const CUE = /护照|passport/i;
const CUE_WINDOW_CHARS = 24;

/** Strict check of a width-folded, upper-case value; I and O are never used as letters. */
export function isPassport(value: string): boolean {
  return /^(?:[EG]\d{8}|E[A-HJ-NP-Z]\d{7})$/.test(value);
}

const PATTERN = /(?<![A-Za-z0-9])[EeGg][A-Za-z0-9]\d{7}(?![A-Za-z0-9])/g;

export const passportDetector: Detector = {
  type: 'passport',
  label: { zh: '护照号码', en: 'Passport number' },
  columnHint: /护照|passport/i,
  validate: (candidate) => isPassport(foldWidth(candidate).trim().toUpperCase()),
  find: (text) =>
    CUE.test(foldWidth(text))
      ? findMatches(
          text,
          'passport',
          PATTERN,
          ({ value, start, folded }) => isPassport(value.toUpperCase()) && hasCueBefore(folded, start, CUE, CUE_WINDOW_CHARS),
        )
      : [],
};
