// Mainland mobile numbers: 11 digits starting 13-19. Written with +86/0086/86- prefixes,
// grouped 3-4-4 with spaces, hyphens or dots, or typed full-width.
import { normalizeForDetection } from '../normalize';
import type { Detector } from '../types';
import { findMatches, hasDigit } from './find-matches';

/** Strict check of a normalised value (country code already stripped). */
export function isMobile(normalized: string): boolean {
  return /^1[3-9]\d{9}$/.test(normalized);
}

// 3-4-4 is how mobiles are grouped (13800138000, 138 0013 8000, 138-0013-8000); the
// optional prefix is part of the span, so redaction does not leave "+86" dangling.
const PATTERN =
  /(?<![\dA-Za-z+])(?:(?:\(\+86\)|\+ ?86|0086|86)[ -]?)?1[3-9]\d[ .-]?\d{4}[ .-]?\d{4}(?![\dA-Za-z])/g;

export const mobileDetector: Detector = {
  type: 'mobile',
  label: { zh: '手机号码', en: 'Mobile phone number' },
  columnHint: /手机|移动电话|联系电话|电话|mobile|cell|phone|tel/i,
  validate: (candidate) => isMobile(normalizeForDetection(candidate)),
  find: (text) =>
    hasDigit(text)
      ? findMatches(text, 'mobile', PATTERN, ({ value }) => isMobile(normalizeForDetection(value)))
      : [],
};
