// The data use agreement applicants accept. Its version id is the first line of
// policies/data-use-agreement.md (`<!-- version: <id> -->`); an application records the
// version and the SHA-256 of the exact text accepted, so a later edit of the file cannot
// change what an applicant agreed to.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { packagePath } from '../package-root';

export const AGREEMENT_FILE = packagePath('policies', 'data-use-agreement.md');

export interface DataUseAgreement {
  version: string;
  text: string;
  sha256: string;
}

let loaded: DataUseAgreement | undefined;

export function loadAgreement(path: string = AGREEMENT_FILE): DataUseAgreement {
  const text = readFileSync(path, 'utf8');
  const version = /^<!--\s*version:\s*([A-Za-z0-9._-]{1,64})\s*-->/.exec(text)?.[1];
  if (!version) throw new Error(`${path}: the first line must be <!-- version: <id> -->`);
  return { version, text, sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/** The current agreement, read once per process. */
export function currentAgreement(): DataUseAgreement {
  return (loaded ??= loadAgreement());
}
