// Vocabulary shared by detectors, transforms and the policy. The lists are `as const`
// arrays so the policy loader can check a YAML document against exactly the same names
// the code switches on.

/** Types a detector can find in a cell or inside free text. Order is specificity: when two
 * detectors claim the same characters, the earlier one is the better description. */
export const DETECTOR_TYPES = [
  'resident_id',
  'credit_code',
  'hk_macau_permit',
  'passport',
  'bank_card',
  'mobile',
  'landline',
  'email',
  'licence_plate',
  'address',
  'person_name',
] as const;
export type DetectorType = (typeof DETECTOR_TYPES)[number];

/** Every type a column can be classified as: detected ones plus those a steward declares. */
export const PRIVACY_TYPES = [
  ...DETECTOR_TYPES,
  'birth_date',
  'age',
  'coordinates',
  'free_text',
  'plain',
] as const;
export type PrivacyType = (typeof PRIVACY_TYPES)[number];

export const ACTIONS = ['keep', 'drop', 'mask', 'pseudonymize', 'generalize', 'suppress'] as const;
export type Action = (typeof ACTIONS)[number];

export const ROLES = [
  'direct_identifier',
  'quasi_identifier',
  'sensitive',
  'commercial_secret',
  'state_secret',
  'public',
] as const;
export type Role = (typeof ROLES)[number];

/** Open tiers that serve data; "not open" data is never transformed because it is never served. */
export const OPEN_TIERS = ['unconditional', 'conditional'] as const;
export type OpenTier = (typeof OPEN_TIERS)[number];

/** An occurrence inside free text, as UTF-16 offsets into the ORIGINAL string (end exclusive). */
export interface Span {
  type: DetectorType;
  start: number;
  end: number;
}

export interface Label {
  zh: string;
  en: string;
}

export interface Detector {
  readonly type: DetectorType;
  readonly label: Label;
  /** Column headers that make this type likely; for person names a header is required. */
  readonly columnHint: RegExp;
  /** Whole-cell check: the entire candidate (after normalisation) must be one value of this type. */
  validate(candidate: string): boolean;
  /** Occurrences inside free text, on the original offsets. */
  find(text: string): Span[];
}
