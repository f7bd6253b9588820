// Generalisation lowers precision until a value stops singling someone out: a birth date
// becomes a year, an age a ten-year band, an address its district. When a value cannot be
// parsed the result is null, never the raw value: failing closed is the only safe default.
import { foldWidth } from '../normalize';

export type DateGranularity = 'month' | 'year';
export type GeneralizeKind = 'date' | 'age' | 'address' | 'coordinates';

export interface GeneralizeOptions {
  /** Dates: keep the month (`2024-03`) or only the year (`2024`). Default month. */
  date?: DateGranularity;
  /** Ages: band width in years. Default 10 (`30-39`). */
  ageBandYears?: number;
  /** Coordinates: decimals kept; 2 decimals is about 1.1 km of latitude. Default 2. */
  coordinateDecimals?: number;
}

export const DEFAULT_AGE_BAND_YEARS = 10;
export const DEFAULT_COORDINATE_DECIMALS = 2;
// Very old ages are rare enough to identify someone, so everything from here up is one band.
export const AGE_TOP_CODE_YEARS = 90;

const DATE_PATTERNS = [
  /^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?(?:[T\s].*)?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
  /^(\d{4})年?$/,
];

/** `2024-03-07` → `2024-03` (month) or `2024` (year); also 2024/3/7, 2024年3月7日, 20240307, ISO timestamps. */
export function generalizeDate(value: string, granularity: DateGranularity = 'month'): string | null {
  const text = foldWidth(value).trim();
  for (const pattern of DATE_PATTERNS) {
    const match = pattern.exec(text);
    if (match === null) continue;
    const year = match[1]!;
    const month = match[2] === undefined ? null : Number(match[2]);
    if (month !== null && (month < 1 || month > 12)) return null;
    if (granularity === 'year' || month === null) return year;
    return `${year}-${String(month).padStart(2, '0')}`;
  }
  return null;
}

/** `34` → `30-39` with 10-year bands; 90 and over → `90+`. */
export function generalizeAge(value: string | number, bandYears: number = DEFAULT_AGE_BAND_YEARS): string | null {
  if (!Number.isInteger(bandYears) || bandYears < 1) throw new RangeError('ageBandYears must be a positive integer');
  const text = typeof value === 'number' ? String(value) : foldWidth(value).trim().replace(/(?:周岁|岁)$/, '');
  if (!/^\d{1,3}(?:\.\d+)?$/.test(text)) return null;
  const ageYears = Math.floor(Number(text));
  if (ageYears >= AGE_TOP_CODE_YEARS) return `${AGE_TOP_CODE_YEARS}+`;
  const lowerYears = Math.floor(ageYears / bandYears) * bandYears;
  return `${lowerYears}-${Math.min(lowerYears + bandYears - 1, AGE_TOP_CODE_YEARS - 1)}`;
}

// Province-level parts that end in 区 but are not districts.
const NOT_A_DISTRICT = /(?:自治区|特别行政区|市辖区)$/;
const DISTRICT_LEVEL = /[区县旗]/g;
// Once a street, village or compound has started, any later 区 (小区, 园区) is not a district.
const BELOW_DISTRICT = /[路街巷道弄号村镇乡栋室]|小区|园区|社区/;

/**
 * Everything up to the first district-level part: `安徽省合肥市蜀山区长江西路100号` →
 * `安徽省合肥市蜀山区`. Without a district, up to the city (`东莞市`); without either, null.
 */
export function generalizeAddress(value: string): string | null {
  const text = foldWidth(value).trim();
  for (const match of text.matchAll(DISTRICT_LEVEL)) {
    const prefix = text.slice(0, match.index + 1);
    if (BELOW_DISTRICT.test(prefix)) break;
    // A district name has at least one character of its own after the city or province.
    if (!NOT_A_DISTRICT.test(prefix) && prefix.length >= 2 && !/[省市州盟]$/.test(prefix.slice(0, -1))) return prefix;
  }
  const city = /^.*?(?:市|自治州|地区|盟)/.exec(text);
  return city === null || BELOW_DISTRICT.test(city[0]) ? null : city[0];
}

/** Rounds every number in `31.820591,117.227219` to `decimals`; null if the value is not coordinates. */
export function generalizeCoordinates(value: string | number, decimals: number = DEFAULT_COORDINATE_DECIMALS): string | null {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) throw new RangeError('coordinateDecimals must be 0..10');
  const text = typeof value === 'number' ? String(value) : foldWidth(value).trim();
  if (!/^[\s\d.,;°+-]+$/.test(text) || !/\d/.test(text)) return null;
  return text.replace(/-?\d+(?:\.\d+)?/g, (number) => Number(number).toFixed(decimals));
}

export function generalize(value: string | number, kind: GeneralizeKind, options: GeneralizeOptions = {}): string | null {
  switch (kind) {
    case 'date':
      return generalizeDate(String(value), options.date);
    case 'age':
      return generalizeAge(value, options.ageBandYears);
    case 'address':
      return generalizeAddress(String(value));
    case 'coordinates':
      return generalizeCoordinates(value, options.coordinateDecimals);
  }
}
