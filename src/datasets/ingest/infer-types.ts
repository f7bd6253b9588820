// Type inference and typed parsing for imported CSV columns (Frictionless Table Schema
// types). The rule everywhere is: never pick a type that changes what the department
// published. `0551` (an area code), `007` or an 18-digit ID number read as integers
// would lose digits, so anything that would not survive the round trip stays a string.
//
// Rules, shared by inference and by parseValue:
// - Empty: a cell that is empty or only whitespace is null and fits every type.
// - integer: optional `-`, digits, no leading zero (`0` itself is fine), no `+` (a `+86...`
//   phone number must keep its plus). Inference accepts at most 15 digits (longer digit
//   strings are IDs, not quantities); parseValue accepts the whole signed 64-bit range.
// - number: integer or decimal with optional exponent, same leading-zero and sign rules,
//   no thousands separators, at most 15 significant digits (what a double, and Excel,
//   keep exactly). NaN and Infinity are not numbers.
// - boolean: inference only for true/false (any case) and 是/否. A column of 0 and 1
//   infers as integer: guessing "flag" from values alone is wrong too often; a steward
//   can set the field to boolean, and parseValue('boolean') then also accepts 1/0.
// - date: YYYY-MM-DD, YYYY/MM/DD, YYYY年M月D日 (month and day may have one digit), a
//   real calendar date; value is the ISO string `YYYY-MM-DD`.
// - datetime: a date in `-` or `/` form, `T` or a space, HH:MM[:SS[.fraction]], optional
//   `Z` or ±HH:MM offset; value is the ISO string with seconds. No offset is invented:
//   a local time stays local. A column mixing dates and datetimes is a string column.
// - string: everything else; value is the cell exactly as written.
//
// Failure reasons never contain the value itself (it is personal data).

import type { FieldIssue } from '../../errors.js';
import { cellLocation, type CsvRow } from './read-csv.js';

export type FieldType = 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'string';

/**
 * A typed cell: integer → number, or the canonical decimal string when beyond
 * Number.MAX_SAFE_INTEGER (still within int64; a string stays exact and JSON-safe);
 * number → number; boolean → boolean; date and datetime → ISO string; string → string;
 * empty → null.
 */
export type FieldValue = number | string | boolean | null;

export type ParseResult = { ok: true; value: FieldValue } | { ok: false; reason: string };

export interface InferredField {
  type: FieldType;
  /** Non-empty cells seen. */
  valueCount: number;
  /** Empty cells seen. */
  nullCount: number;
}

const INTEGER = 1;
const NUMBER = 2;
const BOOLEAN = 4;
const DATE = 8;
const DATETIME = 16;
const ALL = INTEGER | NUMBER | BOOLEAN | DATE | DATETIME;

/** Narrowest first: the first type still possible after all values wins. */
const PREFERENCE: [number, FieldType][] = [
  [BOOLEAN, 'boolean'],
  [INTEGER, 'integer'],
  [NUMBER, 'number'],
  [DATE, 'date'],
  [DATETIME, 'datetime'],
];

const MAX_INFERRED_INTEGER_DIGITS = 15;
const MAX_SIGNIFICANT_DIGITS = 15;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const INTEGER_RE = /^-?(?:0|[1-9]\d*)$/;
const NUMBER_RE = /^-?(?:0|[1-9]\d*)(?:\.(\d+))?(?:[eE][+-]?\d+)?$/;
const DATE_RES = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日$/,
];
const DATETIME_RE =
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

const TRUE_WORDS = new Set(['true', '是']);
const FALSE_WORDS = new Set(['false', '否']);

/**
 * Streaming inference for one column: feed every cell with `add`, then read `result`.
 * Memory is constant; once only `string` is left, `add` just counts.
 */
export class TypeInferrer {
  private candidates = ALL;
  private values = 0;
  private nulls = 0;

  add(raw: string): void {
    const value = raw.trim();
    if (value === '') {
      this.nulls++;
      return;
    }
    this.values++;
    if (this.candidates === 0) return;
    let fits = 0;
    const c = this.candidates;
    if (c & INTEGER && isInferableInteger(value)) fits |= INTEGER;
    if (c & NUMBER && parseNumber(value) !== null) fits |= NUMBER;
    if (c & BOOLEAN && parseBooleanWord(value, false) !== null) fits |= BOOLEAN;
    if (c & DATE && parseDate(value) !== null) fits |= DATE;
    if (c & DATETIME && parseDatetime(value) !== null) fits |= DATETIME;
    this.candidates &= fits;
  }

  result(): InferredField {
    let type: FieldType = 'string';
    if (this.values > 0) {
      for (const [bit, name] of PREFERENCE) {
        if (this.candidates & bit) {
          type = name;
          break;
        }
      }
    }
    return { type, valueCount: this.values, nullCount: this.nulls };
  }
}

/** Infers the type of a whole column at once (convenience for small inputs and tests). */
export function inferType(values: Iterable<string>): FieldType {
  const inferrer = new TypeInferrer();
  for (const value of values) inferrer.add(value);
  return inferrer.result().type;
}

