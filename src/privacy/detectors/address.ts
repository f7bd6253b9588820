// Street addresses. An administrative area on its own (合肥市蜀山区) is public geography;
// what identifies a household is the street, number, building or room, or a village. So a
// value counts as an address only when it has one of those parts.
import { foldWidth } from '../normalize';
import type { Detector } from '../types';
import { findMatches } from './find-matches';

const CJK = '\\u4e00-\\u9fff';
const ADMIN_AREA = /省|自治区|市|区|县|旗|镇|乡|街道/;
const STREET_NUMBER = /(?:路|街|大道|道|巷|弄|胡同|里)\d+(?:-\d+)?(?:号|弄)/;
const BUILDING_UNIT = /\d+(?:栋|幢|座|单元|室|号楼|层)/;
const VILLAGE = /村(?:\d+组|[\u4e00-\u9fff]{1,4}组|$)/;
const MAX_ADDRESS_CHARS = 120;
const ADDRESS_CHARS = new RegExp(`^[${CJK}\\dA-Za-z()（）#,，\\s-]+$`);

/** Whether a width-folded value is a street-level address. */
export function isAddress(folded: string): boolean {
  const value = folded.trim();
  if (value.length < 5 || value.length > MAX_ADDRESS_CHARS) return false;
  if (!ADDRESS_CHARS.test(value)) return false;
  if (STREET_NUMBER.test(value)) return true;
  return ADMIN_AREA.test(value) && (BUILDING_UNIT.test(value) || VILLAGE.test(value));
}

// Administrative parts are optional and lazy; the street part plus a house number is what
// anchors a match in free text.
const PATTERN = new RegExp(
  [
    `(?:[${CJK}]{2,8}?(?:省|自治区|特别行政区))?`,
    `(?:[${CJK}]{1,8}?(?:市|自治州|地区|盟))?`,
    `(?:[${CJK}]{1,8}?(?:区|县|旗))?`,
    `(?:[${CJK}]{1,8}?(?:镇|乡|街道))?`,
    `[${CJK}\\dA-Za-z]{1,14}?(?:路|街|大道|道|巷|弄|胡同|里)\\d+(?:-\\d+)?(?:号|弄)`,
    `(?:[${CJK}\\dA-Za-z-]{0,10}?\\d+(?:栋|幢|座|单元|室|号楼|层))*`,
  ].join(''),
  'g',
);
// Leading words a lazy match may swallow before the address proper.
const LEADING_CUE = /^(?:[^省市区县]*?(?:地址|住址|住所|家住|现住|居住在|居住于|住在|位于|坐落于|坐落在|来自|户籍)(?:为|是|在|于)?)/;

export const addressDetector: Detector = {
  type: 'address',
  label: { zh: '地址', en: 'Street address' },
  columnHint: /地址|住址|住所|户籍|居住地|address|addr|residence/i,
  validate: (candidate) => isAddress(foldWidth(candidate)),
  find: (text) => {
    if (!/\d\s*[号弄]|[\uff10-\uff19][号弄]/.test(text)) return [];
    return findMatches(text, 'address', PATTERN, () => true).map((span) => {
      const cue = LEADING_CUE.exec(foldWidth(text).slice(span.start, span.end));
      return cue === null ? span : { ...span, start: span.start + cue[0].length };
    });
  },
};
