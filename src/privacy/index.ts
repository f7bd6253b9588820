// The privacy engine's public surface: detect (normalise, detectors, scan, profile),
// classify (policy), transform (actions, redaction) and check (k-anonymity). Pure code:
// no database, no HTTP, no clock beyond today's date for birth-date plausibility.
export * from './types';
export { foldWidth, normalizeForDetection } from './normalize';
export { DETECTORS, DETECTOR_BY_TYPE } from './detectors/index';
export { isResidentId, residentIdCheckChar } from './detectors/resident-id';
export { CREDIT_CODE_ALPHABET, creditCodeCheckChar, isCreditCode } from './detectors/credit-code';
export { isBankCard, luhnCheckDigit, passesLuhn } from './detectors/bank-card';
export { isMobile } from './detectors/mobile';
export { isLandlineDigits } from './detectors/landline';
export { isEmail } from './detectors/email';
export { isPassport } from './detectors/passport';
export { isHkMacauPermit } from './detectors/hk-macau-permit';
export { isLicencePlate } from './detectors/licence-plate';
export { isPersonName, surnameOf } from './detectors/person-name';
export { isAddress } from './detectors/address';
export { scanText } from './scan';
export { ColumnProfiler, type ColumnProfile, type DetectedColumnType } from './profile-column';
export { type CellOutput, type CellValue, DROPPED, type Dropped } from './transforms/cell';
export { keep } from './transforms/keep';
export { drop } from './transforms/drop';
export { suppress } from './transforms/suppress';
export { maskGeneric, maskValue } from './transforms/mask';
export { deriveDatasetKey, pseudonymize, type PseudonymizeOptions } from './transforms/pseudonymize';
export {
  generalize,
  generalizeAddress,
  generalizeAge,
  generalizeCoordinates,
  generalizeDate,
  type DateGranularity,
  type GeneralizeKind,
  type GeneralizeOptions,
} from './transforms/generalize';
export { applyAction, type ActionContext } from './transforms/apply-action';
export { redactText } from './transforms/redact-text';
export {
  DEFAULT_K,
  DEFAULT_MIN_CELL_SIZE,
  loadPolicy,
  loadPolicyFile,
  PERSONAL_IDENTIFIER_TYPES,
  resolveAction,
  resolveColumnAction,
  type ActionRequest,
  type Policy,
  type ResolvedAction,
  type TierRule,
} from './policy';
export {
  checkKAnonymity,
  EquivalenceClassCounter,
  smallestEquivalenceClass,
  type EquivalenceClassSummary,
  type KAnonymityReport,
} from './k-anonymity';
