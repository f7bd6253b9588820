// Cursors cannot be forged, edited or replayed elsewhere; SQL injection attempts in every
// parameter are refused or are harmless bound values, and leave the table unchanged.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileRecordsSql,
  decodeCursor,
  encodeCursor,
  parseRecordsQuery,
  queryFingerprint,
  type QueryParams,
} from '../../src/datasets/query';
import { render } from '../../src/datasets/query/statement';
import { isKaifangError, type KaifangError } from '../../src/errors';
import { createFixture, CURSOR_KEY, DATASET_ID, fetchPage, FIELDS, ids, tableChecksum, VERSION, type Fixture } from './fixture';

let fixture: Fixture;
let before: { count: number; md5: string };
beforeAll(async () => {
  fixture = await createFixture(300);
  await fixture.db.rows(sql`create table query_test.sentinel (id int)`);
  before = await tableChecksum(fixture);
});
afterAll(async () => fixture?.test.dispose());

async function refusal(params: QueryParams, expected?: { datasetId?: string; version?: number }): Promise<KaifangError> {
  try {
    await fetchPage(fixture, params, expected);
  } catch (error) {
    if (isKaifangError(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

async function cursorMessage(params: QueryParams, expected?: { datasetId?: string; version?: number }): Promise<string> {
  const error = await refusal(params, expected);
  expect(error.code).toBe('validation_failed');
  expect(error.status).toBe(400);
  expect(error.errors).toHaveLength(1);
  expect(error.errors![0]!.location).toBe('query.cursor');
  return error.errors![0]!.message;
}

describe('cursors', () => {
  const QUERY = { c3_district: 'not.is.null', order: 'c4_count.desc', limit: '10' };

  async function firstCursor(): Promise<string> {
    const page = await fetchPage(fixture, QUERY);
    expect(page.next).not.toBeNull();
    return page.next!;
  }

  it('round-trips, and limit may change between pages', async () => {
    const first = await fetchPage(fixture, QUERY);
    const second = await fetchPage(fixture, { ...QUERY, limit: '25', cursor: first.next! });
    const both = await fetchPage(fixture, { ...QUERY, limit: '35' });
    expect([...ids(first), ...ids(second)]).toEqual(ids(both));
    // Filter order in the URL does not change the query.
    const reordered = new URLSearchParams([['order', 'c4_count.desc'], ['limit', '10'], ['cursor', first.next!], ['c3_district', 'not.is.null']]);
    expect(ids(await fetchPage(fixture, reordered))).toEqual(ids(second).slice(0, 10));
  });

  it('refuses an edited cursor', async () => {
    const cursor = await firstCursor();
    const [body, mac] = cursor.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    payload.r = '1';
    const edited = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${mac}`;
    expect(await cursorMessage({ ...QUERY, cursor: edited })).toMatch(/signature/);
    const flipped = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    expect(await cursorMessage({ ...QUERY, cursor: flipped })).toMatch(/signature|not a cursor/);
  });

  it('refuses a cursor signed with another key (forged)', async () => {
    const fingerprint = queryFingerprint(parseRecordsQuery(QUERY, FIELDS));
    const forged = encodeCursor({ datasetId: DATASET_ID, version: VERSION, fingerprint, values: ['1'], row: '1' }, Buffer.alloc(32, 9));
    expect(await cursorMessage({ ...QUERY, cursor: forged })).toMatch(/signature/);
  });

  it('refuses a cursor of another dataset, version or query', async () => {
    const cursor = await firstCursor();
    expect(await cursorMessage({ ...QUERY, cursor }, { datasetId: '11111111-2222-4333-8444-555555555555' })).toMatch(/another dataset/);
    expect(await cursorMessage({ ...QUERY, cursor }, { version: 2 })).toMatch(/version 1/);
    expect(await cursorMessage({ ...QUERY, c3_district: 'eq.蜀山区', cursor })).toMatch(/different query/);
    expect(await cursorMessage({ ...QUERY, order: 'c4_count.asc', cursor })).toMatch(/different query/);
    expect(await cursorMessage({ ...QUERY, select: 'c1_id', cursor })).toMatch(/different query/);
    expect(await cursorMessage({ ...QUERY, q: '区', cursor })).toMatch(/different query/);
  });

  it('refuses garbage cursors without touching the database', async () => {
    for (const cursor of ['abc', 'a.b.c', '.', `${'A'.repeat(3000)}.x`, "x'; drop table query_test.sentinel; --"]) {
      const error = await refusal({ ...QUERY, cursor });
      expect(error.errors!.map((e) => e.location)).toEqual(['query.cursor']);
    }
  });

  it('decodeCursor checks shape even for correctly signed payloads', () => {
    const expected = { datasetId: DATASET_ID, version: VERSION, fingerprint: 'f' };
    const good = encodeCursor({ ...expected, values: [null, 'x'], row: '42' }, CURSOR_KEY);
    expect(decodeCursor(good, CURSOR_KEY, expected)).toMatchObject({ values: [null, 'x'], row: '42' });
    const badRow = encodeCursor({ ...expected, values: [], row: '1; drop' }, CURSOR_KEY);
    expect(() => decodeCursor(badRow, CURSOR_KEY, expected)).toThrow(/cannot be used/);
  });
});

describe('SQL injection', () => {
  const ATTEMPTS: QueryParams[] = [
    { 'c2_name"; drop table query_test.sentinel; --': 'eq.1' },
    { "c2_name' or '1'='1": 'eq.1' },
    { c2_name: "eq.'; drop table query_test.sentinel; --" },
    { c2_name: "eq.' or 1=1 --" },
    { c2_name: 'in.("x\') or true --",y)' },
    { c2_name: "like.%' or 1=1 --*" },
    { c2_name: 'like.\\*' },
    { c1_id: 'eq.1 or 1=1' },
    { c1_id: 'in.(1);delete from query_test.sentinel' },
    { c5_amount: "gt.0'::numeric or true --" },
    { c6_open: 'is.true or 1=1' },
    { c6_open: 'is.null; drop table query_test.sentinel' },
    { c7_day: "eq.2024-01-01'; delete from query_test.ds_records_v1; --" },
    { c8_at: "eq.2024-03-01T08:30:00' or '1'='1" },
    { q: "%' or 1=1; drop table query_test.sentinel; --" },
    { q: "社保'); delete from query_test.ds_records_v1; --" },
    { q: '\\' },
    { select: 'c1_id,(select 1)' },
    { select: 'c1_id from query_test.sentinel; --' },
    { select: '*' },
    { order: 'c1_id; drop table query_test.sentinel' },
    { order: 'c1_id.desc nulls first' },
    { order: '(select 1)' },
    { order: '_kf_row' },
    { limit: '10; drop table query_test.sentinel' },
    { count: "exact'; --" },
    { version: '1 or 1=1' },
    { cursor: "eyJkIjoiJzsgZHJvcCB0YWJsZSBzZW50aW5lbDsgLS0ifQ.AAAA" },
    { _kf_row: 'gt.0' },
  ];

  it.each(ATTEMPTS.map((params) => [JSON.stringify(params), params] as const))('%s is refused or harmless', async (_, params) => {
    let result: number[] | KaifangError;
    try {
      result = ids(await fetchPage(fixture, { limit: '1000', ...params }));
    } catch (error) {
      if (!isKaifangError(error)) throw error;
      result = error;
    }
    if (Array.isArray(result)) {
      // Only string values can be valid: then they match literally, which these never do.
      expect(result).toEqual([]);
    } else {
      expect(result.code).toBe('validation_failed');
      expect(result.status).toBe(400);
    }
    expect(await tableChecksum(fixture)).toEqual(before);
  });

  it('a value that looks like SQL is matched literally', async () => {
    const expected = fixture.rows.filter((row) => row.c2_name === "O'Brien'); drop table x; --").map((row) => row.c1_id);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(await fetchPage(fixture, { c2_name: "eq.O'Brien'); drop table x; --", limit: '1000' }))).toEqual(expected);
  });

  it('every value reaches the database as a bound parameter', () => {
    const marker = "zz'marker";
    const query = parseRecordsQuery({ c2_name: `in.(${marker},b)`, q: marker, c3_district: `like.${marker}*` }, FIELDS);
    const compiled = compileRecordsSql(query, fixture.table, FIELDS, { values: [], row: '5' });
    const text = render(compiled);
    expect(text.text).not.toContain('marker');
    expect(text.params).toContain(marker);
    expect(text.params).toContain('5');
  });

  it('the table and the sentinel are unchanged after everything', async () => {
    expect(await tableChecksum(fixture)).toEqual(before);
    expect(await fixture.db.rows(sql`select * from query_test.sentinel`)).toEqual([]);
  });
});
