// 往来港澳通行证 (Exit-Entry Permit for Travelling to and from Hong Kong and Macao): C + 8
// digits, or C + letter + 7 digits. Like passports, the shape alone is common in other
// codes, so free text needs a cue word. Residence permits of Hong Kong and Macau residents
// (regions 81/82) are 18-character resident IDs and are found by that detector.
import { foldWidth } from '../normalize';
import type { Detector } from '../types';
import { findMatches, hasCueBefore } from './find-matches';

const CUE = /通行证|港澳|香港|澳门|往来|permit|hong ?kong|macau|macao/i;
const CUE_WINDOW_CHARS = 24;

/** Strict check of a width-folded, upper-case value. */
export function isHkMacauPermit(value: string): boolean {
  return /^C(?:\d{8}|[A-HJ-NP-Z]\d{7})$/.test(value);
}

const PATTERN = /(?<![A-Za-z0-9])[Cc][A-Za-z0-9]\d{7}(?![A-Za-z0-9])/g;

export const hkMacauPermitDetector: Detector = {
  type: 'hk_macau_permit',
  label: { zh: '往来港澳通行证号码', en: 'Hong Kong/Macau travel permit number' },
  columnHint: /通行证|港澳|permit/i,
  validate: (candidate) => isHkMacauPermit(foldWidth(candidate).trim().toUpperCase()),
  find: (text) =>
    CUE.test(foldWidth(text))
      ? findMatches(
          text,
          'hk_macau_permit',
          PATTERN,
          ({ value, start, folded }) =>
            isHkMacauPermit(value.toUpperCase()) && hasCueBefore(folded, start, CUE, CUE_WINDOW_CHARS),
        )
      : [],
};
