// Every operator on every field type, negated and not, returns exactly the rows a plain
// JavaScript filter over the inserted data returns (PGlite, or Postgres with TEST_DATABASE_URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldType } from '../../src/datasets/ingest/infer-types';
import { compareValues, createFixture, fetchPage, FILTERABLE, ids, rowsOf, typed, type Fixture, type Row } from './fixture';

let fixture: Fixture;
beforeAll(async () => {
  fixture = await createFixture(300);
});
afterAll(async () => fixture?.test.dispose());

const CANDIDATES: Record<FieldType, string[]> = {
  integer: ['-5', '0', '3', '7', '20', '1000'],
  number: ['0', '1.5', '-3.75', '0.1', '12345.678', '50', '1e2'],
  boolean: ['true', 'false'],
  date: ['2024-01-01', '2024-02-29', '2000-01-01', '1999-07-15'],
  datetime: ['2024-03-01T08:30:00', '2024-03-01 08:30:00.5', '2021-06-01T12:00', '2024-03-01T08:30:00.000001'],
  string: ['社保卡办理网点', '合肥', 'zzz', 'a%b', 'Hefei Library', "O'Brien'); drop table x; --", '', '蜀山区', '包河区'],
};
const LIKE_ARGS = ['合肥*', '社保*', 'a%*', 'a_*', '100%*', '*', '合肥', 'hefei*', 'Hefei*', "O'Brien*", '社', 'zzz*'];
const COMPARISONS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;

type Case = { field: string; negated: boolean } & (
  | { op: (typeof COMPARISONS)[number]; arg: string }
  | { op: 'in'; args: string[] }
  | { op: 'like'; arg: string }
  | { op: 'is'; arg: 'null' | 'true' | 'false' }
);

