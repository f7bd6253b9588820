import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKaifangError, type KaifangError } from '../../src/errors';
import { parseRecordsQuery, type QueryParams } from '../../src/datasets/query';
import { FIELDS } from './fixture';

function problem(params: QueryParams): KaifangError {
  try {
    parseRecordsQuery(params, FIELDS);
  } catch (error) {
    if (isKaifangError(error)) return error;
    throw error;
  }
  throw new Error('expected the query to be refused');
}

function locations(params: QueryParams): string[] {
  const error = problem(params);
  expect(error.code).toBe('validation_failed');
  expect(error.status).toBe(400);
  return error.errors!.map((issue) => issue.location);
}

describe('parseRecordsQuery', () => {
  it('defaults: every public field, limit 100, estimated count, no order', () => {
    expect(parseRecordsQuery(new URLSearchParams(), FIELDS)).toEqual({
      filters: [],
      q: null,
      select: ['c1_id', 'c2_name', 'c3_district', 'c4_count', 'c5_amount', 'c6_open', 'c7_day', 'c8_at', 'c9_note'],
      order: [],
      limit: 100,
      cursor: null,
      count: 'estimated',
      version: null,
    });
  });

  it('reads every operator, not., quoting, order modifiers and the reserved parameters', () => {
    const params = new URLSearchParams([
      ['c1_id', 'gt.5'],
      ['c1_id', 'not.in.(1,2,3)'],
      ['c2_name', 'in.(a,"b,c","d\\"e",)'],
      ['c2_name', 'like.合肥*'],
      ['c2_name', 'not.like.a%_'],
      ['c6_open', 'is.true'],
      ['c3_district', 'not.is.null'],
      ['c8_at', 'lte.2024-03-01 08:30'],
      ['c4_count', 'eq.-0042'],
      ['q', '社保'],
      ['select', 'c2_name,c1_id'],
      ['order', 'c4_count.desc,c2_name,c7_day.asc.nullsfirst'],
      ['limit', '1000'],
      ['count', 'exact'],
      ['version', '3'],
      ['format', 'csv'],
      ['api_key', 'ignored here: the auth middleware refuses keys in URLs'],
    ]);
    const query = parseRecordsQuery(params, FIELDS);
    expect(query.filters).toEqual([
      { field: 'c1_id', negated: false, op: 'gt', value: '5' },
      { field: 'c1_id', negated: true, op: 'in', values: ['1', '2', '3'] },
      { field: 'c2_name', negated: false, op: 'in', values: ['a', 'b,c', 'd"e', ''] },
      { field: 'c2_name', negated: false, op: 'like', text: '合肥', prefix: true },
      { field: 'c2_name', negated: true, op: 'like', text: 'a%_', prefix: false },
      { field: 'c6_open', negated: false, op: 'is', value: 'true' },
      { field: 'c3_district', negated: true, op: 'is', value: 'null' },
      { field: 'c8_at', negated: false, op: 'lte', value: '2024-03-01T08:30:00' },
      { field: 'c4_count', negated: false, op: 'eq', value: '-42' },
    ]);
    expect(query.order).toEqual([
      { field: 'c4_count', direction: 'desc', nulls: 'first' },
      { field: 'c2_name', direction: 'asc', nulls: 'last' },
      { field: 'c7_day', direction: 'asc', nulls: 'first' },
    ]);
    expect(query).toMatchObject({ q: '社保', select: ['c2_name', 'c1_id'], limit: 1000, count: 'exact', version: 3 });
  });

  it('accepts a plain record with arrays for repeated parameters', () => {
    const query = parseRecordsQuery({ c4_count: ['gte.1', 'lt.5'], limit: '2' }, FIELDS);
    expect(query.filters.map((f) => f.op)).toEqual(['gte', 'lt']);
    expect(query.limit).toBe(2);
  });

  it('names every malformed parameter in one problem', () => {
    const error = problem(
      new URLSearchParams([
        ['c1_id', 'eq.abc'],
        ['c4_count', 'between.1'],
        ['c5_amount', 'gt.NaN'],
        ['c6_open', 'eq.yes'],
        ['c7_day', 'eq.2023-02-29'],
        ['c8_at', 'gt.2024-03-01T08:30:00+08:00'],
        ['c9_note', 'eq.x'],
        ['c10_phone', 'eq.13800138000'],
        ['nope', 'eq.1'],
        ['select', 'c1_id,c10_phone'],
        ['order', 'c9_note'],
        ['limit', '1001'],
        ['count', 'maybe'],
        ['version', '0'],
        ['cursor', 'not a cursor!'],
        ['q', 'x'.repeat(501)],
      ]),
    );
    expect(error.errors!.map((e) => e.location).sort()).toEqual(
      [
        'query.c1_id', 'query.c4_count', 'query.c5_amount', 'query.c6_open', 'query.c7_day', 'query.c8_at', 'query.c9_note',
        'query.c10_phone', 'query.nope', 'query.select', 'query.order', 'query.limit', 'query.count', 'query.version', 'query.cursor', 'query.q',
      ].sort(),
    );
    const message = (location: string) => error.errors!.find((e) => e.location === location)!.message;
    expect(message('query.c1_id')).toMatch(/integer/);
    expect(message('query.c9_note')).toMatch(/not filterable/);
    // A dropped field reads exactly like a field that never existed.
    expect(message('query.c10_phone')).toBe(message('query.nope'));
    expect(message('query.order')).toMatch(/not sortable/);
    expect(message('query.limit')).toMatch(/1 to 1000/);
    expect(error.message).toMatch(/c1_id/);
  });

  it.each([
    ['c1_id', '5', 'missing operator'],
    ['c1_id', 'not.not.eq.5', 'double not'],
    ['c1_id', 'eq.1.5', 'decimal for an integer'],
    ['c1_id', 'eq.99999999999999999999', 'beyond int64'],
    ['c1_id', 'eq.', 'empty integer'],
    ['c1_id', 'like.1*', 'like on a number'],
    ['c1_id', 'is.true', 'is.true on a number'],
    ['c5_amount', 'eq.Infinity', 'Infinity'],
    ['c5_amount', 'eq.1e9999', 'huge exponent'],
    ['c6_open', 'eq.1', 'boolean spelled 1'],
    ['c6_open', 'is.maybe', 'is with an unknown value'],
    ['c7_day', 'eq.2024-13-01', 'month 13'],
    ['c7_day', 'eq.2024/01/01', 'slashes'],
    ['c8_at', 'eq.2024-03-01T24:00:00', 'hour 24'],
    ['c8_at', 'eq.2024-03-01', 'a date for a datetime'],
    ['c2_name', 'like.*合肥', 'leading wildcard'],
    ['c2_name', 'like.合*肥', 'inner wildcard'],
    ['c2_name', 'like.合肥**', 'two wildcards'],
    ['c2_name', 'in.a,b', 'in without parentheses'],
    ['c2_name', 'in.()', 'empty in-list'],
    ['c2_name', 'in.("a,b)', 'unclosed quote'],
    ['c2_name', 'in.("a"b)', 'text after a quoted value'],
    ['c2_name', `in.(${Array.from({ length: 101 }, (_, i) => i).join(',')})`, '101 values'],
    ['c2_name', `eq.${'长'.repeat(501)}`, '501 characters'],
    ['c2_name', 'eq.a\u0000b', 'NUL'],
    ['c2_name', 'eq.\uD800', 'lone surrogate'],
  ])('%s=%s is refused (%s)', (name, value) => {
    expect(locations({ [name]: value })).toEqual([`query.${name}`]);
  });

  it.each([
    ['select', ''],
    ['select', 'c1_id,,c2_name'],
    ['select', 'c1_id,c1_id'],
    ['order', 'c1_id.up'],
    ['order', 'c1_id.nullsfirst.desc'],
    ['order', 'c1_id,c1_id.desc'],
    ['order', ''],
    ['limit', '0'],
    ['limit', '-1'],
    ['limit', '1e2'],
    ['version', '1.5'],
  ])('%s=%s is refused', (name, value) => {
    expect(locations({ [name]: value })).toEqual([`query.${name}`]);
  });

  it('refuses a reserved parameter given twice', () => {
    expect(locations(new URLSearchParams([['limit', '1'], ['limit', '2']]))).toEqual(['query.limit']);
  });

  it('bounds the number of filters at 20', () => {
    const params = new URLSearchParams(Array.from({ length: 21 }, (_, i) => ['c1_id', `neq.${i}`]));
    expect(locations(params)).toEqual(['query.c1_id']);
    expect(problem(params).errors![0]!.message).toMatch(/at most 20/);
    expect(parseRecordsQuery(new URLSearchParams(Array.from({ length: 20 }, (_, i) => ['c1_id', `neq.${i}`])), FIELDS).filters).toHaveLength(20);
  });

  it('allows 500-character values and 100-value lists', () => {
    expect(parseRecordsQuery({ c2_name: `eq.${'长'.repeat(500)}` }, FIELDS).filters).toHaveLength(1);
    const list = Array.from({ length: 100 }, (_, i) => `v${i}`).join(',');
    expect(parseRecordsQuery({ c2_name: `in.(${list})` }, FIELDS).filters[0]).toMatchObject({ values: expect.any(Array) });
  });

  it('property: in-lists round-trip through quoting', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { minLength: 1, maxLength: 20 }), (values) => {
        const text = values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',');
        const [filter] = parseRecordsQuery({ c2_name: `in.(${text})` }, FIELDS).filters;
        expect(filter).toEqual({ field: 'c2_name', negated: false, op: 'in', values });
      }),
    );
  });

  it('property: any parameter either parses or is a validation problem naming parameters', () => {
    const names = fc.constantFrom('c1_id', 'c2_name', 'c5_amount', 'c6_open', 'c7_day', 'c8_at', 'select', 'order', 'limit', 'q', 'cursor', 'count', 'version', 'zz');
    fc.assert(
      fc.property(fc.array(fc.tuple(names, fc.string({ maxLength: 40 })), { maxLength: 8 }), (pairs) => {
        try {
          parseRecordsQuery(new URLSearchParams(pairs), FIELDS);
        } catch (error) {
          expect(isKaifangError(error)).toBe(true);
          const issues = (error as KaifangError).errors!;
          expect(issues.length).toBeGreaterThan(0);
          for (const issue of issues) expect(pairs.map(([name]) => `query.${name}`)).toContain(issue.location);
        }
      }),
      { numRuns: 500 },
    );
  });
});
