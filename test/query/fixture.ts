// A published-style version table with every field type, NULLs, duplicates, Chinese text
// and LIKE metacharacters, plus a plain-JavaScript model of the same rows: the tests
// compare what the compiled SQL returns with what a JS filter over the inserted data says.
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client';
import type { DatasetField } from '../../src/datasets/field-schema';
import type { FieldType } from '../../src/datasets/ingest/infer-types';
import {
  fetchRecordsPage,
  recordsResponseBody,
  parseRecordsQuery,
  type QueryParams,
  type RecordsPage,
  type RecordsTable,
} from '../../src/datasets/query';
import { createPublishedIndexes } from '../../src/datasets/review/published-indexes';
import { quoteIdent, SQL_TYPES } from '../../src/datasets/version-table';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

export const DATASET_ID = '0f8e4c1a-5b2d-4e6f-9a1b-3c4d5e6f7a8b';
export const VERSION = 1;
export const CURSOR_KEY = Buffer.alloc(32, 7);

type Value = string | number | boolean | null;
export type Row = Record<string, Value> & { _kf_row: number };

function field(name: string, type: FieldType, options: { filterable?: boolean; sortable?: boolean; drop?: boolean } = {}): DatasetField {
  return {
    name,
    title: name,
    type,
    description: '',
    constraints: { required: false },
    filterable: options.filterable ?? true,
    sortable: options.sortable ?? true,
    classification: { type: 'plain', role: 'public', action: options.drop ? 'drop' : 'keep', source: 'declared' },
  };
}

export const FIELDS: DatasetField[] = [
  field('c1_id', 'integer'),
  field('c2_name', 'string'),
  field('c3_district', 'string'),
  field('c4_count', 'integer'),
  field('c5_amount', 'number'),
  field('c6_open', 'boolean'),
  field('c7_day', 'date'),
  field('c8_at', 'datetime'),
  field('c9_note', 'string', { filterable: false, sortable: false }),
  // Dropped by the policy: the column does not exist in the table.
  field('c10_phone', 'string', { drop: true }),
];
export const STORED_FIELDS = FIELDS.filter((f) => f.classification.action !== 'drop');
export const FILTERABLE = STORED_FIELDS.filter((f) => f.filterable);
export const SORTABLE = STORED_FIELDS.filter((f) => f.sortable);

const NAMES = [
  '社保卡办理网点', '合肥市社保中心', '蜀山区政务服务中心', '包河区图书馆', 'Hefei Library', 'hefei library annex',
  '100% 办结', 'a_b 窗口', 'a%b', 'axb', '合肥', '合肥*店', "O'Brien'); drop table x; --", '社', null,
];
const DISTRICTS = ['蜀山区', '包河区', '庐阳区', '瑶海区', null];
const AMOUNTS = [0, 1.5, 2.25, -3.75, 100, 0.1, 12345.678, null];
const DAYS = ['2024-01-01', '2024-02-29', '2023-12-31', '1999-07-15', null];
const TIMES = ['2024-03-01T08:30:00', '2024-03-01T08:30:00.5', '2024-03-01T23:59:59', '2020-01-01T00:00:00', '2024-03-01T08:30:00.000001', null];
const NOTES = ['社保 备注', 'plain note', null];

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeRows(count: number, seed = 42): Row[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  return Array.from({ length: count }, (_, index) => ({
    _kf_row: index + 1,
    c1_id: index + 1,
    c2_name: pick(NAMES),
    c3_district: pick(DISTRICTS),
    c4_count: next() < 0.1 ? null : Math.floor(next() * 26) - 5,
    c5_amount: pick(AMOUNTS),
    c6_open: pick([true, false, null]),
    c7_day: pick(DAYS),
    c8_at: pick(TIMES),
    c9_note: pick(NOTES),
  }));
}

export interface Fixture {
  test: TestDatabase;
  db: Database;
  table: RecordsTable;
  rows: Row[];
  /** Position of each distinct string value in the database's collation order. */
  stringRank: Map<string, number>;
}