function quoteListItem(value: string, index: number): string {
  // Quote when needed, and every other value anyway, to exercise both spellings.
  if (/[,"\\()]/.test(value) || index % 2 === 1) return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return value;
}

function formatCase(c: Case): string {
  const prefix = c.negated ? 'not.' : '';
  if (c.op === 'in') return `${prefix}in.(${c.args.map(quoteListItem).join(',')})`;
  return `${prefix}${c.op}.${c.arg}`;
}

/** SQL semantics in JavaScript: NULL matches no comparison, in or like, negated or not. */
function matches(c: Case, row: Row, type: FieldType): boolean {
  const value = row[c.field] ?? null;
  if (c.op === 'is') {
    const hit = c.arg === 'null' ? value === null : value === (c.arg === 'true');
    return c.negated ? !hit : hit;
  }
  if (value === null) return false;
  let hit: boolean;
  if (c.op === 'in') hit = c.args.some((arg) => compareValues(fixture, type, value, typed(type, arg)) === 0);
  else if (c.op === 'like') {
    const text = c.arg.endsWith('*') ? c.arg.slice(0, -1) : c.arg;
    hit = c.arg.endsWith('*') ? (value as string).startsWith(text) : value === text;
  } else {
    const order = compareValues(fixture, type, value, typed(type, c.arg));
    hit = { eq: order === 0, neq: order !== 0, gt: order > 0, gte: order >= 0, lt: order < 0, lte: order <= 0 }[c.op];
  }
  return c.negated ? !hit : hit;
}

async function check(cases: Case[], type: FieldType) {
  for (const c of cases) {
    const param = formatCase(c);
    const expected = fixture.rows.filter((row) => matches(c, row, type)).map((row) => row.c1_id);
    const page = await fetchPage(fixture, { [c.field]: param, limit: '1000', count: 'exact' });
    expect({ param, ids: ids(page) }).toEqual({ param, ids: expected });
    expect(page.count).toBe(expected.length);
    expect(page.next).toBeNull();
  }
}

function candidatesFor(field: string, type: FieldType): string[] {
  if (type !== 'string') return CANDIDATES[type];
  return field === 'c3_district' ? ['蜀山区', '包河区', '庐阳区', 'zzz', ''] : CANDIDATES.string;
}

describe.each(FILTERABLE.map((f) => [f.name, f.type] as const))('%s (%s)', (field, type) => {
  const candidates = candidatesFor(field, type);

  it.each(COMPARISONS)('%s, plain and negated with not.', async (op) => {
    await check(
      candidates.flatMap((arg) => [false, true].map((negated) => ({ field, negated, op, arg }))),
      type,
    );
  });

  it('in and not.in, with quoted values', async () => {
    const lists = [candidates.slice(0, 1), candidates.slice(0, 3), candidates.slice(1, 5), candidates];
    await check(
      lists.flatMap((args) => [false, true].map((negated) => ({ field, negated, op: 'in' as const, args }))),
      type,
    );
  });

  it('is.null and not.is.null (and is.true/false for booleans)', async () => {
    const args = type === 'boolean' ? (['null', 'true', 'false'] as const) : (['null'] as const);
    await check(
      args.flatMap((arg) => [false, true].map((negated) => ({ field, negated, op: 'is' as const, arg }))),
      type,
    );
  });

  if (type === 'string') {
    it('like (prefix, case-sensitive, % and _ taken literally)', async () => {
      await check(
        LIKE_ARGS.flatMap((arg) => [false, true].map((negated) => ({ field, negated, op: 'like' as const, arg }))),
        type,
      );
    });
  }
});

describe('combinations', () => {
  it('ANDs filters on different fields and repeated filters on one field', async () => {
    const params = new URLSearchParams();
    params.append('c4_count', 'gte.0');
    params.append('c4_count', 'lt.10');
    params.append('c4_count', 'not.in.(3,4)');
    params.append('c3_district', 'not.is.null');
    params.append('c6_open', 'not.is.false');
    params.set('limit', '1000');
    const expected = fixture.rows
      .filter((row) => row.c4_count !== null && (row.c4_count as number) >= 0 && (row.c4_count as number) < 10 && ![3, 4].includes(row.c4_count as number))
      .filter((row) => row.c3_district !== null && row.c6_open !== false)
      .map((row) => row.c1_id);
    expect(expected.length).toBeGreaterThan(10);
    expect(ids(await fetchPage(fixture, params))).toEqual(expected);
  });

  it('q searches every filterable text field, case-insensitively, as a substring', async () => {
    for (const q of ['社保', '社', '区', 'library', 'HEFEI', '%', '_', 'a%b', '100%', 'zzz', '备注']) {
      const needle = q.toLowerCase();
      const expected = fixture.rows
        .filter((row) => ['c2_name', 'c3_district'].some((name) => typeof row[name] === 'string' && (row[name] as string).toLowerCase().includes(needle)))
        .map((row) => row.c1_id);
      const page = await fetchPage(fixture, { q, limit: '1000' });
      expect({ q, ids: ids(page) }).toEqual({ q, ids: expected });
    }
  });

  it('q=社保 finds 社保卡办理网点, and q combines with filters', async () => {
    const all = rowsOf(await fetchPage(fixture, { q: '社保', select: 'c2_name', limit: '1000' })) as unknown as { c2_name: string }[];
    expect(all.map((row) => row.c2_name)).toContain('社保卡办理网点');
    const page = await fetchPage(fixture, { q: '社保', c3_district: 'eq.蜀山区', select: 'c2_name,c3_district', limit: '1000' });
    const data = rowsOf(page) as unknown as { c2_name: string; c3_district: string }[];
    expect(data.length).toBeGreaterThan(0);
    expect(data.every((row) => row.c2_name.includes('社保') && row.c3_district === '蜀山区')).toBe(true);
  });

  it('select returns only the selected fields, in order, never _kf_row or dropped fields', async () => {
    const page = await fetchPage(fixture, { select: 'c7_day,c1_id', limit: '3' });
    const data = rowsOf(page);
    expect(data).toHaveLength(3);
    for (const row of data) expect(Object.keys(row)).toEqual(['c7_day', 'c1_id']);
    const all = rowsOf(await fetchPage(fixture, { limit: '1' }));
    expect(Object.keys(all[0]!)).toEqual(['c1_id', 'c2_name', 'c3_district', 'c4_count', 'c5_amount', 'c6_open', 'c7_day', 'c8_at', 'c9_note']);
  });

  it('serialises typed values as JSON', async () => {
    const row = fixture.rows.find((r) => Object.values(r).every((v) => v !== null))!;
    const [got] = rowsOf(await fetchPage(fixture, { c1_id: `eq.${row.c1_id}` }));
    expect(got).toEqual({
      c1_id: row.c1_id,
      c2_name: row.c2_name,
      c3_district: row.c3_district,
      c4_count: row.c4_count,
      c5_amount: row.c5_amount,
      c6_open: row.c6_open,
      c7_day: row.c7_day,
      c8_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/),
      c9_note: row.c9_note,
    });
  });

  it('counts: exact matches the filter, estimated is a planner number, none is null', async () => {
    const expected = fixture.rows.filter((row) => row.c3_district === '包河区').length;
    expect((await fetchPage(fixture, { c3_district: 'eq.包河区', count: 'exact', limit: '1' })).count).toBe(expected);
    const estimated = (await fetchPage(fixture, { c3_district: 'eq.包河区', limit: '1' })).count;
    expect(typeof estimated).toBe('number');
    expect(estimated).toBeGreaterThanOrEqual(0);
    expect((await fetchPage(fixture, { count: 'estimated', limit: '1' })).count).toBeGreaterThan(0);
    expect((await fetchPage(fixture, { count: 'none' })).count).toBeNull();
  });
});
