// Every detector, in specificity order (the order of DETECTOR_TYPES): when two claim the
// same characters equally, the earlier one names them.
import type { Detector, DetectorType } from '../types';
import { addressDetector } from './address';
import { bankCardDetector } from './bank-card';
import { creditCodeDetector } from './credit-code';
import { emailDetector } from './email';
import { hkMacauPermitDetector } from './hk-macau-permit';
import { landlineDetector } from './landline';
import { licencePlateDetector } from './licence-plate';
import { mobileDetector } from './mobile';
import { passportDetector } from './passport';
import { personNameDetector } from './person-name';
import { residentIdDetector } from './resident-id';

export const DETECTORS: readonly Detector[] = [
  residentIdDetector,
  creditCodeDetector,
  hkMacauPermitDetector,
  passportDetector,
  bankCardDetector,
  mobileDetector,
  landlineDetector,
  emailDetector,
  licencePlateDetector,
  addressDetector,
  personNameDetector,
];

export const DETECTOR_BY_TYPE: Readonly<Record<DetectorType, Detector>> = Object.fromEntries(
  DETECTORS.map((detector) => [detector.type, detector]),
) as Record<DetectorType, Detector>;

export {
  addressDetector,
  bankCardDetector,
  creditCodeDetector,
  emailDetector,
  hkMacauPermitDetector,
  landlineDetector,
  licencePlateDetector,
  mobileDetector,
  passportDetector,
  personNameDetector,
  residentIdDetector,
};
