import type { Action, PrivacyType, Role } from '../privacy/index';
import type { FieldType } from './ingest/infer-types';

/** How the privacy policy treats one column, and where that came from. */
export interface FieldClassification {
  type: PrivacyType;
  role: Role;
  action: Action;
  /**
   * `declared`: the steward said so. `detected`: detectors agreed on the column and the
   * policy chose the action. `no_identifiers`: nothing was detected in any cell.
   */
  source: 'declared' | 'detected' | 'no_identifiers';
}

/** One field in Frictionless Table Schema shape, plus its classification. */
export interface DatasetField {
  /** Column identifier in version tables; generated, never taken from input. */
  name: string;
  /** The header as the department exported it. */
  title: string;
  /** Type of the stored (transformed) values. */
  type: FieldType;
  description: string;
  constraints: { required: boolean };
  filterable: boolean;
  sortable: boolean;
  classification: FieldClassification;
}

/** Fields the public API may show: everything the policy did not drop. */
export function publicFields(fields: readonly DatasetField[]): DatasetField[] {
  return fields.filter((field) => field.classification.action !== 'drop');
}
