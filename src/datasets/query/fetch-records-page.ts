// Parse → verify cursor → compile → run → response, in one place, so the route handler
// only resolves the dataset and version and writes the bytes this returns.
import type { Database } from '../../db/client';
import { KaifangError } from '../../errors';
import { LruCache } from '../../keys/lru-cache';
import type { DatasetField } from '../field-schema';
import { compileCountSql, compileEstimateSql, compileRecordsSql, keysetPositionOf, type RecordsPageRow, type RecordsTable } from './compile-records-sql';
import { decodeCursor, encodeCursor, queryFingerprint } from './cursor';
import type { RecordsQuery } from './parse-records-query';
import { runStatement, runStatementRaw } from './run-statement';
import type { Statement } from './statement';

/**
 * Counts per published table and filter. A published table never changes (a new version
 * is a new table; a withdrawal moves the table away), so a count, exact or estimated, is
 * worth computing once per table and filter instead of once per page. Bounded.
 */
const COUNT_CACHE_ENTRIES = 1000;
const countCaches = new WeakMap<Database, LruCache<string, number>>();

export interface RecordsPageRequest {
  db: Database;
  query: RecordsQuery;
  fields: readonly DatasetField[];
  table: RecordsTable;
  datasetId: string;
  /** The version actually read (query.version or the current one). */
  version: number;
  cursorKey: Uint8Array;
  /**
   * A condition the page statement must pass (checked in the same statement, so in the
   * same snapshot): the caller's proof that the version it resolved from a cache is still
   * published and readable. When it fails, and also when the gated page is empty (the two
   * look alike), fetchRecordsPage throws StaleTargetError and the caller resolves afresh.
   */
  gate?: Statement;
}

/** The gate of a records request failed: resolve the dataset and version afresh. */
export class StaleTargetError extends Error {
  constructor() {
    super('the cached dataset version is no longer the one to read');
  }
}

export interface RecordsPage {
  /** The page's rows, each a JSON object as UTF-8 bytes built by Postgres. */
  data: Buffer[];
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
  const rows: RecordsPageRow[] = await runStatementRaw(db, compileRecordsSql(query, table, fields, after, request.gate));
  // A gated statement returns nothing when its gate fails, and also when the page is
  // empty: empty pages take the ungated path, which tells the two apart.
  if (rows.length === 0 && request.gate) throw new StaleTargetError();
  const sent = rows.length > query.limit ? rows.slice(0, query.limit) : rows;
  let next: string | null = null;
  if (rows.length > query.limit) {
    const { values, row } = keysetPositionOf(sent[sent.length - 1]!, query.order.length);
    next = encodeCursor({ datasetId, version, fingerprint, values, row }, cursorKey);
  }
  const count = query.count === 'none' ? null : await cachedCount(db, query, table, fields, fingerprint);
  return { data: sent.map(jsonOf), next, count, rows: sent.length };
}

function jsonOf(row: RecordsPageRow): Buffer {
  if (!row[0]) throw new Error('a records row without its JSON');
  return row[0];
}

async function cachedCount(db: Database, query: RecordsQuery, table: RecordsTable, fields: readonly DatasetField[], fingerprint: string): Promise<number> {
  // The fingerprint covers filters and q (and order and select, which do not change a count: a few extra entries at most).
  const key = `${query.count} ${table.qualifiedName} ${fingerprint}`;
  const counts = countCaches.get(db) ?? countCaches.set(db, new LruCache<string, number>(COUNT_CACHE_ENTRIES)).get(db)!;
  const cached = counts.get(key);
  if (cached !== undefined) return cached;
  const count = query.count === 'exact' ? await exactCountOf(db, query, table, fields) : await estimateCountOf(db, query, table, fields);
  counts.set(key, count);
  return count;
}

async function exactCountOf(db: Database, query: RecordsQuery, table: RecordsTable, fields: readonly DatasetField[]): Promise<number> {
  const [row] = await runStatement<{ count: string }>(db, compileCountSql(query, table, fields));
  return Number(row?.count ?? 0);
}

/**
 * The planner's row estimate for the filtered rows: cheap on any table size, and only as
 * good as the table's statistics (publishing runs ANALYZE). Works on PGlite and Postgres.
 */
async function estimateCountOf(db: Database, query: RecordsQuery, table: RecordsTable, fields: readonly DatasetField[]): Promise<number> {
  const rows = await runStatement<Record<string, unknown>>(db, compileEstimateSql(query, table, fields));
  const cell = rows[0] ? Object.values(rows[0])[0] : undefined;
  // postgres.js and PGlite parse json columns; a driver that does not hands back text.
  const plan = (typeof cell === 'string' ? JSON.parse(cell) : cell) as [{ Plan: { 'Plan Rows': number } }] | undefined;
  const estimate = plan?.[0]?.Plan?.['Plan Rows'];
  if (typeof estimate !== 'number') throw new Error('explain did not return a plan with a row estimate');
  return Math.max(0, Math.round(estimate));
}

/** `{"data":[...],"next":...,"count":...}`, joined as bytes in one copy, without parsing or decoding the rows Postgres serialised. */
export function recordsResponseBody(page: Pick<RecordsPage, 'data' | 'next' | 'count'>): Buffer {
  const parts: Buffer[] = [DATA_OPEN];
  for (const [index, row] of page.data.entries()) {
    if (index > 0) parts.push(COMMA);
    parts.push(row);
  }
  parts.push(Buffer.from(`],"next":${JSON.stringify(page.next)},"count":${JSON.stringify(page.count)}}`));
  return Buffer.concat(parts);
}

const DATA_OPEN = Buffer.from('{"data":[');
const COMMA = Buffer.from(',');
