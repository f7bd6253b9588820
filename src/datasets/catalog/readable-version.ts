import { activeAccess, type ActiveAccess } from '../../access/grants';
import { KaifangError } from '../../errors';
import type { Database } from '../../db/client';
import { publicFields } from '../field-schema';
import { publishedTable, type RecordsTable } from '../query/compile-records-sql';
import { getPublicDataset } from './public-dataset';

/** Who is reading, for conditionally open datasets: the key's account and the request time. */
export interface Reader {
  accountId: string;
  nowMs: number;
}

/**
 * The published version a developer's query reads: the current one, or `version=n` if
 * that version is published (withdrawn ones are gone). A conditional dataset is served
 * only to an account with an active grant, and only the granted fields: `fields` is
 * narrowed, so the query parser refuses any other field in select, filters and order.
 * The grant is read from the database on every request (see src/access/grants.ts).
 */
export async function readableVersion(db: Database, idOrSlug: string, requestedVersion: number | null, reader?: Reader) {
  const found = await getPublicDataset(db, idOrSlug);
  let access: ActiveAccess | undefined;
  if (found.dataset.openTier === 'conditional') {
    access = reader ? await activeAccess(db.orm, reader.accountId, found.dataset.id, reader.nowMs) : undefined;
    if (!access) {
      throw new KaifangError(
        'application_required',
        `"${found.dataset.title}" is conditionally open: records are served to accounts with an active grant from an approved application (none for this key's account, or it has ended or been revoked). Apply with POST /v1/applications, naming dataset "${found.dataset.slug}", your purpose and the fields you need.`,
        { extras: { dataset: found.dataset.slug, apply: '/v1/applications' } },
      );
    }
  }
  const number = requestedVersion ?? found.current.number;
  const version = found.versions.find((candidate) => candidate.number === number);
  if (!version) throw new KaifangError('not_found', `Version ${number} of this dataset is not published.`);
  const table: RecordsTable = publishedTable(found.dataset.id, number);
  const fields = publicFields(version.fields).filter((field) => !access || access.fields.has(field.name));
  return { dataset: found.dataset, version: number, fields, table, access };
}
