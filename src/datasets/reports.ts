import type { Action, PrivacyType, Role } from '../privacy/index';
import type { FieldClassification } from './field-schema';

export interface DetectedTypeReport {
  type: PrivacyType;
  /** Cells in which the detector found the type. */
  hits: number;
  /** Share of non-empty cells hit, 0..1. */
  share: number;
  confidence: number;
}

/** What a steward sees for each column of an imported version. */
export interface ColumnReport {
  name: string;
  title: string;
  detected: DetectedTypeReport[];
  declared: { type?: PrivacyType; role?: Role; action?: Action } | null;
  /** Null when the column is unclassified: the version cannot be submitted until a steward declares it. */
  classification: FieldClassification | null;
  /** The action applied to the stored values (unclassified columns are stored redacted). */
  appliedAction: Action | 'redact';
  /** Up to three masked sample values; never raw. */
  samples: string[];
  findings: string[];
}

export interface ClassificationReport {
  rowCount: number;
  columns: ColumnReport[];
  unclassified: string[];
}

export interface GateFinding {
  rule:
    | 'unclassified_column'
    | 'secret_in_output'
    | 'grade_blocks_opening'
    | 'tier_not_open'
    | 'undeclared_identifier'
    | 'k_anonymity'
    | 'policy_refuses_action'
    | 'self_approval';
  /** The column the finding is about, by its source header. */
  column?: string;
  message: string;
}

export interface GateReport {
  passed: boolean;
  checkedAt: string;
  checkedBy: string;
  findings: GateFinding[];
  kAnonymity: { k: number; quasiIdentifiers: string[]; smallestClass: number | null } | null;
}

export type { Role };
