// Resident identity card number, GB 11643-1999: region (6) + birth date (8) + sequence (3)
// + ISO 7064 MOD 11-2 check character. The region and date checks matter as much as the
// checksum: one random 18-digit string in eleven passes the checksum alone.
import { normalizeForDetection } from '../normalize';
import type { Detector } from '../types';
import { findMatches, hasDigit } from './find-matches';

// First two digits of real province-level codes. 71 (Taiwan), 81/82 (residence permits of
// Hong Kong and Macau residents) and 83 (of Taiwan residents) use the same 18-character
// format, so they are the same kind of identifier.
const PROVINCE_PREFIXES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64',
  '65', '71', '81', '82', '83',
]);
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH_YEAR = 1900;

/** The check character for the first 17 digits. */
export function residentIdCheckChar(first17Digits: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17Digits[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Whether YYYYMMDD is a real calendar date between 1900-01-01 and `todayMs`. */
export function isPlausibleBirthDate(yyyymmdd: string, todayMs: number = Date.now()): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (year < EARLIEST_BIRTH_YEAR || month < 1 || month > 12 || day < 1) return false;
  const dateMs = Date.UTC(year, month - 1, day);
  const date = new Date(dateMs);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && dateMs <= todayMs;
}

/** Strict check of an already normalised value. */
export function isResidentId(normalized: string, todayMs: number = Date.now()): boolean {
  if (!/^\d{17}[\dX]$/.test(normalized)) return false;
  if (!PROVINCE_PREFIXES.has(normalized.slice(0, 2))) return false;
  if (!isPlausibleBirthDate(normalized.slice(6, 14), todayMs)) return false;
  return residentIdCheckChar(normalized) === normalized[17];
}

// 18 characters with at most one space or hyphen between them (6-8-4 and 3-3-4-4-4 groupings).
const PATTERN = /(?<![\dA-Za-z])\d(?:[ -]?\d){16}[ -]?[\dXx](?![\dA-Za-z])/g;

export const residentIdDetector: Detector = {
  type: 'resident_id',
  label: { zh: '居民身份证号', en: 'Resident ID number' },
  columnHint: /身份证|证件号|公民身份|id[ _-]?(card|no|number)|resident/i,
  validate: (candidate) => isResidentId(normalizeForDetection(candidate)),
  find: (text) =>
    hasDigit(text)
      ? findMatches(text, 'resident_id', PATTERN, ({ value }) => isResidentId(normalizeForDetection(value)))
      : [],
};
