import { KaifangError } from '../../errors';
import type { Database } from '../../db/client';
import { publicFields } from '../field-schema';
import { publishedTable, type RecordsTable } from '../query/compile-records-sql';
import { getPublicDataset } from './public-dataset';

/**
 * The published version a developer's query reads: the current one, or `version=n` if
 * that version is published (withdrawn ones are gone). Conditional datasets are refused
 * here until an approved application grants access.
 */
export async function readableVersion(db: Database, idOrSlug: string, requestedVersion: number | null) {
  const found = await getPublicDataset(db, idOrSlug);
  if (found.dataset.openTier === 'conditional') {
    throw new KaifangError(
      'application_required',
      `"${found.dataset.title}" is conditionally open: records are served to accounts with an approved application. Apply with POST /v1/applications, naming dataset "${found.dataset.slug}", your purpose and the fields you need.`,
      { extras: { dataset: found.dataset.slug, apply: '/v1/applications' } },
    );
  }
  const number = requestedVersion ?? found.current.number;
  const version = found.versions.find((candidate) => candidate.number === number);
  if (!version) throw new KaifangError('not_found', `Version ${number} of this dataset is not published.`);
  const table: RecordsTable = publishedTable(found.dataset.id, number);
  return { dataset: found.dataset, version: number, fields: publicFields(version.fields), table };
}
