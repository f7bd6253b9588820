// The one entry point ingest calls per cell, after resolveAction has decided the column's
// action against the policy. Unparseable values under generalize become null, not raw.
import { KaifangError } from '../../errors';
import type { Action, PrivacyType } from '../types';
import { type CellOutput, type CellValue, isEmptyCell } from './cell';
import { drop } from './drop';
import { generalize, type GeneralizeKind, type GeneralizeOptions } from './generalize';
import { keep } from './keep';
import { maskValue } from './mask';
import { pseudonymize } from './pseudonymize';
import { redactText } from './redact-text';
import { suppress } from './suppress';

export interface ActionContext {
  /** The column's classified type. */
  type: PrivacyType;
  /** From deriveDatasetKey; required for pseudonymize. */
  datasetKey?: Uint8Array;
  /** From the policy's tier rule for this type. */
  generalize?: GeneralizeOptions & { as?: GeneralizeKind };
}

const GENERALIZE_KIND: Partial<Record<PrivacyType, GeneralizeKind>> = {
  birth_date: 'date',
  age: 'age',
  address: 'address',
  coordinates: 'coordinates',
};

export function applyAction(action: Action, value: CellValue, context: ActionContext): CellOutput {
  if (action === 'drop') return drop();
  if (action === 'keep') return keep(value);
  if (isEmptyCell(value) || action === 'suppress') return suppress();
  const text = String(value);
  switch (action) {
    case 'mask':
      return context.type === 'free_text' ? redactText(text) : maskValue(text, context.type);
    case 'pseudonymize': {
      if (context.datasetKey === undefined) {
        throw new KaifangError('internal_error', 'pseudonymize needs the dataset key');
      }
      return pseudonymize(text, context.datasetKey, { type: context.type });
    }
    case 'generalize': {
      const kind = context.generalize?.as ?? GENERALIZE_KIND[context.type];
      if (kind === undefined) {
        throw new KaifangError('unprocessable', `generalize is not defined for ${context.type}; declare what the column holds (date, age, address or coordinates)`);
      }
      return generalize(typeof value === 'number' ? value : text, kind, context.generalize);
    }
  }
}