export async function createFixture(rowCount = 300, options: { schema?: string } = {}): Promise<Fixture> {
  const test = await createTestDatabase();
  const { db } = test;
  const schema = options.schema ?? 'query_test';
  const tableName = 'ds_records_v1';
  const qualifiedName = `${schema}.${quoteIdent(tableName)}`;
  await db.rows(sql.raw(`create schema ${quoteIdent(schema)}`));
  await db.rows(
    sql.raw(
      `create table ${qualifiedName} (_kf_row bigint generated always as identity primary key, ${STORED_FIELDS.map((f) => `${quoteIdent(f.name)} ${SQL_TYPES[f.type]}`).join(', ')})`,
    ),
  );
  const rows = makeRows(rowCount);
  const columns = sql.raw(STORED_FIELDS.map((f) => quoteIdent(f.name)).join(', '));
  for (let start = 0; start < rows.length; start += 100) {
    const tuples = rows.slice(start, start + 100).map(
      (row) =>
        sql`(${sql.join(
          STORED_FIELDS.map((f) => {
            const value = row[f.name];
            return sql`${value === null || value === undefined ? null : String(value)}::text::${sql.raw(SQL_TYPES[f.type])}`;
          }),
          sql`, `,
        )})`,
    );
    await db.rows(sql`insert into ${sql.raw(qualifiedName)} (${columns}) values ${sql.join(tuples, sql`, `)}`);
  }
  await createPublishedIndexes(db.orm, qualifiedName, tableName, FIELDS);

  const strings = [...new Set([...NAMES, ...DISTRICTS, 'zzz', '', '合', 'Hefei', 'hefei'].filter((v): v is string => v !== null))];
  const ordered = await db.rows<{ v: string }>(
    sql`select v from (values ${sql.join(
      strings.map((s) => sql`(${s}::text)`),
      sql`, `,
    )}) as x(v) order by v`,
  );
  const stringRank = new Map(ordered.map((row, index) => [row.v, index]));
  return { test, db, table: { qualifiedName }, rows, stringRank };
}

/** Parse and fetch one page the way the records route will. */
export async function fetchPage(fixture: Fixture, params: QueryParams, expected: { datasetId?: string; version?: number } = {}): Promise<RecordsPage> {
  const query = parseRecordsQuery(params, FIELDS);
  return fetchRecordsPage({
    db: fixture.db,
    query,
    fields: FIELDS,
    table: fixture.table,
    datasetId: expected.datasetId ?? DATASET_ID,
    version: expected.version ?? VERSION,
    cursorKey: CURSOR_KEY,
  });
}

/** The page's rows, parsed from the response body the route would send. */
export function rowsOf(page: RecordsPage): Record<string, unknown>[] {
  return (JSON.parse(recordsResponseBody(page).toString('utf8')) as { data: Record<string, unknown>[] }).data;
}

export function ids(page: RecordsPage): number[] {
  return rowsOf(page).map((row) => row.c1_id as number);
}

/** Table contents fingerprint: row count plus a hash of every row in row order. */
export async function tableChecksum(fixture: Fixture): Promise<{ count: number; md5: string }> {
  const [row] = await fixture.db.rows<{ count: number; md5: string }>(
    sql`select count(*)::int as count, md5(coalesce(string_agg(t::text, '|' order by _kf_row), '')) as md5 from ${sql.raw(fixture.table.qualifiedName)} t`,
  );
  return row!;
}

// ---- the JavaScript model ----

export function fieldType(name: string): FieldType {
  return FIELDS.find((f) => f.name === name)!.type;
}

/** Fixed-width timestamp text, so datetimes compare as strings. */
export function canonicalDatetime(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(value)!;
  return `${match[1]}T${match[2]}:${match[3] ?? '00'}.${(match[4] ?? '').padEnd(6, '0')}`;
}

/** Typed value of a filter argument, comparable with stored values. */
export function typed(type: FieldType, raw: string): Value {
  switch (type) {
    case 'integer':
    case 'number':
      return Number(raw);
    case 'boolean':
      return raw === 'true';
    case 'datetime':
      return canonicalDatetime(raw);
    default:
      return raw;
  }
}

/** Compares two non-null values of one field as Postgres does. */
export function compareValues(fixture: Fixture, type: FieldType, a: Value, b: Value): number {
  if (type === 'string') {
    const ra = fixture.stringRank.get(a as string);
    const rb = fixture.stringRank.get(b as string);
    if (ra === undefined || rb === undefined) throw new Error(`no collation rank for ${String(ra === undefined ? a : b)}`);
    return ra - rb;
  }
  if (type === 'datetime') return compareStrings(canonicalDatetime(a as string), canonicalDatetime(b as string));
  if (type === 'boolean') return Number(a) - Number(b);
  if (type === 'date') return compareStrings(a as string, b as string);
  return (a as number) - (b as number);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