/** Parses one cell as `type`; empty or whitespace-only cells are null for every type. */
export function parseValue(type: FieldType, raw: string): ParseResult {
  const value = raw.trim();
  if (value === '') return { ok: true, value: null };
  switch (type) {
    case 'string':
      return { ok: true, value: raw };
    case 'integer':
      return parseInteger(value);
    case 'number': {
      const parsed = parseNumber(value);
      if (parsed !== null) return { ok: true, value: parsed };
      if (NUMBER_RE.test(value)) {
        return fail(`number has more than ${MAX_SIGNIFICANT_DIGITS} significant digits and would lose precision`);
      }
      return fail(leadingZeroNote(value, 'value does not fit type number'));
    }
    case 'boolean': {
      const parsed = parseBooleanWord(value, true);
      return parsed === null ? fail('value does not fit type boolean (true/false, 是/否, 1/0)') : { ok: true, value: parsed };
    }
    case 'date': {
      const parsed = parseDate(value);
      return parsed === null ? fail('value does not fit type date (YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日)') : { ok: true, value: parsed };
    }
    case 'datetime': {
      const parsed = parseDatetime(value);
      return parsed === null
        ? fail('value does not fit type datetime (YYYY-MM-DDTHH:MM:SS or YYYY-MM-DD HH:MM:SS)')
        : { ok: true, value: parsed };
    }
  }
}

/**
 * Parses a row against fixed field types (later imports into an existing schema). Issues
 * name line and column, never the value.
 */
export function parseRow(
  fields: readonly { name: string; type: FieldType }[],
  row: CsvRow,
): { ok: true; values: FieldValue[] } | { ok: false; issues: FieldIssue[] } {
  const values: FieldValue[] = [];
  const issues: FieldIssue[] = [];
  fields.forEach((field, i) => {
    const result = parseValue(field.type, row.values[i] ?? '');
    if (result.ok) values.push(result.value);
    else issues.push({ location: cellLocation(row.line, field.name), message: result.reason });
  });
  return issues.length === 0 ? { ok: true, values } : { ok: false, issues };
}

function fail(reason: string): ParseResult {
  return { ok: false, reason };
}

function leadingZeroNote(value: string, reason: string): string {
  return /^-?0\d/.test(value) ? `${reason}: leading zeros would be lost` : reason;
}

function isInferableInteger(value: string): boolean {
  if (!INTEGER_RE.test(value) || value === '-0') return false;
  const digits = value.startsWith('-') ? value.length - 1 : value.length;
  return digits <= MAX_INFERRED_INTEGER_DIGITS;
}

function parseInteger(value: string): ParseResult {
  if (!INTEGER_RE.test(value) || value === '-0') {
    return fail(leadingZeroNote(value, 'value does not fit type integer'));
  }
  const big = BigInt(value);
  if (big < INT64_MIN || big > INT64_MAX) return fail('integer is outside the signed 64-bit range');
  const asNumber = Number(value);
  return { ok: true, value: Number.isSafeInteger(asNumber) ? asNumber : big.toString() };
}

function parseNumber(value: string): number | null {
  if (!NUMBER_RE.test(value)) return null;
  const mantissa = value.replace(/^-/, '').replace(/[eE].*$/, '');
  const [whole = '', fraction = ''] = mantissa.split('.');
  const significant = (whole + fraction.replace(/0+$/, '')).replace(/^0+/, '');
  if (significant.length > MAX_SIGNIFICANT_DIGITS) return null;
  const parsed = Number(value);
  // -0 and underflow to 0 would not give back what was written.
  if (!Number.isFinite(parsed) || Object.is(parsed, -0) || (parsed === 0 && significant !== '')) return null;
  return parsed;
}

function parseBooleanWord(value: string, acceptDigits: boolean): boolean | null {
  const word = value.toLowerCase();
  if (TRUE_WORDS.has(word) || (acceptDigits && word === '1')) return true;
  if (FALSE_WORDS.has(word) || (acceptDigits && word === '0')) return false;
  return null;
}

function parseDate(value: string): string | null {
  for (const re of DATE_RES) {
    const m = re.exec(value);
    if (m) return isoDate(m[1]!, m[2]!, m[3]!);
  }
  return null;
}

function parseDatetime(value: string): string | null {
  const m = DATETIME_RE.exec(value);
  if (m === null) return null;
  const date = isoDate(m[1]!, m[3]!, m[4]!);
  if (date === null) return null;
  const [hour, minute, second] = [Number(m[5]), Number(m[6]), Number(m[7] ?? '0')];
  if (hour > 23 || minute > 59 || second > 59) return null;
  let zone = m[9] ?? '';
  if (zone !== '' && zone !== 'Z') {
    const hh = Number(zone.slice(1, 3));
    const mm = Number(zone.slice(-2));
    if (hh > 14 || mm > 59) return null;
    zone = `${zone[0]}${zone.slice(1, 3)}:${zone.slice(-2)}`;
  }
  const time = `${m[5]}:${m[6]}:${m[7] ?? '00'}${m[8] ?? ''}`;
  return `${date}T${time}${zone}`;
}

function isoDate(y: string, mo: string, d: string): string | null {
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1) return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day > daysInMonth) return null;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
