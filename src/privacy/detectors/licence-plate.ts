// Vehicle licence plates (GA 36): province abbreviation + issuing-office letter + 5
// characters, or 6 for new-energy plates (D/F then a character and 4 digits for small
// cars, 5 digits then D/F for large ones). Plates are often written 皖A·12345.
import { foldWidth } from '../normalize';
import type { Detector } from '../types';
import { findMatches } from './find-matches';

export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
// Letters on plates skip I and O so they cannot be read as 1 and 0.
const L = 'A-HJ-NP-Z';
const PLATE = new RegExp(
  `^[${PLATE_PROVINCES}][${L}](?:[${L}0-9]{4}[${L}0-9挂学警港澳]|[DF][${L}0-9]\\d{4}|\\d{5}[DF])$`,
);
/** Strict check of a width-folded value; one separator after the office letter is allowed. */
export function isLicencePlate(folded: string): boolean {
  return PLATE.test(folded.trim().toUpperCase().replace(/^(..)[ ·•・-]/, '$1'));
}

const PATTERN = new RegExp(
  `[${PLATE_PROVINCES}][A-Za-z][ ·•・-]?(?:[A-Za-z0-9]{6}|[A-Za-z0-9]{4}[A-Za-z0-9挂学警港澳])(?![A-Za-z0-9])`,
  'g',
);

export const licencePlateDetector: Detector = {
  type: 'licence_plate',
  label: { zh: '机动车号牌', en: 'Vehicle licence plate' },
  columnHint: /车牌|号牌|牌照|plate/i,
  validate: (candidate) => isLicencePlate(foldWidth(candidate)),
  find: (text) => findMatches(text, 'licence_plate', PATTERN, ({ value }) => isLicencePlate(value)),
};
