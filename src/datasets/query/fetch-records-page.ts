// Parse → verify cursor → compile → run → response, in one place, so the route handler
// only resolves the dataset and version and writes the text this returns.
import type { Database } from '../../db/client';
import { KaifangError } from '../../errors';
import type { DatasetField } from '../field-schema';
import { compileRecordsSql, estimateCount, exactCount, type RecordsPageRow, type RecordsTable } from './compile-records-sql';
import { decodeCursor, encodeCursor, queryFingerprint } from './cursor';
import type { RecordsQuery } from './parse-records-query';

export interface RecordsPageRequest {
  db: Database;
  query: RecordsQuery;
  fields: readonly DatasetField[];
  table: RecordsTable;
  datasetId: string;
  /** The version actually read (query.version or the current one). */
  version: number;
  cursorKey: Uint8Array;
}

export interface RecordsPage {
  /** The page's rows as a JSON array text, built by Postgres. */
  data: string;
  /** Cursor for the next page, or null on the last page. */
  next: string | null;
  count: number | null;
  /** Rows in `data`, for usage metering. */
  rows: number;
}

export async function fetchRecordsPage(request: RecordsPageRequest): Promise<RecordsPage> {
  const { db, query, fields, table, datasetId, version, cursorKey } = request;
  const fingerprint = queryFingerprint(query);
  const after = query.cursor === null ? null : decodeCursor(query.cursor, cursorKey, { datasetId, version, fingerprint });
  if (after && after.values.length !== query.order.length) {
    throw new KaifangError('validation_failed', 'The cursor cannot be used.', {
      errors: [{ location: 'query.cursor', message: 'the cursor does not match the sort order of this query' }],
    });
  }
  const [row] = await db.rows<RecordsPageRow>(compileRecordsSql(query, table, fields, after));
  if (!row) throw new Error('the records statement returned no row');
  let next: string | null = null;
  if (row.fetched > query.limit && row.last_key !== null) {
    const key = JSON.parse(row.last_key) as (string | null)[];
    const last = key.pop();
    if (typeof last !== 'string') throw new Error('the records statement returned no row id');
    next = encodeCursor({ datasetId, version, fingerprint, values: key, row: last }, cursorKey);
  }
  const count =
    query.count === 'exact'
      ? await exactCount(db, query, table, fields)
      : query.count === 'estimated'
        ? await estimateCount(db, query, table, fields)
        : null;
  return { data: row.body, next, count, rows: Math.min(row.fetched, query.limit) };
}

/** `{"data":[...],"next":...,"count":...}` without parsing the rows Postgres serialised. */
export function recordsResponseBody(page: Pick<RecordsPage, 'data' | 'next' | 'count'>): string {
  return `{"data":${page.data},"next":${JSON.stringify(page.next)},"count":${JSON.stringify(page.count)}}`;
}
