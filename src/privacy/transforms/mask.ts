// Display masks for stewards and reviewers: enough left to recognise the kind of value and
// check a sample, never enough to identify anyone. A mask is not de-identification: the
// policy never accepts it for identifiers in open data.
import { landlineDigits } from '../detectors/landline';
import { surnameOf } from '../detectors/person-name';
import { foldWidth, normalizeForDetection } from '../normalize';
import type { PrivacyType } from '../types';
import { generalizeAddress } from './generalize';

const MASK_CHAR = '*';

function stars(count: number): string {
  return MASK_CHAR.repeat(Math.max(count, 1));
}

/** Keeps the first and last character: `a***z`; two characters → `a*`; one → `*`. */
export function maskGeneric(value: string): string {
  const chars = Array.from(value.trim());
  if (chars.length <= 1) return MASK_CHAR;
  if (chars.length === 2) return `${chars[0]}${MASK_CHAR}`;
  return `${chars[0]}${stars(chars.length - 2)}${chars[chars.length - 1]}`;
}

function keepEnds(value: string, headChars: number, tailChars: number): string {
  if (value.length <= headChars + tailChars) return maskGeneric(value);
  return value.slice(0, headChars) + stars(value.length - headChars - tailChars) + value.slice(value.length - tailChars);
}

function maskResidentId(value: string): string {
  const id = normalizeForDetection(value);
  // Region stays, birth date goes, last four stay: 340104********123X.
  return /^\d{17}[\dX]$/.test(id) ? keepEnds(id, 6, 4) : maskGeneric(value);
}

function maskMobile(value: string): string {
  const number = normalizeForDetection(value);
  return /^1\d{10}$/.test(number) ? keepEnds(number, 3, 4) : maskGeneric(value);
}

function maskBankCard(value: string): string {
  const digits = normalizeForDetection(value).replace(/[^\d]/g, '');
  return digits.length >= 8 ? keepEnds(digits, 0, 4) : maskGeneric(value);
}

function maskLandline(value: string): string {
  const digits = landlineDigits(value);
  if (digits === null || digits.length < 10) return maskGeneric(value);
  const areaDigits = /^0(?:10|2\d)/.test(digits) ? 3 : 4;
  return `${digits.slice(0, areaDigits)}-${keepEnds(digits.slice(areaDigits), 0, 4)}`;
}

function maskEmail(value: string): string {
  const address = foldWidth(value).trim();
  const at = address.lastIndexOf('@');
  if (at < 1) return maskGeneric(value);
  return `${address[0]}***${address.slice(at)}`;
}

function maskPersonName(value: string): string {
  const name = foldWidth(value).trim();
  const surname = surnameOf(name) ?? Array.from(name)[0] ?? '';
  return surname + stars(Array.from(name).length - surname.length);
}

function maskAddress(value: string): string {
  const district = generalizeAddress(value);
  return district === null ? maskGeneric(value) : `${district}****`;
}

/**
 * The display mask for a value of `type`: `340104********123X`, `138****8000`, `张*`,
 * `欧阳**`, `************1234`, `z***@example.com`, anything else `a***z`. Free text is
 * handled by redactText, which masks each detected span.
 */
export function maskValue(value: string, type: PrivacyType): string {
  switch (type) {
    case 'resident_id':
      return maskResidentId(value);
    case 'mobile':
      return maskMobile(value);
    case 'bank_card':
      return maskBankCard(value);
    case 'landline':
      return maskLandline(value);
    case 'email':
      return maskEmail(value);
    case 'person_name':
      return maskPersonName(value);
    case 'address':
      return maskAddress(value);
    case 'credit_code':
      return keepEnds(normalizeForDetection(value).toUpperCase(), 8, 2);
    case 'passport':
    case 'hk_macau_permit':
    case 'licence_plate':
      return keepEnds(foldWidth(value).trim().toUpperCase(), type === 'licence_plate' ? 2 : 1, 2);
    default:
      return maskGeneric(value);
  }
}
